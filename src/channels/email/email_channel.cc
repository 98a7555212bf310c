#include "channels/email/email_channel.h"

#include <nlohmann/json.hpp>

#include "channels/common/provider.h"
#include "channels/email/compose.h"
#include "channels/email/internal.h"

namespace meridian::channels::email {
namespace {

using nlohmann::json;

Status Invalid(std::string_view field, std::string_view why) {
  return Status::Unprocessable("email inbox: '" + std::string(field) + "' " + std::string(why),
                               "invalid_field");
}

std::string StringField(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool BoolField(const json& obj, const char* key, bool fallback) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

class EmailChannelFactory final : public ChannelFactory {
 public:
  Result<std::unique_ptr<Channel>> Create(const Inbox& inbox) const override {
    MERIDIAN_ASSIGN_OR_RETURN(EmailAccount account, ParseEmailAccount(inbox));
    return std::unique_ptr<Channel>(new EmailChannel(std::move(account)));
  }
};

}  // namespace

Result<EmailAccount> ParseEmailAccount(const Inbox& inbox) {
  json config = json::parse(inbox.config_json, nullptr, false);
  if (!config.is_object()) return Invalid("config", "must be a JSON object");
  EmailAccount a;
  a.address.address = StringField(config, "address");
  a.address.name = StringField(config, "display_name");
  size_t at = a.address.address.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == a.address.address.size() ||
      a.address.address.find_first_of(" \r\n<>,;\"") != std::string::npos) {
    return Invalid("address", "must be an email address");
  }
  for (auto* cfg : {&a.imap, &a.smtp}) {
    cfg->username = StringField(config, "username");
    cfg->password = inbox.secret;
    cfg->require_tls = BoolField(config, "require_tls", false);
    cfg->verify_peer = BoolField(config, "verify_peer", true);
  }
  if (a.imap.username.empty()) return Invalid("username", "is required");
  a.imap.url = StringField(config, "imap_url");
  a.smtp.url = StringField(config, "smtp_url");
  std::string imap_scheme = internal::AsciiLower(a.imap.url.substr(0, 8));
  if (imap_scheme.rfind("imap://", 0) != 0 && imap_scheme.rfind("imaps://", 0) != 0) {
    return Invalid("imap_url", "must be an imap:// or imaps:// URL");
  }
  std::string smtp_scheme = internal::AsciiLower(a.smtp.url.substr(0, 8));
  if (smtp_scheme.rfind("smtp://", 0) != 0 && smtp_scheme.rfind("smtps://", 0) != 0) {
    return Invalid("smtp_url", "must be an smtp:// or smtps:// URL");
  }
  a.signature = StringField(config, "signature");
  if (auto sent = config.find("sent_folder"); sent != config.end()) {
    if (!sent->is_string()) return Invalid("sent_folder", "must be a string");
    a.sent_folder = sent->get<std::string>();
    if (a.sent_folder.find_first_of("\r\n\"\\/;?%") != std::string::npos) {
      return Invalid("sent_folder", "must be a plain mailbox name");
    }
  }
  a.message_id_domain = StringField(config, "message_id_domain");
  if (a.message_id_domain.empty()) a.message_id_domain = a.address.address.substr(at + 1);
  return a;
}

std::unique_ptr<ChannelFactory> MakeEmailChannelFactory() {
  return std::make_unique<EmailChannelFactory>();
}

Status EmailChannel::VerifyWebhook(const HeaderLookup&, std::string_view) const {
  return Status::NotFound("email inboxes receive mail over IMAP, not webhooks", "no_webhook");
}

Result<std::vector<InboundEvent>> EmailChannel::ParseWebhook(std::string_view raw_body) const {
  MERIDIAN_ASSIGN_OR_RETURN(ParsedEmail parsed, ParseEmail(raw_body));
  return std::vector<InboundEvent>{ToInboundEvent(parsed, raw_body)};
}

namespace {

json MailboxJson(const Mailbox& m) { return {{"name", m.name}, {"address", m.address}}; }

json MailboxesJson(const std::vector<Mailbox>& list) {
  json out = json::array();
  for (const auto& m : list) out.push_back(MailboxJson(m));
  return out;
}

std::vector<std::string> StringList(const json& obj, const char* key) {
  std::vector<std::string> out;
  if (auto it = obj.find(key); it != obj.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// References kept with a message: the thread root and the newest ancestors (RFC 5322 3.6.4).
std::vector<std::string> TrimReferences(std::vector<std::string> refs) {
  constexpr size_t kMax = 20;
  if (refs.size() <= kMax) return refs;
  std::vector<std::string> out{refs.front()};
  out.insert(out.end(), refs.end() - (kMax - 1), refs.end());
  return out;
}

}  // namespace

Result<InboundMail> EmailChannel::ReadMail(std::string_view raw) const {
  ParseOptions options;
  options.max_attachment_bytes = static_cast<size_t>(kMaxEmailAttachmentBytes);
  MERIDIAN_ASSIGN_OR_RETURN(ParsedEmail parsed, ParseEmail(raw, options));
  InboundMail mail;
  mail.event = ToInboundEvent(parsed, raw);
  mail.thread_keys = ThreadingKeys(parsed);
  if (parsed.bounce && !parsed.bounce->original_message_id.empty()) {
    mail.thread_keys.push_back(parsed.bounce->original_message_id);
  }
  mail.from_us =
      internal::AsciiLower(parsed.from.address) == internal::AsciiLower(account_.address.address);
  json email = {{"subject", parsed.subject},
                {"message_id", parsed.message_id},
                {"in_reply_to", parsed.in_reply_to},
                {"references", TrimReferences(parsed.references)},
                {"from", MailboxJson(parsed.from)},
                {"reply_to", MailboxesJson(parsed.reply_to)},
                {"to", MailboxesJson(parsed.to)},
                {"cc", MailboxesJson(parsed.cc)},
                {"date", parsed.date ? json(*parsed.date) : json(nullptr)},
                {"text_from_html", parsed.text_from_html},
                {"quoted_stripped", internal::TrimWhitespace(parsed.display_text) !=
                                        internal::TrimWhitespace(parsed.text)}};
  json meta = {{"email", email}};
  if (parsed.is_automated()) {
    meta["automated"] = AutomatedKindName(parsed.automated);
    meta["automated_reason"] = parsed.automated_reason;
  }
  if (parsed.bounce) {
    const BounceInfo& b = *parsed.bounce;
    meta["bounce"] = {{"original_message_id", b.original_message_id},
                      {"failed_recipients", b.failed_recipients},
                      {"status", b.status},
                      {"action", b.action},
                      {"permanent", b.permanent}};
  }
  mail.meta_json = meta.dump(-1, ' ', false, json::error_handler_t::replace);
  mail.parsed = std::move(parsed);
  return mail;
}

std::string EmailChannel::ReplyContext(const std::string& provider_message_id,
                                       const std::string& meta_json) const {
  json meta = json::parse(meta_json.empty() ? "{}" : meta_json, nullptr, false);
  if (!meta.is_object() || !meta.contains("email") || !meta["email"].is_object()) return {};
  const json& email = meta["email"];
  ParsedEmail original;
  original.message_id = StringField(email, "message_id");
  // A mail without a Message-ID was stored under a content hash: nothing to name in headers.
  if (original.message_id.empty() && provider_message_id.rfind("sha256:", 0) != 0) {
    original.message_id = provider_message_id;
  }
  original.subject = StringField(email, "subject");
  original.in_reply_to = StringList(email, "in_reply_to");
  original.references = StringList(email, "references");
  OutgoingEmail reply = ReplyTo(original, account_.address, "");
  json out = {{"subject", reply.subject},
              {"in_reply_to", reply.in_reply_to},
              {"references", reply.references}};
  if (auto from = email.find("from"); from != email.end() && from->is_object()) {
    out["to_name"] = StringField(*from, "name");
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

SendResult EmailChannel::Send(const OutboundDelivery& delivery, HttpClient&) const {
  Sent sent = SendEmail(delivery);
  sent.result.provider_message_id = sent.message_id;
  return sent.result;
}

EmailChannel::Sent EmailChannel::SendEmail(const OutboundDelivery& delivery) const {
  Sent sent;
  json payload =
      json::parse(delivery.payload_json.empty() ? "{}" : delivery.payload_json, nullptr, false);
  if (!payload.is_object()) payload = json::object();
  OutgoingEmail mail;
  mail.from = account_.address;
  mail.to = {{StringField(payload, "to_name"), delivery.recipient_external_id}};
  if (auto cc = payload.find("cc"); cc != payload.end() && cc->is_array()) {
    for (const auto& c : *cc) {
      if (c.is_string()) mail.cc.push_back({"", c.get<std::string>()});
    }
  }
  mail.subject = StringField(payload, "subject");
  mail.text = FileCaption(delivery);
  for (const OutboundFile& f : delivery.files)
    mail.files.push_back({f.filename, f.content_type, f.bytes});
  mail.signature = account_.signature;
  mail.in_reply_to = StringField(payload, "in_reply_to");
  if (auto refs = payload.find("references"); refs != payload.end() && refs->is_array()) {
    for (const auto& r : *refs) {
      if (r.is_string()) mail.references.push_back(r.get<std::string>());
    }
  }
  mail.message_id_domain = account_.message_id_domain;
  mail.date = delivery.message.created_at;
  mail.auto_submitted = BoolField(payload, "auto_submitted", false) ||
                        delivery.message.sender_kind == SenderKind::kBot ||
                        delivery.message.sender_kind == SenderKind::kSystem;
  auto composed = ComposeEmail(mail);
  if (!composed.ok()) {
    sent.result = {DeliveryOutcome::kPermanentFailure, composed.status().message(), std::nullopt};
    return sent;
  }
  std::lock_guard<std::mutex> lock(smtp_mu_);
  if (!smtp_) {
    auto client = SmtpClient::Create(account_.smtp);
    if (!client.ok()) {
      sent.result = {DeliveryOutcome::kPermanentFailure, client.status().message(), std::nullopt};
      return sent;
    }
    smtp_ = std::move(client).value();
  }
  sent.result = smtp_->Send(composed->envelope_from, composed->recipients, composed->raw);
  sent.message_id = composed->message_id;
  if (sent.result.outcome == DeliveryOutcome::kDelivered && !account_.sent_folder.empty()) {
    // The copy in Sent is a courtesy for people who also read the mailbox in a mail client: a
    // missing folder or a failed APPEND never fails (or repeats) the send.
    if (!sent_) {
      auto imap = ImapClient::Create(account_.imap);
      if (imap.ok()) sent_ = std::move(imap).value();
    }
    if (sent_) static_cast<void>(sent_->Append(composed->raw, account_.sent_folder));
  }
  return sent;
}

}  // namespace meridian::channels::email
