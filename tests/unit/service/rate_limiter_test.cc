// The outbox's per-inbox token bucket, on a fake clock.
#include <gtest/gtest.h>

#include "service/outbox_worker.h"

namespace meridian::service {
namespace {

TEST(RateLimiterTest, BurstThenOneTokenPerInterval) {
  RateLimiter limiter;
  TimestampMs t = 1'000'000;
  // 2 per second: a burst of 2, then one every 500 ms.
  EXPECT_EQ(limiter.Take(1, 2.0, t), 0);
  EXPECT_EQ(limiter.Take(1, 2.0, t), 0);
  int64_t wait = limiter.Take(1, 2.0, t);
  EXPECT_GT(wait, 0);
  EXPECT_LE(wait, 501);
  EXPECT_GT(limiter.Take(1, 2.0, t + 100), 0);
  EXPECT_EQ(limiter.Take(1, 2.0, t + 500), 0);
  // Inboxes do not share a bucket; 0 means unlimited.
  EXPECT_EQ(limiter.Take(2, 2.0, t), 0);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Take(3, 0, t), 0);
  // A slow provider (one per second) and a long idle time do not bank more than one burst.
  EXPECT_EQ(limiter.Take(4, 1.0, t), 0);
  EXPECT_EQ(limiter.Take(4, 1.0, t + 3600'000), 0);
  EXPECT_GT(limiter.Take(4, 1.0, t + 3600'000), 0);
}

}  // namespace
}  // namespace meridian::service
