// Fuzz target for templates/formatter: template bodies come from supervisors and params from API
// callers. Input: the first line is the params JSON, the rest the ICU MessageFormat pattern.
// Formatting must never crash, and a pattern ParsePattern rejects must never format.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "templates/formatter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::templates;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view params_text =
      newline == std::string_view::npos ? "{}" : input.substr(0, newline);
  std::string_view pattern = newline == std::string_view::npos ? input : input.substr(newline + 1);
  nlohmann::json params = nlohmann::json::parse(params_text, nullptr, false);
  if (params.is_discarded()) params = nlohmann::json::object();
  static const char* const kLocales[] = {"en", "de-CH", "ru", "ar-EG", "ja-JP", "pl", "xx-??"};
  static const char* const kZones[] = {"UTC", "Europe/Zurich", "Asia/Tokyo", "Nowhere/Else"};
  FormatContext context{kLocales[size % 7], kZones[size % 4]};
  auto parsed = ParsePattern(pattern);
  auto formatted = Format(pattern, params, context);
  if (!parsed.ok() && formatted.ok()) std::abort();
  (void)CanonicalLocale(pattern.substr(0, 40));
  return 0;
}
