#include "service/outbox_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/metrics.h"
#include "core/thread_name.h"

namespace meridian::service {

namespace {
struct OutboxMetrics {
  metrics::Counter* delivered;
  metrics::Counter* retried;
  metrics::Counter* dead;
  static OutboxMetrics& Get() {
    static OutboxMetrics m = [] {
      auto& r = metrics::Registry::Global();
      const char* name = "meridian_outbox_attempts_total";
      const char* help = "Outbox delivery attempts by outcome";
      return OutboxMetrics{r.GetCounter(name, help, R"(outcome="delivered")"),
                           r.GetCounter(name, help, R"(outcome="retry")"),
                           r.GetCounter(name, help, R"(outcome="dead")")};
    }();
    return m;
  }
};
}  // namespace

int64_t BackoffDelayMs(const OutboxOptions& options, int attempts) {
  int64_t delay = options.base_delay_ms;
  for (int i = 0; i < attempts && delay < options.max_delay_ms; ++i) delay *= 2;
  return std::min(delay, options.max_delay_ms);
}

int64_t RateLimiter::Take(Id key, double rate, TimestampMs now) {
  if (rate <= 0) return 0;
  double burst = std::max(1.0, rate);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst, now});
  Bucket& b = it->second;
  if (!fresh && now > b.at) {
    b.tokens = std::min(burst, b.tokens + static_cast<double>(now - b.at) * rate / 1000.0);
    b.at = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max<int64_t>(1, static_cast<int64_t>((1.0 - b.tokens) * 1000.0 / rate) + 1);
}

OutboxWorker::OutboxWorker(OutboxOptions options, store::Store& store,
                           channels::ChannelRegistry& channels, HttpClient& http,
                           ConversationService& conversations, const Clock& clock,
                           const store::BlobStore* blobs)
    : options_(options),
      store_(store),
      channels_(channels),
      http_(http),
      conversations_(conversations),
      clock_(clock),
      blobs_(blobs),
      rng_(std::random_device{}()) {}

Status OutboxWorker::ReadFiles(const Message& message,
                               std::vector<channels::OutboundFile>& files) const {
  for (const Attachment& a : message.attachments) {
    if (!a.stored || a.sha256_hex.empty() || blobs_ == nullptr) {
      return Status::NotFound("a file of this message is not stored");
    }
    auto bytes = blobs_->Get(a.sha256_hex);
    if (!bytes.ok()) {
      spdlog::error("outbox: message {}: its file cannot be read: {}", message.id,
                    bytes.status().ToString());
      // The reason goes to agents and the log: the file's name is the sender's words, left out.
      return Status::NotFound("a file of this message cannot be read (its stored copy is gone)");
    }
    files.push_back({a.filename, a.content_type, std::move(bytes).value(), a.id});
  }
  return Status::Ok();
}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
  for (int i = 0; i < options_.workers; ++i)
    threads_.emplace_back([this] {
      NameThisThread("outbox");
      Loop();
    });
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void OutboxWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakes_;
  }
  cv_.notify_one();
}

void OutboxWorker::Loop() {
  uint64_t seen = 0;
  while (true) {
    {
      std::unique_lock lock(mu_);
      // Sleep until woken, the next poll, or the soonest retry this worker scheduled.
      int64_t wait = options_.poll_ms;
      if (earliest_retry_ > 0)
        wait = std::clamp<int64_t>(earliest_retry_ - clock_.NowMs(), 1, wait);
      cv_.wait_for(lock, std::chrono::milliseconds(wait),
                   [&] { return stopping_ || wakes_ != seen; });
      if (earliest_retry_ > 0 && earliest_retry_ <= clock_.NowMs()) earliest_retry_ = 0;
      if (stopping_) return;
      seen = wakes_;
    }
    while (RunOnce() > 0) {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
  }
}

int OutboxWorker::RunOnce() {
  TimestampMs now = clock_.NowMs();
  auto items = store_.ClaimOutbox(now, now + options_.lease_ms, 16);
  if (!items.ok()) {
    spdlog::warn("outbox claim failed: {}", items.status().ToString());
    return 0;
  }
  for (const auto& item : *items) Deliver(item);
  return static_cast<int>(items->size());
}

void OutboxWorker::Deliver(const store::OutboxItem& item) {
  auto message = store_.GetMessage(item.message_id);
  auto conversation = message.ok() ? store_.GetConversation(message->conversation_id)
                                   : Result<ConversationView>(message.status());
  auto inbox = store_.GetInbox(item.inbox_id);
  auto channel = inbox.ok() ? channels_.For(*inbox)
                            : Result<std::shared_ptr<const channels::Channel>>(inbox.status());
  channels::SendResult result;
  TimestampMs attempt_at = 0;  // when the provider was asked: sent_at of a delivered message
  if (!message.ok() || !conversation.ok() || !channel.ok()) {
    result.outcome = channels::DeliveryOutcome::kPermanentFailure;
    result.error = "cannot deliver: the message, conversation or inbox is gone or misconfigured";
  } else {
    int64_t wait = 0;
    {
      std::lock_guard lock(mu_);
      wait =
          limiter_.Take(item.inbox_id, (*channel)->capabilities().sends_per_second, clock_.NowMs());
      if (wait > 0) {
        TimestampMs due = clock_.NowMs() + wait;
        if (earliest_retry_ == 0 || due < earliest_retry_) earliest_retry_ = due;
      }
    }
    if (wait > 0) {
      // Over the provider's rate: not an attempt, just later.
      Status deferred = store_.DeferOutbox(item.id, clock_.NowMs() + wait);
      if (!deferred.ok()) spdlog::warn("outbox defer failed: {}", deferred.ToString());
      return;
    }
    attempt_at = clock_.NowMs();
    channels::OutboundDelivery delivery{*message, conversation->contact_external_id, item.payload,
                                        attempt_at};
    Status files = ReadFiles(*message, delivery.files);
    if (files.ok()) {
      result = (*channel)->Send(delivery, http_);
    } else {
      result.outcome = channels::DeliveryOutcome::kPermanentFailure;
      result.error = files.message();
    }
  }
  TimestampMs now = clock_.NowMs();
  Result<Message> updated = Status::Internal("unset");
  if (result.outcome == channels::DeliveryOutcome::kDelivered) {
    OutboxMetrics::Get().delivered->Inc();
    updated = store_.CompleteOutbox(item.id, attempt_at);
    if (updated.ok() && !result.provider_message_id.empty()) {
      // Saved so the provider's statuses find the message (and earlier ones get applied).
      auto with_id = store_.SetProviderMessageId(updated->id, result.provider_message_id);
      if (with_id.ok()) {
        updated = std::move(with_id);
      } else {
        spdlog::warn("outbox item {}: cannot save the provider's message id: {}", item.id,
                     with_id.status().ToString());
      }
    }
  } else {
    int attempts = item.attempts + 1;
    bool dead = result.outcome == channels::DeliveryOutcome::kPermanentFailure ||
                attempts >= options_.max_attempts;
    int64_t delay = BackoffDelayMs(options_, item.attempts);
    {
      std::lock_guard lock(mu_);
      std::uniform_real_distribution<double> jitter(0.8, 1.2);
      delay = static_cast<int64_t>(static_cast<double>(delay) * jitter(rng_));
      if (result.retry_after_ms) delay = std::max(delay, *result.retry_after_ms);
      if (!dead && (earliest_retry_ == 0 || now + delay < earliest_retry_)) {
        earliest_retry_ = now + delay;
      }
    }
    (dead ? OutboxMetrics::Get().dead : OutboxMetrics::Get().retried)->Inc();
    // Only the error's head: a provider's body may echo message text (PII stays out of logs).
    spdlog::info("outbox item {} attempt {} failed ({}): {}", item.id, attempts,
                 dead ? "dead letter" : "will retry",
                 result.error.substr(0, result.error.find(':')));
    updated = store_.FailOutbox(item.id, result.error, now + delay, dead);
  }
  if (updated.ok()) conversations_.PublishMessageUpdate(*updated);
}

}  // namespace meridian::service
