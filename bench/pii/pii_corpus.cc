#include "bench/pii/pii_corpus.h"

#include <cstdio>
#include <functional>
#include <random>

#include "nlp/entities/checksum.h"
#include "nlp/entities/entities.h"

namespace meridian::bench {
namespace {

using Rng = std::mt19937_64;
using nlp::PiiType;

int Uniform(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

template <typename T>
const T& Pick(Rng& rng, const std::vector<T>& v) {
  return v[static_cast<size_t>(Uniform(rng, 0, static_cast<int>(v.size()) - 1))];
}

std::string Digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + Uniform(rng, 0, 9)));
  return s;
}

std::string Letters(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('A' + Uniform(rng, 0, 25)));
  return s;
}

// Appends the digit that makes `valid(payload + d)` true (there is one for Luhn and Verhoeff).
std::string Complete(const std::string& payload,
                     const std::function<bool(std::string_view)>& valid) {
  for (char d = '0'; d <= '9'; ++d) {
    if (valid(payload + d)) return payload + d;
  }
  return "";
}

std::string Group(const std::string& s, const std::vector<int>& sizes, char sep) {
  std::string out;
  size_t pos = 0;
  for (int size : sizes) {
    if (pos >= s.size()) break;
    if (!out.empty()) out.push_back(sep);
    out += s.substr(pos, static_cast<size_t>(size));
    pos += static_cast<size_t>(size);
  }
  if (pos < s.size()) out += s.substr(pos);
  return out;
}

std::string Card(Rng& rng) {
  struct Issuer {
    std::string prefix;
    int length;
  };
  static const std::vector<Issuer> kIssuers = {{"4", 16},  {"4", 16},    {"51", 16},   {"53", 16},
                                               {"55", 16}, {"2221", 16}, {"2720", 16}, {"34", 15},
                                               {"37", 15}, {"6011", 16}, {"65", 16},   {"3530", 16},
                                               {"62", 16}, {"62", 19},   {"36", 14},   {"4", 19}};
  const Issuer& issuer = Pick(rng, kIssuers);
  std::string number = Complete(
      issuer.prefix + Digits(rng, issuer.length - 1 - static_cast<int>(issuer.prefix.size())),
      nlp::checksum::Luhn);
  switch (Uniform(rng, 0, 2)) {
    case 0:
      return number;
    case 1:
      return issuer.length == 15 ? Group(number, {4, 6, 5}, ' ') : Group(number, {4, 4, 4, 4}, ' ');
    default:
      return issuer.length == 15 ? Group(number, {4, 6, 5}, '-') : Group(number, {4, 4, 4, 4}, '-');
  }
}

int Mod97(const std::string& s) {
  int r = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      r = (r * 10 + (c - '0')) % 97;
    } else {
      r = (r * 100 + (c - 'A' + 10)) % 97;
    }
  }
  return r;
}

std::string Iban(Rng& rng) {
  struct Country {
    const char* code;
    std::function<std::string(Rng&)> bban;
  };
  static const std::vector<Country> kCountries = {
      {"DE", [](Rng& r) { return Digits(r, 18); }},
      {"GB", [](Rng& r) { return Letters(r, 4) + Digits(r, 14); }},
      {"FR", [](Rng& r) { return Digits(r, 23); }},
      {"ES", [](Rng& r) { return Digits(r, 20); }},
      {"NL", [](Rng& r) { return Letters(r, 4) + Digits(r, 10); }},
      {"IT", [](Rng& r) { return Letters(r, 1) + Digits(r, 22); }},
      {"BE", [](Rng& r) { return Digits(r, 12); }},
  };
  const Country& c = Pick(rng, kCountries);
  std::string bban = c.bban(rng);
  int check = 98 - Mod97(bban + c.code + "00");
  char cd[8];
  std::snprintf(cd, sizeof cd, "%02d", check);
  std::string iban = std::string(c.code) + cd + bban;
  return Uniform(rng, 0, 1) ? iban : Group(iban, {4, 4, 4, 4, 4, 4, 4, 4}, ' ');
}

char DniLetter(long long n) { return "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]; }

std::string Cpf(Rng& rng) {
  std::string d = Digits(rng, 9);
  for (int round = 0; round < 2; ++round) {
    int sum = 0, weight = static_cast<int>(d.size()) + 1;
    for (char c : d) sum += (c - '0') * weight--;
    d.push_back(static_cast<char>('0' + sum * 10 % 11 % 10));
  }
  return d;
}

std::string ChinaId(Rng& rng) {
  static const std::vector<std::string> kAreas = {"110105", "310104", "440305", "510107"};
  char birth[16];
  std::snprintf(birth, sizeof birth, "%04d%02d%02d", Uniform(rng, 1950, 2005), Uniform(rng, 1, 12),
                Uniform(rng, 1, 28));
  std::string id = Pick(rng, kAreas) + birth + Digits(rng, 3);
  static constexpr int kW[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * kW[i];
  return id + "10X98765432"[sum % 11];
}

std::string CodiceFiscale(Rng& rng) {
  static constexpr int kOdd[26] = {1,  0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                                   20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
  static const std::string kMonths = "ABCDEHLMPRST";
  char day[8];
  std::snprintf(day, sizeof day, "%02d", Uniform(rng, 1, 71));
  std::string cf = Letters(rng, 6) + Digits(rng, 2) +
                   kMonths[static_cast<size_t>(Uniform(rng, 0, 11))] + day + Letters(rng, 1) +
                   Digits(rng, 3);
  int sum = 0;
  for (size_t i = 0; i < 15; ++i) {
    int v = cf[i] >= '0' && cf[i] <= '9' ? cf[i] - '0' : cf[i] - 'A';
    sum += i % 2 == 0 ? kOdd[v] : v;
  }
  return cf + static_cast<char>('A' + sum % 26);
}

std::string Bsn(Rng& rng) {
  while (true) {
    std::string d = Digits(rng, 8);
    if (d[0] == '0') continue;
    std::string full = Complete(d, nlp::IsDutchBsn);
    if (!full.empty()) return full;
  }
}

std::string Pesel(Rng& rng) {
  char head[16];
  std::snprintf(head, sizeof head, "%02d%02d%02d", Uniform(rng, 0, 99),
                Uniform(rng, 1, 12) + (Uniform(rng, 0, 1) ? 20 : 0), Uniform(rng, 1, 28));
  return Complete(head + Digits(rng, 4), nlp::IsPolishPesel);
}

std::string Ssn(Rng& rng) {
  int area = Uniform(rng, 1, 899);
  if (area == 666) area = 667;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d-%02d-%04d", area, Uniform(rng, 1, 99),
                Uniform(rng, 1, 9999));
  return buf;
}

std::string Aadhaar(Rng& rng) {
  std::string d = std::to_string(Uniform(rng, 2, 9)) + Digits(rng, 10);
  return Group(Complete(d, nlp::checksum::Verhoeff), {4, 4, 4}, Uniform(rng, 0, 3) ? ' ' : '-');
}

struct Phone {
  std::string text;
  std::string region;
};

Phone MakePhone(Rng& rng) {
  while (true) {
    Phone p;
    switch (Uniform(rng, 0, 7)) {
      case 0:
        p = {"+1 415-555-" + Digits(rng, 4), "US"};
        break;
      case 1:
        p = {"(212) 555-" + Digits(rng, 4), "US"};
        break;
      case 2:
        p = {"+49 30 " + Digits(rng, 7), "DE"};
        break;
      case 3:
        p = {"0151 " + Digits(rng, 8), "DE"};
        break;
      case 4:
        p = {"+44 20 7946 " + Digits(rng, 4), "GB"};
        break;
      case 5:
        p = {"06 " + Group(Digits(rng, 8), {2, 2, 2, 2}, ' '), "FR"};
        break;
      case 6:
        p = {"+55 11 9" + Digits(rng, 4) + "-" + Digits(rng, 4), "BR"};
        break;
      default:
        p = {"138 " + Digits(rng, 4) + " " + Digits(rng, 4), "CN"};
        break;
    }
    if (nlp::IsValidPhone(p.text, p.region, nullptr)) return p;
  }
}

std::string Email(Rng& rng) {
  static const std::vector<std::string> kNames = {"anna",     "jo.doe",      "li.wei",  "m.garcia",
                                                  "k_tanaka", "pierre+shop", "olga1987"};
  static const std::vector<std::string> kDomains = {"gmail.com", "web.de", "example.co.uk",
                                                    "yahoo.fr",  "qq.com", "outlook.com.br"};
  return Pick(rng, kNames) + std::to_string(Uniform(rng, 0, 99)) + "@" + Pick(rng, kDomains);
}

struct Template {
  std::string before;
  std::string after;
};

LabeledLine Wrap(Rng& rng, const std::vector<Template>& templates, const std::string& value,
                 PiiType type, std::string region, std::string kind) {
  static const std::vector<std::string> kTails = {"",
                                                  " Thanks!",
                                                  " Danke.",
                                                  " Gracias.",
                                                  " Merci !",
                                                  " 谢谢",
                                                  " Order #48213 still not here.",
                                                  " It was 49,90 € on 12/03/2024.",
                                                  " tracking RR123456785CN",
                                                  " Please hurry, 3 items."};
  const Template& t = Pick(rng, templates);
  LabeledLine line;
  line.text = t.before + value + t.after + Pick(rng, kTails);
  line.region = std::move(region);
  line.kind = std::move(kind);
  line.spans.push_back({type, t.before.size(), t.before.size() + value.size()});
  return line;
}

LabeledLine OnePiiLine(Rng& rng) {
  static const std::vector<Template> kCard = {{"Hi, my card number is ", ", can you refund?"},
                                              {"Meine Kreditkarte: ", " bitte stornieren."},
                                              {"Pagué con la tarjeta ", " y no llegó nada"},
                                              {"Ma carte ", " a été débitée deux fois."},
                                              {"我的卡号是", "，请退款"},
                                              {"カード番号は", "です"},
                                              {"card ", " exp 09/27 cvv on the back"},
                                              {"charged twice on ", ""}};
  static const std::vector<Template> kIban = {{"IBAN: ", ""},
                                              {"Überweisen Sie bitte auf ", "."},
                                              {"my bank account is ", " for the refund"},
                                              {"mi cuenta ", ", gracias"}};
  static const std::vector<Template> kId = {
      {"my id is ", ""}, {"ID number: ", "."}, {"documento ", " por favor"}, {"", " is my number"}};
  static const std::vector<Template> kPhone = {{"call me at ", " after 6pm"},
                                               {"Tel.: ", ""},
                                               {"mi número es ", ""},
                                               {"my number ", ", whatsapp too"},
                                               {"电话", "，谢谢"}};
  static const std::vector<Template> kEmail = {
      {"email me at ", ""}, {"meine Mail: ", " danke"}, {"correo ", "."}, {"contact: ", " (work)"}};
  Rng& r = rng;
  switch (Uniform(r, 0, 15)) {
    case 0:
    case 1:
    case 2:
      return Wrap(r, kCard, Card(r), PiiType::kCardNumber, "US", "card");
    case 3:
      return Wrap(r, kIban, Iban(r), PiiType::kIban, "DE", "iban");
    case 4: {
      std::string dni = Digits(r, 8);
      dni.push_back(DniLetter(std::stoll(dni)));
      return Wrap(r, {{"mi DNI es ", ""}, {"DNI ", " gracias"}, {"NIF: ", "."}}, dni,
                  PiiType::kNationalId, "ES", "es_dni");
    }
    case 5: {
      std::string cpf = Cpf(r);
      bool formatted = Uniform(r, 0, 1);
      std::string text = formatted ? cpf.substr(0, 3) + "." + cpf.substr(3, 3) + "." +
                                         cpf.substr(6, 3) + "-" + cpf.substr(9)
                                   : cpf;
      return Wrap(r, {{"meu CPF é ", ""}, {"CPF: ", " obrigado"}}, text, PiiType::kNationalId, "BR",
                  "br_cpf");
    }
    case 6:
      return Wrap(r, {{"身份证号 ", ""}, {"我的身份证是", "。"}}, ChinaId(r), PiiType::kNationalId,
                  "CN", "cn_resident_id");
    case 7:
      return Wrap(r, {{"codice fiscale ", ""}, {"CF: ", ", grazie"}}, CodiceFiscale(r),
                  PiiType::kNationalId, "IT", "it_codice_fiscale");
    case 8:
      return Wrap(r, {{"mijn BSN is ", ""}, {"BSN: ", " alstublieft"}}, Bsn(r),
                  PiiType::kNationalId, "NL", "nl_bsn");
    case 9:
      return Wrap(r, {{"PESEL ", ""}, {"mój PESEL to ", "."}}, Pesel(r), PiiType::kNationalId, "PL",
                  "pl_pesel");
    case 10:
      return Wrap(r, kId, Ssn(r), PiiType::kNationalId, "US", "us_ssn");
    case 11:
      return Wrap(r, {{"Aadhaar ", ""}, {"my aadhaar no. ", " please verify"}}, Aadhaar(r),
                  PiiType::kNationalId, "IN", "in_aadhaar");
    case 12: {
      Phone p = MakePhone(r);
      return Wrap(r, kPhone, p.text, PiiType::kPhone, p.region, "phone");
    }
    case 13:
      return Wrap(r, kEmail, Email(r), PiiType::kEmail, "US", "email");
    case 14: {
      static const std::vector<std::string> kSecrets = {"hunter2",   "Sommer2024", "qwerty!9",
                                                        "Tr0ub4dor", "mar1posa",   "geheim99"};
      return Wrap(r,
                  {{"my password is ", ""},
                   {"mein Passwort ist ", ", bitte ändern"},
                   {"contraseña: ", ""},
                   {"password: ", " (please reset)"}},
                  Pick(r, kSecrets), PiiType::kPassword, "US", "password");
    }
    default: {
      std::string code = Digits(r, Uniform(r, 4, 8));
      return Wrap(r,
                  {{"the code is ", ""},
                   {"code: ", "."},
                   {"verification code ", " expired"},
                   {"验证码", ""}},
                  code, PiiType::kOneTimeCode, "US", "one_time_code");
    }
  }
}

std::string S10(Rng& rng) {
  std::string serial = Digits(rng, 8);
  static constexpr int kW[8] = {8, 6, 4, 2, 3, 5, 9, 7};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (serial[static_cast<size_t>(i)] - '0') * kW[i];
  int check = 11 - sum % 11;
  if (check == 10) check = 0;
  if (check == 11) check = 5;
  static const std::vector<std::string> kCountries = {"CN", "GB", "DE", "NL", "US", "FR"};
  return Letters(rng, 2) + serial + std::to_string(check) + Pick(rng, kCountries);
}

std::string Ean13(Rng& rng) {
  std::string d = Pick(rng, std::vector<std::string>{"400", "401", "590", "690", "841", "500"}) +
                  Digits(rng, 9);
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) sum += (d[i] - '0') * (i % 2 ? 3 : 1);
  return d + static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string LookAlike(Rng& rng) {
  char buf[64];
  switch (Uniform(rng, 0, 20)) {
    case 18:  // a reference number with no Luhn constraint: 1 in 10 passes Luhn
      return "ref " + Digits(rng, 16);
    case 19:  // a US-looking 10-digit number that is not a phone
      return "ticket " + std::to_string(Uniform(rng, 2, 9)) + Digits(rng, 9);
    case 20:  // a phone-like SKU
      return "SKU 0" + Digits(rng, 2) + "-" + Digits(rng, 3) + "-" + Digits(rng, 4);
    case 0:
      return "#" + std::to_string(Uniform(rng, 1000, 9999999));
    case 1:
      return "order " + std::to_string(Uniform(rng, 100000, 99999999));
    case 2:
      return "Bestellung " + std::to_string(Uniform(rng, 100000, 9999999));
    case 3:
      std::snprintf(buf, sizeof buf, "ORD-2024-%05d", Uniform(rng, 1, 99999));
      return buf;
    case 4:
      return "tracking " + S10(rng);
    case 5:
      return "ups 1Z999AA10123456784";
    case 6: {
      std::string fedex;
      do {
        fedex = Digits(rng, 12);
      } while (!nlp::checksum::FedEx12(fedex));
      return "fedex " + fedex;
    }
    case 7: {
      std::string usps;
      do {
        usps = "9400" + Digits(rng, 18);
      } while (!nlp::checksum::UspsImpb(usps));
      return "USPS " + Group(usps, {4, 4, 4, 4, 4, 2}, ' ');
    }
    case 8:
      std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", Uniform(rng, 1, 28), Uniform(rng, 1, 12),
                    Uniform(rng, 2020, 2026));
      return buf;
    case 9:
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", Uniform(rng, 2020, 2026),
                    Uniform(rng, 1, 12), Uniform(rng, 1, 28), Uniform(rng, 0, 23),
                    Uniform(rng, 0, 59));
      return buf;
    case 10:
      std::snprintf(buf, sizeof buf, "%d.%03d,%02d €", Uniform(rng, 1, 9), Uniform(rng, 0, 999),
                    Uniform(rng, 0, 99));
      return buf;
    case 11:
      std::snprintf(buf, sizeof buf, "$%d.%02d", Uniform(rng, 1, 999), Uniform(rng, 0, 99));
      return buf;
    case 12:
      return "SKU " + Ean13(rng);
    case 13:
      std::snprintf(buf, sizeof buf, "art. %04d-%03d-%03d", Uniform(rng, 1000, 9999),
                    Uniform(rng, 0, 999), Uniform(rng, 0, 999));
      return buf;
    case 14:
      std::snprintf(buf, sizeof buf, "INV-2024-%06d", Uniform(rng, 1, 999999));
      return buf;
    case 15:
      std::snprintf(buf, sizeof buf, "model XR-%d size %d", Uniform(rng, 100, 9999),
                    Uniform(rng, 36, 46));
      return buf;
    case 16:
      return "EAN " + Ean13(rng);
    default:
      std::snprintf(buf, sizeof buf, "%d items, %d boxes, %dkg", Uniform(rng, 1, 9),
                    Uniform(rng, 1, 5), Uniform(rng, 1, 30));
      return buf;
  }
}

}  // namespace

std::vector<LabeledLine> PiiLines(uint64_t seed, size_t count) {
  Rng rng(seed);
  std::vector<LabeledLine> lines;
  for (size_t i = 0; i < count; ++i) lines.push_back(OnePiiLine(rng));
  return lines;
}

std::vector<LabeledLine> LookAlikeLines(uint64_t seed, size_t count) {
  Rng rng(seed);
  static const std::vector<std::string> kJoins = {", ",  " and ", "; ",   " - ",
                                                  " / ", " y ",   " und "};
  std::vector<LabeledLine> lines;
  for (size_t i = 0; i < count; ++i) {
    LabeledLine line;
    line.region = Pick(rng, std::vector<std::string>{"US", "DE", "GB", "FR", "ES", "BR", "CN"});
    line.kind = "look_alike";
    int n = Uniform(rng, 2, 4);
    line.text = "Hi, ";
    for (int k = 0; k < n; ++k) {
      if (k) line.text += Pick(rng, kJoins);
      line.text += LookAlike(rng);
    }
    if (Uniform(rng, 0, 9) < 3) {  // some lines also carry real PII
      LabeledLine pii = OnePiiLine(rng);
      size_t offset = line.text.size() + 2;
      line.text += ". " + pii.text;
      for (LabeledSpan s : pii.spans) {
        s.start += offset;
        s.end += offset;
        line.spans.push_back(s);
      }
      line.region = pii.region;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string ChatText(uint64_t seed, size_t bytes, int pii_per_mille) {
  Rng rng(seed);
  static const std::vector<std::string> kMessages = {
      "Hello, where is my parcel? It has been a week.",
      "Thanks for your help, have a nice day!",
      "Can I return the shoes if they don't fit?",
      "Hallo, meine Bestellung ist noch nicht angekommen.",
      "Vielen Dank für die schnelle Antwort.",
      "Hola, ¿cuándo llega mi pedido? Gracias.",
      "Bonjour, je voudrais annuler ma commande s'il vous plaît.",
      "您好，我的包裹什么时候到？",
      "The package arrived damaged, the box was open.",
      "Do you ship to Canada? What are the customs fees?",
      "I ordered the blue one but got the red one.",
      "ok",
      "Is there a discount for the second item?",
      "Ich möchte die Rechnung bitte per Mail erhalten.",
      "My order #48213 still says processing.",
      "I paid 49,90 € but was charged twice.",
      "It should have arrived on 12/03, can you check?",
      "Size 42 please, not 44.",
      "Obrigado pela ajuda!",
      "Can you send a replacement instead of a refund?",
  };
  std::string out;
  while (out.size() < bytes) {
    if (Uniform(rng, 0, 999) < pii_per_mille) {
      out += OnePiiLine(rng).text;
    } else {
      out += Pick(rng, kMessages);
    }
    out.push_back('\n');
  }
  return out;
}

EvalResult Evaluate(const nlp::PiiScanner& scanner, const std::vector<LabeledLine>& lines,
                    std::vector<std::string>* mistakes) {
  EvalResult result;
  for (const LabeledLine& line : lines) {
    nlp::ScanOptions options;
    options.region = line.region;
    std::vector<nlp::PiiMatch> found = scanner.Scan(line.text, options);
    auto overlaps = [](size_t a0, size_t a1, size_t b0, size_t b1) { return a0 < b1 && b0 < a1; };
    for (const LabeledSpan& s : line.spans) {
      ++result.expected;
      bool hit = false;
      for (const auto& m : found)
        hit = hit || (m.type == s.type && overlaps(m.start, m.end, s.start, s.end));
      if (hit) {
        ++result.found_expected;
      } else if (mistakes != nullptr) {
        mistakes->push_back("missed " + std::string(nlp::PiiTypeName(s.type)) + " [" + line.kind +
                            "] in: " + line.text);
      }
    }
    for (const auto& m : found) {
      ++result.reported;
      bool ok = false;
      for (const auto& s : line.spans)
        ok = ok || (m.type == s.type && overlaps(m.start, m.end, s.start, s.end));
      if (ok) {
        ++result.correct;
      } else if (mistakes != nullptr) {
        mistakes->push_back("false " + std::string(nlp::PiiTypeName(m.type)) + " '" +
                            line.text.substr(m.start, m.end - m.start) + "' in: " + line.text);
      }
    }
  }
  return result;
}

}  // namespace meridian::bench
