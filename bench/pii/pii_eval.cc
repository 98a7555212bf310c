// Recall and precision of nlp/pii on the synthetic corpora (bench/pii/pii_corpus.h).
// Usage: pii_eval [--lines N] [--seed S] [--verbose]. Prints one JSON object.
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "bench/pii/pii_corpus.h"

int main(int argc, char** argv) {
  size_t lines = 20000;
  uint64_t seed = 20261124;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--lines") && i + 1 < argc)
      lines = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
      seed = std::stoull(argv[++i]);
    else if (!std::strcmp(argv[i], "--verbose"))
      verbose = true;
  }
  auto scanner = meridian::nlp::PiiScanner::Create();
  if (!scanner.ok()) {
    std::fprintf(stderr, "%s\n", scanner.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string> mistakes;
  auto pii = meridian::bench::PiiLines(seed, lines);
  auto recall = meridian::bench::Evaluate(**scanner, pii, &mistakes);
  // Per-kind recall.
  std::map<std::string, std::pair<size_t, size_t>> per_kind;
  for (const auto& line : pii) {
    auto r = meridian::bench::Evaluate(**scanner, {line});
    per_kind[line.kind].first += r.found_expected;
    per_kind[line.kind].second += r.expected;
  }
  auto look = meridian::bench::LookAlikeLines(seed + 1, lines);
  auto precision = meridian::bench::Evaluate(**scanner, look, &mistakes);
  std::printf(
      "{\"pii_lines\":%zu,\"recall\":%.4f,\"lookalike_lines\":%zu,\"precision\":%.4f,"
      "\"lookalike_recall\":%.4f,\"false_positives\":%zu,\"per_kind_recall\":{",
      pii.size(), recall.recall(), look.size(), precision.precision(), precision.recall(),
      precision.reported - precision.correct);
  bool first = true;
  for (const auto& [kind, counts] : per_kind) {
    std::printf("%s\"%s\":%.4f", first ? "" : ",", kind.c_str(),
                counts.second ? double(counts.first) / double(counts.second) : 1.0);
    first = false;
  }
  std::printf("}}\n");
  if (verbose) {
    for (const auto& m : mistakes) std::fprintf(stderr, "%s\n", m.c_str());
  }
  return 0;
}
