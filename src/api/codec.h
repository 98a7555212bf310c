#pragma once
// JSON shapes of the API (docs/api.md), and request body helpers.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/json_writer.h"
#include "core/model.h"
#include "core/status.h"
#include "http/server.h"

namespace meridian::api {

using nlohmann::json;

json ToJson(const Agent& agent);
// With `mask_sensitive`, the last message's text is masked as in ToAgentJson.
json ToJson(const ConversationView& conversation, bool mask_sensitive = false);
// A message as customers may see it (web chat widget): no analysis of their words.
json ToJson(const Message& message, const std::string& customer_name = "");
// A message as the web chat visitor `visitor_id` of `inbox_id` sees it: ToJson plus its files,
// each with a URL signed for that visitor that expires a day or so after `now`
// (GET /api/v1/widget/attachments/{id}).
json ToVisitorJson(const Message& message, std::string_view visitor_secret, Id inbox_id,
                   const std::string& visitor_id, TimestampMs now);
// The path of that signed URL.
std::string VisitorAttachmentPath(std::string_view visitor_secret, Id attachment_id, Id inbox_id,
                                  const std::string& visitor_id, TimestampMs now);
// A message as agents see it: ToJson plus the detected "language" and the pipeline's "nlu"
// findings (null until enriched).
// With `mask_sensitive`, sensitive personal data in the text (IBANs, national ids, passwords,
// one-time codes, card numbers) is masked in "text" ("****1234") and "masked" is true.
json ToAgentJson(const Message& message, const std::string& customer_name = "",
                 bool mask_sensitive = false);
// The same documents as ToJson(ConversationView) and ToAgentJson, written straight as JSON text
// (json_writer.h): for what is rendered for every message, the live event frames.
void WriteConversation(JsonWriter& out, const ConversationView& conversation,
                       bool mask_sensitive = false);
// `more` adds fields of the caller's before the message's object is closed.
void WriteAgentMessage(JsonWriter& out, const Message& message,
                       const std::string& customer_name = "", bool mask_sensitive = false,
                       const std::function<void(JsonWriter&)>& more = {});
// PR1: who sees sensitive personal data in clear. Agents see contact details (emails, phones,
// addresses: they need them to help) but not ids, bank accounts or secrets; supervisors and
// admins see everything.
bool SeesSensitivePii(Role role);
// `text` with its sensitive personal data masked; nullopt when it has none.
std::optional<std::string> MaskSensitivePii(std::string_view text);

// Parses a JSON object body: 400 invalid_utf8 / invalid_json, or the object.
Result<json> ParseJsonObject(const http::Request& request);
// A required string field: 422 naming the field when missing or not a non-empty string.
Result<std::string> RequiredString(const json& body, const char* field);
// An optional string field: 422 when present but not a string.
Result<std::optional<std::string>> OptionalString(const json& body, const char* field);

// Parses a path id: 404 when not a positive integer (an unknown id, to the client).
Result<Id> PathId(const http::Request& request, const char* name);

http::Response JsonResponse(int status, const json& body);

}  // namespace meridian::api
