#pragma once
// Runs the enrichment pipeline after the store (DESIGN.md section 1). Driven by durable state:
// it enriches inbound messages the store lists as not yet enriched, oldest first, in batches
// saved in one transaction each, and publishes message.updated for each. A crash loses nothing:
// on restart the same messages are still listed. Ingestion never waits for it.
//
// Threads: one thread lists a batch and saves it; the analysis of the batch is split over
// `threads` threads (the listing thread and threads - 1 helpers, all at SCHED_IDLE). A batch is
// split by conversation, and a conversation's messages are analysed in order on one thread (each
// message's language prior is what the previous one decided), so the findings are the same as
// with one thread and no message is analysed twice: only the listing thread lists and saves.
//
// Bursts: the threads run at SCHED_IDLE (only on CPU time nothing else wants), but a thread that
// is always runnable still costs the foreground: every wake-up of a request thread on its core
// becomes a preemption instead of an exit from idle. While messages arrive faster than
// `burst_rate` per second (far above any help desk's steady traffic: an import, a flood, a load
// test), enrichment works one part in five of the time (BurstPause) and catches up after.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "core/clock.h"
#include "core/thread_pool.h"
#include "service/enricher.h"
#include "service/events.h"
#include "store/store.h"

namespace meridian::service {

struct EnrichmentOptions {
  int batch = 128;           // messages per store round trip and transaction
  int64_t poll_ms = 1000;    // also look without a wake-up this often (other instances' messages)
  int threads = 2;           // threads that analyse a batch (>= 1)
  double burst_rate = 1000;  // new messages per second above which enrichment yields (header)
};

// The pause after a batch that took `took`, when `arrived` messages were announced during the
// `window` since the previous batch ended: none at or below `burst_rate` messages per second;
// above it, four times the batch's time (at most a second), so enrichment keeps a fifth of its
// pace and never stops.
std::chrono::nanoseconds BurstPause(uint64_t arrived, std::chrono::nanoseconds window,
                                    std::chrono::nanoseconds took, double burst_rate);

// True when a message's text only describes what it carries ("[image]", "[location] (52.5,
// 13.4)", "[document] label.pdf", "[reaction] 👍"): a non-text message whose text starts with
// a bracketed lower-case word. Such text says nothing about the customer's intent, mood or
// language; it is marked enriched without analysis (language "und") and never moves the
// conversation's language. A caption is analysed like any text.
bool DescribesOnlyMedia(std::string_view content_type, std::string_view text);

class EnrichmentWorker {
 public:
  EnrichmentWorker(EnrichmentOptions options, store::Store& store, const Enricher& enricher,
                   EventSink& events, const Clock& clock);
  ~EnrichmentWorker();  // stops and joins

  void Start();
  void Stop();
  // A message was stored: look now rather than at the next poll (and count it, see bursts).
  void Wake();
  // Enriches one batch (analysed on the calling thread and the helpers); returns how many
  // messages were enriched. Not to be called from two threads at once.
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
  std::atomic<uint64_t> announced_{0};  // Wake() calls: messages stored since start
  std::atomic<bool> waiting_{false};    // Loop is waiting for work: Wake must notify
  std::thread thread_;
  // threads - 1 helpers, made by the first batch that needs them (on the worker thread they
  // inherit its nice value).
  std::unique_ptr<ThreadPool> helpers_;
};

}  // namespace meridian::service
