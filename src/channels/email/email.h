#pragma once
// The email channel's contract (issue 3, CH2): raw RFC 5322 bytes in, a typed ParsedEmail out;
// a reply composed as RFC 5322 bytes; the threading keys a store looks up to find the
// conversation. IMAP/SMTP transport is in imap_client.h / smtp_client.h.
//
// Standards followed: RFC 5322 (message format), RFC 2045-2049 (MIME), RFC 2047 (encoded words),
// RFC 2231 (parameter encoding), RFC 3834 (Auto-Submitted, automatic responses), RFC 3464 and
// RFC 6522 (delivery status notifications, multipart/report), RFC 2392 (Content-ID).
//
// Parsing uses GMime 3 (libgmime-3.0). Every function here is thread-safe and never throws.
// Untrusted bytes never crash the parser: garbage gives a best-effort ParsedEmail, and only
// input that has no message at all (empty, or over the size limit) is an error.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.h"
#include "core/clock.h"
#include "core/status.h"

namespace meridian::channels::email {

struct Mailbox {
  std::string name;     // display name, UTF-8 (RFC 2047 decoded); may be empty
  std::string address;  // addr-spec, e.g. "jane@example.com"; may be empty for broken headers
  bool operator==(const Mailbox&) const = default;
};

// An attachment or an inline resource (e.g. an image referenced by cid: from the HTML body).
struct Attachment {
  std::string filename;      // UTF-8 (RFC 2231 / RFC 2047 decoded); may be empty
  std::string content_type;  // lower-case "type/subtype" as claimed by the sender
  std::string content_id;    // without the angle brackets; empty when none
  bool is_inline = false;    // Content-Disposition: inline or part of multipart/related
  size_t size = 0;           // decoded size in bytes (also when `bytes` was dropped)
  std::string sha256_hex;    // of the decoded bytes: a content address for the blob store
  std::string bytes;         // decoded bytes; empty when size > ParseOptions::max_attachment_bytes
};

// Why a message must never get an automatic answer (RFC 3834 section 2 and common practice).
enum class AutomatedKind {
  kNone,       // written by a person
  kAutoReply,  // vacation / out-of-office / auto-responder
  kBulk,       // mailing list, newsletter, Precedence: bulk/junk/list
  kBounce,     // delivery status notification or MAILER-DAEMON
};
std::string_view AutomatedKindName(AutomatedKind kind);

// For a bounce: what a DSN (RFC 3464) says about the message that failed.
struct BounceInfo {
  std::string original_message_id;  // Message-ID of the mail that bounced, when included
  std::vector<std::string> failed_recipients;
  std::string status;  // e.g. "5.1.1"
  std::string action;  // e.g. "failed", "delayed"
  bool permanent = false;
};

struct ParsedEmail {
  std::string message_id;                // without angle brackets; empty when absent
  std::vector<std::string> in_reply_to;  // usually one id
  std::vector<std::string> references;   // as in the header: oldest first
  Mailbox from;
  std::vector<Mailbox> reply_to;
  std::vector<Mailbox> to;
  std::vector<Mailbox> cc;
  std::string subject;              // UTF-8, RFC 2047 decoded
  std::optional<TimestampMs> date;  // from the Date header; nullopt when missing/invalid
  std::string text;                 // full body as UTF-8 text (quoted history included)
  std::string display_text;         // `text` with quoted history and signature removed
  std::string html;                 // the HTML body as UTF-8 when there was one (never rendered)
  bool text_from_html = false;      // true: `text` was converted from an HTML-only body
  std::vector<Attachment> attachments;  // attachments and inline images, in MIME order
  AutomatedKind automated = AutomatedKind::kNone;
  std::string
      automated_reason;  // which header/part decided it, e.g. "Auto-Submitted: auto-replied"
  std::optional<BounceInfo> bounce;
  std::string thread_index_root;  // Outlook Thread-Index's first 22 bytes, Base64; else empty

  bool is_automated() const { return automated != AutomatedKind::kNone; }
};

struct ParseOptions {
  size_t max_message_bytes = 50u << 20;     // larger input is TooLarge
  size_t max_attachment_bytes = 25u << 20;  // larger attachments keep metadata, not bytes
};

// Parses raw RFC 5322 bytes (CRLF or LF line ends). InvalidArgument("empty_email") for empty
// input or input without a single header or body byte; TooLarge("email_too_large").
Result<ParsedEmail> ParseEmail(std::string_view raw, const ParseOptions& options = {});

// Converts bytes in `charset` (any name iconv or GMime knows, aliases such as "gb2312",
// "ks_c_5601-1987", "x-sjis" included) to valid UTF-8. Undecodable bytes become U+FFFD.
// An unknown or empty charset is treated as UTF-8 if the bytes are valid UTF-8, else
// Windows-1252.
std::string ToUtf8(std::string_view bytes, std::string_view charset);

// HTML to safe, readable plain text: tags dropped, <script>/<style>/<head> content dropped,
// links kept as "text (url)", paragraphs and line breaks kept, list items as "- ",
// blockquotes prefixed with "> ", entities decoded. Input and output are UTF-8.
std::string HtmlToText(std::string_view html);

// Removes quoted history and signatures from a reply's text: "On ... wrote:" (English, German
// "Am ... schrieb", French "Le ... a écrit", Spanish, Dutch ...), Outlook's
// "-----Original Message-----" and "From:/Sent:" header blocks, a trailing block of ">" lines
// and the "-- " signature separator. Returns `text` unchanged (trimmed) when nothing matched;
// never returns an empty string for a non-empty message made only of quotes.
std::string StripQuotedHistory(std::string_view text);

// The Message-IDs a store should look up, in order, to find the conversation this mail
// belongs to: In-Reply-To first, then References newest first; no duplicates, never the
// mail's own Message-ID.
std::vector<std::string> ThreadingKeys(const ParsedEmail& email);

// The typed inbound event the rest of the system expects: provider_message_id = Message-ID
// (or a SHA-256 of the raw bytes when the mail has none, so redelivery still de-duplicates),
// sender = from address, text = display_text.
InboundEvent ToInboundEvent(const ParsedEmail& email, std::string_view raw);

}  // namespace meridian::channels::email
