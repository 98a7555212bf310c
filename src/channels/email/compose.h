#pragma once
// Outbound mail: an agent's (or bot's) reply as RFC 5322 bytes ready for SMTP. The reply
// threads in every client: In-Reply-To names the parent, References carries the ancestry
// (RFC 5322 section 3.6.4), the subject gets "Re: " once, the Message-ID is generated on our
// domain so a customer's answer can be matched back. Body: multipart/alternative with the text
// and an escaped HTML rendering of it, the account's signature after "-- " (RFC 3676 4.3).

#include <string>
#include <string_view>
#include <vector>

#include "channels/email/email.h"
#include "core/clock.h"
#include "core/status.h"

namespace meridian::channels::email {

// A file sent with the mail, as a base64 attachment part.
struct OutgoingFile {
  std::string filename;      // UTF-8; RFC 2231-encoded on the wire when non-ASCII
  std::string content_type;  // "type/subtype"
  std::string bytes;
};

struct OutgoingEmail {
  Mailbox from;
  std::vector<Mailbox> to;
  std::vector<Mailbox> cc;
  std::string subject;                  // UTF-8; RFC 2047 encoded on the wire when non-ASCII
  std::string text;                     // the reply, plain UTF-8 text
  std::string signature;                // the account's signature (plain text); may be empty
  std::string in_reply_to;              // parent Message-ID without brackets; may be empty
  std::vector<std::string> references;  // ancestry oldest first, without brackets
  std::string message_id_domain;        // right-hand side of the generated Message-ID
  TimestampMs date = 0;                 // Date header (UTC)
  bool auto_submitted = false;  // true for bot/automated replies: "Auto-Submitted: auto-replied"
  // With files the body becomes multipart/mixed: the text (multipart/alternative), then each
  // file as an attachment.
  std::vector<OutgoingFile> files;
};

struct ComposedEmail {
  std::string message_id;  // generated, without brackets: store it as provider_message_id
  std::string raw;         // the message with CRLF line ends
  std::string envelope_from;
  std::vector<std::string> recipients;  // to + cc addresses, for SMTP RCPT TO
};

// InvalidArgument (reason names the field) for: no from address, no recipient, an address or
// id with CR/LF/angle brackets (header injection), an invalid message_id_domain.
Result<ComposedEmail> ComposeEmail(const OutgoingEmail& mail);

// A reply to `original`: To = its Reply-To (else From), subject "Re: <subject>" (unless it
// already starts with Re:/RE:/AW:/SV:/回复:), In-Reply-To = its Message-ID, References = its
// References (or In-Reply-To) + its Message-ID, trimmed to the first and the 19 newest ids.
OutgoingEmail ReplyTo(const ParsedEmail& original, Mailbox from, std::string text);

// "Re: " + subject unless it is already a reply.
std::string ReplySubject(std::string_view subject);

// Plain text -> escaped HTML with <br> line breaks and <p> paragraphs.
std::string TextToHtml(std::string_view text);

}  // namespace meridian::channels::email
