#pragma once
// The messaging-window policy engine: may this message be sent now on this channel? Pure: the
// caller passes the clock's time and the customer's last inbound message time.
//
// WhatsApp Cloud API: free-form messages only within 24 hours of the customer's last message
// ("customer service window"), otherwise only an approved template.
//   https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
// Messenger / Instagram: 24 hours for standard messaging (messaging_type RESPONSE); up to 7 days
// with the HUMAN_AGENT message tag, for messages written by a human agent only.
//   https://developers.facebook.com/docs/messenger-platform/policy/policy-overview#24hours_window
//   https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags

#include <optional>
#include <string>
#include <vector>

#include "channels/channel.h"

namespace meridian::channels {

inline constexpr int64_t kHourMs = 3600LL * 1000;
inline constexpr int64_t kDayMs = 24 * kHourMs;

struct WindowQuery {
  TimestampMs now = 0;
  std::optional<TimestampMs> last_inbound_at;  // the customer's newest message, if any
  SenderKind sender = SenderKind::kAgent;      // only kAgent is a human agent
  bool is_template = false;
};

struct WindowDecision {
  bool allowed = true;
  // How the message must be sent: "" (no window rules), "RESPONSE" or "MESSAGE_TAG".
  std::string messaging_type;
  std::string tag;                               // "HUMAN_AGENT" with MESSAGE_TAG
  std::optional<TimestampMs> window_closed_at;   // when the free-form window closed (or closes)
  std::optional<TimestampMs> window_expires_at;  // when nothing but templates can be sent
  std::string message;                           // why not, for people
};

WindowDecision EvaluateWindow(const WindowRules& rules, const WindowQuery& query);

// What a human agent may write in a conversation now, for the workspace's countdown:
//  kNone            the channel has no window (anything, any time);
//  kOpen            free text until `closes_at`;
//  kHumanAgentOnly  after the 24 hours, human agents only (HUMAN_AGENT tag) until `expires_at`;
//  kClosed          nothing but an approved template (when the channel has them).
enum class WindowState { kNone, kOpen, kHumanAgentOnly, kClosed };
std::string_view WindowStateName(WindowState state);

struct WindowStatus {
  WindowState state = WindowState::kNone;
  std::optional<TimestampMs> closes_at;   // when free-form replies end (or ended)
  std::optional<TimestampMs> expires_at;  // when a human agent can no longer write at all
};

// Agrees with EvaluateWindow for a human agent's free-text reply at `now`.
WindowStatus DescribeWindow(const WindowRules& rules, TimestampMs now,
                            std::optional<TimestampMs> last_inbound_at);

}  // namespace meridian::channels
