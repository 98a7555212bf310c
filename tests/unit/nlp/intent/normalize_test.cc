// NormalizeForIntent, GuessLanguage and eval-file parsing: no model needed.

#include <gtest/gtest.h>

#include "nlp/intent/intent.h"

namespace meridian::nlp {
namespace {

TEST(NormalizeForIntent, LowercasesAndSplitsPunctuation) {
  EXPECT_EQ(NormalizeForIntent("Where's MY order??"), "where s my order");
}

TEST(NormalizeForIntent, MasksOrderNumbersAndDigits) {
  EXPECT_EQ(NormalizeForIntent("cancel order #12345 now"), "cancel order <num> now");
  EXPECT_EQ(NormalizeForIntent("track 1Z999AA10123456784"), "track <num>");
}

TEST(NormalizeForIntent, AddsAccentStrippedVariant) {
  EXPECT_EQ(NormalizeForIntent("Réembolso rápido"), "réembolso rápido reembolso rapido");
}

TEST(NormalizeForIntent, FoldsFullWidthAndSplitsCjk) {
  EXPECT_EQ(NormalizeForIntent("ＡＢＣ 注文１２３"), "abc 注 文 <num>");
}

TEST(NormalizeForIntent, InvalidUtf8DoesNotCrash) {
  std::string bad = "caf\xC3";
  EXPECT_NO_FATAL_FAILURE(NormalizeForIntent(bad));
  EXPECT_EQ(NormalizeForIntent(""), "");
}

TEST(GuessLanguage, ScriptsAndFunctionWords) {
  EXPECT_EQ(GuessLanguage("注文をキャンセルしたい"), "ja");
  EXPECT_EQ(GuessLanguage("我要取消订单"), "zh");
  EXPECT_EQ(GuessLanguage("أريد إلغاء طلبي"), "ar");
  EXPECT_EQ(GuessLanguage("wo ist mein paket"), "de");
  EXPECT_EQ(GuessLanguage("where is my order"), "en");
  EXPECT_EQ(GuessLanguage("je veux annuler ma commande"), "fr");
  EXPECT_EQ(GuessLanguage("12345"), "");
}

TEST(ParseIntentExamples, ReadsTabSeparatedLinesAndSkipsComments) {
  auto parsed =
      ParseIntentExamples("# comment\n\nen\tcancel_order\tcancel it\r\nde\tgreeting\thallo\n");
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].intent, "cancel_order");
  EXPECT_EQ((*parsed)[0].text, "cancel it");
  EXPECT_EQ((*parsed)[1].lang, "de");
}

TEST(ParseIntentExamples, RejectsLineWithoutThreeFields) {
  auto parsed = ParseIntentExamples("en\tcancel_order\tok\nen cancel_order broken\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().is_invalid_argument());
  EXPECT_NE(parsed.status().message().find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace meridian::nlp
