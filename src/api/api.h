#pragma once
// The REST and WebSocket API (docs/api.md): thin handlers that translate HTTP to service calls
// and back. BuildRouter wires every route; nothing else in the process knows URLs.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "channels/channel.h"
#include "core/clock.h"
#include "core/thread_pool.h"
#include "http/hub.h"
#include "http/server.h"
#include "service/auth_service.h"
#include "service/contact_service.h"
#include "service/conversation_service.h"
#include "service/template_sync.h"
#include "service/translation_service.h"
#include "service/upload_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace meridian::nlp::translate {
class Router;
}  // namespace meridian::nlp::translate

namespace meridian::api {

struct ApiContext {
  store::Store* store = nullptr;
  service::AuthService* auth = nullptr;
  service::ConversationService* conversations = nullptr;
  service::TranslationService* translations = nullptr;  // null: translation endpoints answer 503
  service::ContactService* contacts = nullptr;
  channels::ChannelRegistry* channels = nullptr;
  http::Hub* hub = nullptr;
  const Clock* clock = nullptr;
  ThreadPool* blocking = nullptr;  // for work that must not run on I/O threads
  // Machine translation for template fallbacks (LG6); null renders untranslated sources.
  nlp::translate::Router* translator = nullptr;
  std::filesystem::path web_root;                // built front end: index.html, assets/, widget.js
  std::string visitor_secret;                    // signs web chat visitor tokens
  bool secure_cookies = false;                   // add `Secure` to cookies (behind TLS)
  std::atomic<bool>* ready = nullptr;            // /readyz
  store::BlobStore* blobs = nullptr;             // attachments (GET /api/v1/attachments/{id})
  service::UploadService* uploads = nullptr;     // files sent in web chat; null: uploads answer 503
  service::UploadQuota* upload_quota = nullptr;  // per visitor; null: no limit
  // The largest request body the upload routes read (the web chat limit); a larger one is
  // answered 413 before it is read.
  size_t max_upload_bytes = 10 << 20;
  std::function<void()> media_waker;               // a webhook stored provider media to download
  service::TemplateSync* template_sync = nullptr;  // null: template sync answers 503
};

std::shared_ptr<http::Router> BuildRouter(ApiContext& ctx);

// Turns service events into WebSocket frames on the hub (agents and visitors).
// Visitors' frames carry their files' URLs signed with `visitor_secret` (see ToVisitorJson).
class HubEventSink final : public service::EventSink {
 public:
  HubEventSink(http::Hub& hub, std::string visitor_secret, const Clock& clock)
      : hub_(hub), visitor_secret_(std::move(visitor_secret)), clock_(clock) {}
  void Publish(const service::Event& event) override;

 private:
  http::Hub& hub_;
  const std::string visitor_secret_;
  const Clock& clock_;
};

}  // namespace meridian::api
