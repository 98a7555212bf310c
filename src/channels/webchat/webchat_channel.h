#pragma once
// The web chat channel (CH1): the widget talks to Meridian directly over a WebSocket, so
// replies are delivered live by the realtime hub instead of the outbox.
//
// Visitors are anonymous and identified by a token the widget keeps:
//   "<inbox id>.<visitor id>.<base64url HMAC-SHA256(installation secret, inbox.visitor)>"
// so a token cannot be forged or moved to another inbox.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "channels/channel.h"

namespace meridian::channels {

struct WebchatOptions {
  static constexpr int64_t kDefaultMaxUploadBytes = 10 << 20;
  // Largest file a visitor or an agent may send (CH9); `serve --webchat-max-upload-bytes`.
  int64_t max_upload_bytes = kDefaultMaxUploadBytes;
};

std::unique_ptr<ChannelFactory> MakeWebchatChannelFactory(WebchatOptions options = {});

struct VisitorToken {
  Id inbox_id = 0;
  std::string visitor_id;
};

std::string IssueVisitorToken(std::string_view secret, Id inbox_id, std::string_view visitor_id);
// nullopt when the token is malformed or its signature does not verify.
std::optional<VisitorToken> VerifyVisitorToken(std::string_view secret, std::string_view token);

// Files in web chat (CH9) are fetched by the visitor's browser with a URL signed for that
// visitor and one attachment, valid until `expires_s` (Unix seconds): <img src> cannot carry
// a token header, and the URL never grants more than that one file for a while.
//   signature = base64url(HMAC-SHA256(secret, "attachment.<id>.<inbox>.<visitor>.<expires_s>"))
std::string SignAttachment(std::string_view secret, Id attachment_id, const VisitorToken& visitor,
                           int64_t expires_s);
bool VerifyAttachmentSignature(std::string_view secret, Id attachment_id,
                               const VisitorToken& visitor, int64_t expires_s,
                               std::string_view signature);

}  // namespace meridian::channels
