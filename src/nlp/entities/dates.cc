// Dates, absolute ("2024-03-12", "12/03", "3 March", "3月12日") and relative ("yesterday",
// "vor 3 Tagen", "hace 2 días", "il y a 3 jours", "last Tuesday", "昨天", "3日前"), resolved to a
// civil date in the customer's IANA zone relative to a reference instant. Zone offsets come
// from ICU so that "yesterday" shortly after local midnight, or across a DST change, is the
// customer's yesterday, not UTC's.

#include <re2/re2.h>
#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nlp/entities/entities.h"

namespace meridian::nlp {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int year;
  int month;
  int day;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool ValidDate(int y, int m, int d) {
  return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

// 0 = Monday .. 6 = Sunday.
int Weekday(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

// The customer's zone and "today" in it.
class LocalTime {
 public:
  LocalTime(const std::string& zone, TimestampMs now_ms) {
    tz_.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone)));
    icu::UnicodeString id;
    if (*tz_ == icu::TimeZone::getUnknown()) {
      tz_.reset(icu::TimeZone::createTimeZone("UTC"));
    }
    UErrorCode status = U_ZERO_ERROR;
    int32_t raw = 0, dst = 0;
    tz_->getOffset(static_cast<UDate>(now_ms), false, raw, dst, status);
    if (U_FAILURE(status)) raw = dst = 0;
    int64_t local = now_ms + raw + dst;
    today_ = local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs;
  }
  int64_t today() const { return today_; }

  // UTC instant of local midnight at the start of `days` (or the first instant of that day
  // when midnight does not exist because of a DST jump).
  TimestampMs DayStart(int64_t days) const {
    Civil c = CivilFromDays(days);
    UErrorCode status = U_ZERO_ERROR;
    icu::GregorianCalendar cal(*tz_, status);
    if (U_FAILURE(status)) return days * kDayMs;
    cal.clear();
    cal.set(c.year, c.month - 1, c.day, 0, 0, 0);
    UDate t = cal.getTime(status);
    if (U_FAILURE(status)) return days * kDayMs;
    return static_cast<TimestampMs>(std::llround(t));
  }

 private:
  std::unique_ptr<icu::TimeZone> tz_;
  int64_t today_ = 0;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

int ParseInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
    if (v > 100000) return -1;
  }
  return s.empty() ? -1 : v;
}

const std::map<std::string, int>& MonthNames() {
  static const auto* kMonths = new std::map<std::string, int>{// en
                                                              {"january", 1},
                                                              {"february", 2},
                                                              {"march", 3},
                                                              {"april", 4},
                                                              {"may", 5},
                                                              {"june", 6},
                                                              {"july", 7},
                                                              {"august", 8},
                                                              {"september", 9},
                                                              {"october", 10},
                                                              {"november", 11},
                                                              {"december", 12},
                                                              {"jan", 1},
                                                              {"feb", 2},
                                                              {"mar", 3},
                                                              {"apr", 4},
                                                              {"jun", 6},
                                                              {"jul", 7},
                                                              {"aug", 8},
                                                              {"sep", 9},
                                                              {"sept", 9},
                                                              {"oct", 10},
                                                              {"nov", 11},
                                                              {"dec", 12},
                                                              // de
                                                              {"januar", 1},
                                                              {"jänner", 1},
                                                              {"februar", 2},
                                                              {"märz", 3},
                                                              {"maerz", 3},
                                                              {"mai", 5},
                                                              {"juni", 6},
                                                              {"juli", 7},
                                                              {"oktober", 10},
                                                              {"dezember", 12},
                                                              // es
                                                              {"enero", 1},
                                                              {"febrero", 2},
                                                              {"marzo", 3},
                                                              {"abril", 4},
                                                              {"mayo", 5},
                                                              {"junio", 6},
                                                              {"julio", 7},
                                                              {"agosto", 8},
                                                              {"septiembre", 9},
                                                              {"setiembre", 9},
                                                              {"octubre", 10},
                                                              {"noviembre", 11},
                                                              {"diciembre", 12},
                                                              // fr
                                                              {"janvier", 1},
                                                              {"février", 2},
                                                              {"fevrier", 2},
                                                              {"mars", 3},
                                                              {"avril", 4},
                                                              {"juin", 6},
                                                              {"juillet", 7},
                                                              {"août", 8},
                                                              {"aout", 8},
                                                              {"septembre", 9},
                                                              {"octobre", 10},
                                                              {"novembre", 11},
                                                              {"décembre", 12},
                                                              {"decembre", 12},
                                                              // it
                                                              {"gennaio", 1},
                                                              {"febbraio", 2},
                                                              {"aprile", 4},
                                                              {"maggio", 5},
                                                              {"giugno", 6},
                                                              {"luglio", 7},
                                                              {"settembre", 9},
                                                              {"ottobre", 10},
                                                              {"dicembre", 12},
                                                              // pt
                                                              {"janeiro", 1},
                                                              {"fevereiro", 2},
                                                              {"março", 3},
                                                              {"marco", 3},
                                                              {"maio", 5},
                                                              {"junho", 6},
                                                              {"julho", 7},
                                                              {"setembro", 9},
                                                              {"outubro", 10},
                                                              {"novembro", 11},
                                                              {"dezembro", 12},
                                                              // nl
                                                              {"januari", 1},
                                                              {"februari", 2},
                                                              {"maart", 3},
                                                              {"mei", 5},
                                                              {"augustus", 8}};
  return *kMonths;
}

std::string MonthAlternation() {
  std::vector<std::string> names;
  for (const auto& [name, month] : MonthNames()) names.push_back(name);
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string alt;
  for (const auto& n : names) alt += (alt.empty() ? "" : "|") + n;
  return "(" + alt + ")";
}

int NumberWord(std::string_view word) {
  static const auto* kWords = new std::map<std::string, int, std::less<>>{
      {"a", 1},     {"an", 1},     {"one", 1},    {"un", 1},     {"una", 1},     {"une", 1},
      {"um", 1},    {"uma", 1},    {"een", 1},    {"einem", 1},  {"einer", 1},   {"一", 1},
      {"two", 2},   {"zwei", 2},   {"dos", 2},    {"deux", 2},   {"due", 2},     {"dois", 2},
      {"duas", 2},  {"twee", 2},   {"二", 2},     {"两", 2},     {"three", 3},   {"drei", 3},
      {"tres", 3},  {"trois", 3},  {"tre", 3},    {"três", 3},   {"drie", 3},    {"三", 3},
      {"four", 4},  {"vier", 4},   {"cuatro", 4}, {"quatre", 4}, {"quattro", 4}, {"quatro", 4},
      {"四", 4},    {"five", 5},   {"fünf", 5},   {"cinco", 5},  {"cinq", 5},    {"cinque", 5},
      {"五", 5},    {"six", 6},    {"sechs", 6},  {"seis", 6},   {"sei", 6},     {"六", 6},
      {"seven", 7}, {"sieben", 7}, {"siete", 7},  {"sept", 7},   {"sette", 7},   {"sete", 7},
      {"七", 7},    {"ten", 10},   {"zehn", 10},  {"diez", 10},  {"dix", 10},    {"dieci", 10},
      {"dez", 10},  {"十", 10}};
  int n = ParseInt(word);
  if (n >= 0) return n;
  auto it = kWords->find(Lower(word));
  return it == kWords->end() ? -1 : it->second;
}

// Unit word -> days per unit (months are returned as -1 and handled by calendar arithmetic).
int UnitDays(std::string_view unit) {
  std::string u = Lower(unit);
  static constexpr std::string_view kWeek[] = {
      "week", "woche", "semana", "semaine", "settimana", "settimane", "weken", "周", "星期", "週"};
  static constexpr std::string_view kMonth[] = {"month", "monat", "mes",  "mois", "mese",
                                                "mesi",  "mês",   "个月", "か月", "ヶ月"};
  for (auto w : kWeek) {
    if (u.rfind(w, 0) == 0) return 7;
  }
  for (auto m : kMonth) {
    if (u.rfind(m, 0) == 0) return -1;
  }
  return 1;
}

int64_t AddMonths(int64_t days, int months) {
  Civil c = CivilFromDays(days);
  int total = c.year * 12 + (c.month - 1) + months;
  int y = total / 12, m = total % 12 + 1;
  return DaysFromCivil(y, static_cast<unsigned>(m),
                       static_cast<unsigned>(std::min(c.day, DaysInMonth(y, m))));
}

// A date without a year is taken in the year that puts it nearest to today.
int64_t NearestYear(int64_t today, int month, int day) {
  int year = CivilFromDays(today).year;
  int64_t best = 0;
  int64_t best_distance = INT64_MAX;
  for (int y = year - 1; y <= year + 1; ++y) {
    if (!ValidDate(y, month, day)) continue;
    int64_t d = DaysFromCivil(y, static_cast<unsigned>(month), static_cast<unsigned>(day));
    int64_t distance = d > today ? d - today : today - d;
    if (distance < best_distance) {
      best = d;
      best_distance = distance;
    }
  }
  return best_distance == INT64_MAX ? INT64_MIN : best;
}

bool MonthFirst(std::string_view region) {
  return region == "US" || region == "PH" || region == "FM" || region == "MH";
}

// The zone is loaded only when the text has a date: most messages have none, and building an
// ICU TimeZone costs more than scanning a message.
class LazyLocalTime {
 public:
  explicit LazyLocalTime(const ExtractOptions& options) : options_(options) {}
  const LocalTime& Get() {
    if (!local_) local_ = std::make_unique<LocalTime>(options_.time_zone, options_.now_ms);
    return *local_;
  }

 private:
  const ExtractOptions& options_;
  std::unique_ptr<LocalTime> local_;
};

struct Finder {
  std::string_view text;
  const ExtractOptions& options;
  LazyLocalTime& local;
  std::vector<Entity>& out;
  std::vector<std::pair<size_t, size_t>> taken;

  bool Overlaps(size_t s, size_t e) const {
    for (auto [ts, te] : taken) {
      if (s < te && ts < e) return true;
    }
    return false;
  }

  void Add(size_t start, size_t end, int64_t days, bool relative, double confidence) {
    if (days == INT64_MIN || Overlaps(start, end)) return;
    // Reject a match glued to a following ASCII letter ("mais" is not "mai").
    if (end < text.size()) {
      char next = text[end];
      if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) return;
    }
    Civil c = CivilFromDays(days);
    char iso[16];
    std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", c.year, c.month, c.day);
    Entity e;
    e.type = EntityType::kDate;
    e.start = start;
    e.end = end;
    e.text = std::string(text.substr(start, end - start));
    e.normalized = iso;
    e.relative = relative;
    e.day_start_ms = local.Get().DayStart(days);
    e.confidence = confidence;
    taken.emplace_back(start, end);
    out.push_back(std::move(e));
  }

  // Runs `re` over the text; `handle` receives the captures (n of them) and the match span.
  template <typename Handler>
  void Scan(const RE2& re, Handler handle) {
    const int n = re.NumberOfCapturingGroups();
    std::vector<re2::StringPiece> groups(static_cast<size_t>(n) + 1);
    const re2::StringPiece full(text.data(), text.size());
    size_t pos = 0;
    while (pos < text.size()) {
      if (!re.Match(full, pos, full.size(), RE2::UNANCHORED, groups.data(), n + 1)) break;
      size_t start = static_cast<size_t>(groups[0].data() - text.data());
      size_t end = start + groups[0].size();
      std::vector<std::string_view> caps;
      for (int i = 1; i <= n; ++i) {
        const auto& g = groups[static_cast<size_t>(i)];
        caps.emplace_back(g.data() ? std::string_view(g.data(), g.size()) : std::string_view());
      }
      handle(start, end, caps);
      pos = std::max(end, pos + 1);
    }
  }
};

RE2::Options CaseInsensitive() {
  RE2::Options o;
  o.set_case_sensitive(false);
  return o;
}

}  // namespace

void FindDates(std::string_view text, const ExtractOptions& options, std::vector<Entity>& out) {
  static const RE2 kIso(R"(\b(\d{4})-(\d{1,2})-(\d{1,2})\b)");
  static const RE2 kYmd(R"(\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b)");
  static const RE2 kNumericYear(R"(\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b)");
  static const RE2 kNumericNoYear(R"(\b(\d{1,2})/(\d{1,2})\b)");
  static const RE2 kGermanNoYear(R"(\b(\d{1,2})\.(\d{1,2})\.)");
  static const RE2 kCjk(R"((?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號])");
  static const std::string kMonthAlt = MonthAlternation();
  static const RE2 kDayMonth(R"(\b(\d{1,2})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?)" +
                                 kMonthAlt + R"(\.?(?:,?\s+(?:de\s+)?(\d{4}))?)",
                             CaseInsensitive());
  static const RE2 kMonthDay(
      R"(\b)" + kMonthAlt + R"(\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?)",
      CaseInsensitive());
  static const RE2 kDayWord(
      R"(\b(the day before yesterday|day before yesterday|yesterday|today|tomorrow|)"
      R"(vorgestern|gestern|heute|übermorgen|morgen|anteayer|antier|ayer|hoy|pasado mañana|)"
      R"(mañana|avant-hier|hier|aujourd'hui|après-demain|demain|l'altro ieri|ieri|oggi|)"
      R"(dopodomani|domani|anteontem|ontem|hoje|amanhã|eergisteren|gisteren|vandaag|)"
      R"(overmorgen))",
      CaseInsensitive());
  static const RE2 kCjkDayWord(R"((前天|昨天|今天|明天|后天|後天|一昨日|昨日|今日|明日|明後日))");
  static const std::string kNum =
      R"((\d{1,3}|an?|one|two|three|four|five|six|seven|ten|einem|einer|zwei|drei|vier|fünf|)"
      R"(sechs|sieben|zehn|un|una|une|dos|tres|cuatro|cinco|seis|siete|diez|deux|trois|quatre|)"
      R"(cinq|sept|dix|due|tre|quattro|cinque|sei|sette|dieci|um|uma|dois|duas|três|quatro|)"
      R"(sete|dez|een|twee|drie))";
  // Captures: count, unit. Sign given per rule.
  struct Rule {
    std::unique_ptr<RE2> re;
    int sign;
  };
  static const auto* kAgo = new std::vector<Rule>([&] {
    std::vector<Rule> rules;
    auto add = [&](const std::string& p, int sign) {
      rules.push_back({std::make_unique<RE2>(p, CaseInsensitive()), sign});
    };
    add(R"(\b)" + kNum + R"(\s+(days?|weeks?|months?)\s+ago\b)", -1);
    add(R"(\bin\s+)" + kNum + R"(\s+(days?|weeks?|months?)\b)", +1);
    add(R"(\bvor\s+)" + kNum + R"(\s+(tagen?|wochen?|monaten?))", -1);
    add(R"(\bin\s+)" + kNum + R"(\s+(tagen|wochen|monaten))", +1);
    add(R"(\bhace\s+)" + kNum + R"(\s+(días|dias|día|dia|semanas?|meses|mes))", -1);
    add(R"(\b(?:en|dentro de)\s+)" + kNum + R"(\s+(días|dias|semanas|meses))", +1);
    add(R"(\bil y a\s+)" + kNum + R"(\s+(jours?|semaines?|mois))", -1);
    add(R"(\bdans\s+)" + kNum + R"(\s+(jours?|semaines?|mois))", +1);
    add(R"(\b)" + kNum + R"(\s+(giorni|giorno|settimane|settimana|mesi|mese)\s+fa\b)", -1);
    add(R"(\b(?:há|faz)\s+)" + kNum + R"(\s+(dias?|semanas?|mês|meses))", -1);
    add(R"(\b)" + kNum + R"(\s+(dagen|dag|weken|week|maanden|maand)\s+geleden\b)", -1);
    add(R"((\d{1,3}|[一二三四五六七八九十两])\s*(天|周|星期|个月)(?:以|之)?前)", -1);
    add(R"((\d{1,3}|[一二三四五六七八九十两])\s*(天|周|星期|个月)(?:以|之)?后)", +1);
    add(R"((\d{1,3}|[一二三四五六七八九十])\s*(日|週間|か月|ヶ月)前)", -1);
    add(R"((\d{1,3}|[一二三四五六七八九十])\s*(日|週間|か月|ヶ月)後)", +1);
    return rules;
  }());
  static const RE2 kWeekdayEn(
      R"(\b(?:(last|past|next|this|coming|on)\s+)?(monday|tuesday|wednesday|thursday|friday|)"
      R"(saturday|sunday)\b)",
      CaseInsensitive());
  static const RE2 kWeekdayDe(
      R"(\b(?:(letzten|letzter|vergangenen|nächsten|kommenden|diesen|am)\s+)?(montag|dienstag|)"
      R"(mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)\b)",
      CaseInsensitive());
  static const RE2 kWeekdayEs(
      R"(\b(?:el\s+)?(?:(próximo|proximo)\s+)?(lunes|martes|miércoles|miercoles|jueves|)"
      R"(viernes|sábado|sabado|domingo)(?:\s+(pasado|que viene))?)",
      CaseInsensitive());
  static const RE2 kWeekdayFr(
      R"(\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(?:\s+(dernier|prochain))?)",
      CaseInsensitive());
  static const RE2 kWeekdayZh(R"((上|下|这|這|本)?个?(?:周|星期|礼拜|禮拜)([一二三四五六日天]))");

  LazyLocalTime local(options);
  auto today_days = [&local] { return local.Get().today(); };
  Finder f{text, options, local, out, {}};
  const bool month_first = MonthFirst(options.region);

  f.Scan(kIso, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    int y = ParseInt(c[0]), m = ParseInt(c[1]), d = ParseInt(c[2]);
    if (ValidDate(y, m, d)) {
      f.Add(s, e, DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)), false,
            0.95);
    }
  });
  f.Scan(kYmd, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    int y = ParseInt(c[0]), m = ParseInt(c[1]), d = ParseInt(c[2]);
    if (ValidDate(y, m, d)) {
      f.Add(s, e, DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)), false, 0.9);
    }
  });
  f.Scan(kNumericYear, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    int a = ParseInt(c[0]), b = ParseInt(c[1]), y = ParseInt(c[2]);
    if (c[2].size() == 2) y += 2000;
    int m = month_first ? a : b, d = month_first ? b : a;
    if (ValidDate(y, m, d)) {
      f.Add(s, e, DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)), false,
            0.85);
    }
  });
  f.Scan(kCjk, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    int m = ParseInt(c[1]), d = ParseInt(c[2]);
    if (!c[0].empty()) {
      int y = ParseInt(c[0]);
      if (ValidDate(y, m, d)) {
        f.Add(s, e, DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)), false,
              0.9);
      }
    } else {
      f.Add(s, e, NearestYear(today_days(), m, d), false, 0.85);
    }
  });
  auto month_of = [](std::string_view name) {
    auto it = MonthNames().find(Lower(name));
    return it == MonthNames().end() ? -1 : it->second;
  };
  auto add_named = [&](size_t s, size_t e, int d, int m, std::string_view year) {
    if (m < 0) return;
    if (!year.empty()) {
      int y = ParseInt(year);
      if (ValidDate(y, m, d)) {
        f.Add(s, e, DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)), false,
              0.9);
      }
    } else {
      f.Add(s, e, NearestYear(today_days(), m, d), false, 0.85);
    }
  };
  f.Scan(kDayMonth, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    add_named(s, e, ParseInt(c[0]), month_of(c[1]), c[2]);
  });
  f.Scan(kMonthDay, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    add_named(s, e, ParseInt(c[1]), month_of(c[0]), c[2]);
  });
  f.Scan(kNumericNoYear, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    // "12/03/2024" was taken above; a bare "1/2" next to more digits is a fraction or part.
    if (e < text.size() && (text[e] == '/' || text[e] == '.')) return;
    int a = ParseInt(c[0]), b = ParseInt(c[1]);
    int m = month_first ? a : b, d = month_first ? b : a;
    if (m >= 1 && m <= 12) f.Add(s, e, NearestYear(today_days(), m, d), false, 0.6);
  });
  f.Scan(kGermanNoYear, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    if (e < text.size() && text[e] >= '0' && text[e] <= '9') return;
    int d = ParseInt(c[0]), m = ParseInt(c[1]);
    if (m >= 1 && m <= 12) f.Add(s, e, NearestYear(today_days(), m, d), false, 0.7);
  });

  f.Scan(kDayWord, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    std::string w = Lower(c[0]);
    int offset = 0;
    if (w == "hier") {
      // French "yesterday" but German "here": only where French is likely.
      const std::string& r = options.region;
      if (r != "FR" && r != "BE" && r != "CA" && r != "LU" && r != "MC" && r != "CH") return;
      offset = -1;
    } else if (w == "morgen" && s >= 6 && Lower(text.substr(s - 6, 6)) == "guten ") {
      return;  // "Guten Morgen" is a greeting
    } else if (w.find("before yesterday") != std::string::npos || w == "vorgestern" ||
               w == "anteayer" || w == "antier" || w == "avant-hier" || w == "l'altro ieri" ||
               w == "anteontem" || w == "eergisteren") {
      offset = -2;
    } else if (w == "yesterday" || w == "gestern" || w == "ayer" || w == "ieri" || w == "ontem" ||
               w == "gisteren") {
      offset = -1;
    } else if (w == "tomorrow" || w == "morgen" || w == "mañana" || w == "demain" ||
               w == "domani" || w == "amanhã") {
      offset = 1;
    } else if (w == "übermorgen" || w == "pasado mañana" || w == "après-demain" ||
               w == "dopodomani" || w == "overmorgen") {
      offset = 2;
    }
    f.Add(s, e, today_days() + offset, true, 0.9);
  });
  f.Scan(kCjkDayWord, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    static const std::map<std::string_view, int> kOffsets = {
        {"前天", -2}, {"一昨日", -2}, {"昨天", -1}, {"昨日", -1}, {"今天", 0},  {"今日", 0},
        {"明天", 1},  {"明日", 1},    {"后天", 2},  {"後天", 2},  {"明後日", 2}};
    auto it = kOffsets.find(c[0]);
    if (it != kOffsets.end()) f.Add(s, e, today_days() + it->second, true, 0.9);
  });
  for (const Rule& rule : *kAgo) {
    f.Scan(*rule.re, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
      int n = NumberWord(c[0]);
      if (n < 0 || n > 400) return;
      int per = UnitDays(c[1]);
      int64_t days =
          per < 0 ? AddMonths(today_days(), rule.sign * n) : today_days() + rule.sign * n * per;
      f.Add(s, e, days, true, 0.9);
    });
  }

  // Weekdays: "last X" is the latest X strictly before today, "next X" the first strictly
  // after; a bare X (as in "it arrived on Tuesday") is the latest X on or before today.
  auto weekday_date = [&](int wd, int direction) -> int64_t {
    int today_wd = Weekday(today_days());
    if (direction < 0) {
      int back = (today_wd - wd + 7) % 7;
      return today_days() - (back == 0 ? 7 : back);
    }
    if (direction > 0) {
      int ahead = (wd - today_wd + 7) % 7;
      return today_days() + (ahead == 0 ? 7 : ahead);
    }
    return today_days() - (today_wd - wd + 7) % 7;
  };
  auto weekday_index = [](std::string_view name) {
    static const std::map<std::string, int> kNames = {
        {"monday", 0},     {"tuesday", 1},  {"wednesday", 2}, {"thursday", 3},  {"friday", 4},
        {"saturday", 5},   {"sunday", 6},   {"montag", 0},    {"dienstag", 1},  {"mittwoch", 2},
        {"donnerstag", 3}, {"freitag", 4},  {"samstag", 5},   {"sonnabend", 5}, {"sonntag", 6},
        {"lunes", 0},      {"martes", 1},   {"miércoles", 2}, {"miercoles", 2}, {"jueves", 3},
        {"viernes", 4},    {"sábado", 5},   {"sabado", 5},    {"domingo", 6},   {"lundi", 0},
        {"mardi", 1},      {"mercredi", 2}, {"jeudi", 3},     {"vendredi", 4},  {"samedi", 5},
        {"dimanche", 6}};
    std::string lower = Lower(name);
    // Lower() folds ASCII only; "SÁBADO" keeps its capital accent, so map by prefix.
    if (lower.rfind("s\xc3", 0) == 0) lower = "sábado";
    if (lower.rfind("mi\xc3", 0) == 0) lower = "miércoles";
    auto it = kNames.find(lower);
    return it == kNames.end() ? -1 : it->second;
  };
  auto direction_of = [](std::string_view word) {
    std::string w = Lower(word);
    if (w.empty() || w == "this" || w == "on" || w == "am" || w == "diesen") return 0;
    if (w == "next" || w == "coming" || w == "nächsten" || w == "kommenden" || w == "próximo" ||
        w == "proximo" || w == "que viene" || w == "prochain") {
      return 1;
    }
    return -1;
  };
  f.Scan(kWeekdayEn, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    int wd = weekday_index(c[1]);
    if (wd >= 0) f.Add(s, e, weekday_date(wd, direction_of(c[0])), true, c[0].empty() ? 0.6 : 0.85);
  });
  f.Scan(kWeekdayDe, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    int wd = weekday_index(c[1]);
    if (wd >= 0) f.Add(s, e, weekday_date(wd, direction_of(c[0])), true, c[0].empty() ? 0.6 : 0.85);
  });
  f.Scan(kWeekdayEs, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    int wd = weekday_index(c[1]);
    std::string_view dir = !c[0].empty() ? c[0] : c[2];
    if (wd >= 0) f.Add(s, e, weekday_date(wd, direction_of(dir)), true, dir.empty() ? 0.6 : 0.85);
  });
  f.Scan(kWeekdayFr, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    int wd = weekday_index(c[0]);
    if (wd >= 0) f.Add(s, e, weekday_date(wd, direction_of(c[1])), true, c[1].empty() ? 0.6 : 0.85);
  });
  f.Scan(kWeekdayZh, [&](size_t s, size_t e, const std::vector<std::string_view>& c) {
    static const std::map<std::string_view, int> kDays = {
        {"一", 0}, {"二", 1}, {"三", 2}, {"四", 3}, {"五", 4}, {"六", 5}, {"日", 6}, {"天", 6}};
    auto it = kDays.find(c[1]);
    if (it == kDays.end()) return;
    int64_t monday = today_days() - Weekday(today_days());  // weeks start on Monday in China
    int week = c[0] == "上" ? -1 : c[0] == "下" ? 1 : 0;
    f.Add(s, e, monday + 7 * week + it->second, true, 0.85);
  });
}

}  // namespace meridian::nlp
