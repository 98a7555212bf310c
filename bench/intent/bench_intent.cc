// Classifications per second of IntentClassifier::Classify on the dev set's texts (all
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

std::vector<std::string> DevTexts() {
  auto contents = meridian::ReadFile(std::filesystem::path(MERIDIAN_SOURCE_DIR) /
                                     "tests/fixtures/nlu/intent_dev.tsv");
  std::vector<std::string> texts;
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

void BM_Classify(benchmark::State& state) {
  const IntentClassifier& classifier = Classifier();
  std::vector<std::string> texts = DevTexts();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(classifier.Classify(texts[i]));
    if (++i == texts.size()) i = 0;
  }
  state.counters["classifications/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Classify);

void BM_Normalize(benchmark::State& state) {
  std::vector<std::string> texts = DevTexts();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(meridian::nlp::NormalizeForIntent(texts[i]));
    if (++i == texts.size()) i = 0;
  }
  state.counters["texts/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Normalize);

}  // namespace

BENCHMARK_MAIN();
