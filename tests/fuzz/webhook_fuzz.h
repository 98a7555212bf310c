#pragma once
// Shared body of the provider webhook fuzz targets (<provider>_webhook/fuzz.cc): the bytes are
// checked as a signature-less delivery (must be refused) and parsed; a parse must never crash,
// and every event it yields must carry an id (or, for a watermark receipt, the customer it
// covers), a sender and valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "channels/instagram/instagram_channel.h"
#include "channels/line/line_channel.h"
#include "channels/messenger/messenger_channel.h"
#include "channels/telegram/telegram_channel.h"
#include "channels/twilio/twilio_channel.h"
#include "channels/whatsapp/whatsapp_channel.h"
#include "core/text.h"

namespace meridian::channels::fuzz {

inline const Channel& ChannelFor(std::string_view provider) {
  Inbox inbox;
  inbox.id = 1;
  inbox.channel = std::string(provider);
  inbox.config_json =
      R"({"phone_number_id":"106540352242922","page_id":"1234567890",)"
      R"("account_sid":"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX","from":"+14155550100"})";
  inbox.secret =
      R"({"access_token":"t","app_secret":"s","verify_token":"v","page_access_token":"t",)"
      R"("channel_secret":"s","channel_access_token":"t","bot_token":"1:A","secret_token":"s",)"
      R"("auth_token":"s"})";
  std::unique_ptr<ChannelFactory> factory;
  if (provider == "whatsapp") factory = MakeWhatsAppChannelFactory();
  if (provider == "messenger") factory = MakeMessengerChannelFactory();
  if (provider == "instagram") factory = MakeInstagramChannelFactory();
  if (provider == "line") factory = MakeLineChannelFactory();
  if (provider == "telegram") factory = MakeTelegramChannelFactory();
  if (provider == "twilio") factory = MakeTwilioChannelFactory();
  return *factory->Create(inbox).value().release();  // lives for the whole run
}

inline int FuzzWebhook(const Channel& channel, const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  HeaderLookup none = [](std::string_view) { return std::string_view(); };
  if (channel.VerifyWebhookRequest({none, body, "http://127.0.0.1/webhooks/x/1"}).ok()) {
    std::abort();  // an unsigned delivery must never verify
  }
  auto events = channel.ParseWebhook(body);
  if (!events.ok()) return 0;
  for (const InboundEvent& e : *events) {
    // A watermark receipt names no message: it covers every earlier one sent to its sender.
    bool watermark = e.kind == InboundKind::kStatus && e.watermark > 0;
    if (e.provider_message_id.empty() && !watermark) std::abort();
    if (watermark && (e.sender_id.empty() || !e.provider_message_id.empty())) std::abort();
    if (e.kind == InboundKind::kMessage && (e.sender_id.empty() || e.text.empty())) std::abort();
    if (e.kind == InboundKind::kStatus && !e.status) std::abort();
    if (!text::IsValidUtf8(e.text) || !text::IsValidUtf8(e.sender_id) ||
        !text::IsValidUtf8(e.provider_message_id)) {
      std::abort();
    }
  }
  return 0;
}

}  // namespace meridian::channels::fuzz
