#pragma once
// The web chat channel (CH1): the widget talks to Meridian directly over a WebSocket, so
// replies are delivered live by the realtime hub instead of the outbox.
//
// Visitors are anonymous and identified by a token the widget keeps:
//   "<inbox id>.<visitor id>.<base64url HMAC-SHA256(installation secret, inbox.visitor)>"
// so a token cannot be forged or moved to another inbox.

#include <memory>
#include <optional>
#include <string>

#include "channels/channel.h"

namespace meridian::channels {

std::unique_ptr<ChannelFactory> MakeWebchatChannelFactory();

struct VisitorToken {
  Id inbox_id = 0;
  std::string visitor_id;
};

std::string IssueVisitorToken(std::string_view secret, Id inbox_id, std::string_view visitor_id);
// nullopt when the token is malformed or its signature does not verify.
std::optional<VisitorToken> VerifyVisitorToken(std::string_view secret, std::string_view token);

}  // namespace meridian::channels
