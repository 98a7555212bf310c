#pragma once
// ICU MessageFormat for reply templates (LG6): plurals, select, ordinals, dates, times, numbers
// and currencies formatted for the customer's locale and time zone.
//
// Patterns are ICU MessageFormat 1 syntax
// (https://unicode-org.github.io/icu/userguide/format_parse/messages/), including number and date
// skeletons, e.g.
//   "{n, plural, one {# parcel} other {# parcels}} ships on {day, date, ::MMMMd} for
//    {total, number, ::currency/EUR}"
// Arguments are named, never numbered. Pure functions: thread-safe, no I/O.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace meridian::templates {

// How an argument is used in a pattern: what kind of value it must be given.
enum class ArgKind {
  kText,    // {x} or {x, select, ...}: any value, shown as text
  kNumber,  // {x, number...}, {x, plural...}, {x, selectordinal...}
  kDate,    // {x, date...}, {x, time...}
};

struct PatternInfo {
  // Every named argument with its kind (a number wins over text when used both ways).
  std::map<std::string, ArgKind> arguments;
};

// Checks `pattern` (UTF-8). Unprocessable("invalid_message_format") with ICU's error name and
// the line/offset of the error; Unprocessable("numbered_argument") for {0}-style arguments.
Result<PatternInfo> ParsePattern(std::string_view pattern);

struct FormatContext {
  std::string locale = "en";      // BCP 47 ("de-CH", "pt-BR", "ja-JP", "ar-EG")
  std::string time_zone = "UTC";  // IANA ("Europe/Zurich")
};

// Formats `pattern` with `params` (a JSON object). Values: numbers for number/plural arguments
// (a numeric string is accepted), for date/time arguments an RFC 3339 / ISO 8601 string or
// epoch milliseconds, for text anything (strings as is, other JSON dumped). A currency amount
// may also be given as {"amount": 12.5, "currency": "EUR"} for {x, number, currency}.
// Errors: Unprocessable("missing_param") naming the first missing argument,
// Unprocessable("invalid_param") naming an argument whose value has the wrong type,
// Unprocessable("invalid_time_zone") / ("invalid_locale"), and ParsePattern's errors.
Result<std::string> Format(std::string_view pattern, const nlohmann::json& params,
                           const FormatContext& context);

// True when `zone` is an IANA time zone ICU knows ("Etc/Unknown" is not one).
bool IsKnownTimeZone(std::string_view zone);
// `locale` in canonical BCP 47 form ("de_ch" -> "de-CH"), or "" when it is not well-formed.
std::string CanonicalLocale(std::string_view locale);

}  // namespace meridian::templates
