// Threading keys (RFC 5322 section 3.6.4): a reply names its parent in In-Reply-To and the whole
// ancestry in References (oldest first). Outlook sometimes drops In-Reply-To, or keeps only a
// truncated References, so a store looks up every candidate, nearest ancestor first.

#include <algorithm>
#include <string>

#include "channels/common/provider.h"
#include "channels/email/email.h"
#include "core/crypto.h"

namespace meridian::channels::email {

std::vector<std::string> ThreadingKeys(const ParsedEmail& email) {
  std::vector<std::string> keys;
  auto add = [&](const std::string& id) {
    if (id.empty() || id == email.message_id) return;
    if (std::find(keys.begin(), keys.end(), id) != keys.end()) return;
    keys.push_back(id);
  };
  for (const auto& id : email.in_reply_to) add(id);
  for (auto it = email.references.rbegin(); it != email.references.rend(); ++it) add(*it);
  return keys;
}

InboundEvent ToInboundEvent(const ParsedEmail& email, std::string_view raw) {
  InboundEvent e;
  e.provider_message_id = email.message_id.empty()
                              ? "sha256:" + crypto::HexEncode(crypto::Sha256(raw))
                              : email.message_id;
  e.sender_id = email.from.address;
  e.sender_name = email.from.name;
  // The mailbox accepted it from this address (the receiving MTA enforces SPF/DMARC): a verified
  // email (CH8), so a web chat visitor who proved the same address becomes the same contact.
  if (std::string address = NormalizeEmail(email.from.address); !address.empty()) {
    e.claims.push_back({AttributeKind::kEmail, std::move(address), true});
  }
  e.text = email.display_text.empty() ? email.text : email.display_text;
  e.sent_at = email.date.value_or(0);
  return e;
}

}  // namespace meridian::channels::email
