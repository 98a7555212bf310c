// IntentClassifier: fastText model + temperature calibration + out-of-scope threshold.

#include <fasttext/densematrix.h>
#include <fasttext/fasttext.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
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

// Four floats in one SSE register (GCC/Clang vector extension; element-wise arithmetic).
using Float4 = float __attribute__((vector_size(16)));

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
  try {
    c->input_matrix_ = c->model_->getInputMatrix();
    c->output_matrix_ = c->model_->getOutputMatrix();
  } catch (const std::exception& e) {  // a quantized model has no dense matrices
    return Status::InvalidArgument("intent model " + model_path.string() + ": " + e.what(),
                                   "model_corrupt");
  }
  c->dim_ = static_cast<size_t>(c->input_matrix_->cols());
  if (c->output_matrix_->rows() != static_cast<int64_t>(c->labels_.size()) ||
      c->output_matrix_->cols() != c->input_matrix_->cols()) {
    return Status::InvalidArgument("intent model has an unexpected shape", "model_corrupt");
  }
  c->input_ = c->input_matrix_->data();
  c->output_ = c->output_matrix_->data();
  c->padded_labels_ = (c->labels_.size() + 3) / 4 * 4;
  c->output_by_dim_.assign(c->padded_labels_ * c->dim_, 0.0f);
  for (size_t i = 0; i < c->labels_.size(); ++i) {
    for (size_t j = 0; j < c->dim_; ++j) {
      c->output_by_dim_[j * c->padded_labels_ + i] = c->output_[i * c->dim_ + j];
    }
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
  thread_local std::istringstream in;
  thread_local std::vector<int32_t> words;
  thread_local std::vector<int32_t> labels;
  in.clear();
  in.str(std::move(normalized));
  words.clear();
  labels.clear();
  model_->getDictionary()->getLine(in, words, labels);
  if (words.empty()) return;
  // fastText's supervised prediction, computed here over its matrices (the library's own loop
  // is neither vectorized nor needed in full): the hidden vector is the mean of the input rows
  // of the words, subwords and bigrams; the label scores are a softmax over the output rows.
  const size_t dim = dim_;
  thread_local std::vector<float> hidden;
  hidden.assign(dim, 0.0f);
  float* h = hidden.data();
  // The rows are scattered over a large matrix: each is fetched a few words ahead of its use.
  // Every h[j] is still summed in the words' order, so the result is the same to the bit.
  constexpr size_t kAhead = 8;
  const auto prefetch_row = [&](size_t w) {
    const char* row = reinterpret_cast<const char*>(input_ + static_cast<size_t>(words[w]) * dim);
    for (size_t b = 0; b < dim * sizeof(float); b += 64) __builtin_prefetch(row + b);
  };
  for (size_t w = 0; w < words.size() && w < kAhead; ++w) prefetch_row(w);
  for (size_t w = 0; w < words.size(); ++w) {
    if (w + kAhead < words.size()) prefetch_row(w + kAhead);
    const float* row = input_ + static_cast<size_t>(words[w]) * dim;
    size_t j = 0;
    for (; j + 4 <= dim; j += 4) {
      Float4 acc;
      Float4 add;
      std::memcpy(&acc, h + j, sizeof(acc));
      std::memcpy(&add, row + j, sizeof(add));
      acc += add;
      std::memcpy(h + j, &acc, sizeof(acc));
    }
    for (; j < dim; ++j) h[j] += row[j];
  }
  const float scale = 1.0f / static_cast<float>(words.size());
  for (size_t j = 0; j < dim; ++j) h[j] *= scale;
  const size_t n = labels_.size();
  thread_local std::vector<float> logits;
  logits.resize(n);
  // Four labels at a time; each label's dot product still adds its terms in j order, as a
  // label-by-label loop would (same bits).
  logits.resize(padded_labels_);
  for (size_t i = 0; i < padded_labels_; i += 4) {
    Float4 d = {0, 0, 0, 0};
    for (size_t j = 0; j < dim; ++j) {
      Float4 w;
      std::memcpy(&w, output_by_dim_.data() + j * padded_labels_ + i, sizeof(w));
      d += w * h[j];
    }
    std::memcpy(logits.data() + i, &d, sizeof(d));
  }
  logits.resize(n);
  float max = -1e30f;
  for (size_t i = 0; i < n; ++i) max = std::max(max, logits[i]);
  float z = 0;
  for (size_t i = 0; i < n; ++i) {
    logits[i] = std::exp(logits[i] - max);
    z += logits[i];
  }
  // As fastText reports them: log(p + 1e-5), which the calibration was fitted on; temperature
  // scaling is softmax(log p / T).
  double max_logit = -1e300;
  for (size_t i = 0; i < n; ++i) {
    const double log_p = std::log(static_cast<double>(logits[i] / z) + 1e-5);
    out.emplace_back(log_p / temperature_, static_cast<int>(i));
    max_logit = std::max(max_logit, log_p / temperature_);
  }
  double sum = 0;
  for (auto& [v, id] : out) {
    v = std::exp(v - max_logit);
    sum += v;
  }
  for (auto& [p, id] : out) p /= sum;
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
}

IntentPrediction IntentClassifier::Classify(std::string_view text) const {
  thread_local std::vector<IntentPrediction> top;
  return Classify(text, top, 0);
}

IntentPrediction IntentClassifier::Classify(std::string_view text,
                                            std::vector<IntentPrediction>& top, size_t k) const {
  thread_local std::vector<std::pair<double, int>> scores;
  Scores(text, scores);
  top.clear();
  for (size_t i = 0; i < scores.size() && i < k; ++i) {
    top.push_back({labels_[static_cast<size_t>(scores[i].second)], scores[i].first});
  }
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
