#include "channels/common/meta.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "channels/common/provider.h"
#include "core/crypto.h"

namespace meridian::channels::meta {

Result<std::string> VerifySubscription(const std::map<std::string, std::string>& query,
                                       std::string_view verify_token) {
  auto get = [&query](const char* key) {
    auto it = query.find(key);
    return it == query.end() ? std::string() : it->second;
  };
  if (get("hub.mode") != "subscribe") {
    return Status::PermissionDenied("hub.mode must be subscribe", "invalid_verify_token");
  }
  std::string token = get("hub.verify_token");
  if (token.empty() || !crypto::ConstantTimeEquals(token, verify_token)) {
    return Status::PermissionDenied("hub.verify_token does not match", "invalid_verify_token");
  }
  return get("hub.challenge");
}

Status VerifySignature(const HeaderLookup& headers, std::string_view raw_body,
                       std::string_view app_secret) {
  return VerifyHexHmacSha256("X-Hub-Signature-256", headers("x-hub-signature-256"),
                             "sha256=", app_secret, raw_body);
}

SendResult SendGraph(HttpClient& http, const HttpClientRequest& request,
                     std::string_view id_pointer) {
  auto response = http.Send(request);
  if (response.ok() && response->status == 400) {
    auto body = nlohmann::json::parse(response->body, nullptr, false);
    const auto& error = JsonObject(body, "error");
    std::string code = JsonId(error, "code");
    for (const char* throttled : {"4", "17", "32", "613", "80007", "130429", "131048", "131056"}) {
      if (code == throttled) {
        SendResult r = ClassifyHttpResult(response);
        r.outcome = DeliveryOutcome::kRetry;
        return r;
      }
    }
  }
  return ClassifyWithId(response, id_pointer);
}

Result<std::string> MetaChannel::VerifySubscription(
    const std::map<std::string, std::string>& query) const {
  return meta::VerifySubscription(query, verify_token_);
}

Status MetaChannel::VerifyWebhook(const HeaderLookup& headers, std::string_view raw_body) const {
  return VerifySignature(headers, raw_body, app_secret_);
}

Result<nlohmann::json> MetaChannel::ParseEntries(std::string_view raw_body,
                                                 std::string_view object) {
  MERIDIAN_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObjectBody(raw_body));
  if (JsonString(body, "object") != object) {
    return Status::Unprocessable(fmt::format("field 'object' must be '{}'", object),
                                 "invalid_field");
  }
  auto entries = body.find("entry");
  if (entries == body.end() || !entries->is_array()) {
    return Status::Unprocessable("field 'entry' is required and must be an array", "missing_field");
  }
  return std::move(*entries);
}

}  // namespace meridian::channels::meta
