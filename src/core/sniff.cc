#include "core/sniff.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.h"

namespace meridian {
namespace {

using namespace std::string_view_literals;

bool StartsWith(std::string_view s, std::string_view prefix, size_t at = 0) {
  return s.size() >= at + prefix.size() && s.substr(at, prefix.size()) == prefix;
}

// The first non-whitespace bytes of `s` (after a UTF-8 BOM), lower-cased, up to `n`.
std::string LeadingLower(std::string_view s, size_t n) {
  if (StartsWith(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  std::string out(s.substr(i, n));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Text a browser would treat as active markup (WHATWG sniffing, "HTML" patterns, plus SVG/XML).
std::string_view MarkupType(std::string_view bytes) {
  std::string head = LeadingLower(bytes, 512);
  static constexpr std::array<std::string_view, 17> kHtml = {"<!doctype html",
                                                             "<html",
                                                             "<head",
                                                             "<script",
                                                             "<iframe",
                                                             "<h1",
                                                             "<div",
                                                             "<font",
                                                             "<table",
                                                             "<a ",
                                                             "<style",
                                                             "<title",
                                                             "<b>",
                                                             "<body",
                                                             "<br",
                                                             "<p>",
                                                             "<!--"};
  for (std::string_view p : kHtml) {
    if (StartsWith(head, p)) return "text/html";
  }
  if (StartsWith(head, "<svg") ||
      (StartsWith(head, "<?xml") && head.find("<svg") != std::string::npos)) {
    return "image/svg+xml";
  }
  if (StartsWith(head, "<?xml")) return "application/xml";
  return {};
}

bool LooksLikeText(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 4096);
  if (head.size() < bytes.size()) {
    // Drop a multi-byte character the window cut in two.
    for (size_t back = 1; back <= 3 && back <= head.size(); ++back) {
      auto c = static_cast<unsigned char>(head[head.size() - back]);
      if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for the lead
      size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (need > back) head = head.substr(0, head.size() - back);
      break;
    }
  }
  for (unsigned char c : head) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) return false;
  }
  return text::IsValidUtf8(head);
}

}  // namespace

SniffedType SniffContentType(std::string_view b) {
  struct Magic {
    std::string_view prefix;
    size_t at;
    const char* mime;
    const char* ext;
    bool inline_safe;
  };
  static constexpr std::array<Magic, 16> kMagic = {{
      {"\x89PNG\r\n\x1A\n"sv, 0, "image/png", "png", true},
      {"\xFF\xD8\xFF"sv, 0, "image/jpeg", "jpg", true},
      {"GIF87a"sv, 0, "image/gif", "gif", true},
      {"GIF89a"sv, 0, "image/gif", "gif", true},
      {"%PDF-"sv, 0, "application/pdf", "pdf", true},
      {"PK\x03\x04"sv, 0, "application/zip", "zip", false},
      {"\x1F\x8B\x08"sv, 0, "application/gzip", "gz", false},
      {"Rar!\x1A\x07"sv, 0, "application/vnd.rar", "rar", false},
      {"7z\xBC\xAF\x27\x1C"sv, 0, "application/x-7z-compressed", "7z", false},
      {"ID3"sv, 0, "audio/mpeg", "mp3", false},
      {"OggS\0"sv, 0, "application/ogg", "ogg", false},
      {"MZ"sv, 0, "application/x-msdownload", "exe", false},
      {"\x7F"
       "ELF"sv,
       0, "application/x-executable", "bin", false},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv, 0, "application/x-ole-storage", "doc", false},
      {"{\\rtf"sv, 0, "application/rtf", "rtf", false},
      {"\x00\x00\x01\x00"sv, 0, "image/x-icon", "ico", true},
  }};
  for (const Magic& m : kMagic) {
    if (StartsWith(b, m.prefix, m.at)) return {m.mime, m.ext, m.inline_safe};
  }
  // "BM" alone starts ordinary words: a bitmap's reserved header bytes 6-9 are zero as well.
  if (StartsWith(b, "BM") && b.size() >= 14 && b.substr(6, 4) == "\0\0\0\0"sv) {
    return {"image/bmp", "bmp", true};
  }
  if (StartsWith(b, "RIFF") && b.size() >= 12) {
    if (StartsWith(b, "WEBP", 8)) return {"image/webp", "webp", true};
    if (StartsWith(b, "WAVE", 8)) return {"audio/wav", "wav", false};
    if (StartsWith(b, "AVI ", 8)) return {"video/x-msvideo", "avi", false};
  }
  if (b.size() >= 12 && StartsWith(b, "ftyp", 4)) {
    std::string_view brand = b.substr(8, 4);
    if (brand == "heic" || brand == "heix" || brand == "mif1") return {"image/heic", "heic", false};
    if (brand == "avif") return {"image/avif", "avif", true};
    if (brand.substr(0, 3) == "M4A") return {"audio/mp4", "m4a", false};
    if (brand == "qt  ") return {"video/quicktime", "mov", false};
    return {"video/mp4", "mp4", false};
  }
  if (StartsWith(b, "II*\0"sv) || StartsWith(b, "MM\0*"sv)) return {"image/tiff", "tif", false};
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0xFF &&
      (static_cast<unsigned char>(b[1]) & 0xE0) == 0xE0 && !LooksLikeText(b)) {
    return {"audio/mpeg", "mp3", false};
  }
  std::string_view markup = MarkupType(b);
  if (markup == "text/html") return {"text/html", "html", false};
  if (markup == "image/svg+xml") return {"image/svg+xml", "svg", false};
  if (markup == "application/xml") return {"application/xml", "xml", false};
  if (!b.empty() && LooksLikeText(b)) return {"text/plain", "txt", true};
  return {"application/octet-stream", "bin", false};
}

}  // namespace meridian
