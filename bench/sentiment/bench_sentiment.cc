// Messages per second through SentimentAnalyzer::Analyze, one thread, over the dev set's texts
// (tweet-length, 8 languages), with the language given and guessed.

#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <vector>

#include "nlp/sentiment/sentiment.h"

namespace {

using meridian::nlp::SentimentAnalyzer;

struct Corpus {
  std::vector<std::string> langs, texts;
};

const Corpus& DevCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    std::ifstream in(std::string(MERIDIAN_SOURCE_DIR) + "/tests/fixtures/sentiment/dev.tsv");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
      c.langs.push_back(line.substr(0, t1));
      c.texts.push_back(line.substr(t2 + 1));
    }
    return c;
  }();
  return corpus;
}

const SentimentAnalyzer& Analyzer() {
  static const std::unique_ptr<SentimentAnalyzer> analyzer = [] {
    auto a = SentimentAnalyzer::Load(std::string(MERIDIAN_SOURCE_DIR) + "/data/sentiment");
    if (!a.ok()) std::abort();
    return std::move(a).value();
  }();
  return *analyzer;
}

void BM_AnalyzeWithLanguage(benchmark::State& state) {
  const Corpus& c = DevCorpus();
  const SentimentAnalyzer& a = Analyzer();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.Analyze(c.texts[i], c.langs[i]));
    i = (i + 1) % c.texts.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AnalyzeWithLanguage);

void BM_AnalyzeGuessingLanguage(benchmark::State& state) {
  const Corpus& c = DevCorpus();
  const SentimentAnalyzer& a = Analyzer();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.Analyze(c.texts[i]));
    i = (i + 1) % c.texts.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AnalyzeGuessingLanguage);

void BM_Load(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        SentimentAnalyzer::Load(std::string(MERIDIAN_SOURCE_DIR) + "/data/sentiment"));
  }
}
BENCHMARK(BM_Load)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
