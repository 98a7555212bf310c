#include "core/metrics.h"

#include <gtest/gtest.h>

namespace meridian::metrics {
namespace {

TEST(MetricsTest, RendersCountersAndHistogramsInPrometheusFormat) {
  Registry reg;
  reg.GetCounter("meridian_test_total", "A test counter", "route=\"/x\"")->Inc(3);
  Histogram* h = reg.GetHistogram("meridian_test_seconds", "A test histogram", {0.1, 1});
  h->Observe(0.05);
  h->Observe(0.5);
  h->Observe(5);
  std::string text = reg.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE meridian_test_total counter"), std::string::npos);
  EXPECT_NE(text.find("meridian_test_total{route=\"/x\"} 3"), std::string::npos);
  EXPECT_NE(text.find("meridian_test_seconds_bucket{le=\"0.1\"} 1"), std::string::npos);
  EXPECT_NE(text.find("meridian_test_seconds_bucket{le=\"1\"} 2"), std::string::npos);
  EXPECT_NE(text.find("meridian_test_seconds_bucket{le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("meridian_test_seconds_count 3"), std::string::npos);
}

}  // namespace
}  // namespace meridian::metrics
