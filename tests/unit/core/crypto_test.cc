#include "core/crypto.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace meridian::crypto {
namespace {

TEST(CryptoTest, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, HmacSha256HashesAKeyLongerThanTheBlockFirst) {  // RFC 4231 case 6
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // Either side of the block size (64 bytes), checked against Python's hmac module.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(64, '\x0b'), "Hi There")),
            "21cd586aeca0579d99a1c938127c92525a371f807bc5ba6eb78bc825bd4f2be3");
  EXPECT_EQ(HexEncode(HmacSha256(std::string(65, '\x0b'), "Hi There")),
            "727b82fba264393c5d67fd6d6ad783e9019a1fa6a857fccb70f5852f04be5d5d");
}

TEST(CryptoTest, HmacSha256TakesAnEmptyKey) {  // reference: Python's hmac module
  EXPECT_EQ(HexEncode(HmacSha256("", "abc")),
            "fd7adb152c05ef80dccf50a1fa4c05d5a3ec6da95575fc312ae7c5d091836351");
}

TEST(CryptoTest, HmacSha1MatchesRfc2202Case2) {
  EXPECT_EQ(HexEncode(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(CryptoTest, HmacIsTheSameAcrossCallsAndThreads) {
  std::string first = HmacSha256("key", "body");
  std::string other;
  std::thread([&] { other = HmacSha256("key", "body"); }).join();
  EXPECT_EQ(HmacSha256("key", "body"), first);
  EXPECT_EQ(other, first);
  EXPECT_NE(HmacSha256("key", "body!"), first);
}

TEST(CryptoTest, Base64RoundTrip) {
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(Base64Decode("Zm9vYmE"), "fooba");
  EXPECT_EQ(Base64Decode("not base64!"), "");
}

TEST(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST(CryptoTest, RandomTokensDiffer) {
  EXPECT_NE(RandomToken(), RandomToken());
  EXPECT_EQ(RandomToken(32).size(), 43u);
}

}  // namespace
}  // namespace meridian::crypto
