#include "service/enrichment_worker.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>
#include <vector>

#include "core/metrics.h"
#include "core/thread_name.h"

namespace meridian::service {

namespace {
metrics::Counter* EnrichedCounter() {
  static metrics::Counter* c = metrics::Registry::Global().GetCounter(
      "meridian_messages_enriched_total", "Inbound messages run through the NLU pipeline");
  return c;
}
}  // namespace

EnrichmentWorker::EnrichmentWorker(EnrichmentOptions options, store::Store& store,
                                   const Enricher& enricher, EventSink& events, const Clock& clock)
    : options_(options), store_(store), enricher_(enricher), events_(events), clock_(clock) {}

EnrichmentWorker::~EnrichmentWorker() { Stop(); }

void EnrichmentWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    NameThisThread("enrich");
    Loop();
  });
}

void EnrichmentWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EnrichmentWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

Result<int> EnrichmentWorker::RunOnce() {
  MERIDIAN_ASSIGN_OR_RETURN(std::vector<Message> pending,
                            store_.ListUnenrichedMessages(options_.batch));
  if (pending.empty()) return 0;

  // The conversation's language so far is each message's prior; read each conversation once.
  struct Known {
    std::string language;
    bool set_by_agent = false;
  };
  std::map<Id, Known> conversations;
  std::vector<std::pair<Id, store::MessageEnrichment>> results;
  results.reserve(pending.size());
  for (const Message& m : pending) {
    auto [it, fresh] = conversations.try_emplace(m.conversation_id);
    if (fresh) {
      auto c = store_.GetConversation(m.conversation_id);
      if (c.ok()) it->second = {c->language, c->language_set_by_agent};
    }
    EnrichmentContext context{.conversation_language = it->second.language,
                              .conversation_language_set_by_agent = it->second.set_by_agent,
                              .now_ms = m.created_at};
    store::MessageEnrichment e = enricher_.Analyze(m.text, context, clock_.NowMs());
    if (!e.conversation_language.empty()) it->second.language = e.conversation_language;
    results.emplace_back(m.id, std::move(e));
  }
  MERIDIAN_ASSIGN_OR_RETURN(std::vector<store::EnrichmentSaved> saved,
                            store_.SaveEnrichments(results));
  for (const store::EnrichmentSaved& s : saved) {
    events_.Publish({Event::Kind::kMessageUpdated, s.conversation, s.message});
  }
  EnrichedCounter()->Inc(saved.size());
  return static_cast<int>(pending.size());
}

void EnrichmentWorker::Loop() {
  // Background work: on Linux a thread's nice value is its own, so enrichment yields the CPU to
  // request handling and the store's writer under load (acknowledgements come first).
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  int64_t backoff_ms = 0;
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (stopping_) return;
      woken_ = false;
    }
    auto done = RunOnce();
    int64_t wait_ms = options_.poll_ms;
    if (!done.ok()) {
      backoff_ms = backoff_ms == 0 ? 100 : std::min<int64_t>(backoff_ms * 2, 30'000);
      spdlog::warn("enrichment: {}; retrying in {} ms", done.status().ToString(), backoff_ms);
      wait_ms = backoff_ms;
    } else {
      backoff_ms = 0;
      if (*done == options_.batch) continue;  // more may be waiting
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_ || woken_; });
  }
}

}  // namespace meridian::service
