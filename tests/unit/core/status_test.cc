#include "core/status.h"

#include <gtest/gtest.h>

namespace meridian {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::InvalidArgument("odd number", "odd");
  return n / 2;
}

Status Chain(int n) {
  MERIDIAN_RETURN_IF_ERROR(Half(n).status());
  return Status::Ok();
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, NamedConstructorsCarryCodeReasonAndMessage) {
  Status s = Status::NotFound("conversation 7 does not exist");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.is_not_found());
  EXPECT_EQ(s.reason(), "not_found");
  EXPECT_EQ(s.ToString(), "not_found (not_found): conversation 7 does not exist");
}

TEST(StatusTest, RetryAfterTravelsWithATransientFailure) {
  EXPECT_FALSE(Status::Unavailable("HTTP 503").retry_after_ms().has_value());
  Status s = Status::RateLimited("HTTP 429").WithRetryAfter(30'000);
  EXPECT_EQ(s.retry_after_ms(), 30'000);
  EXPECT_EQ(s.code(), StatusCode::kRateLimited);
  Result<int> r = s;
  EXPECT_EQ(r.status().retry_after_ms(), 30'000) << "kept through a Result";
  EXPECT_EQ(Status::Unavailable("x").WithRetryAfter(0).retry_after_ms(), 0) << "0 means now";
}

TEST(ResultTest, ValueOrError) {
  EXPECT_EQ(*Half(8), 4);
  Result<int> r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "odd");
  EXPECT_TRUE(Chain(4).ok());
  EXPECT_EQ(Chain(5).reason(), "odd");
}

}  // namespace
}  // namespace meridian
