#include "core/model.h"

namespace meridian {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAgent:
      return "agent";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "agent";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "agent") return Role::kAgent;
  if (name == "supervisor") return Role::kSupervisor;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

bool RoleAtLeast(Role have, Role need) { return static_cast<int>(have) >= static_cast<int>(need); }

std::string_view ConversationStatusName(ConversationStatus s) {
  switch (s) {
    case ConversationStatus::kOpen:
      return "open";
    case ConversationStatus::kPending:
      return "pending";
    case ConversationStatus::kSnoozed:
      return "snoozed";
    case ConversationStatus::kResolved:
      return "resolved";
  }
  return "open";
}

std::optional<ConversationStatus> ParseConversationStatus(std::string_view name) {
  if (name == "open") return ConversationStatus::kOpen;
  if (name == "pending") return ConversationStatus::kPending;
  if (name == "snoozed") return ConversationStatus::kSnoozed;
  if (name == "resolved") return ConversationStatus::kResolved;
  return std::nullopt;
}

std::string_view DirectionName(Direction d) { return d == Direction::kIn ? "in" : "out"; }

std::string_view AttributeKindName(AttributeKind k) {
  return k == AttributeKind::kPhone ? "phone" : "email";
}

std::optional<AttributeKind> ParseAttributeKind(std::string_view name) {
  if (name == "email") return AttributeKind::kEmail;
  if (name == "phone") return AttributeKind::kPhone;
  return std::nullopt;
}

std::string_view SenderKindName(SenderKind k) {
  switch (k) {
    case SenderKind::kCustomer:
      return "customer";
    case SenderKind::kAgent:
      return "agent";
    case SenderKind::kBot:
      return "bot";
    case SenderKind::kSystem:
      return "system";
  }
  return "system";
}

std::string_view DeliveryStatusName(DeliveryStatus s) {
  switch (s) {
    case DeliveryStatus::kReceived:
      return "received";
    case DeliveryStatus::kPending:
      return "pending";
    case DeliveryStatus::kSent:
      return "sent";
    case DeliveryStatus::kDelivered:
      return "delivered";
    case DeliveryStatus::kRead:
      return "read";
    case DeliveryStatus::kFailed:
      return "failed";
  }
  return "received";
}

}  // namespace meridian
