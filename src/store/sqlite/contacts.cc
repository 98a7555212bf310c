#include "store/sqlite/contacts.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/crypto.h"
#include "store/sqlite/queries.h"

namespace meridian::store::sqlite {

namespace {

// Most identities one split may move (a request's list is bounded).
constexpr size_t kMaxSplitIdentities = 100;
constexpr int kMaxContactConversations = 100;

Result<std::vector<Id>> SelectIds(Db& db, const std::string& sql, Id arg) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(sql));
  StmtScope scope(*s);
  s->Bind(1, arg);
  std::vector<Id> out;
  while (true) {
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(s->Int(0));
  }
  return out;
}

Status Run(Db& db, const std::string& sql, Id a, Id b) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(sql));
  StmtScope scope(*s);
  s->Bind(1, a).Bind(2, b);
  return s->Run();
}

// A tombstone is a conflict for merge and split (the caller's view is stale), not a 404.
Result<Contact> LoadWritableContact(Db& db, Id id) {
  auto c = LoadLiveContact(db, id);
  if (!c.ok() && c.status().reason() == "contact_merged") {
    return Status::Conflict(c.status().message(), "contact_merged");
  }
  return c;
}

ContactAttribute ReadAttribute(const Stmt& s, int first) {
  ContactAttribute a;
  a.kind = ParseAttributeKind(s.Text(first)).value_or(AttributeKind::kEmail);
  a.value = s.Text(first + 1);
  a.verified = s.Int(first + 2) != 0;
  a.identity_id = s.Int(first + 3);
  a.created_at = s.Int(first + 4);
  return a;
}

}  // namespace

std::string AuditHash(const std::string& prev, const AuditEntry& e) {
  return crypto::HexEncode(crypto::Sha256(
      fmt::format("{}|{}|{}|{}|{}|{}", prev, e.at, e.actor, e.action, e.target, e.details_json)));
}

Status AppendAuditRow(Db& db, const AuditEntry& entry) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * last,
                            db.Prepare("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"));
  std::string prev;
  {
    StmtScope scope(*last);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, last->Step());
    if (row) prev = last->Text(0);
  }
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                            db.Prepare("INSERT INTO audit_log (at, actor, action, target, details,"
                                       " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  StmtScope scope(*s);
  s->Bind(1, entry.at).Bind(2, entry.actor).Bind(3, entry.action).Bind(4, entry.target);
  s->Bind(5, entry.details_json).Bind(6, prev).Bind(7, AuditHash(prev, entry));
  return s->Run();
}

namespace {

// The contact row as it is, tombstone or not; `merged_into` is 0 for a live contact.
Result<std::pair<Contact, Id>> LoadContactRow(Db& db, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("SELECT id, name, COALESCE(email, ''), COALESCE(phone, ''),"
                           " COALESCE(language, ''), created_at, COALESCE(merged_into, 0),"
                           " COALESCE(country, ''), COALESCE(time_zone, '') FROM contacts"
                           " WHERE id = ?"));
  StmtScope scope(*s);
  s->Bind(1, id);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound(fmt::format("contact {} does not exist", id));
  Contact c{s->Int(0),  s->Text(1), s->Text(2), s->Text(3),
            s->Text(4), s->Int(5),  s->Text(7), s->Text(8)};
  return std::make_pair(std::move(c), s->Int(6));
}

// The profile fields a merge fills and a split gives back, as (column, value) pairs. Column
// names are constants, never input.
std::vector<std::pair<const char*, const std::string*>> ProfileFields(const Contact& c) {
  return {{"name", &c.name},
          {"language", &c.language},
          {"country", &c.country},
          {"time_zone", &c.time_zone}};
}

Status SetProfileField(Db& db, Id contact_id, std::string_view field, const std::string& value) {
  // name is NOT NULL; the others are NULL when unknown.
  std::string sql = field == "name"
                        ? "UPDATE contacts SET name = ? WHERE id = ?"
                        : fmt::format("UPDATE contacts SET {} = NULLIF(?, '') WHERE id = ?", field);
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(sql));
  StmtScope scope(*s);
  s->Bind(1, value).Bind(2, contact_id);
  return s->Run();
}

}  // namespace

Result<Contact> LoadLiveContact(Db& db, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(auto row, LoadContactRow(db, id));
  if (row.second != 0) {
    return Status::NotFound(fmt::format("contact {} was merged into contact {}", id, row.second),
                            "contact_merged");
  }
  return std::move(row.first);
}

Result<std::vector<ContactMerge>> ApplyClaims(Db& db, Id identity_id,
                                              const std::vector<ContactClaim>& claims,
                                              TimestampMs at) {
  std::vector<const ContactClaim*> newly_verified;
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * upsert,
      db.Prepare("INSERT INTO contact_attributes (identity_id, kind, value, verified, created_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (identity_id, kind, value)"
                 " DO UPDATE SET verified = 1 WHERE excluded.verified = 1 AND verified = 0"));
  for (const ContactClaim& c : claims) {
    if (c.value.empty()) continue;
    StmtScope scope(*upsert);
    upsert->Bind(1, identity_id).Bind(2, AttributeKindName(c.kind)).Bind(3, c.value);
    upsert->Bind(4, c.verified ? 1 : 0).Bind(5, at);
    MERIDIAN_RETURN_IF_ERROR(upsert->Run());
    // Only a change can cause a merge: the same claim on every message costs one upsert.
    if (c.verified && db.Changes() > 0) newly_verified.push_back(&c);
  }
  if (newly_verified.empty()) return std::vector<ContactMerge>();

  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * who, db.Prepare("SELECT ci.contact_id, a.auto_merge_verified FROM contact_identities"
                             " ci JOIN contacts c ON c.id = ci.contact_id JOIN accounts a"
                             " ON a.id = c.account_id WHERE ci.id = ?"));
  Id contact_id = 0;
  {
    StmtScope scope(*who);
    who->Bind(1, identity_id);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, who->Step());
    if (!row) return Status::NotFound(fmt::format("identity {} does not exist", identity_id));
    contact_id = who->Int(0);
    if (who->Int(1) == 0) return std::vector<ContactMerge>();  // auto-merge switched off
  }
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * match,
      db.Prepare("SELECT DISTINCT ci.contact_id FROM contact_attributes a JOIN contact_identities"
                 " ci ON ci.id = a.identity_id WHERE a.kind = ? AND a.value = ? AND"
                 " a.verified = 1 AND ci.contact_id <> ?"));
  std::set<Id> group = {contact_id};
  for (const ContactClaim* c : newly_verified) {
    StmtScope scope(*match);
    match->Bind(1, AttributeKindName(c->kind)).Bind(2, c->value).Bind(3, contact_id);
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, match->Step());
      if (!row) break;
      group.insert(match->Int(0));
    }
  }
  std::vector<ContactMerge> merges;
  // The oldest contact survives: the one agents have known longest keeps its id.
  Id into = *group.begin();
  for (Id other : group) {
    if (other == into) continue;
    MERIDIAN_ASSIGN_OR_RETURN(ContactMerge m,
                              MergeContactsTx(db, into, other, "system", /*automatic=*/true, at));
    merges.push_back(std::move(m));
  }
  return merges;
}

Result<ContactMerge> MergeContactsTx(Db& db, Id into, Id other, const std::string& actor,
                                     bool automatic, TimestampMs at) {
  if (into == other) {
    return Status::Unprocessable("a contact cannot be merged with itself", "same_contact");
  }
  MERIDIAN_ASSIGN_OR_RETURN(Contact survivor, LoadWritableContact(db, into));
  MERIDIAN_ASSIGN_OR_RETURN(Contact source, LoadWritableContact(db, other));
  ContactMerge m;
  m.into = into;
  m.merged = other;
  m.automatic = automatic;
  MERIDIAN_ASSIGN_OR_RETURN(
      m.identity_ids,
      SelectIds(db, "SELECT id FROM contact_identities WHERE contact_id = ? ORDER BY id", other));
  MERIDIAN_ASSIGN_OR_RETURN(
      m.conversation_ids,
      SelectIds(db, "SELECT id FROM conversations WHERE contact_id = ? ORDER BY id", other));
  MERIDIAN_RETURN_IF_ERROR(
      Run(db, "UPDATE contact_identities SET contact_id = ?1 WHERE contact_id = ?2", into, other));
  MERIDIAN_RETURN_IF_ERROR(
      Run(db, "UPDATE conversations SET contact_id = ?1 WHERE contact_id = ?2", into, other));
  // Tombstones keep pointing at a live contact, so an old link still says where it went.
  MERIDIAN_RETURN_IF_ERROR(
      Run(db, "UPDATE contacts SET merged_into = ?1 WHERE merged_into = ?2", into, other));
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * stamp, db.Prepare("UPDATE contacts SET merged_into = ?, merged_at = ? WHERE id = ?"));
  {
    StmtScope scope(*stamp);
    stamp->Bind(1, into).Bind(2, at).Bind(3, other);
    MERIDIAN_RETURN_IF_ERROR(stamp->Run());
  }
  // What this merge did, so a split can give each contact back what it had.
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * record,
      db.Prepare("INSERT INTO contact_merges (into_id, merged_id, at) VALUES (?, ?, ?)"));
  {
    StmtScope scope(*record);
    record->Bind(1, into).Bind(2, other).Bind(3, at);
    MERIDIAN_RETURN_IF_ERROR(record->Run());
  }
  Id merge_id = db.LastInsertId();
  for (Id identity : m.identity_ids) {
    MERIDIAN_RETURN_IF_ERROR(
        Run(db, "INSERT INTO contact_merge_identities (merge_id, identity_id) VALUES (?1, ?2)",
            merge_id, identity));
  }
  // The survivor keeps its own name, language, country and time zone; it takes the other's
  // only where it has none, and remembers which it took. The merged contact's row (the
  // tombstone) keeps its own values untouched.
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * fill_record,
      db.Prepare("INSERT INTO contact_merge_fills (merge_id, field, value) VALUES (?, ?, ?)"));
  auto own = ProfileFields(survivor);
  auto theirs = ProfileFields(source);
  for (size_t i = 0; i < own.size(); ++i) {
    const auto& [field, value] = own[i];
    const std::string& offered = *theirs[i].second;
    if (!value->empty() || offered.empty()) continue;
    MERIDIAN_RETURN_IF_ERROR(SetProfileField(db, into, field, offered));
    StmtScope scope(*fill_record);
    fill_record->Bind(1, merge_id).Bind(2, field).Bind(3, offered);
    MERIDIAN_RETURN_IF_ERROR(fill_record->Run());
  }
  MERIDIAN_RETURN_IF_ERROR(AppendAuditRow(
      db,
      {actor, automatic ? "contact.auto_merge" : "contact.merge", fmt::format("contact:{}", into),
       fmt::format(R"({{"merged":{},"identities":[{}],"conversations":[{}]}})", other,
                   fmt::join(m.identity_ids, ","), fmt::join(m.conversation_ids, ",")),
       at}));
  return m;
}

namespace {

// After a split moved `split.identity_ids` off `from` to the new contact: the new contact takes
// the profile (language, country, time zone; the name when it has none) of the contact its
// oldest moved identity came from by a merge, as that contact's tombstone kept it; every merge
// whose identities all left gives back the fields it filled on `from`, unless they were
// changed since, and is marked undone. Identities that never came by a merge bring nothing.
Status RestoreProfilesTx(Db& db, const Contact& from, const ContactSplit& split, TimestampMs at) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * merges, db.Prepare("SELECT m.id, m.merged_id, mi.identity_id FROM contact_merges m"
                                " JOIN contact_merge_identities mi ON mi.merge_id = m.id"
                                " WHERE m.into_id = ? AND m.undone_at IS NULL ORDER BY m.id"));
  struct MergeRecord {
    Id merged_id = 0;
    std::vector<Id> identities;
  };
  std::map<Id, MergeRecord> by_merge;
  {
    StmtScope scope(*merges);
    merges->Bind(1, from.id);
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, merges->Step());
      if (!row) break;
      MergeRecord& r = by_merge[merges->Int(0)];
      r.merged_id = merges->Int(1);
      r.identities.push_back(merges->Int(2));
    }
  }
  std::set<Id> moved(split.identity_ids.begin(), split.identity_ids.end());
  Id origin = 0;  // the merged contact the oldest moved identity came from (newest merge wins)
  for (const auto& [merge_id, r] : by_merge) {
    if (std::find(r.identities.begin(), r.identities.end(), split.identity_ids.front()) !=
        r.identities.end()) {
      origin = r.merged_id;
    }
  }
  if (origin != 0) {
    MERIDIAN_ASSIGN_OR_RETURN(auto row, LoadContactRow(db, origin));
    MERIDIAN_ASSIGN_OR_RETURN(Contact created, LoadLiveContact(db, split.contact_id));
    for (const auto& [field, value] : ProfileFields(row.first)) {
      bool is_name = std::string_view(field) == "name";
      if (value->empty() || (is_name && !created.name.empty())) continue;
      MERIDIAN_RETURN_IF_ERROR(SetProfileField(db, split.contact_id, field, *value));
    }
  }
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * fills, db.Prepare("SELECT field, value FROM contact_merge_fills WHERE merge_id = ?"));
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * undo,
                            db.Prepare("UPDATE contact_merges SET undone_at = ? WHERE id = ?"));
  for (const auto& [merge_id, r] : by_merge) {
    bool all_left = std::all_of(r.identities.begin(), r.identities.end(),
                                [&](Id i) { return moved.count(i) > 0; });
    if (!all_left) continue;
    std::vector<std::pair<std::string, std::string>> filled;
    {
      StmtScope scope(*fills);
      fills->Bind(1, merge_id);
      while (true) {
        MERIDIAN_ASSIGN_OR_RETURN(bool row, fills->Step());
        if (!row) break;
        filled.emplace_back(fills->Text(0), fills->Text(1));
      }
    }
    for (const auto& [field, value] : filled) {
      for (const auto& [name, current] : ProfileFields(from)) {
        // Only what still is the merge's value: an agent's later edit stays.
        if (field == name && *current == value) {
          MERIDIAN_RETURN_IF_ERROR(SetProfileField(db, from.id, name, ""));
        }
      }
    }
    StmtScope scope(*undo);
    undo->Bind(1, at).Bind(2, merge_id);
    MERIDIAN_RETURN_IF_ERROR(undo->Run());
  }
  return Status::Ok();
}

}  // namespace

Result<ContactSplit> SplitContactTx(Db& db, Id contact_id, const std::vector<Id>& identity_ids,
                                    const std::string& actor, TimestampMs at) {
  if (identity_ids.empty()) {
    return Status::Unprocessable("field 'identity_ids' must name at least one identity",
                                 "missing_field");
  }
  if (identity_ids.size() > kMaxSplitIdentities) {
    return Status::Unprocessable(
        fmt::format("field 'identity_ids' may name at most {} identities", kMaxSplitIdentities),
        "invalid_field");
  }
  MERIDIAN_ASSIGN_OR_RETURN(Contact contact, LoadWritableContact(db, contact_id));
  MERIDIAN_ASSIGN_OR_RETURN(
      std::vector<Id> own,
      SelectIds(db, "SELECT id FROM contact_identities WHERE contact_id = ? ORDER BY id",
                contact_id));
  std::set<Id> moving(identity_ids.begin(), identity_ids.end());
  for (Id id : moving) {
    if (std::find(own.begin(), own.end(), id) == own.end()) {
      return Status::Unprocessable(
          fmt::format("identity {} does not belong to contact {}", id, contact_id),
          "identity_not_on_contact");
    }
  }
  if (moving.size() == own.size()) {
    return Status::Unprocessable(
        "a split must leave the contact at least one identity; merge the other way instead",
        "split_leaves_nothing");
  }
  ContactSplit out;
  out.from = contact_id;
  out.identity_ids.assign(moving.begin(), moving.end());
  // The new contact is named as its oldest identity was when it first wrote.
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * name,
                            db.Prepare("SELECT name FROM contact_identities WHERE id = ?"));
  std::string new_name;
  {
    StmtScope scope(*name);
    name->Bind(1, out.identity_ids.front());
    MERIDIAN_ASSIGN_OR_RETURN(bool row, name->Step());
    if (row) new_name = name->Text(0);
  }
  if (new_name.empty()) new_name = contact.name;
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * create,
                            db.Prepare("INSERT INTO contacts (account_id, name, created_at) SELECT"
                                       " account_id, ?, ? FROM contacts WHERE id = ?"));
  {
    StmtScope scope(*create);
    create->Bind(1, new_name).Bind(2, at).Bind(3, contact_id);
    MERIDIAN_RETURN_IF_ERROR(create->Run());
  }
  out.contact_id = db.LastInsertId();
  for (Id identity : out.identity_ids) {
    MERIDIAN_ASSIGN_OR_RETURN(
        std::vector<Id> conversations,
        SelectIds(db, "SELECT id FROM conversations WHERE identity_id = ? ORDER BY id", identity));
    out.conversation_ids.insert(out.conversation_ids.end(), conversations.begin(),
                                conversations.end());
    MERIDIAN_RETURN_IF_ERROR(Run(db, "UPDATE contact_identities SET contact_id = ?1 WHERE id = ?2",
                                 out.contact_id, identity));
    MERIDIAN_RETURN_IF_ERROR(Run(db,
                                 "UPDATE conversations SET contact_id = ?1 WHERE identity_id = ?2",
                                 out.contact_id, identity));
  }
  std::sort(out.conversation_ids.begin(), out.conversation_ids.end());
  MERIDIAN_RETURN_IF_ERROR(RestoreProfilesTx(db, contact, out, at));
  MERIDIAN_RETURN_IF_ERROR(AppendAuditRow(
      db,
      {actor, "contact.split", fmt::format("contact:{}", contact_id),
       fmt::format(R"({{"new_contact":{},"identities":[{}],"conversations":[{}]}})", out.contact_id,
                   fmt::join(out.identity_ids, ","), fmt::join(out.conversation_ids, ",")),
       at}));
  return out;
}

Result<ContactDetail> LoadContactDetail(Db& db, Id id) {
  ContactDetail out;
  MERIDIAN_ASSIGN_OR_RETURN(out.contact, LoadLiveContact(db, id));
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * ids, db.Prepare("SELECT ci.id, ci.inbox_id, i.name, i.channel, ci.external_id,"
                             " ci.name, ci.created_at FROM contact_identities ci JOIN inboxes i"
                             " ON i.id = ci.inbox_id WHERE ci.contact_id = ? ORDER BY ci.id"));
  {
    StmtScope scope(*ids);
    ids->Bind(1, id);
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, ids->Step());
      if (!row) break;
      ContactIdentity ci;
      ci.id = ids->Int(0);
      ci.contact_id = id;
      ci.inbox_id = ids->Int(1);
      ci.inbox_name = ids->Text(2);
      ci.channel = ids->Text(3);
      ci.external_id = ids->Text(4);
      ci.name = ids->Text(5);
      ci.created_at = ids->Int(6);
      out.identities.push_back(std::move(ci));
    }
  }
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * attrs, db.Prepare("SELECT a.kind, a.value, a.verified, a.identity_id, a.created_at"
                               " FROM contact_attributes a JOIN contact_identities ci"
                               " ON ci.id = a.identity_id WHERE ci.contact_id = ?"
                               " ORDER BY a.created_at, a.identity_id, a.kind, a.value"));
  {
    StmtScope scope(*attrs);
    attrs->Bind(1, id);
    std::string* email = &out.contact.email;
    std::string* phone = &out.contact.phone;
    bool email_verified = false, phone_verified = false;
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, attrs->Step());
      if (!row) break;
      ContactAttribute a = ReadAttribute(*attrs, 0);
      // The contact's email/phone: the first verified one, else the first claimed one.
      bool is_email = a.kind == AttributeKind::kEmail;
      std::string* slot = is_email ? email : phone;
      bool& slot_verified = is_email ? email_verified : phone_verified;
      if (slot->empty() || (a.verified && !slot_verified)) {
        *slot = a.value;
        slot_verified = a.verified;
      }
      for (auto& ci : out.identities) {
        if (ci.id == a.identity_id) ci.attributes.push_back(a);
      }
    }
  }
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * convs,
      db.Prepare(std::string(kConversationSelect) +
                 " WHERE c.contact_id = ? ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?"));
  StmtScope scope(*convs);
  convs->Bind(1, id).Bind(2, kMaxContactConversations);
  while (true) {
    MERIDIAN_ASSIGN_OR_RETURN(bool row, convs->Step());
    if (!row) break;
    out.conversations.push_back(ReadConversationRow(*convs));
  }
  return out;
}

Result<std::vector<DuplicateCandidate>> LoadDuplicates(Db& db, Id id) {
  MERIDIAN_RETURN_IF_ERROR(LoadLiveContact(db, id).status());
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s,
      db.Prepare("SELECT DISTINCT oi.contact_id, oa.kind, oa.value, oa.verified, oa.identity_id,"
                 " oa.created_at FROM contact_attributes ma JOIN contact_identities mi"
                 " ON mi.id = ma.identity_id JOIN contact_attributes oa ON oa.kind = ma.kind AND"
                 " oa.value = ma.value JOIN contact_identities oi ON oi.id = oa.identity_id"
                 " WHERE mi.contact_id = ?1 AND oi.contact_id <> ?1"
                 " ORDER BY oi.contact_id, oa.kind, oa.value LIMIT 200"));
  std::map<Id, std::vector<ContactAttribute>> shared;
  {
    StmtScope scope(*s);
    s->Bind(1, id);
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      shared[s->Int(0)].push_back(ReadAttribute(*s, 1));
    }
  }
  std::vector<DuplicateCandidate> out;
  for (auto& [other, attributes] : shared) {
    auto c = LoadLiveContact(db, other);
    if (!c.ok()) continue;  // cannot happen: tombstones hold no identities
    out.push_back({std::move(c).value(), std::move(attributes)});
  }
  return out;
}

Result<Page<Message>> LoadContactMessages(Db& db, Id id, const std::string& cursor, int limit) {
  int64_t before_at = INT64_MAX, before_id = INT64_MAX;
  if (!cursor.empty()) {
    std::string raw = crypto::Base64Decode(cursor);
    auto dot = raw.find('.');
    const char* end = raw.data() + raw.size();
    bool ok = dot != std::string::npos;
    if (ok) {
      auto [p1, e1] = std::from_chars(raw.data(), raw.data() + dot, before_at);
      auto [p2, e2] = std::from_chars(raw.data() + dot + 1, end, before_id);
      ok = e1 == std::errc() && e2 == std::errc() && p1 == raw.data() + dot && p2 == end &&
           before_id > 0;
    }
    if (!ok) return Status::InvalidArgument("cursor is not valid", "invalid_cursor");
  }
  MERIDIAN_RETURN_IF_ERROR(LoadLiveContact(db, id).status());
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                            db.Prepare(std::string(kMessageSelect) +
                                       " JOIN conversations c ON c.id = m.conversation_id"
                                       " WHERE c.contact_id = ? AND (m.created_at, m.id) < (?, ?)"
                                       " ORDER BY m.created_at DESC, m.id DESC LIMIT ?"));
  StmtScope scope(*s);
  s->Bind(1, id).Bind(2, before_at).Bind(3, before_id).Bind(4, limit + 1);
  return ReadMessagePage(*s, limit, [](const Message& oldest) {
    return crypto::Base64UrlEncode(fmt::format("{}.{}", oldest.created_at, oldest.id));
  });
}

Result<ContactSettings> LoadContactSettings(Db& db) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                            db.Prepare("SELECT auto_merge_verified FROM accounts WHERE id = 1"));
  StmtScope scope(*s);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::Unavailable("store is not migrated", "not_migrated");
  return ContactSettings{.auto_merge_verified = s->Int(0) != 0};
}

Status SaveContactSettings(Db& db, const ContactSettings& settings) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                            db.Prepare("UPDATE accounts SET auto_merge_verified = ? WHERE id = 1"));
  StmtScope scope(*s);
  s->Bind(1, settings.auto_merge_verified ? 1 : 0);
  return s->Run();
}

}  // namespace meridian::store::sqlite
