#include "store/sqlite/migrations.h"

#include <fmt/format.h>

#include <string>
#include <utility>

namespace meridian::store::sqlite {

namespace {

constexpr std::string_view kInitial = R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE accounts (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO accounts (id, name, created_at) VALUES (1, 'Default', 0);

CREATE TABLE teams (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE agents (
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL DEFAULT 1 REFERENCES accounts(id),
  email         TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  password_hash TEXT NOT NULL,
  language      TEXT NOT NULL DEFAULT 'en',
  team_id       INTEGER REFERENCES teams(id),
  created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  agent_id   INTEGER NOT NULL REFERENCES agents(id),
  kind       TEXT NOT NULL CHECK (kind IN ('browser', 'api')),
  csrf_token TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE inboxes (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL DEFAULT 1 REFERENCES accounts(id),
  channel    TEXT NOT NULL,
  name       TEXT NOT NULL,
  config     TEXT NOT NULL DEFAULT '{}',
  secret     TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);

CREATE TABLE contacts (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL DEFAULT 1 REFERENCES accounts(id),
  name       TEXT NOT NULL DEFAULT '',
  email      TEXT,
  phone      TEXT,
  language   TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE contact_identities (
  id          INTEGER PRIMARY KEY,
  contact_id  INTEGER NOT NULL REFERENCES contacts(id),
  inbox_id    INTEGER NOT NULL REFERENCES inboxes(id),
  external_id TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (inbox_id, external_id)
);
CREATE INDEX contact_identities_contact ON contact_identities (contact_id);

CREATE TABLE conversations (
  id               INTEGER PRIMARY KEY,
  account_id       INTEGER NOT NULL DEFAULT 1 REFERENCES accounts(id),
  inbox_id         INTEGER NOT NULL REFERENCES inboxes(id),
  contact_id       INTEGER NOT NULL REFERENCES contacts(id),
  identity_id      INTEGER NOT NULL REFERENCES contact_identities(id),
  status           TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
  assignee_id      INTEGER REFERENCES agents(id),
  team_id          INTEGER REFERENCES teams(id),
  priority         INTEGER NOT NULL DEFAULT 0,
  language         TEXT NOT NULL DEFAULT '',
  unread_count     INTEGER NOT NULL DEFAULT 0,
  has_unread       INTEGER NOT NULL DEFAULT 0,  -- 1 when unread_count > 0: the list's first key
  last_message_id  INTEGER,
  last_activity_at INTEGER NOT NULL,
  created_at       INTEGER NOT NULL
);
-- Keyset pagination for the agent list: unread first, then newest activity.
CREATE INDEX conversations_by_status
  ON conversations (status, has_unread DESC, last_activity_at DESC, id DESC);
CREATE INDEX conversations_by_assignee
  ON conversations (assignee_id, status, has_unread DESC, last_activity_at DESC, id DESC);
CREATE INDEX conversations_all
  ON conversations (has_unread DESC, last_activity_at DESC, id DESC);
CREATE INDEX conversations_by_identity ON conversations (identity_id, id);

CREATE TABLE messages (
  id                  INTEGER PRIMARY KEY,
  conversation_id     INTEGER NOT NULL REFERENCES conversations(id),
  inbox_id            INTEGER NOT NULL REFERENCES inboxes(id),
  direction           TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  sender_kind         TEXT NOT NULL CHECK (sender_kind IN ('customer', 'agent', 'bot', 'system')),
  sender_agent_id     INTEGER REFERENCES agents(id),
  text                TEXT NOT NULL,
  content_type        TEXT NOT NULL DEFAULT 'text',
  language            TEXT,
  translated_text     TEXT,  -- room for LG2: the text in the reader's language
  translated_language TEXT,
  status              TEXT NOT NULL,
  provider_message_id TEXT,
  client_message_id   TEXT,
  created_at          INTEGER NOT NULL,
  provider_sent_at    INTEGER,
  sent_at             INTEGER,
  delivered_at        INTEGER,
  read_at             INTEGER
);
CREATE UNIQUE INDEX messages_provider_id ON messages (inbox_id, provider_message_id)
  WHERE provider_message_id IS NOT NULL;
CREATE UNIQUE INDEX messages_client_id ON messages (conversation_id, client_message_id)
  WHERE client_message_id IS NOT NULL;
CREATE INDEX messages_by_conversation ON messages (conversation_id, id);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  message_id      INTEGER NOT NULL REFERENCES messages(id),
  inbox_id        INTEGER NOT NULL REFERENCES inboxes(id),
  payload         TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'dead')),
  created_at      INTEGER NOT NULL,
  done_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  details   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
)sql";

// "Unassigned" or "mine" across every status must not sort the whole set per page.
constexpr std::string_view kAssigneeAllStatuses = R"sql(
CREATE INDEX conversations_by_assignee_all
  ON conversations (assignee_id, has_unread DESC, last_activity_at DESC, id DESC);
)sql";

// The enrichment pipeline runs after the store and is restartable: what it has not done yet is
// found through a partial index that holds only inbound messages awaiting enrichment.
constexpr std::string_view kEnrichment = R"sql(
ALTER TABLE messages ADD COLUMN nlu_json TEXT;
ALTER TABLE messages ADD COLUMN enriched_at INTEGER;
CREATE INDEX messages_unenriched ON messages (id) WHERE enriched_at IS NULL AND direction = 'in';
ALTER TABLE conversations ADD COLUMN language_set_by_agent INTEGER NOT NULL DEFAULT 0;
)sql";

// Provider channels (issue 3): provider metadata of inbound messages (media id, location, quoted
// message, LINE reply token), the provider's error of a failed send, delivery statuses that
// arrived before their message, and the customer's last message per conversation (window).
constexpr std::string_view kProviderChannels = R"sql(
ALTER TABLE messages ADD COLUMN meta TEXT;
ALTER TABLE messages ADD COLUMN status_error TEXT;
CREATE TABLE pending_statuses (
  inbox_id            INTEGER NOT NULL REFERENCES inboxes(id),
  provider_message_id TEXT NOT NULL,
  status              TEXT NOT NULL,
  error               TEXT NOT NULL DEFAULT '',
  at                  INTEGER NOT NULL,
  PRIMARY KEY (inbox_id, provider_message_id, status)
) WITHOUT ROWID;
CREATE INDEX messages_by_direction ON messages (conversation_id, direction, id);
)sql";

// Reply templates (LG6): one row per template, one per locale variant (ICU MessageFormat
// bodies), and what the customer's locale needs: the contact's country and time zone and the
// account's default time zone.
constexpr std::string_view kReplyTemplates = R"sql(
CREATE TABLE reply_templates (
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL DEFAULT 1 REFERENCES accounts(id),
  key           TEXT NOT NULL,
  name          TEXT NOT NULL,
  source_locale TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (account_id, key)
);
CREATE TABLE reply_template_variants (
  template_id INTEGER NOT NULL REFERENCES reply_templates(id) ON DELETE CASCADE,
  locale      TEXT NOT NULL,
  style       TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL,
  PRIMARY KEY (template_id, locale)
) WITHOUT ROWID;
ALTER TABLE contacts ADD COLUMN country TEXT;
ALTER TABLE contacts ADD COLUMN time_zone TEXT;
ALTER TABLE accounts ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
)sql";

// Issue 3, agents' side: WhatsApp message templates per inbox (moved out of the inbox config,
// where the CLI used to put them), and dead letters found from their message.
constexpr std::string_view kTemplatesAndDeadLetters = R"sql(
CREATE TABLE message_templates (
  inbox_id        INTEGER NOT NULL REFERENCES inboxes(id),
  name            TEXT NOT NULL,
  language        TEXT NOT NULL,
  position        INTEGER NOT NULL DEFAULT 0,  -- the admin's order of the languages
  parameter_count INTEGER,                     -- NULL: not recorded, not checked
  body            TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (inbox_id, name, language)
) WITHOUT ROWID;
INSERT OR IGNORE INTO message_templates (inbox_id, name, language, position, created_at)
  SELECT i.id, json_extract(t.value, '$.name'), l.value, l.key, i.created_at
  FROM inboxes i,
       json_each(CASE WHEN json_valid(i.config) THEN i.config ELSE '{}' END, '$.templates') t,
       json_each(t.value, '$.languages') l
  WHERE t.type = 'object' AND json_type(t.value, '$.name') = 'text' AND l.type = 'text';
UPDATE inboxes SET config = json_remove(config, '$.templates')
  WHERE json_valid(config) AND json_type(config, '$.templates') IS NOT NULL;
CREATE INDEX outbox_by_message ON outbox (message_id);
)sql";

// Email inboxes (issue 3, CH2) and attachments (CH9): where each polled mailbox stands (IMAP
// UIDVALIDITY + highest stored UID) and its health; files that came with messages, named by
// the SHA-256 of their bytes in the blob store; and the lookup by provider message id across
// directions that threading needs (messages_provider_id already covers (inbox, id)).
constexpr std::string_view kMailAndAttachments = R"sql(
CREATE TABLE mailbox_sync (
  inbox_id        INTEGER PRIMARY KEY REFERENCES inboxes(id),
  uidvalidity     INTEGER NOT NULL DEFAULT 0,
  last_uid        INTEGER NOT NULL DEFAULT 0,
  healthy         INTEGER NOT NULL DEFAULT 1,
  error           TEXT NOT NULL DEFAULT '',
  failures        INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_success_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE attachments (
  id           INTEGER PRIMARY KEY,
  message_id   INTEGER NOT NULL REFERENCES messages(id),
  inbox_id     INTEGER NOT NULL REFERENCES inboxes(id),
  filename     TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL,
  claimed_type TEXT NOT NULL DEFAULT '',
  content_id   TEXT NOT NULL DEFAULT '',
  is_inline    INTEGER NOT NULL DEFAULT 0,
  stored       INTEGER NOT NULL DEFAULT 1,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (message_id, id);
CREATE INDEX attachments_by_blob ON attachments (sha256);
)sql";

// Outbound translation and per-agent language (issue 4, LG2/LG4): the language an agent reads
// and writes in, the agent's original of a reply sent in translation, on-demand translations of
// messages per reader language, and each account's translation memory and glossary.
constexpr std::string_view kTranslation = R"sql(
ALTER TABLE agents ADD COLUMN translation_language TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN original_text TEXT;
ALTER TABLE messages ADD COLUMN original_language TEXT;
CREATE TABLE message_translations (
  message_id INTEGER NOT NULL REFERENCES messages(id),
  language   TEXT NOT NULL,
  text       TEXT NOT NULL,
  engine     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, language)
) WITHOUT ROWID;
CREATE TABLE tm_segments (
  id              INTEGER PRIMARY KEY,
  account_id      INTEGER NOT NULL DEFAULT 1 REFERENCES accounts(id),
  source_language TEXT NOT NULL,
  target_language TEXT NOT NULL,
  source          TEXT NOT NULL,
  target          TEXT NOT NULL,
  approved        INTEGER NOT NULL DEFAULT 1,
  agent_id        INTEGER REFERENCES agents(id),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (account_id, source_language, target_language, source)
);
CREATE TABLE glossary_terms (
  id              INTEGER PRIMARY KEY,
  account_id      INTEGER NOT NULL DEFAULT 1 REFERENCES accounts(id),
  kind            TEXT NOT NULL CHECK (kind IN ('do_not_translate', 'forced')),
  source_language TEXT NOT NULL DEFAULT '',
  target_language TEXT NOT NULL DEFAULT '',
  source          TEXT NOT NULL,
  target          TEXT NOT NULL DEFAULT '',
  target_plural   TEXT NOT NULL DEFAULT '',
  case_sensitive  INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  UNIQUE (account_id, kind, source_language, target_language, source)
);
)sql";

// One customer, many identities (CH8): emails and phone numbers each identity brought (verified
// or merely claimed), the name each identity came with (so a split restores it), merged contacts
// kept as tombstones that point at the contact they went into, and the account's auto-merge
// switch (on by default, verified matches only).
constexpr std::string_view kContactIdentities = R"sql(
CREATE TABLE contact_attributes (
  identity_id INTEGER NOT NULL REFERENCES contact_identities(id),
  kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
  value       TEXT NOT NULL,
  verified    INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (identity_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX contact_attributes_by_value ON contact_attributes (kind, value, verified);
ALTER TABLE contact_identities ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE contact_identities SET name = (SELECT name FROM contacts WHERE contacts.id = contact_id);
ALTER TABLE contacts ADD COLUMN merged_into INTEGER REFERENCES contacts(id);
ALTER TABLE contacts ADD COLUMN merged_at INTEGER;
ALTER TABLE accounts ADD COLUMN auto_merge_verified INTEGER NOT NULL DEFAULT 1;
CREATE INDEX conversations_by_contact ON conversations (contact_id, last_activity_at);
)sql";

// Provider media downloaded after the webhook was answered (issue 3, CH9): an attachment row is
// written with its message as "pending" with where to fetch it (source), retried with backoff
// by the media worker, then stored or "failed" with the reason agents see.
constexpr std::string_view kMediaDownloads = R"sql(
ALTER TABLE attachments ADD COLUMN download TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN download_error TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attachments ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attachments_pending ON attachments (next_attempt_at) WHERE download = 'pending';
)sql";

// Contact merges remember what they changed (issue 3, CH8): which identities each merge brought
// and which empty fields of the surviving contact it filled from the merged one, so a split
// gives each contact back what it had. Merges before this migration have no record: a split
// of those leaves the survivor's fields as they are.
constexpr std::string_view kContactMergeRecords = R"sql(
CREATE TABLE contact_merges (
  id        INTEGER PRIMARY KEY,
  into_id   INTEGER NOT NULL REFERENCES contacts(id),
  merged_id INTEGER NOT NULL REFERENCES contacts(id),
  at        INTEGER NOT NULL,
  undone_at INTEGER
);
CREATE INDEX contact_merges_into ON contact_merges (into_id) WHERE undone_at IS NULL;
CREATE TABLE contact_merge_identities (
  merge_id    INTEGER NOT NULL REFERENCES contact_merges(id),
  identity_id INTEGER NOT NULL REFERENCES contact_identities(id),
  PRIMARY KEY (merge_id, identity_id)
) WITHOUT ROWID;
CREATE INDEX contact_merge_identities_by_identity ON contact_merge_identities (identity_id);
CREATE TABLE contact_merge_fills (
  merge_id INTEGER NOT NULL REFERENCES contact_merges(id),
  field    TEXT NOT NULL CHECK (field IN ('name', 'language', 'country', 'time_zone')),
  value    TEXT NOT NULL,
  PRIMARY KEY (merge_id, field)
) WITHOUT ROWID;
)sql";

}  // namespace

// Ingest touches every index that holds a conversation's last activity, so each one costs every
// inbound message two B-tree writes (and WAL pages). Lists across all statuses now merge the
// per-status ranges of conversations_by_status / conversations_by_assignee (ListConversations),
// a contact's few conversations are sorted after the lookup, and the last inbound message of a
// conversation is found by walking messages_by_conversation back from its newest message.
constexpr std::string_view kLeanerIngestIndexes = R"sql(
DROP INDEX conversations_all;
DROP INDEX conversations_by_assignee_all;
DROP INDEX conversations_by_contact;
CREATE INDEX conversations_by_contact ON conversations (contact_id);
DROP INDEX messages_by_direction;
)sql";

// SQLite checks `x IN (a, b, c)` with three or more constants by building a temporary index of
// them every time the statement runs: on every inbound message for conversations.status and
// messages.sender_kind (a tenth of the writer's time). The same constraints as comparisons cost
// nothing. Only the constraint text changes (the stored rows are valid under both), which
// SQLite's documentation allows without rebuilding the table: rewrite the table's SQL in the
// schema table and bump the schema version so that every connection reloads it.
constexpr std::pair<std::string_view, std::string_view> kInListChecks[] = {
    {"CHECK (status IN ('open', 'pending', 'snoozed', 'resolved'))",
     "CHECK (status = 'open' OR status = 'pending' OR status = 'snoozed' OR status = 'resolved')"},
    {"CHECK (sender_kind IN ('customer', 'agent', 'bot', 'system'))",
     "CHECK (sender_kind = 'customer' OR sender_kind = 'agent' OR sender_kind = 'bot' OR"
     " sender_kind = 'system')"},
    {"CHECK (state IN ('pending', 'done', 'dead'))",
     "CHECK (state = 'pending' OR state = 'done' OR state = 'dead')"},
};

Status ChecksAsComparisons(Db& db) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * version, db.Prepare("PRAGMA schema_version"));
  int64_t schema_version = 0;
  {
    StmtScope scope(*version);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, version->Step());
    if (row) schema_version = version->Int(0);
  }
  MERIDIAN_RETURN_IF_ERROR(db.Exec("PRAGMA writable_schema=ON"));
  Status rewritten = Status::Ok();
  for (const auto& [from, to] : kInListChecks) {
    auto s = db.Prepare(
        "UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2)"
        " WHERE type = 'table' AND name IN ('conversations', 'messages', 'outbox')"
        " AND instr(sql, ?1) > 0");
    if (!s.ok()) {
      rewritten = s.status();
      break;
    }
    StmtScope scope(**s);
    (*s)->Bind(1, std::string(from)).Bind(2, std::string(to));
    rewritten = (*s)->Run();
    if (!rewritten.ok()) break;
  }
  if (rewritten.ok()) {
    rewritten = db.Exec(fmt::format("PRAGMA schema_version={}", schema_version + 1));
  }
  Status off = db.Exec("PRAGMA writable_schema=OFF");
  MERIDIAN_RETURN_IF_ERROR(rewritten);
  return off;
}

// Inboxes can be edited (name, settings, secrets) and an API inbox's secret rotated with a
// grace period: a revision for the caches, and the replaced secret with its end of validity.
constexpr std::string_view kInboxRevisions = R"sql(
ALTER TABLE inboxes ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE inboxes ADD COLUMN previous_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE inboxes ADD COLUMN previous_secret_until INTEGER NOT NULL DEFAULT 0;
)sql";

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kAll = {
      {1, "initial schema", kInitial},
      {2, "conversation list by assignee across statuses", kAssigneeAllStatuses},
      {3, "message enrichment (language, NLU findings, agent language override)", kEnrichment},
      {4, "provider channels: message meta, statuses before messages", kProviderChannels},
      {5, "translation: agent language, reply originals, translation memory, glossary",
       kTranslation},
      {6, "reply templates with locale variants; contact country and time zone", kReplyTemplates},
      {7, "email inboxes (mailbox sync state) and attachments", kMailAndAttachments},
      {8, "message templates per inbox, dead letters by message", kTemplatesAndDeadLetters},
      {9, "contact identities: attributes, merge tombstones, auto-merge setting",
       kContactIdentities},
      {10, "provider media downloads: pending/failed attachments with source and retries",
       kMediaDownloads},
      {12, "contact merges: identities brought and fields filled, for splits",
       kContactMergeRecords},
      {13, "fewer indexes on the ingest path (per-status list merge)", kLeanerIngestIndexes},
      {14, "CHECK constraints as comparisons (no temporary index per insert)", "",
       ChecksAsComparisons},
      {15, "inbox revisions and secret rotation", kInboxRevisions},
  };
  return kAll;
}

}  // namespace meridian::store::sqlite
