#include "nlp/entities/checksum.h"

#include <array>
#include <cstring>

namespace meridian::nlp::checksum {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

// IBAN lengths per country (SWIFT IBAN registry).
struct IbanLength {
  char country[3];
  int length;
};
constexpr IbanLength kIbanLengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
    {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
    {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

}  // namespace

std::string DigitsOnly(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (IsDigit(c)) out.push_back(c);
  }
  return out;
}

std::string AlnumUpper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (IsDigit(c) || IsUpper(c)) out.push_back(c);
  }
  return out;
}

bool Luhn(std::string_view digits) {
  if (digits.size() < 2 || !AllDigits(digits)) return false;
  int sum = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

bool UpuS10(std::string_view id) {
  if (id.size() != 13 || !IsUpper(id[0]) || !IsUpper(id[1]) || !IsUpper(id[11]) ||
      !IsUpper(id[12]) || !AllDigits(id.substr(2, 9))) {
    return false;
  }
  static constexpr int kWeights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (id[2 + i] - '0') * kWeights[i];
  int check = 11 - sum % 11;
  if (check == 10) check = 0;
  if (check == 11) check = 5;
  return check == id[10] - '0';
}

bool Ups1Z(std::string_view id) {
  if (id.size() != 18 || id[0] != '1' || id[1] != 'Z') return false;
  int sum = 0;
  for (size_t i = 2; i < 17; ++i) {
    char c = id[i];
    int v;
    if (IsDigit(c)) {
      v = c - '0';
    } else if (IsUpper(c)) {
      v = (c - 3) % 10;
    } else {
      return false;
    }
    if ((i - 2) % 2 == 1) v *= 2;
    sum += v;
  }
  if (!IsDigit(id[17])) return false;
  return (10 - sum % 10) % 10 == id[17] - '0';
}

bool Mod10Weighted(std::string_view serial, char check, int even_mult, int odd_mult) {
  if (!AllDigits(serial) || !IsDigit(check)) return false;
  int sum = 0;
  for (size_t i = 0; i < serial.size(); ++i) {
    sum += (serial[i] - '0') * (i % 2 == 0 ? even_mult : odd_mult);
  }
  return (10 - sum % 10) % 10 == check - '0';
}

bool FedEx12(std::string_view digits) {
  if (digits.size() != 12 || !AllDigits(digits)) return false;
  static constexpr int kWeights[3] = {3, 1, 7};
  int sum = 0;
  for (int i = 0; i < 11; ++i) sum += (digits[i] - '0') * kWeights[i % 3];
  return sum % 11 % 10 == digits[11] - '0';
}

bool FedEx15(std::string_view digits) {
  return digits.size() == 15 && Mod10Weighted(digits.substr(0, 14), digits[14], 1, 3);
}

bool FedEx96(std::string_view digits) {
  // Check digit over the 14-digit shipper + package id after "96", SCNC and service type.
  return digits.size() == 22 && digits.substr(0, 2) == "96" &&
         Mod10Weighted(digits.substr(7, 14), digits[21], 1, 3);
}

bool UspsImpb(std::string_view digits) {
  if (digits.size() != 20 && digits.size() != 22) return false;
  if (!AllDigits(digits)) return false;
  std::string_view serial = digits.substr(0, digits.size() - 1);
  const bool app_id = serial[0] == '9' && serial[1] >= '1' && serial[1] <= '5';
  if (digits.size() == 22) return app_id && Mod10Weighted(serial, digits.back(), 3, 1);
  // 20 digits: the older USPS 20 layout, or IMpb without its "91" application identifier.
  return Mod10Weighted(serial, digits.back(), 3, 1) ||
         (!app_id && Mod10Weighted("91" + std::string(serial), digits.back(), 3, 1));
}

bool FedExSmartPost(std::string_view digits) {
  if (digits.size() != 20 || !AllDigits(digits)) return false;
  return Mod10Weighted("92" + std::string(digits.substr(0, 19)), digits.back(), 3, 1);
}

bool DhlExpress10(std::string_view digits) {
  if (digits.size() != 10 || !AllDigits(digits)) return false;
  long long serial = 0;
  for (int i = 0; i < 9; ++i) serial = serial * 10 + (digits[i] - '0');
  return serial % 7 == digits[9] - '0';
}

bool Iban(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!IsUpper(iban[0]) || !IsUpper(iban[1]) || !IsDigit(iban[2]) || !IsDigit(iban[3])) {
    return false;
  }
  bool known = false;
  for (const auto& entry : kIbanLengths) {
    if (entry.country[0] == iban[0] && entry.country[1] == iban[1]) {
      if (static_cast<size_t>(entry.length) != iban.size()) return false;
      known = true;
      break;
    }
  }
  if (!known) return false;
  int remainder = 0;
  auto feed = [&remainder](char c) -> bool {
    if (IsDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (IsUpper(c)) {
      int v = c - 'A' + 10;
      remainder = (remainder * 100 + v) % 97;
    } else {
      return false;
    }
    return true;
  };
  for (size_t i = 4; i < iban.size(); ++i) {
    if (!feed(iban[i])) return false;
  }
  for (size_t i = 0; i < 4; ++i) feed(iban[i]);
  return remainder == 1;
}

bool Verhoeff(std::string_view digits) {
  static constexpr int kD[10][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
      {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
      {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
      {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static constexpr int kP[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                                    {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                                    {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                                    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  if (digits.empty() || !AllDigits(digits)) return false;
  int c = 0;
  size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    c = kD[c][kP[i % 8][digits[n - 1 - i] - '0']];
  }
  return c == 0;
}

}  // namespace meridian::nlp::checksum
