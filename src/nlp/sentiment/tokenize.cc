#include "nlp/sentiment/tokenize.h"

#include <algorithm>

#include "nlp/sentiment/utf8.h"

namespace meridian::nlp::sentiment_internal {
namespace {

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
         c == 0x3000 || (c >= 0x2000 && c <= 0x200A);
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Letters and digits of any script we do not treat specially; punctuation blocks excluded.
bool IsWordChar(char32_t c) {
  if (c < 0x80) return IsAsciiAlnum(static_cast<char>(c)) || c == '_';
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, arrows, dingbats
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0xFF00 && c <= 0xFF20) return false;  // fullwidth punctuation and digits
  if (c == 0x060C || c == 0x061B || c == 0x061F || (c >= 0x066A && c <= 0x066D)) return false;
  if (c == 0x0964 || c == 0x0965 || c == kBadCodePoint) return false;
  return true;
}

bool IsUpper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x391 && c <= 0x3A9) return true;
  if (c >= 0x400 && c <= 0x42F) return true;
  if (c >= 0x100 && c <= 0x17F) {
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    return odd_upper ? c % 2 == 1 : c % 2 == 0;
  }
  return false;
}

bool IsLower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  if (c >= 0xDF && c <= 0xFF) return c != 0xF7;
  if (c >= 0x3B1 && c <= 0x3C9) return true;
  if (c >= 0x430 && c <= 0x45F) return true;
  if (c >= 0x100 && c <= 0x17F) return !IsUpper(c);
  return false;
}

bool IsBreak(char32_t c) {
  switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case '(':
    case ')':
    case '"':
    case '[':
    case ']':
    case 0xA1:
    case 0xBF:
    case 0xAB:
    case 0xBB:
    case 0x3002:
    case 0x3001:
    case 0xFF01:
    case 0xFF1F:
    case 0xFF0C:
    case 0x060C:
    case 0x061B:
    case 0x061F:
    case 0x0964:
    case 0x0965:
    case 0x2026:
    case 0x201C:
    case 0x201D:
      return true;
    default:
      return false;
  }
}

bool IsEnglishContraction(std::string_view suffix) {
  return suffix == "t" || suffix == "s" || suffix == "ll" || suffix == "re" || suffix == "ve" ||
         suffix == "m" || suffix == "d";
}

// Emits a word token for the raw bytes `raw` (one word, apostrophes as '\'').
void EmitWord(std::string_view raw, Tokenized& out) {
  if (raw.empty()) return;
  size_t apos = raw.find('\'');
  if (apos != std::string_view::npos && apos > 0 && apos + 1 < raw.size() &&
      !IsEnglishContraction(raw.substr(apos + 1))) {
    EmitWord(raw.substr(0, apos + 1), out);  // "l'", "n'", "qu'", "dell'"
    EmitWord(raw.substr(apos + 1), out);
    return;
  }
  Token t;
  int upper = 0, lower = 0, letters = 0, run = 1;
  char32_t prev = 0;
  for (size_t i = 0; i < raw.size();) {
    char32_t c = DecodeUtf8(raw, i);
    if (IsUpper(c)) ++upper;
    if (IsLower(c)) ++lower;
    if (c != '\'' && !(c >= '0' && c <= '9')) ++letters;
    run = (c == prev) ? run + 1 : 1;
    if (run >= 3 && c != '\'' && !(c >= '0' && c <= '9')) t.elongated = true;
    prev = c;
  }
  t.letters = static_cast<uint8_t>(std::min(letters, 255));
  if (upper + lower > 0) {
    ++out.cased_words;
    if (upper >= 2 && lower == 0) {
      t.caps = true;
      ++out.caps_words;
    }
  }
  NormalizeWord(raw, t.text);
  t.laughter = IsLaughter(t.text);
  if (!t.text.empty()) out.tokens.push_back(std::move(t));
}

void EmitBreak(Tokenized& out) {
  if (!out.tokens.empty() && out.tokens.back().type != TokenType::kBreak) {
    out.tokens.push_back(Token{TokenType::kBreak, {}, false, false, 0, false});
  }
}

// Length of the ASCII emoticon at text[i] (2..5 bytes) or 0.
size_t MatchEmoticon(std::string_view text, size_t i, bool chunk_start, const Lexicon& emoticons) {
  char c = text[i];
  bool opener = c == ':' || c == ';' || c == '=' || c == '<' || c == '>' || c == '(' || c == ')' ||
                c == '^' || c == '8' || c == 'x' || c == 'X' || c == 'T' || c == 'D' || c == 'o' ||
                c == 'O' || c == '-';
  if (!opener) return 0;
  if (!chunk_start && !(c == ':' || c == ';' || c == '=' || c == '<')) return 0;
  std::string lowered;
  for (size_t len = std::min<size_t>(5, text.size() - i); len >= 2; --len) {
    size_t end = i + len;
    if (end < text.size() && (IsAsciiAlnum(text[end]) || text[end] == '/')) continue;
    lowered.clear();
    bool ascii = true;
    for (size_t k = i; k < end; ++k) {
      unsigned char b = static_cast<unsigned char>(text[k]);
      if (b >= 0x80 || b <= ' ') {
        ascii = false;
        break;
      }
      lowered.push_back((b >= 'A' && b <= 'Z') ? static_cast<char>(b + 0x20) : text[k]);
    }
    if (ascii && emoticons.Find(lowered) != nullptr) return len;
  }
  return 0;
}

}  // namespace

bool IsLaughter(std::string_view w) {
  if (w.size() < 3) return false;
  if (w == "lol" || w == "lool" || w == "loool" || w == "lolz" || w == "lmao" || w == "lmfao" ||
      w == "rofl" || w == "mdr" || w == "mdrr" || w == "mdrrr" || w == "ptdr" || w == "xptdr") {
    return true;
  }
  if (static_cast<unsigned char>(w[0]) >= 0x80) {
    // Arabic heh (U+0647, bytes D9 87) or khah (U+062E, D8 AE) repeated 3+ times: "ههههه",
    // "خخخخ"; Devanagari "हाहाहा" is listed in the Hindi lexicon.
    if (w.size() < 6 || w.size() % 2 != 0) return false;
    std::string_view unit = w.substr(0, 2);
    if (unit != "\xD9\x87" && unit != "\xD8\xAE") return false;
    for (size_t i = 0; i < w.size(); i += 2) {
      if (w.substr(i, 2) != unit) return false;
    }
    return true;
  }
  // Two letters alternating, runs of one letter counted once ("hahahaaa", "jajajja"): "haha",
  // "ahah", "hehe", "hihi", "jaja", "jeje", "jiji", "jsjs", "hshs", "rsrs"; or "kkk...".
  static constexpr std::string_view kPairs[] = {"ha", "he", "hi", "ja", "je",
                                                "ji", "js", "hs", "rs"};
  char first = w[0], second = 0;
  size_t units = 1;
  bool all_k = true;
  for (size_t i = 1; i < w.size(); ++i) {
    all_k = all_k && w[i] == 'k';
    if (w[i] == w[i - 1]) continue;
    if (second == 0) second = w[i];
    char expected = (units % 2 == 1) ? second : first;
    if (w[i] != expected) return false;
    ++units;
  }
  if (first == 'k') return all_k;  // "kkk", "kkkkkkk"
  if (units < 4) return false;
  for (std::string_view p : kPairs) {
    if ((first == p[0] && second == p[1]) || (first == p[1] && second == p[0])) return true;
  }
  return false;
}

std::string CollapseRuns(std::string_view word, size_t keep) {
  std::string out;
  out.reserve(word.size());
  size_t i = 0;
  while (i < word.size()) {
    size_t start = i;
    DecodeUtf8(word, i);
    std::string_view unit = word.substr(start, i - start);
    size_t run = 1;
    while (word.substr(i, unit.size()) == unit) {
      i += unit.size();
      ++run;
    }
    size_t copies = run >= 3 ? std::min(keep, run) : run;
    for (size_t k = 0; k < copies; ++k) out.append(unit);
  }
  return out;
}

void Tokenize(std::string_view text, const Lexicon& emoticons, Tokenized& out) {
  out.tokens.clear();
  out.exclamations = out.questions = out.max_question_run = out.interrobangs = 0;
  out.cased_words = out.caps_words = 0;
  out.links = out.mentions = out.periods = 0;
  out.ends_with_question = false;
  out.script = Script{};
  bool hashtag = false;  // inside a "#WordsLikeThis" chunk: split at lower -> upper
  bool prev_lower = false;
  std::string word;  // raw bytes of the word being read
  std::string cjk;
  bool chunk_start = true;
  int question_run = 0;
  char32_t prev_punct = 0;
  auto flush = [&] {
    EmitWord(word, out);
    word.clear();
    if (!cjk.empty()) {
      out.tokens.push_back(Token{TokenType::kCjk, std::move(cjk), false, false, 0, false});
      cjk.clear();
    }
  };
  size_t i = 0;
  while (i < text.size()) {
    if (chunk_start) {
      size_t end = i;
      while (end < text.size() && !IsSpace(static_cast<unsigned char>(text[end]))) ++end;
      std::string_view chunk = text.substr(i, end - i);
      if (chunk.starts_with("http") || chunk.starts_with("www.")) {
        ++out.links;
        i = end;
        continue;
      }
      if (chunk.size() > 1 && chunk[0] == '@') {
        ++out.mentions;
        i = end;
        continue;
      }
      hashtag = chunk.size() > 1 && chunk[0] == '#';
      prev_lower = false;
    }
    if (size_t len = MatchEmoticon(text, i, chunk_start && word.empty(), emoticons); len > 0) {
      flush();
      Token t{TokenType::kEmoji, {}, false, false, 0, false};
      for (size_t k = i; k < i + len; ++k) {
        char b = text[k];
        t.text.push_back((b >= 'A' && b <= 'Z') ? static_cast<char>(b + 0x20) : b);
      }
      out.tokens.push_back(std::move(t));
      i += len;
      chunk_start = false;
      continue;
    }
    size_t start = i;
    char32_t c = DecodeUtf8(text, i);
    if (IsSpace(c)) {
      flush();
      if (c == '\n') EmitBreak(out);
      chunk_start = true;
      continue;
    }
    chunk_start = false;
    if (c != '?' && c != 0xFF1F && c != 0x061F) question_run = 0;
    if (IsIgnorable(c) && c != 0x0640 && !(c >= 0x064B && c <= 0x0652) && c != 0x0670) continue;
    if (IsEmoji(c)) {
      flush();
      Token t{TokenType::kEmoji, {}, false, false, 0, false};
      AppendUtf8(c, t.text);
      out.tokens.push_back(std::move(t));
      continue;
    }
    if (IsCjk(c) || c == 0x30FC) {
      EmitWord(word, out);
      word.clear();
      AppendUtf8(c, cjk);
      if (IsKana(c))
        ++out.script.kana;
      else
        ++out.script.han;
      continue;
    }
    if (!cjk.empty()) flush();
    bool apostrophe = c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC;
    if (apostrophe && !word.empty() && i < text.size()) {
      size_t next = i;
      if (!IsWordChar(DecodeUtf8(text, next))) apostrophe = false;
    }
    if (apostrophe && !word.empty() && i < text.size()) {
      word.push_back('\'');
      continue;
    }
    if (IsWordChar(c) || IsIgnorable(c)) {
      if (hashtag) {
        if (prev_lower && IsUpper(c)) flush();  // "#NeverAgain" -> "never" "again"
        prev_lower = IsLower(c);
      }
      word.append(text.substr(start, i - start));
      if (c < 0x80 ? IsAsciiAlnum(static_cast<char>(c)) : c < 0x250)
        ++out.script.latin;
      else if (IsArabic(c))
        ++out.script.arabic;
      else if (IsDevanagari(c))
        ++out.script.devanagari;
      else
        ++out.script.other;
      continue;
    }
    flush();
    if (c == '.' || c == '!' || c == 0xFF01 || c == 0x3002) {
      out.ends_with_question = false;
      if (c != '!' && c != 0xFF01) ++out.periods;
    }
    if (c == '?' || c == 0xFF1F || c == 0x061F) out.ends_with_question = true;
    if (c == '!' || c == 0xFF01) {
      ++out.exclamations;
      if (prev_punct == '?') ++out.interrobangs;
      prev_punct = '!';
    } else if (c == '?' || c == 0xFF1F || c == 0x061F) {
      ++out.questions;
      out.max_question_run = std::max(out.max_question_run, ++question_run);
      if (prev_punct == '!') ++out.interrobangs;
      prev_punct = '?';
    } else {
      prev_punct = 0;
    }
    if (IsBreak(c)) EmitBreak(out);
  }
  flush();
}

}  // namespace meridian::nlp::sentiment_internal
