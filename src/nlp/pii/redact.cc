#include <algorithm>
#include <string>

#include "core/crypto.h"
#include "nlp/pii/pii.h"

namespace meridian::nlp {
namespace {

constexpr size_t kTokenHexChars = 8;

std::string LastDigits(std::string_view normalized, size_t n) {
  std::string digits;
  for (char c : normalized) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits.size() > n ? digits.substr(digits.size() - n) : digits;
}

std::string Mask(const PiiMatch& m, std::string_view original) {
  switch (m.type) {
    case PiiType::kCardNumber:
    case PiiType::kPhone:
      return "****" + LastDigits(m.normalized, 4);
    case PiiType::kIban:
      return m.normalized.substr(0, 2) + "****" + m.normalized.substr(m.normalized.size() - 4);
    case PiiType::kEmail: {
      size_t at = original.find('@');
      if (at == std::string_view::npos || at == 0) return "****";
      return std::string(original.substr(0, 1)) + "***" + std::string(original.substr(at));
    }
    case PiiType::kAddress:
    case PiiType::kPostalCode:
      return "[" + std::string(PiiTypeName(m.type)) + "]";
    default:
      return "****";
  }
}

std::string Token(const PiiMatch& m, const std::string& key) {
  std::string type(PiiTypeName(m.type));
  std::string mac = crypto::HexEncode(crypto::HmacSha256(key, type + ":" + m.normalized));
  std::string short_type = m.type == PiiType::kCardNumber ? "card" : type;
  return "[" + short_type + ":" + mac.substr(0, kTokenHexChars) + "]";
}

std::string Remove(const PiiMatch& m) {
  return "[" + std::string(m.type == PiiType::kCardNumber ? "card" : PiiTypeName(m.type)) + "]";
}

}  // namespace

Result<RedactionMode> ParseRedactionMode(std::string_view name) {
  if (name == "mask") return RedactionMode::kMask;
  if (name == "token") return RedactionMode::kToken;
  if (name == "remove") return RedactionMode::kRemove;
  return Status::InvalidArgument("redaction mode must be mask, token or remove",
                                 "bad_redaction_mode");
}

Redaction Redact(std::string_view text, std::vector<PiiMatch> found, const RedactOptions& options) {
  std::sort(found.begin(), found.end(),
            [](const PiiMatch& a, const PiiMatch& b) { return a.start < b.start; });
  Redaction r;
  r.text.reserve(text.size());
  size_t cursor = 0;
  for (const PiiMatch& m : found) {
    if (m.start < cursor || m.end > text.size() || m.start >= m.end) continue;  // overlap: skip
    r.text.append(text.substr(cursor, m.start - cursor));
    std::string_view original = text.substr(m.start, m.end - m.start);
    switch (options.mode) {
      case RedactionMode::kMask:
        r.text += Mask(m, original);
        break;
      case RedactionMode::kToken:
        r.text += Token(m, options.account_key);
        break;
      case RedactionMode::kRemove:
        r.text += Remove(m);
        break;
    }
    cursor = m.end;
    r.found.push_back(m);
  }
  r.text.append(text.substr(cursor));
  return r;
}

std::string ScrubCardNumbers(std::string_view text) {
  static const PiiScanner* const kScanner = [] {
    auto scanner = PiiScanner::Create();
    return scanner.ok() ? std::move(scanner).value().release() : nullptr;
  }();
  if (kScanner == nullptr) return std::string(text);  // cannot happen: built-in patterns
  std::vector<PiiMatch> cards;
  for (PiiMatch& m : kScanner->Scan(text)) {
    if (m.type == PiiType::kCardNumber) cards.push_back(std::move(m));
  }
  return Redact(text, std::move(cards), {}).text;
}

}  // namespace meridian::nlp
