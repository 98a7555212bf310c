#pragma once
// What WhatsApp Cloud API, Messenger and Instagram share (Meta Graph API webhooks):
//  - the verification request: GET ?hub.mode=subscribe&hub.verify_token=..&hub.challenge=..,
//    answered with the challenge when the token matches;
//  - X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body with the app secret;
//  - Graph API errors that mean "slow down" although the HTTP status is 400.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications
// https://developers.facebook.com/docs/graph-api/overview/rate-limiting

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "channels/channel.h"

namespace meridian::channels::meta {

Result<std::string> VerifySubscription(const std::map<std::string, std::string>& query,
                                       std::string_view verify_token);

Status VerifySignature(const HeaderLookup& headers, std::string_view raw_body,
                       std::string_view app_secret);

// ClassifyHttpResult, plus Graph API throttling codes (4, 17, 32, 613, 80007, 130429, 131048,
// 131056) retried even when answered with HTTP 400.
SendResult SendGraph(HttpClient& http, const HttpClientRequest& request,
                     std::string_view id_pointer);

// The handshake and signature every Meta channel answers the same way.
class MetaChannel : public Channel {
 public:
  MetaChannel(std::string app_secret, std::string verify_token)
      : app_secret_(std::move(app_secret)), verify_token_(std::move(verify_token)) {}

  Result<std::string> VerifySubscription(
      const std::map<std::string, std::string>& query) const override;
  Status VerifyWebhook(const HeaderLookup& headers, std::string_view raw_body) const override;

 protected:
  // The body's "entry" array, after checking its "object" is `object`.
  static Result<nlohmann::json> ParseEntries(std::string_view raw_body, std::string_view object);

 private:
  std::string app_secret_, verify_token_;
};

}  // namespace meridian::channels::meta
