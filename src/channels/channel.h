#pragma once
// The Channel contract: everything channel-specific sits behind this interface, one folder per
// channel, registered by name in one place (app/). Nothing outside a channel's folder switches
// on its type (STYLE.md rule 3).
//
// A ChannelFactory validates an inbox's config once into an immutable Channel. A Channel is
// immutable and thread-safe.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/http_client.h"
#include "core/model.h"
#include "core/status.h"

namespace meridian::channels {

// Header lookup by lower-case name; empty when absent.
using HeaderLookup = std::function<std::string_view(std::string_view)>;

// What a provider told us: a customer's message (text, media, location, a reaction, a reply to
// an earlier message) or a delivery status of one of our own messages.
enum class InboundKind { kMessage, kStatus };

// One inbound event parsed from a provider's payload. Only the fields of the first block are
// set by every channel; the rest default to empty.
struct InboundEvent {
  std::string provider_message_id;  // de-duplication key (message id, update id, event id)
  std::string sender_id;
  std::string sender_name;
  std::string text;  // for media: the caption, or "[image]" etc. when there is none
  TimestampMs sent_at = 0;

  InboundKind kind = InboundKind::kMessage;
  // text, image, audio, video, document, sticker, location, reaction, contacts, unsupported
  std::string content_type = "text";
  std::string media_id;    // the provider's media id (to download later)
  std::string media_url;   // when the provider gives a URL instead
  std::string media_mime;  // the provider's claimed type (sniffed again on download)
  std::optional<double> latitude, longitude;
  std::string reply_to_provider_id;  // the quoted message (or the one a reaction is on)
  std::string reaction;              // the emoji of a reaction ("" = reaction removed)
  std::string reply_token;           // LINE: answer with this token while it is valid
  bool redelivery = false;           // the provider says it sent this before
  // Emails and phones (normalized) the channel knows for the sender; verified only when the
  // channel proves them (a WhatsApp or SMS sender owns its number). CH8 merges on these.
  std::vector<ContactClaim> claims;

  // kStatus: `provider_message_id` is OUR message's id at the provider.
  std::optional<DeliveryStatus> status;
  // kStatus without a message id (Meta's read and delivery watermarks): every message we sent
  // to `sender_id` at or before this time has reached `status`.
  TimestampMs watermark = 0;
  std::string status_error;  // provider's error code and title for kFailed
};

// The raw request a webhook arrived in; `url` is the full URL the provider called (scheme, host,
// path and query), which some signatures cover (Twilio).
struct WebhookRequest {
  HeaderLookup headers;
  std::string_view raw_body;
  std::string url;
};

// What a channel needs to deliver one outbound message.
// A file an agent sent with a reply (CH9), read from the blob store for the attempt.
struct OutboundFile {
  std::string filename;
  std::string content_type;  // sniffed from the bytes when it was uploaded
  std::string bytes;
  Id attachment_id = 0;
};

struct OutboundDelivery {
  Message message;
  std::string recipient_external_id;
  std::string payload_json;  // the outbox payload stored with the message
  TimestampMs now = 0;       // the worker's clock at the attempt (reply-token lifetimes)
  // The message's files, in order. With "file_only": true in the payload the message's text is
  // only a placeholder ("[image]") and is not sent as a caption.
  std::vector<OutboundFile> files;
};

enum class DeliveryOutcome { kDelivered, kRetry, kPermanentFailure };

struct SendResult {
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string error;                      // provider's error, shown to agents
  std::optional<int64_t> retry_after_ms;  // from Retry-After, when given
  std::string provider_message_id;        // the provider's id of the sent message
};

// How long after the customer's last message a business may still write (section "Rules for
// every channel" of issue 3); evaluated by channels/policy/window_policy.h.
struct WindowRules {
  int64_t free_form_ms = 0;        // 0: no window, anything may be sent any time
  int64_t human_agent_ms = 0;      // >free_form_ms: messages by a human agent only, tagged
  bool templates_outside = false;  // approved templates may be sent when the window is closed
};

struct Capabilities {
  // True: replies go through the outbox to the provider. False: delivered to the customer live
  // by Meridian itself (web chat).
  bool uses_outbox = true;
  bool signed_webhooks = true;
  WindowRules window;
  double sends_per_second = 0;  // outbox rate limit per inbox; 0 = unlimited
  // Largest attachment stored (CH9); larger ones are kept as a description only. For channels
  // that take uploads (web chat) also the largest file a customer or agent may upload.
  int64_t max_attachment_bytes = 16 << 20;
  // Agents may send files with replies (web chat: delivered live, fetched by the visitor
  // through a signed URL; providers: uploaded with the send). False: a reply with a file is
  // refused (422).
  bool sends_attachments = false;
  // The longest caption a file may carry, in characters (0: no limit); a longer one is refused
  // (422) before anything is stored.
  int64_t max_caption_chars = 0;
  // False: a file goes without text (Messenger); a reply with a file and a caption is refused
  // (422 caption_not_supported) so the agent sends the text as its own message.
  bool file_captions = true;
};

// Inbound media to fetch from the provider (CH9): what the webhook said about it.
struct MediaSource {
  std::string id;    // the provider's media id (WhatsApp media id, Telegram file_id, LINE id)
  std::string url;   // when the payload carried a URL (Messenger, Instagram, Twilio)
  std::string mime;  // the provider's claim (never trusted: the bytes are sniffed)
};

struct FetchedMedia {
  std::string bytes;  // empty when the provider said it is larger than max_bytes
  int64_t size = 0;   // bytes.size(), or the size the provider declared
};

// A provider template Meridian does not offer agents, and why (not approved, or it needs
// parameters outside the body, which sends do not fill).
struct SkippedTemplate {
  std::string name;
  std::string language;
  std::string reason;
};

// The message templates a provider lists for an inbox (WhatsApp's management API).
struct TemplateCatalog {
  // APPROVED templates by name, each with every approved language (provider order) and its
  // body parameter count (the {{n}} placeholders of the BODY component).
  std::vector<MessageTemplate> approved;
  std::vector<SkippedTemplate> skipped;
  int listed = 0;  // (name, language) entries the provider listed, over every page
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual std::string_view name() const = 0;
  virtual Capabilities capabilities() const = 0;

  // Checks the provider's signature over the raw body bytes, before anything is parsed.
  // Unauthenticated("invalid_signature") when it does not verify.
  virtual Status VerifyWebhook(const HeaderLookup& headers, std::string_view raw_body) const = 0;

  // The same check with the full request (URL included); channels whose signature covers the
  // URL override this. The webhook route calls this one.
  virtual Status VerifyWebhookRequest(const WebhookRequest& request) const {
    return VerifyWebhook(request.headers, request.raw_body);
  }

  // A provider's subscription handshake (GET with hub.mode / hub.verify_token / hub.challenge):
  // the text to answer with, PermissionDenied for a wrong token, NotFound when the channel has
  // none.
  virtual Result<std::string> VerifySubscription(
      const std::map<std::string, std::string>& query) const {
    (void)query;
    return Status::NotFound("this channel has no subscription handshake");
  }

  // What to answer a provider's webhook with once its events are stored, when the provider
  // expects something other than Meridian's JSON (Twilio: an empty TwiML document). nullopt:
  // the default JSON answer.
  struct WebhookAnswer {
    std::string content_type;
    std::string body;
  };
  virtual std::optional<WebhookAnswer> WebhookAcknowledgement() const { return std::nullopt; }

  // What a reply's outbox payload needs from the customer's newest message (its provider id
  // and the meta stored with it), e.g. email's subject and threading headers: a JSON object
  // merged into the payload, or "" for nothing (the default).
  virtual std::string ReplyContext(const std::string& provider_message_id,
                                   const std::string& meta_json) const {
    (void)provider_message_id;
    (void)meta_json;
    return {};
  }

  // Parses a verified payload into events. InvalidArgument for malformed JSON/encoding,
  // Unprocessable (reason names the field) for a missing or invalid field.
  virtual Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const = 0;

  // Delivers one outbound message to the provider (called by the outbox worker, never from a
  // request handler).
  virtual SendResult Send(const OutboundDelivery& delivery, HttpClient& http) const = 0;

  // Downloads inbound media through the provider's API (after the webhook was answered),
  // never holding more than `max_bytes` of it: a declared or received size over `max_bytes`
  // answers the size without the bytes (FetchMediaUrl). Transient errors
  // (IsTransientFetchError: transport, 408, 429, 5xx) are retried by the media worker honouring
  // their retry_after_ms; the others (e.g. 401, 404, 410) fail the download at once. Messages
  // never contain a credential. NotFound("no_media") for channels without provider media.
  virtual Result<FetchedMedia> FetchMedia(const MediaSource& source, HttpClient& http,
                                          int64_t max_bytes) const {
    (void)source, (void)http, (void)max_bytes;
    return Status::NotFound("this channel has no provider media", "no_media");
  }

  // Every message template the provider lists for this inbox, following its pages.
  // NotFound("no_templates") for channels without provider templates;
  // Unprocessable("missing_field") when the inbox lacks what the listing needs (WhatsApp: the
  // business account id); a provider's refusal or failure as ProviderHttpError, with the
  // provider's own error message.
  virtual Result<TemplateCatalog> FetchTemplates(HttpClient& http) const {
    (void)http;
    return Status::NotFound("this channel has no provider templates", "no_templates");
  }
};

// Most bytes a provider's JSON answer about media (a URL lookup, getFile) may have.
constexpr int64_t kMaxProviderAnswerBytes = 1 << 20;

// A provider's non-2xx answer to a download as a Status, named after `what` (the URL is not
// repeated: provider URLs may carry credentials). 408, 429 and 5xx are transient
// (RateLimited / Unavailable, with the provider's Retry-After); every other answer (400, 401,
// 403, 404, 410, ...) is permanent: the provider will not serve these bytes, ever
// (InvalidArgument, Unauthenticated, PermissionDenied, NotFound; reason "provider_refused",
// "provider_gone" for 410).
// `detail` (the provider's own error text, never a credential) is appended when not empty.
Status ProviderHttpError(const HttpClientResponse& response, std::string_view what,
                         std::string_view detail = {});

// Whether a FetchMedia failure may pass by itself (retry with backoff) or is permanent
// (record it failed at once): Unavailable, RateLimited and Internal are transient.
bool IsTransientFetchError(const Status& status);

// GET `url` with `headers`; the body when 2xx, else ProviderHttpError. A body over
// `max_bytes` is not read to its end: TooLarge.
Result<std::string> FetchUrl(HttpClient& http, const std::string& url,
                             std::vector<std::pair<std::string, std::string>> headers,
                             std::string_view what, int64_t max_bytes = kMaxProviderAnswerBytes);

// GET inbound media at `url`, reading at most `max_bytes` (> 0): the transfer stops as soon as
// the declared Content-Length or the bytes received pass it, and the answer is then the size
// without the bytes (described, not stored). Errors as FetchUrl.
Result<FetchedMedia> FetchMediaUrl(HttpClient& http, const std::string& url,
                                   std::vector<std::pair<std::string, std::string>> headers,
                                   std::string_view what, int64_t max_bytes);

class ChannelFactory {
 public:
  virtual ~ChannelFactory() = default;
  // Validates the inbox's config and builds its Channel.
  virtual Result<std::unique_ptr<Channel>> Create(const Inbox& inbox) const = 0;
};

// Name -> factory, plus a cache of one Channel per inbox. Thread-safe.
class ChannelRegistry {
 public:
  void Register(std::string name, std::unique_ptr<ChannelFactory> factory);
  bool Has(std::string_view name) const;
  // Validates `inbox`'s config through its channel's factory without caching anything.
  Status Validate(const Inbox& inbox) const;
  // The Channel for `inbox`, created on first use and again whenever the inbox's revision
  // changes (its settings were edited). NotFound for an unregistered channel name.
  Result<std::shared_ptr<const Channel>> For(const Inbox& inbox);

 private:
  struct Instance {
    int64_t revision = 0;
    std::shared_ptr<const Channel> channel;
  };
  std::map<std::string, std::unique_ptr<ChannelFactory>, std::less<>> factories_;
  std::mutex mu_;
  std::map<Id, Instance> instances_;
};

// Shared helper: classifies a provider's HTTP answer the way most providers need it
// (2xx delivered; 408/429/5xx retried, honouring Retry-After; other 4xx permanent).
SendResult ClassifyHttpResult(const Result<HttpClientResponse>& response);

}  // namespace meridian::channels
