#pragma once
// The realtime hub: fans events out to the WebSockets subscribed to a topic ("agents",
// "visitor:<inbox>:<id>"). Thread-safe. Holds sockets weakly: a closed socket drops out.
// One instance per process; across instances the fan-out goes through the store's
// notifications (PostgreSQL LISTEN/NOTIFY in the scale-out shape).

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "http/server.h"

namespace meridian::http {

class Hub {
 public:
  Hub();
  // Subscribes `socket` to `topic`; returns a token for Unsubscribe.
  uint64_t Subscribe(const std::string& topic, const std::shared_ptr<WebSocket>& socket);
  void Unsubscribe(const std::string& topic, uint64_t token);
  // Sends `text` to every live subscriber of `topic`. Returns how many received it.
  size_t Publish(const std::string& topic, const std::string& text);
  size_t SubscriberCount(const std::string& topic);

 private:
  std::mutex mu_;
  uint64_t next_token_ = 1;
  std::map<std::string, std::map<uint64_t, std::weak_ptr<WebSocket>>> topics_;
  metrics::Counter* published_;
};

}  // namespace meridian::http
