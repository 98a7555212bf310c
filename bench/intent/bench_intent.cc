// Classifications per second of IntentClassifier::Classify on the dev sets' texts (all
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

// The texts of both dev sets: the short chat lines and the customer-service style lines.
std::vector<std::string> DevTexts() {
  std::vector<std::string> texts;
  for (const char* name : {"intent_dev.tsv", "intent_dev_cs.tsv"}) {
    auto contents = meridian::ReadFile(std::filesystem::path(MERIDIAN_SOURCE_DIR) /
                                       "tests/fixtures/nlu" / name);
    if (!contents) continue;
    auto examples = meridian::nlp::ParseIntentExamples(*contents);
    if (!examples.ok()) continue;
    for (const auto& e : *examples) texts.push_back(e.text);
  }
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
