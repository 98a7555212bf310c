// Fuzz target for nlp/langid: Detect on any bytes must return a supported code or "und", ranked
// candidates with probabilities in [0, 1] summing to at most 1, and DecideLanguage on the
// result (with the same bytes as priors) must not fail either.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nlp/langid/langid.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::nlp;
  static const auto* const kId =
      LanguageIdentifier::Load(LanguageIdentifier::DefaultModelDir()).value().release();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  LanguageDetection d = kId->Detect(text);
  const auto& langs = LanguageIdentifier::SupportedLanguages();
  const bool known =
      d.lang == kUndetermined || std::find(langs.begin(), langs.end(), d.lang) != langs.end();
  if (!known) std::abort();
  if (d.lang == kUndetermined && !d.candidates.empty()) std::abort();
  double sum = 0;
  for (size_t i = 0; i < d.candidates.size(); ++i) {
    const double c = d.candidates[i].confidence;
    if (!(c >= 0 && c <= 1)) std::abort();
    if (i > 0 && c > d.candidates[i - 1].confidence) std::abort();
    sum += c;
  }
  if (sum > 1.0 + 1e-6) std::abort();
  LanguagePriors priors;
  priors.accept_language = std::string(text.substr(0, 64));
  priors.phone_number = std::string(text.substr(0, 20));
  priors.contact_language = std::string(text.substr(0, 8));
  ConversationLanguage c = DecideLanguage(d, priors);
  if (!(c.confidence >= 0 && c.confidence <= 1 + 1e-9)) std::abort();
  return 0;
}
