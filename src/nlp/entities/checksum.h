#pragma once
// Check-digit algorithms for identifiers that appear in customer messages: tracking numbers
// (UPU S10, UPS, FedEx, DHL, USPS) and the payment/identity numbers that PII detection
// validates (Luhn, IBAN mod 97, Verhoeff). Shared by nlp/entities and nlp/pii (pii depends on
// entities, never the reverse).
//
// Every function takes the characters that carry the check digit; separators must already be
// removed (see DigitsOnly). All functions are pure and thread-safe; none allocates except
// DigitsOnly. Input with a character outside the expected alphabet yields false.

#include <string>
#include <string_view>

namespace meridian::nlp::checksum {

// `s` with every ASCII digit kept and everything else dropped.
std::string DigitsOnly(std::string_view s);
// `s` with ASCII letters upper-cased and everything except [A-Z0-9] dropped.
std::string AlnumUpper(std::string_view s);

// Luhn (ISO/IEC 7812): payment cards, IMEI. `digits` includes the check digit.
bool Luhn(std::string_view digits);

// UPU S10 (e.g. "RR123456785CN"): 2 letters, 8 serial digits, check digit, 2 letters. Weights
// 8 6 4 2 3 5 9 7, mod 11 (10 -> 0, 11 -> 5).
bool UpuS10(std::string_view id);

// UPS "1Z" + 16 alphanumerics; mod 10 over the 15 characters after "1Z", letters mapped to
// (ord - 3) % 10, odd positions doubled.
bool Ups1Z(std::string_view id);

// Weighted mod 10 as couriers define it: position i (0-based, left to right) of `serial` is
// multiplied by `even_mult` when i is even and `odd_mult` when i is odd; the check digit makes
// the sum a multiple of 10.
bool Mod10Weighted(std::string_view serial, char check, int even_mult, int odd_mult);

// FedEx Express 12-digit: weights 3 1 7 over the first 11 digits, sum mod 11 mod 10.
bool FedEx12(std::string_view digits);
// FedEx Ground 15-digit: mod 10, weights 1 3 from the left over 14 digits.
bool FedEx15(std::string_view digits);
// FedEx Ground "96" 22-digit: mod 10, weights 1 3 over the 14 digits before the check.
bool FedEx96(std::string_view digits);
// USPS 20- and 22-digit (IMpb): mod 10, weights 3 1 from the left; a 20-digit number is
// valid as written or, when it does not start with 9[1-5], with "91" prepended.
bool UspsImpb(std::string_view digits);
// FedEx SmartPost 20-digit: IMpb mod 10 with "92" prepended.
bool FedExSmartPost(std::string_view digits);
// DHL Express 10-digit waybill: the first 9 digits mod 7 equal the last.
bool DhlExpress10(std::string_view digits);

// IBAN (ISO 13616): country length table and mod 97 == 1. `iban` is compact upper-case.
bool Iban(std::string_view iban);
// Verhoeff (Indian Aadhaar). `digits` includes the check digit.
bool Verhoeff(std::string_view digits);

}  // namespace meridian::nlp::checksum
