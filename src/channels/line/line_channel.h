#pragma once
// LINE Messaging API channel.
//
// Official documentation followed:
//  - Webhooks, signature (x-line-signature: Base64 HMAC-SHA256 of the body with the channel
//    secret), webhookEventId, deliveryContext.isRedelivery, message event objects:
//    https://developers.line.biz/en/reference/messaging-api/#webhooks
//    https://developers.line.biz/en/docs/messaging-api/receiving-messages/#verify-signature
//    https://developers.line.biz/en/docs/partner-docs/webhook-redelivery/
//  - Reply (replyToken, valid for a limited time, usable once) and push messages, retry key:
//    https://developers.line.biz/en/reference/messaging-api/#send-reply-message
//    https://developers.line.biz/en/reference/messaging-api/#send-push-message
//    https://developers.line.biz/en/docs/messaging-api/retrying-api-request/
//
// De-duplication on webhookEventId (the same for a redelivered event). A reply uses the reply
// token of the customer's newest message while it is younger than kReplyTokenMs, else a push.
// Config: {"api_base"?}; secrets: {"channel_secret", "channel_access_token"}.

#include <memory>

#include "channels/channel.h"

namespace meridian::channels {

// How long after receipt a reply token is still used (LINE: "within one minute").
inline constexpr int64_t kLineReplyTokenMs = 50 * 1000;

std::unique_ptr<ChannelFactory> MakeLineChannelFactory();

}  // namespace meridian::channels
