// bench_langid [--dev DIR] [--model DIR] [--cld2-only] [--dump FILE] [--set KEY=VALUE ...]
//
// Accuracy of LanguageIdentifier::Detect per language and length on the development set
// (bench/langid/dev/<lang>.txt, one hand-written sentence per line) and single-thread speed.
// Items are derived deterministically from the sentences:
//   sentence: the line itself;
//   word:     every distinct word of 6..10 letters (~8), punctuation stripped;
//   pair:     every two adjacent words of 13..19 characters together (~16);
// for zh and ja (no spaces): runs of 4 (word) and 8 (pair) characters cut from the sentence.
// "und" counts as wrong. --cld2-only scores plain CLD2 on the same items (the baseline).
// clang-format off
#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>
// clang-format on
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nlp/langid/langid.h"

namespace CLD2 {
const char* LanguageCode(Language lang);
}

namespace {

using meridian::nlp::LangIdOptions;
using meridian::nlp::LanguageIdentifier;

std::u32string Decode(const std::string& s) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  std::u32string out(static_cast<size_t>(u.countChar32()), U'\0');
  UErrorCode status = U_ZERO_ERROR;
  u.toUTF32(reinterpret_cast<UChar32*>(out.data()), static_cast<int32_t>(out.size()), status);
  return out;
}

std::string Encode(const std::u32string& s) {
  std::string out;
  icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()),
                                static_cast<int32_t>(s.size()))
      .toUTF8String(out);
  return out;
}

bool IsPunct(char32_t c) {
  return c < 0x80 ? !std::isalnum(static_cast<int>(c)) && c != '\'' && c != '-'
                  : (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
                        (c >= 0xFF00 && c <= 0xFF0F) || c == 0xFF1F || c == 0xFF01 || c == 0xFF0C ||
                        c == 0xFF1A || c == 0xFF1B || c == 0xBF || c == 0xA1 || c == 0x60C ||
                        c == 0x61F || c == 0x964 || c == 0xAB || c == 0xBB;
}

struct Items {
  std::vector<std::string> word, pair, sentence;
};

Items Derive(const std::string& lang, const std::vector<std::string>& lines) {
  Items items;
  std::set<std::string> seen_w, seen_p;
  const bool unspaced = lang == "zh" || lang == "ja" || lang == "th" || lang == "ko";
  // Vietnamese writes one syllable per space-separated token: a "word" is 1..3 syllables.
  const size_t max_tokens = lang == "vi" ? 3 : 1;
  for (const std::string& line : lines) {
    items.sentence.push_back(line);
    std::u32string text = Decode(line);
    if (unspaced) {
      std::u32string letters;
      for (char32_t c : text) {
        if (!IsPunct(c) && c != ' ') letters.push_back(c);
      }
      for (size_t i = 0; i + 4 <= letters.size(); i += 6) {
        std::string w = Encode(letters.substr(i, 4));
        if (seen_w.insert(w).second) items.word.push_back(w);
      }
      for (size_t i = 0; i + 8 <= letters.size(); i += 10) {
        std::string p = Encode(letters.substr(i, 8));
        if (seen_p.insert(p).second) items.pair.push_back(p);
      }
      continue;
    }
    std::vector<std::u32string> words;
    std::u32string cur;
    for (char32_t c : text + U" ") {
      if (c == ' ') {
        while (!cur.empty() && IsPunct(cur.back())) cur.pop_back();
        size_t k = 0;
        while (k < cur.size() && IsPunct(cur[k])) ++k;
        cur = cur.substr(k);
        if (!cur.empty()) words.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    for (size_t i = 0; i < words.size(); ++i) {
      std::u32string w = words[i];
      for (size_t k = 1; k < max_tokens && w.size() < 6 && i + k < words.size(); ++k) {
        w += U" " + words[i + k];
      }
      bool digit = std::any_of(w.begin(), w.end(), [](char32_t c) { return c >= '0' && c <= '9'; });
      if (!digit && w.size() >= 6 && w.size() <= 10 && seen_w.insert(Encode(w)).second) {
        items.word.push_back(Encode(w));
      }
    }
    if (max_tokens > 1) {
      for (size_t i = 0; i < words.size(); ++i) {
        std::u32string p = words[i];
        for (size_t k = 1; p.size() < 13 && i + k < words.size(); ++k) p += U" " + words[i + k];
        if (p.size() >= 13 && p.size() <= 19 && seen_p.insert(Encode(p)).second) {
          items.pair.push_back(Encode(p));
        }
      }
      continue;
    }
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      const size_t len = words[i].size() + 1 + words[i + 1].size();
      if (len >= 13 && len <= 19) {
        std::string p = Encode(words[i] + U" " + words[i + 1]);
        if (seen_p.insert(p).second) items.pair.push_back(p);
      }
    }
  }
  return items;
}

std::string Cld2(const std::string& text) {
  bool reliable = false;
  CLD2::Language lang =
      CLD2::DetectLanguage(text.data(), static_cast<int>(text.size()), true, &reliable);
  std::string code = CLD2::LanguageCode(lang);
  if (code == "zh-Hant") code = "zh";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dev = std::filesystem::path(MERIDIAN_SOURCE_DIR) / "bench/langid/dev";
  std::filesystem::path model = LanguageIdentifier::DefaultModelDir();
  bool cld2_only = false;
  std::string dump;
  LangIdOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dev" && i + 1 < argc) {
      dev = argv[++i];
    } else if (a == "--model" && i + 1 < argc) {
      model = argv[++i];
    } else if (a == "--cld2-only") {
      cld2_only = true;
    } else if (a == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (a == "--set" && i + 1 < argc) {
      std::string kv = argv[++i];
      const size_t eq = kv.find('=');
      const std::string key = kv.substr(0, eq);
      const double v = std::stod(kv.substr(eq + 1));
      if (key == "ngram_scale")
        options.ngram_scale = v;
      else if (key == "lexicon_bonus")
        options.lexicon_bonus = v;
      else if (key == "common_bonus")
        options.common_bonus = v;
      else if (key == "frequent_bonus")
        options.frequent_bonus = v;
      else if (key == "folded_bonus")
        options.folded_bonus = v;
      else if (key == "cld2_bonus")
        options.cld2_bonus = v;
      else if (key == "cld2_min_letters")
        options.cld2_min_letters = static_cast<size_t>(v);
      else if (key == "temperature")
        options.temperature = v;
      else if (key == "use_cld2")
        options.use_cld2 = v != 0;
      else if (key == "fast_path")
        options.fast_path = v != 0;
      else if (key == "fast_min_letters")
        options.fast_min_letters = static_cast<size_t>(v);
      else if (key == "fast_min_percent")
        options.fast_min_percent = static_cast<int>(v);
      else if (key == "fast_word_only_margin")
        options.fast_word_only_margin = v;
      else if (key == "fast_word_margin")
        options.fast_word_margin = v;
      else {
        std::cerr << "unknown option " << key << "\n";
        return 2;
      }
    } else {
      std::cerr << "usage: bench_langid [--dev DIR] [--model DIR] [--cld2-only] [--dump FILE] "
                   "[--set KEY=VALUE ...]\n";
      return 2;
    }
  }
  auto identifier = LanguageIdentifier::Load(model, options);
  if (!identifier.ok()) {
    std::cerr << identifier.status().ToString() << "\n";
    return 1;
  }
  std::ofstream dump_out;
  if (!dump.empty()) dump_out.open(dump);
  std::printf("%-4s %6s %6s %6s   %5s %5s %5s\n", "lang", "word", "pair", "sent", "n_w", "n_p",
              "n_s");
  double sums[3] = {};
  int nlangs = 0;
  std::vector<std::string> all_words;
  double nll = 0;
  size_t nll_n = 0;
  std::map<std::string, int> confusions;
  for (const std::string& lang : LanguageIdentifier::SupportedLanguages()) {
    std::ifstream in(dev / (lang + ".txt"));
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty() && line[0] != '#') lines.push_back(line);
    }
    if (lines.empty()) continue;
    Items items = Derive(lang, lines);
    double acc[3];
    size_t counts[3];
    const std::vector<std::string>* sets[3] = {&items.word, &items.pair, &items.sentence};
    for (int k = 0; k < 3; ++k) {
      size_t ok = 0;
      for (const std::string& text : *sets[k]) {
        std::string got;
        if (cld2_only) {
          got = Cld2(text);
        } else {
          meridian::nlp::LanguageDetection d = (*identifier)->Detect(text);
          got = d.lang;
          double p = 1e-4;
          for (const auto& c : d.candidates) {
            if (c.lang == lang) p = std::max(p, c.confidence);
          }
          nll -= std::log(p);
          ++nll_n;
        }
        if (got == lang) {
          ++ok;
        } else {
          ++confusions[lang + "->" + got];
        }
        if (dump_out) dump_out << lang << "\t" << k << "\t" << got << "\t" << text << "\n";
      }
      counts[k] = sets[k]->size();
      acc[k] = sets[k]->empty()
                   ? 0
                   : 100.0 * static_cast<double>(ok) / static_cast<double>(sets[k]->size());
      sums[k] += acc[k];
    }
    ++nlangs;
    all_words.insert(all_words.end(), items.word.begin(), items.word.end());
    std::printf("%-4s %6.1f %6.1f %6.1f   %5zu %5zu %5zu\n", lang.c_str(), acc[0], acc[1], acc[2],
                counts[0], counts[1], counts[2]);
  }
  if (nlangs == 0) {
    std::cerr << "no dev files in " << dev << "\n";
    return 1;
  }
  std::printf("%-4s %6.1f %6.1f %6.1f   (mean over %d languages)\n", "mean", sums[0] / nlangs,
              sums[1] / nlangs, sums[2] / nlangs, nlangs);
  if (!cld2_only)
    std::printf("mean NLL %.4f\n", nll / static_cast<double>(std::max<size_t>(1, nll_n)));
  std::vector<std::pair<int, std::string>> top;
  for (const auto& [k, v] : confusions) top.emplace_back(v, k);
  std::sort(top.rbegin(), top.rend());
  std::printf("top confusions:");
  for (size_t i = 0; i < top.size() && i < 12; ++i)
    std::printf(" %s:%d", top[i].second.c_str(), top[i].first);
  std::printf("\n");
  // Speed: single-word messages, one thread.
  const int rounds = 20;
  size_t n = 0;
  size_t sink = 0;
  // CPU time of this thread: the machine is shared, wall time would count other processes.
  auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  const double start = cpu_now();
  for (int r = 0; r < rounds; ++r) {
    for (const std::string& w : all_words) {
      if (cld2_only) {
        sink += Cld2(w).size();
      } else {
        sink += (*identifier)->Detect(w).lang.size();
      }
      ++n;
    }
  }
  const double secs = cpu_now() - start;
  std::printf("speed: %.0f messages/s (single words, 1 thread CPU time, %zu messages, sink %zu)\n",
              static_cast<double>(n) / secs, n, sink % 10);
  return 0;
}
