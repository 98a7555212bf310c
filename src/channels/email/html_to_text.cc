// HTML-only mail to readable plain text. Not a browser: a tolerant tag scanner that keeps what a
// reader needs (words, paragraphs, line breaks, list items, link targets, quoted blocks) and
// drops everything that could run or hide (scripts, styles, head, comments, attributes). The
// result is plain text, so it is safe to show anywhere once escaped by the view.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "channels/email/email.h"
#include "channels/email/internal.h"

namespace meridian::channels::email {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The named entities mail actually uses; the rest stay as written.
uint32_t NamedEntity(std::string_view name) {
  struct Entity {
    const char* name;
    uint32_t cp;
  };
  static constexpr Entity kEntities[] = {
      {"amp", '&'},       {"lt", '<'},        {"gt", '>'},       {"quot", '"'},
      {"apos", '\''},     {"nbsp", 0xA0},     {"copy", 0xA9},    {"reg", 0xAE},
      {"trade", 0x2122},  {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
      {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C}, {"rdquo", 0x201D},
      {"laquo", 0xAB},    {"raquo", 0xBB},    {"bull", 0x2022},  {"middot", 0xB7},
      {"euro", 0x20AC},   {"pound", 0xA3},    {"yen", 0xA5},     {"cent", 0xA2},
      {"sect", 0xA7},     {"deg", 0xB0},      {"times", 0xD7},   {"divide", 0xF7},
      {"eacute", 0xE9},   {"egrave", 0xE8},   {"ecirc", 0xEA},   {"agrave", 0xE0},
      {"aacute", 0xE1},   {"acirc", 0xE2},    {"ccedil", 0xE7},  {"ouml", 0xF6},
      {"uuml", 0xFC},     {"auml", 0xE4},     {"Ouml", 0xD6},    {"Uuml", 0xDC},
      {"Auml", 0xC4},     {"szlig", 0xDF},    {"Eacute", 0xC9},  {"ntilde", 0xF1},
      {"iacute", 0xED},   {"oacute", 0xF3},   {"uacute", 0xFA},  {"zwnj", 0x200C},
      {"zwj", 0x200D},    {"shy", 0xAD},      {"ensp", 0x2002},  {"emsp", 0x2003},
      {"thinsp", 0x2009},
  };
  for (const auto& e : kEntities) {
    if (name == e.name) return e.cp;
  }
  return 0;
}

// Decodes character references in `s`.
std::string DecodeEntities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t end = i + 1;
    while (end < s.size() && end - i <= 32 &&
           (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '#')) {
      ++end;
    }
    std::string_view name = s.substr(i + 1, end - i - 1);
    uint32_t cp = 0;
    if (name.size() >= 2 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string_view digits = name.substr(hex ? 2 : 1);
      uint64_t v = 0;
      bool ok = !digits.empty() && digits.size() <= 8;
      for (char c : digits) {
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
        if (d < 0) ok = false;
        v = v * (hex ? 16 : 10) + static_cast<uint64_t>(d < 0 ? 0 : d);
      }
      if (ok) cp = v > 0x10FFFF ? 0xFFFD : static_cast<uint32_t>(v);
      if (ok && cp == 0) cp = 0xFFFD;
    } else {
      cp = NamedEntity(name);
    }
    if (cp == 0) {
      out += '&';
      continue;
    }
    AppendUtf8(out, cp);
    i = (end < s.size() && s[end] == ';') ? end : end - 1;
  }
  return out;
}

// Builds the text: collapses whitespace, keeps line structure, prefixes quoted lines.
class TextBuilder {
 public:
  void Newlines(int n) {
    if (out_.empty()) return;
    pending_newlines_ = std::max(pending_newlines_, n);
    blank_line_depth_ = pending_newlines_ > 0 && !fresh_break_
                            ? std::min(blank_line_depth_, quote_depth_)
                            : quote_depth_;
    fresh_break_ = false;
    pending_space_ = false;
  }
  // <br>: each one ends a line, so two in a row make a blank line.
  void LineBreak() {
    if (out_.empty()) return;
    pending_newlines_ = std::min(pending_newlines_ + 1, 2);
    blank_line_depth_ = pending_newlines_ > 0 && !fresh_break_
                            ? std::min(blank_line_depth_, quote_depth_)
                            : quote_depth_;
    fresh_break_ = false;
    pending_space_ = false;
  }
  void Space() {
    if (!at_line_start_) pending_space_ = true;
  }
  void Word(std::string_view w) {
    if (w.empty()) return;
    if (pending_newlines_ > 0) {
      for (int i = 0; i < pending_newlines_; ++i) {
        out_ += '\n';
        // A blank line is inside a quote only when the quote surrounds it.
        int depth = std::min(blank_line_depth_, quote_depth_);
        if (i + 1 < pending_newlines_ && depth > 0) out_.append(static_cast<size_t>(depth), '>');
      }
      pending_newlines_ = 0;
      fresh_break_ = true;
      at_line_start_ = true;
    }
    if (at_line_start_) {
      if (quote_depth_ > 0) {
        out_.append(static_cast<size_t>(quote_depth_), '>');
        out_ += ' ';
      }
      at_line_start_ = false;
    } else if (pending_space_) {
      out_ += ' ';
    }
    pending_space_ = false;
    out_.append(w);
  }
  // Text as written (inside <pre>): newlines kept.
  void Preformatted(std::string_view t) {
    size_t start = 0;
    while (start <= t.size()) {
      size_t nl = t.find('\n', start);
      std::string_view line = t.substr(start, nl == std::string_view::npos ? nl : nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      Word(line);
      if (nl == std::string_view::npos) break;
      if (out_.empty()) out_ += ' ';  // keep a leading blank line from being dropped
      Newlines(1);
      start = nl + 1;
    }
  }
  void Quote(int delta) { quote_depth_ = std::max(0, quote_depth_ + delta); }
  size_t size() const { return out_.size(); }
  std::string_view Since(size_t pos) const {
    return std::string_view(out_).substr(std::min(pos, out_.size()));
  }
  std::string Take() {
    // Trim trailing and leading whitespace.
    size_t b = out_.find_first_not_of(" \n");
    if (b == std::string::npos) return {};
    size_t e = out_.find_last_not_of(" \n");
    return out_.substr(b, e - b + 1);
  }

 private:
  std::string out_;
  int pending_newlines_ = 0;
  bool pending_space_ = false;
  bool at_line_start_ = true;
  int quote_depth_ = 0;
  int blank_line_depth_ = 0;
  bool fresh_break_ = true;  // no newline requested since the last word
};

struct Tag {
  std::string name;  // lower-case
  bool closing = false;
  std::vector<std::pair<std::string, std::string>> attributes;  // lower-case names, decoded
  std::string_view Attribute(std::string_view n) const {
    for (const auto& [k, v] : attributes) {
      if (k == n) return v;
    }
    return {};
  }
};

// Parses a tag starting at html[pos] == '<'. Returns the position after '>', or npos when this
// '<' does not start a tag (then it is text).
size_t ParseTag(std::string_view html, size_t pos, Tag& tag) {
  size_t i = pos + 1;
  tag = Tag{};
  if (i < html.size() && html[i] == '/') {
    tag.closing = true;
    ++i;
  }
  size_t name_start = i;
  while (i < html.size() &&
         (std::isalnum(static_cast<unsigned char>(html[i])) || html[i] == ':' || html[i] == '-')) {
    ++i;
  }
  if (i == name_start || !std::isalpha(static_cast<unsigned char>(html[name_start]))) {
    return std::string_view::npos;
  }
  tag.name = internal::AsciiLower(html.substr(name_start, i - name_start));
  while (i < html.size()) {
    while (i < html.size() && (IsSpace(html[i]) || html[i] == '/')) ++i;
    if (i >= html.size()) break;
    if (html[i] == '>') return i + 1;
    size_t an = i;
    while (i < html.size() && !IsSpace(html[i]) && html[i] != '=' && html[i] != '>' &&
           html[i] != '/') {
      ++i;
    }
    std::string attr = internal::AsciiLower(html.substr(an, i - an));
    while (i < html.size() && IsSpace(html[i])) ++i;
    std::string value;
    if (i < html.size() && html[i] == '=') {
      ++i;
      while (i < html.size() && IsSpace(html[i])) ++i;
      if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
        char q = html[i++];
        size_t vs = i;
        while (i < html.size() && html[i] != q) ++i;
        value = DecodeEntities(html.substr(vs, i - vs));
        if (i < html.size()) ++i;
      } else {
        size_t vs = i;
        while (i < html.size() && !IsSpace(html[i]) && html[i] != '>') ++i;
        value = DecodeEntities(html.substr(vs, i - vs));
      }
    }
    if (!attr.empty()) tag.attributes.emplace_back(std::move(attr), std::move(value));
  }
  return html.size();
}

size_t FindCaseInsensitive(std::string_view hay, std::string_view needle, size_t from) {
  auto it = std::search(hay.begin() + static_cast<std::ptrdiff_t>(std::min(from, hay.size())),
                        hay.end(), needle.begin(), needle.end(), [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it == hay.end() ? std::string_view::npos : static_cast<size_t>(it - hay.begin());
}

bool IsOneOf(const std::string& name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A link target worth showing next to its text.
std::string ShownTarget(std::string_view href, std::string_view link_text) {
  if (href.empty() || href[0] == '#') return {};
  std::string lower = internal::AsciiLower(href);
  if (lower.rfind("javascript:", 0) == 0 || lower.rfind("data:", 0) == 0 ||
      lower.rfind("vbscript:", 0) == 0 || lower.rfind("cid:", 0) == 0) {
    return {};
  }
  std::string_view shown = href;
  if (lower.rfind("mailto:", 0) == 0) shown.remove_prefix(7);
  if (link_text.find(shown) != std::string_view::npos) return {};
  return std::string(shown);
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  TextBuilder out;
  int pre_depth = 0;
  size_t link_start = std::string::npos;
  std::string link_href;
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] == '<') {
      if (html.substr(i, 4) == "<!--") {
        size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      if (i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?')) {
        size_t end = html.find('>', i);
        i = end == std::string_view::npos ? html.size() : end + 1;
        continue;
      }
      Tag tag;
      size_t after = ParseTag(html, i, tag);
      if (after != std::string_view::npos) {
        i = after;
        const std::string& n = tag.name;
        if (!tag.closing && IsOneOf(n, {"script", "style", "head", "title", "noscript", "template",
                                        "svg", "object", "iframe", "xml"})) {
          size_t close = FindCaseInsensitive(html, "</" + n, i);
          if (close == std::string_view::npos) break;
          size_t gt = html.find('>', close);
          i = gt == std::string_view::npos ? html.size() : gt + 1;
          continue;
        }
        if (n == "br") {
          out.LineBreak();
        } else if (IsOneOf(n, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "hr",
                               "dl"})) {
          out.Newlines(2);
        } else if (n == "blockquote") {
          out.Newlines(2);
          out.Quote(tag.closing ? -1 : 1);
        } else if (n == "pre") {
          out.Newlines(2);
          pre_depth = std::max(0, pre_depth + (tag.closing ? -1 : 1));
        } else if (IsOneOf(n, {"div", "tr", "section", "article", "header", "footer", "address",
                               "center", "form", "dt", "dd", "main", "nav", "aside", "figure",
                               "figcaption", "caption"})) {
          out.Newlines(1);
        } else if (n == "li") {
          out.Newlines(1);
          if (!tag.closing) out.Word("-");
          out.Space();
        } else if (n == "td" || n == "th") {
          out.Space();
        } else if (n == "img" && !tag.closing) {
          std::string_view alt = tag.Attribute("alt");
          if (!alt.empty()) {
            out.Space();
            out.Word("[" + std::string(alt) + "]");
            out.Space();
          }
        } else if (n == "a") {
          if (!tag.closing) {
            link_href = std::string(tag.Attribute("href"));
            link_start = out.size();
          } else if (link_start != std::string::npos) {
            std::string target = ShownTarget(link_href, out.Since(link_start));
            if (!target.empty()) {
              out.Space();
              out.Word("(" + target + ")");
            }
            link_start = std::string::npos;
          }
        }
        continue;
      }
    }
    size_t next = html.find('<', i + 1);
    if (html[i] == '<' && next == std::string_view::npos) next = html.size();
    if (next == std::string_view::npos) next = html.size();
    std::string text = DecodeEntities(html.substr(i, next - i));
    i = next;
    if (pre_depth > 0) {
      out.Preformatted(text);
      continue;
    }
    // Collapse whitespace (including no-break spaces) between words.
    size_t p = 0;
    while (p < text.size()) {
      if (IsSpace(text[p])) {
        out.Space();
        ++p;
        continue;
      }
      if (text.compare(p, 2, "\xC2\xA0") == 0) {
        out.Space();
        p += 2;
        continue;
      }
      size_t q = p;
      while (q < text.size() && !IsSpace(text[q]) && text.compare(q, 2, "\xC2\xA0") != 0) ++q;
      out.Word(std::string_view(text).substr(p, q - p));
      p = q;
    }
  }
  return out.Take();
}

}  // namespace meridian::channels::email
