// LanguageIdentifier: script rules, naive Bayes over character n-grams, word evidence and CLD2
// (langid.h).

// clang-format off
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>
// clang-format on
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/resources.h"
#include "core/text.h"
#include "nlp/langid/langid.h"
#include "nlp/langid/model.h"
#include "nlp/langid/text.h"

namespace CLD2 {
const char* LanguageCode(Language lang);  // cld2/internal/lang_script.h
}

namespace meridian::nlp {

using langid_internal::kMaxModelLangs;
using langid_internal::Model;
using langid_internal::Script;
using langid_internal::Tokenized;
using langid_internal::Word;
using langid_internal::WordBits;

namespace {

// Open-addressing index over sorted 64-bit keys (keys are already well-mixed hashes).
class KeyIndex {
 public:
  void Build(const std::vector<uint64_t>& keys) {
    size_t cap = 16;
    while (cap < keys.size() * 2) cap <<= 1;
    mask_ = cap - 1;
    slots_.assign(cap, 0);
    keys_ = &keys;
    for (size_t i = 0; i < keys.size(); ++i) {
      size_t s = static_cast<size_t>(keys[i]) & mask_;
      while (slots_[s] != 0) s = (s + 1) & mask_;
      slots_[s] = static_cast<uint32_t>(i + 1);
    }
  }
  // Asks the CPU to start loading the slot `key` starts probing at (see Score's batches).
  void PrefetchSlot(uint64_t key) const {
    __builtin_prefetch(slots_.data() + (static_cast<size_t>(key) & mask_));
  }
  // Asks the CPU to start loading the key the first probed slot points to.
  void PrefetchKey(uint64_t key) const {
    const uint32_t v = slots_[static_cast<size_t>(key) & mask_];
    if (v != 0) __builtin_prefetch(keys_->data() + (v - 1));
  }
  // Index of `key` or -1.
  int64_t Find(uint64_t key) const {
    size_t s = static_cast<size_t>(key) & mask_;
    while (true) {
      const uint32_t v = slots_[s];
      if (v == 0) return -1;
      if ((*keys_)[v - 1] == key) return v - 1;
      s = (s + 1) & mask_;
    }
  }

 private:
  std::vector<uint32_t> slots_;
  const std::vector<uint64_t>* keys_ = nullptr;
  size_t mask_ = 0;
};

constexpr size_t kMaxBytes = 16 * 1024;

// The n-grams of one word waiting for their lookups (Impl::Score).
struct NgramBatch {
  static constexpr size_t kCapacity = 64;
  uint64_t keys[kCapacity];
  int64_t index[kCapacity];
  size_t size = 0;
};

// URLs and e-mail addresses are written in no language ("https://shop.example/order" would
// read as English): blank them out. Only runs when the text could hold one.
std::string_view WithoutLinks(std::string_view text, std::string& buffer) {
  if (text.find("://") == std::string_view::npos && text.find('@') == std::string_view::npos &&
      text.find("www.") == std::string_view::npos) {
    return text;
  }
  buffer.assign(text);
  size_t start = 0;
  while (start < buffer.size()) {
    size_t end = buffer.find_first_of(" \t\r\n", start);
    if (end == std::string::npos) end = buffer.size();
    const std::string_view chunk(buffer.data() + start, end - start);
    const size_t at = chunk.find('@');
    const bool link =
        chunk.find("://") != std::string_view::npos || chunk.rfind("www.", 0) == 0 ||
        (at != std::string_view::npos && chunk.find('.', at) != std::string_view::npos);
    if (link)
      std::fill(buffer.begin() + static_cast<std::ptrdiff_t>(start),
                buffer.begin() + static_cast<std::ptrdiff_t>(end), ' ');
    start = end + 1;
  }
  return buffer;
}

bool IsNeutralWord(const std::u32string& w) {
  static const char32_t* const kNeutral[] = {
      U"ok",  U"okay", U"okey", U"lol", U"haha", U"hahaha", U"hehe", U"hmm", U"hm",   U"xd",
      U"wow", U"kk",   U"k",    U"ah",  U"oh",   U"eh",     U"uh",   U"mm",  U"xoxo", U"omg"};
  for (const char32_t* n : kNeutral) {
    if (w == n) return true;
  }
  return false;
}

const char* CodeOfScript(Script s) {
  switch (s) {
    case Script::kCyrillic:
      return "ru";
    case Script::kArabic:
      return "ar";
    case Script::kDevanagari:
      return "hi";
    case Script::kThai:
      return "th";
    case Script::kHangul:
      return "ko";
    case Script::kKana:
      return "ja";
    default:
      return nullptr;
  }
}

}  // namespace

struct LanguageIdentifier::Impl {
  Model model;
  KeyIndex ngrams;
  KeyIndex words;
  LangIdOptions options;
  uint32_t latin_mask = 0;  // model languages written in Latin script
  uint32_t han_mask = 0;    // zh, ja
  int cld2_to_model[512];   // CLD2 Language -> model index or -1

  void Init() {
    ngrams.Build(model.ngram_keys);
    words.Build(model.word_keys);
    for (size_t l = 0; l < model.langs.size(); ++l) {
      if (model.langs[l] == "zh" || model.langs[l] == "ja") {
        han_mask |= 1u << l;
      } else {
        latin_mask |= 1u << l;
      }
    }
    for (int& v : cld2_to_model) v = -1;
    for (int c = 0; c < 512; ++c) {
      const char* code = CLD2::LanguageCode(static_cast<CLD2::Language>(c));
      if (code == nullptr) continue;
      std::string_view cv(code);
      if (cv == "zh-Hant") cv = "zh";
      for (size_t l = 0; l < model.langs.size(); ++l) {
        if (model.langs[l] == cv) cld2_to_model[c] = static_cast<int>(l);
      }
    }
  }

  // CLD2's answer over the text's letters: the model index of its top language (-1 when it is
  // none of ours), how much of the text it covers (percent), and CLD2's own reliability flag.
  struct Cld2Vote {
    int lang = -1;
    int percent = 0;
    bool reliable = false;
  };
  Cld2Vote RunCld2(const Tokenized& t) const {
    thread_local std::string clean;
    CleanUtf8(t, clean);
    CLD2::Language language3[3];
    int percent3[3] = {0, 0, 0};
    int text_bytes = 0;
    Cld2Vote vote;
    const CLD2::Language lang =
        CLD2::DetectLanguageSummary(clean.data(), static_cast<int>(clean.size()), true, language3,
                                    percent3, &text_bytes, &vote.reliable);
    const int idx = static_cast<int>(lang);
    if (idx >= 0 && idx < 512) vote.lang = cld2_to_model[idx];
    vote.percent = language3[0] == lang ? percent3[0] : 0;
    return vote;
  }

  // Dictionary evidence of one word (the word part of Score), added to `score`.
  void AddWordEvidence(const Word& w, std::array<double, kMaxModelLangs>& score) const {
    const int64_t widx = words.Find(langid_internal::HashWord(w.text));
    if (widx < 0) return;
    const WordBits& b = model.word_bits[static_cast<size_t>(widx)];
    for (size_t l = 0; l < model.langs.size(); ++l) {
      const uint16_t bit = static_cast<uint16_t>(1u << l);
      if (b.lexicon & bit) {
        score[l] += options.lexicon_bonus;
      } else if (b.folded & bit) {
        score[l] += options.folded_bonus;
      }
      if (b.common & bit) score[l] += options.common_bonus;
      if (b.frequent & bit) score[l] += options.frequent_bonus;
    }
  }

  // The fast paths (LangIdOptions::fast_path): the words' dictionary evidence alone (no
  // n-grams) puts `lang` (-1: whichever leads) ahead of every other Latin-script language by at
  // least `margin`. Never id/ms, which only the full model tells apart.
  std::optional<LanguageDetection> FastByWords(const Tokenized& t, int lang, double margin) const {
    const size_t nl = model.langs.size();
    std::array<double, kMaxModelLangs> score{};
    // Each lookup is a cache miss in a large model: start them all before reading any.
    for (const Word& w : t.words) {
      if (w.script == Script::kLatin) words.PrefetchSlot(langid_internal::HashWord(w.text));
    }
    for (const Word& w : t.words) {
      if (w.script == Script::kLatin) AddWordEvidence(w, score);
    }
    size_t chosen = nl;
    if (lang >= 0) {
      chosen = static_cast<size_t>(lang);
    } else {
      for (size_t l = 0; l < nl; ++l) {
        if ((latin_mask & (1u << l)) && (chosen == nl || score[l] > score[chosen])) chosen = l;
      }
    }
    if (chosen == nl || !(latin_mask & (1u << chosen))) return {};
    const std::string& code = model.langs[chosen];
    if (code == "id" || code == "ms") return {};
    for (size_t l = 0; l < nl; ++l) {
      if (l == chosen || !(latin_mask & (1u << l))) continue;
      if (score[chosen] - score[l] < margin) return {};
    }
    LanguageDetection out;
    out.letters = t.total_letters;
    out.lang = code;
    out.confidence = options.fast_confidence;
    out.candidates.push_back({out.lang, out.confidence});
    return out;
  }

  // `vote`: CLD2's answer when the caller already has it (else it is asked here when the text
  // is long enough).
  LanguageDetection Score(const Tokenized& t, uint32_t allowed,
                          const Cld2Vote* vote = nullptr) const {
    const size_t nl = model.langs.size();
    std::array<double, kMaxModelLangs> score{};
    size_t letters = 0;
    for (const Word& w : t.words) {
      const bool han = w.script == Script::kHan || w.script == Script::kKana;
      if (allowed == han_mask ? !han : w.script != Script::kLatin) continue;
      letters += w.text.size();
      std::array<double, kMaxModelLangs> ng{};
      int per_order[langid_internal::kMaxOrder + 1] = {};
      // The n-gram lookups are cache misses in a large model (slot, key, postings): they are
      // done in batches, each stage prefetching what the next one reads, so that the misses of
      // a batch overlap. The postings are summed in the n-grams' order, as one at a time would.
      NgramBatch batch;
      const auto flush = [&] {
        for (size_t k = 0; k < batch.size; ++k) ngrams.PrefetchKey(batch.keys[k]);
        for (size_t k = 0; k < batch.size; ++k) {
          batch.index[k] = ngrams.Find(batch.keys[k]);
          if (batch.index[k] >= 0) {
            __builtin_prefetch(model.ngram_begin.data() + batch.index[k]);
          }
        }
        for (size_t k = 0; k < batch.size; ++k) {
          if (batch.index[k] < 0) continue;
          __builtin_prefetch(model.postings.data() +
                             model.ngram_begin[static_cast<size_t>(batch.index[k])]);
        }
        for (size_t k = 0; k < batch.size; ++k) {
          if (batch.index[k] < 0) continue;
          const auto idx = static_cast<size_t>(batch.index[k]);
          for (uint32_t p = model.ngram_begin[idx]; p < model.ngram_begin[idx + 1]; ++p) {
            ng[model.postings[p].lang] += model.postings[p].delta / 1000.0;
          }
        }
        batch.size = 0;
      };
      langid_internal::ForEachNgram(w, [&](int order, uint64_t key) {
        ++per_order[order];
        ngrams.PrefetchSlot(key);
        batch.keys[batch.size++] = key;
        if (batch.size == NgramBatch::kCapacity) flush();
      });
      flush();
      for (size_t l = 0; l < nl; ++l) {
        for (int n = 1; n <= langid_internal::kMaxOrder; ++n) {
          ng[l] += per_order[n] * static_cast<double>(model.unseen[n][l]);
        }
        score[l] += options.ngram_scale * ng[l];
      }
      AddWordEvidence(w, score);
    }
    if (options.use_cld2 && letters >= options.cld2_min_letters) {
      const Cld2Vote v = vote != nullptr ? *vote : RunCld2(t);
      if (v.reliable && v.lang >= 0) score[static_cast<size_t>(v.lang)] += options.cld2_bonus;
    }
    // Softmax over the allowed languages.
    double best = -1e300;
    for (size_t l = 0; l < nl; ++l) {
      if (allowed & (1u << l)) best = std::max(best, score[l]);
    }
    std::array<double, kMaxModelLangs> prob{};
    double sum = 0;
    for (size_t l = 0; l < nl; ++l) {
      if (!(allowed & (1u << l))) continue;
      prob[l] = std::exp((score[l] - best) / options.temperature);
      sum += prob[l];
    }
    std::vector<LanguageGuess> ranked;
    for (size_t l = 0; l < nl; ++l) {
      if (allowed & (1u << l)) ranked.push_back({model.langs[l], prob[l] / sum});
    }
    std::stable_sort(
        ranked.begin(), ranked.end(),
        [](const LanguageGuess& a, const LanguageGuess& b) { return a.confidence > b.confidence; });
    LanguageDetection out;
    out.letters = t.total_letters;
    for (const LanguageGuess& g : ranked) {
      if (out.candidates.size() == 3 || (!out.candidates.empty() && g.confidence < 0.01)) break;
      out.candidates.push_back(g);
    }
    out.lang = out.candidates.front().lang;
    out.confidence = out.candidates.front().confidence;
    return out;
  }

  // CLD2 requires interchange-valid UTF-8: the words (letters and marks) of the already
  // tokenized text, each followed by a space.
  static void CleanUtf8(const Tokenized& t, std::string& out) {
    out.clear();
    for (const Word& w : t.words) {
      langid_internal::AppendUtf8(w.text, out);
      out.push_back(' ');
    }
  }

  LanguageDetection Detect(std::string_view text) const {
    // A long email says its language in its first pages; the rest would only cost time.
    text = text::TruncateUtf8(text, kMaxBytes);
    std::string buffer;
    text = WithoutLinks(text, buffer);
    const Tokenized t = langid_internal::Tokenize(text);
    LanguageDetection und;
    und.letters = t.total_letters;
    if (t.total_letters == 0) return und;
    // The dominant script; Han and kana count together (Japanese mixes them).
    const auto count = [&](Script s) { return t.letters[static_cast<int>(s)]; };
    Script dominant = Script::kOther;
    uint32_t best = 0;
    for (int s = 0; s < static_cast<int>(Script::kCount); ++s) {
      const auto script = static_cast<Script>(s);
      if (script == Script::kOther) continue;
      uint32_t n = t.letters[s];
      if (script == Script::kHan || script == Script::kKana) {
        n = count(Script::kHan) + count(Script::kKana);
      }
      if (n > best) {
        best = n;
        dominant = script;
      }
    }
    if (dominant == Script::kHan || dominant == Script::kKana) {
      dominant = count(Script::kKana) > 0 ? Script::kKana : Script::kHan;
    }
    if (dominant == Script::kOther) return und;
    if (const char* code = CodeOfScript(dominant)) {
      LanguageDetection out;
      out.letters = t.total_letters;
      // Cyrillic, Arabic and Devanagari are shared with languages we do not model
      // (uk, fa, mr...); Hangul, kana and Thai are not.
      const bool shared = dominant == Script::kCyrillic || dominant == Script::kArabic ||
                          dominant == Script::kDevanagari;
      out.lang = code;
      out.confidence = shared ? 0.95 : 0.99;
      out.candidates.push_back({out.lang, out.confidence});
      return out;
    }
    if (dominant == Script::kHan) return Score(t, han_mask);
    // Latin: too little to go on?
    bool all_neutral = true;
    uint32_t latin_letters = 0;
    for (const Word& w : t.words) {
      if (w.script != Script::kLatin) continue;
      latin_letters += static_cast<uint32_t>(w.text.size());
      if (!IsNeutralWord(w.text)) all_neutral = false;
    }
    if (all_neutral || latin_letters < 2) return und;
    if (options.fast_path && options.use_cld2 && latin_letters >= options.fast_min_letters &&
        latin_letters >= options.cld2_min_letters) {
      const Cld2Vote vote = RunCld2(t);
      if (vote.reliable && vote.lang >= 0 && vote.percent >= options.fast_min_percent) {
        if (auto fast = FastByWords(t, vote.lang, options.fast_word_margin))
          return *std::move(fast);
      }
      return Score(t, latin_mask, &vote);
    }
    if (options.fast_path && options.fast_word_only_margin > 0 &&
        latin_letters >= options.fast_word_only_min_letters) {
      if (auto fast = FastByWords(t, -1, options.fast_word_only_margin)) return *std::move(fast);
    }
    return Score(t, latin_mask);
  }
};

LanguageIdentifier::LanguageIdentifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LanguageIdentifier::~LanguageIdentifier() = default;

std::filesystem::path LanguageIdentifier::DefaultModelDir() { return ShareDir() / "langid"; }

Result<std::unique_ptr<LanguageIdentifier>> LanguageIdentifier::Load(
    const std::filesystem::path& dir, LangIdOptions options) {
  const std::filesystem::path file = dir / "langid.bin";
  std::optional<std::string> bytes = ReadFile(file);
  if (!bytes) {
    return Status::NotFound("langid model not found: " + file.string() +
                            " (build the meridian_langid_model target)");
  }
  auto impl = std::make_unique<Impl>();
  MERIDIAN_ASSIGN_OR_RETURN(impl->model, langid_internal::ParseModel(*bytes));
  impl->options = options;
  impl->Init();
  return std::unique_ptr<LanguageIdentifier>(new LanguageIdentifier(std::move(impl)));
}

LanguageDetection LanguageIdentifier::Detect(std::string_view text) const {
  return impl_->Detect(text);
}

void LanguageIdentifier::set_options(const LangIdOptions& options) { impl_->options = options; }

const std::vector<std::string>& LanguageIdentifier::SupportedLanguages() {
  static const std::vector<std::string> kLangs = {"en", "de", "fr", "es", "it", "pt", "nl",
                                                  "pl", "sv", "ru", "ar", "tr", "ja", "zh",
                                                  "ko", "th", "vi", "id", "ms", "hi"};
  return kLangs;
}

}  // namespace meridian::nlp
