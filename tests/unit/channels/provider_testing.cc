#include "provider_testing.h"

#include "channels/common/provider.h"
#include "channels/instagram/instagram_channel.h"
#include "channels/line/line_channel.h"
#include "channels/messenger/messenger_channel.h"
#include "channels/telegram/telegram_channel.h"
#include "channels/twilio/twilio_channel.h"
#include "channels/whatsapp/whatsapp_channel.h"
#include "core/crypto.h"

namespace meridian::channels::testing {

using nlohmann::json;

std::unique_ptr<Channel> MakeProvider(const std::string& provider, const std::string& api_base) {
  Inbox inbox;
  inbox.id = 42;
  inbox.channel = provider;
  json config = {{"api_base", api_base}};
  json secrets;
  std::unique_ptr<ChannelFactory> factory;
  if (provider == "whatsapp") {
    config["phone_number_id"] = "106540352242922";
    config["business_account_id"] = "102290129340398";
    secrets = {{"access_token", "EAAG-token"},
               {"app_secret", WebhookSecret(provider)},
               {"verify_token", "verify-me"}};
    factory = MakeWhatsAppChannelFactory();
  } else if (provider == "messenger" || provider == "instagram") {
    config["page_id"] = provider == "messenger" ? "1234567890" : "17841400000000000";
    secrets = {{"page_access_token", "page-token"},
               {"app_secret", WebhookSecret(provider)},
               {"verify_token", "verify-me"}};
    factory =
        provider == "messenger" ? MakeMessengerChannelFactory() : MakeInstagramChannelFactory();
  } else if (provider == "line") {
    secrets = {{"channel_secret", WebhookSecret(provider)}, {"channel_access_token", "line-token"}};
    factory = MakeLineChannelFactory();
  } else if (provider == "telegram") {
    secrets = {{"bot_token", "123456:ABC-DEF"}, {"secret_token", WebhookSecret(provider)}};
    factory = MakeTelegramChannelFactory();
  } else if (provider == "twilio") {
    config["account_sid"] = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    config["from"] = "+14155550100";
    secrets = {{"auth_token", WebhookSecret(provider)}};
    factory = MakeTwilioChannelFactory();
  }
  inbox.config_json = config.dump();
  inbox.secret = secrets.dump();
  return factory->Create(inbox).value();
}

std::string WebhookSecret(const std::string& provider) { return provider + "-webhook-secret"; }

std::map<std::string, std::string> SignedHeaders(const std::string& provider,
                                                 const std::string& body, const std::string& url) {
  std::string secret = WebhookSecret(provider);
  if (provider == "whatsapp" || provider == "messenger" || provider == "instagram") {
    return {
        {"x-hub-signature-256", "sha256=" + crypto::HexEncode(crypto::HmacSha256(secret, body))}};
  }
  if (provider == "line") {
    return {{"x-line-signature", crypto::Base64Encode(crypto::HmacSha256(secret, body))}};
  }
  if (provider == "telegram") return {{"x-telegram-bot-api-secret-token", secret}};
  return {{"x-twilio-signature", TwilioSignature(secret, url, ParseForm(body).value())}};
}

json EventToJson(const InboundEvent& e) {
  json j = {{"kind", e.kind == InboundKind::kStatus ? "status" : "message"},
            {"id", e.provider_message_id}};
  auto put = [&j](const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
  };
  put("sender", e.sender_id);
  put("name", e.sender_name);
  put("text", e.text);
  if (e.kind == InboundKind::kMessage) j["content_type"] = e.content_type;
  put("media_id", e.media_id);
  put("media_url", e.media_url);
  put("media_mime", e.media_mime);
  if (e.latitude) j["lat"] = *e.latitude;
  if (e.longitude) j["lon"] = *e.longitude;
  put("reply_to", e.reply_to_provider_id);
  put("reaction", e.reaction);
  put("reply_token", e.reply_token);
  if (e.redelivery) j["redelivery"] = true;
  if (e.status) j["status"] = std::string(DeliveryStatusName(*e.status));
  put("error", e.status_error);
  if (e.watermark != 0) j["watermark"] = e.watermark;
  if (e.sent_at != 0) j["sent_at"] = e.sent_at;
  return j;
}

HeaderLookup Lookup(const std::map<std::string, std::string>& headers) {
  return [headers](std::string_view name) -> std::string_view {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  };
}

void FakeHttp::Push(int status, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers) {
  script_.push_back({status, std::move(headers), std::move(body)});
}

Result<HttpClientResponse> FakeHttp::Send(const HttpClientRequest& request) {
  requests.push_back(request);
  if (script_.empty()) return Status::Unavailable("connection refused");
  HttpClientResponse r = script_.front();
  if (script_.size() > 1) script_.pop_front();
  // The body cap as the curl client applies it.
  int64_t size = static_cast<int64_t>(r.body.size());
  if (request.max_response_bytes > 0 && size > request.max_response_bytes) {
    r.oversize_bytes = size;
    r.body.clear();
  }
  return r;
}

}  // namespace meridian::channels::testing
