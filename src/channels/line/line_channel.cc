#include "channels/line/line_channel.h"

#include <fmt/format.h>

#include "channels/common/provider.h"
#include "core/crypto.h"

namespace meridian::channels {

namespace {

using nlohmann::json;

// A stable UUID (v4 layout) from the message id: the same retry carries the same key, so LINE
// never delivers a push twice.
std::string RetryKey(Id message_id) {
  std::string h = crypto::HexEncode(crypto::Sha256(fmt::format("meridian-line-{}", message_id)));
  h[12] = '4';
  h[16] = "89ab"[h[16] % 4];
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                     h.substr(16, 4), h.substr(20, 12));
}

void ParseMessage(const json& m, InboundEvent& e) {
  std::string type = JsonString(m, "type");
  e.content_type = type;
  e.reply_to_provider_id = JsonString(m, "quotedMessageId");
  if (type == "text") {
    e.text = JsonString(m, "text");
  } else if (type == "image" || type == "video" || type == "audio" || type == "file") {
    if (type == "file") e.content_type = "document";
    e.media_id = JsonString(m, "id");  // content at /v2/bot/message/{id}/content
    const json& provider = JsonObject(m, "contentProvider");
    if (JsonString(provider, "type") == "external") {
      e.media_url = JsonString(provider, "originalContentUrl");
    }
    std::string file = JsonString(m, "fileName");
    e.text = fmt::format("[{}]{}", e.content_type, file.empty() ? "" : " " + file);
  } else if (type == "location") {
    if (m.contains("latitude") && m["latitude"].is_number())
      e.latitude = m["latitude"].get<double>();
    if (m.contains("longitude") && m["longitude"].is_number())
      e.longitude = m["longitude"].get<double>();
    std::string title = JsonString(m, "title");
    std::string address = JsonString(m, "address");
    e.text = "[location]";
    if (!title.empty()) e.text += " " + title;
    if (!address.empty()) e.text += (title.empty() ? " " : ", ") + address;
  } else if (type == "sticker") {
    e.text = fmt::format("[sticker] {}/{}", JsonId(m, "packageId"), JsonId(m, "stickerId"));
  } else {
    e.content_type = "unsupported";
    e.text = fmt::format("[unsupported message type '{}']", type);
  }
  if (e.text.empty()) e.text = fmt::format("[{}]", e.content_type);
}

class LineChannel final : public Channel {
 public:
  LineChannel(std::string api_base, std::string secret, std::string token)
      : api_base_(std::move(api_base)), secret_(std::move(secret)), token_(std::move(token)) {}

  std::string_view name() const override { return "line"; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.sends_per_second = 100;  // push: 2,000 requests per second per channel; stay well below
    return c;
  }

  Status VerifyWebhook(const HeaderLookup& headers, std::string_view raw_body) const override {
    std::string_view given = headers("x-line-signature");
    if (given.empty()) {
      return Status::Unauthenticated("missing x-line-signature header", "invalid_signature");
    }
    if (!crypto::ConstantTimeEquals(given,
                                    crypto::Base64Encode(crypto::HmacSha256(secret_, raw_body)))) {
      return Status::Unauthenticated("signature does not match", "invalid_signature");
    }
    return Status::Ok();
  }

  Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const override {
    MERIDIAN_ASSIGN_OR_RETURN(json body, ParseJsonObjectBody(raw_body));
    const json& events = JsonArray(body, "events");
    if (!events.is_array()) {
      return Status::Unprocessable("field 'events' is required and must be an array",
                                   "missing_field");
    }
    std::vector<InboundEvent> out;  // an empty list is LINE's "verify" request
    for (const json& ev : events) {
      if (JsonString(ev, "type") != "message") continue;  // follow, unfollow, postback...
      const json& source = JsonObject(ev, "source");
      InboundEvent e;
      // Who to answer: the group or room for group chats, else the user.
      e.sender_id = JsonString(source, "groupId");
      if (e.sender_id.empty()) e.sender_id = JsonString(source, "roomId");
      if (e.sender_id.empty()) e.sender_id = JsonString(source, "userId");
      const json& message = JsonObject(ev, "message");
      e.provider_message_id = JsonString(ev, "webhookEventId");
      if (e.provider_message_id.empty()) e.provider_message_id = JsonString(message, "id");
      if (e.sender_id.empty() || e.provider_message_id.empty()) continue;
      if (auto ts = ev.find("timestamp"); ts != ev.end() && ts->is_number_integer()) {
        e.sent_at = ts->get<int64_t>();  // LINE timestamps are milliseconds
      }
      e.reply_token = JsonString(ev, "replyToken");
      const json& ctx = JsonObject(ev, "deliveryContext");
      if (auto r = ctx.is_object() ? ctx.find("isRedelivery") : ctx.end();
          ctx.is_object() && r != ctx.end() && r->is_boolean()) {
        e.redelivery = r->get<bool>();
      }
      // A redelivered event's reply token is no longer usable.
      if (e.redelivery) e.reply_token.clear();
      ParseMessage(message, e);
      out.push_back(std::move(e));
    }
    FinishEvents(out);
    return out;
  }

  SendResult Send(const OutboundDelivery& d, HttpClient& http) const override {
    json payload = ParsePayload(d.payload_json);
    json messages = json::array({{{"type", "text"}, {"text", d.message.text}}});
    std::string reply_token = JsonString(payload, "reply_token");
    int64_t token_at = 0;
    if (auto at = payload.find("reply_token_at"); at != payload.end() && at->is_number_integer()) {
      token_at = at->get<int64_t>();
    }
    if (!reply_token.empty() && d.now - token_at < kLineReplyTokenMs) {
      HttpClientRequest req =
          Request("/v2/bot/message/reply", {{"replyToken", reply_token}, {"messages", messages}});
      SendResult r = SendAndClassify(http, req, "/sentMessages/0/id");
      // An expired or used token is a 400: fall back to a push.
      if (r.outcome != DeliveryOutcome::kPermanentFailure) return r;
    }
    HttpClientRequest req =
        Request("/v2/bot/message/push", {{"to", d.recipient_external_id}, {"messages", messages}});
    req.headers.emplace_back("X-Line-Retry-Key", RetryKey(d.message.id));
    auto response = http.Send(req);
    // 409: this retry key was accepted before; the push went out.
    if (response.ok() && response->status == 409) return {};
    return ClassifyWithId(response, "/sentMessages/0/id");
  }

 private:
  HttpClientRequest Request(std::string_view path, const json& body) const {
    HttpClientRequest req;
    req.url = api_base_ + std::string(path);
    req.body = body.dump();
    req.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token_}};
    return req;
  }

 public:
  // Content of an image/video/audio/file message
  // (https://developers.line.biz/en/reference/messaging-api/#get-content):
  // GET {data api}/v2/bot/message/{messageId}/content with the channel access token. The data
  // API lives on api-data.line.me; a configured api_base (a stub) serves both.
  Result<FetchedMedia> FetchMedia(const MediaSource& source, HttpClient& http,
                                  int64_t max_bytes) const override {
    if (source.id.empty()) return Status::NotFound("no message id", "no_media");
    std::string base = api_base_ == "https://api.line.me" ? "https://api-data.line.me" : api_base_;
    return FetchMediaUrl(http, fmt::format("{}/v2/bot/message/{}/content", base, source.id),
                         {{"Authorization", "Bearer " + token_}}, "the content request", max_bytes);
  }

 private:
  std::string api_base_, secret_, token_;
};

class LineChannelFactory final : public ChannelFactory {
 public:
  Result<std::unique_ptr<Channel>> Create(const Inbox& inbox) const override {
    MERIDIAN_ASSIGN_OR_RETURN(ProviderSettings s, ReadProviderSettings(inbox));
    MERIDIAN_ASSIGN_OR_RETURN(std::string base, s.ApiBase("https://api.line.me"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string secret, s.Secret("channel_secret"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string token, s.Secret("channel_access_token"));
    return std::unique_ptr<Channel>(
        new LineChannel(std::move(base), std::move(secret), std::move(token)));
  }
};

}  // namespace

std::unique_ptr<ChannelFactory> MakeLineChannelFactory() {
  return std::make_unique<LineChannelFactory>();
}

}  // namespace meridian::channels
