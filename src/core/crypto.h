#pragma once
// Small cryptographic helpers over OpenSSL. All functions are thread-safe.

#include <string>
#include <string_view>

namespace meridian::crypto {

// Raw digests (binary strings).
std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HmacSha1(std::string_view key, std::string_view data);

std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Standard or URL-safe alphabet, padding optional; empty string on malformed input.
std::string Base64Decode(std::string_view text);
std::string Base64UrlEncode(std::string_view bytes);  // no padding

// Constant-time comparison (length may leak).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// `n` cryptographically secure random bytes.
std::string RandomBytes(size_t n);
// A random token of `n` bytes, URL-safe Base64 without padding.
std::string RandomToken(size_t n = 32);

}  // namespace meridian::crypto
