#pragma once
// The email channel (CH2) behind the Channel contract (channels/channel.h).
//
// Config (inbox.config_json):
//   {"address": "support@example.com", "display_name": "Example Support"?,
//    "imap_url": "imaps://imap.example.com/INBOX", "smtp_url": "smtp://smtp.example.com:587",
//    "username": "support@example.com", "require_tls": true?, "verify_peer": true?,
//    "signature": "..."?, "message_id_domain": "example.com"?, "sent_folder": "Sent"?}
// `sent_folder`: where a copy of each sent reply is APPENDed when that mailbox exists
// (default "Sent"; "" turns it off).
// The password is inbox.secret (the CLI reads it from stdin; never logged).
//
// Inbound is not a webhook: an inbox worker polls ImapClient (mail_client.h) with the
// persisted ImapState and feeds each fetched mail to ParseWebhook(raw bytes), which parses it
// like any adapter's payload. The parsed mail's ThreadingKeys() decide the conversation, and
// ParsedEmail::is_automated() says automation must not answer it.
//
// Outbound payload (OutboundDelivery::payload_json), every field optional:
//   {"subject": str, "in_reply_to": str, "references": [str], "to_name": str,
//    "cc": [str], "auto_submitted": bool}
// `auto_submitted` must be true for bot/automated messages (RFC 3834), so other systems'
// auto-responders do not answer them. recipient_external_id is the customer's address.

#include <memory>
#include <mutex>
#include <string>

#include "channels/channel.h"
#include "channels/email/email.h"
#include "channels/email/mail_client.h"

namespace meridian::channels::email {

struct EmailAccount {
  Mailbox address;  // our address and display name
  MailServerConfig imap;
  MailServerConfig smtp;
  std::string signature;
  std::string message_id_domain;
  std::string sent_folder = "Sent";
};

// Attachments up to this size are stored (CH9); larger ones are described only.
inline constexpr int64_t kMaxEmailAttachmentBytes = 25 << 20;

// One fetched mail as the inbox worker stores it.
struct InboundMail {
  ParsedEmail parsed;
  InboundEvent event;  // provider_message_id = Message-ID, sender = From, text = display text
  // What to keep with the message (message meta): {"email": {subject, message_id,
  // in_reply_to, references, from, reply_to, to, cc, date, text_from_html, quoted_stripped},
  // "automated": "auto_reply"|"bulk"|"bounce" (absent for a person's mail),
  // "automated_reason", "bounce": {original_message_id, status, action, permanent,
  // failed_recipients}}.
  std::string meta_json;
  // Provider message ids that name the conversation, nearest first: In-Reply-To, References
  // newest first, and for a bounce the Message-ID of the mail that bounced.
  std::vector<std::string> thread_keys;
  bool from_us = false;  // sent by this inbox's own address (a copy of our reply): skip it
};

// Unprocessable("invalid_field", message names the field) for a bad config.
Result<EmailAccount> ParseEmailAccount(const Inbox& inbox);

std::unique_ptr<ChannelFactory> MakeEmailChannelFactory();

class EmailChannel final : public Channel {
 public:
  explicit EmailChannel(EmailAccount account) : account_(std::move(account)) {}

  std::string_view name() const override { return "email"; }
  Capabilities capabilities() const override {
    return {.uses_outbox = true,
            .signed_webhooks = false,
            .max_attachment_bytes = kMaxEmailAttachmentBytes,
            .sends_attachments = true};
  }
  // Subject ("Re: ..."), In-Reply-To, References and the customer's name for a reply to the
  // mail stored with `meta_json` (as InboundMail::meta_json).
  std::string ReplyContext(const std::string& provider_message_id,
                           const std::string& meta_json) const override;

  // Parses one mail fetched over IMAP. Errors as ParseEmail's.
  Result<InboundMail> ReadMail(std::string_view raw) const;
  // Email has no webhook: always NotFound("no_webhook").
  Status VerifyWebhook(const HeaderLookup& headers, std::string_view raw_body) const override;
  // `raw_body` is one RFC 5322 mail (from IMAP); one event, provider_message_id = Message-ID.
  Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const override;
  // Composes the reply and sends it over SMTP (`http` is unused); the result's
  // provider_message_id is the generated Message-ID. A copy goes to `sent_folder` when it
  // exists (failures there do not fail the send).
  SendResult Send(const OutboundDelivery& delivery, HttpClient& http) const override;

  struct Sent {
    SendResult result;
    std::string message_id;  // the generated Message-ID: store it as provider_message_id
  };
  // Send, plus the Message-ID a later customer reply will name in In-Reply-To/References.
  Sent SendEmail(const OutboundDelivery& delivery) const;

  const EmailAccount& account() const { return account_; }

 private:
  EmailAccount account_;
  mutable std::mutex smtp_mu_;
  mutable std::unique_ptr<SmtpClient> smtp_;  // guarded by smtp_mu_; one connection reused
  mutable std::unique_ptr<ImapClient> sent_;  // guarded by smtp_mu_; for the Sent copy
};

}  // namespace meridian::channels::email
