// Dates resolve in the customer's zone: the reference instants below sit just after local
// midnight, or on a DST change, where UTC's day and the customer's day differ.
#include <gtest/gtest.h>

#include "nlp/entities/entities.h"

namespace meridian::nlp {
namespace {

std::vector<Entity> Dates(std::string_view text, const char* zone, TimestampMs now,
                          const char* region = "DE") {
  ExtractOptions options;
  options.region = region;
  options.time_zone = zone;
  options.now_ms = now;
  std::vector<Entity> out;
  FindDates(text, options, out);
  return out;
}

std::string Only(std::string_view text, const char* zone, TimestampMs now,
                 const char* region = "DE") {
  auto found = Dates(text, zone, now, region);
  if (found.size() != 1) return "found " + std::to_string(found.size());
  return found[0].normalized;
}

// 2024-03-13T23:30:00Z: already Thursday 14 March in Berlin (UTC+1), still 13th in UTC.
constexpr TimestampMs kJustAfterBerlinMidnight = 1710372600000;

TEST(DatesTest, RelativeAcrossMidnight) {
  EXPECT_EQ(Only("yesterday", "Europe/Berlin", kJustAfterBerlinMidnight), "2024-03-13");
  EXPECT_EQ(Only("yesterday", "UTC", kJustAfterBerlinMidnight), "2024-03-12");
  EXPECT_EQ(Only("tomorrow", "America/New_York", kJustAfterBerlinMidnight), "2024-03-14");
  EXPECT_EQ(Only("昨天", "Asia/Shanghai", kJustAfterBerlinMidnight), "2024-03-13");
}

TEST(DatesTest, RelativeInManyLanguages) {
  const char* zone = "Europe/Berlin";
  EXPECT_EQ(Only("vor 3 Tagen", zone, kJustAfterBerlinMidnight), "2024-03-11");
  EXPECT_EQ(Only("hace 2 días", zone, kJustAfterBerlinMidnight), "2024-03-12");
  EXPECT_EQ(Only("il y a 3 jours", zone, kJustAfterBerlinMidnight), "2024-03-11");
  EXPECT_EQ(Only("3日前", zone, kJustAfterBerlinMidnight), "2024-03-11");
  EXPECT_EQ(Only("two weeks ago", zone, kJustAfterBerlinMidnight), "2024-02-29");
  EXPECT_EQ(Only("3 giorni fa", zone, kJustAfterBerlinMidnight), "2024-03-11");
  EXPECT_EQ(Only("gestern", zone, kJustAfterBerlinMidnight), "2024-03-13");
}

TEST(DatesTest, Weekdays) {
  // Thursday 14 March 2024 in Berlin.
  EXPECT_EQ(Only("last Tuesday", "Europe/Berlin", kJustAfterBerlinMidnight), "2024-03-12");
  EXPECT_EQ(Only("next Tuesday", "Europe/Berlin", kJustAfterBerlinMidnight), "2024-03-19");
  EXPECT_EQ(Only("last Thursday", "Europe/Berlin", kJustAfterBerlinMidnight), "2024-03-07");
  EXPECT_EQ(Only("letzten Montag", "Europe/Berlin", kJustAfterBerlinMidnight), "2024-03-11");
  EXPECT_EQ(Only("上周二", "Europe/Berlin", kJustAfterBerlinMidnight), "2024-03-05");
}

TEST(DatesTest, DstChangeDayStart) {
  // 2024-03-31 is the spring-forward day in Berlin: local midnight is still UTC+1, the next
  // day starts at UTC+2.
  constexpr TimestampMs kMarch31Noon = 1711886400000;  // 2024-03-31T12:00:00Z
  auto today = Dates("today", "Europe/Berlin", kMarch31Noon);
  ASSERT_EQ(today.size(), 1u);
  EXPECT_EQ(today[0].normalized, "2024-03-31");
  EXPECT_EQ(today[0].day_start_ms, 1711839600000);  // 2024-03-30T23:00:00Z
  auto tomorrow = Dates("tomorrow", "Europe/Berlin", kMarch31Noon);
  ASSERT_EQ(tomorrow.size(), 1u);
  EXPECT_EQ(tomorrow[0].day_start_ms, 1711922400000);  // 2024-03-31T22:00:00Z
  // New York falls back at 06:00Z on 2024-11-03; at 04:30Z it is still EDT, 00:30 on the 3rd
  // (a fixed EST offset would say 23:30 on the 2nd).
  EXPECT_EQ(Only("yesterday", "America/New_York", 1730608200000), "2024-11-02");
}

TEST(DatesTest, AbsoluteDates) {
  const char* zone = "Europe/Berlin";
  EXPECT_EQ(Only("on 2024-03-12", zone, kJustAfterBerlinMidnight), "2024-03-12");
  EXPECT_EQ(Only("am 12.03.2024", zone, kJustAfterBerlinMidnight), "2024-03-12");
  EXPECT_EQ(Only("on 3 March", zone, kJustAfterBerlinMidnight), "2024-03-03");
  EXPECT_EQ(Only("March 3rd, 2023", zone, kJustAfterBerlinMidnight), "2023-03-03");
  EXPECT_EQ(Only("el 5 de mayo", zone, kJustAfterBerlinMidnight), "2024-05-05");
  EXPECT_EQ(Only("3月12日", zone, kJustAfterBerlinMidnight), "2024-03-12");
  // Day/month order follows the region.
  EXPECT_EQ(Only("12/03", zone, kJustAfterBerlinMidnight, "DE"), "2024-03-12");
  EXPECT_EQ(Only("12/03", zone, kJustAfterBerlinMidnight, "US"), "2023-12-03");
  // A date without a year is placed in the year nearest to now.
  EXPECT_EQ(Only("28 December", zone, kJustAfterBerlinMidnight), "2023-12-28");
}

TEST(DatesTest, NotDates) {
  EXPECT_TRUE(Dates("Guten Morgen!", "Europe/Berlin", kJustAfterBerlinMidnight).empty());
  EXPECT_TRUE(Dates("ich bin hier", "Europe/Berlin", kJustAfterBerlinMidnight).empty());
  EXPECT_TRUE(Dates("version 2024-13-45", "Europe/Berlin", kJustAfterBerlinMidnight).empty());
}

TEST(DatesTest, UnknownZoneFallsBackToUtc) {
  EXPECT_EQ(Only("yesterday", "Not/AZone", kJustAfterBerlinMidnight), "2024-03-12");
}

}  // namespace
}  // namespace meridian::nlp
