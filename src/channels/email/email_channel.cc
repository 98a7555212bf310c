#include "channels/email/email_channel.h"

#include <nlohmann/json.hpp>

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

SendResult EmailChannel::Send(const OutboundDelivery& delivery, HttpClient&) const {
  return SendEmail(delivery).result;
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
  mail.text = delivery.message.text;
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
  return sent;
}

}  // namespace meridian::channels::email
