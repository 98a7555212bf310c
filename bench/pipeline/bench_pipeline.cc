// Messages per second through the whole enrichment pipeline (service::Enricher::Analyze:
// language, PII, sentiment, intent with per-sentence classification, entities), one thread,
// over the intent dev set's texts in every language, plus the same texts prefixed with a
// greeting and followed by an email address (longer, multi-sentence chat messages), plus the
// customer-service messages of intent_blind2.tsv (12 languages, short chat to long email).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/resources.h"
#include "nlp/intent/intent.h"
#include "service/enricher.h"

namespace {

using meridian::service::Enricher;

std::vector<std::string> DevTexts(const char* file = "intent_dev.tsv") {
  auto contents =
      meridian::ReadFile(std::filesystem::path(MERIDIAN_SOURCE_DIR) / "tests/fixtures/nlu" / file);
  std::vector<std::string> texts;
  if (!contents) return texts;
  auto examples = meridian::nlp::ParseIntentExamples(*contents);
  if (!examples.ok()) return texts;
  for (const auto& e : *examples) texts.push_back(e.text);
  return texts;
}

const Enricher& Pipeline() {
  static std::unique_ptr<Enricher> enricher = [] {
    auto loaded = Enricher::Load(
        {.langid_model_dir = std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/langid",
         .intent_model_dir = std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/nlu",
         .sentiment_dir = std::filesystem::path(MERIDIAN_SOURCE_DIR) / "data/sentiment"});
    if (!loaded.ok()) {
      std::cerr << loaded.status().ToString() << "\n";
      std::exit(1);
    }
    return std::move(loaded).value();
  }();
  return *enricher;
}

void Run(benchmark::State& state, const std::vector<std::string>& texts) {
  const Enricher& e = Pipeline();
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts[i++ % texts.size()];
    bytes += t.size();
    benchmark::DoNotOptimize(e.Analyze(t, {}, 1'764'000'000'000));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_PipelineShort(benchmark::State& state) {
  static const std::vector<std::string> texts = DevTexts();
  Run(state, texts);
}
BENCHMARK(BM_PipelineShort);

void BM_PipelineChat(benchmark::State& state) {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    for (const std::string& t : DevTexts()) {
      out.push_back("Hi there! " + t + "? Thanks a lot. You can reach me at jo@example.com");
    }
    return out;
  }();
  Run(state, texts);
}
BENCHMARK(BM_PipelineChat);

// Customer-service messages in 12 languages, from one-line chats to multi-sentence emails.
void BM_PipelineCustomerService(benchmark::State& state) {
  static const std::vector<std::string> texts = DevTexts("intent_blind2.tsv");
  Run(state, texts);
}
BENCHMARK(BM_PipelineCustomerService);

}  // namespace

BENCHMARK_MAIN();
