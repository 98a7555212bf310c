#pragma once
// Intent recognition (requirement AI1): what a customer wants, as one id of a fixed taxonomy
// ("cancel_order", "track_shipment", "refund_request", ..., "out_of_scope").
//
// Quick use:
//   auto classifier = IntentClassifier::Load(IntentClassifier::DefaultModelDir());
//   IntentPrediction p = (*classifier)->Classify("I want to cancel my order #12345");
//   // p.intent == "cancel_order", p.confidence ~ 0.9
//
// How it works: one multilingual fastText model (word uni/bigrams + character 3..6-grams) is
// trained BY THE BUILD from data/nlu/<lang>.txt by the tool `meridian_intent_train` into
// <build>/share/meridian/nlu/ (intent.bin + intent.calib); nothing generated is committed.
// Text goes through NormalizeForIntent() both at training and at classification time.
// Confidence is the model's softmax probability after temperature scaling (the temperature is
// fitted on a held-out split at build time, so 0.8 means "right about 80 % of the time" on data
// like the training set). A message whose calibrated confidence is below the out-of-scope
// threshold (also fitted at build time) is reported as "out_of_scope".
//
// Thread-safety: an IntentClassifier is immutable after Load; Classify may be called from many
// threads at once. Classify never fails: any bytes are accepted (invalid UTF-8 is replaced).

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace fasttext {
class FastText;
}

namespace meridian::nlp {

inline constexpr std::string_view kOutOfScope = "out_of_scope";

// Lowercases (NFKC case folding), masks every token that holds a digit as "<num>" (order
// numbers, amounts, dates), splits on punctuation, puts spaces between CJK characters, and
// appends the accent-stripped spelling of each word that has accents ("réembolso" adds
// "reembolso") so that writing with or without accents reaches the same features.
// Returns space-separated tokens; never fails (invalid UTF-8 becomes U+FFFD).
std::string NormalizeForIntent(std::string_view text);

// A cheap language guess from the script and common function words: "ja", "zh", "ar", "ko",
// "ru", "th", "el", "he", "hi" by script; for Latin text one of en, de, fr, es, it, pt, nl, pl,
// id, tr (default "en"). Returns "" for text without letters.
// TODO(langid): replace with nlp/langid once that library lands.
std::string GuessLanguage(std::string_view text);

struct IntentPrediction {
  std::string_view intent;  // an id of the taxonomy; points into the classifier (lives as long)
  double confidence = 0;    // calibrated probability in [0, 1] that `intent` is right
};

class IntentClassifier {
 public:
  // <ShareDir()>/nlu, where the build puts the trained model.
  static std::filesystem::path DefaultModelDir();

  // Loads intent.bin and intent.calib from `dir`. NotFound when the model file is missing (the
  // build did not run the trainer), InvalidArgument when a file is corrupt.
  static Result<std::unique_ptr<IntentClassifier>> Load(const std::filesystem::path& dir);

  ~IntentClassifier();
  IntentClassifier(const IntentClassifier&) = delete;
  IntentClassifier& operator=(const IntentClassifier&) = delete;

  // The most likely intent of `text` with its calibrated confidence; "out_of_scope" when the
  // model says so or when the best intent's confidence is below threshold(). Empty or blank
  // text is out_of_scope with confidence 1.
  IntentPrediction Classify(std::string_view text) const;

  // The `k` most likely intents, best first, with calibrated probabilities (no threshold).
  std::vector<IntentPrediction> TopK(std::string_view text, size_t k) const;

  // All intent ids the model knows, sorted.
  std::vector<std::string> Intents() const;

  double temperature() const { return temperature_; }
  double threshold() const { return threshold_; }

 private:
  IntentClassifier() = default;
  // Calibrated probabilities of every label (indexed like labels_) for normalized `text`.
  void Scores(std::string_view text, std::vector<std::pair<double, int>>& out) const;

  std::unique_ptr<fasttext::FastText> model_;
  std::vector<std::string> labels_;  // "cancel_order", indexed by fastText label id
  double temperature_ = 1.0;
  double threshold_ = 0.0;
};

// One line of an evaluation file: lang<TAB>intent<TAB>text.
struct IntentExample {
  std::string lang;
  std::string intent;
  std::string text;
};

// Parses an evaluation file's contents. Blank lines and lines starting with "#" are skipped.
// InvalidArgument (naming the line) when a line does not have three tab-separated fields.
Result<std::vector<IntentExample>> ParseIntentExamples(std::string_view contents);

struct LanguageScore {
  size_t examples = 0;
  size_t correct = 0;
  double accuracy = 0;
  double macro_f1 = 0;  // over the intents present in the gold labels or predictions
};

struct IntentEvalReport {
  std::map<std::string, LanguageScore> by_language;  // "all" holds every example
  // (gold, predicted) pairs that were wrong, with their count, most frequent first.
  std::vector<std::pair<std::pair<std::string, std::string>, size_t>> confusions;
};

// Classifies every example and scores it against its gold intent.
IntentEvalReport EvaluateIntents(const IntentClassifier& classifier,
                                 const std::vector<IntentExample>& examples);

}  // namespace meridian::nlp
