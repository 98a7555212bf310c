#include "core/clock.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <random>
#include <string>

namespace meridian {
namespace {

// The C library's calendar as the reference.
std::string ByGmtime(TimestampMs t) {
  int64_t millis = ((t % 1000) + 1000) % 1000;
  std::time_t seconds = static_cast<std::time_t>((t - millis) / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

TEST(ClockTest, Rfc3339KnownInstants) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(951'782'400'000), "2000-02-29T00:00:00.000Z");  // a 400-year leap day
  EXPECT_EQ(FormatRfc3339(1'764'253'800'123), "2025-11-27T14:30:00.123Z");
  EXPECT_EQ(FormatRfc3339(4'107'542'399'999), "2100-02-28T23:59:59.999Z");  // 2100 is no leap year
  EXPECT_EQ(FormatRfc3339(4'107'542'400'000), "2100-03-01T00:00:00.000Z");
}

TEST(ClockTest, Rfc3339AgreesWithTheCLibraryFrom1900To2400) {
  std::mt19937_64 random(20261127);
  const int64_t from = -2'208'988'800'000;  // 1900-01-01
  const int64_t to = 13'569'465'600'000;    // 2400-01-01
  std::uniform_int_distribution<int64_t> instant(from, to);
  for (int i = 0; i < 200'000; ++i) {
    TimestampMs t = instant(random);
    ASSERT_EQ(FormatRfc3339(t), ByGmtime(t)) << t;
  }
  // Every day boundary of a leap-year cycle, and the millisecond either side.
  for (int64_t day = 0; day < 4 * 366; ++day) {
    TimestampMs midnight = 946'684'800'000 + day * 86'400'000;  // from 2000-01-01
    for (TimestampMs t : {midnight - 1, midnight, midnight + 1}) {
      ASSERT_EQ(FormatRfc3339(t), ByGmtime(t)) << t;
    }
  }
}

}  // namespace
}  // namespace meridian
