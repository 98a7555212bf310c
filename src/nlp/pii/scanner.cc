// One RE2 pass finds candidates for every PII kind; check digits and context then decide.

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "nlp/entities/checksum.h"
#include "nlp/entities/entities.h"
#include "nlp/pii/pii.h"

namespace meridian::nlp {
namespace {

// Capturing groups of kPattern, in order.
enum Group {
  kGEmail = 1,
  kGIban,
  kGCodiceFiscale,
  kGDni,
  kGChinaId,
  kGSecretKey,
  kGSecretValue,
  kGAddressEn,
  kGAddressDe,
  kGAddressRomance,
  kGPostalUk,
  kGPostalUs,
  kGPostalJp,
  kGPostalEu,
  kGNumber,
  kGroupCount = kGNumber,
};

constexpr char kPattern[] =
    // email
    R"(([A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)"
    R"((?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24})\b)"
    // IBAN, compact or in groups of four
    R"(|\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b)"
    // codice fiscale (digits may be replaced by letters for homocodes)
    R"(|\b([A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z])\b)"
    // Spanish DNI / NIE
    R"(|\b([XYZ]?\d{7,8}[- ]?[A-Z])\b)"
    // Chinese resident id
    R"(|\b(\d{17}[\dXx])\b)"
    // "password is ...", "code: 123456"
    // (an ASCII keyword must end at a space, ':' or '=': "PWDRXQ..." is a codice fiscale)
    R"(|(?:^|[^A-Za-z])(?i:((?:password|passwort|kennwort|passcode|contraseña|mot de passe|)"
    R"(senha|wachtwoord|pwd|pin|otp|tan|code|codigo|código|codice|verification code|)"
    R"(bestätigungscode|sicherheitscode)[\s:=：]|验证码|密码|パスワード|認証コード)))"
    R"((?:\s*(?:is|ist|es|est|era|war|was|é|è|lautet)\s)?\s*[:=：是は]?\s*([^\s]{3,64}))"
    // "221 Baker Street"
    R"(|\b(\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|)"
    R"(Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace)\b\.?|)"
    // "12 rue de la Paix", "5 bis avenue Foch"
    R"(\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai) )"
    R"((?:(?:de|du|des|la|le|l')\s*){0,2}[A-ZÉ][A-Za-zéèàç'-]*))"
    // "Hauptstraße 5a"
    R"(|\b([A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm)\s+\d{1,4}[a-z]?))"
    // "Calle Mayor 12", "rue de la Paix 12"
    R"(|\b((?:Calle|Avenida|Avda\.|Paseo|Rua|Via|Viale|Piazza|rue|avenue|boulevard|chemin|)"
    R"(place)\s+(?:(?:de|del|la|las|los|du|des|della|dos|da|l')\s*){0,2}[A-ZÁÉÍÓÚ][A-Za-z'-]*)"
    R"((?:\s+[A-Z][A-Za-z'-]*){0,2},?\s+(?:n[º°o]\.?\s*)?\d{1,4}))"
    // UK postcode
    R"(|\b([A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b)"
    // US state + ZIP
    R"(|\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|)"
    R"(NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY) (\d{5}(?:-\d{4})?)\b)"
    // Japan
    R"(|〒\s?(\d{3}-\d{4}))"
    // continental "10115 Berlin" after a comma
    R"(|,\s?(\d{4,5}) [A-ZÄÖÜÉ][a-zäöüßéèàí]+)"
    // anything else made of digits: cards, phones, CPF, SSN, BSN, PESEL, Aadhaar
    R"(|((?:\+ ?|\()?\d+(?:(?:[ \-./]|\) ?| ?\()\d+){0,12}))";

constexpr std::string_view kPasswordWords[] = {
    "password", "passwort",   "kennwort", "passcode", "contraseña", "mot de passe",
    "senha",    "wachtwoord", "pwd",      "密码",     "パスワード"};

// Values after "password is" that are words about the password, not the password.
constexpr std::string_view kNotSecrets[] = {
    "not",     "wrong",   "incorrect", "invalid", "expired", "reset",    "changed",    "too",
    "the",     "my",      "your",      "nicht",   "falsch",  "no",       "incorrecta", "correct",
    "working", "for",     "and",       "again",   "please",  "bitte",    "pas",        "is",
    "does",    "doesn't", "isn't",     "field",   "reset?",  "required", "sent",       "received"};

// Words that, just before a number, say it is not personal data.
constexpr std::string_view kNotPiiContext[] = {
    "order",   "bestell", "pedido",  "commande", "ordine", "tracking", "track",    "sendung",
    "sku",     "ean",     "art.",    "artikel",  "item",   "invoice",  "rechnung", "ref",
    "awb",     "waybill", "parcel",  "package",  "paket",  "model",    "part",     "#",
    "fedex",   "usps",    "dhl",     "ups ",     "inv-",   "ord-",     "ticket",   "case",
    "vorgang", "caso",    "dossier", "kunden"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool ContextHas(std::string_view text, size_t start, std::initializer_list<std::string_view> words,
                size_t window = 32) {
  size_t from = start > window ? start - window : 0;
  std::string before = Lower(text.substr(from, start - from));
  for (auto w : words) {
    if (before.find(w) != std::string::npos) return true;
  }
  return false;
}

// Only the current clause counts: "order 123. Tel.: 0151 ..." is a phone despite "order".
bool NotPiiContext(std::string_view text, size_t start) {
  size_t from = start > 24 ? start - 24 : 0;
  std::string_view window = text.substr(from, start - from);
  for (std::string_view stop : {".", ",", ";", "\n", "。", "，", ":"}) {
    size_t cut = window.rfind(stop);
    // A '.' or ':' right before the number belongs to the cue ("Nr.", "ref:").
    if (cut != std::string_view::npos && cut + stop.size() + 1 < window.size()) {
      window.remove_prefix(cut + stop.size());
    }
  }
  std::string before = Lower(window);
  for (auto w : kNotPiiContext) {
    if (before.find(w) != std::string::npos) return true;
  }
  return false;
}

// True for "12/03/2024", "2024-03-12", "12.03.24", "1.234,56" and similar.
bool LooksLikeDateOrPrice(std::string_view s) {
  static const RE2 kDateOrPrice(
      R"(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,3}(?:[.,]\d{3})*[.,]\d{1,2}|\d{1,2}[./]\d{1,2})");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), kDateOrPrice);
}

bool IsSecretWord(std::string_view key) {
  std::string k = Lower(key);
  for (auto w : kPasswordWords) {
    if (k == w) return true;
  }
  return false;
}

class Collector {
 public:
  Collector(std::string_view text, const ScanOptions& options, std::vector<PiiMatch>& out)
      : text_(text), options_(options), out_(out) {}

  void Add(PiiType type, size_t start, size_t end, std::string subtype, std::string normalized) {
    out_.push_back({type, start, end, std::move(subtype), std::move(normalized)});
  }

  // Splits a digit run into pieces at separators and tries piece ranges, longest first, so
  // "order 12345 4111 1111 1111 1111" still yields the card.
  void ClassifyNumber(size_t run_start, size_t run_end) {
    if (run_end - run_start < 7) return;  // too short for any numeric PII
    std::vector<std::pair<size_t, size_t>> pieces;
    size_t i = run_start;
    while (i < run_end) {
      while (i < run_end && !IsDigitOrPlus(text_[i])) ++i;
      size_t j = i;
      while (j < run_end && IsDigitOrPlus(text_[j])) ++j;
      if (j > i) pieces.emplace_back(i, j);
      i = j;
    }
    // A whole run that is a tracking number is not personal data, nor is any part of it.
    std::string all = checksum::DigitsOnly(text_.substr(run_start, run_end - run_start));
    if (all.size() >= 20 &&
        (checksum::UspsImpb(all) || checksum::FedEx96(all) || checksum::FedExSmartPost(all))) {
      return;
    }
    run_not_pii_ = NotPiiContext(text_, run_start);
    // Whole run first, then shorter prefixes and suffixes (a stray "2 " before a card, an
    // expiry after it); never an interior slice, which would find phones inside long numbers.
    size_t covered = run_start;
    const size_t n = pieces.size();
    for (size_t a = 0; a < n; ++a) {
      if (pieces[a].first < covered) continue;
      for (size_t b = n; b-- > a;) {
        if (a != 0 && b != n - 1) continue;
        size_t s = pieces[a].first, e = pieces[b].second;
        // A leading '(' belongs to a phone number's area code.
        if (s > run_start && text_[s - 1] == '(') --s;
        if (Classify(s, e)) {
          covered = e;
          break;
        }
      }
    }
  }

 private:
  static bool IsDigitOrPlus(char c) { return (c >= '0' && c <= '9') || c == '+'; }

  bool Classify(size_t s, size_t e) {
    std::string_view span = text_.substr(s, e - s);
    if (s > 0 && IsAsciiAlnum(text_[s - 1])) return false;  // glued to a code like "SKU12"
    if (e < text_.size() && IsAsciiAlnum(text_[e])) return false;
    // Part of a code such as "INV-2024-000123".
    if (s > 1 && text_[s - 1] == '-' && IsAsciiAlnum(text_[s - 2])) return false;
    if (e + 1 < text_.size() && text_[e] == '-' && IsAsciiAlnum(text_[e + 1])) return false;
    std::string digits = checksum::DigitsOnly(span);
    const size_t n = digits.size();
    if (n < 7) return false;
    static const RE2 kIsoDateStart(R"(^\d{4}-\d{1,2}-\d{1,2}\b)");
    if (RE2::PartialMatch(re2::StringPiece(span.data(), span.size()), kIsoDateStart)) return false;
    const bool has_dot_or_slash = span.find_first_of("./") != std::string_view::npos;
    const bool not_pii_context = run_not_pii_ || NotPiiContext(text_, s);
    const std::string& region = options_.region;
    std::string subtype;
    if (!has_dot_or_slash && IsPaymentCard(digits, &subtype)) {
      Add(PiiType::kCardNumber, s, e, subtype, digits);
      return true;
    }
    if (n == 11 &&
        (span.find('.') != std::string_view::npos || region == "BR" ||
         ContextHas(text_, s, {"cpf"})) &&
        IsBrazilianCpf(digits)) {
      Add(PiiType::kNationalId, s, e, "br_cpf", digits);
      return true;
    }
    if (has_dot_or_slash && LooksLikeDateOrPrice(span)) return false;
    if (n == 9 && span.size() == 11 && span[3] == '-' && span[6] == '-' && IsUsSsn(digits)) {
      Add(PiiType::kNationalId, s, e, "us_ssn", digits);
      return true;
    }
    if (n == 9 && span.size() == 9 && ContextHas(text_, s, {"ssn", "social security"}) &&
        IsUsSsn(digits)) {
      Add(PiiType::kNationalId, s, e, "us_ssn", digits);
      return true;
    }
    if (n == 12 && IsIndianAadhaar(digits) &&
        ((span.size() == 14 && span[4] == span[9] && (span[4] == ' ' || span[4] == '-')) ||
         ContextHas(text_, s, {"aadhaar", "aadhar", "uidai", "आधार"}))) {
      Add(PiiType::kNationalId, s, e, "in_aadhaar", digits);
      return true;
    }
    if (n == 9 && span.size() == 9 &&
        (region == "NL" || ContextHas(text_, s, {"bsn", "burgerservice"})) && IsDutchBsn(digits)) {
      Add(PiiType::kNationalId, s, e, "nl_bsn", digits);
      return true;
    }
    if (n == 11 && span.size() == 11 && (region == "PL" || ContextHas(text_, s, {"pesel"})) &&
        IsPolishPesel(digits)) {
      Add(PiiType::kNationalId, s, e, "pl_pesel", digits);
      return true;
    }
    if (n <= 15 && !not_pii_context && span.find('/') == std::string_view::npos &&
        PlausiblePhone(span, n, region)) {
      std::string e164;
      if (IsValidPhone(span, region, &e164)) {
        Add(PiiType::kPhone, s, e, "", e164);
        return true;
      }
    }
    return false;
  }

  // Without '+' or a national trunk '0', a bare number is only taken as a phone where local
  // numbers are commonly written that way (NANP 10 digits, Chinese and Brazilian mobiles).
  static bool PlausiblePhone(std::string_view span, size_t n, const std::string& region) {
    char first = span.front();
    if (first == '+' || first == '(' || first == '0') return true;
    if (span.find('.') != std::string_view::npos) return false;
    if (region == "US" || region == "CA") return n == 10;
    if (region == "CN") return n == 11 && first == '1';
    if (region == "BR") return n == 10 || n == 11;
    return false;
  }

  std::string_view text_;
  bool run_not_pii_ = false;
  const ScanOptions& options_;
  std::vector<PiiMatch>& out_;
};

}  // namespace

std::string_view PiiTypeName(PiiType type) {
  switch (type) {
    case PiiType::kEmail:
      return "email";
    case PiiType::kPhone:
      return "phone";
    case PiiType::kCardNumber:
      return "card_number";
    case PiiType::kIban:
      return "iban";
    case PiiType::kNationalId:
      return "national_id";
    case PiiType::kPassword:
      return "password";
    case PiiType::kOneTimeCode:
      return "one_time_code";
    case PiiType::kAddress:
      return "address";
    case PiiType::kPostalCode:
      return "postal_code";
  }
  return "unknown";
}

struct PiiScanner::Impl {
  std::unique_ptr<RE2> pattern;
  std::unique_ptr<RE2> cue_words;  // prefilter for text with a few digits
};

PiiScanner::PiiScanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PiiScanner::~PiiScanner() = default;

Result<std::unique_ptr<PiiScanner>> PiiScanner::Create() {
  auto impl = std::make_unique<Impl>();
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);  // the DFA cache for one big alternation
  impl->pattern = std::make_unique<RE2>(kPattern, options);
  if (!impl->pattern->ok()) {
    return Status::Internal("PII pattern: " + impl->pattern->error(), "bad_pii_pattern");
  }
  if (impl->pattern->NumberOfCapturingGroups() != kGroupCount) {
    return Status::Internal("PII pattern has an unexpected number of groups", "bad_pii_pattern");
  }
  // Everything the big pattern can match with fewer than 7 digits in a run: secrets and codes,
  // street words, postal codes after a comma, US state + ZIP, the Japanese postal mark.
  impl->cue_words = std::make_unique<RE2>(
      R"((?i)pass|pwd|kennw|contrase|senha|wachtw|密码|パスワード|code|codigo|código|codice|otp|)"
      R"(\bpin\b|\btan\b|验证码|認証|street|\bst\b|avenue|\bave\b|road|\brd\b|boulevard|)"
      R"(blvd|lane|\bln\b|drive|\bdr\b|court|\bct\b|\bway\b|place|\bpl\b|terrace|straße|)"
      R"(strasse|str\.|weg|platz|allee|gasse|ring|damm|calle|avenida|avda|paseo|rua|via|viale|)"
      R"(piazza|rue|chemin|impasse|quai|allée|\bbd\b|〒|,\s?\d{4,5} |\b[a-z]{2} \d{5}\b)",
      options);
  if (!impl->cue_words->ok()) {
    return Status::Internal("PII prefilter pattern does not compile", "bad_pii_pattern");
  }
  return std::unique_ptr<PiiScanner>(new PiiScanner(std::move(impl)));
}

namespace {

// True when a word that names a password starts at text[i] (ASCII case-insensitive):
// pass(word|wort|code), pwd, kennw(ort), contrase(ña), senha, wachtw(oord), 密码, パスワード.
bool PasswordWordAt(std::string_view text, size_t i) {
  auto at = [&](std::string_view word) {
    if (text.size() - i < word.size()) return false;
    for (size_t k = 0; k < word.size(); ++k) {
      char c = text[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      if (c != word[k]) return false;
    }
    return true;
  };
  switch (text[i]) {
    case 'p':
    case 'P':
      return at("pass") || at("pwd");
    case 'k':
    case 'K':
      return at("kennw");
    case 'c':
    case 'C':
      return at("contrase");
    case 's':
    case 'S':
      return at("senha");
    case 'w':
    case 'W':
      return at("wachtw");
    case '\xE5':
      return at("密码");
    case '\xE3':
      return at("パスワード");
    default:
      return false;
  }
}

}  // namespace

bool PiiScanner::MayContainPii(std::string_view text) const {
  // One pass over the bytes: an '@', a run of 7+ digits (up to two separators between digits,
  // as in "+1 (415) 555-2671"), an upper-case letter touching a digit (IBAN, DNI letter,
  // postcode) or a password word sends the text to the full scan. Otherwise, only when the
  // text has a digit, a cue word (codes, street words, postal code shapes) can.
  bool any_digit = false;
  int run = 0, seps = 0;
  char prev = 0;
  auto is_digit = [](char b) { return b >= '0' && b <= '9'; };
  auto is_upper = [](char b) { return b >= 'A' && b <= 'Z'; };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      if (++run >= 7 || is_upper(prev)) return true;
      seps = 0;
      any_digit = true;
    } else if (c == '@' || (is_upper(c) && is_digit(prev)) || PasswordWordAt(text, i)) {
      return true;
    } else if (run > 0 &&
               (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '+') &&
               ++seps <= 2) {
      // a separator inside a number: keep counting
    } else {
      run = 0;
      seps = 0;
    }
    prev = c;
  }
  return any_digit &&
         RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *impl_->cue_words);
}

namespace {

// The big pattern over text[begin, end); spans stay relative to the whole text.
void ScanRange(const RE2& pattern, std::string_view text, size_t begin, size_t end,
               Collector& collect) {
  const re2::StringPiece full(text.data(), text.size());
  std::array<re2::StringPiece, kGroupCount + 1> g;
  size_t pos = begin;
  while (pos < end) {
    if (!pattern.Match(full, pos, end, RE2::UNANCHORED, g.data(), static_cast<int>(g.size()))) {
      break;
    }
    const size_t search_from = pos;
    size_t match_end = static_cast<size_t>(g[0].data() - text.data()) + g[0].size();
    pos = std::max(match_end, pos + 1);
    int group = 0;
    for (int i = 1; i <= kGroupCount; ++i) {
      if (g[static_cast<size_t>(i)].data() != nullptr) {
        group = i;
        break;
      }
    }
    if (group == 0) continue;
    const re2::StringPiece& m = g[static_cast<size_t>(group)];
    size_t s = static_cast<size_t>(m.data() - text.data());
    size_t e = s + m.size();
    std::string_view v(m.data(), m.size());
    switch (group) {
      case kGEmail:
        collect.Add(PiiType::kEmail, s, e, "", Lower(v));
        break;
      case kGIban: {
        std::string iban = checksum::AlnumUpper(v);
        if (checksum::Iban(iban)) collect.Add(PiiType::kIban, s, e, iban.substr(0, 2), iban);
        break;
      }
      case kGCodiceFiscale:
        if (IsItalianCodiceFiscale(v)) {
          collect.Add(PiiType::kNationalId, s, e, "it_codice_fiscale", std::string(v));
        }
        break;
      case kGDni:
        if (IsSpanishNie(v)) {
          collect.Add(PiiType::kNationalId, s, e, "es_nie", checksum::AlnumUpper(v));
        } else if (IsSpanishDni(v)) {
          collect.Add(PiiType::kNationalId, s, e, "es_dni", checksum::AlnumUpper(v));
        }
        break;
      case kGChinaId:
        if (IsChineseResidentId(v)) {
          collect.Add(PiiType::kNationalId, s, e, "cn_resident_id", std::string(v));
        } else {
          collect.ClassifyNumber(s, e);
        }
        break;
      case kGSecretKey: {
        while (!v.empty() && std::strchr(" \t\n:=", v.back()) != nullptr) v.remove_suffix(1);
        if (v.size() >= 3 && v.substr(v.size() - 3) == "\xEF\xBC\x9A") v.remove_suffix(3);  // '：'
        const re2::StringPiece& value = g[kGSecretValue];
        std::string_view val(value.data(), value.size());
        while (!val.empty() && std::strchr(".,;!?)\"'", val.back()) != nullptr) {
          val.remove_suffix(1);
        }
        size_t vs = static_cast<size_t>(value.data() - text.data());
        if (IsSecretWord(v)) {
          std::string lower = Lower(val);
          bool stop = val.size() < 3 || std::any_of(std::begin(kNotSecrets), std::end(kNotSecrets),
                                                    [&](std::string_view w) { return lower == w; });
          if (!stop) collect.Add(PiiType::kPassword, vs, vs + val.size(), "", std::string(val));
        } else if (val.size() >= 4 && val.size() <= 8 &&
                   std::all_of(val.begin(), val.end(),
                               [](char c) { return c >= '0' && c <= '9'; })) {
          collect.Add(PiiType::kOneTimeCode, vs, vs + val.size(), "", std::string(val));
        } else {
          pos = std::max(vs, search_from + 1);  // the value may itself be a number
        }
        break;
      }
      case kGAddressEn:
      case kGAddressDe:
      case kGAddressRomance:
        collect.Add(PiiType::kAddress, s, e, "", std::string(v));
        break;
      case kGPostalUk:
      case kGPostalUs:
      case kGPostalJp:
      case kGPostalEu:
        collect.Add(PiiType::kPostalCode, s, e, "", std::string(v));
        break;
      case kGNumber:
        collect.ClassifyNumber(s, e);
        break;
      default:
        break;
    }
  }
}

}  // namespace

std::vector<PiiMatch> PiiScanner::Scan(std::string_view text, const ScanOptions& options) const {
  std::vector<PiiMatch> out;
  Collector collect(text, options, out);
  // Line by line, so that the prefilter skips the many lines of a long text without PII.
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t newline = text.find('\n', line_start);
    size_t line_end = newline == std::string_view::npos ? text.size() : newline + 1;
    if (MayContainPii(text.substr(line_start, line_end - line_start))) {
      ScanRange(*impl_->pattern, text, line_start, line_end, collect);
    }
    line_start = line_end;
  }
  return out;
}

}  // namespace meridian::nlp
