#pragma once
// The generic signed API channel (CH5) for marketplaces and custom sources.
//
// Inbound: POST /api/v1/inboxes/{id}/inbound with
//   X-Meridian-Signature: sha256=<hex HMAC-SHA256(raw body, inbox secret)>
//   {"message_id": str, "sender": {"id": str, "name": str?}, "text": str, "timestamp": int|str?}
// Outbound: POST to the inbox's callback_url, signed the same way, body
//   {"event":"message.created","message_id","conversation_id","recipient":{"id"},"text","timestamp"}
// Config (inbox.config_json): {"callback_url": "http(s)://..."}.

#include <memory>

#include "channels/channel.h"

namespace meridian::channels {

std::unique_ptr<ChannelFactory> MakeApiChannelFactory();

// "sha256=<hex>" for `body` under `secret`; shared by the inbound check and outbound signing.
std::string ApiChannelSignature(std::string_view secret, std::string_view body);

}  // namespace meridian::channels
