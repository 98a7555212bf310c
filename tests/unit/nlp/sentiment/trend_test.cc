#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "nlp/sentiment/sentiment.h"

namespace meridian::nlp {
namespace {

std::vector<SentimentScore> ScoreAll(const std::vector<std::string>& messages) {
  auto analyzer =
      SentimentAnalyzer::Load(std::filesystem::path(MERIDIAN_SOURCE_DIR) / "data" / "sentiment");
  EXPECT_TRUE(analyzer.ok());
  std::vector<SentimentScore> out;
  for (const std::string& m : messages) out.push_back((*analyzer)->Analyze(m, "en"));
  return out;
}

TEST(TrendTest, EscalatingConversationIsWorsening) {
  auto scores = ScoreAll({"Hi, I ordered a jacket last week, any update?",
                          "It still hasn't arrived, I'm a bit worried",
                          "This is ridiculous, still nothing and no answer",
                          "WORST SERVICE EVER!!! I want my money back NOW 😡"});
  ConversationTrend t = ComputeTrend(scores);
  EXPECT_EQ(t.direction, TrendDirection::kWorsening);
  EXPECT_LT(t.slope, 0);
  EXPECT_GT(t.anger_slope, 0);  // getting angrier
  EXPECT_LT(t.last, -0.5);
  EXPECT_EQ(TrendDirectionName(t.direction), "worsening");
}

TEST(TrendTest, ResolvedConversationIsImproving) {
  auto scores = ScoreAll({"My order arrived broken, very disappointed",
                          "ok, so you will send a new one?", "Great, thank you so much!"});
  ConversationTrend t = ComputeTrend(scores);
  EXPECT_EQ(t.direction, TrendDirection::kImproving);
  EXPECT_GT(t.slope, 0);
}

TEST(TrendTest, FlatConversationIsStable) {
  auto scores =
      ScoreAll({"Can I change my address?", "It is Main Street 5", "The zip code is 10115"});
  EXPECT_EQ(ComputeTrend(scores).direction, TrendDirection::kStable);
  EXPECT_EQ(ComputeTrend({}).direction, TrendDirection::kStable);
  EXPECT_EQ(ComputeTrend(std::span(scores).first(1)).direction, TrendDirection::kStable);
}

TEST(TrendTest, SlopeIsExactOnALine) {
  std::vector<SentimentScore> scores(3);
  scores[0].polarity = 0.5;
  scores[1].polarity = 0.0;
  scores[2].polarity = -0.5;
  ConversationTrend t = ComputeTrend(scores);
  EXPECT_NEAR(t.slope, -0.5, 1e-9);
  EXPECT_DOUBLE_EQ(t.last, -0.5);
  EXPECT_EQ(t.direction, TrendDirection::kWorsening);
}

}  // namespace
}  // namespace meridian::nlp
