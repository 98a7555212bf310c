#pragma once
// Helpers shared by the provider adapters (WhatsApp, Messenger, Instagram, LINE, Telegram,
// Twilio): config and secrets of an inbox, JSON bodies, signatures, phone numbers, and the
// provider's HTTP answer. Nothing here knows a provider by name.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "channels/channel.h"

namespace meridian::channels {

// An inbox's settings: `config` (inbox.config_json: ids, api_base, templates; shown to admins)
// and `secrets` (inbox.secret holds a JSON object for provider inboxes; never shown or logged).
struct ProviderSettings {
  nlohmann::json config = nlohmann::json::object();
  nlohmann::json secrets = nlohmann::json::object();

  // The non-empty string at `key`; Unprocessable naming the key otherwise.
  Result<std::string> Config(std::string_view key) const;
  Result<std::string> Secret(std::string_view key) const;
  // `config.api_base` without a trailing '/', or `fallback`. Unprocessable when not http(s).
  Result<std::string> ApiBase(std::string_view fallback) const;
};

Result<ProviderSettings> ReadProviderSettings(const Inbox& inbox);

// A JSON object body: InvalidArgument for bad UTF-8, bad JSON or a non-object.
Result<nlohmann::json> ParseJsonObjectBody(std::string_view raw_body);

// Checks `header_value` == prefix + hex(HMAC-SHA256(secret, body)) in constant time.
Status VerifyHexHmacSha256(std::string_view header_name, std::string_view header_value,
                           std::string_view prefix, std::string_view secret, std::string_view body);

// Field readers that accept what providers send. Empty/0 when absent or of another type.
std::string JsonString(const nlohmann::json& obj, std::string_view key);
// A string or integer field as text (ids are sometimes numbers).
std::string JsonId(const nlohmann::json& obj, std::string_view key);
const nlohmann::json& JsonObject(const nlohmann::json& obj, std::string_view key);
const nlohmann::json& JsonArray(const nlohmann::json& obj, std::string_view key);
// Seconds (string or number) since the epoch to milliseconds; 0 when absent or invalid.
TimestampMs JsonSeconds(const nlohmann::json& obj, std::string_view key);

// Makes every message event storable: whitespace-only text becomes "[empty message]" and text
// is cut (on a UTF-8 boundary) to what one message may hold. A provider retries a delivery we
// refuse, so a message we cannot store as sent must still be stored, not refused forever.
void FinishEvents(std::vector<InboundEvent>& events);

// E.164 ("+14155550123") for a phone number written with or without '+' (WhatsApp's wa_id has
// none); empty when libphonenumber does not accept it as a possible number.
std::string NormalizeE164(std::string_view raw);

// An email address trimmed and lower-cased, for matching contacts; empty when it is not
// shaped like local@domain.tld (at most 254 bytes, no spaces or control characters).
std::string NormalizeEmail(std::string_view raw);

// Sends `request` and classifies the answer (channels::ClassifyHttpResult); on success
// `provider_message_id` is taken from the JSON body at `id_pointer` (a JSON pointer such as
// "/messages/0/id"), when given.
SendResult SendAndClassify(HttpClient& http, const HttpClientRequest& request,
                           std::string_view id_pointer);
// The same for an answer already received.
SendResult ClassifyWithId(const Result<HttpClientResponse>& response, std::string_view id_pointer);

// application/x-www-form-urlencoded pairs in order ('+' is a space). InvalidArgument for a bad
// %-escape or invalid UTF-8.
Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body);
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& pairs);

// One part of a multipart/form-data body (RFC 7578): a field, or a file when `filename` is set.
struct FormPart {
  std::string name;
  std::string data;
  std::string filename;
  std::string content_type;
};

// A multipart/form-data body: {content type with its boundary, body}. The boundary is random
// and checked to occur in no part. Names and filenames are quoted with '"', CR and LF replaced.
std::pair<std::string, std::string> EncodeMultipart(const std::vector<FormPart>& parts);

// The outbox payload the service stored with a reply (messaging type, tag, template); an empty
// object when it is not a JSON object.
nlohmann::json ParsePayload(std::string_view payload_json);

// The caption to send with `d`'s files: the message's text, or nothing for a file sent alone
// ("file_only": true in the payload, the text then being a placeholder such as "[image]").
std::string FileCaption(const OutboundDelivery& d);

}  // namespace meridian::channels
