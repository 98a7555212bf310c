#include "service/media_worker.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/thread_name.h"
#include "service/mailbox_worker.h"

namespace meridian::service {

using nlohmann::json;

MediaWorker::MediaWorker(MediaWorkerOptions options, store::Store& store,
                         channels::ChannelRegistry& channels, HttpClient& http,
                         store::BlobStore& blobs, ConversationService& conversations,
                         const Clock& clock)
    : options_(options),
      store_(store),
      channels_(channels),
      http_(http),
      blobs_(blobs),
      conversations_(conversations),
      clock_(clock) {}

MediaWorker::~MediaWorker() { Stop(); }

void MediaWorker::Start() {
  thread_ = std::thread([this] {
    NameThisThread("media");
    Loop();
  });
}

void MediaWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MediaWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

int MediaWorker::RunOnce() {
  auto due = store_.DuePendingDownloads(clock_.NowMs(), 16);
  if (!due.ok()) return 0;
  for (const auto& pending : *due) Attempt(pending);
  return static_cast<int>(due->size());
}

void MediaWorker::Loop() {
  while (true) {
    while (RunOnce() > 0) {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    int64_t wait_ms = 60'000;
    if (auto next = store_.NextPendingDownloadAt(); next.ok() && next->has_value()) {
      wait_ms = std::clamp<int64_t>(**next - clock_.NowMs(), 0, wait_ms);
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

void MediaWorker::Attempt(const store::Store::PendingDownload& pending) {
  Attachment a = pending.attachment;
  json source = json::parse(a.source_json, nullptr, false);
  channels::MediaSource from;
  if (source.is_object()) {
    from.id = source.value("id", "");
    from.url = source.value("url", "");
    from.mime = source.value("mime", "");
  }
  Status error;
  int64_t limit = 0;
  Result<channels::FetchedMedia> fetched = Status::Internal("not attempted");
  auto inbox = store_.GetInbox(a.inbox_id);
  if (!inbox.ok()) {
    error = inbox.status();
  } else if (auto channel = channels_.For(*inbox); !channel.ok()) {
    error = channel.status();
  } else {
    limit = (*channel)->capabilities().max_attachment_bytes;
    if (options_.max_bytes > 0) limit = std::min(limit, options_.max_bytes);
    fetched = (*channel)->FetchMedia(from, http_, limit);
    if (!fetched.ok()) error = fetched.status();
  }
  int attempts = pending.attempts + 1;
  if (!error.ok()) {
    // The reason only: never the URL (Telegram's carries the bot token).
    std::string reason = error.message();
    bool transient = channels::IsTransientFetchError(error);
    if (transient && attempts < options_.max_attempts) {
      int64_t delay = options_.base_delay_ms << std::min(attempts - 1, 20);
      delay = std::min(delay, options_.max_delay_ms);
      // The provider's Retry-After wins over our backoff when it asks for longer.
      if (auto after = error.retry_after_ms()) delay = std::max(delay, *after);
      (void)store_.RetryDownloadLater(a.id, attempts, clock_.NowMs() + delay, reason);
      return;
    }
    a.stored = false;
    a.download = "failed";
    // A permanent answer (401, 403, 404, 410, ...) will not change: asking again only costs
    // the provider's quota, so it is recorded at once.
    a.download_error = transient
                           ? fmt::format("download failed after {} attempts: {}", attempts, reason)
                           : fmt::format("download failed: {} (permanent, not retried)", reason);
  } else {
    if (fetched->size > 0) a.size = fetched->size;
    auto stored = StoreAttachmentBlob(blobs_, fetched->bytes, limit, a);
    if (!stored.ok()) {
      (void)store_.RetryDownloadLater(a.id, attempts, clock_.NowMs() + options_.base_delay_ms,
                                      stored.status().message());
      return;
    }
    a = std::move(stored).value();
    if (a.stored) {
      a.download.clear();
      a.download_error.clear();
    } else {
      a.size = fetched->size;
      a.download = "failed";
      a.download_error =
          fmt::format("larger than this channel's limit of {} bytes: not stored", limit);
    }
  }
  auto message = store_.FinishDownload(a);
  if (message.ok()) conversations_.PublishMessageUpdate(*message);
}

}  // namespace meridian::service
