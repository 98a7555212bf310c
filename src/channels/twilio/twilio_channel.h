#pragma once
// SMS through Twilio (Programmable Messaging).
//
// Official documentation followed:
//  - Incoming message webhook parameters (MessageSid, From, To, Body, NumMedia, MediaUrlN):
//    https://www.twilio.com/docs/messaging/guides/webhook-request
//  - Request validation: X-Twilio-Signature = Base64(HMAC-SHA1(auth token, full URL + each POST
//    parameter name and value, sorted by name)):
//    https://www.twilio.com/docs/usage/webhooks/webhooks-security
//  - Status callbacks (MessageStatus: queued, sent, delivered, undelivered, failed, read;
//    ErrorCode):
//    https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
//  - Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json, To, From or
//    MessagingServiceSid, Body; answer with "sid"):
//    https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
//
// Every webhook is answered with an empty TwiML document (<Response/>, text/xml) once stored.
// The signature covers the URL Twilio called: `config.webhook_url` when set (the exact URL
// configured at Twilio, e.g. behind a proxy), else the request's own URL. Phone numbers are
// E.164. Config: {"account_sid", "from", "webhook_url"?, "api_base"?}; secrets: {"auth_token"}.

#include <memory>

#include "channels/channel.h"

namespace meridian::channels {

std::unique_ptr<ChannelFactory> MakeTwilioChannelFactory();

// A status callback's error for agents: "30003 Unreachable destination handset" (the
// callback's ErrorMessage, else the meaning of a well-known ErrorCode).
std::string StatusErrorText(std::string_view code, std::string_view message);

// The X-Twilio-Signature value for `url` and form `params` under `auth_token`.
std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            std::vector<std::pair<std::string, std::string>> params);

}  // namespace meridian::channels
