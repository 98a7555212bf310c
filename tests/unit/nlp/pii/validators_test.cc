// National ids and cards against published valid examples and one-digit-off variants.
#include <gtest/gtest.h>

#include "nlp/pii/pii.h"

namespace meridian::nlp {
namespace {

TEST(ValidatorsTest, PaymentCards) {
  std::string issuer;
  EXPECT_TRUE(IsPaymentCard("4111111111111111", &issuer));
  EXPECT_EQ(issuer, "visa");
  EXPECT_TRUE(IsPaymentCard("5500005555555559", &issuer));
  EXPECT_EQ(issuer, "mastercard");
  EXPECT_TRUE(IsPaymentCard("2223000048400011", &issuer));
  EXPECT_EQ(issuer, "mastercard");
  EXPECT_TRUE(IsPaymentCard("378282246310005", &issuer));
  EXPECT_EQ(issuer, "amex");
  EXPECT_TRUE(IsPaymentCard("6011111111111117", &issuer));
  EXPECT_EQ(issuer, "discover");
  EXPECT_TRUE(IsPaymentCard("3530111333300000", &issuer));
  EXPECT_EQ(issuer, "jcb");
  EXPECT_TRUE(IsPaymentCard("30569309025904", &issuer));
  EXPECT_EQ(issuer, "diners");
  EXPECT_FALSE(IsPaymentCard("4111111111111112", nullptr));    // Luhn
  EXPECT_FALSE(IsPaymentCard("378282246310005000", nullptr));  // amex is 15 long
  EXPECT_FALSE(IsPaymentCard("9111111111111111", nullptr));    // no issuer starts with 9
  EXPECT_FALSE(IsPaymentCard("4000000000006", nullptr));       // 13-digit Visa: EAN look-alike
  EXPECT_FALSE(IsPaymentCard("0000000000000000", nullptr));
}

TEST(ValidatorsTest, Spain) {
  EXPECT_TRUE(IsSpanishDni("12345678Z"));
  EXPECT_TRUE(IsSpanishDni("12345678-Z"));
  EXPECT_FALSE(IsSpanishDni("12345678A"));
  EXPECT_TRUE(IsSpanishNie("X1234567L"));
  EXPECT_FALSE(IsSpanishNie("X1234567A"));
}

TEST(ValidatorsTest, Brazil) {
  EXPECT_TRUE(IsBrazilianCpf("123.456.789-09"));
  EXPECT_TRUE(IsBrazilianCpf("12345678909"));
  EXPECT_FALSE(IsBrazilianCpf("123.456.789-08"));
  EXPECT_FALSE(IsBrazilianCpf("111.111.111-11"));
}

TEST(ValidatorsTest, China) {
  EXPECT_TRUE(IsChineseResidentId("11010519491231002X"));
  EXPECT_TRUE(IsChineseResidentId("11010519491231002x"));
  EXPECT_FALSE(IsChineseResidentId("110105194912310021"));
  EXPECT_FALSE(IsChineseResidentId("11010519491331002X"));  // month 13
}

TEST(ValidatorsTest, ItalyNetherlandsPoland) {
  EXPECT_TRUE(IsItalianCodiceFiscale("RSSMRA85T10A562S"));
  EXPECT_FALSE(IsItalianCodiceFiscale("RSSMRA85T10A562T"));
  EXPECT_TRUE(IsDutchBsn("111222333"));
  EXPECT_FALSE(IsDutchBsn("111222334"));
  EXPECT_TRUE(IsPolishPesel("44051401359"));
  EXPECT_FALSE(IsPolishPesel("44051401358"));
}

TEST(ValidatorsTest, UsSsnExclusions) {
  EXPECT_TRUE(IsUsSsn("123-45-6788"));
  EXPECT_FALSE(IsUsSsn("000-12-3456"));
  EXPECT_FALSE(IsUsSsn("666-12-3456"));
  EXPECT_FALSE(IsUsSsn("912-12-3456"));
  EXPECT_FALSE(IsUsSsn("123-00-3456"));
  EXPECT_FALSE(IsUsSsn("123-45-0000"));
  EXPECT_FALSE(IsUsSsn("078-05-1120"));
}

TEST(ValidatorsTest, Aadhaar) {
  EXPECT_TRUE(IsIndianAadhaar("4991 1866 5246"));
  EXPECT_FALSE(IsIndianAadhaar("4991 1866 5247"));
  EXPECT_FALSE(IsIndianAadhaar("1991 1866 5246"));  // never starts with 0 or 1
}

}  // namespace
}  // namespace meridian::nlp
