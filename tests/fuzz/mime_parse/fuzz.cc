// Fuzz target for channels/email: ParseEmail on untrusted bytes, then what the channel does
// with a parsed mail (threading keys, quote stripping, the inbound event, a reply composed from
// it). Every text field must come out as valid UTF-8, attachments must account for their
// bytes, and nothing may crash, leak or hang.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "channels/email/compose.h"
#include "channels/email/email.h"
#include "core/text.h"

namespace {

void CheckUtf8(const std::string& s) {
  if (!meridian::text::IsValidUtf8(s)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::channels::email;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  ParseOptions options;
  options.max_message_bytes = 1 << 20;
  options.max_attachment_bytes = 4096;
  auto parsed = ParseEmail(raw, options);
  if (!parsed.ok()) return 0;
  const ParsedEmail& e = *parsed;
  for (const std::string* s : {&e.subject, &e.text, &e.display_text, &e.html, &e.from.name,
                               &e.from.address, &e.message_id}) {
    CheckUtf8(*s);
  }
  for (const Attachment& a : e.attachments) {
    CheckUtf8(a.filename);
    if (a.bytes.size() != a.size && !a.bytes.empty()) std::abort();
    if (a.size <= options.max_attachment_bytes && a.bytes.size() != a.size) std::abort();
  }
  for (const auto& key : ThreadingKeys(e)) {
    if (key.empty() || key == e.message_id) std::abort();
  }
  CheckUtf8(StripQuotedHistory(e.text));
  CheckUtf8(HtmlToText(e.html));
  meridian::channels::InboundEvent event = ToInboundEvent(e, raw);
  if (event.provider_message_id.empty()) std::abort();
  // Replying to anything must either compose or refuse cleanly.
  OutgoingEmail reply = ReplyTo(e, {"Support", "support@meridian.test"}, "Thanks");
  auto composed = ComposeEmail(reply);
  if (composed.ok()) {
    auto again = ParseEmail(composed->raw);
    if (!again.ok() || again->message_id != composed->message_id) std::abort();
  }
  return 0;
}
