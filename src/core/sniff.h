#pragma once
// Content type from the bytes themselves (CH9): uploaded files and mail attachments claim a type,
// and the claim is never trusted. Magic numbers follow the WHATWG MIME Sniffing Standard
// (section 6, "Matching a MIME type pattern") for images, audio/video, archives and PDF; text is
// recognized as such only when it is valid UTF-8 without control bytes, and markup that a
// browser would run (HTML, SVG, XML) is named so it is never served inline.
//
// Pure functions over bytes; thread-safe.

#include <string>
#include <string_view>

namespace meridian {

struct SniffedType {
  std::string mime;          // e.g. "image/png"; "application/octet-stream" when unknown
  std::string extension;     // a safe file extension for downloads, e.g. "png"; "bin" when unknown
  bool inline_safe = false;  // true: a browser may show it inline (raster images, PDF, plain text)
};

// What `bytes` are. Only the first few hundred bytes are looked at.
SniffedType SniffContentType(std::string_view bytes);

}  // namespace meridian
