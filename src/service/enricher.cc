#include "service/enricher.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "core/resources.h"
#include "nlp/entities/entities.h"
#include "nlp/intent/intent.h"
#include "nlp/langid/langid.h"
#include "nlp/pii/pii.h"
#include "nlp/sentiment/sentiment.h"
#include "nlp/translate/router.h"

namespace meridian::service {

namespace {

using json = nlohmann::json;

// Detection confidence below which a message is taken to be in the conversation's language.
constexpr double kLanguageOverride = 0.6;

// The region a language most often implies, for phone and amount hints when nothing better is
// known ("" leaves the extractor's own default).
std::string RegionFor(std::string_view lang) {
  static const std::pair<std::string_view, std::string_view> kRegions[] = {
      {"de", "DE"}, {"fr", "FR"}, {"es", "ES"}, {"it", "IT"}, {"pt", "BR"},
      {"nl", "NL"}, {"pl", "PL"}, {"sv", "SE"}, {"ru", "RU"}, {"tr", "TR"},
      {"ja", "JP"}, {"zh", "CN"}, {"ko", "KR"}, {"th", "TH"}, {"vi", "VN"},
      {"id", "ID"}, {"ms", "MY"}, {"hi", "IN"}, {"ar", "SA"}, {"en", "US"}};
  for (const auto& [code, region] : kRegions) {
    if (code == lang) return std::string(region);
  }
  return "";
}

// Sentences of a chat message, split after . ! ? and their CJK forms, and at line breaks; at
// most `max` (the rest stays in the last one).
std::vector<std::string_view> SplitSentences(std::string_view text, size_t max) {
  std::vector<std::string_view> out;
  size_t start = 0;
  auto push = [&](size_t end) {
    std::string_view piece = text.substr(start, end - start);
    while (!piece.empty() && (piece.front() == ' ' || piece.front() == '\n'))
      piece.remove_prefix(1);
    if (piece.size() >= 2) out.push_back(piece);
    start = end;
  };
  for (size_t i = 0; i < text.size() && out.size() + 1 < max; ++i) {
    char c = text[i];
    bool end = c == '.' || c == '!' || c == '?' || c == '\n';
    // U+3002 (。), U+FF01 (！), U+FF1F (？)
    if (!end && i + 2 < text.size() && static_cast<unsigned char>(c) == 0xE3 &&
        static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x82) {
      i += 2;
      end = true;
    } else if (!end && i + 2 < text.size() && static_cast<unsigned char>(c) == 0xEF &&
               static_cast<unsigned char>(text[i + 1]) == 0xBC &&
               (static_cast<unsigned char>(text[i + 2]) == 0x81 ||
                static_cast<unsigned char>(text[i + 2]) == 0x9F)) {
      i += 2;
      end = true;
    }
    if (!end) continue;
    while (i + 1 < text.size() &&
           (text[i + 1] == '.' || text[i + 1] == '!' || text[i + 1] == '?')) {
      ++i;
    }
    push(i + 1);
  }
  push(text.size());
  return out;
}

double Round3(double v) { return static_cast<double>(static_cast<int64_t>(v * 1000 + 0.5)) / 1000; }

}  // namespace

EnricherPaths EnricherPaths::Defaults() {
  return {.langid_model_dir = nlp::LanguageIdentifier::DefaultModelDir(),
          .intent_model_dir = nlp::IntentClassifier::DefaultModelDir(),
          .sentiment_dir = DataDir() / "sentiment"};
}

Enricher::~Enricher() = default;

void Enricher::SetTranslator(nlp::translate::Router* router, std::string working_language,
                             std::string account) {
  translator_ = router;
  working_language_ = std::move(working_language);
  account_ = std::move(account);
}

Result<std::unique_ptr<Enricher>> Enricher::Load(const EnricherPaths& paths) {
  std::unique_ptr<Enricher> e(new Enricher());
  MERIDIAN_ASSIGN_OR_RETURN(e->langid_, nlp::LanguageIdentifier::Load(paths.langid_model_dir));
  MERIDIAN_ASSIGN_OR_RETURN(e->intent_, nlp::IntentClassifier::Load(paths.intent_model_dir));
  MERIDIAN_ASSIGN_OR_RETURN(e->sentiment_, nlp::SentimentAnalyzer::Load(paths.sentiment_dir));
  MERIDIAN_ASSIGN_OR_RETURN(e->entities_,
                            nlp::EntityExtractor::Create(nlp::OrderNumberConfig::Default()));
  MERIDIAN_ASSIGN_OR_RETURN(e->pii_, nlp::PiiScanner::Create());
  return e;
}

store::MessageEnrichment Enricher::Analyze(std::string_view text, const EnrichmentContext& context,
                                           TimestampMs at) const {
  json out = {{"version", 1}};

  // Language (LG1): the text's own evidence, weighed against what the conversation already
  // says, so a one-word "ok" or "Danke" does not flip it while a clear sentence does.
  nlp::LanguageDetection detected = langid_->Detect(text);
  nlp::LanguagePriors priors;
  priors.conversation_language = context.conversation_language;
  priors.conversation_language_set_by_agent = context.conversation_language_set_by_agent;
  nlp::ConversationLanguage decided = nlp::DecideLanguage(detected, priors);
  // The message's own language: the detection when it is confident, else the decision.
  bool weak = detected.lang == nlp::kUndetermined || detected.confidence < kLanguageOverride;
  std::string lang = weak ? decided.lang : detected.lang;
  double lang_confidence = weak ? decided.confidence : detected.confidence;
  json candidates = json::array();
  for (const nlp::LanguageGuess& g : detected.candidates) {
    candidates.push_back({g.lang, Round3(g.confidence)});
  }
  out["language"] = {{"code", lang},
                     {"confidence", Round3(lang_confidence)},
                     {"detected", detected.lang},
                     {"candidates", std::move(candidates)}};

  std::string region = context.region.empty() ? RegionFor(lang) : context.region;
  if (region.empty()) region = "US";

  json pii = json::array();
  for (const nlp::PiiMatch& m : pii_->Scan(text, {.region = region})) {
    json item = {{"type", nlp::PiiTypeName(m.type)}, {"start", m.start}, {"end", m.end}};
    if (!m.subtype.empty()) item["subtype"] = m.subtype;
    pii.push_back(std::move(item));
  }
  out["pii"] = std::move(pii);

  // Translation into the team's working language; a pair no engine serves stays untranslated.
  std::string translated_text, translated_language;
  if (translator_ != nullptr && lang != nlp::kUndetermined && lang != working_language_ &&
      !detected.lang.empty() && detected.lang == lang) {
    auto t = translator_->Translate(text, lang, working_language_, {.account = account_});
    if (t.ok() && !t->text.empty()) {
      translated_text = t->text;
      translated_language = working_language_;
      out["translation"] = {
          {"text", t->text}, {"language", working_language_}, {"engine", t->engine}};
      if (!t->via.empty()) out["translation"]["via"] = t->via;
    }
  }

  nlp::SentimentScore s = sentiment_->Analyze(text, lang == "und" ? "" : lang);
  out["sentiment"] = {{"label", nlp::SentimentLabelName(s.label)},
                      {"polarity", Round3(s.polarity)},
                      {"emotions",
                       {{"anger", Round3(s.emotions.anger)},
                        {"frustration", Round3(s.emotions.frustration)},
                        {"anxiety", Round3(s.emotions.anxiety)},
                        {"satisfaction", Round3(s.emotions.satisfaction)},
                        {"urgency", Round3(s.emotions.urgency)}}}};

  // A chat message often carries its request in one sentence among others ("Hi! Where is my
  // order? Thanks"): the whole text and each sentence are classified, the most confident
  // in-scope answer wins.
  std::vector<nlp::IntentPrediction> top, sentence_top;
  nlp::IntentPrediction best = intent_->Classify(text, top, 3);
  std::vector<std::string_view> sentences = SplitSentences(text, 6);
  if (sentences.size() > 1) {
    for (std::string_view sentence : sentences) {
      nlp::IntentPrediction p = intent_->Classify(sentence, sentence_top, 3);
      bool in_scope = p.intent != nlp::kOutOfScope;
      bool best_in_scope = best.intent != nlp::kOutOfScope;
      if ((in_scope && !best_in_scope) ||
          (in_scope == best_in_scope && p.confidence > best.confidence)) {
        best = p;
        top.swap(sentence_top);
      }
    }
  }
  json alternatives = json::array();
  for (const nlp::IntentPrediction& p : top) {
    if (p.intent == best.intent) continue;
    alternatives.push_back({std::string(p.intent), Round3(p.confidence)});
  }
  out["intent"] = {{"id", std::string(best.intent)},
                   {"confidence", Round3(best.confidence)},
                   {"alternatives", std::move(alternatives)}};

  nlp::ExtractOptions options{.region = region,
                              .time_zone = context.time_zone,
                              .now_ms = context.now_ms != 0 ? context.now_ms : at};
  json entities = json::array();
  std::vector<ContactClaim> claims;
  for (const nlp::Entity& e : entities_->Extract(text, options)) {
    // An email or phone the customer wrote: a claim about themselves, never proof (CH8).
    if (e.type == nlp::EntityType::kEmail && !e.normalized.empty()) {
      claims.push_back({AttributeKind::kEmail, e.normalized, false});
    } else if (e.type == nlp::EntityType::kPhone && e.normalized.rfind('+', 0) == 0) {
      claims.push_back({AttributeKind::kPhone, e.normalized, false});
    }
    json item = {{"type", nlp::EntityTypeName(e.type)},
                 {"text", e.text},
                 {"start", e.start},
                 {"end", e.end},
                 {"normalized", e.normalized},
                 {"confidence", Round3(e.confidence)}};
    if (!e.carrier.empty()) item["carrier"] = e.carrier;
    if (!e.country.empty()) item["country"] = e.country;
    if (!e.currency.empty()) item["currency"] = e.currency;
    if (e.relative) item["relative"] = true;
    entities.push_back(std::move(item));
  }
  out["entities"] = std::move(entities);

  std::string conversation_language;
  if (!context.conversation_language_set_by_agent && decided.lang != nlp::kUndetermined &&
      decided.lang != context.conversation_language) {
    conversation_language = decided.lang;
  }
  return {.language = lang,
          .nlu_json = out.dump(-1, ' ', false, json::error_handler_t::replace),
          .conversation_language = std::move(conversation_language),
          .at = at,
          .translated_text = std::move(translated_text),
          .translated_language = std::move(translated_language),
          .claims = std::move(claims)};
}

}  // namespace meridian::service
