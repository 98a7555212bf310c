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

// One inbound message parsed from a provider's payload.
struct InboundEvent {
  std::string provider_message_id;
  std::string sender_id;
  std::string sender_name;
  std::string text;
  TimestampMs sent_at = 0;
};

// What a channel needs to deliver one outbound message.
struct OutboundDelivery {
  Message message;
  std::string recipient_external_id;
  std::string payload_json;  // the outbox payload stored with the message
};

enum class DeliveryOutcome { kDelivered, kRetry, kPermanentFailure };

struct SendResult {
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string error;                      // provider's error, shown to agents
  std::optional<int64_t> retry_after_ms;  // from Retry-After, when given
};

struct Capabilities {
  // True: replies go through the outbox to the provider. False: delivered to the customer live
  // by Meridian itself (web chat).
  bool uses_outbox = true;
  bool signed_webhooks = true;
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual std::string_view name() const = 0;
  virtual Capabilities capabilities() const = 0;

  // Checks the provider's signature over the raw body bytes, before anything is parsed.
  // Unauthenticated("invalid_signature") when it does not verify.
  virtual Status VerifyWebhook(const HeaderLookup& headers, std::string_view raw_body) const = 0;

  // Parses a verified payload into events. InvalidArgument for malformed JSON/encoding,
  // Unprocessable (reason names the field) for a missing or invalid field.
  virtual Result<std::vector<InboundEvent>> ParseWebhook(std::string_view raw_body) const = 0;

  // Delivers one outbound message to the provider (called by the outbox worker, never from a
  // request handler).
  virtual SendResult Send(const OutboundDelivery& delivery, HttpClient& http) const = 0;
};

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
  // The Channel for `inbox`, created on first use. NotFound for an unregistered channel name.
  Result<std::shared_ptr<const Channel>> For(const Inbox& inbox);

 private:
  std::map<std::string, std::unique_ptr<ChannelFactory>, std::less<>> factories_;
  std::mutex mu_;
  std::map<Id, std::shared_ptr<const Channel>> instances_;
};

// Shared helper: classifies a provider's HTTP answer the way most providers need it
// (2xx delivered; 408/429/5xx retried, honouring Retry-After; other 4xx permanent).
SendResult ClassifyHttpResult(const Result<HttpClientResponse>& response);

}  // namespace meridian::channels
