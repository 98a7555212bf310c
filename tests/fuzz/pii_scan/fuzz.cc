// Fuzz target for nlp/pii: Scan then Redact in every mode; spans must be in bounds, ordered and
// disjoint, and ScrubCardNumbers must leave no card number a scan can find.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nlp/pii/pii.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::nlp;
  static const auto* const kScanner = PiiScanner::Create().value().release();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const char* const kRegions[] = {"US", "DE", "BR", "NL", "PL", "CN", ""};
  ScanOptions options;
  options.region = kRegions[size % 7];
  std::vector<PiiMatch> found = kScanner->Scan(text, options);
  size_t last_end = 0;
  for (const PiiMatch& m : found) {
    if (m.start >= m.end || m.end > size || m.start < last_end) std::abort();
    last_end = m.end;
  }
  for (RedactionMode mode : {RedactionMode::kMask, RedactionMode::kToken, RedactionMode::kRemove}) {
    Redaction r = Redact(text, found, {mode, "fuzz-key"});
    if (r.found.size() != found.size()) std::abort();
  }
  // What the store persists must hold no card number a scan can find.
  std::string scrubbed = ScrubCardNumbers(text);
  for (const PiiMatch& m : kScanner->Scan(scrubbed)) {
    if (m.type == PiiType::kCardNumber) std::abort();
  }
  return 0;
}
