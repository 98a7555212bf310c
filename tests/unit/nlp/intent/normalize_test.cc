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

TEST(NormalizeForIntent, PlaceholdersBecomeTheTokenOfTheirKind) {
  // A template placeholder and a real value of the same kind normalize alike.
  EXPECT_EQ(NormalizeForIntent("cancel order {{Order Number}} now"), "cancel order <num> now");
  EXPECT_EQ(NormalizeForIntent("cancel order {{Order Number}} now"),
            NormalizeForIntent("cancel order #55123 now"));
  EXPECT_EQ(NormalizeForIntent("{{Refund Amount}} back?"), "<num> back");
  EXPECT_EQ(NormalizeForIntent("switch to {{Account Type}}"), "switch to <ph>");
  EXPECT_EQ(NormalizeForIntent("call {{Customer Support Phone Number}}"), "call <num>");
  EXPECT_EQ(NormalizeForIntent("mein Konto {{Account Category}} löschen"),
            "mein konto <ph> löschen loschen");
  EXPECT_EQ(NormalizeForIntent("注文{{Order Number}}をキャンセル"),
            "注 文 <num> を キ ャ ン セ ル");
  // An unclosed brace is ordinary punctuation.
  EXPECT_EQ(NormalizeForIntent("order {{ 12"), "order <num>");
}

TEST(NormalizeForIntent, EmailsAndUrlsBecomeTokens) {
  EXPECT_EQ(NormalizeForIntent("my email is Jo.Doe@example.com."), "my email is <email>");
  EXPECT_EQ(NormalizeForIntent("my email is {{Email Address}}"), "my email is <email>");
  EXPECT_EQ(NormalizeForIntent("see https://shop.example/faq?x=1 pls"), "see <url> pls");
  EXPECT_EQ(NormalizeForIntent("on {{Website URL}}"), "on <url>");
  EXPECT_EQ(NormalizeForIntent("hi @support"), "hi support");
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
