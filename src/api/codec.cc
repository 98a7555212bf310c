#include "api/codec.h"

#include <fmt/format.h>

#include <charconv>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "channels/webchat/webchat_channel.h"
#include "core/text.h"
#include "nlp/pii/pii.h"

namespace meridian::api {

json ToJson(const Agent& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"email", a.email},
          {"role", RoleName(a.role)},
          {"language", a.language},
          {"translation_language",
           a.translation_language.empty() ? json(nullptr) : json(a.translation_language)}};
}

json ToJson(const ConversationView& c, bool mask_sensitive) {
  json out = {{"id", c.id},
              {"status", ConversationStatusName(c.status)},
              {"inbox", {{"id", c.inbox_id}, {"name", c.inbox_name}, {"channel", c.channel}}},
              {"contact", {{"id", c.contact_id}, {"name", c.contact_name}}},
              {"assignee", nullptr},
              {"priority", c.priority},
              {"language", c.language},
              {"language_set_by_agent", c.language_set_by_agent},
              {"unread_count", c.unread_count},
              {"last_message", nullptr},
              {"last_activity_at", FormatRfc3339(c.last_activity_at)},
              {"created_at", FormatRfc3339(c.created_at)}};
  if (c.assignee_id) out["assignee"] = {{"id", *c.assignee_id}, {"name", c.assignee_name}};
  if (c.last_message) {
    const auto& m = *c.last_message;
    std::optional<std::string> masked;
    if (mask_sensitive) masked = MaskSensitivePii(m.text);
    out["last_message"] = {{"id", m.id},
                           {"text", masked ? *masked : m.text},
                           {"direction", DirectionName(m.direction)},
                           {"sender_kind", SenderKindName(m.sender_kind)},
                           {"created_at", FormatRfc3339(m.created_at)}};
  }
  return out;
}

json ToJson(const Message& m, const std::string& customer_name) {
  json sender = nullptr;
  if (m.sender_agent_id) {
    sender = {{"id", *m.sender_agent_id}, {"name", m.sender_name}};
  } else if (m.sender_kind == SenderKind::kCustomer && !customer_name.empty()) {
    sender = {{"id", nullptr}, {"name", customer_name}};
  }
  json out = {
      {"id", m.id},
      {"conversation_id", m.conversation_id},
      {"direction", DirectionName(m.direction)},
      {"sender_kind", SenderKindName(m.sender_kind)},
      {"sender", sender},
      {"text", m.text},
      {"content_type", m.content_type},
      {"status", DeliveryStatusName(m.status)},
      {"client_message_id", m.client_message_id ? json(*m.client_message_id) : json(nullptr)},
      {"created_at", FormatRfc3339(m.created_at)}};
  // A reply sent in translation: `text` is what the customer received, `original` what the agent
  // wrote. Web chat customers may reveal it ("show original"); other channels send only `text`.
  if (!m.original_text.empty()) {
    out["language"] = m.language;
    out["original"] = {{"text", m.original_text}, {"language", m.original_language}};
  }
  // The provider's error of a failed delivery, for agents.
  if (!m.status_error.empty()) out["error"] = m.status_error;
  // Media id/url and type, location, the quoted message, a reaction's emoji (never the reply
  // token: it is a credential for answering).
  if (!m.meta_json.empty()) {
    json meta = json::parse(m.meta_json, nullptr, false);
    if (meta.is_object()) {
      meta.erase("reply_token");
      if (!meta.empty()) out["meta"] = meta;
    }
  }
  return out;
}

std::string VisitorAttachmentPath(std::string_view secret, Id attachment_id, Id inbox_id,
                                  const std::string& visitor_id, TimestampMs now) {
  // Valid for at least a day, rounded up to the hour so the same file keeps one URL (and its
  // browser cache) for an hour.
  constexpr int64_t kHourS = 3600;
  int64_t expires = (now / 1000 + 24 * kHourS + kHourS - 1) / kHourS * kHourS;
  channels::VisitorToken visitor{inbox_id, visitor_id};
  std::string signature = channels::SignAttachment(secret, attachment_id, visitor, expires);
  return fmt::format("/api/v1/widget/attachments/{}?visitor={}.{}&expires={}&signature={}",
                     attachment_id, inbox_id, visitor_id, expires, signature);
}

json ToVisitorJson(const Message& m, std::string_view secret, Id inbox_id,
                   const std::string& visitor_id, TimestampMs now) {
  json out = ToJson(m);
  json files = json::array();
  for (const Attachment& a : m.attachments) {
    if (!a.stored) continue;  // nothing a visitor could open
    files.push_back({{"id", a.id},
                     {"name", a.filename},
                     {"content_type", a.content_type},
                     {"size", a.size},
                     {"url", VisitorAttachmentPath(secret, a.id, inbox_id, visitor_id, now)}});
  }
  out["attachments"] = std::move(files);
  return out;
}

namespace {

// PR1: kinds an agent without the permission sees masked.
bool IsSensitive(nlp::PiiType type) {
  switch (type) {
    case nlp::PiiType::kCardNumber:
    case nlp::PiiType::kIban:
    case nlp::PiiType::kNationalId:
    case nlp::PiiType::kPassword:
    case nlp::PiiType::kOneTimeCode:
      return true;
    default:
      return false;
  }
}

const nlp::PiiScanner& Scanner() {
  static const std::unique_ptr<nlp::PiiScanner> scanner = nlp::PiiScanner::Create().value();
  return *scanner;
}

}  // namespace

std::optional<std::string> MaskSensitivePii(std::string_view text) {
  // Scanned at answer time rather than taken from the pipeline's findings: a message is shown
  // live before it is enriched.
  if (!Scanner().MayContainPii(text)) return std::nullopt;
  std::vector<nlp::PiiMatch> found = Scanner().Scan(text);
  std::erase_if(found, [](const nlp::PiiMatch& m) { return !IsSensitive(m.type); });
  if (found.empty()) return std::nullopt;
  return nlp::Redact(text, std::move(found), {.mode = nlp::RedactionMode::kMask}).text;
}

bool SeesSensitivePii(Role role) { return role == Role::kAdmin || role == Role::kSupervisor; }

json ToAgentJson(const Message& m, const std::string& customer_name, bool mask_sensitive) {
  json out = ToJson(m, customer_name);
  // A dead letter agents may retry (POST /api/v1/dead-letters/{id}/retry).
  if (m.dead_letter_id) out["dead_letter_id"] = *m.dead_letter_id;
  out["language"] = m.language.empty() ? json(nullptr) : json(m.language);
  json nlu = m.nlu_json.empty() ? json(nullptr)
                                : json::parse(m.nlu_json, nullptr, /*allow_exceptions=*/false);
  if (nlu.is_discarded()) nlu = nullptr;
  if (mask_sensitive) {
    // The translation carries the same personal data as the text it translates.
    if (nlu.is_object() && nlu.contains("translation") && nlu["translation"].is_object() &&
        nlu["translation"].contains("text") && nlu["translation"]["text"].is_string()) {
      if (auto masked = MaskSensitivePii(nlu["translation"]["text"].get<std::string>())) {
        nlu["translation"]["text"] = std::move(*masked);
      }
    }
    if (out.contains("original")) {
      if (auto masked = MaskSensitivePii(m.original_text)) out["original"]["text"] = *masked;
    }
    if (auto masked = MaskSensitivePii(m.text)) {
      out["text"] = std::move(*masked);
      out["masked"] = true;
      // Spans point into the clear text; the masked text has other offsets.
      if (nlu.is_object()) {
        nlu.erase("pii");
        nlu.erase("entities");
      }
    }
  }
  out["nlu"] = std::move(nlu);
  if (mask_sensitive && out.contains("meta") && out["meta"].contains("email")) {
    // The mail's full text (quoted history included) carries the same data as the text.
    json& email = out["meta"]["email"];
    if (email.contains("full_text") && email["full_text"].is_string()) {
      if (auto masked = MaskSensitivePii(email["full_text"].get<std::string>())) {
        email["full_text"] = std::move(*masked);
      }
    }
  }
  // Files that came with the message (CH9), served by GET /api/v1/attachments/{id}.
  json files = json::array();
  for (const Attachment& a : m.attachments) {
    files.push_back(
        {{"id", a.id},
         {"name", a.filename},
         {"content_type", a.content_type},
         {"size", a.size},
         {"inline", a.is_inline},
         {"content_id", a.content_id.empty() ? json(nullptr) : json(a.content_id)},
         {"url", a.stored ? json(fmt::format("/api/v1/attachments/{}", a.id)) : json(nullptr)},
         // Provider media: "pending" until downloaded, "failed" with the reason, else "stored"
         // ("described" for a file over the size limit that was never fetched).
         {"download", !a.download.empty() ? a.download : (a.stored ? "stored" : "described")},
         {"error", a.download_error.empty() ? json(nullptr) : json(a.download_error)}});
  }
  out["attachments"] = std::move(files);
  return out;
}

void WriteConversation(JsonWriter& w, const ConversationView& c, bool mask_sensitive) {
  w.BeginObject().Field("id", c.id).Field("status", ConversationStatusName(c.status));
  w.Key("inbox").BeginObject().Field("id", c.inbox_id).Field("name", c.inbox_name);
  w.Field("channel", c.channel).EndObject();
  w.Key("contact").BeginObject().Field("id", c.contact_id).Field("name", c.contact_name);
  w.EndObject();
  w.Key("assignee");
  if (c.assignee_id) {
    w.BeginObject().Field("id", *c.assignee_id).Field("name", c.assignee_name).EndObject();
  } else {
    w.Null();
  }
  w.Field("priority", c.priority).Field("language", c.language);
  w.Field("language_set_by_agent", c.language_set_by_agent).Field("unread_count", c.unread_count);
  w.Key("last_message");
  if (c.last_message) {
    const auto& m = *c.last_message;
    std::optional<std::string> masked;
    if (mask_sensitive) masked = MaskSensitivePii(m.text);
    w.BeginObject().Field("id", m.id).Field("text", masked ? *masked : m.text);
    w.Field("direction", DirectionName(m.direction));
    w.Field("sender_kind", SenderKindName(m.sender_kind));
    w.Field("created_at", FormatRfc3339(m.created_at)).EndObject();
  } else {
    w.Null();
  }
  w.Field("last_activity_at", FormatRfc3339(c.last_activity_at));
  w.Field("created_at", FormatRfc3339(c.created_at)).EndObject();
}

void WriteAgentMessage(JsonWriter& w, const Message& m, const std::string& customer_name,
                       bool mask_sensitive, const std::function<void(JsonWriter&)>& more) {
  // As ToAgentJson; the stored JSON documents (meta, NLU findings) go through nlohmann::json
  // only when a message has them.
  auto dump = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); };
  std::optional<std::string> masked_text;
  if (mask_sensitive) masked_text = MaskSensitivePii(m.text);
  w.BeginObject().Field("id", m.id).Field("conversation_id", m.conversation_id);
  w.Field("direction", DirectionName(m.direction));
  w.Field("sender_kind", SenderKindName(m.sender_kind));
  w.Key("sender");
  if (m.sender_agent_id) {
    w.BeginObject().Field("id", *m.sender_agent_id).Field("name", m.sender_name).EndObject();
  } else if (m.sender_kind == SenderKind::kCustomer && !customer_name.empty()) {
    w.BeginObject().Key("id").Null().Field("name", customer_name).EndObject();
  } else {
    w.Null();
  }
  w.Field("text", masked_text ? *masked_text : m.text).Field("content_type", m.content_type);
  w.Field("status", DeliveryStatusName(m.status)).Key("client_message_id");
  if (m.client_message_id) {
    w.String(*m.client_message_id);
  } else {
    w.Null();
  }
  w.Field("created_at", FormatRfc3339(m.created_at));
  if (!m.original_text.empty()) {
    std::optional<std::string> masked;
    if (mask_sensitive) masked = MaskSensitivePii(m.original_text);
    w.Key("original").BeginObject().Field("text", masked ? *masked : m.original_text);
    w.Field("language", m.original_language).EndObject();
  }
  w.Key("language");
  if (m.language.empty()) {
    w.Null();
  } else {
    w.String(m.language);
  }
  if (!m.status_error.empty()) w.Field("error", m.status_error);
  if (!m.meta_json.empty()) {
    json meta = json::parse(m.meta_json, nullptr, false);
    if (meta.is_object()) {
      meta.erase("reply_token");
      if (mask_sensitive && meta.contains("email")) {
        json& email = meta["email"];
        if (email.contains("full_text") && email["full_text"].is_string()) {
          if (auto masked = MaskSensitivePii(email["full_text"].get<std::string>())) {
            email["full_text"] = std::move(*masked);
          }
        }
      }
      if (!meta.empty()) w.Key("meta").Raw(dump(meta));
    }
  }
  if (m.dead_letter_id) w.Field("dead_letter_id", *m.dead_letter_id);
  w.Key("nlu");
  json nlu = m.nlu_json.empty() ? json(nullptr) : json::parse(m.nlu_json, nullptr, false);
  if (nlu.is_discarded() || nlu.is_null()) {
    w.Null();
  } else {
    if (mask_sensitive && nlu.is_object() && nlu.contains("translation") &&
        nlu["translation"].is_object() && nlu["translation"].contains("text") &&
        nlu["translation"]["text"].is_string()) {
      if (auto masked = MaskSensitivePii(nlu["translation"]["text"].get<std::string>())) {
        nlu["translation"]["text"] = std::move(*masked);
      }
    }
    if (masked_text && nlu.is_object()) {
      nlu.erase("pii");
      nlu.erase("entities");
    }
    w.Raw(dump(nlu));
  }
  if (masked_text) w.Field("masked", true);
  w.Key("attachments").BeginArray();
  for (const Attachment& a : m.attachments) {
    w.BeginObject().Field("id", a.id).Field("name", a.filename);
    w.Field("content_type", a.content_type).Field("size", a.size).Field("inline", a.is_inline);
    w.Key("content_id");
    if (a.content_id.empty()) {
      w.Null();
    } else {
      w.String(a.content_id);
    }
    w.Key("url");
    if (a.stored) {
      w.String(fmt::format("/api/v1/attachments/{}", a.id));
    } else {
      w.Null();
    }
    w.Field("download", !a.download.empty() ? a.download : (a.stored ? "stored" : "described"));
    w.Key("error");
    if (a.download_error.empty()) {
      w.Null();
    } else {
      w.String(a.download_error);
    }
    w.EndObject();
  }
  w.EndArray();
  if (more) more(w);
  w.EndObject();
}

Result<json> ParseJsonObject(const http::Request& request) {
  if (!text::IsValidUtf8(request.body)) {
    return Status::InvalidArgument("request body is not valid UTF-8", "invalid_utf8");
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return Status::InvalidArgument("request body is not valid JSON", "invalid_json");
  }
  if (!body.is_object()) {
    return Status::InvalidArgument("request body must be a JSON object", "invalid_json");
  }
  return body;
}

Result<std::string> RequiredString(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    return Status::Unprocessable(std::string("field '") + field + "' is required", "missing_field");
  }
  if (!it->is_string()) {
    return Status::Unprocessable(std::string("field '") + field + "' must be a string",
                                 "invalid_field");
  }
  return it->get<std::string>();
}

Result<std::optional<std::string>> OptionalString(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return Status::Unprocessable(std::string("field '") + field + "' must be a string",
                                 "invalid_field");
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<Id> PathId(const http::Request& request, const char* name) {
  auto it = request.params.find(name);
  Id id = 0;
  if (it != request.params.end()) {
    const std::string& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec == std::errc() && p == s.data() + s.size() && id > 0) return id;
  }
  return Status::NotFound(std::string("no such ") + name);
}

http::Response JsonResponse(int status, const json& body) {
  return http::Response::Json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace meridian::api
