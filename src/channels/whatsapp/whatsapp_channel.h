#pragma once
// WhatsApp Business Cloud API channel.
//
// Official documentation followed:
//  - Webhooks (payload, messages, statuses, errors):
//    https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
//    https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
//  - Verification request and X-Hub-Signature-256:
//    https://developers.facebook.com/docs/graph-api/webhooks/getting-started
//  - Sending (text, media, template with language code and parameters):
//    https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
//    https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
//  - Customer service window (24 h, templates outside it):
//    https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
//
// Inbox config (config_json): {"phone_number_id", "api_base"?}; secrets (inbox.secret, JSON):
// {"access_token", "app_secret", "verify_token"}. Contacts are identified by their E.164 number
// ("+16315551181"). The inbox's approved message templates are kept by the store
// (/api/v1/inboxes/{id}/templates); the service checks a template against them before it
// reaches the outbox.
//
// Outbound payload (outbox): {"template"?: {"name", "language", "parameters": [str]},
// "media"?: {"type": "image|audio|video|document|sticker", "link" | "id", "caption"?}}.

#include <memory>

#include "channels/channel.h"

namespace meridian::channels {

std::unique_ptr<ChannelFactory> MakeWhatsAppChannelFactory();

}  // namespace meridian::channels
