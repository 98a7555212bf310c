#include <gtest/gtest.h>

#include "nlp/pii/pii.h"

namespace meridian::nlp {
namespace {

Redaction RedactText(std::string_view text, RedactOptions options) {
  auto scanner = PiiScanner::Create();
  EXPECT_TRUE(scanner.ok());
  return Redact(text, (*scanner)->Scan(text), options);
}

TEST(RedactTest, MaskKeepsLastFourOfCardsAndPhones) {
  auto r =
      RedactText("card 4111 1111 1111 1234? no: 4111-1111-1111-1111, call +1 415-555-2671", {});
  EXPECT_EQ(r.text, "card 4111 1111 1111 1234? no: ****1111, call ****2671");
  ASSERT_EQ(r.found.size(), 2u);
  EXPECT_EQ(r.found[0].start, 30u);  // spans refer to the original text
}

TEST(RedactTest, MaskOtherKinds) {
  auto r = RedactText("jo.doe@example.com DE89370400440532013000 password is hunter2", {});
  EXPECT_EQ(r.text, "j***@example.com DE****3000 password is ****");
}

TEST(RedactTest, TokensAreStablePerAccount) {
  RedactOptions a{RedactionMode::kToken, "account-a"};
  RedactOptions b{RedactionMode::kToken, "account-b"};
  auto first = RedactText("pay with 4111 1111 1111 1111", a);
  auto again = RedactText("4111-1111-1111-1111 again", a);
  auto other = RedactText("pay with 4111 1111 1111 1111", b);
  ASSERT_EQ(first.text.size(), std::string("pay with [card:12345678]").size());
  EXPECT_EQ(first.text.substr(9), again.text.substr(0, 15));  // same number, same token
  EXPECT_NE(first.text, other.text);
  EXPECT_EQ(first.text.find("4111"), std::string::npos);
}

TEST(RedactTest, RemoveForLogs) {
  auto r = RedactText("4111111111111111 jo@example.com", {RedactionMode::kRemove, ""});
  EXPECT_EQ(r.text, "[card] [email]");
}

TEST(RedactTest, ScrubCardNumbersTouchesOnlyCards) {
  EXPECT_EQ(ScrubCardNumbers("card 4111 1111 1111 1111, mail jo@example.com"),
            "card ****1111, mail jo@example.com");
  EXPECT_EQ(ScrubCardNumbers("no card here #1234"), "no card here #1234");
}

TEST(RedactTest, ParseMode) {
  EXPECT_EQ(*ParseRedactionMode("token"), RedactionMode::kToken);
  EXPECT_FALSE(ParseRedactionMode("shred").ok());
}

}  // namespace
}  // namespace meridian::nlp
