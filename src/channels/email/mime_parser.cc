// ParseEmail: raw RFC 5322 bytes -> ParsedEmail, through GMime 3 in its tolerant (loose) modes.
// GMime decodes headers (RFC 2047/2231) and transfer encodings; charsets of bodies go through
// ToUtf8 so that mislabelled mail (gb2312 that is GBK, latin1 that is cp1252) still reads right.

#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <string>

#include "channels/email/email.h"
#include "channels/email/gmime_init.h"
#include "channels/email/internal.h"
#include "core/crypto.h"
#include "core/text.h"

namespace meridian::channels::email {

void EnsureGMimeInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

namespace {

struct ParserOptionsFree {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};
using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

ParserOptionsPtr MakeParserOptions() {
  ParserOptionsPtr options(g_mime_parser_options_new());
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain(options.get(), TRUE);
  // Raw 8-bit header bytes: UTF-8 if valid, else Windows-1252 (what such senders mostly use).
  const char* fallback[] = {"UTF-8", "WINDOWS-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
  return options;
}

// Valid, NFC-normalized UTF-8 (the system-wide rule for text at the edge).
std::string CleanText(std::string_view s) {
  std::string valid = ToUtf8(s, "utf-8");
  auto nfc = text::NormalizeNfc(valid);
  return nfc.ok() ? std::move(nfc).value() : valid;
}

std::string NormalizeNewlines(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string Str(const char* s) { return s == nullptr ? std::string() : std::string(s); }

void AppendMailboxes(InternetAddressList* list, std::vector<Mailbox>& out) {
  if (list == nullptr) return;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n && out.size() < 1000; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      AppendMailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), out);
    } else if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      Mailbox m;
      m.name = CleanText(internal::TrimWhitespace(Str(internet_address_get_name(a))));
      m.address = CleanText(internal::TrimWhitespace(
          Str(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)))));
      out.push_back(std::move(m));
    }
  }
}

std::vector<Mailbox> Mailboxes(GMimeMessage* msg, GMimeAddressType type) {
  std::vector<Mailbox> out;
  AppendMailboxes(g_mime_message_get_addresses(msg, type), out);
  return out;
}

std::string Header(GMimeObject* obj, const char* name) {
  return Str(g_mime_object_get_header(obj, name));
}

std::string DecodedContent(GMimePart* part) {
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(wrapper, mem.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  if (bytes == nullptr || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string MimeType(GMimeObject* obj) {
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  if (ct == nullptr) return "application/octet-stream";
  char* mime = g_mime_content_type_get_mime_type(ct);
  std::string out = internal::AsciiLower(Str(mime));
  g_free(mime);
  return out;
}

// Charset declared in an HTML body's <meta>, for HTML parts without a charset parameter.
std::string MetaCharset(std::string_view html) {
  std::string head = internal::AsciiLower(html.substr(0, 2048));
  size_t pos = head.find("charset=");
  if (pos == std::string::npos) return {};
  pos += 8;
  while (pos < head.size() && (head[pos] == '"' || head[pos] == '\'')) ++pos;
  size_t end = head.find_first_of("\"' ;>/", pos);
  return head.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

size_t QuoteDepth(std::string_view line) {
  size_t d = 0;
  while (d < line.size() && line[d] == '>') ++d;
  return d;
}

// RFC 3676 format=flowed: a line ending in a space continues on the next line (same quote
// depth); a leading space is stuffing; "-- " stays a signature separator. Lines are LF-ended.
std::string Unflow(std::string_view text, bool delsp) {
  std::string out;
  out.reserve(text.size());
  bool continuing = false;
  size_t depth_of_paragraph = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    size_t depth = QuoteDepth(line);
    std::string_view content = line.substr(depth);
    if (!content.empty() && content.front() == ' ') content.remove_prefix(1);  // stuffing
    if (continuing && depth != depth_of_paragraph) out += '\n';  // depth changed: hard break
    if (!continuing || depth != depth_of_paragraph) {
      out.append(line.substr(0, depth));
      if (depth > 0) out += ' ';
    }
    bool soft = !content.empty() && content.back() == ' ' && content != "-- ";
    if (soft && delsp) content.remove_suffix(1);
    out.append(content);
    continuing = soft;
    depth_of_paragraph = depth;
    if (nl == std::string_view::npos) break;
    if (!soft) out += '\n';
    pos = nl + 1;
  }
  return out;
}

class BodyWalker {
 public:
  BodyWalker(const ParseOptions& options, ParsedEmail& email) : options_(options), email_(email) {}

  void Visit(GMimeObject* obj, bool in_alternative, bool related_resource, int depth) {
    if (obj == nullptr || depth > 32) return;  // a nesting bomb ends here
    if (GMIME_IS_MULTIPART(obj)) {
      VisitMultipart(GMIME_MULTIPART(obj), in_alternative, depth);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
      VisitMessagePart(GMIME_MESSAGE_PART(obj));
    } else if (GMIME_IS_PART(obj)) {
      VisitPart(GMIME_PART(obj), in_alternative, related_resource);
    }
  }

  bool has_delivery_status() const { return has_delivery_status_; }
  std::string plain;
  std::string html;

 private:
  void VisitMultipart(GMimeMultipart* mp, bool in_alternative, int depth) {
    GMimeObject* obj = GMIME_OBJECT(mp);
    std::string type = MimeType(obj);
    int n = g_mime_multipart_get_count(mp);
    if (type == "multipart/report") {
      std::string report_type =
          internal::AsciiLower(Str(g_mime_object_get_content_type_parameter(obj, "report-type")));
      if (report_type == "delivery-status") has_delivery_status_ = true;
    }
    if (type == "multipart/alternative") {
      // Parts are in increasing order of preference; we prefer text/plain for display, and
      // keep the HTML alongside. The first of each kind wins.
      for (int i = 0; i < n; ++i) Visit(g_mime_multipart_get_part(mp, i), true, false, depth + 1);
      return;
    }
    if (type == "multipart/related") {
      // The root (first part, or the one named by start=) is the body; the others are
      // resources it references by cid:.
      std::string start =
          internal::TrimWhitespace(Str(g_mime_object_get_content_type_parameter(obj, "start")));
      int root = 0;
      if (!start.empty()) {
        for (int i = 0; i < n; ++i) {
          std::string cid = Str(g_mime_object_get_content_id(g_mime_multipart_get_part(mp, i)));
          if ("<" + cid + ">" == start || cid == start) root = i;
        }
      }
      for (int i = 0; i < n; ++i) {
        Visit(g_mime_multipart_get_part(mp, i), in_alternative, i != root, depth + 1);
      }
      return;
    }
    if (type == "multipart/signed") {
      // The signature is not content.
      if (n > 0) Visit(g_mime_multipart_get_part(mp, 0), in_alternative, false, depth + 1);
      return;
    }
    for (int i = 0; i < n; ++i) {
      Visit(g_mime_multipart_get_part(mp, i), in_alternative, false, depth + 1);
    }
  }

  void VisitMessagePart(GMimeMessagePart* part) {
    GMimeObject* obj = GMIME_OBJECT(part);
    GMimeMessage* inner = g_mime_message_part_get_message(part);
    std::string bytes;
    if (inner != nullptr) {
      char* s = g_mime_object_to_string(GMIME_OBJECT(inner), nullptr);
      bytes = Str(s);
      g_free(s);
      if (has_delivery_status_) {
        if (!email_.bounce) email_.bounce.emplace();
        email_.bounce->original_message_id = Str(g_mime_message_get_message_id(inner));
      }
    }
    Attachment a;
    a.content_type = MimeType(obj);
    std::string subject = inner ? Str(g_mime_message_get_subject(inner)) : "";
    a.filename = CleanText(subject.empty() ? "message.eml" : subject + ".eml");
    AddAttachment(std::move(a), std::move(bytes), obj, false);
  }

  void VisitPart(GMimePart* part, bool in_alternative, bool related_resource) {
    GMimeObject* obj = GMIME_OBJECT(part);
    std::string type = MimeType(obj);
    std::string filename = Str(g_mime_part_get_filename(part));
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(obj);
    bool is_attachment =
        disposition != nullptr && g_mime_content_disposition_is_attachment(disposition);
    if (type == "message/delivery-status" || type == "message/global-delivery-status") {
      has_delivery_status_ = true;
      if (!email_.bounce) email_.bounce.emplace();
      internal::ParseDeliveryStatus(NormalizeNewlines(DecodedContent(part)), *email_.bounce);
      return;
    }
    if (type == "text/rfc822-headers" || type == "message/global-headers") {
      if (!email_.bounce) email_.bounce.emplace();
      email_.bounce->original_message_id = internal::MessageIdFromHeaders(DecodedContent(part));
      return;
    }
    if (type == "application/pgp-signature" || type == "application/pkcs7-signature") return;
    bool body_text = (type == "text/plain" || type == "text/html") && !is_attachment &&
                     filename.empty() && !related_resource;
    if (body_text) {
      std::string raw = DecodedContent(part);
      std::string charset = Str(g_mime_object_get_content_type_parameter(obj, "charset"));
      if (type == "text/html" && charset.empty()) charset = MetaCharset(raw);
      std::string decoded = NormalizeNewlines(ToUtf8(raw, charset));
      if (type == "text/plain" && internal::AsciiLower(Str(g_mime_object_get_content_type_parameter(
                                      obj, "format"))) == "flowed") {
        bool delsp = internal::AsciiLower(
                         Str(g_mime_object_get_content_type_parameter(obj, "delsp"))) == "yes";
        decoded = Unflow(decoded, delsp);
      }
      std::string& target = type == "text/plain" ? plain : html;
      if (target.empty()) {
        target = std::move(decoded);
      } else if (!in_alternative) {
        // Text split around an attachment (Apple Mail does this): keep every piece.
        target += type == "text/plain" ? "\n\n" : "\n<br>\n";
        target += decoded;
      }
      return;
    }
    Attachment a;
    a.content_type = type;
    a.filename = CleanText(filename);
    AddAttachment(std::move(a), DecodedContent(part), obj,
                  related_resource || (!is_attachment && disposition != nullptr));
  }

  void AddAttachment(Attachment a, std::string bytes, GMimeObject* obj, bool is_inline) {
    if (email_.attachments.size() >= 1000) return;
    a.content_id = internal::TrimWhitespace(Str(g_mime_object_get_content_id(obj)));
    a.is_inline = is_inline;
    a.size = bytes.size();
    a.sha256_hex = crypto::HexEncode(crypto::Sha256(bytes));
    if (bytes.size() <= options_.max_attachment_bytes) a.bytes = std::move(bytes);
    email_.attachments.push_back(std::move(a));
  }

  const ParseOptions& options_;
  ParsedEmail& email_;
  bool has_delivery_status_ = false;
};

std::string ThreadIndexRoot(std::string_view header) {
  std::string compact;
  for (char c : header) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
  }
  std::string decoded = crypto::Base64Decode(compact);
  if (decoded.size() < 22) return {};
  return crypto::Base64Encode(decoded.substr(0, 22));
}

}  // namespace

Result<ParsedEmail> ParseEmail(std::string_view raw, const ParseOptions& options) {
  if (raw.size() > options.max_message_bytes) {
    return Status::TooLarge(
        "email is larger than " + std::to_string(options.max_message_bytes) + " bytes",
        "email_too_large");
  }
  if (internal::TrimWhitespace(raw).empty())
    return Status::InvalidArgument("email is empty", "empty_email");
  EnsureGMimeInitialized();
  ParserOptionsPtr parser_options = MakeParserOptions();
  GPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(raw.data(), static_cast<size_t>(raw.size())));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), parser_options.get()));
  if (!msg) {
    return Status::InvalidArgument("not an RFC 5322 message: no header could be parsed",
                                   "malformed_email");
  }
  GMimeObject* obj = GMIME_OBJECT(msg.get());
  ParsedEmail email;
  email.message_id =
      CleanText(internal::TrimWhitespace(Str(g_mime_message_get_message_id(msg.get()))));
  if (email.message_id.empty()) {
    auto ids = internal::ParseMessageIdList(Header(obj, "Message-ID"));
    if (!ids.empty()) email.message_id = CleanText(ids.front());
  }
  for (auto& id : internal::ParseMessageIdList(Header(obj, "In-Reply-To"))) {
    email.in_reply_to.push_back(CleanText(id));
  }
  for (auto& id : internal::ParseMessageIdList(Header(obj, "References"))) {
    if (email.references.size() < 500) email.references.push_back(CleanText(id));
  }
  std::vector<Mailbox> from = Mailboxes(msg.get(), GMIME_ADDRESS_TYPE_FROM);
  if (from.empty()) from = Mailboxes(msg.get(), GMIME_ADDRESS_TYPE_SENDER);
  if (!from.empty()) email.from = from.front();
  email.reply_to = Mailboxes(msg.get(), GMIME_ADDRESS_TYPE_REPLY_TO);
  email.to = Mailboxes(msg.get(), GMIME_ADDRESS_TYPE_TO);
  email.cc = Mailboxes(msg.get(), GMIME_ADDRESS_TYPE_CC);
  email.subject = CleanText(internal::TrimWhitespace(Str(g_mime_message_get_subject(msg.get()))));
  if (GDateTime* date = g_mime_message_get_date(msg.get()); date != nullptr) {
    email.date = static_cast<TimestampMs>(g_date_time_to_unix(date)) * 1000;
  }
  email.thread_index_root = ThreadIndexRoot(Header(obj, "Thread-Index"));

  BodyWalker walker(options, email);
  walker.Visit(g_mime_message_get_mime_part(msg.get()), false, false, 0);
  if (!walker.plain.empty() && !internal::TrimWhitespace(walker.plain).empty()) {
    email.text = CleanText(walker.plain);
  } else if (!walker.html.empty()) {
    email.text = CleanText(HtmlToText(walker.html));
    email.text_from_html = true;
  }
  email.html = CleanText(walker.html);
  // Trailing whitespace of the body carries no meaning.
  while (!email.text.empty() && std::isspace(static_cast<unsigned char>(email.text.back()))) {
    email.text.pop_back();
  }
  email.display_text = StripQuotedHistory(email.text);

  internal::ClassifyAutomated(
      [obj](std::string_view name) { return Header(obj, std::string(name).c_str()); },
      walker.has_delivery_status(), email);
  if (email.automated != AutomatedKind::kBounce) email.bounce.reset();
  return email;
}

}  // namespace meridian::channels::email
