#include "channels/api/api_channel.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "channels/common/provider.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/text.h"

namespace meridian::channels {

namespace {

using nlohmann::json;

class ApiChannel final : public Channel {
 public:
  ApiChannel(Id inbox_id, std::string secret, std::string callback_url, std::string previous_secret,
             TimestampMs previous_secret_until)
      : inbox_id_(inbox_id),
        secret_(std::move(secret)),
        callback_url_(std::move(callback_url)),
        previous_secret_(std::move(previous_secret)),
        previous_secret_until_(previous_secret_until) {}

  std::string_view name() const override { return "api"; }
  Capabilities capabilities() const override {
    return {.uses_outbox = true, .signed_webhooks = true, .sends_attachments = true};
  }

  // After a rotation the replaced secret is accepted too until its grace period ends, so an
  // integrator can switch its senders over without losing a message.
  Status VerifyWebhook(const HeaderLookup& headers, std::string_view raw_body) const override {
    std::string_view signature = headers("x-meridian-signature");
    Status current =
        VerifyHexHmacSha256("X-Meridian-Signature", signature, "sha256=", secret_, raw_body);
    if (current.ok() || previous_secret_.empty() ||
        SystemClock::Get().NowMs() >= previous_secret_until_) {
      return current;
    }
    Status previous = VerifyHexHmacSha256("X-Meridian-Signature", signature,
                                          "sha256=", previous_secret_, raw_body);
    return previous.ok() ? previous : current;
  }

  Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const override {
    if (!text::IsValidUtf8(raw_body)) {
      return Status::InvalidArgument("body is not valid UTF-8", "invalid_utf8");
    }
    json body = json::parse(raw_body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded())
      return Status::InvalidArgument("body is not valid JSON", "invalid_json");
    if (!body.is_object())
      return Status::InvalidArgument("body must be a JSON object", "invalid_json");
    InboundEvent e;
    MERIDIAN_ASSIGN_OR_RETURN(e.provider_message_id, RequiredString(body, "message_id"));
    auto sender = body.find("sender");
    if (sender == body.end() || !sender->is_object()) {
      return Status::Unprocessable("field 'sender' is required and must be an object",
                                   "missing_field");
    }
    MERIDIAN_ASSIGN_OR_RETURN(e.sender_id, RequiredString(*sender, "sender.id", "id"));
    if (auto n = sender->find("name"); n != sender->end() && n->is_string()) {
      e.sender_name = n->get<std::string>();
    }
    MERIDIAN_RETURN_IF_ERROR(ReadClaim(*sender, AttributeKind::kEmail, e.claims));
    MERIDIAN_RETURN_IF_ERROR(ReadClaim(*sender, AttributeKind::kPhone, e.claims));
    MERIDIAN_ASSIGN_OR_RETURN(e.text, RequiredString(body, "text"));
    if (auto ts = body.find("timestamp"); ts != body.end() && ts->is_number_integer()) {
      int64_t v = ts->get<int64_t>();
      e.sent_at = v < 100'000'000'000 ? v * 1000 : v;  // seconds or milliseconds
    }
    return std::vector<InboundEvent>{std::move(e)};
  }

  SendResult Send(const OutboundDelivery& d, HttpClient& http) const override {
    if (callback_url_.empty()) {
      return {DeliveryOutcome::kPermanentFailure, "the inbox has no callback_url", std::nullopt};
    }
    json body = {{"event", "message.created"},
                 {"message_id", d.message.id},
                 {"conversation_id", d.message.conversation_id},
                 {"recipient", {{"id", d.recipient_external_id}}},
                 {"text", d.files.empty() ? d.message.text : FileCaption(d)},
                 {"timestamp", d.message.created_at / 1000}};
    if (!d.files.empty()) {
      // Links rather than bytes: a callback stays small, the integrator fetches what it needs.
      int64_t expires = d.now / 1000 + kApiFileLinkSeconds;
      json files = json::array();
      for (const OutboundFile& f : d.files) {
        files.push_back(
            {{"id", f.attachment_id},
             {"filename", f.filename},
             {"content_type", f.content_type},
             {"size", f.bytes.size()},
             {"url", fmt::format("/api/v1/inboxes/{}/files/{}?expires={}&signature={}", inbox_id_,
                                 f.attachment_id, expires,
                                 ApiFileSignature(secret_, inbox_id_, f.attachment_id, expires))}});
      }
      body["attachments"] = std::move(files);
    }
    HttpClientRequest req;
    req.url = callback_url_;
    req.body = body.dump();
    req.headers = {{"Content-Type", "application/json"},
                   {"X-Meridian-Signature", ApiChannelSignature(secret_, req.body)},
                   {"X-Meridian-Delivery", std::to_string(d.message.id)}};
    return ClassifyHttpResult(http.Send(req));
  }

 private:
  // sender.email / sender.phone with sender.email_verified / sender.phone_verified (CH8): the
  // integrator signs the request, so its word that it verified the address is taken.
  static Status ReadClaim(const json& sender, AttributeKind kind, std::vector<ContactClaim>& out) {
    std::string key(AttributeKindName(kind));
    auto it = sender.find(key);
    if (it == sender.end() || it->is_null()) return Status::Ok();
    std::string raw = it->is_string() ? it->get<std::string>() : std::string();
    std::string value = kind == AttributeKind::kEmail ? NormalizeEmail(raw) : NormalizeE164(raw);
    if (value.empty()) {
      return Status::Unprocessable(
          kind == AttributeKind::kEmail
              ? "field 'sender.email' must be an email address"
              : "field 'sender.phone' must be a phone number in international format",
          "invalid_field");
    }
    bool verified = false;
    if (auto v = sender.find(key + "_verified"); v != sender.end() && !v->is_null()) {
      if (!v->is_boolean()) {
        return Status::Unprocessable("field 'sender." + key + "_verified' must be a boolean",
                                     "invalid_field");
      }
      verified = v->get<bool>();
    }
    out.push_back({kind, std::move(value), verified});
    return Status::Ok();
  }

  static Result<std::string> RequiredString(const json& obj, std::string_view path,
                                            std::string_view key = {}) {
    if (key.empty()) key = path;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      return Status::Unprocessable("field '" + std::string(path) + "' is required",
                                   "missing_field");
    }
    if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      return Status::Unprocessable("field '" + std::string(path) + "' must be a non-empty string",
                                   "invalid_field");
    }
    return it->get<std::string>();
  }

  Id inbox_id_;
  std::string secret_;
  std::string callback_url_;
  std::string previous_secret_;
  TimestampMs previous_secret_until_ = 0;
};

class ApiChannelFactory final : public ChannelFactory {
 public:
  Result<std::unique_ptr<Channel>> Create(const Inbox& inbox) const override {
    json config = json::parse(inbox.config_json, nullptr, false);
    std::string callback;
    if (config.is_object()) {
      if (auto it = config.find("callback_url"); it != config.end() && it->is_string()) {
        callback = it->get<std::string>();
      }
    }
    if (!callback.empty() && callback.rfind("http://", 0) != 0 &&
        callback.rfind("https://", 0) != 0) {
      return Status::Unprocessable("callback_url must be an http(s) URL", "invalid_field");
    }
    if (inbox.secret.size() < 16) {
      return Status::Unprocessable("API inbox secret is too short", "invalid_field");
    }
    return std::unique_ptr<Channel>(new ApiChannel(
        inbox.id, inbox.secret, callback, inbox.previous_secret, inbox.previous_secret_until));
  }
};

}  // namespace

std::string ApiChannelSignature(std::string_view secret, std::string_view body) {
  return "sha256=" + crypto::HexEncode(crypto::HmacSha256(secret, body));
}

std::string ApiFileSignature(std::string_view secret, Id inbox_id, Id attachment_id,
                             int64_t expires_s) {
  return crypto::HexEncode(
      crypto::HmacSha256(secret, fmt::format("file:{}:{}:{}", inbox_id, attachment_id, expires_s)));
}

std::unique_ptr<ChannelFactory> MakeApiChannelFactory() {
  return std::make_unique<ApiChannelFactory>();
}

}  // namespace meridian::channels
