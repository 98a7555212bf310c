// Check-digit validators for payment cards and national ids. Sources: ISO/IEC 7812 (Luhn) and
// issuers' published IIN ranges; Spain Real Decreto 1553/2005 (DNI letter) and Orden
// INT/2058/2008 (NIE); Receita Federal CPF; GB 11643-1999 (China, ISO 7064 MOD 11-2); Italian
// DM 12/03/1974 (codice fiscale); Dutch "elfproef"; Polish PESEL act; SSA SSN randomization
// notes (never-issued ranges); UIDAI Aadhaar (Verhoeff).

#include <array>
#include <string>

#include "nlp/entities/checksum.h"
#include "nlp/pii/pii.h"

namespace meridian::nlp {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

bool AllSame(std::string_view s) {
  for (char c : s) {
    if (c != s[0]) return false;
  }
  return true;
}

int PrefixValue(std::string_view digits, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n && i < digits.size(); ++i) v = v * 10 + (digits[i] - '0');
  return v;
}

char DniLetter(long long number) {
  static constexpr char kLetters[] = "TRWAGMYFPDXBNJZSQVHLCKE";
  return kLetters[number % 23];
}

}  // namespace

bool IsPaymentCard(std::string_view digits, std::string* issuer) {
  const size_t n = digits.size();
  if (n < 13 || n > 19 || !AllDigits(digits) || AllSame(digits)) return false;
  const int p1 = PrefixValue(digits, 1), p2 = PrefixValue(digits, 2);
  const int p3 = PrefixValue(digits, 3), p4 = PrefixValue(digits, 4);
  std::string name;
  // 13-digit Visa numbers are no longer issued; accepting them would flag EAN-13 barcodes.
  if (p1 == 4 && (n == 16 || n == 19)) {
    name = "visa";
  } else if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n == 16) {
    name = "mastercard";
  } else if ((p2 == 34 || p2 == 37) && n == 15) {
    name = "amex";
  } else if ((p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) && n >= 16) {
    name = "discover";
  } else if (p4 >= 3528 && p4 <= 3589 && n >= 16) {
    name = "jcb";
  } else if (((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) && n >= 14) {
    name = "diners";
  } else if (p2 == 62 && n >= 16) {
    name = "unionpay";
  } else if (p4 >= 2200 && p4 <= 2204 && n == 16) {
    name = "mir";
  } else if ((p2 == 50 || (p2 >= 56 && p2 <= 58) || p4 == 6304 || p4 == 6759 ||
              (p4 >= 6761 && p4 <= 6763)) &&
             n >= 16) {
    name = "maestro";
  } else {
    return false;
  }
  if (!checksum::Luhn(digits)) return false;
  if (issuer != nullptr) *issuer = name;
  return true;
}

bool IsSpanishDni(std::string_view id) {
  std::string compact = checksum::AlnumUpper(id);
  if (compact.size() != 9 || !AllDigits(std::string_view(compact).substr(0, 8))) return false;
  return DniLetter(std::stoll(compact.substr(0, 8))) == compact[8];
}

bool IsSpanishNie(std::string_view id) {
  std::string compact = checksum::AlnumUpper(id);
  if (compact.size() != 9) return false;
  char first = compact[0];
  if (first != 'X' && first != 'Y' && first != 'Z') return false;
  if (!AllDigits(std::string_view(compact).substr(1, 7))) return false;
  std::string number =
      std::string(1, static_cast<char>('0' + (first - 'X'))) + compact.substr(1, 7);
  return DniLetter(std::stoll(number)) == compact[8];
}

bool IsBrazilianCpf(std::string_view id) {
  std::string d = checksum::DigitsOnly(id);
  if (d.size() != 11 || AllSame(d)) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (d[static_cast<size_t>(i)] - '0') * (10 - i);
  int c1 = sum * 10 % 11 % 10;
  sum = 0;
  for (int i = 0; i < 10; ++i) sum += (d[static_cast<size_t>(i)] - '0') * (11 - i);
  int c2 = sum * 10 % 11 % 10;
  return c1 == d[9] - '0' && c2 == d[10] - '0';
}

bool IsChineseResidentId(std::string_view id) {
  if (id.size() != 18 || !AllDigits(id.substr(0, 17))) return false;
  // Birth date YYYYMMDD at offset 6 keeps random 18-digit strings out.
  int year = PrefixValue(id.substr(6), 4), month = PrefixValue(id.substr(10), 2),
      day = PrefixValue(id.substr(12), 2);
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  static constexpr char kCheck[] = "10X98765432";
  char check = id[17] == 'x' ? 'X' : id[17];
  return kCheck[sum % 11] == check;
}

bool IsItalianCodiceFiscale(std::string_view id) {
  if (id.size() != 16) return false;
  // Values for characters in odd (1st, 3rd, ...) positions; index = digit or letter - 'A'.
  static constexpr int kOdd[26] = {1,  0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                                   20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  int sum = 0;
  for (size_t i = 0; i < 15; ++i) {
    char c = id[i];
    int v;
    if (IsDigit(c)) {
      v = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else {
      return false;
    }
    sum += i % 2 == 0 ? kOdd[v] : v;
  }
  return id[15] == 'A' + sum % 26;
}

bool IsDutchBsn(std::string_view id) {
  std::string d = checksum::DigitsOnly(id);
  if (d.size() != 9 || AllSame(d)) return false;
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) sum += (d[i] - '0') * static_cast<int>(9 - i);
  sum -= d[8] - '0';
  return sum % 11 == 0;
}

bool IsPolishPesel(std::string_view id) {
  if (id.size() != 11 || !AllDigits(id) || AllSame(id)) return false;
  int month = PrefixValue(id.substr(2), 2) % 20, day = PrefixValue(id.substr(4), 2);
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  static constexpr int kWeights[10] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
  int sum = 0;
  for (size_t i = 0; i < 10; ++i) sum += (id[i] - '0') * kWeights[i];
  return (10 - sum % 10) % 10 == id[10] - '0';
}

bool IsUsSsn(std::string_view id) {
  std::string d = checksum::DigitsOnly(id);
  if (d.size() != 9) return false;
  int area = PrefixValue(d, 3), group = PrefixValue(std::string_view(d).substr(3), 2),
      serial = PrefixValue(std::string_view(d).substr(5), 4);
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
  // Numbers published in advertising and widely misused.
  if (d == "078051120" || d == "219099999" || d == "123456789") return false;
  return true;
}

bool IsIndianAadhaar(std::string_view id) {
  std::string d = checksum::DigitsOnly(id);
  if (d.size() != 12 || d[0] < '2' || AllSame(d)) return false;
  return checksum::Verhoeff(d);
}

}  // namespace meridian::nlp
