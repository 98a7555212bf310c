#pragma once
// Test helpers for the provider channels: inboxes with fixed credentials, the typed event as
// JSON (the format of tests/fixtures/channels/<provider>/*.expected.json), header lookups and a
// scripted fake HttpClient.

#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "channels/channel.h"

namespace meridian::channels::testing {

// The channel of `provider` ("whatsapp", ...) with the credentials the fixtures and the tests
// sign with; `api_base` defaults to a local stub URL.
std::unique_ptr<Channel> MakeProvider(const std::string& provider,
                                      const std::string& api_base = "http://stub.test");
// The secret each provider signs webhooks with (app secret, channel secret, auth token...).
std::string WebhookSecret(const std::string& provider);
// The headers a correctly signed delivery of `body` carries (URL for Twilio).
std::map<std::string, std::string> SignedHeaders(const std::string& provider,
                                                 const std::string& body, const std::string& url);

nlohmann::json EventToJson(const InboundEvent& e);

HeaderLookup Lookup(const std::map<std::string, std::string>& headers);

// Records requests and answers from a script (the last answer repeats); a body over the
// request's max_response_bytes is answered as oversize, as the curl client does.
class FakeHttp final : public HttpClient {
 public:
  void Push(int status, std::string body = "{}",
            std::vector<std::pair<std::string, std::string>> headers = {});
  Result<HttpClientResponse> Send(const HttpClientRequest& request) override;
  std::vector<HttpClientRequest> requests;

 private:
  std::deque<HttpClientResponse> script_;
};

}  // namespace meridian::channels::testing
