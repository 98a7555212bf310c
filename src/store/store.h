#pragma once
// The Store: every durable fact of Meridian, behind one interface (DESIGN.md section 2).
// All SQL lives under src/store/. Backends: sqlite/ (embedded default); postgres/ later, behind
// the same contract tests.
//
// Threading: every method is thread-safe. Reads run on the caller's thread against a pool of
// read connections. Writes are executed by one writer thread that groups concurrent writes
// into one transaction (group commit): many callers share one fsync, and each caller is
// answered only after the transaction holding its write has committed. The *Async methods
// invoke their callback on the writer thread after commit (or on failure); callbacks must be
// quick and must not call back into the Store synchronously. The synchronous write methods
// block the caller until commit: never call them from an I/O thread.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "core/status.h"

namespace meridian::store {

template <typename T>
using Callback = std::function<void(Result<T>)>;

struct StoreOptions {
  std::string path;              // database file
  bool synchronous_full = true;  // PRAGMA synchronous=FULL (else NORMAL)
  int read_connections = 4;
  int max_batch = 1024;  // most writes grouped into one transaction
};

// ---- Agents and sessions -------------------------------------------------------------------

struct NewAgent {
  std::string email;  // normalized to lower case by the caller
  std::string name;
  Role role = Role::kAgent;
  std::string password_hash;  // Argon2id encoded string
  std::string language = "en";
};

struct AgentCredentials {
  Agent agent;
  std::string password_hash;
};

enum class SessionKind { kBrowser, kApiToken };

struct Session {
  std::string token_hash;  // SHA-256 of the bearer token, hex; the token itself is never stored
  Id agent_id = 0;
  SessionKind kind = SessionKind::kBrowser;
  std::string csrf_token;  // browser sessions only
  TimestampMs created_at = 0;
  TimestampMs expires_at = 0;
};

// What an agent may change about themselves; unset fields stay as they are.
struct AgentPreferences {
  std::optional<std::string> language;              // interface language
  std::optional<std::string> translation_language;  // "" = the team's working language
};

// ---- Inbound and outbound messages ----------------------------------------------------------

// A normalized inbound message from any channel.
struct InboundMessage {
  Id inbox_id = 0;
  std::string external_sender_id;  // the sender's id on the channel (unique per inbox)
  std::string sender_name;
  std::string provider_message_id;  // de-duplication key, unique per inbox
  std::string text;
  std::string content_type = "text";
  std::string meta_json;        // provider details (media id, location, quoted id); may be empty
  TimestampMs sent_at = 0;      // when the customer sent it (provider's timestamp)
  TimestampMs received_at = 0;  // when we received it
};

struct IngestResult {
  bool duplicate = false;  // true: this provider_message_id was stored before; nothing new
  Message message;
  ConversationView conversation;
  bool conversation_created = false;
};

// An agent's (or bot's) reply into a conversation.
struct OutboundMessage {
  Id conversation_id = 0;
  SenderKind sender_kind = SenderKind::kAgent;
  std::optional<Id> sender_agent_id;
  std::string text;
  std::optional<std::string> client_message_id;  // idempotency key per conversation
  // When set, an outbox entry with this payload is written in the same transaction.
  std::optional<std::string> outbox_payload;
  DeliveryStatus initial_status = DeliveryStatus::kPending;
  TimestampMs created_at = 0;
  // A reply sent in translation: `text` is the translation (in `language`), `original_text`
  // what the agent wrote (in `original_language`). All empty for an untranslated reply.
  std::string language;
  std::string original_text;
  std::string original_language;
};

struct AppendResult {
  bool duplicate = false;
  Message message;
  ConversationView conversation;
};

// The customer's newest message in a conversation (messaging windows, LINE reply tokens).
struct LastInbound {
  Id message_id = 0;
  TimestampMs at = 0;     // when the customer sent it (provider time, never after receipt)
  std::string meta_json;  // as stored with the message
};

// ---- Conversations ----------------------------------------------------------------------

enum class AssigneeFilter { kAny, kMe, kNone };

struct ConversationFilter {
  std::optional<ConversationStatus> status;  // nullopt: every status
  AssigneeFilter assignee = AssigneeFilter::kAny;
  Id me = 0;           // the caller, for kMe
  std::string cursor;  // opaque, from a previous page
  int limit = 50;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

struct ConversationChange {
  std::optional<ConversationStatus> status;
  // An agent's choice of the conversation's language (ISO 639-1); "" hands the choice back to
  // detection.
  std::optional<std::string> language;
  std::optional<std::optional<Id>> assignee;  // set (inner nullopt = unassign)
  bool mark_read = false;
  TimestampMs at = 0;
};

// ---- Outbox --------------------------------------------------------------------------------

struct OutboxItem {
  Id id = 0;
  Id message_id = 0;
  Id inbox_id = 0;
  std::string payload;
  int attempts = 0;
  TimestampMs next_attempt_at = 0;
  std::string last_error;
  bool dead = false;
};

// ---- Enrichment (the pipeline after the store, DESIGN.md section 1) ------------------------

struct MessageEnrichment {
  std::string language;  // ISO 639-1, or "und"
  std::string nlu_json;  // the pipeline's findings; opaque to the store
  // The conversation's language after this message, as the pipeline decided it; "" leaves it.
  // Never applied over an agent's choice.
  std::string conversation_language;
  TimestampMs at = 0;
  // The text in the team's working language (LG2), when the pipeline translated it.
  std::string translated_text;
  std::string translated_language;
};

struct EnrichmentSaved {
  Message message;
  ConversationView conversation;
};

// ---- Translation (LG2, LG4) ---------------------------------------------------------------

// A message translated on demand into a reader's language, cached per (message, language).
struct MessageTranslation {
  Id message_id = 0;
  std::string language;
  std::string text;
  std::string engine;
  TimestampMs created_at = 0;
};

// A translation-memory segment of an account. `source` is stored normalized (whitespace
// collapsed, nlp::translate::NormalizeSource) and unique per (account, from, to).
struct TmEntry {
  Id id = 0;
  Id account_id = 1;
  std::string from;
  std::string to;
  std::string source;
  std::string target;
  bool approved = true;  // edited or approved by a human
  std::optional<Id> agent_id;
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
};

struct TmQuery {
  Id account_id = 1;
  std::string from;  // "" = any
  std::string to;    // "" = any
  std::string text;  // "" = any; else a case-insensitive substring of source or target
  int limit = 100;   // 0 = no limit (loading the memory)
  Id after_id = 0;   // keyset paging: entries with a larger id
};

enum class GlossaryKind { kDoNotTranslate, kForced };
std::string_view GlossaryKindName(GlossaryKind kind);

// A glossary term of an account: a do-not-translate term (any language), or a forced term
// translation for one language pair.
struct GlossaryEntry {
  Id id = 0;
  Id account_id = 1;
  GlossaryKind kind = GlossaryKind::kDoNotTranslate;
  std::string from;  // forced terms only
  std::string to;
  std::string source;
  std::string target;         // forced terms only
  std::string target_plural;  // optional
  bool case_sensitive = false;
  TimestampMs created_at = 0;
};

// ---- Audit ---------------------------------------------------------------------------------

struct AuditEntry {
  std::string actor;                // "agent:12", "cli", "system"
  std::string action;               // "auth.login", "agent.create", ...
  std::string target;               // "agent:13", "inbox:4"
  std::string details_json = "{}";  // never PII or secrets
  TimestampMs at = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies pending migrations. Idempotent. Returns the schema version reached.
  virtual Result<int> Migrate() = 0;
  virtual Result<int> SchemaVersion() = 0;

  // A random secret generated once per installation (signing visitor tokens).
  virtual Result<std::string> InstallationSecret() = 0;

  // Agents. CreateAgent fails with Conflict("email_taken") when the email exists.
  virtual Result<Agent> CreateAgent(const NewAgent& agent) = 0;
  virtual Result<Agent> GetAgent(Id id) = 0;
  virtual Result<AgentCredentials> FindAgentByEmail(const std::string& email) = 0;
  virtual Result<Agent> SetAgentLanguage(Id id, const std::string& language) = 0;
  // Applies the set fields in one write. NotFound for an unknown agent.
  virtual Result<Agent> UpdateAgentPreferences(Id id, const AgentPreferences& preferences) = 0;
  virtual Result<int64_t> CountAgents() = 0;

  // Sessions and API tokens, looked up by the hash of the token. FindSession fails NotFound
  // for unknown or expired tokens.
  virtual Status CreateSession(const Session& session) = 0;
  virtual Result<Session> FindSession(const std::string& token_hash, TimestampMs now) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // Inboxes.
  virtual Result<Inbox> CreateInbox(const Inbox& inbox) = 0;
  virtual Result<Inbox> GetInbox(Id id) = 0;
  virtual Result<std::vector<Inbox>> ListInboxes() = 0;

  // Contacts: the contact behind (inbox, external id), created if new.
  virtual Result<Contact> EnsureContact(Id inbox_id, const std::string& external_id,
                                        const std::string& name, TimestampMs now) = 0;
  // The newest conversation of a contact in an inbox, if any.
  virtual Result<std::optional<Id>> LatestConversationOf(Id inbox_id,
                                                         const std::string& external_id) = 0;

  // Stores an inbound message durably, creating the contact and conversation if needed;
  // idempotent on (inbox, provider_message_id).
  virtual void IngestInboundAsync(InboundMessage msg, Callback<IngestResult> done) = 0;
  Result<IngestResult> IngestInbound(InboundMessage msg);

  // Appends an agent/bot message (and its outbox entry) to a conversation; idempotent on
  // (conversation, client_message_id). NotFound for an unknown conversation.
  virtual void AppendOutboundAsync(OutboundMessage msg, Callback<AppendResult> done) = 0;
  Result<AppendResult> AppendOutbound(OutboundMessage msg);

  virtual Result<Page<ConversationView>> ListConversations(const ConversationFilter& filter) = 0;
  virtual Result<ConversationView> GetConversation(Id id) = 0;
  // Messages of a conversation: the newest `limit` before `cursor`, oldest first.
  virtual Result<Page<Message>> ListMessages(Id conversation_id, const std::string& cursor,
                                             int limit) = 0;
  virtual Result<Message> GetMessage(Id id) = 0;
  virtual Result<ConversationView> UpdateConversation(Id id, const ConversationChange& change) = 0;
  virtual Result<std::optional<LastInbound>> LastInboundOf(Id conversation_id) = 0;

  // A provider's delivery status for our message `provider_message_id` in `inbox_id`. Statuses
  // only move forward (sent < delivered < failed < read). When no message has that id yet the
  // status is kept and applied by SetProviderMessageId. Returns the message when it changed.
  virtual Result<std::optional<Message>> ApplyDeliveryStatus(Id inbox_id,
                                                             const std::string& provider_message_id,
                                                             DeliveryStatus status,
                                                             const std::string& error,
                                                             TimestampMs at) = 0;
  // Records the provider's id of a sent message and applies statuses that arrived before it.
  virtual Result<Message> SetProviderMessageId(Id message_id,
                                               const std::string& provider_message_id) = 0;

  // Outbox. ClaimOutbox leases up to `limit` due, live items until `lease_until` (so another
  // worker or instance does not take them) and returns them.
  virtual Result<std::vector<OutboxItem>> ClaimOutbox(TimestampMs now, TimestampMs lease_until,
                                                      int limit) = 0;
  // Delivered: the item is done and its message becomes `sent`.
  virtual Result<Message> CompleteOutbox(Id outbox_id, TimestampMs at) = 0;
  // Failed: retried at `next_attempt_at`, or dead-lettered (message becomes `failed`).
  virtual Result<Message> FailOutbox(Id outbox_id, const std::string& error,
                                     TimestampMs next_attempt_at, bool dead) = 0;
  // Not attempted (rate limit): due again at `next_attempt_at`, attempts unchanged.
  virtual Status DeferOutbox(Id outbox_id, TimestampMs next_attempt_at) = 0;
  virtual Result<std::vector<OutboxItem>> ListDeadLetters(int limit) = 0;
  virtual Result<int64_t> OutboxDepth() = 0;

  // Enrichment is driven by durable state: inbound messages not yet enriched, oldest first,
  // so a restart resumes where the pipeline stopped.
  virtual Result<std::vector<Message>> ListUnenrichedMessages(int limit) = 0;
  // Stores the enrichments of several messages in one transaction (later calls overwrite), and
  // each one's conversation_language unless an agent set the language. Unknown message ids are
  // skipped; the result holds the saved ones, in order.
  virtual Result<std::vector<EnrichmentSaved>> SaveEnrichments(
      const std::vector<std::pair<Id, MessageEnrichment>>& enrichments) = 0;

  // On-demand translations of messages into a reader's language (LG2): the cached ones among
  // `message_ids` for `language`; and storing one (later saves overwrite). NotFound when the
  // message does not exist.
  virtual Result<std::vector<MessageTranslation>> ListMessageTranslations(
      const std::vector<Id>& message_ids, const std::string& language) = 0;
  virtual Status SaveMessageTranslation(const MessageTranslation& translation) = 0;

  // Translation memory (LG4). Upsert inserts or replaces the segment for (account, from, to,
  // source) and returns it as stored; a segment not approved never replaces an approved one
  // (the approved one is returned). Delete returns the deleted segment, NotFound when the
  // account has no such id.
  virtual Result<TmEntry> UpsertTmEntry(const TmEntry& entry) = 0;
  virtual Result<std::vector<TmEntry>> ListTmEntries(const TmQuery& query) = 0;
  virtual Result<TmEntry> DeleteTmEntry(Id account_id, Id id) = 0;

  // Glossary (LG4). Create fails Conflict("glossary_term_exists") for the same (kind, pair,
  // source); Delete returns the deleted entry, NotFound when the account has no such id.
  virtual Result<GlossaryEntry> CreateGlossaryEntry(const GlossaryEntry& entry) = 0;
  virtual Result<std::vector<GlossaryEntry>> ListGlossaryEntries(Id account_id) = 0;
  virtual Result<GlossaryEntry> DeleteGlossaryEntry(Id account_id, Id id) = 0;

  // Audit log: append-only, each entry chained to the previous one by a hash.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  // Verifies the hash chain; returns the number of entries checked or an error at the first
  // broken link.
  virtual Result<int64_t> VerifyAuditChain() = 0;

  // Bulk load for benchmarks and demo data: many conversations with messages, one transaction
  // per chunk. Not used on request paths.
  virtual Status BulkLoadDemo(Id inbox_id, int conversations, int messages_per_conversation,
                              TimestampMs start) = 0;
};

// Opens (creating if needed) the embedded SQLite store.
Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options);

}  // namespace meridian::store
