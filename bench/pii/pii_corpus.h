#pragma once
// Synthetic evaluation text for PII detection, generated from a seed so every run sees the same
// text. Three corpora:
//   - PiiLines: realistic customer messages each embedding one check-digit-valid PII value
//     (cards, IBANs, national ids, phones, emails, secrets, addresses), labelled with its span;
//   - LookAlikeLines: messages full of numbers that are NOT PII (order and tracking numbers,
//     dates, prices, SKUs, EANs, invoice and model numbers), sometimes with one labelled PII;
//   - ChatText: typical support chat, mostly without any PII, for throughput.

#include <cstdint>
#include <string>
#include <vector>

#include "nlp/pii/pii.h"

namespace meridian::bench {

struct LabeledSpan {
  nlp::PiiType type;
  size_t start;
  size_t end;
};

struct LabeledLine {
  std::string text;
  std::string region;  // the conversation's region, passed to the scanner
  std::vector<LabeledSpan> spans;
  std::string kind;  // generator name, for per-kind recall ("card", "iban", "es_dni", ...)
};

std::vector<LabeledLine> PiiLines(uint64_t seed, size_t count);
std::vector<LabeledLine> LookAlikeLines(uint64_t seed, size_t count);
// About `bytes` of chat text, one message per line; `pii_per_mille` lines carry PII.
std::string ChatText(uint64_t seed, size_t bytes, int pii_per_mille = 10);

struct EvalResult {
  size_t expected = 0;        // labelled spans
  size_t found_expected = 0;  // labelled spans detected with the right type and overlapping
  size_t reported = 0;        // all detections
  size_t correct = 0;         // detections that overlap a labelled span of the same type
  double recall() const { return expected ? double(found_expected) / double(expected) : 1; }
  double precision() const { return reported ? double(correct) / double(reported) : 1; }
};

EvalResult Evaluate(const nlp::PiiScanner& scanner, const std::vector<LabeledLine>& lines,
                    std::vector<std::string>* mistakes = nullptr);

}  // namespace meridian::bench
