// Content types sniffed from bytes (CH9): the claim never counts, active markup is never safe
// inline, and text is text only when it is clean UTF-8.
#include "core/sniff.h"

#include <gtest/gtest.h>

namespace meridian {
namespace {

using namespace std::string_literals;

struct Case {
  std::string bytes;
  const char* mime;
  bool inline_safe;
};

TEST(SniffTest, KnownFormatsByTheirMagicNumbers) {
  const Case cases[] = {
      {"\x89PNG\r\n\x1A\n\0\0\0\rIHDR"s, "image/png", true},
      {"\xFF\xD8\xFF\xE0\0\x10JFIF"s, "image/jpeg", true},
      {"GIF89a\x01\0\x01\0"s, "image/gif", true},
      {"RIFF\x24\0\0\0WEBPVP8 "s, "image/webp", true},
      {"%PDF-1.7\n%\xE2\xE3\xCF\xD3"s, "application/pdf", true},
      {"PK\x03\x04\x14\0\x06\0"s, "application/zip", false},
      {"\x1F\x8B\x08\0\0\0\0\0"s, "application/gzip", false},
      {"MZ\x90\0\x03\0\0\0"s, "application/x-msdownload", false},
      {"\0\0\0\x18"
       "ftypmp42"s,
       "video/mp4", false},
      {"\0\0\0\x18"
       "ftypheic"s,
       "image/heic", false},
      {"ID3\x04\0\0\0\0\0\0"s, "audio/mpeg", false},
      {"OggS\0\x02\0\0"s, "application/ogg", false},
      {"BM\x36\0\0\0\0\0\0\0\x36\0\0\0"s, "image/bmp", true},
  };
  for (const Case& c : cases) {
    SniffedType t = SniffContentType(c.bytes);
    EXPECT_EQ(t.mime, c.mime) << c.mime;
    EXPECT_EQ(t.inline_safe, c.inline_safe) << c.mime;
  }
}

TEST(SniffTest, MarkupIsNamedAndNeverInlineSafe) {
  for (const char* html : {"<!DOCTYPE html><html><body>x", "\xEF\xBB\xBF  <html>",
                           "<SCRIPT>alert(1)", "\n\n<iframe src=x>", "<!-- comment --><div>"}) {
    SniffedType t = SniffContentType(html);
    EXPECT_EQ(t.mime, "text/html") << html;
    EXPECT_FALSE(t.inline_safe);
  }
  SniffedType svg = SniffContentType(
      "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
  EXPECT_EQ(svg.mime, "image/svg+xml");
  EXPECT_FALSE(svg.inline_safe);
  EXPECT_EQ(SniffContentType("<svg><script>x</script></svg>").mime, "image/svg+xml");
  EXPECT_EQ(SniffContentType("<?xml version=\"1.0\"?><invoice/>").mime, "application/xml");
}

TEST(SniffTest, TextOnlyWhenCleanUtf8) {
  EXPECT_EQ(SniffContentType("Order,Amount\n4711,19.99\n").mime, "text/plain");
  EXPECT_EQ(SniffContentType("发票 2024: 合计 ¥100\n").mime, "text/plain");
  // "BM" at the start of a word is not a bitmap.
  EXPECT_EQ(SniffContentType("BMW parts list\n").mime, "text/plain");
  EXPECT_EQ(SniffContentType("binary\x01\x02\x03 data"s).mime, "application/octet-stream");
  EXPECT_EQ(SniffContentType("\xC3\x28 invalid").mime, "application/octet-stream");
  EXPECT_EQ(SniffContentType("").mime, "application/octet-stream");
  // A multi-byte character cut by the 4 KB window is still text.
  std::string long_text(4095, 'a');
  long_text += "\xE4\xBD\xA0 more";
  EXPECT_EQ(SniffContentType(long_text).mime, "text/plain");
}

TEST(SniffTest, TheClaimedNameOrTypeCannotMakeHtmlAnImage) {
  // Whatever the sender called it, these bytes are HTML.
  SniffedType t = SniffContentType("<html><img src=x onerror=alert(1)>");
  EXPECT_EQ(t.mime, "text/html");
  EXPECT_EQ(t.extension, "html");
}

}  // namespace
}  // namespace meridian
