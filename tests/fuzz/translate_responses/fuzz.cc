// Fuzz target for the translation providers' response parsers (nlp/translate/http_engines.h),
// plus Protect/Restore and the Apertium stream conversion on the same bytes: nothing may crash,
// a parsed batch has exactly the size asked for, and Restore(Protect(x)) == x.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nlp/translate/apertium.h"
#include "nlp/translate/http_engines.h"
#include "nlp/translate/protect.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::nlp::translate;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  size_t expected = 1 + size % 3;
  for (auto parse : {ParseLibreTranslateResponse, ParseDeepLResponse, ParseGoogleResponse}) {
    auto r = parse(body, expected);
    if (r.ok() && r->size() != expected) std::abort();
  }
  (void)ParseOpenAiResponse(body);
  (void)ParseLibreTranslateLanguages(body);
  auto detected = ParseLibreTranslateDetect(body);
  if (detected.ok()) {
    for (const auto& [lang, confidence] : *detected) {
      if (confidence < 0 || confidence > 1) std::abort();
    }
  }
  static const Glossary* const kGlossary = [] {
    auto* g = new Glossary();
    g->AddDoNotTranslate("Meridian");
    g->AddForced({"en", "es", "gift card", "tarjeta regalo", ""});
    return g;
  }();
  std::string line(body);
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  MaskedText masked = Protect(line, kGlossary, "de", "es");  // no forced terms for de->es
  if (Restore(masked.text, masked.spans) != line) std::abort();
  (void)Protect(line, kGlossary, "en", "es");
  (void)FromApertiumStream(ToApertiumStream(line));
  return 0;
}
