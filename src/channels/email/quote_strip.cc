// Quoted-history stripping for the text shown to agents (the full text is kept). Mail clients
// mark the start of quoted history in a few well-known ways; we cut at the first of them:
//   Gmail / Apple Mail / Thunderbird: "On <date>, <name> <addr> wrote:" (possibly wrapped over
//     two lines), localized ("Am ... schrieb ...:", "Le ... a écrit :", "El ... escribió:",
//     "Op ... schreef ...:", "Il ... ha scritto:", "Em ... escreveu:", "在 ... 写道：").
//   Outlook: "-----Original Message-----", a line of underscores, or a "From: / Sent: / To: /
//     Subject:" header block (localized: Von/Gesendet, De/Envoyé).
//   Plain quoting: a trailing block of lines starting with ">".
//   Signatures: the "-- " separator (RFC 3676 section 4.3) and "Sent from my ..." footers.

#include <algorithm>
#include <string>
#include <vector>

#include "channels/email/email.h"

namespace meridian::channels::email {
namespace {

std::string_view TrimView(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string_view StripMarkup(std::string_view s) {
  // "*From:*" in text converted from Outlook's HTML.
  while (!s.empty() && (s.front() == '*' || s.front() == '_')) s.remove_prefix(1);
  return s;
}

// "On ... wrote:" and its translations; `text` is one line or two joined lines.
bool IsAttributionLine(std::string_view text) {
  struct Pattern {
    std::string_view prefix;
    std::string_view marker;
  };
  static constexpr Pattern kPatterns[] = {
      {"On ", "wrote:"},  {"Am ", "schrieb"},     {"Le ", "a écrit"},   {"El ", "escribió:"},
      {"Op ", "schreef"}, {"Il ", "ha scritto:"}, {"Em ", "escreveu:"}, {"在", "写道"},
      {"Den ", "skrev"},  {"W dniu ", "pisze:"},
  };
  if (text.empty() || text.front() == '>') return false;
  if (!(EndsWith(text, ":") || EndsWith(text, "：") || EndsWith(text, ": "))) return false;
  for (const auto& p : kPatterns) {
    if (p.prefix.empty()) continue;
    if (StartsWith(text, p.prefix) && text.find(p.marker) != std::string_view::npos) return true;
  }
  return false;
}

bool IsOutlookSeparator(std::string_view line) {
  static constexpr std::string_view kSeparators[] = {
      "-----Original Message-----",          "----- Original Message -----",
      "-------- Original Message --------",  "-----Ursprüngliche Nachricht-----",
      "-----Message d'origine-----",         "-----Mensaje original-----",
      "-------- Forwarded Message --------",
  };
  for (auto s : kSeparators) {
    if (StartsWith(line, s)) return true;
  }
  return line.size() >= 20 && line.find_first_not_of('_') == std::string_view::npos;
}

bool IsHeaderField(std::string_view line, std::initializer_list<std::string_view> names) {
  line = StripMarkup(line);
  for (auto n : names) {
    if (StartsWith(line, n)) return true;
  }
  return false;
}

// An Outlook reply header block: From: followed within a few lines by Sent:/Date: (any order
// of To/Cc/Subject in between).
bool IsOutlookHeaderBlock(const std::vector<std::string_view>& lines, size_t i) {
  if (!IsHeaderField(lines[i], {"From:", "Von:", "De :", "De:", "Van:", "发件人:", "发件人："})) {
    return false;
  }
  for (size_t j = i + 1; j < lines.size() && j <= i + 5; ++j) {
    if (IsHeaderField(lines[j], {"Sent:", "Date:", "Gesendet:", "Datum:", "Envoyé :", "Envoyé:",
                                 "Enviado:", "Verzonden:", "发送时间:", "发送时间："})) {
      return true;
    }
  }
  return false;
}

bool IsMobileFooter(std::string_view line) {
  return StartsWith(line, "Sent from my ") || StartsWith(line, "Get Outlook for ") ||
         StartsWith(line, "Sent from Mail for ") || StartsWith(line, "Von meinem ") ||
         StartsWith(line, "Envoyé de mon ");
}

}  // namespace

std::string StripQuotedHistory(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl == std::string_view::npos ? nl : nl - pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  size_t cut = lines.size();
  for (size_t i = 0; i < lines.size() && cut == lines.size(); ++i) {
    std::string_view raw = lines[i];
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = TrimView(raw);
    if (i > 0 && (raw == "-- " || raw == "--")) {
      cut = i;
    } else if (IsOutlookSeparator(line) || IsAttributionLine(line)) {
      cut = i;
    } else if (i + 1 < lines.size() && !line.empty() &&
               IsAttributionLine(std::string(line) + " " + std::string(TrimView(lines[i + 1])))) {
      cut = i;  // "On Mon, 4 Mar 2024 at 10:02, Jane Doe <jane@example.com>\nwrote:"
    } else if (i > 0 && IsOutlookHeaderBlock(lines, i)) {
      cut = i;
    }
  }
  // A trailing block of ">" lines (and blank lines) with no attribution above it.
  size_t last = cut;
  while (last > 0 && TrimView(lines[last - 1]).empty()) --last;
  if (last > 0 && StartsWith(TrimView(lines[last - 1]), ">")) {
    size_t start = last;
    while (start > 0) {
      std::string_view l = TrimView(lines[start - 1]);
      if (!l.empty() && l.front() != '>') break;
      --start;
    }
    cut = start;
  }
  // Drop trailing blank lines and a mobile footer.
  auto trim_tail = [&] {
    while (cut > 0 && TrimView(lines[cut - 1]).empty()) --cut;
  };
  trim_tail();
  if (cut > 0 && IsMobileFooter(TrimView(lines[cut - 1]))) {
    --cut;
    trim_tail();
  }
  size_t first = 0;
  while (first < cut && TrimView(lines[first]).empty()) ++first;
  if (first >= cut) {
    // Nothing but quotes: show the whole text rather than nothing.
    size_t b = text.find_first_not_of(" \t\r\n");
    size_t e = text.find_last_not_of(" \t\r\n");
    return b == std::string_view::npos ? std::string() : std::string(text.substr(b, e - b + 1));
  }
  std::string out;
  for (size_t i = first; i < cut; ++i) {
    std::string_view l = lines[i];
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    // Keep the author's indentation, drop trailing blanks.
    size_t e = l.find_last_not_of(" \t");
    out.append(e == std::string_view::npos ? std::string_view() : l.substr(0, e + 1));
    if (i + 1 < cut) out += '\n';
  }
  return out;
}

}  // namespace meridian::channels::email
