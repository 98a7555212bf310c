// ComposeEmail through GMime: it folds long headers, RFC 2047-encodes non-ASCII ones and picks
// a transfer encoding that survives 7-bit relays.

#include "channels/email/compose.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>

#include "channels/email/gmime_init.h"
#include "channels/email/internal.h"
#include "core/crypto.h"

namespace meridian::channels::email {
namespace {

bool HasHeaderBreaker(std::string_view s) {
  return s.find_first_of("\r\n<>") != std::string_view::npos || s.find('\0') != s.npos;
}

Status CheckAddress(const Mailbox& m, std::string_view field) {
  if (m.address.empty() || m.address.find('@') == std::string::npos ||
      HasHeaderBreaker(m.address) || m.address.find_first_of(" \t,;\"") != std::string::npos) {
    return Status::InvalidArgument("invalid " + std::string(field) + " address '" + m.address + "'",
                                   "invalid_" + std::string(field));
  }
  if (m.name.find_first_of("\r\n") != std::string::npos) {
    return Status::InvalidArgument("invalid " + std::string(field) + " name",
                                   "invalid_" + std::string(field));
  }
  return Status::Ok();
}

bool ValidDomain(std::string_view d) {
  if (d.empty() || d.size() > 253) return false;
  return std::all_of(d.begin(), d.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

GPtr<GMimeTextPart> TextPart(const char* subtype, const std::string& content) {
  GPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  g_mime_text_part_set_text(part.get(), content.c_str());
  g_mime_part_set_content_encoding(GMIME_PART(part.get()),
                                   g_mime_part_get_best_content_encoding(
                                       GMIME_PART(part.get()), GMIME_ENCODING_CONSTRAINT_7BIT));
  return part;
}

// An attachment part: base64, Content-Disposition: attachment with the filename (GMime encodes
// a non-ASCII one per RFC 2231).
GPtr<GMimePart> AttachmentPart(const OutgoingFile& file) {
  std::string_view type = file.content_type;
  size_t slash = type.find('/');
  std::string major(slash == std::string_view::npos ? "application" : type.substr(0, slash));
  std::string minor(slash == std::string_view::npos ? "octet-stream" : type.substr(slash + 1));
  GPtr<GMimePart> part(g_mime_part_new_with_type(major.c_str(), minor.c_str()));
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(file.bytes.data(), file.bytes.size()));
  GPtr<GMimeDataWrapper> content(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part.get(), content.get());
  g_mime_part_set_content_encoding(part.get(), GMIME_CONTENT_ENCODING_BASE64);
  g_mime_object_set_disposition(GMIME_OBJECT(part.get()), GMIME_DISPOSITION_ATTACHMENT);
  std::string name;
  for (char c : file.filename) name += (c == '\r' || c == '\n' || c == '"') ? '_' : c;
  if (name.empty()) name = "file";
  g_mime_part_set_filename(part.get(), name.c_str());
  return part;
}

std::string WithCrlf(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 40);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

}  // namespace

std::string ReplySubject(std::string_view subject) {
  std::string lower = internal::AsciiLower(subject.substr(0, 8));
  for (std::string_view prefix : {"re:", "aw:", "sv:", "antw:", "回复:", "回复："}) {
    if (lower.rfind(prefix, 0) == 0) return std::string(subject);
  }
  return "Re: " + std::string(subject);
}

std::string TextToHtml(std::string_view text) {
  std::string out = "<div>";
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\r':
        break;
      case '\n':
        if (i + 1 < text.size() && text[i + 1] == '\n') {
          out += "</div>\n<div><br></div>\n<div>";
          while (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
          out += "<br>\n";
        }
        break;
      default:
        out += c;
    }
  }
  out += "</div>";
  return out;
}

OutgoingEmail ReplyTo(const ParsedEmail& original, Mailbox from, std::string text) {
  OutgoingEmail reply;
  reply.from = std::move(from);
  reply.to = original.reply_to.empty() ? std::vector<Mailbox>{original.from} : original.reply_to;
  reply.subject = ReplySubject(original.subject);
  reply.text = std::move(text);
  reply.in_reply_to = original.message_id;
  std::vector<std::string> refs =
      original.references.empty() ? original.in_reply_to : original.references;
  if (!original.message_id.empty()) refs.push_back(original.message_id);
  // RFC 5322 3.6.4 allows trimming; keep the thread root and the newest ancestors.
  constexpr size_t kMaxReferences = 20;
  if (refs.size() > kMaxReferences) {
    std::vector<std::string> trimmed{refs.front()};
    trimmed.insert(trimmed.end(), refs.end() - (kMaxReferences - 1), refs.end());
    refs = std::move(trimmed);
  }
  reply.references = std::move(refs);
  size_t at = reply.from.address.rfind('@');
  if (at != std::string::npos) reply.message_id_domain = reply.from.address.substr(at + 1);
  return reply;
}

Result<ComposedEmail> ComposeEmail(const OutgoingEmail& mail) {
  MERIDIAN_RETURN_IF_ERROR(CheckAddress(mail.from, "from"));
  if (mail.to.empty() && mail.cc.empty()) {
    return Status::InvalidArgument("a reply needs at least one recipient", "invalid_to");
  }
  for (const auto& m : mail.to) MERIDIAN_RETURN_IF_ERROR(CheckAddress(m, "to"));
  for (const auto& m : mail.cc) MERIDIAN_RETURN_IF_ERROR(CheckAddress(m, "cc"));
  if (!ValidDomain(mail.message_id_domain)) {
    return Status::InvalidArgument("invalid message_id_domain", "invalid_message_id_domain");
  }
  if (HasHeaderBreaker(mail.in_reply_to) ||
      std::any_of(mail.references.begin(), mail.references.end(), [](const std::string& r) {
        return HasHeaderBreaker(r) || r.find(' ') != r.npos;
      })) {
    return Status::InvalidArgument("invalid In-Reply-To/References id", "invalid_references");
  }
  EnsureGMimeInitialized();
  ComposedEmail out;
  out.message_id = crypto::HexEncode(crypto::RandomBytes(16)) + "@" + mail.message_id_domain;
  out.envelope_from = mail.from.address;

  GPtr<GMimeMessage> msg(g_mime_message_new(TRUE));
  GMimeObject* obj = GMIME_OBJECT(msg.get());
  g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_FROM, mail.from.name.c_str(),
                             mail.from.address.c_str());
  for (const auto& m : mail.to) {
    g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_TO, m.name.c_str(), m.address.c_str());
    out.recipients.push_back(m.address);
  }
  for (const auto& m : mail.cc) {
    g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_CC, m.name.c_str(), m.address.c_str());
    out.recipients.push_back(m.address);
  }
  std::string subject;
  for (char c : mail.subject) subject += (c == '\r' || c == '\n') ? ' ' : c;
  g_mime_message_set_subject(msg.get(), subject.c_str(), "utf-8");
  GDateTime* date = g_date_time_new_from_unix_utc(mail.date / 1000);
  g_mime_message_set_date(msg.get(), date);
  g_date_time_unref(date);
  g_mime_message_set_message_id(msg.get(), out.message_id.c_str());
  if (!mail.in_reply_to.empty()) {
    g_mime_object_set_header(obj, "In-Reply-To", ("<" + mail.in_reply_to + ">").c_str(), nullptr);
  }
  if (!mail.references.empty()) {
    std::string refs;
    for (const auto& r : mail.references) refs += (refs.empty() ? "<" : " <") + r + ">";
    g_mime_object_set_header(obj, "References", refs.c_str(), nullptr);
  }
  if (mail.auto_submitted) g_mime_object_set_header(obj, "Auto-Submitted", "auto-replied", nullptr);

  std::string text = mail.text;
  if (!mail.signature.empty()) text += "\n\n-- \n" + mail.signature;
  std::string html = "<html><body>" + TextToHtml(mail.text);
  if (!mail.signature.empty()) html += "\n<div>-- </div>\n" + TextToHtml(mail.signature);
  html += "</body></html>\n";
  GPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
  GPtr<GMimeTextPart> plain = TextPart("plain", WithCrlf(text) + "\r\n");
  GPtr<GMimeTextPart> rich = TextPart("html", WithCrlf(html));
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(plain.get()));
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(rich.get()));
  GPtr<GMimeMultipart> mixed;
  if (mail.files.empty()) {
    g_mime_message_set_mime_part(msg.get(), GMIME_OBJECT(alternative.get()));
  } else {
    mixed.reset(g_mime_multipart_new_with_subtype("mixed"));
    g_mime_multipart_add(mixed.get(), GMIME_OBJECT(alternative.get()));
    for (const OutgoingFile& file : mail.files) {
      g_mime_multipart_add(mixed.get(), GMIME_OBJECT(AttachmentPart(file).get()));
    }
    g_mime_message_set_mime_part(msg.get(), GMIME_OBJECT(mixed.get()));
  }

  GMimeFormatOptions* format = g_mime_format_options_clone(nullptr);
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  char* raw = g_mime_object_to_string(obj, format);
  g_mime_format_options_free(format);
  out.raw = raw == nullptr ? std::string() : std::string(raw);
  g_free(raw);
  return out;
}

}  // namespace meridian::channels::email
