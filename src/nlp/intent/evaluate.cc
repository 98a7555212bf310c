// Evaluation files (lang<TAB>intent<TAB>text) and their scoring: accuracy, macro-F1, confusions.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "nlp/intent/intent.h"

namespace meridian::nlp {

Result<std::vector<IntentExample>> ParseIntentExamples(std::string_view contents) {
  std::vector<IntentExample> out;
  size_t line_no = 0;
  for (size_t pos = 0; pos < contents.size();) {
    size_t end = contents.find('\n', pos);
    if (end == std::string_view::npos) end = contents.size();
    std::string_view line = contents.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) {
      return Status::InvalidArgument(
          "line " + std::to_string(line_no) + ": expected lang<TAB>intent<TAB>text",
          "bad_eval_line");
    }
    out.push_back({std::string(line.substr(0, t1)), std::string(line.substr(t1 + 1, t2 - t1 - 1)),
                   std::string(line.substr(t2 + 1))});
  }
  return out;
}

namespace {

struct Tally {
  std::map<std::string, size_t> tp, fp, fn;
  size_t examples = 0;
  size_t correct = 0;
};

LanguageScore Score(const Tally& t) {
  LanguageScore s;
  s.examples = t.examples;
  s.correct = t.correct;
  s.accuracy =
      t.examples == 0 ? 0 : static_cast<double>(t.correct) / static_cast<double>(t.examples);
  std::set<std::string> intents;
  for (const auto& m : {&t.tp, &t.fp, &t.fn}) {
    for (const auto& [k, v] : *m) intents.insert(k);
  }
  double f1_sum = 0;
  for (const std::string& intent : intents) {
    auto get = [&](const std::map<std::string, size_t>& m) {
      auto it = m.find(intent);
      return it == m.end() ? 0.0 : static_cast<double>(it->second);
    };
    double tp = get(t.tp), fp = get(t.fp), fn = get(t.fn);
    f1_sum += tp == 0 ? 0.0 : 2 * tp / (2 * tp + fp + fn);
  }
  s.macro_f1 = intents.empty() ? 0 : f1_sum / static_cast<double>(intents.size());
  return s;
}

}  // namespace

IntentEvalReport EvaluateIntents(const IntentClassifier& classifier,
                                 const std::vector<IntentExample>& examples) {
  std::map<std::string, Tally> tallies;
  std::map<std::pair<std::string, std::string>, size_t> confusions;
  for (const IntentExample& ex : examples) {
    std::string predicted(classifier.Classify(ex.text).intent);
    for (const std::string& key : {ex.lang, std::string("all")}) {
      Tally& t = tallies[key];
      ++t.examples;
      if (predicted == ex.intent) {
        ++t.correct;
        ++t.tp[ex.intent];
      } else {
        ++t.fp[predicted];
        ++t.fn[ex.intent];
      }
    }
    if (predicted != ex.intent) ++confusions[{ex.intent, predicted}];
  }
  IntentEvalReport report;
  for (const auto& [lang, t] : tallies) report.by_language[lang] = Score(t);
  report.confusions.assign(confusions.begin(), confusions.end());
  std::stable_sort(report.confusions.begin(), report.confusions.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return report;
}

}  // namespace meridian::nlp
