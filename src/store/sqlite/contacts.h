#pragma once
// Contacts with many identities (CH8) for the SQLite backend: claims, merge, split, the
// contact's timeline and possible duplicates. Every function runs on the given connection; the
// writing ones must run inside the writer's transaction (one SAVEPOINT per task), so a failure
// leaves nothing half-written.

#include <string>
#include <vector>

#include "store/sqlite/db.h"
#include "store/store.h"

namespace meridian::store::sqlite {

// Appends one hash-chained audit entry.
Status AppendAuditRow(Db& db, const AuditEntry& entry);
// The hash chaining `entry` to `prev`.
std::string AuditHash(const std::string& prev, const AuditEntry& entry);

// A live contact. NotFound for an unknown id, NotFound("contact_merged") for a tombstone.
Result<Contact> LoadLiveContact(Db& db, Id id);

// Records `claims` on identity `identity_id`; when a newly verified one matches another live
// contact's verified attribute and the account allows it, merges every matching contact into
// the oldest one (audited as "system").
Result<std::vector<ContactMerge>> ApplyClaims(Db& db, Id identity_id,
                                              const std::vector<ContactClaim>& claims,
                                              TimestampMs at);

Result<ContactMerge> MergeContactsTx(Db& db, Id into, Id other, const std::string& actor,
                                     bool automatic, TimestampMs at);
Result<ContactSplit> SplitContactTx(Db& db, Id contact_id, const std::vector<Id>& identity_ids,
                                    const std::string& actor, TimestampMs at);

Result<ContactDetail> LoadContactDetail(Db& db, Id id);
Result<std::vector<DuplicateCandidate>> LoadDuplicates(Db& db, Id id);
Result<Page<Message>> LoadContactMessages(Db& db, Id id, const std::string& cursor, int limit);

Result<ContactSettings> LoadContactSettings(Db& db);
Status SaveContactSettings(Db& db, const ContactSettings& settings);

}  // namespace meridian::store::sqlite
