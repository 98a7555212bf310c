#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <mutex>

#include "core/http_client.h"

namespace meridian {

std::string HttpClientResponse::Header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return {};
}

namespace {

// What the callbacks write into: the response and the body cap of the request.
struct Transfer {
  HttpClientResponse* response;
  int64_t max_bytes;  // 0: unlimited
};

constexpr long kMaxRedirects = 5;

// Returning anything but size * n makes curl abort the transfer (CURLE_WRITE_ERROR).
size_t OnBody(char* data, size_t size, size_t n, void* out) {
  auto* t = static_cast<Transfer*>(out);
  std::string& body = t->response->body;
  int64_t total = static_cast<int64_t>(body.size() + size * n);
  if (t->max_bytes > 0 && total > t->max_bytes) {
    t->response->oversize_bytes = total;
    body.clear();
    body.shrink_to_fit();
    return 0;
  }
  body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* out) {
  auto* t = static_cast<Transfer*>(out);
  std::string line(data, size * n);
  // A redirect's answer is followed by the next response's: keep only the last one's headers.
  if (line.rfind("HTTP/", 0) == 0) t->response->headers.clear();
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    if (name == "content-length" && t->max_bytes > 0) {
      // Declared over the cap: stop before a single body byte is read.
      int64_t declared = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), declared);
      if (ec == std::errc() && declared > t->max_bytes) {
        t->response->oversize_bytes = declared;
        return 0;
      }
    }
    t->response->headers.emplace_back(std::move(name), std::move(value));
  }
  return size * n;
}

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Result<HttpClientResponse> Send(const HttpClientRequest& request) override {
    CURL* curl = curl_easy_init();
    if (!curl) return Status::Internal("curl_easy_init failed");
    HttpClientResponse response;
    Transfer transfer{&response, request.max_response_bytes};
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : request.headers) {
      headers = curl_slist_append(headers, (k + ": " + v).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (request.method != "GET" && request.method != "HEAD") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (request.method == "GET") {
      // Downloads may be redirected (Twilio media to a short-lived CDN URL). curl does not send
      // our Authorization header to another host.
      curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(curl, CURLOPT_MAXREDIRS, kMaxRedirects);
      curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK && response.oversize_bytes == 0) {
      return Status::Unavailable(std::string("HTTP request failed: ") + curl_easy_strerror(rc),
                                 rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "transport");
    }
    response.status = static_cast<int>(status);
    return response;
  }
};

}  // namespace

std::unique_ptr<HttpClient> MakeCurlHttpClient() { return std::make_unique<CurlHttpClient>(); }

}  // namespace meridian
