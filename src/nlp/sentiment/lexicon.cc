#include "nlp/sentiment/lexicon.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "nlp/sentiment/utf8.h"

namespace meridian::nlp::sentiment_internal {
namespace {

char32_t ToLower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 0x20 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130) return 'i';
    if (c == 0x178) return 0xFF;
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper) return (c % 2 == 1) ? c + 1 : c;
    if (c == 0x138 || c == 0x149) return c;
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3A9) return c + 0x20;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

char32_t UnifyArabic(char32_t c) {
  switch (c) {
    case 0x0623:
    case 0x0625:
    case 0x0622:
    case 0x0671:
      return 0x0627;  // alef forms -> bare alef
    case 0x0649:
    case 0x06CC:
      return 0x064A;  // alef maqsura, Farsi yeh -> yeh
    case 0x0629:
      return 0x0647;  // teh marbuta -> heh
    case 0x06A9:
      return 0x0643;  // keheh -> kaf
    case 0x2019:
    case 0x2018:
    case 0x02BC:
      return '\'';
    default:
      return c;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t pos = s.find(sep);
    std::string_view part = Trim(s.substr(0, pos));
    if (!part.empty() || sep == '\t') out.push_back(part);
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
  return out;
}

bool ParseFloat(std::string_view s, float& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// "a2 f u0.5" -> weights; false on an unknown letter or a bad number.
bool ParseTags(std::string_view s, Entry& entry) {
  std::array<float, kEmotionCount>& out = entry.emotions;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i++];
    if (c == ' ' || c == ',') continue;
    if (c == 'n') {
      entry.negated_only = true;
      continue;
    }
    int index;
    switch (c) {
      case 'a':
        index = kAnger;
        break;
      case 'f':
        index = kFrustration;
        break;
      case 'x':
        index = kAnxiety;
        break;
      case 's':
        index = kSatisfaction;
        break;
      case 'u':
        index = kUrgency;
        break;
      default:
        return false;
    }
    size_t start = i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    float weight = 1;
    if (i > start) {
      std::string number(s.substr(start, i - start));
      if (number.front() == '.') number.insert(number.begin(), '0');
      if (!ParseFloat(number, weight)) return false;
    }
    out[static_cast<size_t>(index)] += weight;
  }
  return true;
}

bool IsEnglishContraction(std::string_view suffix) {
  return suffix == "t" || suffix == "s" || suffix == "ll" || suffix == "re" || suffix == "ve" ||
         suffix == "m" || suffix == "d";
}

// Splits a phrase into words the way the tokenizer splits text: at spaces and hyphens, and
// after an elided article or pronoun ("j'adore" -> "j'" "adore", but "don't" stays whole).
std::string SplitLikeTokenizer(std::string_view phrase) {
  std::string out;
  for (size_t i = 0; i < phrase.size(); ++i) {
    char c = phrase[i];
    if (c == '-' && i > 0 && i + 1 < phrase.size() && phrase[i - 1] != ' ') {
      out.push_back(' ');
      continue;
    }
    out.push_back(c);
    if (c == '\'' && i > 0 && i + 1 < phrase.size() && phrase[i - 1] != ' ') {
      size_t end = phrase.find(' ', i + 1);
      std::string_view rest =
          phrase.substr(i + 1, end == std::string_view::npos ? end : end - i - 1);
      if (!IsEnglishContraction(rest)) out.push_back(' ');
    }
  }
  return out;
}

// Normalizes each word and joins them with one space.
std::string NormalizePhrase(std::string_view raw, size_t* words) {
  std::string out;
  *words = 0;
  std::string phrase = SplitLikeTokenizer(raw);
  for (std::string_view w : Split(phrase, ' ')) {
    if (!out.empty()) out.push_back(' ');
    NormalizeWord(w, out);
    ++*words;
  }
  return out;
}

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    DecodeUtf8(s, i);
    ++n;
  }
  return n;
}

}  // namespace

void NormalizeWord(std::string_view word, std::string& out) {
  for (size_t i = 0; i < word.size();) {
    char32_t c = DecodeUtf8(word, i);
    if (IsIgnorable(c)) continue;
    AppendUtf8(UnifyArabic(ToLower(c)), out);
  }
}

std::string FoldAccents(std::string_view word) {
  std::string out;
  bool changed = false;
  for (size_t i = 0; i < word.size();) {
    char32_t c = DecodeUtf8(word, i);
    const char* rep = nullptr;
    if (c >= 0xE0 && c <= 0xE5)
      rep = "a";
    else if (c == 0xE7 || c == 0x107 || c == 0x10D)
      rep = "c";
    else if ((c >= 0xE8 && c <= 0xEB) || c == 0x119 || c == 0x11B)
      rep = "e";
    else if (c >= 0xEC && c <= 0xEF)
      rep = "i";
    else if (c == 0xF1 || c == 0x144)
      rep = "n";
    else if ((c >= 0xF2 && c <= 0xF6) || c == 0xF8)
      rep = "o";
    else if (c >= 0xF9 && c <= 0xFC)
      rep = "u";
    else if (c == 0xFD || c == 0xFF)
      rep = "y";
    else if (c == 0xDF)
      rep = "ss";
    else if (c == 0x105)
      rep = "a";
    else if (c == 0x142)
      rep = "l";
    else if (c == 0x15B || c == 0x161)
      rep = "s";
    else if (c == 0x17A || c == 0x17C || c == 0x17E)
      rep = "z";
    if (rep != nullptr) {
      out += rep;
      changed = true;
    } else {
      AppendUtf8(c, out);
    }
  }
  return changed ? out : std::string();
}

Result<Lexicon> ParseLexicon(std::string_view content, std::string language,
                             std::string_view source) {
  Lexicon lex;
  lex.language = std::move(language);
  size_t line_no = 0;
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        std::string(source) + ":" + std::to_string(line_no) + ": " + std::string(why),
        "bad_lexicon");
  };
  auto add_function = [&](std::string_view words, FunctionWord fw) {
    for (std::string_view w : Split(words, ' ')) {
      std::string key;
      NormalizeWord(w, key);
      // A stop list only marks what no other list claims: "nicht" stays a negator.
      if (fw.kind == WordKind::kStop) {
        lex.function_words.emplace(std::move(key), fw);
      } else {
        lex.function_words[key] = fw;
      }
    }
  };
  while (!content.empty()) {
    size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content.remove_prefix(nl == std::string_view::npos ? content.size() : nl + 1);
    ++line_no;
    if (Trim(line).empty() || Trim(line).front() == '#') continue;
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() < 2) return bad("expected at least 2 TAB-separated fields");
    if (f[0] == "@neg" || f[0] == "@but" || f[0] == "@stop" || f[0] == "@self") {
      WordKind kind = f[0] == "@neg"    ? WordKind::kNegator
                      : f[0] == "@but"  ? WordKind::kContrast
                      : f[0] == "@self" ? WordKind::kSelf
                                        : WordKind::kStop;
      add_function(f[1], {kind, 0});
    } else if (f[0] == "@mod") {
      float factor;
      if (f.size() < 3 || !ParseFloat(f[1], factor) || factor <= -1 || factor > 3) {
        return bad("@mod needs a factor in (-1, 3] and words");
      }
      add_function(f[2], {WordKind::kModifier, factor});
    } else if (f[0].front() == '@') {
      return bad("unknown directive");
    } else {
      Entry e;
      if (!ParseFloat(f[1], e.valence) || e.valence < -4 || e.valence > 4) {
        return bad("valence must be a number in [-4, 4]");
      }
      if (f.size() >= 3 && !ParseTags(f[2], e)) return bad("bad emotion tags");
      size_t words = 0;
      std::string key = NormalizePhrase(f[0], &words);
      if (key.empty()) return bad("empty word");
      if (words > 5) return bad("phrases have at most 5 words");
      lex.max_phrase_words = std::max(lex.max_phrase_words, words);
      lex.max_entry_chars = std::max(lex.max_entry_chars, CountCodePoints(key));
      lex.entries[key] = e;
      ++lex.written_entries;
    }
  }
  // Phrases that carry their own negation ("no me gusta", "not bad") are not negated again.
  for (auto& [key, e] : lex.entries) {
    if (key.find(' ') == std::string::npos) continue;
    for (std::string_view w : Split(key, ' ')) {
      auto it = lex.function_words.find(w);
      if (it != lex.function_words.end() && it->second.kind == WordKind::kNegator) {
        e.has_negator = true;
      }
    }
  }
  // Accent-free spellings ("tres", "nao", "schlecht") find the same entries, unless the folded
  // form is a word of its own ("schon" is not "schön").
  std::vector<std::pair<std::string, Entry>> folded;
  for (const auto& [key, e] : lex.entries) {
    std::string f = FoldAccents(key);
    if (!f.empty() && !lex.entries.contains(f) && !lex.function_words.contains(f)) {
      folded.emplace_back(std::move(f), e);
    }
  }
  for (auto& [key, e] : folded) lex.entries.emplace(std::move(key), e);
  for (const auto& [key, e] : lex.entries) {
    size_t space = key.find(' ');
    if (space == std::string::npos) continue;
    uint8_t words = static_cast<uint8_t>(1 + std::count(key.begin(), key.end(), ' '));
    uint8_t& most = lex.phrase_starts[key.substr(0, space)];
    most = std::max(most, words);
  }
  std::vector<std::pair<std::string, FunctionWord>> folded_fw;
  for (const auto& [key, fw] : lex.function_words) {
    std::string f = FoldAccents(key);
    if (!f.empty() && !lex.entries.contains(f) && !lex.function_words.contains(f)) {
      folded_fw.emplace_back(std::move(f), fw);
    }
  }
  for (auto& [key, fw] : folded_fw) lex.function_words.emplace(std::move(key), fw);
  return lex;
}

}  // namespace meridian::nlp::sentiment_internal
