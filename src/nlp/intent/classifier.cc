// IntentClassifier: fastText model + temperature calibration + out-of-scope threshold.

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/resources.h"
#include "nlp/intent/intent.h"

namespace meridian::nlp {
namespace {

constexpr std::string_view kLabelPrefix = "__label__";

}  // namespace

std::filesystem::path IntentClassifier::DefaultModelDir() { return ShareDir() / "nlu"; }

IntentClassifier::~IntentClassifier() = default;

Result<std::unique_ptr<IntentClassifier>> IntentClassifier::Load(const std::filesystem::path& dir) {
  std::filesystem::path model_path = dir / "intent.bin";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(model_path, ec)) {
    return Status::NotFound("intent model not found: " + model_path.string() +
                                " (build the meridian_intent_model target)",
                            "model_missing");
  }
  std::unique_ptr<IntentClassifier> c(new IntentClassifier());
  c->model_ = std::make_unique<fasttext::FastText>();
  try {
    c->model_->loadModel(model_path.string());
  } catch (const std::exception& e) {
    return Status::InvalidArgument(
        "cannot load intent model " + model_path.string() + ": " + e.what(), "model_corrupt");
  }
  auto dict = c->model_->getDictionary();
  for (int32_t i = 0; i < dict->nlabels(); ++i) {
    std::string label = dict->getLabel(i);
    if (label.rfind(kLabelPrefix, 0) == 0) label.erase(0, kLabelPrefix.size());
    c->labels_.push_back(std::move(label));
  }
  if (c->labels_.empty()) {
    return Status::InvalidArgument("intent model has no labels", "model_corrupt");
  }
  // intent.calib: "temperature <T>" and "threshold <t>" lines; missing file = no calibration.
  if (auto calib = ReadFile(dir / "intent.calib")) {
    std::istringstream in(*calib);
    std::string key;
    double value = 0;
    while (in >> key >> value) {
      if (key == "temperature" && value > 0) c->temperature_ = value;
      if (key == "threshold" && value >= 0 && value < 1) c->threshold_ = value;
    }
  }
  return c;
}

namespace {
// True when `normalized` holds a token other than a placeholder ("<num>", "<email>", ...) or
// punctuation.
bool HasWords(std::string_view normalized) {
  size_t i = 0;
  while (i < normalized.size()) {
    while (i < normalized.size() && normalized[i] == ' ') ++i;
    size_t end = normalized.find(' ', i);
    if (end == std::string_view::npos) end = normalized.size();
    std::string_view token = normalized.substr(i, end - i);
    i = end;
    if (token.empty()) continue;
    if (token.size() > 2 && token.front() == '<' && token.back() == '>') continue;
    for (char c : token) {
      if (!std::ispunct(static_cast<unsigned char>(c))) return true;
    }
  }
  return false;
}
}  // namespace

void IntentClassifier::Scores(std::string_view text,
                              std::vector<std::pair<double, int>>& out) const {
  out.clear();
  std::string normalized = NormalizeForIntent(text);
  // Nothing but values ("12345", "#4711", an e-mail address) says nothing about what the
  // customer wants: a customer answering "what is your order number?" is not reporting a
  // missing item. Such text is out of scope, like empty text.
  if (!HasWords(normalized)) return;
  normalized.push_back('\n');
  std::istringstream in(normalized);
  std::vector<int32_t> words;
  std::vector<int32_t> labels;
  model_->getDictionary()->getLine(in, words, labels);
  fasttext::Predictions predictions;
  model_->predict(static_cast<int32_t>(labels_.size()), words, predictions, 0.0);
  if (predictions.empty()) return;
  // predictions hold log-probabilities; temperature scaling is softmax(log p / T).
  double max_logit = predictions.front().first / temperature_;
  double sum = 0;
  for (const auto& [log_p, id] : predictions) {
    double e = std::exp(log_p / temperature_ - max_logit);
    sum += e;
    out.emplace_back(e, id);
  }
  for (auto& [p, id] : out) p /= sum;
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
}

IntentPrediction IntentClassifier::Classify(std::string_view text) const {
  thread_local std::vector<std::pair<double, int>> scores;
  Scores(text, scores);
  if (scores.empty()) return {kOutOfScope, 1.0};
  const auto& [p, id] = scores.front();
  std::string_view intent = labels_[static_cast<size_t>(id)];
  if (intent != kOutOfScope && p < threshold_) return {kOutOfScope, 1.0 - p};
  return {intent, p};
}

std::vector<IntentPrediction> IntentClassifier::TopK(std::string_view text, size_t k) const {
  std::vector<std::pair<double, int>> scores;
  Scores(text, scores);
  std::vector<IntentPrediction> out;
  for (size_t i = 0; i < scores.size() && i < k; ++i) {
    out.push_back({labels_[static_cast<size_t>(scores[i].second)], scores[i].first});
  }
  return out;
}

std::vector<std::string> IntentClassifier::Intents() const {
  std::vector<std::string> out = labels_;
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace meridian::nlp
