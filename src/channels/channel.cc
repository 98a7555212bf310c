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
    if (it != instances_.end()) return it->second;
  }
  auto factory = factories_.find(inbox.channel);
  if (factory == factories_.end()) {
    return Status::NotFound(fmt::format("no channel named '{}'", inbox.channel));
  }
  MERIDIAN_ASSIGN_OR_RETURN(std::unique_ptr<Channel> channel, factory->second->Create(inbox));
  std::shared_ptr<const Channel> shared(std::move(channel));
  std::lock_guard lock(mu_);
  instances_.emplace(inbox.id, shared);
  return shared;
}

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
    std::string retry = response->Header("retry-after");
    int64_t seconds = 0;
    auto [p, ec] = std::from_chars(retry.data(), retry.data() + retry.size(), seconds);
    if (ec == std::errc() && p == retry.data() + retry.size() && seconds >= 0) {
      out.retry_after_ms = seconds * 1000;
    }
  } else {
    out.outcome = DeliveryOutcome::kPermanentFailure;
  }
  return out;
}

}  // namespace meridian::channels

namespace meridian::channels {

Result<std::string> FetchUrl(HttpClient& http, const std::string& url,
                             std::vector<std::pair<std::string, std::string>> headers,
                             std::string_view what) {
  HttpClientRequest req;
  req.method = "GET";
  req.url = url;
  req.headers = std::move(headers);
  req.timeout_ms = 60'000;
  MERIDIAN_ASSIGN_OR_RETURN(HttpClientResponse res, http.Send(req));
  if (res.status < 200 || res.status >= 300) {
    return Status::Unavailable(fmt::format("{} answered HTTP {}", what, res.status));
  }
  return std::move(res.body);
}

}  // namespace meridian::channels
