// The scorer: tokens -> lexicon items -> rules -> polarity and emotions (see sentiment.h).

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/resources.h"
#include "nlp/sentiment/lexicon.h"
#include "nlp/sentiment/sentiment.h"
#include "nlp/sentiment/tokenize.h"
#include "nlp/sentiment/utf8.h"

namespace meridian::nlp {

namespace si = sentiment_internal;

namespace {

// Rule weights. Chosen by hand on the dev set (tests/fixtures/sentiment/dev.tsv).
constexpr double kNegatePositive = -0.55;  // "not good" is bad, but less than "bad"
constexpr double kNegateNegative = -0.45;  // "not bad" is mildly good
constexpr double kNegatedOnly = 1.2;       // weight of a tag-n word when negated ("not working")
constexpr double kCapsBoost = 1.4;         // "GOOD" among lower-case words
constexpr double kAllCapsBoost = 1.1;      // every word in capitals: shouting, less informative
constexpr double kElongatedBoost = 1.25;   // "sooo goood"
constexpr double kBeforeContrast = 0.5;    // "nice, but ..." counts half
constexpr double kAfterContrast = 1.3;
constexpr double kExclamationStep = 0.25;       // per '!', up to 4
constexpr double kQuestionDamp = 0.85;          // a question is less of a statement of feeling
constexpr double kQuestionOnlyDamp = 0.25;      // only questions ("any good dentist in Leeds?")
constexpr double kComplaintQuestionDamp = 0.5;  // ...whose words are negative ("why so slow?")
constexpr double kNewsDamp = 0.4;               // link, no "I"/"you", no emoji, no "!": a headline
constexpr float kLaughter = 1.0F;               // "hahaha", "jajaja", "kkkk", "mdr", "ههههه"
constexpr double kNormAlpha = 5.0;              // polarity = s / sqrt(s^2 + alpha)
constexpr double kEmotionRate = 0.8;            // emotion = 1 - exp(-rate * evidence)
constexpr int kScope = 3;                       // negation and modifier reach, in tokens

enum class ItemKind : uint8_t {
  kSentiment,
  kEmoji,
  kNegator,
  kModifier,
  kContrast,
  kStop,   // a function word: "is", "hai", "mir"
  kSelf,   // a first/second-person word ("I", "my", "you", "ich", "je"): a function word too
  kOther,  // a word no list knows
  kBreak
};

struct Item {
  ItemKind kind = ItemKind::kOther;
  const si::Entry* entry = nullptr;
  float factor = 0;  // modifier
  bool caps = false;
  bool elongated = false;
  bool negated = false;
  bool used = false;  // negator that found its word
};

struct Hit {
  const si::Entry* entry = nullptr;
  const si::FunctionWord* function = nullptr;
  bool found() const { return entry != nullptr || function != nullptr; }
};

Hit Lookup(const si::Lexicon& lex, std::string_view word) {
  Hit h;
  h.entry = lex.Find(word);
  if (h.entry == nullptr) h.function = lex.FindFunction(word);
  return h;
}

bool StartsArabic(std::string_view w) {
  return !w.empty() && static_cast<unsigned char>(w[0]) >= 0xD8 &&
         static_cast<unsigned char>(w[0]) <= 0xDB;
}

// Arabic attaches conjunctions, prepositions, the article and pronouns to the word: try the
// stem without them ("والخدمة" -> "خدمه", "منتجكم" -> "منتج").
Hit LookupArabicStem(const si::Lexicon& lex, std::string_view w) {
  static constexpr std::string_view kPrefixes[] = {"وال", "بال", "فال", "كال", "لل",
                                                   "ال",  "و",   "ف",   "ب",   "ل"};
  static constexpr std::string_view kSuffixes[] = {"هم", "كم", "نا", "ها", "ين",
                                                   "ون", "ات", "ه",  "ك",  "ي"};
  constexpr size_t kMinStem = 4;  // bytes: two Arabic letters
  std::string_view stems[3 * 11];
  size_t n = 0;
  for (std::string_view p : kPrefixes) {
    if (w.starts_with(p) && w.size() >= p.size() + kMinStem) {
      stems[n++] = w.substr(p.size());
      break;
    }
  }
  size_t with_prefix = n;
  for (size_t k = 0; k <= with_prefix; ++k) {
    std::string_view base = k < with_prefix ? stems[k] : w;
    for (std::string_view s : kSuffixes) {
      if (base.ends_with(s) && base.size() >= s.size() + kMinStem) {
        stems[n++] = base.substr(0, base.size() - s.size());
        break;
      }
    }
  }
  for (size_t k = 0; k < n; ++k) {
    if (const si::Entry* e = lex.Find(stems[k]); e != nullptr) return Hit{e, nullptr};
  }
  return {};
}

Hit LookupToken(const si::Lexicon& lex, const si::Token& t) {
  Hit h = Lookup(lex, t.text);
  if (h.found()) return h;
  if (t.elongated) {
    for (size_t keep : {2, 1}) {
      h = Lookup(lex, si::CollapseRuns(t.text, keep));
      if (h.found()) return h;
    }
  }
  if (StartsArabic(t.text)) return LookupArabicStem(lex, t.text);
  return {};
}

// The entry every laughing word scores with ("hahaha", "jajaja", "kkkk", "ahahah", "ههههه"),
// whatever its length or the lexicon's own list: a mild positive.
const si::Entry& LaughterEntry() {
  static const si::Entry entry = [] {
    si::Entry e;
    e.valence = kLaughter;
    e.emotions[si::kSatisfaction] = 0.3F;
    return e;
  }();
  return entry;
}

double Squash(double evidence) { return 1.0 - std::exp(-kEmotionRate * std::max(0.0, evidence)); }

std::string_view BaseLanguage(std::string_view lang) {
  size_t dash = lang.find_first_of("-_");
  return dash == std::string_view::npos ? lang : lang.substr(0, dash);
}

}  // namespace

struct SentimentAnalyzer::Impl {
  std::vector<si::Lexicon> languages;  // sorted by code
  si::Lexicon emoji;
  si::Lexicon merged;  // every language's entries, for text in no recognizable language
  struct LangMasks {
    uint32_t function_words = 0;  // languages listing the word as a function word (bit mask)
    uint32_t entries = 0;         // languages scoring it
    uint32_t phrase_starts = 0;   // languages with a phrase starting with it
  };
  si::StringMap<LangMasks> word_langs;
  int english = -1, arabic = -1, spanish = -1, portuguese = -1, french = -1, italian = -1,
      german = -1;

  int Index(std::string_view code) const {
    for (size_t i = 0; i < languages.size(); ++i) {
      if (languages[i].language == code) return static_cast<int>(i);
    }
    return -1;
  }

  // masks[i]: the languages knowing word token i (nullptr: none, or not a word).
  void FindMasks(const si::Tokenized& tok, std::vector<const LangMasks*>& masks) const;
  int Guess(const si::Tokenized& tok, const std::vector<const LangMasks*>& masks) const;
  void AddLetterVotes(std::string_view word, double* scores) const;
  // `langs`: bit mask of the languages of `primary` and `fallback` (all bits for `merged`).
  void BuildItems(const si::Tokenized& tok, const std::vector<const LangMasks*>& masks,
                  const si::Lexicon& primary, const si::Lexicon* fallback, uint32_t langs,
                  std::vector<Item>& items) const;
  void AddCjkItems(std::string_view run, const si::Lexicon& lex, std::vector<Item>& items) const;
};

void SentimentAnalyzer::Impl::FindMasks(const si::Tokenized& tok,
                                        std::vector<const LangMasks*>& masks) const {
  masks.assign(tok.tokens.size(), nullptr);
  for (size_t i = 0; i < tok.tokens.size(); ++i) {
    if (tok.tokens[i].type != si::TokenType::kWord) continue;
    if (auto it = word_langs.find(tok.tokens[i].text); it != word_langs.end()) {
      masks[i] = &it->second;
    }
  }
}

int SentimentAnalyzer::Impl::Guess(const si::Tokenized& tok,
                                   const std::vector<const LangMasks*>& masks) const {
  const si::Script& sc = tok.script;
  auto pick = [&](std::string_view code) { return Index(code); };
  if (sc.arabic > sc.latin && sc.arabic >= sc.devanagari) return pick("ar");
  if (sc.devanagari > sc.latin) return pick("hi");
  if (sc.kana > 0) return pick("ja");
  if (sc.han > 0 && sc.han >= sc.latin) return pick("zh");
  // Each known word votes for the languages listing it, its vote split among them: "les",
  // "não", "nicht" say much, a word every Romance list has ("la", "me") says little, so the
  // language order no longer decides most ties. Function words weigh more than scored words;
  // Arabizi words count half in Latin text ("la", "el", "ya" are Romance words first). Letters
  // only some of the languages use ("ã", "ñ", "ß", "ò", "œ") vote as well.
  double scores[32] = {};
  const size_t count = std::min<size_t>(languages.size(), 32);
  for (size_t i = 0; i < tok.tokens.size(); ++i) {
    const si::Token& t = tok.tokens[i];
    if (t.type != si::TokenType::kWord) continue;
    AddLetterVotes(t.text, scores);
    if (t.letters < 2 || masks[i] == nullptr) continue;
    uint32_t stop = masks[i]->function_words, listed = stop | masks[i]->entries;
    if (count < 32) listed &= (1u << count) - 1;
    if (listed == 0) continue;
    const double share = 1.0 / std::popcount(listed);
    for (uint32_t m = listed; m != 0; m &= m - 1) {
      int l = std::countr_zero(m);
      double vote = (stop & (1u << l)) ? 1.0 : 0.6;
      if (l == arabic) vote *= 0.5;
      scores[l] += vote * share;
    }
  }
  int best = -1;
  double best_score = 0;
  for (size_t l = 0; l < count; ++l) {
    double s = scores[l] + (static_cast<int>(l) == english ? 0.01 : 0);  // ties go to English
    if (s > best_score + 1e-9) {
      best_score = s;
      best = static_cast<int>(l);
    }
  }
  return best_score >= 0.3 ? best : -1;
}

void SentimentAnalyzer::Impl::AddLetterVotes(std::string_view word, double* scores) const {
  auto vote = [&](int lang, double weight) {
    if (lang >= 0 && lang < 32) scores[lang] += weight;
  };
  for (size_t i = 0; i + 1 < word.size(); ++i) {
    unsigned char lead = static_cast<unsigned char>(word[i]);
    unsigned char next = static_cast<unsigned char>(word[i + 1]);
    if (lead == 0xC5 && next == 0x93) vote(french, 1.0);  // œ
    if (lead != 0xC3) continue;
    switch (next) {
      case 0xA3:  // ã
      case 0xB5:  // õ
        vote(portuguese, 1.0);
        break;
      case 0xB1:  // ñ
        vote(spanish, 1.0);
        break;
      case 0x9F:  // ß
      case 0xA4:  // ä
      case 0xB6:  // ö
      case 0xBC:  // ü
        vote(german, 1.0);
        break;
      case 0xAC:  // ì
      case 0xB2:  // ò
        vote(italian, 1.0);
        break;
      case 0xAB:  // ë
      case 0xAF:  // ï
      case 0xAE:  // î
      case 0xBB:  // û
        vote(french, 1.0);
        break;
      case 0xA0:  // à
      case 0xA8:  // è
      case 0xB9:  // ù
        vote(french, 0.5);
        vote(italian, 0.5);
        break;
      case 0xA7:  // ç
      case 0xAA:  // ê
      case 0xA2:  // â
      case 0xB4:  // ô
        vote(french, 0.5);
        vote(portuguese, 0.5);
        break;
      case 0xA1:  // á
      case 0xAD:  // í
      case 0xB3:  // ó
      case 0xBA:  // ú
        vote(spanish, 0.5);
        vote(portuguese, 0.5);
        break;
      default:
        break;
    }
  }
}

void SentimentAnalyzer::Impl::AddCjkItems(std::string_view run, const si::Lexicon& lex,
                                          std::vector<Item>& items) const {
  std::vector<size_t> offsets;  // code point starts, plus the end
  for (size_t i = 0; i < run.size();) {
    offsets.push_back(i);
    si::DecodeUtf8(run, i);
  }
  offsets.push_back(run.size());
  size_t count = offsets.size() - 1;
  bool gap = false;
  for (size_t p = 0; p < count;) {
    size_t matched = 0;
    Hit hit;
    for (size_t len = std::min(lex.max_entry_chars, count - p); len >= 1; --len) {
      std::string_view key = run.substr(offsets[p], offsets[p + len] - offsets[p]);
      hit = Lookup(lex, key);
      if (hit.found()) {
        matched = len;
        break;
      }
    }
    if (matched == 0) {
      if (!gap) items.push_back(Item{ItemKind::kOther});
      gap = true;
      ++p;
      continue;
    }
    gap = false;
    p += matched;
    Item item;
    if (hit.entry != nullptr) {
      item.kind = ItemKind::kSentiment;
      item.entry = hit.entry;
    } else if (hit.function->kind == si::WordKind::kNegator) {
      item.kind = ItemKind::kNegator;
    } else if (hit.function->kind == si::WordKind::kModifier) {
      item.kind = ItemKind::kModifier;
      item.factor = hit.function->factor;
    } else if (hit.function->kind == si::WordKind::kContrast) {
      item.kind = ItemKind::kContrast;
    } else {
      item.kind = hit.function->kind == si::WordKind::kSelf ? ItemKind::kSelf : ItemKind::kStop;
    }
    items.push_back(item);
  }
}

void SentimentAnalyzer::Impl::BuildItems(const si::Tokenized& tok,
                                         const std::vector<const LangMasks*>& masks,
                                         const si::Lexicon& primary, const si::Lexicon* fallback,
                                         uint32_t langs, std::vector<Item>& items) const {
  const std::vector<si::Token>& tokens = tok.tokens;
  std::string phrase;
  for (size_t i = 0; i < tokens.size();) {
    const si::Token& t = tokens[i];
    if (t.type == si::TokenType::kBreak) {
      items.push_back(Item{ItemKind::kBreak});
      ++i;
      continue;
    }
    if (t.type == si::TokenType::kEmoji) {
      const si::Entry* e = emoji.Find(t.text);
      Item item{e != nullptr ? ItemKind::kEmoji : ItemKind::kOther};
      item.entry = e;
      items.push_back(item);
      ++i;
      continue;
    }
    if (t.type == si::TokenType::kCjk) {
      const si::Lexicon* lex = &primary;
      if (primary.language != "ja" && primary.language != "zh") {
        int idx = Index(tok.script.kana > 0 ? "ja" : "zh");
        lex = idx >= 0 ? &languages[static_cast<size_t>(idx)] : nullptr;
      }
      if (lex != nullptr) AddCjkItems(t.text, *lex, items);
      ++i;
      continue;
    }
    // One look-up tells whether any list of these languages knows the word at all: most words
    // of a message are in none, and then the lists themselves are not searched.
    uint32_t known = 0, starts_phrase = 0;
    if (const LangMasks* m = masks[i]; m != nullptr) {
      known = (m->entries | m->function_words) & langs;
      starts_phrase = m->phrase_starts & langs;
    }
    // Longest phrase first: "no problem", "de nada", "pas terrible", "bahut bura".
    size_t consumed = 0;
    const si::Entry* phrase_entry = nullptr;
    size_t max_words = 1;  // only words that start a phrase are tried as one
    if (starts_phrase != 0) {
      if (auto it = primary.phrase_starts.find(t.text); it != primary.phrase_starts.end()) {
        max_words = it->second;
      }
      if (fallback != nullptr) {
        if (auto it = fallback->phrase_starts.find(t.text); it != fallback->phrase_starts.end()) {
          max_words = std::max<size_t>(max_words, it->second);
        }
      }
    }
    for (size_t n = std::min(max_words, tokens.size() - i); n >= 2; --n) {
      phrase.clear();
      bool ok = true;
      for (size_t k = i; k < i + n; ++k) {
        if (tokens[k].type != si::TokenType::kWord) {
          ok = false;
          break;
        }
        if (k > i) phrase.push_back(' ');
        phrase += tokens[k].text;
      }
      if (!ok) continue;
      phrase_entry = primary.Find(phrase);
      if (phrase_entry == nullptr && fallback != nullptr) phrase_entry = fallback->Find(phrase);
      if (phrase_entry != nullptr) {
        consumed = n;
        break;
      }
    }
    Item item;
    item.caps = t.caps;
    item.elongated = t.elongated;
    if (phrase_entry != nullptr) {
      item.kind = ItemKind::kSentiment;
      item.entry = phrase_entry;
      for (size_t k = i; k < i + consumed; ++k) item.caps = item.caps || tokens[k].caps;
      items.push_back(item);
      i += consumed;
      continue;
    }
    if (t.laughter) {
      item.kind = ItemKind::kSentiment;
      item.entry = &LaughterEntry();
      item.caps = false;  // "HAHAHA" is not shouting
      items.push_back(item);
      ++i;
      continue;
    }
    Hit hit;
    if (known != 0 || t.elongated || StartsArabic(t.text)) {  // else no list has it
      hit = LookupToken(primary, t);
      if (!hit.found() && fallback != nullptr) hit = LookupToken(*fallback, t);
    }
    if (!hit.found() && t.text.size() > 3 && t.text.ends_with("n't")) {
      item.kind = ItemKind::kNegator;  // any English "...n't"
    } else if (hit.entry != nullptr) {
      item.kind = ItemKind::kSentiment;
      item.entry = hit.entry;
    } else if (hit.function != nullptr) {
      switch (hit.function->kind) {
        case si::WordKind::kNegator:
          item.kind = ItemKind::kNegator;
          break;
        case si::WordKind::kModifier:
          item.kind = ItemKind::kModifier;
          item.factor = hit.function->factor;
          break;
        case si::WordKind::kContrast:
          item.kind = ItemKind::kContrast;
          break;
        case si::WordKind::kStop:
          item.kind = ItemKind::kStop;
          break;
        case si::WordKind::kSelf:
          item.kind = ItemKind::kSelf;
          break;
      }
    }
    items.push_back(item);
    ++i;
  }
}

SentimentAnalyzer::SentimentAnalyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SentimentAnalyzer::~SentimentAnalyzer() = default;

std::string_view SentimentLabelName(SentimentLabel label) {
  switch (label) {
    case SentimentLabel::kNegative:
      return "negative";
    case SentimentLabel::kNeutral:
      return "neutral";
    case SentimentLabel::kPositive:
      return "positive";
  }
  return "neutral";
}

Result<std::unique_ptr<SentimentAnalyzer>> SentimentAnalyzer::Load(
    const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  auto impl = std::make_unique<Impl>();
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir / "lexicon", ec)) {
    if (e.path().extension() == ".tsv") files.push_back(e.path());
  }
  if (ec || files.empty()) {
    return Status::NotFound("no sentiment lexicons in " + (dir / "lexicon").string(),
                            "sentiment_data_missing");
  }
  if (files.size() > 32) return Status::InvalidArgument("more than 32 lexicons", "bad_lexicon");
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::optional<std::string> content = ReadFile(f);
    if (!content) return Status::NotFound("cannot read " + f.string(), "sentiment_data_missing");
    Result<si::Lexicon> lex = si::ParseLexicon(*content, f.stem().string(), f.string());
    if (!lex.ok()) return lex.status();
    impl->languages.push_back(std::move(lex).value());
  }
  fs::path emoji_path = dir / "emoji.tsv";
  std::optional<std::string> emoji = ReadFile(emoji_path);
  if (!emoji)
    return Status::NotFound("cannot read " + emoji_path.string(), "sentiment_data_missing");
  Result<si::Lexicon> emoji_lex = si::ParseLexicon(*emoji, "", emoji_path.string());
  if (!emoji_lex.ok()) return emoji_lex.status();
  impl->emoji = std::move(emoji_lex).value();

  impl->english = impl->Index("en");
  impl->arabic = impl->Index("ar");
  impl->spanish = impl->Index("es");
  impl->portuguese = impl->Index("pt");
  impl->french = impl->Index("fr");
  impl->italian = impl->Index("it");
  impl->german = impl->Index("de");
  // The merged lexicon prefers English, then the others in code order.
  std::vector<size_t> order;
  if (impl->english >= 0) order.push_back(static_cast<size_t>(impl->english));
  for (size_t l = 0; l < impl->languages.size(); ++l) {
    if (static_cast<int>(l) != impl->english) order.push_back(l);
  }
  for (size_t l : order) {
    const si::Lexicon& lex = impl->languages[l];
    for (const auto& [k, v] : lex.entries) {
      impl->merged.entries.emplace(k, v);
      impl->word_langs[k].entries |= 1u << l;
    }
    for (const auto& [k, v] : lex.function_words) {
      impl->merged.function_words.emplace(k, v);
      impl->word_langs[k].function_words |= 1u << l;
    }
    for (const auto& [k, v] : lex.phrase_starts) {
      uint8_t& most = impl->merged.phrase_starts[k];
      most = std::max(most, v);
      impl->word_langs[k].phrase_starts |= 1u << l;
    }
    impl->merged.max_phrase_words = std::max(impl->merged.max_phrase_words, lex.max_phrase_words);
    impl->merged.max_entry_chars = std::max(impl->merged.max_entry_chars, lex.max_entry_chars);
  }
  return std::unique_ptr<SentimentAnalyzer>(new SentimentAnalyzer(std::move(impl)));
}

std::vector<std::string> SentimentAnalyzer::Languages() const {
  std::vector<std::string> out;
  for (const si::Lexicon& l : impl_->languages) out.push_back(l.language);
  return out;
}

size_t SentimentAnalyzer::LexiconSize(std::string_view lang) const {
  int idx = impl_->Index(lang);
  return idx < 0 ? 0 : impl_->languages[static_cast<size_t>(idx)].written_entries;
}

std::string SentimentAnalyzer::GuessLanguage(std::string_view text) const {
  si::Tokenized tok;
  si::Tokenize(text, impl_->emoji, tok);
  std::vector<const Impl::LangMasks*> masks;
  impl_->FindMasks(tok, masks);
  int idx = impl_->Guess(tok, masks);
  return idx < 0 ? std::string() : impl_->languages[static_cast<size_t>(idx)].language;
}

SentimentScore SentimentAnalyzer::Analyze(std::string_view text, std::string_view lang) const {
  const Impl& im = *impl_;
  // Per-thread scratch space: Analyze allocates nothing once a thread has warmed up.
  thread_local si::Tokenized tok;
  thread_local std::vector<Item> items;
  si::Tokenize(text, im.emoji, tok);
  int idx = im.Index(BaseLanguage(lang));
  thread_local std::vector<const Impl::LangMasks*> masks;
  im.FindMasks(tok, masks);
  if (idx < 0) idx = im.Guess(tok, masks);
  const si::Lexicon& primary = idx >= 0 ? im.languages[static_cast<size_t>(idx)] : im.merged;
  const si::Lexicon* fallback = (idx >= 0 && idx != im.english && im.english >= 0)
                                    ? &im.languages[static_cast<size_t>(im.english)]
                                    : nullptr;

  uint32_t langs = idx >= 0 ? 1u << idx : ~0u;
  if (fallback != nullptr) langs |= 1u << im.english;
  items.clear();
  im.BuildItems(tok, masks, primary, fallback, langs, items);

  // Negation, forwards: a negator reaches the next kScope tokens of its clause.
  const int n = static_cast<int>(items.size());
  for (int i = 0; i < n; ++i) {
    if (items[i].kind != ItemKind::kSentiment || items[i].entry->has_negator) continue;
    for (int j = i - 1, seen = 0; j >= 0 && seen < kScope; --j, ++seen) {
      ItemKind k = items[j].kind;
      if (k == ItemKind::kBreak || k == ItemKind::kContrast) break;
      if (k == ItemKind::kNegator) {
        items[i].negated = true;
        items[j].used = true;
        items[i].caps = items[i].caps || items[j].caps;
        break;
      }
    }
  }
  // ...and backwards for verb-final word order ("accha nahi hai", "gefällt mir nicht",
  // "良くない"): only a negator that ends its clause, give or take function words, so
  // "damaged and nobody answers" keeps "damaged" as it is.
  for (int j = 0; j < n; ++j) {
    if (items[j].kind != ItemKind::kNegator || items[j].used) continue;
    bool ends_clause = true;
    for (int k = j + 1; k < n && items[k].kind != ItemKind::kBreak; ++k) {
      ItemKind kk = items[k].kind;
      if (kk != ItemKind::kStop && kk != ItemKind::kSelf && kk != ItemKind::kNegator &&
          kk != ItemKind::kEmoji) {
        ends_clause = false;
        break;
      }
    }
    if (!ends_clause) continue;
    for (int i = j - 1, seen = 0; i >= 0 && seen < kScope; --i, ++seen) {
      ItemKind k = items[i].kind;
      if (k == ItemKind::kBreak || k == ItemKind::kContrast) break;
      if (k == ItemKind::kSentiment && items[i].entry->has_negator) break;
      if (k == ItemKind::kSentiment && !items[i].negated) {
        items[i].negated = true;
        items[j].used = true;
        break;
      }
    }
  }

  int last_contrast = -1;
  for (int i = 0; i < n; ++i) {
    if (items[i].kind == ItemKind::kContrast) last_contrast = i;
  }
  const bool all_caps = tok.cased_words >= 2 && tok.caps_words == tok.cased_words;

  double sum = 0;
  std::array<double, si::kEmotionCount> ev{};
  int shouting = 0;  // capitalized words that carry weight
  for (int i = 0; i < n; ++i) {
    const Item& it = items[i];
    if (it.kind == ItemKind::kNegator && it.caps) ++shouting;
    if (it.kind != ItemKind::kSentiment && it.kind != ItemKind::kEmoji) continue;
    const si::Entry& e = *it.entry;
    if (e.negated_only && !it.negated) continue;
    double v = e.valence;
    double scale = 1;
    if (it.kind == ItemKind::kSentiment) {
      for (int j = i - 1, seen = 0; j >= 0 && seen < 2; --j, ++seen) {
        ItemKind k = items[j].kind;
        if (k == ItemKind::kBreak || k == ItemKind::kContrast) break;
        if (k == ItemKind::kModifier) scale *= 1.0 + items[j].factor;
        if (k == ItemKind::kModifier && items[j].caps) scale *= 1.15;
      }
      if (it.caps) {
        scale *= all_caps ? kAllCapsBoost : kCapsBoost;
        ++shouting;
      }
      if (it.elongated) scale *= kElongatedBoost;
    }
    if (last_contrast >= 0) scale *= i < last_contrast ? kBeforeContrast : kAfterContrast;
    v *= scale;
    if (it.negated && e.negated_only) {
      v = -std::abs(v) * kNegatedOnly;  // "doesn't work", "never arrived"
    } else if (it.negated) {
      v *= v > 0 ? kNegatePositive : kNegateNegative;
    }
    sum += v;
    double emo_scale = std::clamp(scale, 0.5, 2.0);
    if (it.negated) {
      // "not happy", "doesn't work": the word's own emotions do not hold; disappointment does.
      if (v < 0) ev[si::kFrustration] += 0.5 * emo_scale;
      if (e.valence < 0) ev[si::kSatisfaction] += 0.3;
    } else {
      for (size_t k = 0; k < si::kEmotionCount; ++k) ev[k] += e.emotions[k] * emo_scale;
    }
  }

  int excl = std::min(tok.exclamations, 4);
  if (sum != 0) sum += (sum > 0 ? 1 : -1) * kExclamationStep * excl;
  const bool question_only = tok.ends_with_question && excl == 0 && tok.periods == 0;
  if (question_only) {
    // A question built on negative words is mostly a complaint ("why is this app so slow?"); one
    // built on positive words mostly asks for something ("any good dentist?").
    sum *= sum < 0 ? kComplaintQuestionDamp : kQuestionOnlyDamp;
  } else if (tok.questions > 0 && excl == 0) {
    sum *= kQuestionDamp;
  }
  // A shared link with no first or second person, no emoji, no laughter and no "!" reads as a
  // headline ("Minister resigns after report on waiting lists https://..."): its coloured words
  // describe events, not the writer's feelings.
  if (tok.links > 0 && excl == 0 && !question_only) {
    bool personal = false;
    for (const Item& it : items) {
      if (it.kind == ItemKind::kSelf || it.kind == ItemKind::kEmoji ||
          (it.kind == ItemKind::kSentiment && it.entry == &LaughterEntry())) {
        personal = true;
        break;
      }
    }
    if (!personal) sum *= kNewsDamp;
  }

  SentimentScore out;
  out.polarity = sum / std::sqrt(sum * sum + kNormAlpha);
  out.label = out.polarity <= -kNeutralBand  ? SentimentLabel::kNegative
              : out.polarity >= kNeutralBand ? SentimentLabel::kPositive
                                             : SentimentLabel::kNeutral;
  out.language = idx >= 0 ? im.languages[static_cast<size_t>(idx)].language : std::string();

  // Emotions from the shape of the message.
  double neg = std::max(0.0, -sum), pos = std::max(0.0, sum);
  if (all_caps && tok.cased_words >= 3) shouting += 2;
  ev[si::kUrgency] += 0.3 * std::min(shouting, 4) + 0.12 * excl;
  if (neg > 0) {
    ev[si::kAnger] += 0.45 * std::min(shouting, 4) + 0.25 * excl + 0.15 * neg;
    ev[si::kFrustration] += 0.2 * neg + 0.4 * tok.interrobangs;
  }
  if (tok.max_question_run >= 2) {
    ev[si::kAnxiety] += 0.45 * std::min(tok.max_question_run, 4);
    ev[si::kFrustration] += 0.2 * std::min(tok.max_question_run, 4);
  } else if (tok.questions > 0 && neg > 0) {
    ev[si::kAnxiety] += 0.3;
  }
  ev[si::kSatisfaction] += 0.3 * pos;
  if (neg > 0.5) ev[si::kSatisfaction] *= 0.3;
  if (pos > 0.5) ev[si::kAnger] *= 0.5;

  out.emotions.anger = Squash(ev[si::kAnger]);
  out.emotions.frustration = Squash(ev[si::kFrustration]);
  out.emotions.anxiety = Squash(ev[si::kAnxiety]);
  out.emotions.satisfaction = Squash(ev[si::kSatisfaction]);
  out.emotions.urgency = Squash(ev[si::kUrgency]);
  return out;
}

}  // namespace meridian::nlp
