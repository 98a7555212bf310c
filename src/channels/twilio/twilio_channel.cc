#include "channels/twilio/twilio_channel.h"

#include <fmt/format.h>

#include <algorithm>

#include "channels/common/provider.h"
#include "core/crypto.h"

namespace meridian::channels {

namespace {

using nlohmann::json;
using Form = std::vector<std::pair<std::string, std::string>>;

std::string Get(const Form& form, std::string_view key) {
  for (const auto& [k, v] : form) {
    if (k == key) return v;
  }
  return {};
}

std::optional<DeliveryStatus> ParseStatus(std::string_view s) {
  if (s == "sent") return DeliveryStatus::kSent;
  if (s == "delivered") return DeliveryStatus::kDelivered;
  if (s == "read") return DeliveryStatus::kRead;
  if (s == "failed" || s == "undelivered") return DeliveryStatus::kFailed;
  return std::nullopt;  // accepted, queued, sending, scheduled, canceled, received
}

// Twilio's error dictionary for the codes a status callback carries most
// (https://www.twilio.com/docs/api/errors): the callback sends ErrorCode only, and agents need
// to read what it means.
std::string_view DescribeErrorCode(std::string_view code) {
  static const std::pair<std::string_view, std::string_view> kKnown[] = {
      {"21211", "Invalid 'To' phone number"},
      {"21408", "Permission to send an SMS has not been enabled for the region"},
      {"21610", "Attempt to send to unsubscribed recipient"},
      {"21614", "'To' number is not a valid mobile number"},
      {"30001", "Queue overflow"},
      {"30002", "Account suspended"},
      {"30003", "Unreachable destination handset"},
      {"30004", "Message blocked"},
      {"30005", "Unknown destination handset"},
      {"30006", "Landline or unreachable carrier"},
      {"30007", "Message filtered (carrier violation)"},
      {"30008", "Unknown error"},
      {"30034", "Message from an unregistered number"},
  };
  for (const auto& [known, text] : kKnown) {
    if (known == code) return text;
  }
  return {};
}

class TwilioChannel final : public Channel {
 public:
  TwilioChannel(std::string account_sid, std::string from, std::string webhook_url,
                std::string api_base, std::string auth_token)
      : account_sid_(std::move(account_sid)),
        from_(std::move(from)),
        webhook_url_(std::move(webhook_url)),
        api_base_(std::move(api_base)),
        auth_token_(std::move(auth_token)) {}

  std::string_view name() const override { return "twilio"; }
  Capabilities capabilities() const override {
    Capabilities c;
    c.sends_per_second = 1;  // a long code sends one message segment per second
    return c;
  }

  // Twilio reads the answer to an incoming message as TwiML instructions: an empty <Response/>
  // means "do not reply"
  // (https://www.twilio.com/docs/messaging/twiml#twilios-request-to-your-application).
  std::optional<WebhookAnswer> WebhookAcknowledgement() const override {
    return WebhookAnswer{"text/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"};
  }

  Status VerifyWebhook(const HeaderLookup& headers, std::string_view raw_body) const override {
    return VerifyWebhookRequest({headers, raw_body, webhook_url_});
  }

  Status VerifyWebhookRequest(const WebhookRequest& r) const override {
    std::string_view given = r.headers("x-twilio-signature");
    if (given.empty()) {
      return Status::Unauthenticated("missing X-Twilio-Signature header", "invalid_signature");
    }
    std::string url = webhook_url_.empty() ? r.url : webhook_url_;
    if (url.empty()) return Status::Unauthenticated("request URL unknown", "invalid_signature");
    auto form = ParseForm(r.raw_body);
    if (!form.ok()) return Status::Unauthenticated("body is not a form", "invalid_signature");
    if (!crypto::ConstantTimeEquals(given, TwilioSignature(auth_token_, url, std::move(*form)))) {
      return Status::Unauthenticated("signature does not match", "invalid_signature");
    }
    return Status::Ok();
  }

  Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const override {
    MERIDIAN_ASSIGN_OR_RETURN(Form form, ParseForm(raw_body));
    std::string sid = Get(form, "MessageSid");
    if (sid.empty()) sid = Get(form, "SmsSid");
    if (sid.empty())
      return Status::Unprocessable("field 'MessageSid' is required", "missing_field");
    std::string account = Get(form, "AccountSid");
    if (!account.empty() && account != account_sid_) {
      return Status::Unprocessable("AccountSid does not belong to this inbox", "invalid_field");
    }
    std::vector<InboundEvent> out;
    InboundEvent e;
    e.provider_message_id = sid;
    std::string status = Get(form, "MessageStatus");
    if (!status.empty() && status != "received") {
      auto s = ParseStatus(status);
      if (!s) return out;
      e.kind = InboundKind::kStatus;
      e.status = s;
      e.sender_id = NormalizeE164(Get(form, "To"));
      e.status_error = StatusErrorText(Get(form, "ErrorCode"), Get(form, "ErrorMessage"));
      out.push_back(std::move(e));
      return out;
    }
    std::string from = Get(form, "From");
    if (from.empty()) return Status::Unprocessable("field 'From' is required", "missing_field");
    e.sender_id = NormalizeE164(from);
    // The carrier delivered it from that number: a verified phone (CH8).
    if (!e.sender_id.empty()) e.claims.push_back({AttributeKind::kPhone, e.sender_id, true});
    if (e.sender_id.empty()) e.sender_id = from;  // short codes, alphanumeric senders
    e.text = Get(form, "Body");
    std::string media_count = Get(form, "NumMedia");
    if (!media_count.empty() && media_count != "0") {
      e.media_url = Get(form, "MediaUrl0");
      e.media_mime = Get(form, "MediaContentType0");
      std::string major = e.media_mime.substr(0, e.media_mime.find('/'));
      e.content_type =
          major == "image" || major == "video" || major == "audio" ? major : "document";
      if (e.text.empty()) e.text = fmt::format("[{}]", e.content_type);
    }
    out.push_back(std::move(e));
    FinishEvents(out);
    return out;
  }

  SendResult Send(const OutboundDelivery& d, HttpClient& http) const override {
    Form form = {{"To", d.recipient_external_id}, {"Body", d.message.text}};
    // A messaging service (MG...) picks the number itself.
    form.emplace_back(from_.rfind("MG", 0) == 0 ? "MessagingServiceSid" : "From", from_);
    if (!webhook_url_.empty()) form.emplace_back("StatusCallback", webhook_url_);
    HttpClientRequest req;
    req.url = fmt::format("{}/2010-04-01/Accounts/{}/Messages.json", api_base_, account_sid_);
    req.body = FormEncode(form);
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Authorization", "Basic " + crypto::Base64Encode(fmt::format(
                                                    "{}:{}", account_sid_, auth_token_))}};
    return SendAndClassify(http, req, "/sid");
  }

  // MediaUrl0 is fetched with HTTP basic auth (account SID : auth token) when the account
  // enforces media authentication (https://www.twilio.com/docs/messaging/guides/webhook-request).
  Result<FetchedMedia> FetchMedia(const MediaSource& source, HttpClient& http,
                                  int64_t max_bytes) const override {
    if (source.url.empty()) return Status::NotFound("no media URL", "no_media");
    auto media = FetchMediaUrl(
        http, source.url,
        {{"Authorization", "Basic " + crypto::Base64Encode(account_sid_ + ":" + auth_token_)}},
        "the media URL", max_bytes);
    // Twilio may deliver the webhook before the media is readable and answers 404 meanwhile
    // (support.twilio.com, "Intermittent 404 Errors When Accessing Media URLs"): retried.
    if (!media.ok() && media.status().code() == StatusCode::kNotFound &&
        media.status().reason() == "provider_refused") {
      return Status::Unavailable(media.status().message() + " (Twilio media not readable yet)");
    }
    return media;
  }

 private:
  std::string account_sid_, from_, webhook_url_, api_base_, auth_token_;
};

class TwilioChannelFactory final : public ChannelFactory {
 public:
  Result<std::unique_ptr<Channel>> Create(const Inbox& inbox) const override {
    MERIDIAN_ASSIGN_OR_RETURN(ProviderSettings s, ReadProviderSettings(inbox));
    MERIDIAN_ASSIGN_OR_RETURN(std::string sid, s.Config("account_sid"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string from, s.Config("from"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string base, s.ApiBase("https://api.twilio.com"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string token, s.Secret("auth_token"));
    std::string webhook = JsonString(s.config, "webhook_url");
    if (from.rfind("MG", 0) != 0) {
      std::string e164 = NormalizeE164(from);
      if (e164.empty()) {
        return Status::Unprocessable("from must be a phone number or a messaging service sid",
                                     "invalid_field");
      }
      from = e164;
    }
    return std::unique_ptr<Channel>(new TwilioChannel(
        std::move(sid), std::move(from), std::move(webhook), std::move(base), std::move(token)));
  }
};

}  // namespace

std::string StatusErrorText(std::string_view code, std::string_view message) {
  if (code.empty()) return std::string(message);
  std::string_view text = message.empty() ? DescribeErrorCode(code) : message;
  return text.empty() ? fmt::format("Twilio error {}", code) : fmt::format("{} {}", code, text);
}

std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            std::vector<std::pair<std::string, std::string>> params) {
  std::stable_sort(params.begin(), params.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string data(url);
  for (const auto& [k, v] : params) data += k + v;
  return crypto::Base64Encode(crypto::HmacSha1(auth_token, data));
}

std::unique_ptr<ChannelFactory> MakeTwilioChannelFactory() {
  return std::make_unique<TwilioChannelFactory>();
}

}  // namespace meridian::channels
