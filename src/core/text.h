#pragma once
// Text at the edge: every string that enters the system is valid UTF-8 and NFC-normalized.

#include <string>
#include <string_view>

#include "core/status.h"

namespace meridian::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Returns the NFC form of `s`; InvalidArgument("invalid_utf8") when `s` is not valid UTF-8.
Result<std::string> NormalizeNfc(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s`.
size_t CodePointCount(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not split a code point.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

// True for a language code as Meridian accepts it: ISO 639-1/-3, optionally with region or
// script subtags ("de", "pt-BR", "zh-Hant").
bool IsLanguageTag(std::string_view s);

}  // namespace meridian::text
