#pragma once
// Blocks the calling thread until an asynchronous operation answers through its callback.
// For CLI commands, tests and the blocking pool, never for I/O threads.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

#include "core/status.h"

namespace meridian {

// Calls `start` with a callback and returns the Result that callback receives.
template <typename T>
Result<T> Await(const std::function<void(std::function<void(Result<T>)>)>& start) {
  std::mutex m;
  std::condition_variable cv;
  std::optional<Result<T>> out;
  start([&](Result<T> r) {
    std::lock_guard lock(m);
    out.emplace(std::move(r));
    cv.notify_one();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return out.has_value(); });
  return std::move(*out);
}

}  // namespace meridian
