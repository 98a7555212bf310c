#pragma once
// Private to nlp/sentiment: the word lists of one language, loaded from
// data/sentiment/lexicon/<lang>.tsv, and the text normalization both they and messages go
// through, so a lexicon entry and a message word meet in the same form.
//
// File format, one entry a line, '#' starts a comment line, fields separated by TABs:
//   word or phrase <TAB> valence in [-4, 4] [<TAB> emotion tags]
//   @neg  <TAB> negator ...                 space-separated words ("not", "nicht", "nahi")
//   @mod  <TAB> factor <TAB> word ...       intensifier (factor > 0) or diminisher (< 0)
//   @but  <TAB> word ...                    contrast: what precedes counts less
//   @stop <TAB> word ...                    function words: language guess, block fallbacks
//   @self <TAB> word ...                    first/second-person words ("I", "my", "you"): a
//                                           message with none of them and a link reads as news
// Emotion tags: letters a (anger) f (frustration) x (anxiety) s (satisfaction) u (urgency),
// each optionally followed by a weight ("a2", "u0.5"); default weight 1. A valence of 0 with
// tags is an emotion cue only ("asap 0 u"). Tag n: the valence counts only when the word is
// negated ("work 1 n": "doesn't work" is negative, "it works" is not). Phrases have up to 5
// words.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/status.h"

namespace meridian::nlp::sentiment_internal {

enum Emotion { kAnger, kFrustration, kAnxiety, kSatisfaction, kUrgency, kEmotionCount };

struct Entry {
  float valence = 0;
  std::array<float, kEmotionCount> emotions{};
  bool negated_only = false;  // tag 'n': counts only when negated ("work": "doesn't work")
  bool has_negator = false;   // a phrase with a negator in it ("no me gusta"): not negated again
};

enum class WordKind : uint8_t { kNegator, kModifier, kContrast, kStop, kSelf };

struct FunctionWord {
  WordKind kind = WordKind::kStop;
  float factor = 0;  // modifiers only
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct Lexicon {
  std::string language;
  StringMap<Entry> entries;  // normalized word or phrase (words joined by one space)
  StringMap<FunctionWord> function_words;
  StringMap<uint8_t> phrase_starts;  // first word of a phrase -> most words of its phrases
  size_t max_phrase_words = 1;
  size_t max_entry_chars = 1;  // in code points, for CJK longest match
  size_t written_entries = 0;  // scored lines in the file (before accent-folded copies)

  const Entry* Find(std::string_view word) const {
    auto it = entries.find(word);
    return it == entries.end() ? nullptr : &it->second;
  }
  const FunctionWord* FindFunction(std::string_view word) const {
    auto it = function_words.find(word);
    return it == function_words.end() ? nullptr : &it->second;
  }
};

// Parses one lexicon file's content. InvalidArgument("bad_lexicon") names `source` and line.
Result<Lexicon> ParseLexicon(std::string_view content, std::string language,
                             std::string_view source);

// Lower-cases (Latin, Greek, Cyrillic), folds ’ to ', strips Arabic diacritics and tatweel and
// unifies alef/yeh/teh-marbuta forms, drops variation selectors. Appends to `out`.
void NormalizeWord(std::string_view word, std::string& out);

// `word` with Latin accents removed ("très" -> "tres"); empty when it has none.
std::string FoldAccents(std::string_view word);

}  // namespace meridian::nlp::sentiment_internal
