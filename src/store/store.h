#pragma once
// The Store: every durable fact of Meridian, behind one interface (DESIGN.md section 2).
// All SQL lives under src/store/. Backends: sqlite/ (embedded default); postgres/ later, behind
// the same contract tests.
//
// Threading: every method is thread-safe. Reads run on the caller's thread against a pool of
// read connections. Writes are executed by one writer thread that groups concurrent writes
// into one transaction (group commit): many callers share one fsync, and each caller is
// answered only after the transaction holding its write has committed. The *Async methods
// invoke their callback on the store's completion thread after commit (or on failure), in
// commit order; callbacks must be quick and must not make a synchronous write. The synchronous
// write methods block the caller until commit: never call them from an I/O thread.

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
  std::string path;  // database file
  // Answer writes only once they are on disk (the writer fdatasyncs the WAL, see
  // sqlite/writer.h); false: synchronous=NORMAL, the last commits may be lost on power loss.
  bool synchronous_full = true;
  int read_connections = 4;
  int max_batch = 1024;  // most writes grouped into one transaction
  // Write-ahead log pages after which a checkpoint thread copies them into the database file
  // (sqlite/checkpointer.h).
  int checkpoint_pages = 1000;
  // Tests only: stands in for fdatasync(2) on the write-ahead log, to make the disk fail.
  std::function<int(int fd)> datasync;
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

  // Threading (email): store into this conversation of the same inbox (reopened unless
  // `automated`), e.g. the one an In-Reply-To names. Ignored when it is not in this inbox.
  std::optional<Id> conversation_id;
  // Without conversation_id: true starts a new conversation instead of joining the contact's
  // open one (a mail that names no earlier message is a new thread).
  bool new_conversation = false;
  // Written by a machine (auto-reply, bounce, list mail): stored, but never reopens a resolved
  // conversation and never counts as unread there.
  bool automated = false;
  // Files that came with the message (their blobs already stored; id/message_id are assigned).
  std::vector<Attachment> attachments;
  // Emails and phone numbers the channel knows for the sender, normalized (CH8). Recorded on the
  // sender's identity; a verified one equal to another contact's verified one merges the two
  // when the account allows it.
  std::vector<ContactClaim> claims;
};

// One merge of two contacts: `merged` went into `into` with these identities and conversations.
struct ContactMerge {
  Id into = 0;
  Id merged = 0;
  bool automatic = false;
  std::vector<Id> identity_ids;
  std::vector<Id> conversation_ids;
};

struct IngestResult {
  bool duplicate = false;  // true: this provider_message_id was stored before; nothing new
  Message message;
  ConversationView conversation;
  bool conversation_created = false;
  std::vector<ContactMerge> merges;  // automatic merges this message's claims caused
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
  // Files sent with the reply (their blobs already stored; id/message_id are assigned), written
  // in the same transaction as the message.
  std::vector<Attachment> attachments;
};

struct AppendResult {
  bool duplicate = false;
  Message message;
  ConversationView conversation;
};

// The customer's newest message in a conversation (messaging windows, LINE reply tokens).
struct LastInbound {
  Id message_id = 0;
  std::string provider_message_id;
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

// ---- Contacts: one customer, many identities (CH8) ---------------------------------------

struct ContactDetail {
  Contact contact;  // email/phone: the first verified (else first claimed) of its identities
  std::vector<ContactIdentity> identities;      // oldest first, each with its attributes
  std::vector<ConversationView> conversations;  // newest activity first, at most 100
};

// Another contact that shares an email or phone with this one (verified or not).
struct DuplicateCandidate {
  Contact contact;
  std::vector<ContactAttribute> shared;  // the other contact's attributes equal to ours
};

struct ContactSplit {
  Id from = 0;
  Id contact_id = 0;  // the new contact
  std::vector<Id> identity_ids;
  std::vector<Id> conversation_ids;
};

struct ContactSettings {
  bool auto_merge_verified = true;  // merge contacts whose verified email or phone match
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

// A dead letter as supervisors see it in their list: the entry with its message and where it
// belongs.
struct DeadLetter {
  OutboxItem item;
  Id conversation_id = 0;
  std::string contact_name;
  std::string inbox_name;
  std::string channel;
  std::string text;  // the message that could not be delivered
  std::optional<Id> sender_agent_id;
  TimestampMs created_at = 0;  // when the message was written
};

// ---- Polled inboxes (email over IMAP) -------------------------------------------------------

// Where a polling inbox worker stands, so a restart neither re-reads nor skips mail: IMAP
// UIDVALIDITY and the highest UID durably stored (RFC 3501 section 2.3.1.1), plus the health
// agents see (a login failure, an unreachable server).
struct MailboxSync {
  Id inbox_id = 0;
  uint64_t uidvalidity = 0;  // 0: never synced
  uint64_t last_uid = 0;
  bool healthy = true;
  std::string error;  // the last failure's reason code and message (no credentials)
  int failures = 0;   // consecutive failures
  TimestampMs last_attempt_at = 0;
  TimestampMs last_success_at = 0;
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
  // Emails and phones the customer wrote in the message (CH8): recorded as claims (never
  // verified, so they are suggested as duplicates and never merge) on the sender's identity.
  std::vector<ContactClaim> claims;
};

struct EnrichmentSaved {
  Message message;
  ConversationView conversation;
};

// ---- Reply templates (LG6) -------------------------------------------------------------

// One market's wording of a template: an ICU MessageFormat body in `locale` (BCP 47, "de-CH"),
// written in that market's `style` of address ("formal", "informal", "honorific" or "").
struct TemplateVariant {
  std::string locale;
  std::string style;
  std::string body;
};

// A reply template (canned response) of the account. `key` is the shortcut agents type
// ("where-is-order" for /where-is-order), unique per account.
struct ReplyTemplateDef {
  Id id = 0;
  std::string key;
  std::string name;
  std::string source_locale;  // the variant the others were written from; must exist
  std::vector<TemplateVariant> variants;
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
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

// What a conversation tells about its customer's locale: the conversation's language, the
// contact's country (ISO 3166 alpha-2, "" unknown) and time zone (the contact's, else the
// account's default).
struct ConversationLocale {
  std::string language;
  std::string country;
  std::string time_zone;
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

// How long GetInbox may serve a cached inbox before reading it again.
inline constexpr int64_t kInboxCacheMs = 1000;

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
  // Ok while the store takes writes. After the disk failed to confirm one (fdatasync), the store
  // stops taking writes for good: Unavailable("storage_failed"). The process must restart and
  // recover from what is on disk (a later sync that succeeds proves nothing about the pages the
  // kernel dropped), so /readyz reports it.
  virtual Status WriteHealth() = 0;

  // GetInbox may answer from a cache: a change made by another process shows within
  // kInboxCacheMs; one made through this Store at once.
  virtual Result<Inbox> GetInbox(Id id) = 0;
  virtual Result<std::vector<Inbox>> ListInboxes() = 0;
  // Writes name, config_json, secret, previous_secret and previous_secret_until of `inbox` if
  // the stored row is still at `inbox.revision` (Conflict otherwise: someone changed it since
  // it was read), and answers the row with its revision bumped. NotFound for an unknown id.
  virtual Result<Inbox> UpdateInbox(const Inbox& inbox) = 0;

  // The message templates the provider approved for an inbox (WhatsApp), by name.
  virtual Result<std::vector<MessageTemplate>> ListTemplates(Id inbox_id) = 0;
  // Adds the template `t.name`, or replaces it with every language and its parameter count.
  // NotFound for an unknown inbox.
  virtual Result<MessageTemplate> PutTemplate(Id inbox_id, const MessageTemplate& t,
                                              TimestampMs at) = 0;
  // Removes a template in every language, or in `language` only when it is not empty.
  // NotFound when there was nothing to remove.
  virtual Status DeleteTemplate(Id inbox_id, const std::string& name,
                                const std::string& language) = 0;
  // Makes `templates` the inbox's whole set in one transaction (a provider sync): names not in
  // it are removed, new ones added, changed ones (languages, parameter count, body) replaced.
  // NotFound for an unknown inbox.
  struct TemplateChanges {
    std::vector<std::string> added, updated, removed;  // template names
    int unchanged = 0;
  };
  virtual Result<TemplateChanges> ReplaceTemplates(Id inbox_id,
                                                   const std::vector<MessageTemplate>& templates,
                                                   TimestampMs at) = 0;

  // Contacts: the contact behind (inbox, external id), created if new.
  virtual Result<Contact> EnsureContact(Id inbox_id, const std::string& external_id,
                                        const std::string& name, TimestampMs now) = 0;
  // The newest conversation of a contact in an inbox, if any.
  virtual Result<std::optional<Id>> LatestConversationOf(Id inbox_id,
                                                         const std::string& external_id) = 0;

  // Contacts (CH8). A merged contact is kept as a tombstone: reading it fails
  // NotFound("contact_merged") naming the contact it went into.
  virtual Result<ContactDetail> GetContact(Id id) = 0;
  // Records claims for an existing identity (web chat visitors), auto-merging like an ingest.
  // NotFound when the identity does not exist.
  virtual Result<std::vector<ContactMerge>> AddContactClaims(
      Id inbox_id, const std::string& external_id, const std::vector<ContactClaim>& claims,
      TimestampMs now) = 0;
  // Moves every identity and conversation of `other` to `into` and leaves `other` a tombstone,
  // with an audit entry by `actor`, all in one transaction. NotFound for an unknown contact,
  // Conflict("contact_merged") for a tombstone, Unprocessable("same_contact") when equal.
  virtual Result<ContactMerge> MergeContacts(Id into, Id other, const std::string& actor,
                                             TimestampMs now) = 0;
  // Moves the identities `identity_ids` (and their conversations and attributes) of `contact_id`
  // to a new contact, with an audit entry, in one transaction; undoes a merge. NotFound /
  // Conflict as MergeContacts; Unprocessable("identity_not_on_contact") for an identity of
  // another contact, ("split_leaves_nothing") when every identity would move, ("missing_field")
  // for an empty list.
  virtual Result<ContactSplit> SplitContact(Id contact_id, const std::vector<Id>& identity_ids,
                                            const std::string& actor, TimestampMs now) = 0;
  // Possible duplicates: other contacts sharing an email or phone (verified or claimed).
  virtual Result<std::vector<DuplicateCandidate>> ListDuplicates(Id contact_id) = 0;
  // The contact's messages across all its conversations and channels: the newest `limit` before
  // `cursor` in time order (created_at, id), oldest first. InvalidArgument for a bad cursor.
  virtual Result<Page<Message>> ListContactMessages(Id contact_id, const std::string& cursor,
                                                    int limit) = 0;
  virtual Result<ContactSettings> GetContactSettings() = 0;
  virtual Status SetContactSettings(const ContactSettings& settings) = 0;

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

  // Threading: the conversation holding the first of `provider_message_ids` (in order) that
  // a message of `inbox_id` carries, inbound or outbound; nullopt when none does.
  virtual Result<std::optional<Id>> FindConversationByProviderIds(
      Id inbox_id, const std::vector<std::string>& provider_message_ids) = 0;

  // Attachments (CH9). NotFound for an unknown id.
  virtual Result<Attachment> GetAttachment(Id id) = 0;
  // Whether any attachment names the blob `sha256_hex` (before a blob is removed).
  virtual Result<bool> IsBlobReferenced(const std::string& sha256_hex) = 0;
  // Provider media still to download (download "pending") whose next attempt is due at `now`,
  // oldest first, at most `limit`; with how many attempts were made.
  struct PendingDownload {
    Attachment attachment;
    int attempts = 0;
  };
  virtual Result<std::vector<PendingDownload>> DuePendingDownloads(TimestampMs now, int limit) = 0;
  // When the next pending download is due; nullopt when none is pending.
  virtual Result<std::optional<TimestampMs>> NextPendingDownloadAt() = 0;
  // Records an attempt: `done` (stored or failed: its stored, content_type, size, sha256_hex,
  // download, download_error are written) and returns the message it belongs to; NotFound for
  // an unknown attachment.
  virtual Result<Message> FinishDownload(const Attachment& done) = 0;
  // A failed attempt to try again at `next_at`; the error is kept for agents meanwhile.
  virtual Status RetryDownloadLater(Id attachment_id, int attempts, TimestampMs next_at,
                                    const std::string& error) = 0;

  // Polled inboxes: the sync position and health (a fresh MailboxSync when never saved), and
  // its update. SaveMailboxSync replaces the row.
  virtual Result<MailboxSync> GetMailboxSync(Id inbox_id) = 0;
  virtual Status SaveMailboxSync(const MailboxSync& sync) = 0;

  // A provider's delivery status for our message `provider_message_id` in `inbox_id`. Statuses
  // only move forward (sent < delivered < failed < read). When no message has that id yet the
  // status is kept and applied by SetProviderMessageId. Returns the message when it changed.
  virtual Result<std::optional<Message>> ApplyDeliveryStatus(Id inbox_id,
                                                             const std::string& provider_message_id,
                                                             DeliveryStatus status,
                                                             const std::string& error,
                                                             TimestampMs at) = 0;
  // A watermark status (Meta's message_reads / message_deliveries): every message of ours to
  // the customer `external_id` of `inbox_id` that was sent at or before `watermark` moves
  // forward to `status` (kDelivered or kRead; never backwards, never from pending or failed).
  // Returns the messages that changed.
  virtual Result<std::vector<Message>> ApplyStatusWatermark(Id inbox_id,
                                                            const std::string& external_id,
                                                            DeliveryStatus status,
                                                            TimestampMs watermark) = 0;
  // Records the provider's id of a sent message and applies statuses that arrived before it.
  virtual Result<Message> SetProviderMessageId(Id message_id,
                                               const std::string& provider_message_id) = 0;

  // Outbox. ClaimOutbox leases up to `limit` due, live items until `lease_until` (so another
  // worker or instance does not take them) and returns them.
  virtual Result<std::vector<OutboxItem>> ClaimOutbox(TimestampMs now, TimestampMs lease_until,
                                                      int limit) = 0;
  // Delivered: the item is done and its message becomes `sent` (sent_at = `at`, the time the
  // attempt started: the provider's own timestamps of the message are later than that).
  virtual Result<Message> CompleteOutbox(Id outbox_id, TimestampMs at) = 0;
  // Failed: retried at `next_attempt_at`, or dead-lettered (message becomes `failed`).
  virtual Result<Message> FailOutbox(Id outbox_id, const std::string& error,
                                     TimestampMs next_attempt_at, bool dead) = 0;
  // Not attempted (rate limit): due again at `next_attempt_at`, attempts unchanged.
  virtual Status DeferOutbox(Id outbox_id, TimestampMs next_attempt_at) = 0;
  // Dead letters, newest first.
  virtual Result<std::vector<DeadLetter>> ListDeadLetters(int limit) = 0;
  // One dead letter (or any outbox entry, then `item.dead` is false). NotFound when unknown.
  virtual Result<DeadLetter> GetOutboxEntry(Id outbox_id) = 0;
  // A manual retry: the dead entry goes back into the outbox, due at `at`, with its attempts
  // reset, and its message becomes pending again (its error cleared), in one transaction.
  // NotFound for an unknown entry; Conflict("not_dead_letter") when it is not dead.
  virtual Result<Message> RetryDeadLetter(Id outbox_id, TimestampMs at) = 0;
  virtual Result<int64_t> OutboxDepth() = 0;

  // Enrichment is driven by durable state: inbound messages not yet enriched, oldest first,
  // so a restart resumes where the pipeline stopped.
  virtual Result<std::vector<Message>> ListUnenrichedMessages(int limit) = 0;
  // Stores the enrichments of several messages in one transaction (later calls overwrite), and
  // each one's conversation_language unless an agent set the language. Unknown message ids are
  // skipped; the result holds the saved ones, in order.
  virtual Result<std::vector<EnrichmentSaved>> SaveEnrichments(
      const std::vector<std::pair<Id, MessageEnrichment>>& enrichments) = 0;

  // Reply templates of the account (LG6), validated by the caller (templates/renderer.h).
  // Create/Update fail Conflict("template_key_taken") when another template has the key;
  // Update replaces name, key, source locale and every variant at once. NotFound for unknown ids.
  virtual Result<ReplyTemplateDef> CreateTemplate(const ReplyTemplateDef& tmpl) = 0;
  virtual Result<ReplyTemplateDef> UpdateTemplate(const ReplyTemplateDef& tmpl) = 0;
  virtual Result<ReplyTemplateDef> GetTemplate(Id id) = 0;
  // By key; nullopt when no template has it.
  virtual Result<std::optional<ReplyTemplateDef>> FindTemplateByKey(const std::string& key) = 0;
  // Every template, ordered by key.
  virtual Result<std::vector<ReplyTemplateDef>> ListTemplates() = 0;
  virtual Status DeleteTemplate(Id id) = 0;
  // The customer's locale and time zone as far as the conversation knows them.
  virtual Result<ConversationLocale> GetConversationLocale(Id conversation_id) = 0;
  // The account's default time zone (IANA, validated by the caller): the customer's when the
  // contact's is unknown.
  virtual Status SetDefaultTimeZone(const std::string& time_zone) = 0;
  // What is known of a contact's country and time zone ("" = unknown).
  virtual Status SetContactLocale(Id contact_id, const std::string& country,
                                  const std::string& time_zone) = 0;

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
