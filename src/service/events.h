#pragma once
// Domain events the services emit after a durable change; the API layer turns them into
// WebSocket frames. Services never know who listens.

#include <optional>

#include "core/model.h"

namespace meridian::service {

struct Event {
  enum class Kind { kMessageCreated, kMessageUpdated, kConversationUpdated };
  Kind kind = Kind::kMessageCreated;
  ConversationView conversation;
  std::optional<Message> message;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Called after the change is committed; must not block.
  virtual void Publish(const Event& event) = 0;
};

}  // namespace meridian::service
