#pragma once
// One customer, many identities (CH8): reading a contact with its identities, conversations and
// cross-channel timeline; manual merge and split (audited in the same transaction); claims of
// web chat visitors; the account's auto-merge switch. Every change publishes contact.updated.
// Thread-safe; every method blocks on the store, so call it off the I/O threads.

#include <string>
#include <vector>

#include "core/clock.h"
#include "service/events.h"
#include "store/store.h"

namespace meridian::service {

class ContactService {
 public:
  ContactService(store::Store& store, EventSink& events, const Clock& clock);

  Result<store::ContactDetail> Get(Id contact_id);
  Result<std::vector<store::DuplicateCandidate>> Duplicates(Id contact_id);
  Result<store::Page<Message>> Timeline(Id contact_id, const std::string& cursor, int limit);

  // `other` goes into `into` (see Store::MergeContacts for the errors); audited as `actor`.
  Result<store::ContactMerge> Merge(Id into, Id other, const Agent& actor);
  // Moves `identity_ids` of `contact_id` to a new contact (see Store::SplitContact).
  Result<store::ContactSplit> Split(Id contact_id, const std::vector<Id>& identity_ids,
                                    const Agent& actor);

  // Records claims for a web chat visitor's identity (auto-merging when verified).
  Status AddClaims(Id inbox_id, const std::string& external_id,
                   const std::vector<ContactClaim>& claims);

  Result<store::ContactSettings> Settings();
  Status SetSettings(const store::ContactSettings& settings, const Agent& actor);

  // Publishes contact.updated for merges done elsewhere (an ingest's automatic merges); never
  // touches the store, so it may run in a store callback.
  static void PublishMerges(EventSink& events, const std::vector<store::ContactMerge>& merges);

 private:
  store::Store& store_;
  EventSink& events_;
  const Clock& clock_;
};

}  // namespace meridian::service
