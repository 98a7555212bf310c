// Tokenization and feature hashing shared by the langid trainer and the identifier (text.h).
#include "nlp/langid/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>

namespace meridian::nlp::langid_internal {
namespace {

// Decodes one code point at s[i]; U+FFFD for an ill-formed sequence (i always advances).
char32_t DecodeOne(std::string_view s, size_t& i) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX));
  auto pos = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(bytes, pos, length, c);
  i = static_cast<size_t>(pos);
  return c < 0 ? char32_t{0xFFFD} : static_cast<char32_t>(c);
}

enum class CharClass { kLetter, kMark, kApostrophe, kDigit, kOther };

CharClass Classify(char32_t c) {
  if (c < 0x80) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return CharClass::kLetter;
    if (c >= '0' && c <= '9') return CharClass::kDigit;
    if (c == '\'') return CharClass::kApostrophe;
    return CharClass::kOther;
  }
  if (c == 0x2019 || c == 0x02BC) return CharClass::kApostrophe;
  switch (u_charType(static_cast<UChar32>(c))) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return CharClass::kLetter;
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
      return CharClass::kMark;
    case U_DECIMAL_DIGIT_NUMBER:
      return CharClass::kDigit;
    default:
      return CharClass::kOther;
  }
}

// Latin and "CJK" (Han + kana) are the two scripts we join inside one word; a change between
// any other pair of scripts ends the word.
int JoinGroup(Script s) {
  if (s == Script::kHan || s == Script::kKana) return 100;
  return static_cast<int>(s);
}

uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb3f99cd4ee53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

Script ScriptOf(char32_t c) {
  if (c < 0x80) {
    return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ? Script::kLatin : Script::kOther;
  }
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(static_cast<UChar32>(c), &status)) {
    case USCRIPT_LATIN:
      return Script::kLatin;
    case USCRIPT_CYRILLIC:
      return Script::kCyrillic;
    case USCRIPT_ARABIC:
      return Script::kArabic;
    case USCRIPT_DEVANAGARI:
      return Script::kDevanagari;
    case USCRIPT_THAI:
      return Script::kThai;
    case USCRIPT_HANGUL:
      return Script::kHangul;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
      return Script::kKana;
    case USCRIPT_HAN:
      return Script::kHan;
    default:
      return Script::kOther;
  }
}

Tokenized Tokenize(std::string_view text) {
  Tokenized out;
  Word current;
  bool has_digit = false;
  bool pending_apostrophe = false;
  int counts[static_cast<int>(Script::kCount)] = {};
  auto flush = [&] {
    // Latin letters glued to digits are codes ("3rd", "A123", "2x"); in CJK and Hangul text a
    // number glued to a word is ordinary ("2주", "8月").
    if (!current.text.empty() && !(has_digit && counts[static_cast<int>(Script::kLatin)] > 0)) {
      // The word's script: kana wins within CJK runs, otherwise the most frequent one.
      int best = static_cast<int>(Script::kOther);
      for (int s = 0; s < static_cast<int>(Script::kCount); ++s) {
        if (counts[s] > counts[best] || (best == static_cast<int>(Script::kOther) && counts[s])) {
          best = s;
        }
      }
      if (counts[static_cast<int>(Script::kKana)] > 0) best = static_cast<int>(Script::kKana);
      current.script = static_cast<Script>(best);
      for (int s = 0; s < static_cast<int>(Script::kCount); ++s) {
        out.letters[s] += static_cast<uint32_t>(counts[s]);
        out.total_letters += static_cast<uint32_t>(counts[s]);
      }
      out.words.push_back(std::move(current));
    }
    current = Word();
    has_digit = false;
    pending_apostrophe = false;
    for (int& c : counts) c = 0;
  };
  int group = -1;
  size_t i = 0;
  while (i < text.size()) {
    const char32_t c = DecodeOne(text, i);
    switch (Classify(c)) {
      case CharClass::kLetter: {
        const Script script = ScriptOf(c);
        const int g = JoinGroup(script);
        if (!current.text.empty() && g != group) flush();
        group = g;
        if (pending_apostrophe) current.text.push_back(U'\'');
        pending_apostrophe = false;
        current.text.push_back(c < 0x80
                                   ? (c >= 'A' && c <= 'Z' ? c + 32 : c)
                                   : static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))));
        ++counts[static_cast<int>(script)];
        break;
      }
      case CharClass::kMark:
        if (!current.text.empty()) current.text.push_back(c);
        break;
      case CharClass::kApostrophe:
        if (!current.text.empty() && !pending_apostrophe) {
          pending_apostrophe = true;
        } else {
          flush();
        }
        break;
      case CharClass::kDigit:
        has_digit = true;
        pending_apostrophe = false;
        if (current.text.empty()) {
          // A digit glued to the next letters ("2x", "3rd") also spoils that word.
          current = Word();
        }
        break;
      case CharClass::kOther:
        flush();
        break;
    }
  }
  flush();
  return out;
}

std::u32string FoldDiacritics(const std::u32string& word) {
  static const icu::Normalizer2* const kNfd = [] {
    UErrorCode status = U_ZERO_ERROR;
    return icu::Normalizer2::getNFDInstance(status);
  }();
  if (std::all_of(word.begin(), word.end(), [](char32_t c) { return c < 0x80; })) return word;
  std::u32string out;
  out.reserve(word.size());
  for (char32_t c : word) {
    if (c < 0x80) {
      out.push_back(c);
      continue;
    }
    switch (c) {
      case U'ß':
        out += U"ss";
        continue;
      case U'ł':
        out.push_back(U'l');
        continue;
      case U'ø':
        out.push_back(U'o');
        continue;
      case U'đ':
        out.push_back(U'd');
        continue;
      case U'ı':
        out.push_back(U'i');
        continue;
      case U'æ':
        out += U"ae";
        continue;
      case U'œ':
        out += U"oe";
        continue;
      default:
        break;
    }
    if (ScriptOf(c) != Script::kLatin || kNfd == nullptr) {
      out.push_back(c);
      continue;
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString decomposed =
        kNfd->normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
    if (U_FAILURE(status)) {
      out.push_back(c);
      continue;
    }
    for (int32_t k = 0; k < decomposed.length();) {
      const UChar32 d = decomposed.char32At(k);
      k += U16_LENGTH(d);
      if (u_charType(d) != U_NON_SPACING_MARK) out.push_back(static_cast<char32_t>(d));
    }
  }
  return out;
}

uint64_t HashNgram(const char32_t* begin, int n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(n + 1);
  for (int k = 0; k < n; ++k) h = Mix(h ^ static_cast<uint64_t>(begin[k]));
  return h;
}

uint64_t HashWord(const std::u32string& word) {
  uint64_t h = 0xC2B2AE3D27D4EB4FULL;
  for (char32_t c : word) h = Mix(h ^ static_cast<uint64_t>(c));
  return Mix(h ^ word.size());
}

std::string ToUtf8(const std::u32string& s) {
  std::string out;
  out.reserve(s.size());
  AppendUtf8(s, out);
  return out;
}

void AppendUtf8(const std::u32string& s, std::string& out) {
  for (char32_t c : s) {
    uint8_t buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(c));
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
  }
}

}  // namespace meridian::nlp::langid_internal
