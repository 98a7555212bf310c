#include "channels/whatsapp/whatsapp_channel.h"

#include <fmt/format.h>

#include "channels/common/meta.h"
#include "channels/common/provider.h"
#include "channels/policy/window_policy.h"
#include "channels/whatsapp/templates.h"
#include "core/crypto.h"

namespace meridian::channels {

namespace {

using nlohmann::json;

std::optional<DeliveryStatus> ParseStatus(std::string_view s) {
  if (s == "sent") return DeliveryStatus::kSent;
  if (s == "delivered") return DeliveryStatus::kDelivered;
  if (s == "read") return DeliveryStatus::kRead;
  if (s == "failed") return DeliveryStatus::kFailed;
  return std::nullopt;  // "deleted", "warning", ...: not a delivery status we track
}

std::string ErrorText(const json& holder) {
  const json& errors = JsonArray(holder, "errors");
  if (!errors.is_array() || errors.empty()) return {};
  const json& e = errors.front();
  std::string title = JsonString(e, "title");
  if (title.empty()) title = JsonString(e, "message");
  return fmt::format("{} {}", JsonId(e, "code"), title);
}

const char* const kMediaTypes[] = {"image", "audio", "video", "document", "sticker"};

// One entry of value.messages into an event; false when the message is not usable.
bool ParseMessage(const json& m, const std::map<std::string, std::string>& names, InboundEvent& e) {
  e.provider_message_id = JsonString(m, "id");
  std::string from = JsonString(m, "from");
  if (e.provider_message_id.empty() || from.empty()) return false;
  e.sender_id = NormalizeE164(from);
  // WhatsApp proved the number when the customer registered it: a verified phone (CH8).
  if (!e.sender_id.empty()) e.claims.push_back({AttributeKind::kPhone, e.sender_id, true});
  if (e.sender_id.empty()) e.sender_id = from;
  if (auto n = names.find(from); n != names.end()) e.sender_name = n->second;
  e.sent_at = JsonSeconds(m, "timestamp");
  e.reply_to_provider_id = JsonString(JsonObject(m, "context"), "id");
  std::string type = JsonString(m, "type");
  e.content_type = type.empty() ? "unsupported" : type;
  if (type == "text") {
    e.text = JsonString(JsonObject(m, "text"), "body");
  } else if (type == "location") {
    const json& loc = JsonObject(m, "location");
    if (auto lat = loc.find("latitude"); loc.is_object() && lat != loc.end() && lat->is_number())
      e.latitude = lat->get<double>();
    if (auto lon = loc.find("longitude"); loc.is_object() && lon != loc.end() && lon->is_number())
      e.longitude = lon->get<double>();
    std::string name = JsonString(loc, "name");
    std::string address = JsonString(loc, "address");
    e.text = "[location]";
    if (!name.empty()) e.text += " " + name;
    if (!address.empty()) e.text += (name.empty() ? " " : ", ") + address;
    if (e.latitude && e.longitude) e.text += fmt::format(" ({}, {})", *e.latitude, *e.longitude);
  } else if (type == "reaction") {
    const json& r = JsonObject(m, "reaction");
    e.reply_to_provider_id = JsonString(r, "message_id");
    e.reaction = JsonString(r, "emoji");
    e.text = e.reaction.empty() ? "[reaction removed]" : "[reaction] " + e.reaction;
  } else if (type == "button") {
    e.text = JsonString(JsonObject(m, "button"), "text");
  } else if (type == "interactive") {
    const json& i = JsonObject(m, "interactive");
    std::string title = JsonString(JsonObject(i, "button_reply"), "title");
    if (title.empty()) title = JsonString(JsonObject(i, "list_reply"), "title");
    e.text = title;
  } else {
    bool media = false;
    for (const char* t : kMediaTypes) media = media || type == t;
    if (media) {
      const json& obj = JsonObject(m, type);
      e.media_id = JsonString(obj, "id");
      e.media_mime = JsonString(obj, "mime_type");
      std::string caption = JsonString(obj, "caption");
      std::string filename = JsonString(obj, "filename");
      e.text = !caption.empty() ? caption : fmt::format("[{}]", type);
      if (caption.empty() && !filename.empty()) e.text += " " + filename;
    } else {
      e.content_type = "unsupported";
      std::string err = ErrorText(m);
      e.text = err.empty() ? fmt::format("[unsupported message type '{}']", type)
                           : "[unsupported message] " + err;
    }
  }
  if (e.text.empty()) e.text = fmt::format("[{}]", e.content_type);
  return true;
}

// Images WhatsApp shows inline are at most 5 MB; larger ones are sent as documents.
constexpr size_t kMaxImageBytes = 5 << 20;

class WhatsAppChannel final : public meta::MetaChannel {
 public:
  WhatsAppChannel(std::string phone_number_id, std::string business_account_id,
                  std::string api_base, std::string access_token, std::string app_secret,
                  std::string verify_token)
      : MetaChannel(std::move(app_secret), std::move(verify_token)),
        phone_number_id_(std::move(phone_number_id)),
        business_account_id_(std::move(business_account_id)),
        api_base_(std::move(api_base)),
        access_token_(std::move(access_token)) {}

  std::string_view name() const override { return "whatsapp"; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.window = {.free_form_ms = kDayMs, .human_agent_ms = 0, .templates_outside = true};
    c.sends_per_second = 80;  // Cloud API default throughput per phone number
    c.sends_attachments = true;
    c.max_caption_chars = 1024;
    return c;
  }

  Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const override {
    MERIDIAN_ASSIGN_OR_RETURN(json entries, ParseEntries(raw_body, "whatsapp_business_account"));
    std::vector<InboundEvent> out;
    for (const json& entry : entries) {
      for (const json& change : JsonArray(entry, "changes")) {
        if (JsonString(change, "field") != "messages") continue;
        const json& value = JsonObject(change, "value");
        std::string pnid = JsonString(JsonObject(value, "metadata"), "phone_number_id");
        // A business account may hold several numbers; only this inbox's number is ours.
        if (!pnid.empty() && pnid != phone_number_id_) continue;
        std::map<std::string, std::string> names;
        for (const json& c : JsonArray(value, "contacts")) {
          names[JsonString(c, "wa_id")] = JsonString(JsonObject(c, "profile"), "name");
        }
        for (const json& m : JsonArray(value, "messages")) {
          InboundEvent e;
          if (ParseMessage(m, names, e)) out.push_back(std::move(e));
        }
        for (const json& s : JsonArray(value, "statuses")) {
          auto status = ParseStatus(JsonString(s, "status"));
          std::string id = JsonString(s, "id");
          if (!status || id.empty()) continue;
          InboundEvent e;
          e.kind = InboundKind::kStatus;
          e.provider_message_id = id;
          e.status = status;
          e.sent_at = JsonSeconds(s, "timestamp");
          e.sender_id = NormalizeE164(JsonString(s, "recipient_id"));
          e.status_error = ErrorText(s);
          out.push_back(std::move(e));
        }
      }
    }
    FinishEvents(out);
    return out;
  }

  SendResult Send(const OutboundDelivery& d, HttpClient& http) const override {
    json payload = ParsePayload(d.payload_json);
    std::string to = d.recipient_external_id;
    if (!to.empty() && to[0] == '+') to.erase(0, 1);
    json body = {{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", to}};
    if (const json& t = JsonObject(payload, "template"); t.is_object()) {
      json parameters = json::array();
      for (const json& p : JsonArray(t, "parameters")) {
        if (p.is_string()) parameters.push_back({{"type", "text"}, {"text", p}});
      }
      json tmpl = {{"name", JsonString(t, "name")},
                   {"language", {{"code", JsonString(t, "language")}}}};
      if (!parameters.empty()) {
        tmpl["components"] = json::array({{{"type", "body"}, {"parameters", parameters}}});
      }
      body["type"] = "template";
      body["template"] = tmpl;
    } else if (!d.files.empty()) {
      // A file from the agent: uploaded first, then sent by its media id. JPEG and PNG up to
      // 5 MB are images (shown inline); anything else goes as a document with its name.
      const OutboundFile& file = d.files.front();
      SendResult uploaded = UploadMedia(file, http);
      if (uploaded.outcome != DeliveryOutcome::kDelivered) return uploaded;
      bool image = (file.content_type == "image/jpeg" || file.content_type == "image/png") &&
                   file.bytes.size() <= kMaxImageBytes;
      std::string type = image ? "image" : "document";
      json obj = {{"id", uploaded.provider_message_id}};
      if (std::string caption = FileCaption(d); !caption.empty()) obj["caption"] = caption;
      if (!image && !file.filename.empty()) obj["filename"] = file.filename;
      body["type"] = type;
      body[type] = obj;
    } else if (const json& media = JsonObject(payload, "media"); media.is_object()) {
      std::string type = JsonString(media, "type");
      json obj = json::object();
      for (const char* key : {"link", "id", "caption", "filename"}) {
        if (std::string v = JsonString(media, key); !v.empty()) obj[key] = v;
      }
      body["type"] = type;
      body[type] = obj;
    } else {
      body["type"] = "text";
      body["text"] = {{"preview_url", false}, {"body", d.message.text}};
    }
    if (std::string quoted = JsonString(payload, "reply_to"); !quoted.empty()) {
      body["context"] = {{"message_id", quoted}};
    }
    HttpClientRequest req;
    req.url = fmt::format("{}/{}/messages", api_base_, phone_number_id_);
    req.body = body.dump();
    req.headers = {{"Content-Type", "application/json"},
                   {"Authorization", "Bearer " + access_token_}};
    return meta::SendGraph(http, req, "/messages/0/id");
  }

  // POST /{phone-number-id}/media, multipart: messaging_product, type and file
  // (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#upload-media).
  // Answers {"id"}; on success the id is in provider_message_id.
  SendResult UploadMedia(const OutboundFile& file, HttpClient& http) const {
    auto [content_type, body] = EncodeMultipart(
        {{"messaging_product", "whatsapp", "", ""},
         {"type", file.content_type, "", ""},
         {"file", file.bytes, file.filename.empty() ? "file" : file.filename, file.content_type}});
    HttpClientRequest req;
    req.url = fmt::format("{}/{}/media", api_base_, phone_number_id_);
    req.body = std::move(body);
    req.headers = {{"Content-Type", content_type}, {"Authorization", "Bearer " + access_token_}};
    req.timeout_ms = 60'000;  // up to 16 MB over the uplink
    SendResult r = meta::SendGraph(http, req, "/id");
    if (r.outcome == DeliveryOutcome::kDelivered && r.provider_message_id.empty()) {
      r.outcome = DeliveryOutcome::kRetry;
      r.error = "the media upload answered without an id";
    }
    if (r.outcome != DeliveryOutcome::kDelivered) r.error = "media upload: " + r.error;
    return r;
  }

  // Media in two steps (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media):
  // GET /{media-id}?phone_number_id=.. answers {url, mime_type, sha256, file_size}; the url is
  // then fetched with the same bearer token. The bytes must match the announced sha256.
  Result<FetchedMedia> FetchMedia(const MediaSource& source, HttpClient& http,
                                  int64_t max_bytes) const override {
    if (source.id.empty()) return Status::NotFound("no media id", "no_media");
    std::vector<std::pair<std::string, std::string>> auth = {
        {"Authorization", "Bearer " + access_token_}};
    MERIDIAN_ASSIGN_OR_RETURN(
        std::string info_body,
        FetchUrl(http,
                 fmt::format("{}/{}?phone_number_id={}", api_base_, source.id, phone_number_id_),
                 auth, "the media URL request"));
    json info = json::parse(info_body, nullptr, false);
    std::string url = info.is_object() ? JsonString(info, "url") : std::string();
    if (url.empty()) return Status::Unavailable("the media URL answer has no url");
    FetchedMedia out;
    if (auto it = info.find("file_size"); it != info.end()) {
      if (it->is_number_integer()) out.size = it->get<int64_t>();
      if (it->is_string()) out.size = std::atoll(it->get<std::string>().c_str());
    }
    if (out.size > max_bytes) return out;  // described, not downloaded
    MERIDIAN_ASSIGN_OR_RETURN(out, FetchMediaUrl(http, url, auth, "the media download", max_bytes));
    std::string sha = JsonString(info, "sha256");
    if (!out.bytes.empty() && !sha.empty() && sha != crypto::HexEncode(crypto::Sha256(out.bytes))) {
      return Status::Unavailable("the downloaded media does not match its sha256");
    }
    return out;
  }

  // GET {api_base}/{WABA-ID}/message_templates with the bearer token, page after page
  // (templates.h). The next page is asked for by its `after` cursor at our own api_base, never
  // at the URL a response names, so the token only ever goes to the configured host.
  Result<TemplateCatalog> FetchTemplates(HttpClient& http) const override {
    if (business_account_id_.empty()) {
      return Status::Unprocessable(
          "this inbox has no business_account_id (the WhatsApp Business Account id) to list "
          "templates with",
          "missing_field");
    }
    TemplateCatalog catalog;
    std::string after;
    for (int page = 0; page < kMaxTemplatePages; ++page) {
      std::vector<std::pair<std::string, std::string>> query = {
          {"fields", "name,language,status,category,components"}, {"limit", "100"}};
      if (!after.empty()) query.emplace_back("after", after);
      HttpClientRequest req;
      req.method = "GET";
      req.url = fmt::format("{}/{}/message_templates?{}", api_base_, business_account_id_,
                            FormEncode(query));
      req.headers = {{"Authorization", "Bearer " + access_token_}};
      req.max_response_bytes = kMaxProviderAnswerBytes * 8;
      MERIDIAN_ASSIGN_OR_RETURN(HttpClientResponse res, http.Send(req));
      if (res.status < 200 || res.status >= 300) {
        // Graph's own words ("Error validating access token ...") say what to fix.
        json error = json::parse(res.body, nullptr, false);
        std::string said = JsonString(JsonObject(error, "error"), "message");
        return ProviderHttpError(res, "the template list", said.substr(0, 300));
      }
      if (res.oversize_bytes > 0) return Status::Unavailable("the template list page is too large");
      MERIDIAN_ASSIGN_OR_RETURN(after, whatsapp::AddTemplatePage(res.body, catalog));
      if (after.empty()) return catalog;
    }
    return Status::Unavailable(
        fmt::format("the template list has more than {} pages", kMaxTemplatePages));
  }

 private:
  static constexpr int kMaxTemplatePages = 50;
  std::string phone_number_id_, business_account_id_, api_base_, access_token_;
};

class WhatsAppChannelFactory final : public ChannelFactory {
 public:
  Result<std::unique_ptr<Channel>> Create(const Inbox& inbox) const override {
    MERIDIAN_ASSIGN_OR_RETURN(ProviderSettings s, ReadProviderSettings(inbox));
    MERIDIAN_ASSIGN_OR_RETURN(std::string pnid, s.Config("phone_number_id"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string base, s.ApiBase("https://graph.facebook.com/v21.0"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string token, s.Secret("access_token"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string app_secret, s.Secret("app_secret"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string verify, s.Secret("verify_token"));
    std::string waba = JsonId(s.config, "business_account_id");
    return std::unique_ptr<Channel>(new WhatsAppChannel(std::move(pnid), std::move(waba),
                                                        std::move(base), std::move(token),
                                                        std::move(app_secret), std::move(verify)));
  }
};

}  // namespace

std::unique_ptr<ChannelFactory> MakeWhatsAppChannelFactory() {
  return std::make_unique<WhatsAppChannelFactory>();
}

}  // namespace meridian::channels
