#pragma once
// The enrichment pipeline's stages over one stored message (DESIGN.md section 1):
// language -> PII -> sentiment -> intent/entities. Translation joins when its engines land.
//
// An Enricher holds the loaded models; it is immutable after Load and Analyze may be called from
// many threads at once. Analyze never fails: a stage that cannot say anything says nothing.
//
// The findings are stored with the message as one JSON object (store::MessageEnrichment):
//   {"version":1,
//    "language":{"code":"de","confidence":0.91,"detected":"de","candidates":[["de",0.91]]},
//    "pii":[{"type":"email","start":12,"end":29}],              // kinds and spans, never values
//    "translation":{"text":"Where is my order?","language":"en","engine":"apertium"},  // or absent
//    "sentiment":{"label":"negative","polarity":-0.42,"emotions":{"anger":0.1,...}},
//    "intent":{"id":"order_status","confidence":0.83,"alternatives":[["track_shipment",0.09]]},
//    "entities":[{"type":"order_number","text":"#4711","start":3,"end":8,"normalized":"4711",
//                 "confidence":0.7}]}

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace meridian::nlp::translate {
class Router;
}  // namespace meridian::nlp::translate

namespace meridian::nlp {
class LanguageIdentifier;
class IntentClassifier;
class SentimentAnalyzer;
class EntityExtractor;
class PiiScanner;
}  // namespace meridian::nlp

namespace meridian::service {

// What the pipeline knows about a message besides its text.
struct EnrichmentContext {
  std::string conversation_language;  // the conversation's language so far ("" if none)
  bool conversation_language_set_by_agent = false;  // then it is never changed
  std::string region;             // ISO 3166 alpha-2 hint for phones/amounts ("" unknown)
  std::string time_zone = "UTC";  // the customer's IANA zone, for relative dates
  TimestampMs now_ms = 0;         // when the message was written (relative dates)
};

struct EnricherPaths {
  std::filesystem::path langid_model_dir;  // holds langid.bin
  std::filesystem::path intent_model_dir;  // holds intent.bin + intent.calib
  std::filesystem::path sentiment_dir;     // holds the sentiment lexicons
  // Defaults: the build's share dir for models, the product's data/ for lexicons.
  static EnricherPaths Defaults();
};

class Enricher {
 public:
  // Loads every model. NotFound/InvalidArgument name the model that could not be loaded.
  static Result<std::unique_ptr<Enricher>> Load(const EnricherPaths& paths);
  ~Enricher();
  Enricher(const Enricher&) = delete;
  Enricher& operator=(const Enricher&) = delete;

  // Translation stage (LG2): messages not written in `working_language` are translated into it
  // through `router` (not owned; configured, thread-safe), when the router has the pair. Call
  // before the first Analyze. Without it, nothing is translated.
  // `account` names the glossary the router applies ("" = none).
  void SetTranslator(nlp::translate::Router* router, std::string working_language,
                     std::string account = "");

  // Runs every stage over `text`; `at` is stored as the enrichment time.
  store::MessageEnrichment Analyze(std::string_view text, const EnrichmentContext& context,
                                   TimestampMs at) const;

 private:
  Enricher() = default;
  std::unique_ptr<nlp::LanguageIdentifier> langid_;
  std::unique_ptr<nlp::IntentClassifier> intent_;
  std::unique_ptr<nlp::SentimentAnalyzer> sentiment_;
  std::unique_ptr<nlp::EntityExtractor> entities_;
  std::unique_ptr<nlp::PiiScanner> pii_;
  nlp::translate::Router* translator_ = nullptr;
  std::string working_language_;
  std::string account_;
};

}  // namespace meridian::service
