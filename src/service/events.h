#pragma once
// Domain events the services emit after a durable change; the API layer turns them into
// WebSocket frames. Services never know who listens.

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace meridian::service {

// Contacts were merged or split (CH8): open workspaces reload the contacts and conversations
// named here.
struct ContactChange {
  std::string action;                 // "merge", "auto_merge" or "split"
  Id contact_id = 0;                  // the surviving contact (merge) or the split one
  std::vector<Id> other_contact_ids;  // merged away, or the new contact of a split
  std::vector<Id> conversation_ids;   // conversations that changed contact
};

struct Event {
  enum class Kind { kMessageCreated, kMessageUpdated, kConversationUpdated, kContactUpdated };
  Kind kind = Kind::kMessageCreated;
  ConversationView conversation;  // unset for kContactUpdated
  std::optional<Message> message;
  std::optional<ContactChange> contact;  // kContactUpdated only
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Called after the change is committed; must not block.
  virtual void Publish(const Event& event) = 0;
};

}  // namespace meridian::service
