// DecideLanguage and the locale / phone / region helpers (langid.h).
//
// The conversation's language is the arg max of prior(L) * text(L)^beta, where prior mixes what
// we knew before this message and beta grows with the amount of text: a word or two barely moves
// an established language, a full sentence outweighs it.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <string>

#include "nlp/langid/langid.h"

namespace meridian::nlp {
namespace {

constexpr double kHistoryWeight = 3.0;
constexpr double kConversationWeight = 2.0;
constexpr double kContactWeight = 2.0;
constexpr double kChannelWeight = 1.0;
constexpr double kAcceptLanguageWeight = 1.0;
constexpr double kPhoneWeight = 0.5;
constexpr double kRegionWeight = 0.5;
constexpr double kFloor = 1e-3;  // no language is ever impossible

bool IsSupported(std::string_view code) {
  const auto& langs = LanguageIdentifier::SupportedLanguages();
  return std::find(langs.begin(), langs.end(), code) != langs.end();
}

// Parses "de-DE,de;q=0.9,en;q=0.8" into (language, q) pairs.
std::vector<WeightedLanguage> ParseAcceptLanguage(std::string_view header) {
  std::vector<WeightedLanguage> out;
  size_t pos = 0;
  while (pos <= header.size() && out.size() < 32) {
    size_t comma = header.find(',', pos);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view item = header.substr(pos, comma - pos);
    pos = comma + 1;
    double q = 1;
    if (size_t semi = item.find(';'); semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      item = item.substr(0, semi);
      if (size_t qpos = params.find("q="); qpos != std::string_view::npos) {
        std::string qs(params.substr(qpos + 2, 5));
        char* end = nullptr;
        q = std::strtod(qs.c_str(), &end);
        if (end == qs.c_str() || !(q >= 0) || q > 1) q = 0;
      }
    }
    std::string lang = SupportedLanguageOf(item);
    if (!lang.empty() && q > 0) out.push_back({lang, q});
    if (comma == header.size()) break;
  }
  return out;
}

}  // namespace

std::string SupportedLanguageOf(std::string_view tag) {
  while (!tag.empty() && std::isspace(static_cast<unsigned char>(tag.front())))
    tag.remove_prefix(1);
  std::string code;
  for (char c : tag) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    code.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (code == "zlm" || code == "msa") code = "ms";
  if (code == "in") code = "id";  // the pre-1989 code still sent by old Java stacks
  if (code == "cmn" || code == "yue") code = "zh";
  return IsSupported(code) ? code : "";
}

std::string LanguageOfPhoneNumber(std::string_view e164) {
  std::string digits;
  for (char c : e164) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  if (digits.rfind("00", 0) == 0) digits.erase(0, 2);
  static const std::map<std::string, std::string> kCodes = {
      {"1", "en"},   {"44", "en"},  {"61", "en"},  {"64", "en"},  {"353", "en"}, {"49", "de"},
      {"43", "de"},  {"41", "de"},  {"33", "fr"},  {"32", "nl"},  {"34", "es"},  {"52", "es"},
      {"54", "es"},  {"56", "es"},  {"57", "es"},  {"51", "es"},  {"58", "es"},  {"39", "it"},
      {"351", "pt"}, {"55", "pt"},  {"244", "pt"}, {"31", "nl"},  {"48", "pl"},  {"46", "sv"},
      {"7", "ru"},   {"375", "ru"}, {"966", "ar"}, {"971", "ar"}, {"20", "ar"},  {"212", "ar"},
      {"962", "ar"}, {"965", "ar"}, {"974", "ar"}, {"90", "tr"},  {"81", "ja"},  {"86", "zh"},
      {"886", "zh"}, {"852", "zh"}, {"853", "zh"}, {"82", "ko"},  {"66", "th"},  {"84", "vi"},
      {"62", "id"},  {"60", "ms"},  {"673", "ms"}, {"91", "hi"}};
  for (size_t len = 3; len >= 1; --len) {
    if (digits.size() <= len) continue;
    if (auto it = kCodes.find(digits.substr(0, len)); it != kCodes.end()) return it->second;
  }
  return "";
}

std::string LanguageOfRegion(std::string_view region) {
  std::string r;
  for (char c : region) r.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  static const std::map<std::string, std::string> kRegions = {
      {"US", "en"}, {"GB", "en"}, {"AU", "en"}, {"NZ", "en"}, {"IE", "en"}, {"CA", "en"},
      {"DE", "de"}, {"AT", "de"}, {"CH", "de"}, {"FR", "fr"}, {"BE", "nl"}, {"ES", "es"},
      {"MX", "es"}, {"AR", "es"}, {"CO", "es"}, {"CL", "es"}, {"PE", "es"}, {"IT", "it"},
      {"PT", "pt"}, {"BR", "pt"}, {"NL", "nl"}, {"PL", "pl"}, {"SE", "sv"}, {"RU", "ru"},
      {"SA", "ar"}, {"AE", "ar"}, {"EG", "ar"}, {"MA", "ar"}, {"TR", "tr"}, {"JP", "ja"},
      {"CN", "zh"}, {"TW", "zh"}, {"HK", "zh"}, {"KR", "ko"}, {"TH", "th"}, {"VN", "vi"},
      {"ID", "id"}, {"MY", "ms"}, {"BN", "ms"}, {"IN", "hi"}};
  auto it = kRegions.find(r);
  return it == kRegions.end() ? "" : it->second;
}

ConversationLanguage DecideLanguage(const LanguageDetection& text, const LanguagePriors& priors) {
  std::map<std::string, double> prior;
  double prior_total = 0;
  auto add = [&](const std::string& lang, double w) {
    if (lang.empty() || !(w > 0)) return;
    prior[lang] += w;
    prior_total += w;
  };
  const std::string current = SupportedLanguageOf(priors.conversation_language);
  ConversationLanguage out;
  if (priors.conversation_language_set_by_agent && !current.empty()) {
    out.lang = current;
    out.confidence = 1;
    out.candidates.push_back({current, 1});
    return out;
  }
  double history_sum = 0;
  for (const WeightedLanguage& h : priors.history) {
    if (!SupportedLanguageOf(h.lang).empty() && h.weight > 0) history_sum += h.weight;
  }
  for (const WeightedLanguage& h : priors.history) {
    const std::string lang = SupportedLanguageOf(h.lang);
    if (!lang.empty() && h.weight > 0) {
      // Many confident earlier messages weigh more than one, up to a cap.
      add(lang, kHistoryWeight * std::min(1.0, history_sum / 3.0) * h.weight / history_sum);
    }
  }
  add(current, kConversationWeight);
  add(SupportedLanguageOf(priors.contact_language), kContactWeight);
  add(SupportedLanguageOf(priors.channel_locale), kChannelWeight);
  const std::vector<WeightedLanguage> accept = ParseAcceptLanguage(priors.accept_language);
  double accept_sum = 0;
  for (const WeightedLanguage& a : accept) accept_sum += a.weight;
  for (const WeightedLanguage& a : accept)
    add(a.lang, kAcceptLanguageWeight * a.weight / accept_sum);
  add(LanguageOfPhoneNumber(priors.phone_number), kPhoneWeight);
  add(LanguageOfRegion(priors.region), kRegionWeight);

  const bool has_text = text.lang != kUndetermined && !text.candidates.empty();
  // How much the text counts: ~0.15 for one short word, 1 from ~30 letters, up to 2.
  const double beta =
      has_text ? std::clamp(static_cast<double>(text.letters) / 30.0, 0.15, 2.0) : 0;
  std::map<std::string, double> posterior;
  const auto& langs = LanguageIdentifier::SupportedLanguages();
  double text_rest = 1;
  for (const LanguageGuess& g : text.candidates) text_rest -= g.confidence;
  text_rest = std::max(text_rest, 0.0) / static_cast<double>(langs.size());
  double total = 0;
  for (const std::string& lang : langs) {
    const double p0 =
        prior_total > 0 ? (prior.count(lang) ? prior[lang] / prior_total : 0) + kFloor : 1.0;
    double pt = text_rest;
    for (const LanguageGuess& g : text.candidates) {
      if (g.lang == lang) pt = g.confidence;
    }
    const double p = p0 * std::pow(std::max(pt, kFloor), beta);
    posterior[lang] = p;
    total += p;
  }
  if (prior_total == 0 && !has_text) return out;  // nothing known at all
  std::vector<LanguageGuess> ranked;
  for (const auto& [lang, p] : posterior) ranked.push_back({lang, p / total});
  std::stable_sort(
      ranked.begin(), ranked.end(),
      [](const LanguageGuess& a, const LanguageGuess& b) { return a.confidence > b.confidence; });
  ranked.resize(std::min<size_t>(3, ranked.size()));
  out.lang = ranked.front().lang;
  out.confidence = ranked.front().confidence;
  out.candidates = std::move(ranked);
  out.changed = !current.empty() && out.lang != current;
  return out;
}

}  // namespace meridian::nlp
