#include "nlp/translate/protect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace meridian::nlp::translate {
namespace {

using ::testing::HasSubstr;

std::vector<SpanKind> Kinds(const MaskedText& m) {
  std::vector<SpanKind> out;
  for (const auto& s : m.spans) out.push_back(s.kind);
  return out;
}

TEST(Protect, MasksUrlsEmailsCodesAmountsAndEmoji) {
  std::string line =
      "Order #12345 (SKU-ABC-12, tracking 1Z999AA10123456784) cost $45.99 and 30 EUR; see "
      "https://shop.example.com/o/1?x=2. Mail me@example.com 😀👍🏽";
  MaskedText m = Protect(line, nullptr, "en", "es");
  std::vector<std::string> originals;
  for (const auto& s : m.spans) originals.push_back(s.original);
  EXPECT_THAT(originals, ::testing::ElementsAre(
                             "#12345", "SKU-ABC-12", "1Z999AA10123456784", "$45.99", "30 EUR",
                             "https://shop.example.com/o/1?x=2", "me@example.com", "😀👍🏽"));
  EXPECT_THAT(Kinds(m), ::testing::ElementsAre(SpanKind::kCode, SpanKind::kCode, SpanKind::kCode,
                                               SpanKind::kAmount, SpanKind::kAmount, SpanKind::kUrl,
                                               SpanKind::kEmail, SpanKind::kEmoji));
  EXPECT_THAT(m.text, HasSubstr("Order ⟦0⟧ (⟦1⟧, tracking ⟦2⟧) cost ⟦3⟧"));
  EXPECT_EQ(Restore(m.text, m.spans), line);
}

TEST(Protect, CodesAfterNonAsciiPunctuation) {
  MaskedText m = Protect("订单：#12345，«SKU-9» and año2024", nullptr, "zh", "en");
  std::vector<std::string> originals;
  for (const auto& s : m.spans) originals.push_back(s.original);
  EXPECT_THAT(originals, ::testing::ElementsAre("#12345", "SKU-9"));
}

TEST(Protect, LeavesShortNumbersAndWordsAlone) {
  MaskedText m = Protect("It takes 3 days, maybe 12", nullptr, "en", "es");
  EXPECT_TRUE(m.spans.empty());
  EXPECT_EQ(m.text, "It takes 3 days, maybe 12");
}

TEST(Protect, LiteralBracketsCannotForgeAPlaceholder) {
  std::string line = "weird ⟦0⟧ text with #99887";
  MaskedText m = Protect(line, nullptr, "en", "es");
  EXPECT_EQ(Restore(m.text, m.spans), line);
}

TEST(Restore, ToleratesSpacesAndAppendsDroppedSpans) {
  std::vector<ProtectedSpan> spans = {{SpanKind::kCode, "#1", "#1"},
                                      {SpanKind::kUrl, "http://x.y", "http://x.y"}};
  EXPECT_EQ(Restore("pedido ⟦ 0 ⟧ listo", spans), "pedido #1 listo http://x.y");
}

TEST(Glossary, DoNotTranslateIsCaseInsensitiveAtWordBoundaries) {
  Glossary g;
  g.AddDoNotTranslate("SwiftPay");
  MaskedText m = Protect("I paid with swiftpay, not SwiftPayX", &g, "en", "es");
  ASSERT_EQ(m.spans.size(), 1u);
  EXPECT_EQ(m.spans[0].kind, SpanKind::kDoNotTranslate);
  EXPECT_EQ(m.spans[0].replacement, "swiftpay");  // kept as the customer wrote it
  EXPECT_THAT(m.text, HasSubstr("SwiftPayX"));
}

TEST(Glossary, ForcedTermsWithPluralsAndUnicodeCase) {
  Glossary g;
  g.AddForced({"en", "es", "gift card", "tarjeta regalo", "tarjetas regalo"});
  g.AddForced({"en", "es", "voucher", "vale", ""});
  g.AddForced({"es", "en", "ÁRBOL", "tree", ""});
  MaskedText m = Protect("Two Gift Cards and a voucher, three vouchers", &g, "en", "es");
  std::vector<std::string> targets;
  for (const auto& s : m.spans) targets.push_back(s.replacement);
  EXPECT_THAT(targets, ::testing::ElementsAre("tarjetas regalo", "vale", "vales"));
  // Forced terms apply to their own pair only.
  EXPECT_TRUE(Protect("a voucher", &g, "en", "pt").spans.empty());
  MaskedText es = Protect("el árbol y los árboles", &g, "es", "en");
  ASSERT_EQ(es.spans.size(), 2u);
  EXPECT_EQ(es.spans[0].replacement, "tree");
  EXPECT_EQ(es.spans[1].replacement, "trees");
}

TEST(Glossary, ItalianPluralByVowelChange) {
  Glossary g;
  g.AddForced({"it", "es", "pacchetto", "paquete", ""});
  MaskedText m = Protect("due pacchetti", &g, "it", "es");
  ASSERT_EQ(m.spans.size(), 1u);
  EXPECT_EQ(m.spans[0].replacement, "paquetes");
}

TEST(Glossary, FromJsonValidates) {
  auto g = Glossary::FromJson(
      R"({"do_not_translate":["Meridian"],"forced":[{"from":"en","to":"es","source":"refund","target":"reembolso"}]})");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->do_not_translate().size(), 1u);
  EXPECT_EQ(g->ForcedFor("en", "es").size(), 1u);
  EXPECT_FALSE(Glossary::FromJson("[1,2]").ok());
  EXPECT_FALSE(Glossary::FromJson(R"({"forced":[{"from":"en"}]})").ok());
  EXPECT_EQ(RegularPlural("box", "en"), "boxes");
  EXPECT_EQ(RegularPlural("reloj", "es"), "relojes");
}

}  // namespace
}  // namespace meridian::nlp::translate
