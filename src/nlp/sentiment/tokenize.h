#pragma once
// Private to nlp/sentiment: splits a message into the tokens the scorer reads — words
// (normalized, with their casing and elongation noted), emoji, emoticons, runs of CJK text and
// clause breaks — and counts the punctuation that carries feeling ("!!!", "???").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nlp/sentiment/lexicon.h"

namespace meridian::nlp::sentiment_internal {

enum class TokenType : uint8_t { kWord, kEmoji, kCjk, kBreak };

struct Token {
  TokenType type = TokenType::kWord;
  std::string text;        // normalized (NormalizeWord); emoji/emoticon as found
  bool caps = false;       // written in capitals, at least 2 cased letters ("NOT", "TOMORROW")
  bool elongated = false;  // a letter repeated 3+ times ("sooo", "graciasss")
  uint8_t letters = 0;     // letters in the word, saturating at 255
  bool laughter = false;   // "hahaha", "jajaja", "kkkk", "ahahah", "rsrs", "mdrrr", "هههه"
};

struct Script {
  int latin = 0, arabic = 0, devanagari = 0, kana = 0, han = 0, other = 0;
};

struct Tokenized {
  std::vector<Token> tokens;
  int exclamations = 0;      // '!' and fullwidth '！'
  int questions = 0;         // '?', '？', '؟'
  int max_question_run = 0;  // longest run of consecutive question marks ("???" -> 3)
  int interrobangs = 0;      // "?!" or "!?"
  int cased_words = 0;       // words with cased letters, for the all-caps test
  int caps_words = 0;
  int links = 0;                    // URLs skipped ("https://...", "www.")
  int mentions = 0;                 // @mentions skipped
  int periods = 0;                  // '.' and '。' (URLs are skipped, so theirs are not counted)
  bool ends_with_question = false;  // the last sentence mark ('.', '!', '?') is a '?'
  Script script;
};

// `emoticons` holds the ASCII emoticons (":)", "xd", ":'(") in normalized (lower-case) form.
void Tokenize(std::string_view text, const Lexicon& emoticons, Tokenized& out);

// True for a laughing word in any of the supported languages and scripts: repeated "ha",
// "ah", "he", "hi", "ja", "je", "ji", "ka", "rs", "kk..." or Arabic "هههه", "lol", "mdr", "ptdr".
bool IsLaughter(std::string_view normalized_word);

// `word` with every run of 3+ equal characters cut to `keep` (1 or 2) characters.
std::string CollapseRuns(std::string_view word, size_t keep);

}  // namespace meridian::nlp::sentiment_internal
