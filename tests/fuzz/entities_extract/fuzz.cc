// Fuzz target for nlp/entities: any bytes, several regions and zones; spans must stay inside
// the input, be ordered and not overlap.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nlp/entities/entities.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::nlp;
  static const auto* const kExtractor =
      EntityExtractor::Create(OrderNumberConfig::Default()).value().release();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const char* const kRegions[] = {"US", "DE", "CN", "BR", ""};
  static const char* const kZones[] = {"Europe/Berlin", "America/New_York", "Asia/Shanghai",
                                       "Not/AZone"};
  ExtractOptions options;
  options.region = kRegions[size % 5];
  options.time_zone = kZones[size % 4];
  options.now_ms = 1710372600000 + static_cast<int64_t>(size) * 3'600'000;
  size_t last_end = 0;
  for (const Entity& e : kExtractor->Extract(text, options)) {
    if (e.start >= e.end || e.end > size || e.start < last_end) std::abort();
    if (text.substr(e.start, e.end - e.start) != e.text) std::abort();
    last_end = e.end;
  }
  return 0;
}
