// Classifications per second of IntentClassifier::Classify on each dev set's texts (all
// languages mixed, one thread), plus the normalizer alone.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "core/resources.h"
#include "nlp/intent/intent.h"

namespace {

using meridian::nlp::IntentClassifier;

// The texts of one dev set: "intent_dev.tsv" (short chat lines) or "intent_dev_cs.tsv"
// (customer-service style lines with placeholders, about twice as long).
std::vector<std::string> DevTexts(const std::string& name) {
  std::vector<std::string> texts;
  auto contents =
      meridian::ReadFile(std::filesystem::path(MERIDIAN_SOURCE_DIR) / "tests/fixtures/nlu" / name);
  if (!contents) return texts;
  auto examples = meridian::nlp::ParseIntentExamples(*contents);
  if (!examples.ok()) return texts;
  for (const auto& e : *examples) texts.push_back(e.text);
  return texts;
}

const IntentClassifier& Classifier() {
  static std::unique_ptr<IntentClassifier> classifier = [] {
    auto loaded =
        IntentClassifier::Load(std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/nlu");
    if (!loaded.ok()) {
      std::cerr << loaded.status().ToString() << "\n";
      std::exit(1);
    }
    return std::move(loaded).value();
  }();
  return *classifier;
}

void BM_Classify(benchmark::State& state, const std::string& dev_file) {
  const IntentClassifier& classifier = Classifier();
  std::vector<std::string> texts = DevTexts(dev_file);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(classifier.Classify(texts[i]));
    if (++i == texts.size()) i = 0;
  }
  state.counters["classifications/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Classify, chat, std::string("intent_dev.tsv"));
BENCHMARK_CAPTURE(BM_Classify, customer_service, std::string("intent_dev_cs.tsv"));

void BM_Normalize(benchmark::State& state, const std::string& dev_file) {
  std::vector<std::string> texts = DevTexts(dev_file);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(meridian::nlp::NormalizeForIntent(texts[i]));
    if (++i == texts.size()) i = 0;
  }
  state.counters["texts/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_Normalize, chat, std::string("intent_dev.tsv"));
BENCHMARK_CAPTURE(BM_Normalize, customer_service, std::string("intent_dev_cs.tsv"));

}  // namespace

BENCHMARK_MAIN();
