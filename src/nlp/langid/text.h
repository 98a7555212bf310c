#pragma once
// Private to nlp/langid: the one text view that both the trainer (train_main.cc) and the
// identifier see, so that training and detection extract exactly the same features.
//
// Text is decoded from UTF-8 (invalid bytes become U+FFFD, which is not a letter), lowercased
// code point by code point (ICU simple case mapping), and split into words: maximal runs of
// letters and combining marks, with an apostrophe kept when it sits between two letters
// ("l'homme", "don't"). Latin words that touch a digit are dropped (order numbers, codes).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meridian::nlp::langid_internal {

// Writing systems that decide the language (or the candidate set) on their own.
enum class Script : uint8_t {
  kLatin,
  kCyrillic,
  kArabic,
  kDevanagari,
  kThai,
  kHangul,
  kKana,
  kHan,
  kOther,
  kCount
};

struct Word {
  std::u32string text;  // lowercased
  Script script = Script::kOther;
};

struct Tokenized {
  std::vector<Word> words;
  // Letters seen per script (over all words).
  uint32_t letters[static_cast<int>(Script::kCount)] = {};
  uint32_t total_letters = 0;
};

// Decodes, lowercases and splits `text` as described above. Never fails.
Tokenized Tokenize(std::string_view text);

// The script of one code point (kOther for non-letters and scripts we do not model).
Script ScriptOf(char32_t c);

// The word without diacritics (NFD, marks removed, plus ß->ss, ł->l, ø->o, đ->d, ı->i).
std::u32string FoldDiacritics(const std::u32string& word);

// Feature hashes. An n-gram of the padded word "<word>" (n = 1..kMaxOrder) and the whole word.
inline constexpr int kMaxOrder = 5;
uint64_t HashNgram(const char32_t* begin, int n);
uint64_t HashWord(const std::u32string& word);

// Calls fn(order, hash) for every n-gram (1..kMaxOrder) of "<word>"; Han words (CJK runs) use
// orders 1..2 only, without padding around single characters counted twice.
template <typename Fn>
void ForEachNgram(const Word& word, Fn&& fn) {
  // "<word>" in a stack buffer for ordinary words (this runs once per word of every message).
  char32_t small[64];
  std::u32string large;
  char32_t* padded = small;
  const size_t len = word.text.size() + 2;
  if (len > sizeof(small) / sizeof(small[0])) {
    large.resize(len);
    padded = large.data();
  }
  padded[0] = U'<';
  std::copy(word.text.begin(), word.text.end(), padded + 1);
  padded[len - 1] = U'>';
  const bool cjk = word.script == Script::kHan || word.script == Script::kKana;
  const size_t max_order = cjk ? 3 : kMaxOrder;
  for (size_t n = 1; n <= max_order; ++n) {
    for (size_t i = 0; i + n <= len; ++i) {
      if (n == 1 && (i == 0 || i == len - 1)) continue;  // "<" and ">" alone say nothing
      fn(static_cast<int>(n), HashNgram(padded + i, static_cast<int>(n)));
    }
  }
}

std::string ToUtf8(const std::u32string& s);
// Appends `s` to `out` as UTF-8.
void AppendUtf8(const std::u32string& s, std::string& out);

}  // namespace meridian::nlp::langid_internal
