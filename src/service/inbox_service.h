#pragma once
// Changing an inbox after it was created: its name, its settings, its provider credentials or
// mailbox password, and the rotation of an API inbox's signing secret. Every change is checked
// by the channel's own factory before it is stored, and audited without the values of secrets.
// Used by PATCH /api/v1/inboxes/{id} and `meridian inbox update` alike.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "channels/channel.h"
#include "core/clock.h"
#include "store/store.h"

namespace meridian::service {

// A partial change; what is absent stays as it is.
struct InboxPatch {
  std::optional<std::string> name;
  // Settings: key -> new value, or null to remove the key.
  nlohmann::json config = nlohmann::json::object();
  // Provider inboxes (WhatsApp, LINE, ...): credential name -> new string, or null to remove.
  nlohmann::json secrets = nlohmann::json::object();
  // Email inboxes: the mailbox password.
  std::optional<std::string> password;
};

// How long a rotated-out API secret stays valid by default, and at most, in seconds.
inline constexpr int64_t kDefaultSecretGraceSeconds = int64_t{24} * 3600;
inline constexpr int64_t kMaxSecretGraceSeconds = int64_t{7} * 24 * 3600;

class InboxService {
 public:
  InboxService(store::Store& store, channels::ChannelRegistry& channels, const Clock& clock)
      : store_(store), channels_(channels), clock_(clock) {}

  // Reads `patch` from a JSON body: {"name", "config": {...}, "secrets": {...}, "password"}.
  // Unknown fields are ignored; a field of the wrong type is Unprocessable naming it.
  static Result<InboxPatch> ParsePatch(const nlohmann::json& body);

  // Applies `patch` to inbox `id` on behalf of `actor` ("agent:7", "cli"). NotFound for an
  // unknown inbox; Unprocessable when the result is not a valid inbox of its channel (nothing is
  // stored then). A patch that changes nothing stores nothing and answers the inbox.
  Result<Inbox> Update(Id id, const InboxPatch& patch, const std::string& actor);

  // API inboxes: a new random signing secret. The old one keeps verifying inbound requests for
  // `grace_seconds` (0..kMaxSecretGraceSeconds) so senders can switch over; replies are signed
  // with the new one at once. Unprocessable for other channels or a grace out of range.
  Result<Inbox> RotateSecret(Id id, int64_t grace_seconds, const std::string& actor);

 private:
  // The stored row, read past the store's cache (another process may have just changed it).
  Result<Inbox> ReadFresh(Id id);
  // Validates and stores `changed` (read at `changed.revision`); Conflict when it moved since.
  Result<Inbox> Store(const Inbox& changed);

  store::Store& store_;
  channels::ChannelRegistry& channels_;
  const Clock& clock_;
};

}  // namespace meridian::service
