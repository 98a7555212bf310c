#pragma once
// Outbound HTTP goes through an HttpClient so tests can point it at local stubs
// (STYLE.md rule 5). The default implementation uses libcurl.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace meridian {

struct HttpClientRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int timeout_ms = 10000;
};

struct HttpClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string Header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Performs the request. Transport failures (refused, timeout, DNS) are Unavailable; any HTTP
  // status, 4xx and 5xx included, is a successful Result. Thread-safe.
  virtual Result<HttpClientResponse> Send(const HttpClientRequest& request) = 0;
};

std::unique_ptr<HttpClient> MakeCurlHttpClient();

}  // namespace meridian
