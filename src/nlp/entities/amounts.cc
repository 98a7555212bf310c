// Amounts with a currency: symbol or ISO 4217 code before or after the number, with either
// decimal convention ("€12,50", "12.50 EUR", "R$ 99,90", "¥3000", "1.234,56 €").

#include <re2/re2.h>

#include <string>

#include "nlp/entities/entities.h"

namespace meridian::nlp {
namespace {

// A number with optional thousands groups (',', '.', space, NBSP, narrow NBSP) and up to two
// decimals.
#define MERIDIAN_NUM \
  R"((\d{1,3}(?:(?:[.,' ]|\x{00A0}|\x{202F})\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?))"
#define MERIDIAN_SYM \
  R"((US\$|R\$|A\$|AU\$|C\$|CA\$|HK\$|S\$|NZ\$|MX\$|\$|€|£|¥|￥|₹|₩|₽|₺|zł|RMB))"
#define MERIDIAN_SYM_AFTER R"((€|£|\$|zł|kr|Kč|元|円|₽|₺|₹))"
#define MERIDIAN_CODE \
  R"((USD|EUR|GBP|JPY|CNY|RMB|BRL|AUD|CAD|CHF|HKD|SGD|INR|KRW|MXN|PLN|SEK|NOK|DKK|RUB|TRY|NZD|CZK|HUF|AED|SAR|ZAR))"

std::string CurrencyOf(std::string_view sym, std::string_view region) {
  if (sym == "US$") return "USD";
  if (sym == "R$") return "BRL";
  if (sym == "A$" || sym == "AU$") return "AUD";
  if (sym == "C$" || sym == "CA$") return "CAD";
  if (sym == "HK$") return "HKD";
  if (sym == "S$") return "SGD";
  if (sym == "NZ$") return "NZD";
  if (sym == "MX$") return "MXN";
  if (sym == "$") {
    if (region == "CA") return "CAD";
    if (region == "AU") return "AUD";
    if (region == "NZ") return "NZD";
    if (region == "MX") return "MXN";
    if (region == "SG") return "SGD";
    if (region == "HK") return "HKD";
    return "USD";
  }
  if (sym == "€") return "EUR";
  if (sym == "£") return "GBP";
  if (sym == "¥" || sym == "￥") return region == "CN" ? "CNY" : "JPY";
  if (sym == "元" || sym == "RMB") return "CNY";
  if (sym == "円") return "JPY";
  if (sym == "₹") return "INR";
  if (sym == "₩") return "KRW";
  if (sym == "₽") return "RUB";
  if (sym == "₺") return "TRY";
  if (sym == "zł") return "PLN";
  if (sym == "Kč") return "CZK";
  if (sym == "kr") {
    if (region == "NO") return "NOK";
    if (region == "DK") return "DKK";
    return "SEK";
  }
  return std::string(sym);  // an ISO code already
}

// "1.234,56" -> "1234.56"; "1,234" -> "1234"; "12,5" -> "12.5".
std::string NormalizeNumber(std::string_view num) {
  std::string digits;
  size_t last_sep = std::string_view::npos;
  for (size_t i = 0; i < num.size(); ++i) {
    char c = num[i];
    if (c == '.' || c == ',') last_sep = i;
  }
  bool has_decimals = false;
  if (last_sep != std::string_view::npos) {
    size_t after = num.size() - last_sep - 1;
    has_decimals = after == 1 || after == 2;
  }
  for (size_t i = 0; i < num.size(); ++i) {
    char c = num[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (i == last_sep && has_decimals) {
      digits.push_back('.');
    }
  }
  size_t nz = 0;
  while (nz + 1 < digits.size() && digits[nz] == '0' && digits[nz + 1] != '.') ++nz;
  return digits.substr(nz);
}

}  // namespace

void FindAmounts(std::string_view text, std::string_view region, std::vector<Entity>& out) {
  static const RE2 kAmount("(?:" MERIDIAN_SYM R"(|\b)" MERIDIAN_CODE R"()\s?)" MERIDIAN_NUM
                           "|" MERIDIAN_NUM R"(\s?(?:)" MERIDIAN_SYM_AFTER "|" MERIDIAN_CODE
                           R"(\b))");
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece sym1, code1, num1, num2, sym2, code2;
  const RE2::Arg a[] = {&sym1, &code1, &num1, &num2, &sym2, &code2};
  const RE2::Arg* args[] = {&a[0], &a[1], &a[2], &a[3], &a[4], &a[5]};
  while (!input.empty()) {
    const char* before = input.data();
    if (!RE2::FindAndConsumeN(&input, kAmount, args, 6)) break;
    std::string_view sym, num;
    if (num1.data() != nullptr) {
      sym = sym1.data() ? std::string_view(sym1.data(), sym1.size())
                        : std::string_view(code1.data(), code1.size());
      num = std::string_view(num1.data(), num1.size());
    } else {
      sym = sym2.data() ? std::string_view(sym2.data(), sym2.size())
                        : std::string_view(code2.data(), code2.size());
      num = std::string_view(num2.data(), num2.size());
    }
    // The consumed match ends where `input` now starts; find its start from the captures.
    const char* start_ptr = sym1.data() ? sym1.data() : code1.data() ? code1.data() : num2.data();
    if (start_ptr == nullptr || input.data() == before) {
      if (input.data() == before) input.remove_prefix(1);
      continue;
    }
    Entity e;
    e.type = EntityType::kAmount;
    e.start = static_cast<size_t>(start_ptr - text.data());
    e.end = static_cast<size_t>(input.data() - text.data());
    e.text = std::string(text.substr(e.start, e.end - e.start));
    e.currency = CurrencyOf(sym, region);
    e.normalized = NormalizeNumber(num);
    e.confidence = 0.9;
    out.push_back(std::move(e));
  }
}

#undef MERIDIAN_NUM
#undef MERIDIAN_SYM
#undef MERIDIAN_SYM_AFTER
#undef MERIDIAN_CODE

}  // namespace meridian::nlp
