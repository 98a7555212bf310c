#include "channels/policy/window_policy.h"

#include <fmt/format.h>

#include <algorithm>

namespace meridian::channels {

WindowDecision EvaluateWindow(const WindowRules& rules, const WindowQuery& q) {
  WindowDecision d;
  if (rules.free_form_ms <= 0) return d;  // the channel has no window
  if (!q.last_inbound_at) {
    // The customer never wrote: nothing opened a window.
    d.allowed = q.is_template && rules.templates_outside;
    if (!d.allowed) {
      d.message =
          rules.templates_outside
              ? "the customer has not written yet; only an approved template can be sent"
              : "the customer has not written yet; this channel cannot start a conversation";
    }
    return d;
  }
  TimestampMs closes = *q.last_inbound_at + rules.free_form_ms;
  d.window_closed_at = closes;
  // At exactly 24h the window is closed: "within 24 hours" is a half-open interval.
  if (q.now < closes) {
    d.messaging_type = "RESPONSE";
    return d;
  }
  if (q.is_template && rules.templates_outside) return d;
  if (rules.human_agent_ms > rules.free_form_ms) {
    TimestampMs tag_closes = *q.last_inbound_at + rules.human_agent_ms;
    d.window_expires_at = tag_closes;
    if (q.sender == SenderKind::kAgent && q.now < tag_closes) {
      d.messaging_type = "MESSAGE_TAG";
      d.tag = "HUMAN_AGENT";
      return d;
    }
    d.allowed = false;
    d.message = q.now >= tag_closes
                    ? fmt::format("the customer's last message is more than {} days old",
                                  rules.human_agent_ms / kDayMs)
                    : "outside the 24-hour window only a human agent may write (HUMAN_AGENT tag)";
    return d;
  }
  d.window_expires_at = closes;
  d.allowed = false;
  d.message = rules.templates_outside
                  ? "the 24-hour window is closed; only an approved template can be sent"
                  : "the 24-hour window is closed";
  return d;
}

std::string_view WindowStateName(WindowState state) {
  switch (state) {
    case WindowState::kOpen:
      return "open";
    case WindowState::kHumanAgentOnly:
      return "human_agent_only";
    case WindowState::kClosed:
      return "closed";
    case WindowState::kNone:
      break;
  }
  return "none";
}

WindowStatus DescribeWindow(const WindowRules& rules, TimestampMs now,
                            std::optional<TimestampMs> last_inbound_at) {
  WindowStatus out;
  if (rules.free_form_ms <= 0) return out;
  WindowDecision d = EvaluateWindow(
      rules, {.now = now, .last_inbound_at = last_inbound_at, .sender = SenderKind::kAgent});
  out.closes_at = d.window_closed_at;
  if (last_inbound_at) {
    out.expires_at = *last_inbound_at + std::max(rules.free_form_ms, rules.human_agent_ms);
  }
  if (!d.allowed) {
    out.state = WindowState::kClosed;
  } else {
    out.state =
        d.messaging_type == "MESSAGE_TAG" ? WindowState::kHumanAgentOnly : WindowState::kOpen;
  }
  return out;
}

}  // namespace meridian::channels
