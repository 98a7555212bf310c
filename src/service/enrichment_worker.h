#pragma once
// Runs the enrichment pipeline after the store (DESIGN.md section 1). Driven by durable state:
// it enriches inbound messages the store lists as not yet enriched, oldest first, in batches
// saved in one transaction each, and publishes message.updated for each. A crash loses nothing:
// on restart the same messages are still listed. Ingestion never waits for it.

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "service/enricher.h"
#include "service/events.h"
#include "store/store.h"

namespace meridian::service {

struct EnrichmentOptions {
  int batch = 128;         // messages per store round trip and transaction
  int64_t poll_ms = 1000;  // also look without a wake-up this often (other instances' messages)
};

class EnrichmentWorker {
 public:
  EnrichmentWorker(EnrichmentOptions options, store::Store& store, const Enricher& enricher,
                   EventSink& events, const Clock& clock);
  ~EnrichmentWorker();  // stops and joins

  void Start();
  void Stop();
  // A message was stored: look now rather than at the next poll.
  void Wake();
  // Enriches one batch on the calling thread; returns how many messages were enriched.
  Result<int> RunOnce();

 private:
  void Loop();

  const EnrichmentOptions options_;
  store::Store& store_;
  const Enricher& enricher_;
  EventSink& events_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace meridian::service
