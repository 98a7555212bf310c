#include "channels/telegram/telegram_channel.h"

#include <fmt/format.h>

#include "channels/common/provider.h"
#include "core/crypto.h"

namespace meridian::channels {

namespace {

using nlohmann::json;

std::string FullName(const json& user) {
  std::string name = JsonString(user, "first_name");
  std::string last = JsonString(user, "last_name");
  if (!last.empty()) name += (name.empty() ? "" : " ") + last;
  if (name.empty()) name = JsonString(user, "username");
  if (name.empty()) name = JsonString(user, "title");  // groups and channels
  return name;
}

// The biggest (last) photo size of a `photo` array.
const json& LargestPhoto(const json& photos) {
  static const json kNull;
  return photos.is_array() && !photos.empty() ? photos.back() : kNull;
}

void ParseMessage(const json& m, InboundEvent& e) {
  const json& chat = JsonObject(m, "chat");
  e.sender_id = JsonId(chat, "id");
  e.sender_name = FullName(JsonObject(m, "from"));
  if (e.sender_name.empty()) e.sender_name = FullName(chat);
  e.sent_at = JsonSeconds(m, "date");
  e.reply_to_provider_id = JsonId(JsonObject(m, "reply_to_message"), "message_id");
  std::string caption = JsonString(m, "caption");
  if (m.contains("text")) {
    e.text = JsonString(m, "text");
    return;
  }
  if (const json& photo = LargestPhoto(JsonArray(m, "photo")); photo.is_object()) {
    e.content_type = "image";
    e.media_id = JsonString(photo, "file_id");
    e.text = caption.empty() ? "[image]" : caption;
    return;
  }
  struct Kind {
    const char* field;
    const char* type;
  };
  for (Kind k : {Kind{"document", "document"}, Kind{"video", "video"}, Kind{"audio", "audio"},
                 Kind{"voice", "audio"}, Kind{"sticker", "sticker"}, Kind{"animation", "video"}}) {
    const json& obj = JsonObject(m, k.field);
    if (!obj.is_object()) continue;
    e.content_type = k.type;
    e.media_id = JsonString(obj, "file_id");
    e.media_mime = JsonString(obj, "mime_type");
    std::string label = JsonString(obj, "file_name");
    if (label.empty()) label = JsonString(obj, "emoji");
    e.text = !caption.empty() ? caption
                              : fmt::format("[{}]{}", k.type, label.empty() ? "" : " " + label);
    return;
  }
  if (const json& loc = JsonObject(m, "location"); loc.is_object()) {
    e.content_type = "location";
    if (loc.contains("latitude") && loc["latitude"].is_number())
      e.latitude = loc["latitude"].get<double>();
    if (loc.contains("longitude") && loc["longitude"].is_number())
      e.longitude = loc["longitude"].get<double>();
    e.text = e.latitude && e.longitude
                 ? fmt::format("[location] ({}, {})", *e.latitude, *e.longitude)
                 : "[location]";
    return;
  }
  if (const json& contact = JsonObject(m, "contact"); contact.is_object()) {
    e.content_type = "contacts";
    e.text = fmt::format("[contact] {} {}", FullName(contact), JsonString(contact, "phone_number"));
    return;
  }
  e.content_type = "unsupported";
  e.text = "[unsupported message]";
}

// Photos the Bot API takes by upload are at most 10 MB; larger images go as documents.
constexpr size_t kMaxPhotoBytes = 10 << 20;

class TelegramChannel final : public Channel {
 public:
  TelegramChannel(std::string api_base, std::string bot_token, std::string secret_token)
      : api_base_(std::move(api_base)),
        bot_token_(std::move(bot_token)),
        secret_token_(std::move(secret_token)) {}

  std::string_view name() const override { return "telegram"; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.sends_per_second = 30;  // Bot API broadcast limit
    c.sends_attachments = true;
    c.max_caption_chars = 1024;
    return c;
  }

  Status VerifyWebhook(const HeaderLookup& headers, std::string_view) const override {
    std::string_view given = headers("x-telegram-bot-api-secret-token");
    if (given.empty()) {
      return Status::Unauthenticated("missing X-Telegram-Bot-Api-Secret-Token header",
                                     "invalid_signature");
    }
    if (!crypto::ConstantTimeEquals(given, secret_token_)) {
      return Status::Unauthenticated("secret token does not match", "invalid_signature");
    }
    return Status::Ok();
  }

  Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const override {
    MERIDIAN_ASSIGN_OR_RETURN(json update, ParseJsonObjectBody(raw_body));
    std::string update_id = JsonId(update, "update_id");
    if (update_id.empty()) {
      return Status::Unprocessable("field 'update_id' is required", "missing_field");
    }
    std::vector<InboundEvent> out;
    InboundEvent e;
    e.provider_message_id = "update:" + update_id;
    if (const json& m = JsonObject(update, "message"); m.is_object()) {
      ParseMessage(m, e);
    } else if (const json& edited = JsonObject(update, "edited_message"); edited.is_object()) {
      ParseMessage(edited, e);
      e.reply_to_provider_id = JsonId(edited, "message_id");
      e.text = "[edited] " + e.text;
    } else if (const json& r = JsonObject(update, "message_reaction"); r.is_object()) {
      e.content_type = "reaction";
      e.sender_id = JsonId(JsonObject(r, "chat"), "id");
      e.sender_name = FullName(JsonObject(r, "user"));
      e.sent_at = JsonSeconds(r, "date");
      e.reply_to_provider_id = JsonId(r, "message_id");
      const json& added = JsonArray(r, "new_reaction");
      e.reaction = added.is_array() && !added.empty() ? JsonString(added.front(), "emoji") : "";
      e.text = e.reaction.empty() ? "[reaction removed]" : "[reaction] " + e.reaction;
    } else {
      return out;  // callback queries, chat member updates...: nothing for agents
    }
    if (e.sender_id.empty()) {
      return Status::Unprocessable("field 'message.chat.id' is required", "missing_field");
    }
    out.push_back(std::move(e));
    FinishEvents(out);
    return out;
  }

  SendResult Send(const OutboundDelivery& d, HttpClient& http) const override {
    json payload = ParsePayload(d.payload_json);
    std::string quoted = JsonString(payload, "reply_to");
    HttpClientRequest req;
    if (d.files.empty()) {
      json body = {{"chat_id", d.recipient_external_id}, {"text", d.message.text}};
      if (!quoted.empty()) body["reply_parameters"] = {{"message_id", quoted}};
      req.url = fmt::format("{}/bot{}/sendMessage", api_base_, bot_token_);
      req.body = body.dump();
      req.headers = {{"Content-Type", "application/json"}};
    } else {
      // A file from the agent, uploaded with the send (multipart/form-data): JPEG and PNG up to
      // 10 MB as a photo, anything else as a document
      // (https://core.telegram.org/bots/api#sendphoto, #senddocument).
      const OutboundFile& file = d.files.front();
      bool photo = (file.content_type == "image/jpeg" || file.content_type == "image/png") &&
                   file.bytes.size() <= kMaxPhotoBytes;
      std::vector<FormPart> parts = {{"chat_id", d.recipient_external_id, "", ""}};
      if (std::string caption = FileCaption(d); !caption.empty()) {
        parts.push_back({"caption", caption, "", ""});
      }
      if (!quoted.empty()) {
        parts.push_back({"reply_parameters", json{{"message_id", quoted}}.dump(), "", ""});
      }
      parts.push_back({photo ? "photo" : "document", file.bytes,
                       file.filename.empty() ? "file" : file.filename, file.content_type});
      auto [content_type, body] = EncodeMultipart(parts);
      req.url =
          fmt::format("{}/bot{}/{}", api_base_, bot_token_, photo ? "sendPhoto" : "sendDocument");
      req.body = std::move(body);
      req.headers = {{"Content-Type", content_type}};
      req.timeout_ms = 60'000;
    }
    auto response = http.Send(req);
    SendResult r = ClassifyHttpResult(response);
    if (!response.ok()) return r;
    json answer = json::parse(response->body, nullptr, false);
    if (r.outcome == DeliveryOutcome::kDelivered) {
      std::string id = JsonId(JsonObject(answer, "result"), "message_id");
      if (!id.empty())
        r.provider_message_id = fmt::format("msg:{}:{}", d.recipient_external_id, id);
    } else if (!r.retry_after_ms) {
      // 429 answers carry the delay in the body: {"parameters": {"retry_after": 5}}.
      const json& params = JsonObject(answer, "parameters");
      if (auto it = params.is_object() ? params.find("retry_after") : params.end();
          params.is_object() && it != params.end() && it->is_number_integer()) {
        r.retry_after_ms = it->get<int64_t>() * 1000;
      }
    }
    // Never echo the bot token (it is part of the URL) into errors shown to agents.
    return r;
  }

 private:
  // getFile (https://core.telegram.org/bots/api#getfile) gives file_path (and file_size);
  // the file is at {api_base}/file/bot<token>/<file_path>. Bots may download up to 20 MB.
  Result<FetchedMedia> FetchMedia(const MediaSource& source, HttpClient& http,
                                  int64_t max_bytes) const override {
    if (source.id.empty()) return Status::NotFound("no file id", "no_media");
    HttpClientRequest req;
    req.url = fmt::format("{}/bot{}/getFile", api_base_, bot_token_);
    req.headers = {{"Content-Type", "application/json"}};
    req.body = json{{"file_id", source.id}}.dump();
    req.max_response_bytes = kMaxProviderAnswerBytes;
    MERIDIAN_ASSIGN_OR_RETURN(HttpClientResponse res, http.Send(req));
    // A file over the bots' 20 MB limit or an unknown file_id is a 400: never retried.
    if (res.status < 200 || res.status >= 300) return ProviderHttpError(res, "getFile");
    json answer = json::parse(res.body, nullptr, false);
    const json& file = answer.is_object() ? JsonObject(answer, "result") : answer;
    std::string path = file.is_object() ? JsonString(file, "file_path") : std::string();
    if (path.empty()) return Status::Unavailable("the getFile answer has no file_path");
    FetchedMedia out;
    if (auto it = file.find("file_size"); it != file.end() && it->is_number_integer()) {
      out.size = it->get<int64_t>();
    }
    if (out.size > max_bytes) return out;
    return FetchMediaUrl(http, fmt::format("{}/file/bot{}/{}", api_base_, bot_token_, path), {},
                         "the file download", max_bytes);
  }

 private:
  std::string api_base_, bot_token_, secret_token_;
};

class TelegramChannelFactory final : public ChannelFactory {
 public:
  Result<std::unique_ptr<Channel>> Create(const Inbox& inbox) const override {
    MERIDIAN_ASSIGN_OR_RETURN(ProviderSettings s, ReadProviderSettings(inbox));
    MERIDIAN_ASSIGN_OR_RETURN(std::string base, s.ApiBase("https://api.telegram.org"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string bot, s.Secret("bot_token"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string secret, s.Secret("secret_token"));
    return std::unique_ptr<Channel>(
        new TelegramChannel(std::move(base), std::move(bot), std::move(secret)));
  }
};

}  // namespace

std::unique_ptr<ChannelFactory> MakeTelegramChannelFactory() {
  return std::make_unique<TelegramChannelFactory>();
}

}  // namespace meridian::channels
