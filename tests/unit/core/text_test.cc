#include "core/text.h"

#include <gtest/gtest.h>

namespace meridian::text {
namespace {

TEST(TextTest, AcceptsWellFormedUtf8) {
  EXPECT_TRUE(IsValidUtf8("Hallo, wo ist meine Bestellung?"));
  EXPECT_TRUE(IsValidUtf8("我的订单在哪里 🙂 مرحبا"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(TextTest, RejectsMalformedUtf8) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("ok\xFFok"));
}

TEST(TextTest, NormalizesToNfc) {
  // "é" as e + combining acute becomes the precomposed code point.
  auto r = NormalizeNfc("Cafe\xCC\x81");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "Caf\xC3\xA9");
  EXPECT_EQ(NormalizeNfc("\xFF").status().reason(), "invalid_utf8");
}

TEST(TextTest, TruncatesOnCodePointBoundary) {
  EXPECT_EQ(TruncateUtf8("héllo", 2), "h");
  EXPECT_EQ(TruncateUtf8("héllo", 3), "hé");
  EXPECT_EQ(CodePointCount("héllo"), 5u);
}

}  // namespace
}  // namespace meridian::text
