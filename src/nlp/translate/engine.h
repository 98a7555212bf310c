#pragma once
// Machine translation: one TranslationEngine interface and the engines behind it (Apertium
// offline by default, OpenCC for Chinese scripts, LibreTranslate, DeepL, Google v2 and any
// OpenAI-compatible chat endpoint over HTTP). See docs/translation.md.
//
// Segments given to an engine are single lines (no '\n') in which protected spans have been
// replaced by placeholders of the form "⟦N⟧" (U+27E6 N U+27E7, see protect.h); every engine
// must return them unchanged.

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace meridian::nlp::translate {

enum class PairKind { kDirect, kPivot, kUnavailable };
std::string_view PairKindName(PairKind kind);

struct PairInfo {
  std::string from;
  std::string to;
  std::string engine;
  PairKind kind = PairKind::kUnavailable;
  std::string via;  // the pivot language when kind == kPivot
};

class TranslationEngine {
 public:
  virtual ~TranslationEngine() = default;
  virtual std::string_view Name() const = 0;
  // Translates every segment from `from` to `to` (language codes as in Pairs()). The result has
  // exactly one translation per segment, in order. Unsupported pair: NotFound
  // ("unsupported_pair"); provider errors: Unavailable / RateLimited / Internal with a message
  // naming the engine.
  virtual Result<std::vector<std::string>> Translate(const std::vector<std::string>& segments,
                                                     std::string_view from,
                                                     std::string_view to) = 0;
  // The pairs the engine can serve (direct or pivoted). Remote engines may return an empty list
  // when they are not configured or cannot be asked.
  virtual std::vector<PairInfo> Pairs() = 0;
  // Whether `from`->`to` can be served, without translating anything.
  virtual bool Supports(std::string_view from, std::string_view to);
  // The pivot language the engine goes through for `from`->`to`, "" when direct or unknown.
  virtual std::string PivotFor(std::string_view /*from*/, std::string_view /*to*/) const {
    return "";
  }
};

// The placeholder for protected span number `index`: "⟦index⟧".
std::string Placeholder(size_t index);

}  // namespace meridian::nlp::translate
