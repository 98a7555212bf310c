#pragma once
// Telegram Bot API channel.
//
// Official documentation followed (https://core.telegram.org/bots/api):
//  - setWebhook `secret_token`, sent back in X-Telegram-Bot-Api-Secret-Token:
//    https://core.telegram.org/bots/api#setwebhook
//  - Update (update_id, message, edited_message, message_reaction) and Message:
//    https://core.telegram.org/bots/api#update  https://core.telegram.org/bots/api#message
//  - sendMessage (chat_id, text, reply_parameters) and errors (429 parameters.retry_after):
//    https://core.telegram.org/bots/api#sendmessage
//    https://core.telegram.org/bots/api#making-requests  (ResponseParameters)
//
// De-duplication on update_id (Telegram re-sends an update until it gets a 2xx). The customer's
// id is the chat id. Telegram has no delivery statuses and no messaging window.
// Config: {"api_base"?}; secrets: {"bot_token", "secret_token"}.

#include <memory>

#include "channels/channel.h"

namespace meridian::channels {

std::unique_ptr<ChannelFactory> MakeTelegramChannelFactory();

}  // namespace meridian::channels
