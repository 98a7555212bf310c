#pragma once
// PII detection and redaction (requirement PR1). Finds personal data in free text — emails,
// phone numbers, payment card numbers, IBANs, national ids that carry a checksum, passwords and
// one-time codes mentioned in the text, street addresses and postal codes — and rewrites the
// text so the data does not travel further (logs, search index, agents without permission).
//
// Quick use:
//   auto scanner = PiiScanner::Create();                       // compile once, share
//   std::vector<PiiMatch> found = (*scanner)->Scan(text, {.region = "DE"});
//   Redaction r = Redact(text, found, {.mode = RedactionMode::kToken, .account_key = key});
//
// Numbers are only reported when their check digit is valid (cards: Luhn plus issuer prefix
// and length; IBAN: mod 97 and country length; ids: their national checksum), which is what
// keeps order numbers, tracking numbers, prices and SKUs out. Spans are UTF-8 byte offsets into
// the scanned text and never overlap.
//
// Speed: text without a digit, '@' or a secret keyword ("password", "Passwort", "code", ...)
// is rejected by a byte prefilter; the rest is scanned in one RE2 pass.
//
// Thread-safety: a PiiScanner is immutable after Create; Scan may run on many threads. All free
// functions are thread-safe.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace meridian::nlp {

enum class PiiType {
  kEmail,
  kPhone,
  kCardNumber,
  kIban,
  kNationalId,
  kPassword,
  kOneTimeCode,
  kAddress,
  kPostalCode,
};

// "email", "phone", "card_number", "iban", "national_id", "password", "one_time_code",
// "address", "postal_code".
std::string_view PiiTypeName(PiiType type);

struct PiiMatch {
  PiiType type = PiiType::kEmail;
  size_t start = 0;  // UTF-8 byte offsets into the scanned text
  size_t end = 0;
  // Which kind: card issuer ("visa", "mastercard", "amex", ...), national id scheme ("es_dni",
  // "es_nie", "br_cpf", "cn_resident_id", "it_codice_fiscale", "nl_bsn", "pl_pesel", "us_ssn",
  // "in_aadhaar"), or empty.
  std::string subtype;
  // Canonical form used for tokens: digits of cards/phones/ids, compact IBAN, lower-case
  // email, the secret itself for passwords/codes.
  std::string normalized;
};

struct ScanOptions {
  std::string region = "US";  // ISO 3166 alpha-2; default country for phone numbers
};

class PiiScanner {
 public:
  // Compiles the patterns. Fails only if a built-in pattern does not compile (a bug).
  static Result<std::unique_ptr<PiiScanner>> Create();
  ~PiiScanner();
  PiiScanner(const PiiScanner&) = delete;
  PiiScanner& operator=(const PiiScanner&) = delete;

  // All PII in `text`, sorted by start, non-overlapping. Never fails; any bytes accepted.
  std::vector<PiiMatch> Scan(std::string_view text, const ScanOptions& options = {}) const;

  // The prefilter alone: false means Scan would certainly find nothing.
  bool MayContainPii(std::string_view text) const;

  struct Impl;

 private:
  explicit PiiScanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

enum class RedactionMode {
  kMask,    // "****1234": cards and phones keep their last 4 digits, emails their domain
  kToken,   // "[card_number:3f9a1c2b]": HMAC-SHA256(account_key, type:value), stable per account
  kRemove,  // "[card_number]": for logs
};

// "mask" | "token" | "remove"; InvalidArgument("bad_redaction_mode") otherwise.
Result<RedactionMode> ParseRedactionMode(std::string_view name);

struct RedactOptions {
  RedactionMode mode = RedactionMode::kMask;
  std::string account_key;  // required for kToken; tokens differ between accounts
};

struct Redaction {
  std::string text;             // the rewritten text
  std::vector<PiiMatch> found;  // spans refer to the ORIGINAL text
};

// Rewrites `text`, replacing each match (from Scan over the same text) per `options`.
Redaction Redact(std::string_view text, std::vector<PiiMatch> found, const RedactOptions& options);

// What the store calls before persisting any message text: every payment card number is
// replaced by its mask ("****1234"); nothing else changes. Uses a process-wide scanner.
std::string ScrubCardNumbers(std::string_view text);

// Luhn-valid, with a known issuer prefix and a length that issuer uses; sets `*issuer`.
bool IsPaymentCard(std::string_view digits, std::string* issuer);

// National id validators. Input is the id as written (separators allowed where customary).
bool IsSpanishDni(std::string_view id);            // 8 digits + control letter (mod 23)
bool IsSpanishNie(std::string_view id);            // X/Y/Z + 7 digits + control letter
bool IsBrazilianCpf(std::string_view id);          // 11 digits, two mod 11 check digits
bool IsChineseResidentId(std::string_view id);     // 17 digits + check (ISO 7064 mod 11-2)
bool IsItalianCodiceFiscale(std::string_view id);  // 16 chars, odd/even table check letter
bool IsDutchBsn(std::string_view id);              // 9 digits, 11-test
bool IsPolishPesel(std::string_view id);           // 11 digits, weights 1 3 7 9
bool IsUsSsn(std::string_view id);                 // AAA-GG-SSSS with SSA exclusions
bool IsIndianAadhaar(std::string_view id);         // 12 digits, first 2-9, Verhoeff

}  // namespace meridian::nlp
