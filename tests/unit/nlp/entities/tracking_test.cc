#include <gtest/gtest.h>

#include "nlp/entities/entities.h"

namespace meridian::nlp {
namespace {

std::vector<Entity> Tracking(std::string_view text) {
  std::vector<Entity> out;
  FindTrackingNumbers(text, out);
  return out;
}

TEST(TrackingTest, CarriersByCheckDigit) {
  struct Case {
    const char* text;
    const char* carrier;
    const char* normalized;
  } cases[] = {
      {"parcel RR123456785CN please", "china_post", "RR123456785CN"},
      {"EMS EE123456785CN", "ems", "EE123456785CN"},
      {"Royal Mail: RR 123 456 785 GB", "royal_mail", "RR123456785GB"},
      {"ups 1Z999AA10123456784", "ups", "1Z999AA10123456784"},
      {"fedex tracking 986578788855", "fedex", "986578788855"},
      {"tracking 0414 4176 0228 964", "fedex", "041441760228964"},
      {"USPS 9400 1112 0108 0805 4830 16", "usps", "9400111201080805483016"},
      {"DHL waybill 3318810025", "dhl", "3318810025"},
      {"YunExpress YT2312345678901234", "yunexpress", "YT2312345678901234"},
  };
  for (const Case& c : cases) {
    auto found = Tracking(c.text);
    ASSERT_EQ(found.size(), 1u) << c.text;
    EXPECT_EQ(found[0].carrier, c.carrier) << c.text;
    EXPECT_EQ(found[0].normalized, c.normalized) << c.text;
    EXPECT_EQ(std::string_view(c.text).substr(found[0].start, found[0].end - found[0].start),
              found[0].text);
  }
}

TEST(TrackingTest, BadCheckDigitsAreNotTrackingNumbers) {
  EXPECT_TRUE(Tracking("RR123456784CN").empty());
  EXPECT_TRUE(Tracking("1Z999AA10123456785").empty());
  EXPECT_TRUE(Tracking("9400 1112 0108 0805 4830 17").empty());
}

TEST(TrackingTest, DhlNeedsContext) {
  // A bare 10-digit number is as likely a phone or order number: 1 in 7 pass mod 7.
  EXPECT_TRUE(Tracking("call me at 3318810025").empty());
  EXPECT_EQ(Tracking("dhl 3318810025").size(), 1u);
}

TEST(TrackingTest, StrayDigitBeforeNumber) {
  auto found = Tracking("tracking 2 9400111201080805483016");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].normalized, "9400111201080805483016");
}

}  // namespace
}  // namespace meridian::nlp
