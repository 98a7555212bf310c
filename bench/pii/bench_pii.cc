// Scan throughput of nlp/pii. Figures: bench/RESULTS.md, "Entities and PII".
#include <benchmark/benchmark.h>

#include <sstream>

#include "bench/pii/pii_corpus.h"

namespace {

using meridian::nlp::PiiScanner;

const PiiScanner& Scanner() {
  static const auto* const kScanner = PiiScanner::Create().value().release();
  return *kScanner;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// One Scan per chat message, as the pipeline calls it.
void ScanMessages(benchmark::State& state, const std::vector<std::string>& lines, size_t bytes) {
  size_t found = 0;
  for (auto _ : state) {
    for (const auto& line : lines) found += Scanner().Scan(line).size();
  }
  benchmark::DoNotOptimize(found);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_ScanTypicalChat(benchmark::State& state) {
  static const std::string text = meridian::bench::ChatText(7, 4 << 20, 10);
  static const auto lines = Lines(text);
  ScanMessages(state, lines, text.size());
}
BENCHMARK(BM_ScanTypicalChat)->Unit(benchmark::kMillisecond);

void BM_ScanTypicalChatWholeText(benchmark::State& state) {
  static const std::string text = meridian::bench::ChatText(7, 4 << 20, 10);
  size_t found = 0;
  for (auto _ : state) found += Scanner().Scan(text).size();
  benchmark::DoNotOptimize(found);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ScanTypicalChatWholeText)->Unit(benchmark::kMillisecond);

void BM_ScanLookAlikes(benchmark::State& state) {
  static const auto labeled = meridian::bench::LookAlikeLines(11, 20000);
  static std::vector<std::string> lines;
  static size_t bytes = 0;
  if (lines.empty()) {
    for (const auto& l : labeled) {
      lines.push_back(l.text);
      bytes += l.text.size();
    }
  }
  ScanMessages(state, lines, bytes);
}
BENCHMARK(BM_ScanLookAlikes)->Unit(benchmark::kMillisecond);

void BM_ScrubCardNumbers(benchmark::State& state) {
  static const std::string text = meridian::bench::ChatText(13, 1 << 20, 10);
  static const auto lines = Lines(text);
  size_t total = 0;
  for (auto _ : state) {
    for (const auto& line : lines) total += meridian::nlp::ScrubCardNumbers(line).size();
  }
  benchmark::DoNotOptimize(total);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ScrubCardNumbers)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
