#pragma once
// Provider media downloads (issue 3, CH9). A webhook with media is answered as soon as the
// message is stored; the message carries an attachment row in download state "pending" with
// where to fetch it (WhatsApp media id, Telegram file id, LINE message id, or a URL). This
// worker fetches it through the channel (Channel::FetchMedia), stores it in the blob store via
// StoreAttachmentBlob (size limit of the channel, type sniffed from the bytes), records the
// outcome on the attachment and publishes message.updated. The channel never holds more than
// the size limit in memory: a larger download is cut off and the attachment described only.
// Transient failures (transport, timeouts, 408, 429, 5xx) are retried with exponential backoff,
// never sooner than the provider's Retry-After; after max_attempts the attachment is "failed"
// with the reason, which agents see. A permanent answer (400, 401, 403, 404, 410) fails it at
// once. Pending rows survive a restart (they are in the store).

#include <condition_variable>
#include <mutex>
#include <thread>

#include "channels/channel.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "service/conversation_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace meridian::service {

struct MediaWorkerOptions {
  int max_attempts = 5;
  int64_t base_delay_ms = 2'000;       // after the first failure; doubles per failure
  int64_t max_delay_ms = 10 * 60'000;  // longest wait between attempts
  int64_t max_bytes = 0;               // > 0: a cap below every channel's own limit
};

class MediaWorker {
 public:
  MediaWorker(MediaWorkerOptions options, store::Store& store, channels::ChannelRegistry& channels,
              HttpClient& http, store::BlobStore& blobs, ConversationService& conversations,
              const Clock& clock);
  ~MediaWorker();  // stops and joins
  MediaWorker(const MediaWorker&) = delete;
  MediaWorker& operator=(const MediaWorker&) = delete;

  void Start();
  void Stop();
  void Wake();  // a new pending download was stored

  // Attempts every due download once, on the calling thread; how many were attempted.
  int RunOnce();

 private:
  void Loop();
  void Attempt(const store::Store::PendingDownload& pending);

  const MediaWorkerOptions options_;
  store::Store& store_;
  channels::ChannelRegistry& channels_;
  HttpClient& http_;
  store::BlobStore& blobs_;
  ConversationService& conversations_;
  const Clock& clock_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool woken_ = false;     // guarded by mu_
  std::thread thread_;
};

}  // namespace meridian::service
