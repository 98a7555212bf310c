#include "http/hub.h"

namespace meridian::http {

Hub::Hub()
    : published_(metrics::Registry::Global().GetCounter(
          "meridian_realtime_frames_total", "WebSocket frames fanned out by the hub")) {}

uint64_t Hub::Subscribe(const std::string& topic, const std::shared_ptr<WebSocket>& socket) {
  std::lock_guard lock(mu_);
  uint64_t token = next_token_++;
  topics_[topic][token] = socket;
  return token;
}

void Hub::Unsubscribe(const std::string& topic, uint64_t token) {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  it->second.erase(token);
  if (it->second.empty()) topics_.erase(it);
}

size_t Hub::Publish(const std::string& topic, const std::string& text) {
  std::vector<std::shared_ptr<WebSocket>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return 0;
    for (auto sub = it->second.begin(); sub != it->second.end();) {
      if (auto socket = sub->second.lock()) {
        targets.push_back(std::move(socket));
        ++sub;
      } else {
        sub = it->second.erase(sub);
      }
    }
  }
  for (auto& socket : targets) socket->Send(text);
  published_->Inc(targets.size());
  return targets.size();
}

size_t Hub::SubscriberCount(const std::string& topic) {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second.size();
}

}  // namespace meridian::http
