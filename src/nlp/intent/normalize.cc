// NormalizeForIntent and GuessLanguage: the text view the intent model is trained and run on.

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "nlp/intent/intent.h"

namespace meridian::nlp {
namespace {

constexpr std::string_view kNumberToken = "<num>";
constexpr std::string_view kEmailToken = "<email>";
constexpr std::string_view kUrlToken = "<url>";
constexpr std::string_view kNameToken = "<name>";
constexpr std::string_view kSlotToken = "<ph>";

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool ContainsAny(std::string_view haystack, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return haystack.find(n) != haystack.npos; });
}

// The token a template placeholder such as "{{Order Number}}" stands for: the same token a real
// value of that kind gets, so "{{Order Number}}" and "#12345" look alike to the model.
std::string_view PlaceholderToken(std::string_view inside) {
  std::string name;
  for (char c : inside) name.push_back(AsciiLower(c));
  if (ContainsAny(name, {"mail"})) return kEmailToken;
  if (ContainsAny(name, {"url", "website", "link", "site", "portal"})) return kUrlToken;
  if (ContainsAny(name, {"number", "amount", "phone", "date", "code", "hours", "price", "id",
                         "digits", "time", "zip", "postal"})) {
    return kNumberToken;
  }
  if (ContainsAny(name, {"name"})) return kNameToken;
  return kSlotToken;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// An e-mail address: local@domain.tld without spaces (ASCII only, so that a CJK sentence
// written without spaces around an address is not swallowed).
bool LooksLikeEmail(std::string_view word) {
  if (!IsAscii(word)) return false;
  size_t at = word.find('@');
  if (at == word.npos || at == 0) return false;
  size_t dot = word.find('.', at + 2);
  return dot != word.npos && dot + 1 < word.size();
}

bool LooksLikeUrl(std::string_view word) {
  if (!IsAscii(word)) return false;
  std::string head;
  for (char c : word.substr(0, 8)) head.push_back(AsciiLower(c));
  return head.starts_with("http://") || head.starts_with("https://") || head.starts_with("www.");
}

// Splits raw text into plain pieces and the special tokens that replace placeholders ("{{...}}"),
// e-mail addresses and URLs. A plain piece has `token` empty.
struct Piece {
  std::string_view text;
  std::string_view token;
};

std::vector<Piece> SplitSpecials(std::string_view text) {
  std::vector<Piece> pieces;
  size_t plain_start = 0;
  size_t i = 0;
  auto emit = [&](size_t start, size_t end, std::string_view token) {
    if (start > plain_start) pieces.push_back({text.substr(plain_start, start - plain_start), {}});
    pieces.push_back({{}, token});
    plain_start = i = end;
  };
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") == 0) {
      size_t close = text.find("}}", i + 2);
      if (close != text.npos && close - i <= 80) {
        emit(i, close + 2, PlaceholderToken(text.substr(i + 2, close - i - 2)));
        continue;
      }
    }
    if (IsSpace(text[i])) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() && !IsSpace(text[end]) && text.compare(end, 2, "{{") != 0) ++end;
    std::string_view word = text.substr(i, end - i);
    // Trailing sentence punctuation is not part of an address.
    while (!word.empty() && std::string_view(".,;:!?)]>\"'").find(word.back()) != word.npos) {
      word.remove_suffix(1);
    }
    if (LooksLikeUrl(word)) {
      emit(i, i + word.size(), kUrlToken);
    } else if (LooksLikeEmail(word)) {
      emit(i, i + word.size(), kEmailToken);
    } else {
      i = end;
    }
  }
  if (plain_start < text.size()) pieces.push_back({text.substr(plain_start), {}});
  return pieces;
}

// Characters written without spaces between words: each becomes its own token.
bool IsUnspacedScript(UChar32 c) {
  UErrorCode err = U_ZERO_ERROR;
  UScriptCode script = uscript_getScript(c, &err);
  return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
         script == USCRIPT_THAI || c == 0x30FC;  // prolonged sound mark
}

bool IsWordChar(UChar32 c) {
  return u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK ||
         u_charType(c) == U_COMBINING_SPACING_MARK;
}

// Accents to drop for the stripped variant: Latin combining diacritics and Arabic harakat.
bool IsStrippableMark(UChar32 c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x064B && c <= 0x065F) || c == 0x0670;
}

void AppendUtf8(UChar32 c, std::string& out) {
  icu::UnicodeString s(c);
  s.toUTF8String(out);
}

// Collects the characters of one token at a time; a token holding a digit becomes <num>.
class TokenSink {
 public:
  explicit TokenSink(std::vector<std::string>& tokens) : tokens_(tokens) {}
  ~TokenSink() { Flush(); }
  void Add(char ch, bool digit) {
    current_.push_back(ch);
    has_digit_ |= digit;
  }
  void Add(UChar32 c) {
    AppendUtf8(c, current_);
    has_digit_ |= u_isdigit(c) != 0;
  }
  void Flush() {
    if (!current_.empty()) tokens_.push_back(has_digit_ ? std::string(kNumberToken) : current_);
    current_.clear();
    has_digit_ = false;
  }

 private:
  std::vector<std::string>& tokens_;
  std::string current_;
  bool has_digit_ = false;
};

void Tokenize(const icu::UnicodeString& folded, std::vector<std::string>& tokens) {
  TokenSink sink(tokens);
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (IsUnspacedScript(c)) {
      sink.Flush();
      sink.Add(c);
      sink.Flush();
    } else if (IsWordChar(c)) {
      sink.Add(c);
    } else {
      sink.Flush();
    }
  }
}

void TokenizeAscii(std::string_view text, std::vector<std::string>& tokens) {
  TokenSink sink(tokens);
  for (char ch : text) {
    if (ch >= 'A' && ch <= 'Z') {
      sink.Add(static_cast<char>(ch - 'A' + 'a'), false);
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      sink.Add(ch, ch <= '9');
    } else {
      sink.Flush();
    }
  }
}

std::string Join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& t : tokens) {
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

// Lowercase, tokenize and accent-variant one piece of text without special tokens.
std::string NormalizePlain(std::string_view text) {
  std::vector<std::string> tokens;
  if (IsAscii(text)) {
    TokenizeAscii(text, tokens);
    return Join(tokens);
  }
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(err);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  if (U_FAILURE(err)) return std::string();
  icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString folded = fold->normalize(input, err);
  if (U_FAILURE(err)) return std::string();
  Tokenize(folded, tokens);

  // The accent-stripped variant: decompose, drop the marks, add the words that changed.
  icu::UnicodeString decomposed = nfd->normalize(folded, err);
  if (U_FAILURE(err)) return Join(tokens);
  icu::UnicodeString stripped;
  bool changed = false;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (IsStrippableMark(c)) {
      changed = true;
    } else {
      stripped.append(c);
    }
  }
  if (!changed) return Join(tokens);
  std::vector<std::string> plain;
  Tokenize(stripped, plain);
  std::unordered_set<std::string> seen(tokens.begin(), tokens.end());
  for (std::string& t : plain) {
    if (seen.insert(t).second) tokens.push_back(std::move(t));
  }
  return Join(tokens);
}

}  // namespace

std::string NormalizeForIntent(std::string_view text) {
  std::vector<Piece> pieces = SplitSpecials(text);
  if (pieces.size() == 1 && pieces[0].token.empty()) return NormalizePlain(text);
  std::string out;
  for (const Piece& piece : pieces) {
    std::string part = piece.token.empty() ? NormalizePlain(piece.text) : std::string(piece.token);
    if (part.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += part;
  }
  return out;
}

std::string GuessLanguage(std::string_view text) {
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  std::array<int, USCRIPT_CODE_LIMIT> counts{};
  int letters = 0;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (!u_isalpha(c)) continue;
    UScriptCode script = uscript_getScript(c, &err);
    if (U_FAILURE(err)) return "";
    if (script >= 0 && script < USCRIPT_CODE_LIMIT) ++counts[static_cast<size_t>(script)];
    ++letters;
  }
  if (letters == 0) return "";
  auto count = [&](UScriptCode code) { return counts[static_cast<size_t>(code)]; };
  if (count(USCRIPT_HIRAGANA) + count(USCRIPT_KATAKANA) > 0) return "ja";
  if (count(USCRIPT_HAN) * 3 >= letters) return "zh";
  if (count(USCRIPT_ARABIC) * 2 >= letters) return "ar";
  if (count(USCRIPT_HANGUL) * 2 >= letters) return "ko";
  if (count(USCRIPT_CYRILLIC) * 2 >= letters) return "ru";
  if (count(USCRIPT_THAI) * 2 >= letters) return "th";
  if (count(USCRIPT_GREEK) * 2 >= letters) return "el";
  if (count(USCRIPT_HEBREW) * 2 >= letters) return "he";
  if (count(USCRIPT_DEVANAGARI) * 2 >= letters) return "hi";

  // Latin: vote with function words and telltale letters.
  struct Cue {
    const char* lang;
    std::vector<std::string_view> words;
  };
  static const std::vector<Cue> kCues = {
      {"en", {"the", "my",   "i",    "is", "and",   "you",    "to",  "where",
              "how", "what", "can",  "it", "order", "please", "hi",  "thanks",
              "for", "of",   "want", "do", "a",     "me",     "your"}},
      {"de", {"ich",   "und",   "nicht", "ist",  "mein", "meine",      "wo",
              "bitte", "die",   "der",   "das",  "wie",  "ein",        "eine",
              "hallo", "danke", "mit",   "habe", "kann", "bestellung", "mir"}},
      {"fr",
       {"je",    "le", "la",      "les", "mon", "ma",       "mes",  "est",  "et", "pas", "bonjour",
        "merci", "ou", "comment", "une", "un",  "commande", "vous", "pour", "de", "des", "du"}},
      {"es",
       {"el",  "la",     "mi",     "mis", "es",   "y",   "no",  "donde", "como",  "hola", "gracias",
        "que", "pedido", "quiero", "por", "para", "una", "los", "las",   "puedo", "del"}},
      {"it",
       {"il",     "mio",    "mia", "miei", "e",   "non",  "dove",  "come",  "ciao",       "grazie",
        "ordine", "voglio", "per", "che",  "una", "sono", "posso", "della", "buongiorno", "gli"}},
      {"pt",
       {"o",      "meu",   "minha", "e",   "nao",  "onde",  "como", "ola", "obrigado",  "obrigada",
        "pedido", "quero", "para",  "uma", "voce", "posso", "do",   "da",  "encomenda", "com"}},
      {"nl", {"ik",   "de",  "het",   "mijn",    "is",         "en",    "niet",
              "waar", "hoe", "hallo", "bedankt", "bestelling", "wil",   "een",
              "van",  "kan", "graag", "dank",    "wanneer",    "jullie"}},
      {"pl",
       {"i",        "nie",        "jest", "moje",   "moja", "moj", "gdzie", "jak", "dzien", "dobry",
        "dziekuje", "zamowienie", "chce", "prosze", "czy",  "na",  "sie",   "mam", "to",    "w"}},
      {"id",
       {"saya", "dan", "tidak", "di", "mana", "bagaimana", "halo", "terima", "kasih", "pesanan",
        "mau", "ingin", "untuk", "yang", "sudah", "belum", "kak", "min", "ya"}},
      {"tr",
       {"ve", "bir", "bu", "siparis", "nerede", "nasil", "merhaba", "tesekkur", "istiyorum", "ben",
        "benim", "mi", "ne", "zaman", "degil", "iade"}},
  };
  std::string plain = NormalizeForIntent(text);
  std::vector<std::string_view> words;
  for (size_t pos = 0; pos < plain.size();) {
    size_t end = plain.find(' ', pos);
    if (end == std::string::npos) end = plain.size();
    words.push_back(std::string_view(plain).substr(pos, end - pos));
    pos = end + 1;
  }
  std::string best = "en";
  double best_score = 0;
  for (const Cue& cue : kCues) {
    double score = 0;
    for (std::string_view w : words) {
      if (std::find(cue.words.begin(), cue.words.end(), w) != cue.words.end()) score += 1;
    }
    if (score > best_score) {
      best_score = score;
      best = cue.lang;
    }
  }
  // Letters only one language of the set uses settle a tie-free vote.
  std::string_view raw = text;
  if (raw.find("ß") != raw.npos || raw.find("ä") != raw.npos || raw.find("ö") != raw.npos ||
      raw.find("ü") != raw.npos) {
    if (best_score < 2) best = "de";
  }
  if (raw.find("ñ") != raw.npos || raw.find("¿") != raw.npos) best = "es";
  if (raw.find("ã") != raw.npos || raw.find("õ") != raw.npos || raw.find("ç") != raw.npos) {
    if (best != "fr") best = "pt";
  }
  if (raw.find("ł") != raw.npos || raw.find("ą") != raw.npos || raw.find("ę") != raw.npos ||
      raw.find("ż") != raw.npos || raw.find("ś") != raw.npos) {
    best = "pl";
  }
  return best;
}

}  // namespace meridian::nlp
