#pragma once
// Facebook Messenger channel (and, with another object name and ids, Instagram Direct: see
// channels/instagram/).
//
// Official documentation followed:
//  - Webhooks (messages, message_echoes, message_deliveries, message_reactions, is_echo):
//    https://developers.facebook.com/docs/messenger-platform/webhooks
//    https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages
//    https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-deliveries
//    https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-reads
//  - Instagram's messaging_seen (read.mid):
//    https://developers.facebook.com/docs/instagram-platform/webhooks/examples
//  - Verification request and X-Hub-Signature-256:
//    https://developers.facebook.com/docs/graph-api/webhooks/getting-started
//  - Send API (recipient, messaging_type RESPONSE / MESSAGE_TAG, tag HUMAN_AGENT):
//    https://developers.facebook.com/docs/messenger-platform/reference/send-api/
//    https://developers.facebook.com/docs/messenger-platform/send-messages/message-tags
//  - Instagram Messaging webhooks and send:
//    https://developers.facebook.com/docs/messenger-platform/instagram/features/webhook
//    https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message
//
// Echoes of our own sends (is_echo) are ignored. Delivery and read receipts carry a watermark
// (milliseconds; every message sent at or before it was delivered / read) and sometimes message
// ids: both become status events, the watermark one without an id (InboundEvent::watermark).
// Window: 24 hours (RESPONSE), then HUMAN_AGENT up to 7 days for messages written by a human agent.
// Config: {"page_id", "api_base"?}; secrets: {"page_access_token", "app_secret", "verify_token"}.

#include <memory>
#include <string>

#include "channels/channel.h"

namespace meridian::channels {

// `name` is the channel name ("messenger" or "instagram"); `object` the webhook's "object"
// ("page" or "instagram").
std::unique_ptr<ChannelFactory> MakeMetaMessagingChannelFactory(std::string name,
                                                                std::string object);

std::unique_ptr<ChannelFactory> MakeMessengerChannelFactory();

}  // namespace meridian::channels
