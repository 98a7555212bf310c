#include "service/enrichment_worker.h"

#include <pthread.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
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

std::chrono::nanoseconds BurstPause(uint64_t arrived, std::chrono::nanoseconds window,
                                    std::chrono::nanoseconds took, double burst_rate) {
  using std::chrono::nanoseconds;
  if (window <= nanoseconds::zero()) return nanoseconds::zero();
  double rate = static_cast<double>(arrived) / std::chrono::duration<double>(window).count();
  if (rate <= burst_rate) return nanoseconds::zero();
  return std::min<nanoseconds>(4 * took, std::chrono::seconds(1));
}

bool DescribesOnlyMedia(std::string_view content_type, std::string_view text) {
  if (content_type.empty() || content_type == "text" || text.size() < 3 || text[0] != '[') {
    return false;
  }
  size_t close = text.find(']');
  if (close == std::string_view::npos || close < 2) return false;
  for (char c : text.substr(1, close - 1)) {
    if (!(c >= 'a' && c <= 'z') && c != ' ' && c != '_' && c != '\'') return false;
  }
  return true;
}

void EnrichmentWorker::Wake() {
  // Called for every stored message. A worker that is busy or pausing looks again on its own
  // (Loop compares announced_ before it waits), so only one waiting for work is woken: a futex
  // wake per message was 7 % of the answering thread during a burst.
  announced_.fetch_add(1);
  if (!waiting_.load()) return;
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
    size_t part = 0;  // which thread analyses this conversation's messages
  };
  const size_t threads = static_cast<size_t>(std::max(1, options_.threads));
  std::map<Id, Known> conversations;
  std::vector<std::vector<size_t>> parts(std::min(threads, pending.size()));
  std::vector<size_t> load(parts.size(), 0);
  for (size_t i = 0; i < pending.size(); ++i) {
    auto [it, fresh] = conversations.try_emplace(pending[i].conversation_id);
    if (fresh) {
      auto c = store_.GetConversation(pending[i].conversation_id);
      if (c.ok()) it->second = {c->language, c->language_set_by_agent};
      it->second.part =
          static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    }
    parts[it->second.part].push_back(i);
    ++load[it->second.part];
  }

  // Each part touches only its own conversations' entries and its own result slots.
  std::vector<std::pair<Id, store::MessageEnrichment>> results(pending.size());
  auto analyze = [&](const std::vector<size_t>& part) {
    for (size_t i : part) {
      const Message& m = pending[i];
      if (DescribesOnlyMedia(m.content_type, m.text)) {
        results[i] = {m.id, {.language = "und", .at = clock_.NowMs()}};
        continue;
      }
      Known& known = conversations.at(m.conversation_id);
      EnrichmentContext context{.conversation_language = known.language,
                                .conversation_language_set_by_agent = known.set_by_agent,
                                .now_ms = m.created_at};
      store::MessageEnrichment e = enricher_.Analyze(m.text, context, clock_.NowMs());
      if (!e.conversation_language.empty()) known.language = e.conversation_language;
      results[i] = {m.id, std::move(e)};
    }
  };
  if (parts.size() > 1) {
    if (helpers_ == nullptr) helpers_ = std::make_unique<ThreadPool>(static_cast<int>(threads) - 1);
    std::latch done(static_cast<std::ptrdiff_t>(parts.size() - 1));
    std::atomic<bool> failed{false};  // a helper's exception must not leave the latch waiting
    for (size_t p = 1; p < parts.size(); ++p) {
      helpers_->Post([&, p] {
        try {
          analyze(parts[p]);
        } catch (...) {
          failed = true;
        }
        done.count_down();
      });
    }
    try {
      analyze(parts[0]);  // the helpers use this frame: wait for them whatever happens
    } catch (...) {
      failed = true;
    }
    done.wait();
    // Nothing is saved: the batch stays listed and is tried again after the back-off.
    if (failed) return Status::Internal("enrichment: analysing a message failed");
  } else {
    analyze(parts[0]);
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
  // Background work: SCHED_IDLE runs this thread (and the helper threads it starts, which
  // inherit it) only on CPU time nothing else wants, so under load every acknowledgement comes
  // first; the backlog is durable and caught up when load drops. Nice 10 was not enough: at full
  // ingest on 2 cores enrichment still took ~30 % of the CPU (bench/RESULTS.md).
  sched_param idle{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0) {
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
  }
  int64_t backoff_ms = 0;
  uint64_t seen = announced_.load(std::memory_order_relaxed);
  auto since = std::chrono::steady_clock::now();
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (stopping_) return;
      woken_ = false;
    }
    uint64_t listed_at = announced_.load();
    auto start = std::chrono::steady_clock::now();
    auto done = RunOnce();
    auto end = std::chrono::steady_clock::now();
    uint64_t now_seen = announced_.load(std::memory_order_relaxed);
    auto pause = BurstPause(now_seen - seen, end - since, end - start, options_.burst_rate);
    seen = now_seen;
    since = end;
    if (pause > std::chrono::nanoseconds::zero()) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, pause, [this] { return stopping_; });
    }
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
    waiting_.store(true);
    // A message stored since this batch was listed: list again rather than wait (Wake saw
    // waiting_ false and left it to this check).
    if (done.ok() && announced_.load() != listed_at) {
      waiting_.store(false);
      continue;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_ || woken_; });
    waiting_.store(false);
  }
}

}  // namespace meridian::service
