// Charset conversion to UTF-8 for mail bodies and attachment names, through glibc iconv (which
// covers every charset real mail uses). Labels are mapped to the superset real senders mean, the
// way the WHATWG Encoding Standard does: mail labelled "gb2312" is routinely GBK, "iso-8859-1"
// is routinely Windows-1252, "ks_c_5601-1987"/"euc-kr" is CP949, "shift_jis" is CP932.

#include <gmime/gmime.h>
#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <string>

#include "channels/email/email.h"
#include "channels/email/gmime_init.h"
#include "channels/email/internal.h"
#include "core/text.h"

namespace meridian::channels::email {
namespace {

// Superset charset for a label, as iconv spells it; empty when the label is not special.
std::string SupersetFor(const std::string& label) {
  struct Alias {
    const char* label;
    const char* iconv_name;
  };
  static constexpr Alias kAliases[] = {
      {"gb2312", "GB18030"},
      {"gbk", "GB18030"},
      {"x-gbk", "GB18030"},
      {"cp936", "GB18030"},
      {"euc-cn", "GB18030"},
      {"gb18030", "GB18030"},
      {"iso-8859-1", "WINDOWS-1252"},
      {"latin1", "WINDOWS-1252"},
      {"us-ascii", "WINDOWS-1252"},
      {"ascii", "WINDOWS-1252"},
      {"ks_c_5601-1987", "CP949"},
      {"euc-kr", "CP949"},
      {"ks_c_5601", "CP949"},
      {"shift_jis", "CP932"},
      {"shift-jis", "CP932"},
      {"x-sjis", "CP932"},
      {"sjis", "CP932"},
      {"windows-31j", "CP932"},
      {"big5", "BIG5-HKSCS"},
      {"x-big5", "BIG5-HKSCS"},
      {"cp950", "BIG5-HKSCS"},
      {"iso-2022-jp", "ISO-2022-JP-3"},
      {"utf8", "UTF-8"},
      {"unicode-1-1-utf-8", "UTF-8"},
  };
  for (const auto& a : kAliases) {
    if (label == a.label) return a.iconv_name;
  }
  return {};
}

// Converts with iconv; invalid or incomplete sequences become U+FFFD and conversion goes on.
// Returns false when iconv does not know `from`.
bool IconvToUtf8(std::string_view bytes, const char* from, std::string& out) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out.clear();
  out.reserve(bytes.size() + bytes.size() / 2);
  // iconv's API takes char** for input it never writes.
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char buf[4096];
  while (in_left > 0) {
    char* dst = buf;
    size_t dst_left = sizeof(buf);
    size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
    out.append(buf, static_cast<size_t>(dst - buf));
    if (rc != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    // EILSEQ (invalid) or EINVAL (incomplete at the end): replace one byte and resync.
    out.append("\xEF\xBF\xBD");
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  // Flush the shift state of stateful encodings (ISO-2022-JP).
  char* dst = buf;
  size_t dst_left = sizeof(buf);
  iconv(cd, nullptr, nullptr, &dst, &dst_left);
  out.append(buf, static_cast<size_t>(dst - buf));
  iconv_close(cd);
  return true;
}

std::string MakeValidUtf8(std::string_view s) {
  gchar* valid = g_utf8_make_valid(s.data(), static_cast<gssize>(s.size()));
  std::string out(valid);
  g_free(valid);
  return out;
}

}  // namespace

std::string ToUtf8(std::string_view bytes, std::string_view charset) {
  std::string label = internal::AsciiLower(charset);
  // Trim quotes/spaces that broken senders leave in the parameter.
  label.erase(std::remove_if(label.begin(), label.end(),
                             [](char c) { return c == '"' || c == '\'' || c == ' '; }),
              label.end());
  bool pure_ascii = std::all_of(bytes.begin(), bytes.end(),
                                [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  // ISO-2022-JP and UTF-7 are 7-bit but need decoding; everything else is a no-op on ASCII.
  bool seven_bit_encoding = label.find("2022") != std::string::npos || label == "utf-7";
  if (pure_ascii && !seven_bit_encoding) return std::string(bytes);
  if (label.empty() || label == "utf-8" || label == "utf8" || label == "unknown-8bit" ||
      label == "x-unknown" || label == "default") {
    if (text::IsValidUtf8(bytes)) return std::string(bytes);
    label = "windows-1252";
  }
  std::string out;
  std::string superset = SupersetFor(label);
  if (!superset.empty() && IconvToUtf8(bytes, superset.c_str(), out)) return MakeValidUtf8(out);
  if (IconvToUtf8(bytes, label.c_str(), out)) return MakeValidUtf8(out);
  // GMime knows more aliases than iconv (e.g. "windows-cp1252", "x-user-defined" names).
  EnsureGMimeInitialized();
  const char* gmime_name = g_mime_charset_iconv_name(label.c_str());
  if (gmime_name != nullptr && IconvToUtf8(bytes, gmime_name, out)) return MakeValidUtf8(out);
  // Unknown label: best effort.
  if (text::IsValidUtf8(bytes)) return std::string(bytes);
  IconvToUtf8(bytes, "WINDOWS-1252", out);
  return MakeValidUtf8(out);
}

}  // namespace meridian::channels::email
