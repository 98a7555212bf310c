// Fuzz target for nlp/intent's text view: NormalizeForIntent and GuessLanguage on any bytes
// (placeholders, e-mails, URLs, CJK, invalid UTF-8). The output is single-space-separated
// tokens without braces or control whitespace; the language guess is a short code or empty.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nlp/intent/intent.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string out = meridian::nlp::NormalizeForIntent(text);
  if (!out.empty() && (out.front() == ' ' || out.back() == ' ')) std::abort();
  if (out.find("  ") != std::string::npos) std::abort();
  if (out.find_first_of("{}\n\t") != std::string::npos) std::abort();
  std::string lang = meridian::nlp::GuessLanguage(text);
  if (lang.size() > 3) std::abort();
  return 0;
}
