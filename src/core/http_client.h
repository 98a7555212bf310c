#pragma once
// Outbound HTTP goes through an HttpClient so tests can point it at local stubs
// (STYLE.md rule 5). The default implementation uses libcurl.

#include <cstdint>
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
  // > 0: the most response body bytes to accept. The transfer stops as soon as a declared
  // Content-Length or the bytes received pass it (memory stays bounded by the cap); the
  // response then has `oversize_bytes` set and an empty body.
  int64_t max_response_bytes = 0;
};

struct HttpClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  // Set when the request's max_response_bytes stopped the transfer: the declared length, or
  // the bytes received when it was stopped (either is over the cap).
  int64_t oversize_bytes = 0;
  std::string Header(const std::string& lower_name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Performs the request; a GET follows up to 5 redirects (http and https only, credentials
  // never sent to another host). Transport failures (refused, timeout, DNS) are Unavailable; any
  // HTTP status, 4xx and 5xx included, is a successful Result, and so is a body cut off by
  // max_response_bytes (see oversize_bytes). Thread-safe.
  virtual Result<HttpClientResponse> Send(const HttpClientRequest& request) = 0;
};

std::unique_ptr<HttpClient> MakeCurlHttpClient();

}  // namespace meridian
