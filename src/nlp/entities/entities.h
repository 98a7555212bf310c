#pragma once
// Entity extraction (requirement AI2): the facts a customer message carries that the bot and
// the agent act on — order numbers, tracking numbers, emails, phone numbers, amounts with a
// currency, and dates (absolute or relative, resolved in the customer's time zone).
//
// Quick use:
//   auto extractor = EntityExtractor::Create(OrderNumberConfig::Default());
//   ExtractOptions opts{.region = "DE", .time_zone = "Europe/Berlin", .now_ms = clock.NowMs()};
//   for (const Entity& e : (*extractor)->Extract("Wo ist 1Z999AA10123456784?", opts)) ...
//
// Spans are byte offsets into the UTF-8 text given to Extract: text.substr(start, end - start)
// is the entity's surface form. Entities never overlap; when two candidates overlap the more
// specific one wins (tracking > email > order > phone > amount > date). Output is sorted by start.
//
// Thread-safety: an EntityExtractor is immutable after Create; Extract may be called from many
// threads at once. Input need not be valid UTF-8 (spans then still index bytes); Extract never
// fails, it returns what it recognizes.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace meridian::nlp {

enum class EntityType { kOrderNumber, kTrackingNumber, kEmail, kPhone, kAmount, kDate };

// "order_number", "tracking_number", "email", "phone", "amount", "date".
std::string_view EntityTypeName(EntityType type);

struct Entity {
  EntityType type = EntityType::kOrderNumber;
  size_t start = 0;       // UTF-8 byte offset of the first byte
  size_t end = 0;         // one past the last byte
  std::string text;       // the surface form, text[start, end)
  double confidence = 0;  // 0..1; check-digit-valid numbers score >= 0.9, pattern-only lower
  // Canonical value: order id as written without '#'; compact upper-case tracking number;
  // lower-case email; E.164 phone; decimal amount with '.' ("1234.56"); ISO date "2024-03-12".
  std::string normalized;
  std::string carrier;           // tracking: "ups", "fedex", "usps", "dhl", "china_post", "ems",
                                 // "royal_mail", "upu_s10", "yunexpress", "cainiao"
  std::string country;           // tracking (S10 origin) or phone: ISO 3166 alpha-2
  std::string currency;          // amount: ISO 4217, e.g. "EUR"
  bool relative = false;         // date: written relative to now ("yesterday", "vor 3 Tagen")
  TimestampMs day_start_ms = 0;  // date: UTC instant of local midnight starting that day
};

// Per-store order number formats. Each pattern is an RE2 regex whose first capturing group is
// the order id (the whole match when it has no group). Matching is case-insensitive.
struct OrderNumberConfig {
  std::vector<std::string> patterns;
  // "#1234", "order 100234", "Bestellung Nr. 4711", "ORD-2024-00017", "pedido 5531".
  static OrderNumberConfig Default();
};

struct ExtractOptions {
  std::string region = "US";      // ISO 3166 alpha-2: phone hint, D/M vs M/D order, ¥ meaning
  std::string time_zone = "UTC";  // IANA zone of the customer for relative dates
  TimestampMs now_ms = 0;         // reference time for relative dates (UTC ms)
};

class EntityExtractor {
 public:
  // Compiles the patterns once. InvalidArgument("bad_order_pattern") names a pattern RE2
  // rejects.
  static Result<std::unique_ptr<EntityExtractor>> Create(OrderNumberConfig config);
  ~EntityExtractor();
  EntityExtractor(const EntityExtractor&) = delete;
  EntityExtractor& operator=(const EntityExtractor&) = delete;

  std::vector<Entity> Extract(std::string_view text, const ExtractOptions& options) const;

  struct Impl;

 private:
  explicit EntityExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Building blocks, also used by nlp/pii. Each appends its finds to `out` (unsorted, may overlap).
void FindTrackingNumbers(std::string_view text, std::vector<Entity>& out);
void FindEmails(std::string_view text, std::vector<Entity>& out);
// libphonenumber's matcher with `region` as the default country (lenient: valid numbers only).
void FindPhones(std::string_view text, std::string_view region, std::vector<Entity>& out);
// True when `candidate` parses (with `region` as default) as a valid phone number; sets
// `*e164` when non-null.
bool IsValidPhone(std::string_view candidate, std::string_view region, std::string* e164);
void FindAmounts(std::string_view text, std::string_view region, std::vector<Entity>& out);
void FindDates(std::string_view text, const ExtractOptions& options, std::vector<Entity>& out);

}  // namespace meridian::nlp
