#include "core/clock.h"

#include <fmt/format.h>

#include <chrono>

namespace meridian {

TimestampMs SystemClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

SystemClock& SystemClock::Get() {
  static SystemClock clock;
  return clock;
}

std::string FormatRfc3339(TimestampMs t) {
  // Rendered for every timestamp of every API document and live frame, so by hand: gmtime_r
  // takes glibc's time zone lock and fmt parses its format string, each call. The calendar
  // date comes from the day number by the proleptic Gregorian rules in 400-year eras.
  int64_t millis = t % 1000;
  int64_t seconds = t / 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  int64_t days = seconds / 86400;
  int64_t in_day = seconds % 86400;
  if (in_day < 0) {
    in_day += 86400;
    days -= 1;
  }
  days += 719468;  // from 1970-01-01 to 0000-03-01, where the leap day ends a year
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t day_of_era = days - era * 146097;
  int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t month_index = (5 * day_of_year + 2) / 153;  // 0 = March
  int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) {  // outside what four digits say: the general path
    return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", year, month, day,
                       in_day / 3600, in_day / 60 % 60, in_day % 60, millis);
  }
  char out[25] = "0000-00-00T00:00:00.000Z";
  auto digits = [&out](int at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[at + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  digits(0, year, 4);
  digits(5, month, 2);
  digits(8, day, 2);
  digits(11, in_day / 3600, 2);
  digits(14, in_day / 60 % 60, 2);
  digits(17, in_day % 60, 2);
  digits(20, millis, 3);
  return std::string(out, 24);
}

}  // namespace meridian
