#include "nlp/translate/protect.h"

#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace meridian::nlp::translate {
namespace {

constexpr std::string_view kOpen = "\xE2\x9F\xA6";   // ⟦
constexpr std::string_view kClose = "\xE2\x9F\xA7";  // ⟧

struct CodePoint {
  UChar32 c;
  size_t begin;
  size_t end;
};

std::vector<CodePoint> Decode(std::string_view s) {
  std::vector<CodePoint> out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t len = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < len) {
    int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(p, i, len, c);
    out.push_back({c < 0 ? 0xFFFD : c, static_cast<size_t>(start), static_cast<size_t>(i)});
  }
  return out;
}

std::vector<UChar32> Fold(std::string_view s) {
  std::vector<UChar32> out;
  for (const CodePoint& cp : Decode(s)) out.push_back(u_foldCase(cp.c, U_FOLD_CASE_DEFAULT));
  return out;
}

bool IsWordChar(UChar32 c) { return u_isalnum(c) != 0 || c == '_'; }

bool IsEmojiBase(UChar32 c) {
  return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
         (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0x2300 && c <= 0x23FF);
}
bool IsEmojiJoiner(UChar32 c) {
  return c == 0x200D || c == 0xFE0F || c == 0x20E3 || (c >= 0xE0020 && c <= 0xE007F);
}

bool IsCodeChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '#' || c == '-' || c == '_' ||
         c == '/';
}

struct Candidate {
  size_t begin;
  size_t end;
  SpanKind kind;
  std::string replacement;
};

class SpanSet {
 public:
  explicit SpanSet(size_t n) : taken_(n, false) {}
  bool Add(Candidate c) {
    if (c.begin >= c.end) return false;
    for (size_t i = c.begin; i < c.end; ++i) {
      if (taken_[i]) return false;
    }
    for (size_t i = c.begin; i < c.end; ++i) taken_[i] = true;
    spans_.push_back(std::move(c));
    return true;
  }
  std::vector<Candidate>& spans() { return spans_; }

 private:
  std::vector<bool> taken_;
  std::vector<Candidate> spans_;
};

void AddRegexMatches(std::string_view line, const RE2& re, SpanKind kind, SpanSet& set) {
  re2::StringPiece input(line.data(), line.size());
  re2::StringPiece match;
  size_t pos = 0;
  while (pos <= line.size() && re.Match(input, pos, line.size(), RE2::UNANCHORED, &match, 1)) {
    size_t begin = static_cast<size_t>(match.data() - line.data());
    size_t end = begin + match.size();
    if (kind == SpanKind::kUrl) {
      while (end > begin &&
             std::string_view(".,;:!?)]}'\"").find(line[end - 1]) != std::string_view::npos) {
        --end;
      }
    }
    if (end > begin) set.Add({begin, end, kind, std::string(line.substr(begin, end - begin))});
    pos = std::max(end, begin + 1);
  }
}

// Whether the code point ending just before byte `i` is a non-ASCII letter or digit (so a token
// starting at `i` would cut a word: "ñ1234"); non-ASCII punctuation and spaces do not glue.
bool GluedBefore(std::string_view line, size_t i) {
  if (static_cast<unsigned char>(line[i - 1]) < 0x80) return false;
  size_t start = i - 1;
  while (start > 0 && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80) --start;
  std::vector<CodePoint> cps = Decode(line.substr(start, i - start));
  return !cps.empty() && IsWordChar(cps.front().c);
}

void AddCodes(std::string_view line, SpanSet& set) {
  size_t i = 0;
  while (i < line.size()) {
    if (!IsCodeChar(line[i]) || (i > 0 && (IsCodeChar(line[i - 1]) || GluedBefore(line, i)))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < line.size() && IsCodeChar(line[end])) ++end;
    size_t next = end;
    // Do not cut a word that continues with a non-ASCII letter.
    bool glued = end < line.size() && static_cast<unsigned char>(line[end]) >= 0x80 &&
                 IsWordChar(Decode(line.substr(end, 4)).front().c);
    while (end > i && (line[end - 1] == '-' || line[end - 1] == '/' || line[end - 1] == '_')) --end;
    std::string_view token = line.substr(i, end - i);
    bool digit = false;
    bool letter = false;
    for (char c : token) {
      digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
      letter |= std::isalpha(static_cast<unsigned char>(c)) != 0;
    }
    bool hash = token.find('#') != std::string_view::npos;
    if (!glued && digit && (token.size() >= 4 || letter || hash)) {
      set.Add({i, end, SpanKind::kCode, std::string(token)});
    }
    i = std::max(next, i + 1);
  }
}

void AddEmoji(std::string_view line, const std::vector<CodePoint>& cps, SpanSet& set) {
  size_t i = 0;
  while (i < cps.size()) {
    if (!IsEmojiBase(cps[i].c) && !(cps[i].c >= 0x1F1E6 && cps[i].c <= 0x1F1FF)) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < cps.size() && (IsEmojiBase(cps[j].c) || IsEmojiJoiner(cps[j].c))) ++j;
    size_t begin = cps[i].begin;
    size_t end = cps[j - 1].end;
    set.Add({begin, end, SpanKind::kEmoji, std::string(line.substr(begin, end - begin))});
    i = j;
  }
}

// The code points of `s` as written (case-sensitive glossary terms).
std::vector<UChar32> Unfolded(std::string_view s) {
  std::vector<UChar32> out;
  for (const CodePoint& cp : Decode(s)) out.push_back(cp.c);
  return out;
}

// Finds `term` in the line at word boundaries, with the plural endings of `lang`. `folded` is
// the line case-folded (term folded too) or, for a case-sensitive term, as written.
// Calls `found(begin_byte, end_byte, plural)` for each match.
template <typename F>
void FindTerm(const std::vector<CodePoint>& cps, const std::vector<UChar32>& folded,
              std::string_view term, bool case_sensitive, std::string_view lang, F found) {
  auto fold = [case_sensitive](std::string_view s) {
    return case_sensitive ? Unfolded(s) : Fold(s);
  };
  std::vector<UChar32> t = fold(term);
  if (t.empty()) return;
  // Candidate forms: the term, the term + suffix, and (Italian) the term with its last vowel
  // changed.
  std::vector<std::pair<std::vector<UChar32>, bool>> forms = {{t, false}};
  for (const std::string& suffix : PluralSuffixes(lang)) {
    std::vector<UChar32> f = t;
    for (UChar32 c : fold(suffix)) f.push_back(c);
    forms.emplace_back(std::move(f), true);
  }
  if (lang == "it" && (t.back() == 'o' || t.back() == 'a')) {
    std::vector<UChar32> f = t;
    f.back() = t.back() == 'o' ? 'i' : 'e';
    forms.emplace_back(std::move(f), true);
  }
  std::sort(forms.begin(), forms.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  size_t i = 0;
  while (i < folded.size()) {
    if (i > 0 && IsWordChar(folded[i - 1])) {
      ++i;
      continue;
    }
    bool matched = false;
    for (const auto& [form, plural] : forms) {
      size_t n = form.size();
      if (i + n > folded.size()) continue;
      if (!std::equal(form.begin(), form.end(), folded.begin() + static_cast<long>(i))) continue;
      if (i + n < folded.size() && IsWordChar(folded[i + n])) continue;
      found(cps[i].begin, cps[i + n - 1].end, plural);
      i += n;
      matched = true;
      break;
    }
    if (!matched) ++i;
  }
}

const RE2& UrlRe() {
  static const RE2 re(R"re((?i)\b(?:https?://|www\.)[^\s<>"\x{27E6}\x{27E7}]+)re");
  return re;
}
const RE2& EmailRe() {
  static const RE2 re(R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})");
  return re;
}
const RE2& AmountRe() {
  static const RE2 re(
      R"re((?:-?(?:US\$|R\$|C\$|A\$|HK\$|S\$|NZ\$|[$€£¥₹₩₽₺฿₫₪₱₴₦]) ?\d+(?:[.,'’]\d+)*))re"
      R"re(|(?:\d+(?:[.,'’]\d+)* ?(?:[$€£¥₹₩₽₺฿₫₪₱₴₦]|\b(?:USD|EUR|GBP|JPY|CNY|RMB|INR|BRL|MXN|CAD|AUD|CHF|SEK|NOK|DKK|PLN|RUB|TRY|KRW|THB|VND|IDR|MYR|SGD|HKD|NZD|ZAR|AED|SAR|CZK|HUF|ILS|PHP|euros?|dollars?|dólares|reais|pesos)\b)))re"
      R"re(|(?:\b(?:USD|EUR|GBP|JPY|CNY|RMB|INR|BRL|MXN|CAD|AUD|CHF|SEK|NOK|DKK|PLN|RUB|TRY|KRW|THB|VND|IDR|MYR|SGD|HKD|NZD|ZAR|AED|SAR|CZK|HUF|ILS|PHP|RM|Rp) ?\d+(?:[.,'’]\d+)*))re");
  return re;
}

}  // namespace

std::string_view SpanKindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kUrl:
      return "url";
    case SpanKind::kEmail:
      return "email";
    case SpanKind::kAmount:
      return "amount";
    case SpanKind::kCode:
      return "code";
    case SpanKind::kEmoji:
      return "emoji";
    case SpanKind::kDoNotTranslate:
      return "do_not_translate";
    case SpanKind::kForced:
      return "forced";
    case SpanKind::kLiteral:
      return "literal";
  }
  return "code";
}

// ---------------------------------------------------------------------------------------------
// Glossary

void Glossary::AddDoNotTranslate(std::string term, bool case_sensitive) {
  if (!term.empty()) dnt_.push_back({std::move(term), case_sensitive});
}

void Glossary::AddForced(ForcedTerm term) {
  if (!term.source.empty()) forced_.push_back(std::move(term));
}

std::vector<const ForcedTerm*> Glossary::ForcedFor(std::string_view from,
                                                   std::string_view to) const {
  std::vector<const ForcedTerm*> out;
  for (const ForcedTerm& t : forced_) {
    if (t.from == from && t.to == to) out.push_back(&t);
  }
  return out;
}

Result<Glossary> Glossary::FromJson(std::string_view json) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidArgument("glossary: not a JSON object", "invalid_glossary");
  }
  Glossary g;
  if (auto it = doc.find("do_not_translate"); it != doc.end()) {
    if (!it->is_array())
      return Status::InvalidArgument("glossary: do_not_translate must be an array",
                                     "invalid_glossary");
    for (const auto& t : *it) {
      if (t.is_object() && t.contains("term") && t["term"].is_string()) {
        g.AddDoNotTranslate(t["term"].get<std::string>(), t.value("case_sensitive", false));
        continue;
      }
      if (!t.is_string())
        return Status::InvalidArgument(
            "glossary: do_not_translate entries must be strings or {\"term\"}", "invalid_glossary");
      g.AddDoNotTranslate(t.get<std::string>());
    }
  }
  if (auto it = doc.find("forced"); it != doc.end()) {
    if (!it->is_array())
      return Status::InvalidArgument("glossary: forced must be an array", "invalid_glossary");
    for (const auto& t : *it) {
      if (!t.is_object() || !t.contains("from") || !t.contains("to") || !t.contains("source") ||
          !t.contains("target") || !t["from"].is_string() || !t["to"].is_string() ||
          !t["source"].is_string() || !t["target"].is_string()) {
        return Status::InvalidArgument(
            "glossary: forced entries need string from, to, source and target", "invalid_glossary");
      }
      ForcedTerm f{t["from"].get<std::string>(),
                   t["to"].get<std::string>(),
                   t["source"].get<std::string>(),
                   t["target"].get<std::string>(),
                   t.value("target_plural", std::string()),
                   t.value("case_sensitive", false)};
      g.AddForced(std::move(f));
    }
  }
  return g;
}

std::vector<std::string> PluralSuffixes(std::string_view lang) {
  if (lang == "en") return {"s", "es", "'s"};
  if (lang == "es" || lang == "pt" || lang == "ca" || lang == "gl" || lang == "fr" ||
      lang == "ro") {
    return {"s", "es"};
  }
  if (lang == "de") return {"e", "en", "n", "s", "er"};
  if (lang == "nl") return {"en", "s"};
  return {};
}

std::string RegularPlural(std::string_view word, std::string_view lang) {
  std::string w(word);
  if (w.empty()) return w;
  char last = static_cast<char>(std::tolower(static_cast<unsigned char>(w.back())));
  bool vowel = std::string_view("aeiou").find(last) != std::string_view::npos;
  if (lang == "en") {
    if (last == 's' || last == 'x' || w.ends_with("ch") || w.ends_with("sh")) return w + "es";
    return w + "s";
  }
  if (lang == "es" || lang == "pt" || lang == "ca" || lang == "gl" || lang == "ro") {
    if (vowel) return w + "s";
    if (last == 's') return w;
    return w + "es";
  }
  if (lang == "fr") return last == 's' || last == 'x' ? w : w + "s";
  if (lang == "it") {
    if (last == 'o') return w.substr(0, w.size() - 1) + "i";
    if (last == 'a') return w.substr(0, w.size() - 1) + "e";
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// Protect / Restore

MaskedText Protect(std::string_view line, const Glossary* glossary, std::string_view from,
                   std::string_view to) {
  SpanSet set(line.size());
  // Literal placeholder brackets first, so a crafted "⟦0⟧" cannot be confused with ours.
  for (size_t p = 0; p < line.size();) {
    size_t a = line.find(kOpen, p);
    size_t b = line.find(kClose, p);
    size_t at = std::min(a, b);
    if (at == std::string_view::npos) break;
    set.Add({at, at + 3, SpanKind::kLiteral, std::string(line.substr(at, 3))});
    p = at + 3;
  }
  AddRegexMatches(line, UrlRe(), SpanKind::kUrl, set);
  AddRegexMatches(line, EmailRe(), SpanKind::kEmail, set);
  std::vector<CodePoint> cps = Decode(line);
  if (glossary != nullptr && !glossary->empty()) {
    std::vector<UChar32> folded;
    std::vector<UChar32> raw;
    folded.reserve(cps.size());
    raw.reserve(cps.size());
    for (const CodePoint& cp : cps) {
      folded.push_back(u_foldCase(cp.c, U_FOLD_CASE_DEFAULT));
      raw.push_back(cp.c);
    }
    // Longer terms first, so "gift card balance" wins over "gift card".
    struct Term {
      std::string_view text;
      bool case_sensitive;
      const ForcedTerm* forced;
    };
    std::vector<Term> terms;
    for (const ForcedTerm* f : glossary->ForcedFor(from, to)) {
      terms.push_back({f->source, f->case_sensitive, f});
    }
    for (const DoNotTranslateTerm& t : glossary->do_not_translate()) {
      terms.push_back({t.term, t.case_sensitive, nullptr});
    }
    std::stable_sort(terms.begin(), terms.end(),
                     [](const Term& a, const Term& b) { return a.text.size() > b.text.size(); });
    for (const Term& term : terms) {
      const ForcedTerm* forced = term.forced;
      const std::vector<UChar32>& haystack = term.case_sensitive ? raw : folded;
      FindTerm(cps, haystack, term.text, term.case_sensitive, from,
               [&](size_t b, size_t e, bool plural) {
                 if (forced == nullptr) {
                   set.Add({b, e, SpanKind::kDoNotTranslate, std::string(line.substr(b, e - b))});
                 } else {
                   std::string target = forced->target;
                   if (plural) {
                     target = forced->target_plural.empty() ? RegularPlural(forced->target, to)
                                                            : forced->target_plural;
                   }
                   set.Add({b, e, SpanKind::kForced, std::move(target)});
                 }
               });
    }
  }
  AddRegexMatches(line, AmountRe(), SpanKind::kAmount, set);
  AddCodes(line, set);
  AddEmoji(line, cps, set);

  std::vector<Candidate>& spans = set.spans();
  std::sort(spans.begin(), spans.end(),
            [](const Candidate& a, const Candidate& b) { return a.begin < b.begin; });
  MaskedText out;
  size_t pos = 0;
  for (Candidate& c : spans) {
    out.text.append(line.substr(pos, c.begin - pos));
    out.text += Placeholder(out.spans.size());
    out.spans.push_back(
        {c.kind, std::string(line.substr(c.begin, c.end - c.begin)), std::move(c.replacement)});
    pos = c.end;
  }
  out.text.append(line.substr(pos));
  return out;
}

std::string Restore(std::string_view translated, const std::vector<ProtectedSpan>& spans) {
  std::string out;
  out.reserve(translated.size() + 64);
  std::vector<bool> used(spans.size(), false);
  size_t i = 0;
  while (i < translated.size()) {
    if (translated.substr(i, kOpen.size()) == kOpen) {
      size_t j = i + kOpen.size();
      while (j < translated.size() && translated[j] == ' ') ++j;
      size_t digits = j;
      while (j < translated.size() &&
             std::isdigit(static_cast<unsigned char>(translated[j])) != 0 && j - digits < 6) {
        ++j;
      }
      size_t digits_end = j;
      while (j < translated.size() && translated[j] == ' ') ++j;
      if (digits_end > digits && translated.substr(j, kClose.size()) == kClose) {
        size_t index = std::stoul(std::string(translated.substr(digits, digits_end - digits)));
        if (index < spans.size()) {
          out += spans[index].replacement;
          used[index] = true;
          i = j + kClose.size();
          continue;
        }
      }
    }
    out += translated[i];
    ++i;
  }
  for (size_t k = 0; k < spans.size(); ++k) {
    if (used[k]) continue;
    if (!out.empty() && out.back() != ' ') out += ' ';
    out += spans[k].replacement;
  }
  return out;
}

}  // namespace meridian::nlp::translate
