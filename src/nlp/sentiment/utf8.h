#pragma once
// Private to nlp/sentiment: the little UTF-8 walking the scorer needs, lenient on bad bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace meridian::nlp::sentiment_internal {

inline constexpr char32_t kBadCodePoint = 0xFFFD;

// Decodes the code point at s[i] and advances i past it; a malformed byte yields kBadCodePoint
// and advances by one, so a loop over any bytes terminates.
inline char32_t DecodeUtf8(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || b0 > 0xF4 || i + len > s.size()) {
    ++i;
    return kBadCodePoint;
  }
  char32_t cp = b0 & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kBadCodePoint;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

inline void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

inline bool IsHan(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF);
}
inline bool IsKana(char32_t c) { return c >= 0x3040 && c <= 0x30FF; }
inline bool IsCjk(char32_t c) { return IsHan(c) || IsKana(c); }
inline bool IsArabic(char32_t c) {
  return c >= 0x0600 && c <= 0x06FF && c != 0x060C && c != 0x061F && c != 0x061B;
}
inline bool IsDevanagari(char32_t c) {
  return c >= 0x0900 && c <= 0x097F && c != 0x0964 && c != 0x0965;
}
// Characters that vanish before matching: variation selectors, joiners, skin tones, tatweel,
// Arabic diacritics.
inline bool IsIgnorable(char32_t c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || c == 0x200D || c == 0x200C || c == 0x200B ||
         (c >= 0x1F3FB && c <= 0x1F3FF) || c == 0x0640 || (c >= 0x064B && c <= 0x0652) ||
         c == 0x0670;
}
inline bool IsEmoji(char32_t c) {
  return (c >= 0x1F000 && c <= 0x1FAFF && !(c >= 0x1F3FB && c <= 0x1F3FF)) ||
         (c >= 0x2600 && c <= 0x27BF) || c == 0x2B50 || c == 0x2B55 || c == 0x2B06 || c == 0x2B07 ||
         c == 0x203C || c == 0x2049 || c == 0x2639 || c == 0x263A || c == 0x2665;
}

}  // namespace meridian::nlp::sentiment_internal
