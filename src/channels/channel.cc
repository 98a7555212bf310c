#include "channels/channel.h"

#include <fmt/format.h>

#include <charconv>

namespace meridian::channels {

void ChannelRegistry::Register(std::string name, std::unique_ptr<ChannelFactory> factory) {
  factories_[std::move(name)] = std::move(factory);
}

bool ChannelRegistry::Has(std::string_view name) const {
  return factories_.find(name) != factories_.end();
}

Status ChannelRegistry::Validate(const Inbox& inbox) const {
  auto factory = factories_.find(inbox.channel);
  if (factory == factories_.end()) {
    return Status::Unprocessable(fmt::format("unknown channel '{}'", inbox.channel),
                                 "invalid_field");
  }
  return factory->second->Create(inbox).status();
}

Result<std::shared_ptr<const Channel>> ChannelRegistry::For(const Inbox& inbox) {
  {
    std::lock_guard lock(mu_);
    auto it = instances_.find(inbox.id);
    if (it != instances_.end() && it->second.revision == inbox.revision) return it->second.channel;
  }
  auto factory = factories_.find(inbox.channel);
  if (factory == factories_.end()) {
    return Status::NotFound(fmt::format("no channel named '{}'", inbox.channel));
  }
  MERIDIAN_ASSIGN_OR_RETURN(std::unique_ptr<Channel> channel, factory->second->Create(inbox));
  std::shared_ptr<const Channel> shared(std::move(channel));
  std::lock_guard lock(mu_);
  auto [it, added] = instances_.try_emplace(inbox.id, Instance{inbox.revision, shared});
  // A newer revision wins; an older one (a stale read racing an update) does not replace it.
  if (!added && it->second.revision < inbox.revision) it->second = Instance{inbox.revision, shared};
  return shared;
}

namespace {

// Retry-After in seconds (the form providers use); nullopt when absent or not a number.
std::optional<int64_t> RetryAfterMs(const HttpClientResponse& response) {
  std::string retry = response.Header("retry-after");
  int64_t seconds = 0;
  auto [p, ec] = std::from_chars(retry.data(), retry.data() + retry.size(), seconds);
  if (retry.empty() || ec != std::errc() || p != retry.data() + retry.size() || seconds < 0) {
    return std::nullopt;
  }
  return seconds * 1000;
}

}  // namespace

SendResult ClassifyHttpResult(const Result<HttpClientResponse>& response) {
  SendResult out;
  if (!response.ok()) {
    out.outcome = DeliveryOutcome::kRetry;
    out.error = response.status().message();
    return out;
  }
  int status = response->status;
  if (status >= 200 && status < 300) return out;
  out.error = fmt::format("HTTP {}", status);
  if (!response->body.empty()) out.error += ": " + response->body.substr(0, 300);
  if (status == 408 || status == 429 || status >= 500) {
    out.outcome = DeliveryOutcome::kRetry;
    out.retry_after_ms = RetryAfterMs(*response);
  } else {
    out.outcome = DeliveryOutcome::kPermanentFailure;
  }
  return out;
}

Status ProviderHttpError(const HttpClientResponse& response, std::string_view what,
                         std::string_view detail) {
  int status = response.status;
  std::string message = fmt::format("{} answered HTTP {}", what, status);
  if (!detail.empty()) message += fmt::format(": {}", detail);
  if (status == 429) {
    Status s = Status::RateLimited(std::move(message));
    if (auto after = RetryAfterMs(response)) return std::move(s).WithRetryAfter(*after);
    return s;
  }
  if (status == 408 || status >= 500 || status < 400) {
    // 5xx and 408 are the provider's trouble; a 1xx/3xx we did not follow is no answer either.
    Status s = Status::Unavailable(std::move(message));
    if (auto after = RetryAfterMs(response)) return std::move(s).WithRetryAfter(*after);
    return s;
  }
  constexpr const char* kRefused = "provider_refused";
  switch (status) {
    case 401:
      return Status::Unauthenticated(std::move(message), kRefused);
    case 403:
      return Status::PermissionDenied(std::move(message), kRefused);
    case 404:
      return Status::NotFound(std::move(message), kRefused);
    case 410:
      return Status::NotFound(std::move(message), "provider_gone");
    default:
      return Status::InvalidArgument(std::move(message), kRefused);
  }
}

bool IsTransientFetchError(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kRateLimited:
    case StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

namespace {

Result<HttpClientResponse> Get(HttpClient& http, const std::string& url,
                               std::vector<std::pair<std::string, std::string>> headers,
                               std::string_view what, int64_t max_bytes) {
  HttpClientRequest req;
  req.method = "GET";
  req.url = url;
  req.headers = std::move(headers);
  req.timeout_ms = 60'000;
  req.max_response_bytes = max_bytes;
  MERIDIAN_ASSIGN_OR_RETURN(HttpClientResponse res, http.Send(req));
  if (res.status < 200 || res.status >= 300) return ProviderHttpError(res, what);
  return res;
}

}  // namespace

Result<std::string> FetchUrl(HttpClient& http, const std::string& url,
                             std::vector<std::pair<std::string, std::string>> headers,
                             std::string_view what, int64_t max_bytes) {
  MERIDIAN_ASSIGN_OR_RETURN(HttpClientResponse res,
                            Get(http, url, std::move(headers), what, max_bytes));
  if (res.oversize_bytes > 0) {
    return Status::TooLarge(fmt::format("{} answered more than {} bytes", what, max_bytes));
  }
  return std::move(res.body);
}

Result<FetchedMedia> FetchMediaUrl(HttpClient& http, const std::string& url,
                                   std::vector<std::pair<std::string, std::string>> headers,
                                   std::string_view what, int64_t max_bytes) {
  MERIDIAN_ASSIGN_OR_RETURN(HttpClientResponse res,
                            Get(http, url, std::move(headers), what, max_bytes));
  FetchedMedia out;
  if (res.oversize_bytes > 0) {
    out.size = res.oversize_bytes;  // described with what we know, never stored
    return out;
  }
  out.size = static_cast<int64_t>(res.body.size());
  out.bytes = std::move(res.body);
  return out;
}

}  // namespace meridian::channels
