// meridian_langid_train DATA_DIR OUT_DIR: builds the language identification model
// OUT_DIR/langid.bin (model.h) from material Debian packages install plus the hand-written
// lists in DATA_DIR (data/langid/common/<lang>.txt: the most frequent words of a language).
//
// Sources per language (every one optional; missing files are reported and skipped):
//   - word lists in /usr/share/dict (wamerican, wngerman, wfrench, ...),
//   - hunspell dictionaries in /usr/share/hunspell (stems of <lang>.dic, flags dropped),
//   - for Malay and Indonesian, the surface forms of Apertium's ind-zlm analysers (lt-print),
//   - running text: the translations in the gettext catalogs /usr/share/locale/<l>/LC_MESSAGES
//     (and their English msgids for English).
// Counts: every word type adds its character n-grams once; every running-text token adds them
// kRunningTextWeight times; a hand-written common word kCommonWeight times. Naive Bayes with
// additive smoothing per n-gram order. Deterministic: inputs are read in sorted order and the
// output is sorted by key.

#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "nlp/langid/affix.h"
#include "nlp/langid/model.h"
#include "nlp/langid/text.h"

namespace fs = std::filesystem;
using namespace meridian::nlp::langid_internal;

namespace {

constexpr float kTypeWeight = 1.0f;
constexpr float kRunningTextWeight = 2.0f;
constexpr float kCommonWeight = 30.0f;
constexpr double kAlpha = 0.1;
constexpr int kFrequentMinCount = 3;
constexpr size_t kFrequentMax = 3000;
// Inflected forms from hunspell suffix rules join the lexicon (not the n-gram counts), at most
// this many per language and per dictionary entry, so the model stays small.
constexpr size_t kMaxInflectedPerLang = 300000;
constexpr size_t kMaxFormsPerEntry = 24;

struct LangSources {
  const char* code;
  std::vector<std::pair<const char*, const char*>> wordlists;  // path, charset
  std::vector<std::pair<const char*, const char*>> hunspell;   // path, charset
  std::vector<const char*> locales;                            // /usr/share/locale/<l>
  const char* apertium = nullptr;                              // analyser to enumerate
};

const std::vector<LangSources>& Sources() {
  static const std::vector<LangSources> kSources = {
      {"en",
       {{"/usr/share/dict/american-english", "UTF-8"}},
       {{"/usr/share/hunspell/en_US.dic", "UTF-8"}},
       {}},
      {"de",
       {{"/usr/share/dict/ngerman", "UTF-8"}},
       {{"/usr/share/hunspell/de_DE.dic", "UTF-8"}},
       {"de"}},
      {"fr",
       {{"/usr/share/dict/french", "UTF-8"}},
       {{"/usr/share/hunspell/fr.dic", "UTF-8"}},
       {"fr"}},
      {"es",
       {{"/usr/share/dict/spanish", "UTF-8"}},
       {{"/usr/share/hunspell/es_ES.dic", "UTF-8"}},
       {"es"}},
      {"it",
       {{"/usr/share/dict/italian", "UTF-8"}},
       {{"/usr/share/hunspell/it_IT.dic", "UTF-8"}},
       {"it"}},
      {"pt",
       {{"/usr/share/dict/portuguese", "UTF-8"}},
       {{"/usr/share/hunspell/pt_PT.dic", "UTF-8"}, {"/usr/share/hunspell/pt_BR.dic", "UTF-8"}},
       {"pt", "pt_BR"}},
      {"nl",
       {{"/usr/share/dict/dutch", "UTF-8"}},
       {{"/usr/share/hunspell/nl.dic", "UTF-8"}},
       {"nl"}},
      {"pl", {}, {{"/usr/share/hunspell/pl_PL.dic", "ISO-8859-2"}}, {"pl"}},
      {"sv",
       {{"/usr/share/dict/swedish", "ISO-8859-1"}},
       {{"/usr/share/hunspell/sv_SE.dic", "UTF-8"}},
       {"sv"}},
      {"tr", {}, {{"/usr/share/hunspell/tr_TR.dic", "UTF-8"}}, {"tr"}},
      {"vi", {}, {{"/usr/share/hunspell/vi_VN.dic", "UTF-8"}}, {"vi"}},
      {"id",
       {},
       {{"/usr/share/hunspell/id_ID.dic", "ISO-8859-1"}},
       {"id"},
       "/usr/share/apertium/apertium-ind-zlm/ind-zlm.automorf.bin"},
      {"ms", {}, {}, {"ms"}, "/usr/share/apertium/apertium-ind-zlm/zlm-ind.automorf.bin"},
      {"ja", {}, {}, {"ja"}},
      {"zh", {}, {}, {"zh_CN", "zh_TW", "zh_HK"}},
  };
  return kSources;
}

std::string ToUtf8From(const std::string& bytes, const char* charset) {
  if (std::strcmp(charset, "UTF-8") == 0) return bytes;
  std::string out(bytes.size() * 3 + 4, '\0');
  UErrorCode status = U_ZERO_ERROR;
  const int32_t n = ucnv_convert("UTF-8", charset, out.data(), static_cast<int32_t>(out.size()),
                                 bytes.data(), static_cast<int32_t>(bytes.size()), &status);
  if (U_FAILURE(status)) return {};
  out.resize(static_cast<size_t>(n));
  return out;
}

std::vector<std::string> ReadLines(const fs::path& path, const char* charset) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "langid_train: skipping missing " << path << "\n";
    return lines;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = ToUtf8From(buf.str(), charset);
  std::string line;
  std::istringstream lines_in(text);
  while (std::getline(lines_in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// Translations (and, separately, msgids) of one .mo catalog (GNU gettext binary format).
void ReadMo(const fs::path& path, std::vector<std::string>& msgids,
            std::vector<std::string>& msgstrs) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string data = buf.str();
  auto u32 = [&](size_t off, bool swap) -> uint32_t {
    if (off + 4 > data.size()) return 0;
    uint32_t v;
    std::memcpy(&v, data.data() + off, 4);
    return swap ? __builtin_bswap32(v) : v;
  };
  if (data.size() < 20) return;
  const uint32_t magic = u32(0, false);
  bool swap = false;
  if (magic == 0xde120495U) {
    swap = true;
  } else if (magic != 0x950412deU) {
    return;
  }
  const uint32_t n = u32(8, swap);
  const uint32_t orig = u32(12, swap);
  const uint32_t trans = u32(16, swap);
  auto get = [&](uint32_t table, uint32_t i) -> std::string {
    const uint32_t len = u32(table + 8ULL * i, swap);
    const uint32_t off = u32(table + 8ULL * i + 4, swap);
    if (static_cast<size_t>(off) + len > data.size()) return {};
    std::string s = data.substr(off, len);
    std::replace(s.begin(), s.end(), '\0', '\n');  // plural forms
    return s;
  };
  for (uint32_t i = 0; i < n && i < 1000000; ++i) {
    std::string id = get(orig, i);
    if (id.empty()) continue;  // the header
    std::string str = get(trans, i);
    msgids.push_back(id);
    if (!str.empty() && str != id) msgstrs.push_back(str);
  }
}

// Surface forms of a compiled lttoolbox analyser, enumerated from `lt-print` (AT&T text).
std::vector<std::string> ApertiumSurfaceForms(const char* analyser) {
  std::vector<std::string> out;
  if (!fs::exists(analyser)) {
    std::cerr << "langid_train: skipping missing " << analyser << "\n";
    return out;
  }
  std::string cmd = std::string("lt-print ") + analyser + " 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return out;
  std::string text;
  char buf[65536];
  size_t got;
  while ((got = fread(buf, 1, sizeof(buf), pipe)) > 0) text.append(buf, got);
  pclose(pipe);
  if (text.empty()) {
    std::cerr << "langid_train: lt-print gave nothing for " << analyser << "\n";
    return out;
  }
  struct Arc {
    uint32_t to;
    std::string in;
  };
  std::istringstream lines(text + "\n--\n");
  std::string line;
  std::map<uint32_t, std::vector<Arc>> arcs;
  std::set<uint32_t> finals;
  std::set<std::string> forms;
  auto enumerate = [&] {
    size_t steps = 0;
    std::string path;
    std::function<void(uint32_t, int)> dfs = [&](uint32_t state, int depth) {
      if (++steps > 3000000 || depth > 24) return;
      if (finals.count(state) && !path.empty()) forms.insert(path);
      auto it = arcs.find(state);
      if (it == arcs.end()) return;
      for (const Arc& arc : it->second) {
        const size_t keep = path.size();
        if (arc.in != "ε" && arc.in != "@0@") path += arc.in;
        dfs(arc.to, depth + 1);
        path.resize(keep);
      }
    };
    dfs(0, 0);
    arcs.clear();
    finals.clear();
  };
  while (std::getline(lines, line)) {
    if (line == "--") {
      enumerate();
      continue;
    }
    std::vector<std::string> fields;
    std::string field;
    std::istringstream fs_in(line);
    while (std::getline(fs_in, field, '\t')) fields.push_back(field);
    if (fields.size() >= 4) {
      arcs[static_cast<uint32_t>(std::stoul(fields[0]))].push_back(
          {static_cast<uint32_t>(std::stoul(fields[1])), fields[2] == " " ? " " : fields[2]});
    } else if (!fields.empty() && !fields[0].empty()) {
      finals.insert(static_cast<uint32_t>(std::stoul(fields[0])));
    }
  }
  out.assign(forms.begin(), forms.end());
  return out;
}

// Open-addressing map from a (well-mixed) 64-bit hash to a dense index: the trainer does
// ~10^8 look-ups, several times faster than std::unordered_map.
class FlatIndex {
 public:
  FlatIndex() { Rehash(1u << 22); }
  // The index of `key`, inserting `next` when absent; `inserted` tells which.
  uint32_t FindOrInsert(uint64_t key, uint32_t next, bool& inserted) {
    if ((size_ + 1) * 2 > keys_.size()) Rehash(keys_.size() * 2);
    size_t s = static_cast<size_t>(key) & (keys_.size() - 1);
    while (vals_[s] != kEmpty) {
      if (keys_[s] == key) {
        inserted = false;
        return vals_[s];
      }
      s = (s + 1) & (keys_.size() - 1);
    }
    keys_[s] = key;
    vals_[s] = next;
    ++size_;
    inserted = true;
    return next;
  }
  // (key, index) pairs in key order.
  std::vector<std::pair<uint64_t, uint32_t>> Sorted() const {
    std::vector<std::pair<uint64_t, uint32_t>> out;
    out.reserve(size_);
    for (size_t s = 0; s < keys_.size(); ++s) {
      if (vals_[s] != kEmpty) out.emplace_back(keys_[s], vals_[s]);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  static constexpr uint32_t kEmpty = 0xFFFFFFFFu;
  void Rehash(size_t capacity) {
    std::vector<uint64_t> old_keys = std::move(keys_);
    std::vector<uint32_t> old_vals = std::move(vals_);
    keys_.assign(capacity, 0);
    vals_.assign(capacity, kEmpty);
    size_ = 0;
    for (size_t s = 0; s < old_keys.size(); ++s) {
      if (old_vals[s] == kEmpty) continue;
      bool inserted = false;
      FindOrInsert(old_keys[s], old_vals[s], inserted);
    }
  }
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> vals_;
  size_t size_ = 0;
};

struct Trainer {
  std::vector<std::string> langs;
  FlatIndex ngram_index;
  std::vector<uint8_t> ngram_order;
  std::vector<std::array<float, kMaxModelLangs>> ngram_counts;
  FlatIndex word_index;
  std::vector<WordBits> word_bits;
  std::vector<size_t> type_counts;

  WordBits& Bits(uint64_t key) {
    bool inserted = false;
    const uint32_t idx =
        word_index.FindOrInsert(key, static_cast<uint32_t>(word_bits.size()), inserted);
    if (inserted) word_bits.emplace_back();
    return word_bits[idx];
  }
  // Marks `key` as a dictionary word of `lang`; false when it already was one.
  bool MarkLexicon(uint64_t key, int lang) {
    WordBits& b = Bits(key);
    const auto bit = static_cast<uint16_t>(1u << lang);
    if (b.lexicon & bit) return false;
    b.lexicon |= bit;
    ++type_counts[static_cast<size_t>(lang)];
    return true;
  }
  std::vector<std::unordered_map<uint64_t, uint32_t>> running_counts;

  void AddNgrams(const Word& word, int lang, float weight) {
    ForEachNgram(word, [&](int order, uint64_t key) {
      bool inserted = false;
      const uint32_t idx =
          ngram_index.FindOrInsert(key, static_cast<uint32_t>(ngram_counts.size()), inserted);
      if (inserted) {
        ngram_counts.emplace_back();
        ngram_counts.back().fill(0);
        ngram_order.push_back(static_cast<uint8_t>(order));
      }
      ngram_counts[idx][static_cast<size_t>(lang)] += weight;
    });
  }

  // An inflected form: dictionary evidence only.
  bool AddInflected(const std::u32string& form, int lang) {
    if (form.size() < 2 || form.size() > 20) return false;
    Tokenized t = Tokenize(ToUtf8(form));
    if (t.words.size() != 1) return false;
    const uint64_t key = HashWord(t.words[0].text);
    return MarkLexicon(key, lang);
  }

  // A dictionary entry: each distinct word once.
  void AddType(const std::string& entry, int lang) {
    // Capitalized entries are names and abbreviations ("Summer", "Garden", "NASA"), shared by
    // every dictionary, except in German, where every noun is capitalized.
    if (langs[static_cast<size_t>(lang)] != "de" && !entry.empty() && entry[0] >= 'A' &&
        entry[0] <= 'Z') {
      return;
    }
    Tokenized t = Tokenize(entry);
    for (const Word& w : t.words) {
      const uint64_t key = HashWord(w.text);
      if (!MarkLexicon(key, lang)) continue;
      AddNgrams(w, lang, kTypeWeight);
      const std::u32string folded = FoldDiacritics(w.text);
      if (folded != w.text) Bits(HashWord(folded)).folded |= static_cast<uint16_t>(1u << lang);
    }
  }

  void AddRunningText(const std::string& text, int lang) {
    Tokenized t = Tokenize(text);
    for (const Word& w : t.words) {
      AddNgrams(w, lang, kRunningTextWeight);
      ++running_counts[static_cast<size_t>(lang)][HashWord(w.text)];
    }
  }

  void AddCommon(const std::string& line, int lang) {
    Tokenized t = Tokenize(line);
    for (const Word& w : t.words) {
      AddNgrams(w, lang, kCommonWeight);
      const uint64_t key = HashWord(w.text);
      Bits(key).common |= static_cast<uint16_t>(1u << lang);
      MarkLexicon(key, lang);
      const std::u32string folded = FoldDiacritics(w.text);
      if (folded != w.text) Bits(HashWord(folded)).folded |= static_cast<uint16_t>(1u << lang);
    }
  }

  void MarkFrequent() {
    for (size_t l = 0; l < langs.size(); ++l) {
      std::vector<std::pair<uint32_t, uint64_t>> by_count;
      for (const auto& [key, count] : running_counts[l]) {
        if (count >= kFrequentMinCount) by_count.emplace_back(count, key);
      }
      std::sort(by_count.begin(), by_count.end(), std::greater<>());
      if (by_count.size() > kFrequentMax) by_count.resize(kFrequentMax);
      for (const auto& [count, key] : by_count) {
        Bits(key).frequent |= static_cast<uint16_t>(1u << l);
        MarkLexicon(key, static_cast<int>(l));
      }
      std::cerr << "langid_train: " << langs[l] << ": " << type_counts[l] << " word types, "
                << running_counts[l].size() << " running-text types, " << by_count.size()
                << " frequent\n";
    }
  }

  Model Build() const {
    Model model;
    model.langs = langs;
    const size_t nl = langs.size();
    double total[kMaxOrder + 1][kMaxModelLangs] = {};
    double vocab[kMaxOrder + 1] = {};
    for (size_t i = 0; i < ngram_counts.size(); ++i) {
      vocab[ngram_order[i]] += 1;
      for (size_t l = 0; l < nl; ++l) total[ngram_order[i]][l] += ngram_counts[i][l];
    }
    // Every language's counts are scaled to the same total per order, so that a language with
    // little material (Malay) does not get a milder penalty for unseen n-grams than one with
    // much (French): unseen n-grams then cost every language the same.
    double scale[kMaxOrder + 1][kMaxModelLangs] = {};
    for (int n = 1; n <= kMaxOrder; ++n) {
      double target = 0;
      for (size_t l = 0; l < nl; ++l) target = std::max(target, total[n][l]);
      for (size_t l = 0; l < nl; ++l) {
        scale[n][l] = total[n][l] > 0 ? target / total[n][l] : 1;
        model.unseen[n][l] =
            static_cast<float>(std::log(kAlpha / (target + kAlpha * vocab[n] + 1)));
        total[n][l] = target;
      }
    }
    const std::vector<std::pair<uint64_t, uint32_t>> keys = ngram_index.Sorted();
    model.ngram_begin.push_back(0);
    for (const auto& [key, idx] : keys) {
      const int n = ngram_order[idx];
      float sum = 0;
      for (size_t l = 0; l < nl; ++l) sum += ngram_counts[idx][l];
      if (sum < 1.5f && n >= 3) continue;  // a single dictionary type's long n-gram: noise
      model.ngram_keys.push_back(key);
      for (size_t l = 0; l < nl; ++l) {
        const double c = ngram_counts[idx][l] * scale[n][l];
        if (c <= 0) continue;
        const double lp = std::log((c + kAlpha) / (total[n][l] + kAlpha * vocab[n] + 1));
        const double delta = std::min(30.0, lp - model.unseen[n][l]);
        model.postings.push_back(
            {static_cast<uint8_t>(l), 0, static_cast<int16_t>(std::lround(delta * 1000.0))});
      }
      model.ngram_begin.push_back(static_cast<uint32_t>(model.postings.size()));
    }
    for (const auto& [key, idx] : word_index.Sorted()) {
      model.word_keys.push_back(key);
      model.word_bits.push_back(word_bits[idx]);
    }
    return model;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: meridian_langid_train DATA_DIR OUT_DIR\n";
    return 2;
  }
  const fs::path data_dir = argv[1];
  const fs::path out_dir = argv[2];
  Trainer trainer;
  for (const LangSources& src : Sources()) trainer.langs.push_back(src.code);
  trainer.type_counts.resize(trainer.langs.size());
  trainer.running_counts.resize(trainer.langs.size());

  std::vector<std::string> english_msgids;
  for (size_t li = 0; li < Sources().size(); ++li) {
    const LangSources& src = Sources()[li];
    const int lang = static_cast<int>(li);
    for (const auto& [path, charset] : src.wordlists) {
      for (const std::string& line : ReadLines(path, charset)) trainer.AddType(line, lang);
    }
    size_t inflected = 0;
    for (const auto& [path, charset] : src.hunspell) {
      fs::path aff = path;
      aff.replace_extension(".aff");
      std::string aff_text;
      for (const std::string& line : ReadLines(aff, charset)) aff_text += line + "\n";
      const SuffixRules rules = SuffixRules::Parse(aff_text);
      bool first = true;
      for (const std::string& line : ReadLines(path, charset)) {
        if (first) {  // the entry count
          first = false;
          continue;
        }
        const std::vector<std::u32string> forms = rules.Expand(Utf8ToU32(line), kMaxFormsPerEntry);
        if (forms.empty()) continue;
        trainer.AddType(ToUtf8(forms[0]), lang);
        for (size_t k = 1; k < forms.size() && inflected < kMaxInflectedPerLang; ++k) {
          if (trainer.AddInflected(forms[k], lang)) ++inflected;
        }
      }
    }
    if (src.apertium != nullptr) {
      for (const std::string& form : ApertiumSurfaceForms(src.apertium))
        trainer.AddType(form, lang);
    }
    std::set<std::string> texts;
    for (const char* locale : src.locales) {
      const fs::path dir = fs::path("/usr/share/locale") / locale / "LC_MESSAGES";
      if (!fs::is_directory(dir)) continue;
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        // Country, language and currency names are proper nouns, not running text.
        if (entry.path().extension() == ".mo" && name.rfind("iso_", 0) != 0) {
          files.push_back(entry.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& file : files) {
        std::vector<std::string> ids;
        std::vector<std::string> strs;
        ReadMo(file, ids, strs);
        texts.insert(strs.begin(), strs.end());
        english_msgids.insert(english_msgids.end(), ids.begin(), ids.end());
      }
    }
    for (const std::string& text : texts) trainer.AddRunningText(text, lang);
    for (const std::string& line :
         ReadLines(data_dir / "common" / (std::string(src.code) + ".txt"), "UTF-8")) {
      if (line.empty() || line[0] == '#') continue;
      trainer.AddCommon(line, lang);
    }
  }
  std::sort(english_msgids.begin(), english_msgids.end());
  english_msgids.erase(std::unique(english_msgids.begin(), english_msgids.end()),
                       english_msgids.end());
  for (const std::string& text : english_msgids) trainer.AddRunningText(text, 0);
  trainer.MarkFrequent();
  Model model = trainer.Build();
  std::cerr << "langid_train: " << model.ngram_keys.size() << " n-grams, " << model.postings.size()
            << " postings, " << model.word_keys.size() << " words\n";
  fs::create_directories(out_dir);
  const fs::path tmp = out_dir / "langid.bin.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    const std::string bytes = SerializeModel(model);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::cerr << "langid_train: cannot write " << tmp << "\n";
      return 1;
    }
  }
  fs::rename(tmp, out_dir / "langid.bin");
  return 0;
}
