// Tracking numbers per carrier, validated by the carrier's check digit where one exists.
// Algorithms: UPU S10 (UPU standard S10-12), UPS 1Z, FedEx Express/Ground/SmartPost, USPS IMpb
// and DHL Express mod 7 as collected in jkeen/tracking_number_data CHECKSUM_ALGORITHMS.md.
// YunExpress and Cainiao numbers have no public check digit: pattern only, lower confidence.

#include <re2/re2.h>

#include <cctype>
#include <string>

#include "nlp/entities/checksum.h"
#include "nlp/entities/entities.h"

namespace meridian::nlp {
namespace {

constexpr double kCheckedConfidence = 0.95;
constexpr double kContextConfidence = 0.9;
constexpr double kPatternConfidence = 0.6;
constexpr size_t kContextWindow = 64;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Words that, shortly before a bare number, say it is a shipment number.
bool HasShippingContext(std::string_view text, size_t start) {
  static constexpr std::string_view kWords[] = {
      "track",  "dhl",        "fedex",    "ups",   "usps",  "awb",   "waybill",     "shipment",
      "parcel", "package",    "sendung",  "paket", "envío", "envio", "seguimiento", "suivi",
      "colis",  "spedizione", "rastreio", "运单",  "单号",  "快递",  "追跡",        "配送"};
  size_t from = start > kContextWindow ? start - kContextWindow : 0;
  std::string window = Lower(text.substr(from, start - from));
  for (std::string_view w : kWords) {
    if (window.find(w) != std::string::npos) return true;
  }
  return false;
}

Entity MakeTracking(std::string_view text, size_t start, size_t end, std::string normalized,
                    std::string carrier, double confidence) {
  Entity e;
  e.type = EntityType::kTrackingNumber;
  e.start = start;
  e.end = end;
  e.text = std::string(text.substr(start, end - start));
  e.normalized = std::move(normalized);
  e.carrier = std::move(carrier);
  e.confidence = confidence;
  return e;
}

std::string S10Carrier(std::string_view id) {
  std::string_view country = id.substr(11, 2);
  if (country == "CN") return id[0] == 'E' ? "ems" : "china_post";
  if (country == "GB") return "royal_mail";
  if (country == "US") return "usps";
  if (country == "DE") return "deutsche_post";
  return "upu_s10";
}

// Classifies an all-digit candidate by length and check digit; empty carrier when none fits.
std::string DigitCarrier(std::string_view digits, bool context, double* confidence) {
  *confidence = kCheckedConfidence;
  switch (digits.size()) {
    case 10:
      *confidence = kContextConfidence;
      return context && checksum::DhlExpress10(digits) ? "dhl" : "";
    case 12:
      if (!checksum::FedEx12(digits)) return "";
      *confidence = context ? kContextConfidence : 0.5;
      return "fedex";
    case 15:
      if (!checksum::FedEx15(digits)) return "";
      *confidence = context ? kCheckedConfidence : 0.7;
      return "fedex";
    case 20:
      if (checksum::UspsImpb(digits)) return "usps";
      return checksum::FedExSmartPost(digits) ? "fedex" : "";
    case 22:
      if (checksum::FedEx96(digits)) return "fedex";
      return checksum::UspsImpb(digits) ? "usps" : "";
    default:
      return "";
  }
}

// Tries the whole run, then the run without leading groups (a stray "2 " before the number),
// then each group alone. Dropping arbitrary groups would let a 22-digit number with a bad
// check digit yield a valid-looking 20-digit prefix.
void ClassifyDigitRun(std::string_view text, size_t run_start, size_t run_end,
                      std::vector<Entity>& out) {
  std::vector<std::pair<size_t, size_t>> groups;  // byte ranges of space-free pieces
  size_t i = run_start;
  while (i < run_end) {
    size_t j = i;
    while (j < run_end && text[j] != ' ') ++j;
    groups.emplace_back(i, j);
    i = j + 1;
  }
  const bool context = HasShippingContext(text, run_start);
  auto try_range = [&](size_t s, size_t e) {
    std::string digits = checksum::DigitsOnly(text.substr(s, e - s));
    double confidence = 0;
    std::string carrier = DigitCarrier(digits, context, &confidence);
    if (carrier.empty()) return false;
    out.push_back(MakeTracking(text, s, e, digits, carrier, confidence));
    return true;
  };
  for (size_t a = 0; a < groups.size(); ++a) {
    if (try_range(groups[a].first, run_end)) return;
  }
  for (const auto& [s, e] : groups) try_range(s, e);
}

}  // namespace

void FindTrackingNumbers(std::string_view text, std::vector<Entity>& out) {
  static const RE2 kS10(R"(\b([A-Za-z]{2} ?\d{3} ?\d{3} ?\d{3} ?[A-Za-z]{2})\b)");
  static const RE2 kUps(R"(\b(1[Zz](?: ?[0-9A-Za-z]){16})\b)");
  static const RE2 kPatternOnly(R"(\b((?:YT|yt)\d{16}|(?:LP|lp)\d{14})\b)");
  static const RE2 kDigits(R"(\b(\d(?: ?\d){9,21})\b)");

  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece m;
  while (RE2::FindAndConsume(&input, kS10, &m)) {
    std::string id = checksum::AlnumUpper(std::string_view(m.data(), m.size()));
    if (!checksum::UpuS10(id)) continue;
    size_t start = static_cast<size_t>(m.data() - text.data());
    Entity e = MakeTracking(text, start, start + m.size(), id, S10Carrier(id), kCheckedConfidence);
    e.country = id.substr(11, 2);
    out.push_back(std::move(e));
  }
  input = re2::StringPiece(text.data(), text.size());
  while (RE2::FindAndConsume(&input, kUps, &m)) {
    std::string id = checksum::AlnumUpper(std::string_view(m.data(), m.size()));
    if (!checksum::Ups1Z(id)) continue;
    size_t start = static_cast<size_t>(m.data() - text.data());
    out.push_back(MakeTracking(text, start, start + m.size(), id, "ups", kCheckedConfidence));
  }
  input = re2::StringPiece(text.data(), text.size());
  while (RE2::FindAndConsume(&input, kPatternOnly, &m)) {
    std::string id = checksum::AlnumUpper(std::string_view(m.data(), m.size()));
    size_t start = static_cast<size_t>(m.data() - text.data());
    out.push_back(MakeTracking(text, start, start + m.size(), id,
                               id[0] == 'Y' ? "yunexpress" : "cainiao", kPatternConfidence));
  }
  input = re2::StringPiece(text.data(), text.size());
  while (RE2::FindAndConsume(&input, kDigits, &m)) {
    size_t start = static_cast<size_t>(m.data() - text.data());
    ClassifyDigitRun(text, start, start + m.size(), out);
  }
}

}  // namespace meridian::nlp
