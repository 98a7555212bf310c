#include "nlp/translate/memory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace meridian::nlp::translate {
namespace {

TEST(Similarity, CharacterLevelLevenshtein) {
  EXPECT_DOUBLE_EQ(Similarity("abc", "abc"), 1.0);
  EXPECT_DOUBLE_EQ(Similarity("Where is my order?", "where is my order?"), 1.0);  // case folded
  EXPECT_NEAR(Similarity("kitten", "sitting"), 1.0 - 3.0 / 7.0, 1e-9);
  EXPECT_NEAR(Similarity("añob", "anob"), 0.75, 1e-9);  // code points, not bytes
}

TEST(TranslationMemory, ExactMatchAndFuzzyWithScore) {
  TranslationMemory tm;
  ASSERT_TRUE(tm.Add({"en", "es", "Where is my order?", "¿Dónde está mi pedido?", true}).ok());
  ASSERT_TRUE(tm.Add({"en", "es", "I want a refund", "Quiero un reembolso", false}).ok());
  auto exact = tm.Exact("en", "es", "Where  is my order?");  // whitespace collapsed
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(exact->segment.target, "¿Dónde está mi pedido?");
  EXPECT_TRUE(exact->exact);
  EXPECT_FALSE(tm.Exact("en", "pt", "Where is my order?").has_value());

  auto fuzzy = tm.Fuzzy("en", "es", "Where is my orders?");
  ASSERT_EQ(fuzzy.size(), 1u);
  EXPECT_FALSE(fuzzy[0].exact);
  EXPECT_NEAR(fuzzy[0].score, 1.0 - 1.0 / 19.0, 1e-9);
  EXPECT_TRUE(fuzzy[0].segment.approved);
  EXPECT_TRUE(tm.Fuzzy("en", "es", "Completely different sentence").empty());
  // Below 75 %: not offered.
  EXPECT_TRUE(tm.Fuzzy("en", "es", "Where is the parcel?").empty());
}

TEST(TranslationMemory, MachineSegmentNeverReplacesAnApprovedOne) {
  TranslationMemory tm;
  ASSERT_TRUE(tm.Add({"en", "es", "Hello", "Hola (agent)", true}).ok());
  ASSERT_TRUE(tm.Add({"en", "es", "Hello", "Hola (machine)", false}).ok());
  EXPECT_EQ(tm.Exact("en", "es", "Hello")->segment.target, "Hola (agent)");
  ASSERT_TRUE(tm.Add({"en", "es", "Hello", "Hola (edited)", true}).ok());
  EXPECT_EQ(tm.Exact("en", "es", "Hello")->segment.target, "Hola (edited)");
  EXPECT_EQ(tm.size(), 1u);
  EXPECT_FALSE(tm.Add({"en", "es", "   ", "x", true}).ok());
}

TEST(TranslationMemory, PersistsThroughTheStoreHook) {
  std::string path = ::testing::TempDir() + "/tm_test.jsonl";
  std::filesystem::remove(path);
  {
    JsonlMemoryStore store(path);
    TranslationMemory tm(&store);
    ASSERT_TRUE(tm.Load().ok());
    ASSERT_TRUE(tm.Add({"en", "es", "Thanks", "Gracias", true}).ok());
  }
  JsonlMemoryStore store(path);
  TranslationMemory tm(&store);
  ASSERT_TRUE(tm.Load().ok());
  ASSERT_TRUE(tm.Exact("en", "es", "Thanks").has_value());
  EXPECT_EQ(tm.Exact("en", "es", "Thanks")->segment.target, "Gracias");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace meridian::nlp::translate
