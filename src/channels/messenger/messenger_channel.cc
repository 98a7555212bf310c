#include "channels/messenger/messenger_channel.h"

#include <fmt/format.h>

#include <algorithm>

#include "channels/common/meta.h"
#include "channels/common/provider.h"
#include "channels/policy/window_policy.h"

namespace meridian::channels {

namespace {

using nlohmann::json;

// One messaging[] item that is a customer's message; false for anything else.
bool ParseMessage(const json& item, InboundEvent& e) {
  const json& m = JsonObject(item, "message");
  if (!m.is_object()) return false;
  if (auto echo = m.find("is_echo"); echo != m.end() && echo->is_boolean() && echo->get<bool>()) {
    return false;  // our own send, echoed back
  }
  e.provider_message_id = JsonString(m, "mid");
  e.sender_id = JsonId(JsonObject(item, "sender"), "id");
  if (e.provider_message_id.empty() || e.sender_id.empty()) return false;
  if (auto ts = item.find("timestamp"); ts != item.end() && ts->is_number_integer()) {
    e.sent_at = ts->get<int64_t>();  // milliseconds
  }
  e.reply_to_provider_id = JsonString(JsonObject(m, "reply_to"), "mid");
  e.text = JsonString(m, "text");
  const json& attachments = JsonArray(m, "attachments");
  if (attachments.is_array() && !attachments.empty()) {
    const json& a = attachments.front();
    std::string type = JsonString(a, "type");
    const json& payload = JsonObject(a, "payload");
    if (type == "location") {
      e.content_type = "location";
      const json& c = JsonObject(payload, "coordinates");
      if (c.is_object() && c.contains("lat") && c["lat"].is_number())
        e.latitude = c["lat"].get<double>();
      if (c.is_object() && c.contains("long") && c["long"].is_number())
        e.longitude = c["long"].get<double>();
    } else {
      e.content_type = type == "file" ? "document" : type;
      e.media_url = JsonString(payload, "url");
    }
    if (e.text.empty()) e.text = fmt::format("[{}]", e.content_type);
  }
  if (e.text.empty()) {
    e.content_type = "unsupported";
    e.text = "[unsupported message]";
  }
  return true;
}

// A delivery or read receipt (message_deliveries, message_reads; Instagram's messaging_seen):
// per message when it names mids (or a mid), and for every earlier message by its watermark
// ("all messages that were sent before or at this timestamp").
void ParseReceipt(const json& item, const json& receipt, DeliveryStatus status,
                  std::vector<InboundEvent>& out) {
  std::string sender = JsonId(JsonObject(item, "sender"), "id");
  TimestampMs watermark = 0;  // milliseconds, like every Messenger timestamp
  if (auto w = receipt.find("watermark"); w != receipt.end() && w->is_number_integer()) {
    watermark = std::max<int64_t>(0, w->get<int64_t>());
  }
  auto add = [&](std::string mid, TimestampMs through) {
    InboundEvent s;
    s.kind = InboundKind::kStatus;
    s.provider_message_id = std::move(mid);
    s.status = status;
    s.sender_id = sender;
    s.watermark = through;
    s.sent_at = watermark;
    out.push_back(std::move(s));
  };
  for (const json& mid : JsonArray(receipt, "mids")) {
    if (mid.is_string() && !mid.get_ref<const std::string&>().empty()) {
      add(mid.get<std::string>(), 0);
    }
  }
  if (std::string mid = JsonString(receipt, "mid"); !mid.empty()) add(mid, 0);
  if (watermark > 0 && !sender.empty()) add("", watermark);
}

class MetaMessagingChannel final : public meta::MetaChannel {
 public:
  MetaMessagingChannel(std::string name, std::string object, std::string page_id,
                       std::string api_base, std::string token, std::string app_secret,
                       std::string verify_token)
      : MetaChannel(std::move(app_secret), std::move(verify_token)),
        name_(std::move(name)),
        object_(std::move(object)),
        page_id_(std::move(page_id)),
        api_base_(std::move(api_base)),
        token_(std::move(token)) {}

  std::string_view name() const override { return name_; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.window = {.free_form_ms = kDayMs, .human_agent_ms = 7 * kDayMs, .templates_outside = false};
    c.sends_per_second = 40;
    // Messenger takes a file by upload with the send; Instagram only by a public URL.
    c.sends_attachments = name_ == "messenger";
    c.file_captions = false;
    return c;
  }

  Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const override {
    MERIDIAN_ASSIGN_OR_RETURN(json entries, ParseEntries(raw_body, object_));
    std::vector<InboundEvent> out;
    for (const json& entry : entries) {
      for (const json& item : JsonArray(entry, "messaging")) {
        InboundEvent e;
        if (ParseMessage(item, e)) {
          out.push_back(std::move(e));
          continue;
        }
        if (const json& delivery = JsonObject(item, "delivery"); delivery.is_object()) {
          ParseReceipt(item, delivery, DeliveryStatus::kDelivered, out);
          continue;
        }
        if (const json& read = JsonObject(item, "read"); read.is_object()) {
          ParseReceipt(item, read, DeliveryStatus::kRead, out);
          continue;
        }
        if (const json& r = JsonObject(item, "reaction"); r.is_object()) {
          InboundEvent x;
          x.content_type = "reaction";
          x.sender_id = JsonId(JsonObject(item, "sender"), "id");
          x.reply_to_provider_id = JsonString(r, "mid");
          bool unreact = JsonString(r, "action") == "unreact";
          x.reaction = unreact ? "" : JsonString(r, "emoji");
          x.text = unreact ? "[reaction removed]" : "[reaction] " + x.reaction;
          if (auto ts = item.find("timestamp"); ts != item.end() && ts->is_number_integer()) {
            x.sent_at = ts->get<int64_t>();
          }
          // Reactions have no id of their own: the target, who, what and when identify one.
          x.provider_message_id = fmt::format("reaction:{}:{}:{}:{}", x.reply_to_provider_id,
                                              x.sender_id, JsonString(r, "action"), x.sent_at);
          if (!x.sender_id.empty() && !x.reply_to_provider_id.empty()) out.push_back(std::move(x));
        }
      }
    }
    FinishEvents(out);
    return out;
  }

  SendResult Send(const OutboundDelivery& d, HttpClient& http) const override {
    json payload = ParsePayload(d.payload_json);
    std::string type = JsonString(payload, "messaging_type");
    json body = {{"recipient", {{"id", d.recipient_external_id}}},
                 {"messaging_type", type.empty() ? "RESPONSE" : type},
                 {"message", {{"text", d.message.text}}}};
    if (std::string tag = JsonString(payload, "tag"); !tag.empty()) body["tag"] = tag;
    HttpClientRequest req;
    req.url = fmt::format("{}/{}/messages", api_base_, page_id_);
    req.headers = {{"Authorization", "Bearer " + token_}};
    if (d.files.empty()) {
      req.body = body.dump();
      req.headers.emplace_back("Content-Type", "application/json");
    } else {
      // A file uploaded with the send (Send API, "attachment from your computer"): form fields
      // recipient, messaging_type, tag, message {attachment {type, payload}} and filedata.
      const OutboundFile& file = d.files.front();
      bool image = file.content_type == "image/jpeg" || file.content_type == "image/png" ||
                   file.content_type == "image/gif";
      body["message"] = {
          {"attachment",
           {{"type", image ? "image" : "file"}, {"payload", {{"is_reusable", false}}}}}};
      std::vector<FormPart> parts;
      for (const auto& [key, value] : body.items()) {
        parts.push_back({key, value.is_string() ? value.get<std::string>() : value.dump(), "", ""});
      }
      parts.push_back({"filedata", file.bytes, file.filename.empty() ? "file" : file.filename,
                       file.content_type});
      auto [content_type, form] = EncodeMultipart(parts);
      req.body = std::move(form);
      req.headers.emplace_back("Content-Type", content_type);
      req.timeout_ms = 60'000;
    }
    return meta::SendGraph(http, req, "/message_id");
  }

  // Attachments carry a CDN URL in payload.url (Messenger Platform webhook reference,
  // messages: attachments[].payload.url); it is fetched as given, without a token.
  Result<FetchedMedia> FetchMedia(const MediaSource& source, HttpClient& http,
                                  int64_t max_bytes) const override {
    if (source.url.empty()) return Status::NotFound("no media URL", "no_media");
    return FetchMediaUrl(http, source.url, {}, "the attachment URL", max_bytes);
  }

 private:
  std::string name_, object_, page_id_, api_base_, token_;
};

class MetaMessagingChannelFactory final : public ChannelFactory {
 public:
  MetaMessagingChannelFactory(std::string name, std::string object)
      : name_(std::move(name)), object_(std::move(object)) {}

  Result<std::unique_ptr<Channel>> Create(const Inbox& inbox) const override {
    MERIDIAN_ASSIGN_OR_RETURN(ProviderSettings s, ReadProviderSettings(inbox));
    MERIDIAN_ASSIGN_OR_RETURN(std::string page, s.Config("page_id"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string base, s.ApiBase("https://graph.facebook.com/v21.0"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string token, s.Secret("page_access_token"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string app_secret, s.Secret("app_secret"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string verify, s.Secret("verify_token"));
    return std::unique_ptr<Channel>(
        new MetaMessagingChannel(name_, object_, std::move(page), std::move(base), std::move(token),
                                 std::move(app_secret), std::move(verify)));
  }

 private:
  std::string name_, object_;
};

}  // namespace

std::unique_ptr<ChannelFactory> MakeMetaMessagingChannelFactory(std::string name,
                                                                std::string object) {
  return std::make_unique<MetaMessagingChannelFactory>(std::move(name), std::move(object));
}

std::unique_ptr<ChannelFactory> MakeMessengerChannelFactory() {
  return MakeMetaMessagingChannelFactory("messenger", "page");
}

}  // namespace meridian::channels
