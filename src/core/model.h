#pragma once
// Domain types shared by every layer: plain values, no behaviour beyond naming.
// Ids are 64-bit integers assigned by the store. Times are UTC milliseconds (core/clock.h).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace meridian {

using Id = int64_t;

enum class Role { kAgent, kSupervisor, kAdmin };
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
// True when `have` grants at least what `need` does (admin > supervisor > agent).
bool RoleAtLeast(Role have, Role need);

struct Agent {
  Id id = 0;
  std::string email;
  std::string name;
  Role role = Role::kAgent;
  std::string language = "en";  // interface language: "en" or "zh-CN"
  // The language the agent reads and writes messages in (any language code); "" means the
  // team's working language (serve --working-language).
  std::string translation_language;
  TimestampMs created_at = 0;
};

enum class ConversationStatus { kOpen, kPending, kSnoozed, kResolved };
std::string_view ConversationStatusName(ConversationStatus s);
std::optional<ConversationStatus> ParseConversationStatus(std::string_view name);

enum class Direction { kIn, kOut };
std::string_view DirectionName(Direction d);

enum class SenderKind { kCustomer, kAgent, kBot, kSystem };
std::string_view SenderKindName(SenderKind k);

enum class DeliveryStatus { kReceived, kPending, kSent, kDelivered, kRead, kFailed };
std::string_view DeliveryStatusName(DeliveryStatus s);

struct Inbox {
  Id id = 0;
  std::string channel;  // "webchat", "api", ...
  std::string name;
  std::string config_json;  // channel-specific settings, validated by the channel's factory
  std::string secret;       // signing secret (API channel); never logged
  TimestampMs created_at = 0;
  // Bumped by every change to the row: caches of the inbox and of its Channel compare it.
  int64_t revision = 0;
  // After a secret rotation (API channel): the secret it replaced, still accepted on inbound
  // requests until `previous_secret_until` (0 = not at all). Never logged.
  std::string previous_secret;
  TimestampMs previous_secret_until = 0;
};

struct Contact {
  Id id = 0;
  std::string name;
  std::string email;
  std::string phone;
  std::string language;
  TimestampMs created_at = 0;
  std::string country;    // ISO 3166-1 alpha-2, "" = unknown
  std::string time_zone;  // IANA, "" = unknown (the account's default applies)
};

// A file that came with a message (CH9): its bytes are a blob named by `sha256_hex` (see
// store/blob_store.h); `content_type` was sniffed from those bytes, never taken from the sender.
struct Attachment {
  Id id = 0;
  Id message_id = 0;
  Id inbox_id = 0;
  std::string filename;      // as the sender named it (UTF-8); may be empty
  std::string content_type;  // sniffed from the bytes
  std::string claimed_type;  // what the sender said it was (informational only)
  std::string content_id;    // an inline image's Content-ID (email cid:), else empty
  bool is_inline = false;    // shown inside the message body by the sender's client
  bool stored = true;        // false: over the channel's size limit, only described
  int64_t size = 0;          // bytes
  std::string sha256_hex;    // the blob's name; empty when not stored
  TimestampMs created_at = 0;
  // Provider media (CH9) fetched after the message was stored: "" when done (or not
  // downloaded at all), "pending" while the media worker still tries, "failed" when it gave up
  // or the file was over the limit; `download_error` says why for agents.
  std::string download;
  std::string download_error;
  std::string source_json;  // where to fetch it: {"id"?, "url"?, "mime"?} (pending rows)
};

// A verified or claimed way to reach a contact (CH8). Phones are E.164, emails lower case.
enum class AttributeKind { kEmail, kPhone };
std::string_view AttributeKindName(AttributeKind k);
std::optional<AttributeKind> ParseAttributeKind(std::string_view name);

// What a channel tells us about the sender besides its id: an email or phone number, verified
// when the channel proves it (WhatsApp and SMS senders own their number, a signed integrator
// says so) and merely claimed otherwise (a visitor typing an address).
struct ContactClaim {
  AttributeKind kind = AttributeKind::kEmail;
  std::string value;
  bool verified = false;
};

struct ContactAttribute {
  AttributeKind kind = AttributeKind::kEmail;
  std::string value;
  bool verified = false;
  Id identity_id = 0;  // the identity that brought it (attributes follow identities on split)
  TimestampMs created_at = 0;
};

// One channel identity of a contact: (inbox, external id) is unique.
struct ContactIdentity {
  Id id = 0;
  Id contact_id = 0;
  Id inbox_id = 0;
  std::string inbox_name;
  std::string channel;
  std::string external_id;
  std::string name;  // the name the channel gave when the identity was first seen
  TimestampMs created_at = 0;
  std::vector<ContactAttribute> attributes;
};

struct Message {
  Id id = 0;
  Id conversation_id = 0;
  Id inbox_id = 0;
  Direction direction = Direction::kIn;
  SenderKind sender_kind = SenderKind::kCustomer;
  std::optional<Id> sender_agent_id;
  std::string sender_name;
  std::string text;
  std::string content_type = "text";
  DeliveryStatus status = DeliveryStatus::kReceived;
  std::optional<std::string> provider_message_id;
  std::optional<std::string> client_message_id;
  TimestampMs created_at = 0;
  // Filled by the enrichment pipeline after the message is stored (inbound messages only):
  // the detected language ("" until enriched) and the pipeline's findings as a JSON object
  // ("" until enriched). See service/enricher.h.
  std::string language;
  std::string nlu_json;
  std::string status_error;  // the provider's error when status is failed
  std::string meta_json;     // provider details of an inbound message (media, location, quote)
  // The outbox entry of an outbound message that became a dead letter (CH7): agents see it on
  // the message and may retry it. nullopt while it is being delivered or after it was.
  std::optional<Id> dead_letter_id;
  std::vector<Attachment> attachments;  // files that came with it, in the sender's order
  // An agent's reply sent in translation (LG2): `text` is what the customer received (in
  // `language`), `original_text` what the agent wrote (in `original_language`). Empty otherwise.
  std::string original_text;
  std::string original_language;
};

// A message template the provider approved for an inbox (WhatsApp), in the languages it was
// approved in. Sent outside the messaging window instead of free text.
struct MessageTemplate {
  std::string name;
  std::vector<std::string> languages;  // provider language codes: "en_US", "de", "pt_BR"
  // How many body parameters ({{1}}, {{2}}, ...) it takes; nullopt when not recorded (not
  // checked before sending).
  std::optional<int> parameter_count;
  std::string body;  // the approved text with its {{n}} placeholders, for agents; may be empty
};

struct MessageSummary {
  Id id = 0;
  std::string text;
  Direction direction = Direction::kIn;
  SenderKind sender_kind = SenderKind::kCustomer;
  TimestampMs created_at = 0;
};

// A conversation as agents see it in lists: joined with its inbox, contact, assignee and
// last message.
struct ConversationView {
  Id id = 0;
  ConversationStatus status = ConversationStatus::kOpen;
  Id inbox_id = 0;
  std::string inbox_name;
  std::string channel;
  Id contact_id = 0;
  std::string contact_name;
  std::string contact_external_id;  // the customer's id on the conversation's channel
  std::optional<Id> assignee_id;
  std::string assignee_name;
  int priority = 0;
  std::string language;
  bool language_set_by_agent = false;  // an agent chose `language`; detection never changes it
  int64_t unread_count = 0;
  std::optional<MessageSummary> last_message;
  TimestampMs last_activity_at = 0;
  TimestampMs created_at = 0;
};

}  // namespace meridian
