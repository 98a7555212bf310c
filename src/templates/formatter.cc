#include "templates/formatter.h"

#include <unicode/calendar.h>
#include <unicode/curramt.h>
#include <unicode/currunit.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/timezone.h>
#include <unicode/utypes.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <vector>

namespace meridian::templates {

namespace {

using nlohmann::json;

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString FromUtf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

ArgKind KindOfSimpleType(const std::string& type) {
  if (type == "date" || type == "time") return ArgKind::kDate;
  return ArgKind::kNumber;  // number, spellout, ordinal, duration
}

void Note(PatternInfo& info, const std::string& name, ArgKind kind) {
  auto [it, inserted] = info.arguments.emplace(name, kind);
  if (!inserted && it->second == ArgKind::kText) it->second = kind;
}

// Reads "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM|-HH:MM]". Without a time, the day starts at
// midnight in `zone`; without an offset, the wall time is read in `zone`.
std::optional<UDate> ParseIsoDate(std::string_view s, const icu::TimeZone& zone) {
  auto num = [&](size_t pos, size_t len, int& out) {
    if (pos + len > s.size()) return false;
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc() && p == s.data() + pos + len;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d)) return std::nullopt;
  size_t pos = 10;
  bool has_offset = false;
  int offset_min = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    if (!num(pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' || !num(pos + 4, 2, mi)) {
      return std::nullopt;
    }
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!num(pos + 1, 2, sec)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {
        size_t start = ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
        std::string frac(s.substr(start, std::min<size_t>(3, pos - start)));
        frac.resize(3, '0');
        ms = std::stoi(frac);
      }
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      has_offset = true;
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int oh = 0, om = 0;
      if (!num(pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
          !num(pos + 4, 2, om)) {
        return std::nullopt;
      }
      offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
      has_offset = true;
      pos += 6;
    }
  }
  if (pos != s.size()) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZone> tz(has_offset ? icu::TimeZone::getGMT()->clone() : zone.clone());
  icu::GregorianCalendar cal(tz.release(), status);
  if (U_FAILURE(status)) return std::nullopt;
  cal.setLenient(false);
  cal.clear();
  cal.set(y, mo - 1, d, h, mi, sec);
  cal.set(UCAL_MILLISECOND, ms);
  UDate t = cal.getTime(status);
  if (U_FAILURE(status)) return std::nullopt;
  return t - static_cast<double>(offset_min) * 60000.0;
}

std::optional<double> NumberOf(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (!s.empty() && ec == std::errc() && p == s.data() + s.size() && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

Status InvalidParam(const std::string& name, const std::string& what) {
  return Status::Unprocessable("param '" + name + "' " + what, "invalid_param");
}

Result<icu::Formattable> ToFormattable(const std::string& name, const json& v, ArgKind kind,
                                       const icu::TimeZone& zone) {
  switch (kind) {
    case ArgKind::kNumber: {
      if (v.is_object() && v.contains("amount") && v.contains("currency")) {
        auto amount = NumberOf(v["amount"]);
        const json& code = v["currency"];
        if (!amount || !code.is_string() || code.get_ref<const std::string&>().size() != 3) {
          return InvalidParam(name, "must be {\"amount\": number, \"currency\": \"ISO 4217\"}");
        }
        icu::UnicodeString iso = FromUtf8(code.get_ref<const std::string&>());
        UErrorCode status = U_ZERO_ERROR;
        auto currency =
            std::make_unique<icu::CurrencyAmount>(*amount, iso.getTerminatedBuffer(), status);
        if (U_FAILURE(status)) return InvalidParam(name, "has an unknown currency");
        return icu::Formattable(currency.release());
      }
      if (v.is_number_integer()) return icu::Formattable(static_cast<int64_t>(v.get<int64_t>()));
      auto d = NumberOf(v);
      if (!d) return InvalidParam(name, "must be a number");
      return icu::Formattable(*d);
    }
    case ArgKind::kDate: {
      if (v.is_number()) return icu::Formattable(v.get<double>(), icu::Formattable::kIsDate);
      if (v.is_string()) {
        auto t = ParseIsoDate(v.get_ref<const std::string&>(), zone);
        if (t) return icu::Formattable(*t, icu::Formattable::kIsDate);
      }
      return InvalidParam(name, "must be an ISO 8601 date or date-time, or epoch milliseconds");
    }
    case ArgKind::kText:
      break;
  }
  if (v.is_string()) return icu::Formattable(FromUtf8(v.get_ref<const std::string&>()));
  if (v.is_number_integer()) return icu::Formattable(static_cast<int64_t>(v.get<int64_t>()));
  if (v.is_number()) return icu::Formattable(v.get<double>());
  return icu::Formattable(FromUtf8(v.dump()));
}

}  // namespace

Result<PatternInfo> ParsePattern(std::string_view pattern) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError error{};
  icu::MessagePattern mp(UMSGPAT_APOS_DOUBLE_OPTIONAL, status);
  mp.parse(FromUtf8(pattern), &error, status);
  if (U_FAILURE(status)) {
    return Status::Unprocessable(std::string("ICU ") + u_errorName(status) + " at line " +
                                     std::to_string(error.line + 1) + ", offset " +
                                     std::to_string(error.offset) + " (after \"" +
                                     ToUtf8(icu::UnicodeString(error.preContext)) + "\")",
                                 "invalid_message_format");
  }
  PatternInfo info;
  for (int32_t i = 0; i < mp.countParts(); ++i) {
    const icu::MessagePattern::Part& part = mp.getPart(i);
    if (part.getType() != UMSGPAT_PART_TYPE_ARG_START) continue;
    const icu::MessagePattern::Part& name = mp.getPart(i + 1);
    if (name.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
      return Status::Unprocessable("arguments must be named ({count}), not numbered ({0})",
                                   "numbered_argument");
    }
    std::string arg = ToUtf8(mp.getSubstring(name));
    switch (part.getArgType()) {
      case UMSGPAT_ARG_TYPE_NONE:
      case UMSGPAT_ARG_TYPE_SELECT:
        Note(info, arg, ArgKind::kText);
        break;
      case UMSGPAT_ARG_TYPE_SIMPLE: {
        const icu::MessagePattern::Part& type = mp.getPart(i + 2);
        Note(info, arg, KindOfSimpleType(ToUtf8(mp.getSubstring(type))));
        break;
      }
      default:  // plural, selectordinal, choice
        Note(info, arg, ArgKind::kNumber);
        break;
    }
  }
  return info;
}

bool IsKnownTimeZone(std::string_view zone) {
  if (zone.empty()) return false;
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(FromUtf8(zone)));
  icu::UnicodeString id;
  tz->getID(id);
  return id != icu::UnicodeString("Etc/Unknown");
}

std::string CanonicalLocale(std::string_view locale) {
  if (locale.empty() || locale.size() > 35) return "";
  for (char c : locale) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return "";
  }
  std::string tag(locale);
  for (char& c : tag) {
    if (c == '_') c = '-';
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale loc = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || loc.isBogus() || std::string(loc.getLanguage()).empty()) return "";
  std::string out = loc.toLanguageTag<std::string>(status);
  if (U_FAILURE(status) || out == "und") return "";
  return out;
}

Result<std::string> Format(std::string_view pattern, const json& params,
                           const FormatContext& context) {
  MERIDIAN_ASSIGN_OR_RETURN(PatternInfo info, ParsePattern(pattern));
  std::string tag = CanonicalLocale(context.locale);
  if (tag.empty()) {
    return Status::Unprocessable("'" + context.locale + "' is not a BCP 47 locale",
                                 "invalid_locale");
  }
  if (!IsKnownTimeZone(context.time_zone)) {
    return Status::Unprocessable("'" + context.time_zone + "' is not an IANA time zone",
                                 "invalid_time_zone");
  }
  if (!params.is_object() && !params.is_null()) {
    return Status::Unprocessable("params must be a JSON object", "invalid_field");
  }
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(FromUtf8(context.time_zone)));
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (const auto& [name, kind] : info.arguments) {
    if (params.is_null() || !params.contains(name) || params[name].is_null()) {
      return Status::Unprocessable("missing param '" + name + "'", "missing_param");
    }
    MERIDIAN_ASSIGN_OR_RETURN(icu::Formattable value,
                              ToFormattable(name, params[name], kind, *zone));
    names.push_back(FromUtf8(name));
    values.push_back(std::move(value));
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  // Date formats take their zone from the locale's "timezone" keyword (ICU 69+): no process-wide
  // default is touched, so formatting is safe from any thread.
  locale.setKeywordValue("timezone", context.time_zone.c_str(), status);
  if (U_FAILURE(status)) return Status::Internal("cannot build the ICU locale");
  UParseError error{};
  icu::MessageFormat format(FromUtf8(pattern), locale, error, status);
  if (U_FAILURE(status)) {
    return Status::Unprocessable(std::string("ICU ") + u_errorName(status),
                                 "invalid_message_format");
  }
  icu::UnicodeString out;
  format.format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) {
    return Status::Unprocessable(std::string("ICU could not format: ") + u_errorName(status),
                                 "invalid_param");
  }
  return ToUtf8(out);
}

}  // namespace meridian::templates
