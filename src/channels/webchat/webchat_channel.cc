#include "channels/webchat/webchat_channel.h"

#include <charconv>

#include "core/crypto.h"

namespace meridian::channels {

namespace {

class WebchatChannel final : public Channel {
 public:
  explicit WebchatChannel(WebchatOptions options) : options_(options) {}
  std::string_view name() const override { return "webchat"; }
  Capabilities capabilities() const override {
    return {.uses_outbox = false,
            .signed_webhooks = false,
            .max_attachment_bytes = options_.max_upload_bytes,
            .sends_attachments = true};
  }
  Status VerifyWebhook(const HeaderLookup&, std::string_view) const override {
    return Status::PermissionDenied("web chat has no webhook", "not_supported");
  }
  Result<std::vector<InboundEvent>> ParseWebhook(std::string_view) const override {
    return Status::PermissionDenied("web chat has no webhook", "not_supported");
  }
  SendResult Send(const OutboundDelivery&, HttpClient&) const override {
    return {DeliveryOutcome::kDelivered, "", std::nullopt};  // delivered live by the hub
  }

 private:
  const WebchatOptions options_;
};

class WebchatChannelFactory final : public ChannelFactory {
 public:
  explicit WebchatChannelFactory(WebchatOptions options) : options_(options) {}
  Result<std::unique_ptr<Channel>> Create(const Inbox&) const override {
    return std::unique_ptr<Channel>(new WebchatChannel(options_));
  }

 private:
  const WebchatOptions options_;
};

std::string Mac(std::string_view secret, Id inbox_id, std::string_view visitor_id) {
  std::string data = std::to_string(inbox_id) + "." + std::string(visitor_id);
  return crypto::Base64UrlEncode(crypto::HmacSha256(secret, data));
}

}  // namespace

std::unique_ptr<ChannelFactory> MakeWebchatChannelFactory(WebchatOptions options) {
  return std::make_unique<WebchatChannelFactory>(options);
}

std::string IssueVisitorToken(std::string_view secret, Id inbox_id, std::string_view visitor_id) {
  return std::to_string(inbox_id) + "." + std::string(visitor_id) + "." +
         Mac(secret, inbox_id, visitor_id);
}

std::optional<VisitorToken> VerifyVisitorToken(std::string_view secret, std::string_view token) {
  size_t first = token.find('.');
  size_t last = token.rfind('.');
  if (first == std::string_view::npos || last == first) return std::nullopt;
  std::string_view inbox_part = token.substr(0, first);
  std::string_view visitor = token.substr(first + 1, last - first - 1);
  std::string_view mac = token.substr(last + 1);
  Id inbox_id = 0;
  auto [p, ec] =
      std::from_chars(inbox_part.data(), inbox_part.data() + inbox_part.size(), inbox_id);
  if (ec != std::errc() || p != inbox_part.data() + inbox_part.size() || visitor.empty() ||
      visitor.size() > 64) {
    return std::nullopt;
  }
  if (!crypto::ConstantTimeEquals(mac, Mac(secret, inbox_id, visitor))) return std::nullopt;
  return VisitorToken{inbox_id, std::string(visitor)};
}

std::string SignAttachment(std::string_view secret, Id attachment_id, const VisitorToken& visitor,
                           int64_t expires_s) {
  std::string data = "attachment." + std::to_string(attachment_id) + "." +
                     std::to_string(visitor.inbox_id) + "." + visitor.visitor_id + "." +
                     std::to_string(expires_s);
  return crypto::Base64UrlEncode(crypto::HmacSha256(secret, data));
}

bool VerifyAttachmentSignature(std::string_view secret, Id attachment_id,
                               const VisitorToken& visitor, int64_t expires_s,
                               std::string_view signature) {
  return crypto::ConstantTimeEquals(signature,
                                    SignAttachment(secret, attachment_id, visitor, expires_s));
}

}  // namespace meridian::channels
