#pragma once
// Protected spans: parts of a line no engine may change. They are replaced by placeholders
// "⟦N⟧" before translation and put back after:
//   - URLs (http://, https://, www.), e-mail addresses,
//   - amounts with a currency ($12.50, 12,50 €, EUR 30, 30 USD),
//   - order / tracking numbers and SKUs: tokens that contain a digit and are either at least 4
//     characters long or carry a letter or '#' (#12345, 1Z999AA10123456784, SKU-ABC-12),
//     while plain short numbers ("3 days") stay text the engine can inflect around,
//   - emoji (runs of pictographs with their joiners, variation selectors and skin tones),
//   - glossary terms: do-not-translate terms keep their text, forced terms become their target,
//   - any literal "⟦" / "⟧" already in the text (so restoring cannot be fooled).
// Line breaks are not spans: the router translates line by line (router.h).

#include <string>
#include <string_view>
#include <vector>

#include "nlp/translate/engine.h"
#include "nlp/translate/glossary.h"

namespace meridian::nlp::translate {

enum class SpanKind { kUrl, kEmail, kAmount, kCode, kEmoji, kDoNotTranslate, kForced, kLiteral };
std::string_view SpanKindName(SpanKind kind);

struct ProtectedSpan {
  SpanKind kind;
  std::string original;     // the text in the source line
  std::string replacement;  // what the placeholder becomes after translation
};

struct MaskedText {
  std::string text;                  // the line with placeholders
  std::vector<ProtectedSpan> spans;  // spans[i] is placeholder i
};

// Masks one line (no '\n'). `glossary` may be null; forced terms of `from`->`to` apply.
MaskedText Protect(std::string_view line, const Glossary* glossary, std::string_view from,
                   std::string_view to);

// Puts the spans back into an engine's output. Tolerates spaces an engine put inside a
// placeholder ("⟦ 0 ⟧"); a span whose placeholder the engine dropped is appended at the end, so
// an order number or URL is never lost.
std::string Restore(std::string_view translated, const std::vector<ProtectedSpan>& spans);

}  // namespace meridian::nlp::translate
