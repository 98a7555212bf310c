#pragma once
// JSON shapes of the API (docs/api.md), and request body helpers.

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "core/status.h"
#include "http/server.h"

namespace meridian::api {

using nlohmann::json;

json ToJson(const Agent& agent);
json ToJson(const ConversationView& conversation);
// A message as customers may see it (web chat widget): no analysis of their words.
json ToJson(const Message& message, const std::string& customer_name = "");
// A message as agents see it: ToJson plus the detected "language" and the pipeline's "nlu"
// findings (null until enriched).
json ToAgentJson(const Message& message, const std::string& customer_name = "");

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
