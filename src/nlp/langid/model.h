#pragma once
// Private to nlp/langid: the trained model (file langid.bin) as the trainer writes it and the
// identifier reads it. Little-endian binary, column by column so that loading is a few memcpy:
//   "MLANGID3", u32 nlang, nlang x 4-byte codes, f32 unseen[kMaxOrder + 1][nlang],
//   u32 nngram, u32 npost, u64 ngram_keys[nngram], u32 ngram_begin[nngram + 1],
//   Posting postings[npost] (u8 lang, u8 pad, i16 delta in millinats),
//   u32 nword, u64 word_keys[nword], WordBits word_bits[nword] (4 x u16: lexicon, folded,
//   common, frequent; bit i = language i).
// An n-gram's score for language i is unseen[order][i] plus its delta when it has one.

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "nlp/langid/text.h"

namespace meridian::nlp::langid_internal {

inline constexpr int kMaxModelLangs = 16;

struct WordBits {
  uint16_t lexicon = 0;   // in a dictionary / word list of the language
  uint16_t folded = 0;    // equals a dictionary word with its diacritics removed
  uint16_t common = 0;    // one of the hand-written most frequent words of the language
  uint16_t frequent = 0;  // frequent in the language's running text (gettext catalogs)
};

struct Posting {
  uint8_t lang = 0;
  uint8_t pad = 0;
  int16_t delta = 0;  // millinats
};
static_assert(sizeof(Posting) == 4 && sizeof(WordBits) == 8, "file layout");

struct Model {
  std::vector<std::string> langs;
  float unseen[kMaxOrder + 1][kMaxModelLangs] = {};
  std::vector<uint64_t> ngram_keys;
  std::vector<uint32_t> ngram_begin;  // size ngram_keys.size() + 1, into postings
  std::vector<Posting> postings;
  std::vector<uint64_t> word_keys;
  std::vector<WordBits> word_bits;
};

std::string SerializeModel(const Model& model);
Result<Model> ParseModel(std::string_view bytes);

}  // namespace meridian::nlp::langid_internal
