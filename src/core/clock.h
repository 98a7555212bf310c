#pragma once
// Time goes through a Clock so tests can use a fake one (STYLE.md rule 5).
// All stored times are UTC milliseconds since the Unix epoch.

#include <atomic>
#include <cstdint>
#include <string>

namespace meridian {

using TimestampMs = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  // Current UTC time in milliseconds since the epoch. Thread-safe.
  virtual TimestampMs NowMs() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  TimestampMs NowMs() const override;
  static SystemClock& Get();
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimestampMs start) : now_(start) {}
  TimestampMs NowMs() const override { return now_.load(); }
  void Set(TimestampMs t) { now_.store(t); }
  void Advance(TimestampMs delta) { now_.fetch_add(delta); }

 private:
  std::atomic<TimestampMs> now_;
};

// RFC 3339 UTC with milliseconds, e.g. "2026-11-24T18:54:22.123Z".
std::string FormatRfc3339(TimestampMs t);

}  // namespace meridian
