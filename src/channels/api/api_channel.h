#pragma once
// The generic signed API channel (CH5) for marketplaces and custom sources.
//
// Inbound: POST /api/v1/inboxes/{id}/inbound with
//   X-Meridian-Signature: sha256=<hex HMAC-SHA256(raw body, inbox secret)>
//   {"message_id": str, "sender": {"id": str, "name": str?}, "text": str, "timestamp": int|str?}
// Outbound: POST to the inbox's callback_url, signed the same way, body
//   {"event":"message.created","message_id","conversation_id","recipient":{"id"},"text","timestamp"}
//   plus, for a file from an agent, "attachments":[{"id","filename","content_type","size","url"}]
//   where url is a link to GET the file, signed with the inbox secret and valid for 7 days
//   (text is then the caption, "" for a file sent alone).
// Config (inbox.config_json): {"callback_url": "http(s)://..."}.

#include <memory>

#include "channels/channel.h"

namespace meridian::channels {

std::unique_ptr<ChannelFactory> MakeApiChannelFactory();

// "sha256=<hex>" for `body` under `secret`; shared by the inbound check and outbound signing.
std::string ApiChannelSignature(std::string_view secret, std::string_view body);

// How long a file link in a callback stays valid.
inline constexpr int64_t kApiFileLinkSeconds = int64_t{7} * 24 * 3600;

// The signature of a file link: hex HMAC-SHA256 of "file:<inbox>:<attachment>:<expires>" under
// the inbox secret; the link is /api/v1/inboxes/{inbox}/files/{attachment}?expires=&signature=.
std::string ApiFileSignature(std::string_view secret, Id inbox_id, Id attachment_id,
                             int64_t expires_s);

}  // namespace meridian::channels
