#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlp/pii/pii.h"

namespace meridian::nlp {
namespace {

class ScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = PiiScanner::Create();
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    scanner_ = std::move(created).value();
  }
  std::vector<PiiMatch> Scan(std::string_view text, const char* region = "US") {
    ScanOptions options;
    options.region = region;
    return scanner_->Scan(text, options);
  }
  // "type:surface" for each match, to compare in one line.
  std::vector<std::string> Found(std::string_view text, const char* region = "US") {
    std::vector<std::string> out;
    for (const auto& m : Scan(text, region)) {
      out.push_back(std::string(PiiTypeName(m.type)) + ":" +
                    std::string(text.substr(m.start, m.end - m.start)));
    }
    return out;
  }
  std::unique_ptr<PiiScanner> scanner_;
};

using ::testing::ElementsAre;

TEST_F(ScannerTest, Cards) {
  EXPECT_THAT(Found("card 4111 1111 1111 1111 exp 12/26"),
              ElementsAre("card_number:4111 1111 1111 1111"));
  EXPECT_THAT(Found("amex 3782-822463-10005."), ElementsAre("card_number:3782-822463-10005"));
  EXPECT_THAT(Found("order 12345 4111111111111111"), ElementsAre("card_number:4111111111111111"));
}

TEST_F(ScannerTest, SpansAfterMultibyteText) {
  const std::string text = "Здравствуйте! 我的卡号是 5500 0055 5555 5559，谢谢";
  auto found = Scan(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, PiiType::kCardNumber);
  EXPECT_EQ(text.substr(found[0].start, found[0].end - found[0].start), "5500 0055 5555 5559");
}

TEST_F(ScannerTest, IbanEmailPhone) {
  EXPECT_THAT(Found("IBAN: DE89 3704 0044 0532 0130 00 thanks"),
              ElementsAre("iban:DE89 3704 0044 0532 0130 00"));
  EXPECT_THAT(Found("mail jo.doe+shop@example.co.uk now"),
              ElementsAre("email:jo.doe+shop@example.co.uk"));
  EXPECT_THAT(Found("call +1 415-555-2671"), ElementsAre("phone:+1 415-555-2671"));
  EXPECT_THAT(Found("ruf an: 030 901820", "DE"), ElementsAre("phone:030 901820"));
}

TEST_F(ScannerTest, NationalIds) {
  EXPECT_THAT(Found("mi DNI es 12345678Z"), ElementsAre("national_id:12345678Z"));
  EXPECT_THAT(Found("NIE X1234567L"), ElementsAre("national_id:X1234567L"));
  EXPECT_THAT(Found("CPF 123.456.789-09"), ElementsAre("national_id:123.456.789-09"));
  EXPECT_THAT(Found("身份证 11010519491231002X"), ElementsAre("national_id:11010519491231002X"));
  EXPECT_THAT(Found("CF RSSMRA85T10A562S"), ElementsAre("national_id:RSSMRA85T10A562S"));
  EXPECT_THAT(Found("mijn BSN is 111222333"), ElementsAre("national_id:111222333"));
  EXPECT_THAT(Found("PESEL 44051401359"), ElementsAre("national_id:44051401359"));
  EXPECT_THAT(Found("SSN 123-45-6788"), ElementsAre("national_id:123-45-6788"));
  EXPECT_THAT(Found("aadhaar 4991 1866 5246"), ElementsAre("national_id:4991 1866 5246"));
}

TEST_F(ScannerTest, SecretsInText) {
  EXPECT_THAT(Found("my password is hunter2"), ElementsAre("password:hunter2"));
  EXPECT_THAT(Found("mein Passwort ist Sommer2024!"), ElementsAre("password:Sommer2024"));
  EXPECT_THAT(Found("the code: 483920."), ElementsAre("one_time_code:483920"));
  EXPECT_THAT(Found("my password is not working"), ElementsAre());
  EXPECT_THAT(Found("discount code SUMMER is great"), ElementsAre());
}

TEST_F(ScannerTest, Addresses) {
  EXPECT_THAT(Found("send it to 221 Baker Street please"), ElementsAre("address:221 Baker Street"));
  EXPECT_THAT(Found("Hauptstraße 5, 10115 Berlin"),
              ElementsAre("address:Hauptstraße 5", "postal_code:10115"));
  EXPECT_THAT(Found("London NW1 6XE"), ElementsAre("postal_code:NW1 6XE"));
  EXPECT_THAT(Found("j'habite 12 rue de la Paix"), ElementsAre("address:12 rue de la Paix"));
  EXPECT_THAT(Found("Calle Mayor 12, Madrid"), ElementsAre("address:Calle Mayor 12"));
}

TEST_F(ScannerTest, LookAlikesAreNotPii) {
  for (const char* text : {
           "order #100234 arrived",
           "tracking RR123456785CN",
           "ups 1Z999AA10123456784",
           "usps 9400 1112 0108 0805 4830 16",
           "fedex 986578788855",
           "total 1.234,56 EUR",
           "on 12/03/2024 at 14:30",
           "sku 4006381333931",
           "invoice 2024-000123",
           "art. 4006-381-333",
           "EAN 4000000000006",
           "I have 3 items and 2 boxes",
       }) {
    EXPECT_THAT(Found(text), ElementsAre()) << text;
  }
}

// Found by the fuzzer: a keyword glued to letters at offset 0 made the scan loop forever.
TEST_F(ScannerTest, KeywordGluedAtTextStartTerminates) {
  EXPECT_THAT(Found("PWDRXQ/3T09Y112X"), ElementsAre());
  EXPECT_THAT(Found("pwd=abc123"), ElementsAre("password:abc123"));
  EXPECT_THAT(Found("验证码：483920"), ElementsAre("one_time_code:483920"));
}

TEST_F(ScannerTest, PrefilterSkipsPlainText) {
  EXPECT_FALSE(scanner_->MayContainPii("hello, where is my parcel?"));
  EXPECT_TRUE(scanner_->MayContainPii("password hunter"));
  EXPECT_TRUE(scanner_->MayContainPii("a@b"));
  EXPECT_TRUE(scanner_->MayContainPii("1234567"));
  EXPECT_TRUE(scanner_->MayContainPii("code 4821"));
  EXPECT_FALSE(scanner_->MayContainPii("I want 2 of them"));
}

TEST_F(ScannerTest, InvalidUtf8DoesNotCrash) {
  std::string text = "\xff\xfe card 4111111111111111 \xc3";
  auto found = Scan(text);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].type, PiiType::kCardNumber);
}

}  // namespace
}  // namespace meridian::nlp
