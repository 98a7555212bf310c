#include "core/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace meridian::crypto {

std::string Sha256(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return {reinterpret_cast<const char*>(out.data()), out.size()};
}

namespace {
// HMAC (RFC 2104) over a digest fetched once, with a context reused per thread. OpenSSL 3's
// one-shot HMAC() looks the MAC and the digest up by name in its provider tables on every
// call; that lookup cost more than hashing a webhook body (it showed in ingest profiles).
struct Digest {
  EVP_MD* md;
  size_t block;
};
const Digest& Sha256Digest() {
  static const Digest d{EVP_MD_fetch(nullptr, "SHA256", nullptr), 64};
  return d;
}
const Digest& Sha1Digest() {
  static const Digest d{EVP_MD_fetch(nullptr, "SHA1", nullptr), 64};
  return d;
}

std::string Hmac(const Digest& digest, std::string_view key, std::string_view data) {
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           &EVP_MD_CTX_free);
  std::array<unsigned char, EVP_MAX_MD_SIZE> hashed_key{};
  std::array<unsigned char, 128> pad{};  // the digest's block: 64 bytes for SHA-1 and SHA-256
  unsigned int len = 0;
  if (key.size() > digest.block) {
    EVP_DigestInit_ex(ctx.get(), digest.md, nullptr);
    EVP_DigestUpdate(ctx.get(), key.data(), key.size());
    EVP_DigestFinal_ex(ctx.get(), hashed_key.data(), &len);
    key = {reinterpret_cast<const char*>(hashed_key.data()), len};
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> inner{};
  for (size_t i = 0; i < digest.block; ++i)
    pad[i] = static_cast<unsigned char>((i < key.size() ? key[i] : 0) ^ 0x36);
  EVP_DigestInit_ex(ctx.get(), digest.md, nullptr);
  EVP_DigestUpdate(ctx.get(), pad.data(), digest.block);
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  EVP_DigestFinal_ex(ctx.get(), inner.data(), &len);
  for (size_t i = 0; i < digest.block; ++i) pad[i] ^= 0x36 ^ 0x5c;
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  EVP_DigestInit_ex(ctx.get(), digest.md, nullptr);
  EVP_DigestUpdate(ctx.get(), pad.data(), digest.block);
  EVP_DigestUpdate(ctx.get(), inner.data(), len);
  EVP_DigestFinal_ex(ctx.get(), out.data(), &len);
  OPENSSL_cleanse(pad.data(), pad.size());
  OPENSSL_cleanse(hashed_key.data(), hashed_key.size());
  return {reinterpret_cast<const char*>(out.data()), len};
}
}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  return Hmac(Sha256Digest(), key, data);
}
std::string HmacSha1(std::string_view key, std::string_view data) {
  return Hmac(Sha1Digest(), key, data);
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = p[i] << 16;
    if (i + 1 < bytes.size()) v |= p[i + 1] << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += (i + 1 < bytes.size()) ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string Base64Decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) return {};
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (bits >= 6) return {};  // a dangling sextet cannot come from valid Base64
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    // The OS random source failing is a "can't happen" (STYLE.md rule 8).
    std::abort();
  }
  return out;
}

std::string RandomToken(size_t n) { return Base64UrlEncode(RandomBytes(n)); }

}  // namespace meridian::crypto
