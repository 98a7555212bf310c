#pragma once
// Delivers outbox entries through their channels (CH7): claims due entries with a lease, sends,
// and records the outcome. Retries use exponential backoff with jitter and honour Retry-After;
// permanent failures and entries past max_attempts become dead letters, visible to agents.

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "channels/channel.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "service/conversation_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace meridian::service {

struct OutboxOptions {
  int workers = 2;
  int max_attempts = 8;
  int64_t base_delay_ms = 1000;
  int64_t max_delay_ms = 10 * 60 * 1000;
  int64_t lease_ms = 60 * 1000;
  int64_t poll_ms = 500;
};

// Delay before attempt number `attempts + 1`, before jitter.
int64_t BackoffDelayMs(const OutboxOptions& options, int attempts);

// A token bucket per key (inbox): `rate` sends per second, bursts up to max(1, rate). Not
// thread-safe; the worker guards it.
class RateLimiter {
 public:
  // 0 when a send may go now (and takes a token), else milliseconds until one is available.
  int64_t Take(Id key, double rate, TimestampMs now);

 private:
  struct Bucket {
    double tokens = 0;
    TimestampMs at = 0;
  };
  std::map<Id, Bucket> buckets_;
};

class OutboxWorker {
 public:
  // `blobs` holds the files agents send with replies; without it such a reply fails.
  OutboxWorker(OutboxOptions options, store::Store& store, channels::ChannelRegistry& channels,
               HttpClient& http, ConversationService& conversations, const Clock& clock,
               const store::BlobStore* blobs = nullptr);
  ~OutboxWorker();  // stops and joins

  void Start();
  void Stop();
  void Wake();
  // Processes every due entry once on the calling thread; returns how many were attempted.
  int RunOnce();

 private:
  void Loop();
  void Deliver(const store::OutboxItem& item);
  // The bytes of `message`'s files; NotFound when one is missing (the send cannot succeed).
  Status ReadFiles(const Message& message, std::vector<channels::OutboundFile>& files) const;

  const OutboxOptions options_;
  store::Store& store_;
  channels::ChannelRegistry& channels_;
  HttpClient& http_;
  ConversationService& conversations_;
  const Clock& clock_;
  const store::BlobStore* blobs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  uint64_t wakes_ = 0;
  TimestampMs earliest_retry_ = 0;  // soonest retry scheduled by this worker; guarded by mu_
  std::vector<std::thread> threads_;
  std::mt19937_64 rng_;
  RateLimiter limiter_;  // guarded by mu_
};

}  // namespace meridian::service
