// The embedded SQLite Store: WAL, one writer thread with group commit (writer.h), a pool of
// read connections.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "core/crypto.h"
#include "store/sqlite/contacts.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/queries.h"
#include "store/sqlite/templates.h"
#include "store/sqlite/translation_queries.h"
#include "store/sqlite/writer.h"
#include "store/store.h"

namespace meridian::store {
namespace sqlite {
namespace {

// A bounded pool of read-only connections. Acquire blocks while all are in use.
class ReadPool {
 public:
  class Lease {
   public:
    Lease(ReadPool* pool, std::unique_ptr<Db> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (db_) pool_->Release(std::move(db_));
    }
    Db& operator*() { return *db_; }

   private:
    ReadPool* pool_;
    std::unique_ptr<Db> db_;
  };

  void Add(std::unique_ptr<Db> db) { free_.push_back(std::move(db)); }

  Lease Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty(); });
    auto db = std::move(free_.back());
    free_.pop_back();
    return Lease(this, std::move(db));
  }

 private:
  void Release(std::unique_ptr<Db> db) {
    {
      std::lock_guard lock(mu_);
      free_.push_back(std::move(db));
    }
    cv_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Db>> free_;
};

// synchronous=NORMAL on the writer connection in every mode: commits write the WAL without
// fsync and checkpoints sync. With StoreOptions::synchronous_full the writer fdatasyncs the WAL
// itself before answering (writer.h), which is what FULL would do, off the writer's thread.
Status ApplyPragmas(Db& db) {
  MERIDIAN_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=WAL"));
  MERIDIAN_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=NORMAL"));
  MERIDIAN_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
  MERIDIAN_RETURN_IF_ERROR(db.Exec("PRAGMA temp_store=MEMORY"));
  MERIDIAN_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size=-65536"));
  return Status::Ok();
}

Result<int> CurrentVersion(Db& db) {
  MERIDIAN_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
              " name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                            db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  StmtScope scope(*s);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? static_cast<int>(s->Int(0)) : 0;
}

std::string_view SessionKindName(SessionKind k) {
  return k == SessionKind::kBrowser ? "browser" : "api";
}

class SqliteStore final : public Store {
 public:
  // `answers`: the connection the completion thread reads with (IngestInboundAsync), inside the
  // read transaction the writer's answering bracket opens around each group of answers.
  SqliteStore(std::unique_ptr<Writer> writer, std::unique_ptr<ReadPool> readers,
              std::unique_ptr<Db> answers)
      : answers_(std::move(answers)), writer_(std::move(writer)), readers_(std::move(readers)) {}
  // The writer first: it answers the writes still in flight, and those answers read from the
  // readers (IngestInboundAsync).
  ~SqliteStore() override { writer_.reset(); }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<int> Migrate() override {
    return writer_->Run<int>([](Db& db) -> Result<int> {
      MERIDIAN_ASSIGN_OR_RETURN(int version, CurrentVersion(db));
      // Every migration not applied yet, not only those above the newest: migrations are
      // numbered in parallel branches, so one may land after a higher number was applied.
      MERIDIAN_ASSIGN_OR_RETURN(Stmt * applied,
                                db.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?"));
      for (const Migration& m : Migrations()) {
        {
          StmtScope scope(*applied);
          applied->Bind(1, m.version);
          MERIDIAN_ASSIGN_OR_RETURN(bool done, applied->Step());
          if (done) continue;
        }
        if (!m.sql.empty()) MERIDIAN_RETURN_IF_ERROR(db.Exec(std::string(m.sql)));
        if (m.code != nullptr) MERIDIAN_RETURN_IF_ERROR(m.code(db));
        MERIDIAN_ASSIGN_OR_RETURN(
            Stmt * s,
            db.Prepare(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"));
        StmtScope scope(*s);
        s->Bind(1, m.version).Bind(2, m.name).Bind(3, SystemClock::Get().NowMs());
        MERIDIAN_RETURN_IF_ERROR(s->Run());
        version = std::max(version, m.version);
      }
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * secret,
          db.Prepare(
              "INSERT OR IGNORE INTO settings (key, value) VALUES ('installation_secret', ?)"));
      StmtScope scope(*secret);
      secret->Bind(1, crypto::RandomToken(32));
      MERIDIAN_RETURN_IF_ERROR(secret->Run());
      return version;
    });
  }

  Result<int> SchemaVersion() override {
    return writer_->Run<int>([](Db& db) { return CurrentVersion(db); });
  }

  Result<std::string> InstallationSecret() override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT value FROM settings WHERE key = 'installation_secret'"));
    StmtScope scope(*s);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::Unavailable("store is not migrated", "not_migrated");
    return s->Text(0);
  }

  // ---- Agents and sessions ----

  Result<Agent> CreateAgent(const NewAgent& a) override {
    return writer_->Run<Agent>([a](Db& db) -> Result<Agent> {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s,
          db.Prepare("INSERT INTO agents (email, name, role, password_hash, language,"
                     " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(email) DO NOTHING"));
      StmtScope scope(*s);
      s->Bind(1, a.email).Bind(2, a.name).Bind(3, RoleName(a.role)).Bind(4, a.password_hash);
      s->Bind(5, a.language).Bind(6, SystemClock::Get().NowMs());
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      if (db.Changes() == 0) {
        return Status::Conflict("an agent with this email exists", "email_taken");
      }
      return LoadAgent(db, db.LastInsertId());
    });
  }

  Result<Agent> GetAgent(Id id) override {
    auto lease = readers_->Acquire();
    return LoadAgent(*lease, id);
  }

  Result<AgentCredentials> FindAgentByEmail(const std::string& email) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT id, password_hash FROM agents WHERE email = ?"));
    StmtScope scope(*s);
    s->Bind(1, email);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound("no agent with this email");
    AgentCredentials out;
    out.password_hash = s->Text(1);
    MERIDIAN_ASSIGN_OR_RETURN(out.agent, LoadAgent(*lease, s->Int(0)));
    return out;
  }

  Result<Agent> SetAgentLanguage(Id id, const std::string& language) override {
    return writer_->Run<Agent>([id, language](Db& db) -> Result<Agent> {
      MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                                db.Prepare("UPDATE agents SET language = ? WHERE id = ?"));
      StmtScope scope(*s);
      s->Bind(1, language).Bind(2, id);
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      return LoadAgent(db, id);
    });
  }

  Result<Agent> UpdateAgentPreferences(Id id, const AgentPreferences& p) override {
    return writer_->Run<Agent>([id, p](Db& db) -> Result<Agent> {
      MERIDIAN_RETURN_IF_ERROR(LoadAgent(db, id).status());
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s, db.Prepare("UPDATE agents SET language = COALESCE(?1, language),"
                               " translation_language = COALESCE(?2, translation_language)"
                               " WHERE id = ?3"));
      StmtScope scope(*s);
      s->Bind(1, p.language).Bind(2, p.translation_language).Bind(3, id);
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      return LoadAgent(db, id);
    });
  }

  // ---- Translation (translation_queries.cc) ----

  Result<std::vector<MessageTranslation>> ListMessageTranslations(
      const std::vector<Id>& message_ids, const std::string& language) override {
    auto lease = readers_->Acquire();
    return sqlite::ListMessageTranslations(*lease, message_ids, language);
  }
  Status SaveMessageTranslation(const MessageTranslation& t) override {
    return writer_
        ->Run<bool>([t](Db& db) -> Result<bool> {
          MERIDIAN_RETURN_IF_ERROR(sqlite::SaveMessageTranslation(db, t));
          return true;
        })
        .status();
  }
  Result<TmEntry> UpsertTmEntry(const TmEntry& entry) override {
    return writer_->Run<TmEntry>([entry](Db& db) { return sqlite::UpsertTmEntry(db, entry); });
  }
  Result<std::vector<TmEntry>> ListTmEntries(const TmQuery& query) override {
    auto lease = readers_->Acquire();
    return sqlite::ListTmEntries(*lease, query);
  }
  Result<TmEntry> DeleteTmEntry(Id account_id, Id id) override {
    return writer_->Run<TmEntry>(
        [account_id, id](Db& db) { return sqlite::DeleteTmEntry(db, account_id, id); });
  }
  Result<GlossaryEntry> CreateGlossaryEntry(const GlossaryEntry& entry) override {
    return writer_->Run<GlossaryEntry>(
        [entry](Db& db) { return sqlite::CreateGlossaryEntry(db, entry); });
  }
  Result<std::vector<GlossaryEntry>> ListGlossaryEntries(Id account_id) override {
    auto lease = readers_->Acquire();
    return sqlite::ListGlossaryEntries(*lease, account_id);
  }
  Result<GlossaryEntry> DeleteGlossaryEntry(Id account_id, Id id) override {
    return writer_->Run<GlossaryEntry>(
        [account_id, id](Db& db) { return sqlite::DeleteGlossaryEntry(db, account_id, id); });
  }

  Result<int64_t> CountAgents() override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, (*lease).Prepare("SELECT COUNT(*) FROM agents"));
    StmtScope scope(*s);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    return row ? s->Int(0) : 0;
  }

  Status CreateSession(const Session& session) override {
    return writer_
        ->Run<bool>([session](Db& db) -> Result<bool> {
          MERIDIAN_ASSIGN_OR_RETURN(
              Stmt * s, db.Prepare("INSERT INTO sessions (token_hash, agent_id, kind, csrf_token,"
                                   " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"));
          StmtScope scope(*s);
          s->Bind(1, session.token_hash).Bind(2, session.agent_id);
          s->Bind(3, SessionKindName(session.kind)).Bind(4, session.csrf_token);
          s->Bind(5, session.created_at).Bind(6, session.expires_at);
          MERIDIAN_RETURN_IF_ERROR(s->Run());
          return true;
        })
        .status();
  }

  Result<Session> FindSession(const std::string& token_hash, TimestampMs now) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT agent_id, kind, csrf_token, created_at, expires_at"
                                   " FROM sessions WHERE token_hash = ? AND expires_at > ?"));
    StmtScope scope(*s);
    s->Bind(1, token_hash).Bind(2, now);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound("unknown or expired session", "unauthenticated");
    Session out;
    out.token_hash = token_hash;
    out.agent_id = s->Int(0);
    out.kind = s->Text(1) == "api" ? SessionKind::kApiToken : SessionKind::kBrowser;
    out.csrf_token = s->Text(2);
    out.created_at = s->Int(3);
    out.expires_at = s->Int(4);
    return out;
  }

  Status DeleteSession(const std::string& token_hash) override {
    return writer_
        ->Run<bool>([token_hash](Db& db) -> Result<bool> {
          MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                                    db.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
          StmtScope scope(*s);
          s->Bind(1, token_hash);
          MERIDIAN_RETURN_IF_ERROR(s->Run());
          return true;
        })
        .status();
  }

  // ---- Inboxes and contacts ----

  Result<Inbox> CreateInbox(const Inbox& inbox) override {
    return writer_->Run<Inbox>([inbox](Db& db) -> Result<Inbox> {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s, db.Prepare("INSERT INTO inboxes (channel, name, config, secret, created_at)"
                               " VALUES (?, ?, ?, ?, ?)"));
      StmtScope scope(*s);
      Inbox out = inbox;
      out.created_at = SystemClock::Get().NowMs();
      s->Bind(1, out.channel).Bind(2, out.name).Bind(3, out.config_json).Bind(4, out.secret);
      s->Bind(5, out.created_at);
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      out.id = db.LastInsertId();
      return out;
    });
  }

  // Inboxes are read on every webhook: they are cached for kInboxCacheMs after a read, so that
  // a change made by another process (`meridian inbox update` while serving) shows within that
  // time. A change made here replaces the entry at once. A miss is never cached.
  Result<Inbox> GetInbox(Id id) override {
    auto now = std::chrono::steady_clock::now();
    {
      std::shared_lock lock(inbox_cache_mu_);
      auto hit = inbox_cache_.find(id);
      if (hit != inbox_cache_.end() && now < hit->second.fresh_until) return hit->second.inbox;
    }
    MERIDIAN_ASSIGN_OR_RETURN(Inbox inbox, LoadInbox(id));
    CacheInbox(inbox, now);
    return inbox;
  }

  Status WriteHealth() override { return writer_->Health(); }

  Result<Inbox> UpdateInbox(const Inbox& inbox) override {
    MERIDIAN_ASSIGN_OR_RETURN(Inbox updated, writer_->Run<Inbox>([inbox](Db& db) -> Result<Inbox> {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s,
          db.Prepare("UPDATE inboxes SET name = ?, config = ?, secret = ?, previous_secret = ?,"
                     " previous_secret_until = ?, revision = revision + 1"
                     " WHERE id = ? AND revision = ?"));
      StmtScope scope(*s);
      s->Bind(1, inbox.name).Bind(2, inbox.config_json).Bind(3, inbox.secret);
      s->Bind(4, inbox.previous_secret).Bind(5, inbox.previous_secret_until);
      s->Bind(6, inbox.id).Bind(7, inbox.revision);
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      if (db.Changes() == 0) {
        MERIDIAN_ASSIGN_OR_RETURN(Stmt * exists, db.Prepare("SELECT 1 FROM inboxes WHERE id = ?"));
        StmtScope exists_scope(*exists);
        exists->Bind(1, inbox.id);
        MERIDIAN_ASSIGN_OR_RETURN(bool found, exists->Step());
        if (!found) return Status::NotFound(fmt::format("inbox {} does not exist", inbox.id));
        return Status::Conflict(
            fmt::format("inbox {} was changed meanwhile; read it again", inbox.id));
      }
      return ReadInboxRow(db, inbox.id);
    }));
    CacheInbox(updated, std::chrono::steady_clock::now());
    return updated;
  }

  void CacheInbox(const Inbox& inbox, std::chrono::steady_clock::time_point now) {
    std::unique_lock lock(inbox_cache_mu_);
    inbox_cache_.insert_or_assign(
        inbox.id, CachedInbox{inbox, now + std::chrono::milliseconds(kInboxCacheMs)});
  }

  static constexpr const char* kInboxColumns =
      "SELECT id, channel, name, config, secret, created_at, revision, previous_secret,"
      " previous_secret_until FROM inboxes";

  static Result<Inbox> ReadInboxRow(Db& db, Id id) {
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(std::string(kInboxColumns) + " WHERE id = ?"));
    StmtScope scope(*s);
    s->Bind(1, id);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound(fmt::format("inbox {} does not exist", id));
    return ReadInbox(*s);
  }

  Result<Inbox> LoadInbox(Id id) {
    auto lease = readers_->Acquire();
    return ReadInboxRow(*lease, id);
  }

  Result<std::vector<Inbox>> ListInboxes() override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                              (*lease).Prepare(std::string(kInboxColumns) + " ORDER BY id"));
    StmtScope scope(*s);
    std::vector<Inbox> out;
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(ReadInbox(*s));
    }
    return out;
  }

  Result<Contact> EnsureContact(Id inbox_id, const std::string& external_id,
                                const std::string& name, TimestampMs now) override {
    return writer_->Run<Contact>([=](Db& db) -> Result<Contact> {
      MERIDIAN_ASSIGN_OR_RETURN(auto ids, EnsureIdentity(db, inbox_id, external_id, name, now));
      return LoadContact(db, ids.second);
    });
  }

  Result<std::optional<Id>> LatestConversationOf(Id inbox_id,
                                                 const std::string& external_id) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT c.id FROM contact_identities ci JOIN conversations c"
                                   " ON c.identity_id = ci.id WHERE ci.inbox_id = ? AND"
                                   " ci.external_id = ? ORDER BY c.id DESC LIMIT 1"));
    StmtScope scope(*s);
    s->Bind(1, inbox_id).Bind(2, external_id);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<Id>();
    return std::optional<Id>(s->Int(0));
  }

  // ---- Contacts (CH8) ----

  Result<ContactDetail> GetContact(Id id) override {
    auto lease = readers_->Acquire();
    return LoadContactDetail(*lease, id);
  }

  Result<std::vector<ContactMerge>> AddContactClaims(Id inbox_id, const std::string& external_id,
                                                     const std::vector<ContactClaim>& claims,
                                                     TimestampMs now) override {
    return writer_->Run<std::vector<ContactMerge>>(
        [=](Db& db) -> Result<std::vector<ContactMerge>> {
          MERIDIAN_ASSIGN_OR_RETURN(Stmt * find,
                                    db.Prepare("SELECT id FROM contact_identities"
                                               " WHERE inbox_id = ? AND external_id = ?"));
          Id identity = 0;
          {
            StmtScope scope(*find);
            find->Bind(1, inbox_id).Bind(2, external_id);
            MERIDIAN_ASSIGN_OR_RETURN(bool row, find->Step());
            if (!row) return Status::NotFound("no such identity");
            identity = find->Int(0);
          }
          return ApplyClaims(db, identity, claims, now);
        });
  }

  Result<ContactMerge> MergeContacts(Id into, Id other, const std::string& actor,
                                     TimestampMs now) override {
    return writer_->Run<ContactMerge>(
        [=](Db& db) { return MergeContactsTx(db, into, other, actor, /*automatic=*/false, now); });
  }

  Result<ContactSplit> SplitContact(Id contact_id, const std::vector<Id>& identity_ids,
                                    const std::string& actor, TimestampMs now) override {
    return writer_->Run<ContactSplit>(
        [=](Db& db) { return SplitContactTx(db, contact_id, identity_ids, actor, now); });
  }

  Result<std::vector<DuplicateCandidate>> ListDuplicates(Id contact_id) override {
    auto lease = readers_->Acquire();
    return LoadDuplicates(*lease, contact_id);
  }

  Result<Page<Message>> ListContactMessages(Id contact_id, const std::string& cursor,
                                            int limit) override {
    auto lease = readers_->Acquire();
    return LoadContactMessages(*lease, contact_id, cursor, limit);
  }

  Result<ContactSettings> GetContactSettings() override {
    auto lease = readers_->Acquire();
    return LoadContactSettings(*lease);
  }

  Status SetContactSettings(const ContactSettings& settings) override {
    return writer_
        ->Run<bool>([settings](Db& db) -> Result<bool> {
          MERIDIAN_RETURN_IF_ERROR(SaveContactSettings(db, settings));
          return true;
        })
        .status();
  }

  // ---- Messages ----

  void IngestInboundAsync(InboundMessage msg, Callback<IngestResult> done) override {
    // The conversation as it stands after the commit is read on the completion thread from a
    // reader: the writer thread is the serial bottleneck of ingest and does only the writes.
    writer_->RunAsync<IngestResult>([msg = std::move(msg)](Db& db) { return Ingest(db, msg); },
                                    [this, done = std::move(done)](Result<IngestResult> r) {
                                      if (r.ok() && !r->duplicate) {
                                        auto conversation =
                                            LoadConversation(*answers_, r->message.conversation_id);
                                        if (!conversation.ok()) return done(conversation.status());
                                        r->conversation = std::move(conversation).value();
                                      }
                                      done(std::move(r));
                                    });
  }

  void AppendOutboundAsync(OutboundMessage msg, Callback<AppendResult> done) override {
    writer_->RunAsync<AppendResult>([msg = std::move(msg)](Db& db) { return Append(db, msg); },
                                    std::move(done));
  }

  // One status: a range of conversations_by_status (or _by_assignee). Every status: the first
  // page of each status's range, merged; only two indexes hold the list order, because ingest
  // rewrites every index entry that holds a conversation's last activity.
  Result<Page<ConversationView>> ListConversations(const ConversationFilter& f) override {
    std::vector<std::string> where;
    if (f.assignee == AssigneeFilter::kMe) where.push_back("c.assignee_id = ?2");
    if (f.assignee == AssigneeFilter::kNone) where.push_back("c.assignee_id IS NULL");
    ConversationCursor cursor;
    if (!f.cursor.empty()) {
      MERIDIAN_ASSIGN_OR_RETURN(cursor, DecodeConversationCursor(f.cursor));
      where.push_back("(c.has_unread, c.last_activity_at, c.id) < (?3, ?4, ?5)");
    }
    constexpr std::string_view kOrder =
        " ORDER BY c.has_unread DESC, c.last_activity_at DESC, c.id DESC LIMIT ?6";
    auto range = [&](std::string_view status) {
      std::string sql = fmt::format(
          "SELECT * FROM (SELECT c.id, c.has_unread, c.last_activity_at FROM conversations c"
          " WHERE c.status = {}",
          status);
      for (const std::string& w : where) sql += " AND " + w;
      return sql + std::string(kOrder) + ")";
    };
    std::string ranges;
    if (f.status) {
      ranges = range("?1");
    } else {
      for (std::string_view status : {"'open'", "'pending'", "'snoozed'", "'resolved'"}) {
        if (!ranges.empty()) ranges += " UNION ALL ";
        ranges += range(status);
      }
      ranges += " ORDER BY 2 DESC, 3 DESC, 1 DESC LIMIT ?6";
    }
    std::string sql =
        ConversationSelectFrom("(" + ranges + ") p JOIN conversations c ON c.id = p.id") +
        std::string(kOrder);
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, (*lease).Prepare(sql));
    StmtScope scope(*s);
    if (f.status) s->Bind(1, ConversationStatusName(*f.status));
    if (f.assignee == AssigneeFilter::kMe) s->Bind(2, f.me);
    if (!f.cursor.empty())
      s->Bind(3, cursor.has_unread).Bind(4, cursor.last_activity_at).Bind(5, cursor.id);
    s->Bind(6, f.limit + 1);
    Page<ConversationView> page;
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      page.items.push_back(ReadConversationRow(*s));
    }
    if (static_cast<int>(page.items.size()) > f.limit) {
      page.items.pop_back();
      page.next_cursor = EncodeConversationCursor(page.items.back());
    }
    return page;
  }

  Result<ConversationView> GetConversation(Id id) override {
    auto lease = readers_->Acquire();
    return LoadConversation(*lease, id);
  }

  Result<Page<Message>> ListMessages(Id conversation_id, const std::string& cursor,
                                     int limit) override {
    int64_t before = INT64_MAX;
    if (!cursor.empty()) {
      std::string raw = crypto::Base64Decode(cursor);
      char* end = nullptr;
      before = std::strtoll(raw.c_str(), &end, 10);
      if (raw.empty() || end != raw.c_str() + raw.size() || before <= 0) {
        return Status::InvalidArgument("cursor is not valid", "invalid_cursor");
      }
    }
    auto lease = readers_->Acquire();
    MERIDIAN_RETURN_IF_ERROR(LoadConversation(*lease, conversation_id).status());
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare(std::string(kMessageSelect) +
                                   " WHERE m.conversation_id = ? AND m.id < ? ORDER BY m.id DESC"
                                   " LIMIT ?"));
    StmtScope scope(*s);
    s->Bind(1, conversation_id).Bind(2, before).Bind(3, limit + 1);
    MERIDIAN_ASSIGN_OR_RETURN(Page<Message> page,
                              ReadMessagePage(*s, limit, [](const Message& oldest) {
                                return crypto::Base64UrlEncode(std::to_string(oldest.id));
                              }));
    for (Message& m : page.items) {
      MERIDIAN_ASSIGN_OR_RETURN(m.attachments, LoadAttachmentsOf(*lease, m.id));
    }
    return page;
  }

  Result<Message> GetMessage(Id id) override {
    auto lease = readers_->Acquire();
    return LoadMessage(*lease, id);
  }

  Result<ConversationView> UpdateConversation(Id id, const ConversationChange& change) override {
    return writer_->Run<ConversationView>([id, change](Db& db) -> Result<ConversationView> {
      MERIDIAN_RETURN_IF_ERROR(LoadConversation(db, id).status());
      if (change.assignee && *change.assignee) {
        MERIDIAN_RETURN_IF_ERROR(LoadAgent(db, **change.assignee).status());
      }
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s, db.Prepare("UPDATE conversations SET"
                               " status = COALESCE(?1, status),"
                               " assignee_id = CASE WHEN ?2 THEN ?3 ELSE assignee_id END,"
                               " unread_count = CASE WHEN ?4 THEN 0 ELSE unread_count END,"
                               " has_unread = CASE WHEN ?4 THEN 0 ELSE has_unread END,"
                               " language = COALESCE(?6, language),"
                               " language_set_by_agent ="
                               "   CASE WHEN ?6 IS NULL THEN language_set_by_agent"
                               "        ELSE ?6 <> '' END"
                               " WHERE id = ?5"));
      StmtScope scope(*s);
      if (change.status) s->Bind(1, ConversationStatusName(*change.status));
      s->Bind(2, change.assignee.has_value() ? 1 : 0);
      if (change.assignee && *change.assignee) s->Bind(3, **change.assignee);
      s->Bind(4, change.mark_read ? 1 : 0).Bind(5, id);
      if (change.language) s->Bind(6, *change.language);
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      return LoadConversation(db, id);
    });
  }

  // ---- Outbox ----

  Result<std::vector<OutboxItem>> ClaimOutbox(TimestampMs now, TimestampMs lease_until,
                                              int limit) override {
    return writer_->Run<std::vector<OutboxItem>>([=](Db& db) -> Result<std::vector<OutboxItem>> {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s,
          db.Prepare("UPDATE outbox SET lease_until = ?1 WHERE id IN (SELECT id FROM outbox"
                     " WHERE state = 'pending' AND next_attempt_at <= ?2 AND lease_until <= ?2"
                     " ORDER BY next_attempt_at LIMIT ?3)"
                     " RETURNING id, message_id, inbox_id, payload, attempts, next_attempt_at,"
                     " last_error, state"));
      StmtScope scope(*s);
      s->Bind(1, lease_until).Bind(2, now).Bind(3, limit);
      std::vector<OutboxItem> out;
      while (true) {
        MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
        if (!row) break;
        out.push_back(ReadOutbox(*s));
      }
      return out;
    });
  }

  Result<Message> CompleteOutbox(Id outbox_id, TimestampMs at) override {
    return writer_->Run<Message>([=](Db& db) -> Result<Message> {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s, db.Prepare("UPDATE outbox SET state = 'done', done_at = ?1,"
                               " attempts = attempts + 1 WHERE id = ?2 RETURNING message_id"));
      StmtScope scope(*s);
      s->Bind(1, at).Bind(2, outbox_id);
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) return Status::NotFound(fmt::format("outbox item {} does not exist", outbox_id));
      Id message_id = s->Int(0);
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * m, db.Prepare("UPDATE messages SET status = 'sent', sent_at = ?1 WHERE id = ?2"
                               " AND status IN ('pending', 'failed')"));
      StmtScope mscope(*m);
      m->Bind(1, at).Bind(2, message_id);
      MERIDIAN_RETURN_IF_ERROR(m->Run());
      return LoadMessage(db, message_id);
    });
  }

  Result<Message> FailOutbox(Id outbox_id, const std::string& error, TimestampMs next_attempt_at,
                             bool dead) override {
    return writer_->Run<Message>([=](Db& db) -> Result<Message> {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s, db.Prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?1,"
                               " next_attempt_at = ?2, lease_until = 0,"
                               " state = CASE WHEN ?3 THEN 'dead' ELSE 'pending' END"
                               " WHERE id = ?4 RETURNING message_id"));
      StmtScope scope(*s);
      s->Bind(1, error).Bind(2, next_attempt_at).Bind(3, dead ? 1 : 0).Bind(4, outbox_id);
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) return Status::NotFound(fmt::format("outbox item {} does not exist", outbox_id));
      Id message_id = s->Int(0);
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      if (dead) {
        // The provider's (or mail server's) answer shows on the message, for agents.
        MERIDIAN_ASSIGN_OR_RETURN(
            Stmt * m, db.Prepare("UPDATE messages SET status = 'failed',"
                                 " status_error = COALESCE(NULLIF(?2, ''), status_error)"
                                 " WHERE id = ?1"));
        StmtScope mscope(*m);
        m->Bind(1, message_id).Bind(2, error);
        MERIDIAN_RETURN_IF_ERROR(m->Run());
      }
      return LoadMessage(db, message_id);
    });
  }

  // ---- Enrichment ----

  Result<std::vector<Message>> ListUnenrichedMessages(int limit) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                              (*lease).Prepare(std::string(kMessageSelect) +
                                               " WHERE m.enriched_at IS NULL AND m.direction = 'in'"
                                               " ORDER BY m.id LIMIT ?"));
    StmtScope scope(*s);
    s->Bind(1, limit);
    std::vector<Message> out;
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(ReadMessageRow(*s));
    }
    return out;
  }

  Result<std::vector<EnrichmentSaved>> SaveEnrichments(
      const std::vector<std::pair<Id, MessageEnrichment>>& enrichments) override {
    // The writer only writes; the rows for the callers' events are read back after the commit
    // from a reader, off the writer's serial path.
    using Saved = std::pair<Id, Id>;  // message, conversation
    MERIDIAN_ASSIGN_OR_RETURN(
        std::vector<Saved> written,
        writer_->Run<std::vector<Saved>>([&enrichments](Db& db) -> Result<std::vector<Saved>> {
          MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                                    db.Prepare("UPDATE messages SET language = ?1, nlu_json = ?2,"
                                               " enriched_at = ?3, translated_text = ?5,"
                                               " translated_language = ?6 WHERE id = ?4"
                                               " RETURNING conversation_id"));
          MERIDIAN_ASSIGN_OR_RETURN(Stmt * c,
                                    db.Prepare("UPDATE conversations SET language = ?1"
                                               " WHERE id = ?2 AND language_set_by_agent = 0"
                                               " AND language IS NOT ?1"));
          std::vector<Saved> out;
          for (const auto& [message_id, e] : enrichments) {
            Id conversation_id = 0;
            {
              StmtScope scope(*s);
              s->Bind(1, e.language).Bind(2, e.nlu_json).Bind(3, e.at).Bind(4, message_id);
              if (!e.translated_text.empty()) {
                s->Bind(5, e.translated_text).Bind(6, e.translated_language);
              }
              MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
              if (!row) continue;
              conversation_id = s->Int(0);
              MERIDIAN_RETURN_IF_ERROR(s->Run());
            }
            if (!e.claims.empty()) {
              MERIDIAN_ASSIGN_OR_RETURN(
                  Stmt * who, db.Prepare("SELECT identity_id FROM conversations WHERE id = ?"));
              Id identity = 0;
              {
                StmtScope scope(*who);
                who->Bind(1, conversation_id);
                MERIDIAN_ASSIGN_OR_RETURN(bool found, who->Step());
                if (found) identity = who->Int(0);
              }
              std::vector<ContactClaim> claimed = e.claims;
              for (auto& claim : claimed)
                claim.verified = false;  // words in a message prove nothing
              if (identity != 0) {
                MERIDIAN_RETURN_IF_ERROR(ApplyClaims(db, identity, claimed, e.at).status());
              }
            }
            if (!e.conversation_language.empty() && e.conversation_language != "und") {
              StmtScope scope(*c);
              c->Bind(1, e.conversation_language).Bind(2, conversation_id);
              MERIDIAN_RETURN_IF_ERROR(c->Run());
            }
            out.emplace_back(message_id, conversation_id);
          }
          return out;
        }));
    auto lease = readers_->Acquire();
    std::vector<EnrichmentSaved> out;
    out.reserve(written.size());
    for (const auto& [message_id, conversation_id] : written) {
      EnrichmentSaved saved;
      MERIDIAN_ASSIGN_OR_RETURN(saved.message, LoadMessage(*lease, message_id));
      MERIDIAN_ASSIGN_OR_RETURN(saved.conversation, LoadConversation(*lease, conversation_id));
      out.push_back(std::move(saved));
    }
    return out;
  }

  Status DeferOutbox(Id outbox_id, TimestampMs next_attempt_at) override {
    return writer_
        ->Run<bool>([=](Db& db) -> Result<bool> {
          MERIDIAN_ASSIGN_OR_RETURN(
              Stmt * s, db.Prepare("UPDATE outbox SET next_attempt_at = ?1, lease_until = 0"
                                   " WHERE id = ?2 AND state = 'pending'"));
          StmtScope scope(*s);
          s->Bind(1, next_attempt_at).Bind(2, outbox_id);
          MERIDIAN_RETURN_IF_ERROR(s->Run());
          return true;
        })
        .status();
  }

  Result<std::optional<LastInbound>> LastInboundOf(Id conversation_id) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT id, MIN(created_at, CASE WHEN provider_sent_at > 0"
                                   " THEN provider_sent_at ELSE created_at END), meta,"
                                   " provider_message_id FROM messages"
                                   " WHERE conversation_id = ? AND direction = 'in'"
                                   " ORDER BY id DESC LIMIT 1"));
    StmtScope scope(*s);
    s->Bind(1, conversation_id);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<LastInbound>();
    LastInbound last;
    last.message_id = s->Int(0);
    last.provider_message_id = s->Text(3);
    last.at = s->Int(1);
    last.meta_json = s->Text(2);
    return std::optional<LastInbound>(std::move(last));
  }

  Result<std::optional<Id>> FindConversationByProviderIds(
      Id inbox_id, const std::vector<std::string>& provider_message_ids) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                              (*lease).Prepare("SELECT conversation_id FROM messages WHERE"
                                               " inbox_id = ? AND provider_message_id = ?"));
    for (const std::string& id : provider_message_ids) {
      if (id.empty()) continue;
      StmtScope scope(*s);
      s->Bind(1, inbox_id).Bind(2, id);
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (row) return std::optional<Id>(s->Int(0));
    }
    return std::optional<Id>();
  }

  Result<Attachment> GetAttachment(Id id) override {
    auto lease = readers_->Acquire();
    return LoadAttachment(*lease, id);
  }

  Result<bool> IsBlobReferenced(const std::string& sha256_hex) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT 1 FROM attachments WHERE sha256 = ? LIMIT 1"));
    StmtScope scope(*s);
    s->Bind(1, sha256_hex);
    return s->Step();
  }

  Result<std::vector<PendingDownload>> DuePendingDownloads(TimestampMs now, int limit) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT id, attempts FROM attachments"
                                   " WHERE download = 'pending' AND next_attempt_at <= ?"
                                   " ORDER BY next_attempt_at, id LIMIT ?"));
    std::vector<std::pair<Id, int>> ids;
    {
      StmtScope scope(*s);
      s->Bind(1, now).Bind(2, static_cast<int64_t>(limit));
      while (true) {
        MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
        if (!row) break;
        ids.emplace_back(s->Int(0), static_cast<int>(s->Int(1)));
      }
    }
    std::vector<PendingDownload> out;
    for (const auto& [id, attempts] : ids) {
      MERIDIAN_ASSIGN_OR_RETURN(Attachment a, LoadAttachment(*lease, id));
      out.push_back({std::move(a), attempts});
    }
    return out;
  }

  Result<std::optional<TimestampMs>> NextPendingDownloadAt() override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                              (*lease).Prepare("SELECT MIN(next_attempt_at) FROM"
                                               " attachments WHERE download = 'pending'"));
    StmtScope scope(*s);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row || s->IsNull(0)) return std::optional<TimestampMs>();
    return std::optional<TimestampMs>(s->Int(0));
  }

  Result<Message> FinishDownload(const Attachment& done) override {
    return writer_->Run<Message>([done](Db& db) -> Result<Message> {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s, db.Prepare("UPDATE attachments SET stored = ?, content_type = ?, size = ?,"
                               " sha256 = ?, download = ?, download_error = ?,"
                               " attempts = attempts + 1 WHERE id = ? RETURNING message_id"));
      Id message_id = 0;
      {
        StmtScope scope(*s);
        s->Bind(1, done.stored ? 1 : 0).Bind(2, done.content_type).Bind(3, done.size);
        s->Bind(4, done.sha256_hex).Bind(5, done.download).Bind(6, done.download_error);
        s->Bind(7, done.id);
        MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
        if (!row) return Status::NotFound(fmt::format("attachment {} does not exist", done.id));
        message_id = s->Int(0);
      }
      return LoadMessage(db, message_id);
    });
  }

  Status RetryDownloadLater(Id attachment_id, int attempts, TimestampMs next_at,
                            const std::string& error) override {
    return writer_
        ->Run<bool>([=](Db& db) -> Result<bool> {
          MERIDIAN_ASSIGN_OR_RETURN(
              Stmt * s, db.Prepare("UPDATE attachments SET attempts = ?, next_attempt_at = ?,"
                                   " download_error = ? WHERE id = ? AND download = 'pending'"));
          StmtScope scope(*s);
          s->Bind(1, static_cast<int64_t>(attempts)).Bind(2, next_at).Bind(3, error);
          s->Bind(4, attachment_id);
          MERIDIAN_RETURN_IF_ERROR(s->Run());
          return true;
        })
        .status();
  }

  Result<MailboxSync> GetMailboxSync(Id inbox_id) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT uidvalidity, last_uid, healthy, error, failures,"
                                   " last_attempt_at, last_success_at FROM mailbox_sync"
                                   " WHERE inbox_id = ?"));
    StmtScope scope(*s);
    s->Bind(1, inbox_id);
    MailboxSync out;
    out.inbox_id = inbox_id;
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    out.uidvalidity = static_cast<uint64_t>(s->Int(0));
    out.last_uid = static_cast<uint64_t>(s->Int(1));
    out.healthy = s->Int(2) != 0;
    out.error = s->Text(3);
    out.failures = static_cast<int>(s->Int(4));
    out.last_attempt_at = s->Int(5);
    out.last_success_at = s->Int(6);
    return out;
  }

  Status SaveMailboxSync(const MailboxSync& sync) override {
    return writer_
        ->Run<bool>([sync](Db& db) -> Result<bool> {
          MERIDIAN_ASSIGN_OR_RETURN(
              Stmt * s,
              db.Prepare("INSERT OR REPLACE INTO mailbox_sync (inbox_id, uidvalidity, last_uid,"
                         " healthy, error, failures, last_attempt_at, last_success_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
          StmtScope scope(*s);
          s->Bind(1, sync.inbox_id).Bind(2, static_cast<int64_t>(sync.uidvalidity));
          s->Bind(3, static_cast<int64_t>(sync.last_uid)).Bind(4, sync.healthy ? 1 : 0);
          s->Bind(5, sync.error).Bind(6, sync.failures).Bind(7, sync.last_attempt_at);
          s->Bind(8, sync.last_success_at);
          MERIDIAN_RETURN_IF_ERROR(s->Run());
          return true;
        })
        .status();
  }

  // Forward-only order of delivery statuses.
  static int StatusRank(DeliveryStatus s) {
    switch (s) {
      case DeliveryStatus::kSent:
        return 1;
      case DeliveryStatus::kDelivered:
        return 2;
      case DeliveryStatus::kFailed:
        return 3;
      case DeliveryStatus::kRead:
        return 4;
      default:
        return 0;
    }
  }

  // Applies `status` to message `id` when it moves the status forward; true when it did.
  static Result<bool> ApplyStatusTo(Db& db, Id id, DeliveryStatus current, DeliveryStatus status,
                                    const std::string& error, TimestampMs at) {
    if (StatusRank(status) <= StatusRank(current)) return false;
    const char* column = status == DeliveryStatus::kDelivered ? "delivered_at"
                         : status == DeliveryStatus::kRead    ? "read_at"
                                                              : "sent_at";
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * u, db.Prepare(fmt::format("UPDATE messages SET status = ?1, status_error = ?2,"
                                         " {} = COALESCE({}, ?3) WHERE id = ?4",
                                         column, column)));
    StmtScope scope(*u);
    u->Bind(1, DeliveryStatusName(status));
    u->Bind(2, error.empty() ? std::optional<std::string>() : std::optional<std::string>(error));
    u->Bind(3, at).Bind(4, id);
    MERIDIAN_RETURN_IF_ERROR(u->Run());
    return true;
  }

  Result<std::optional<Message>> ApplyDeliveryStatus(Id inbox_id,
                                                     const std::string& provider_message_id,
                                                     DeliveryStatus status,
                                                     const std::string& error,
                                                     TimestampMs at) override {
    return writer_->Run<std::optional<Message>>([=](Db& db) -> Result<std::optional<Message>> {
      MERIDIAN_ASSIGN_OR_RETURN(Stmt * find,
                                db.Prepare("SELECT id, status FROM messages WHERE inbox_id = ? AND"
                                           " provider_message_id = ? AND direction = 'out'"));
      std::optional<std::pair<Id, DeliveryStatus>> found;
      {
        StmtScope scope(*find);
        find->Bind(1, inbox_id).Bind(2, provider_message_id);
        MERIDIAN_ASSIGN_OR_RETURN(bool row, find->Step());
        if (row) found = std::make_pair(find->Int(0), ParseDeliveryStatus(find->Text(1)));
      }
      if (!found) {
        // Out of order: the status beat our send's answer. Kept until the id is known.
        MERIDIAN_ASSIGN_OR_RETURN(
            Stmt * keep,
            db.Prepare("INSERT OR IGNORE INTO pending_statuses (inbox_id,"
                       " provider_message_id, status, error, at) VALUES (?, ?, ?, ?, ?)"));
        StmtScope scope(*keep);
        keep->Bind(1, inbox_id).Bind(2, provider_message_id);
        keep->Bind(3, DeliveryStatusName(status)).Bind(4, error).Bind(5, at);
        MERIDIAN_RETURN_IF_ERROR(keep->Run());
        return std::optional<Message>();
      }
      MERIDIAN_ASSIGN_OR_RETURN(bool changed,
                                ApplyStatusTo(db, found->first, found->second, status, error, at));
      if (!changed) return std::optional<Message>();
      MERIDIAN_ASSIGN_OR_RETURN(Message m, LoadMessage(db, found->first));
      return std::optional<Message>(std::move(m));
    });
  }

  Result<std::vector<Message>> ApplyStatusWatermark(Id inbox_id, const std::string& external_id,
                                                    DeliveryStatus status,
                                                    TimestampMs watermark) override {
    if (status != DeliveryStatus::kDelivered && status != DeliveryStatus::kRead) {
      return Status::InvalidArgument("a watermark is for delivered or read");
    }
    return writer_->Run<std::vector<Message>>([=](Db& db) -> Result<std::vector<Message>> {
      bool read = status == DeliveryStatus::kRead;
      // Only forward: sent -> delivered, sent/delivered -> read. Pending messages have not
      // reached the provider; failed ones never reached the customer.
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * u,
          db.Prepare(fmt::format(
              "UPDATE messages SET status = ?1, {0} = COALESCE({0}, ?2)"
              " WHERE inbox_id = ?3 AND direction = 'out' AND status IN ({1})"
              " AND sent_at IS NOT NULL AND sent_at <= ?2"
              " AND conversation_id IN (SELECT c.id FROM conversations c JOIN contact_identities ci"
              "   ON ci.id = c.identity_id WHERE ci.inbox_id = ?3 AND ci.external_id = ?4)"
              " RETURNING id",
              read ? "read_at" : "delivered_at", read ? "'sent', 'delivered'" : "'sent'")));
      std::vector<Id> ids;
      {
        StmtScope scope(*u);
        u->Bind(1, DeliveryStatusName(status)).Bind(2, watermark).Bind(3, inbox_id);
        u->Bind(4, external_id);
        while (true) {
          MERIDIAN_ASSIGN_OR_RETURN(bool row, u->Step());
          if (!row) break;
          ids.push_back(u->Int(0));
        }
      }
      std::sort(ids.begin(), ids.end());
      std::vector<Message> out;
      for (Id id : ids) {
        MERIDIAN_ASSIGN_OR_RETURN(Message m, LoadMessage(db, id));
        out.push_back(std::move(m));
      }
      return out;
    });
  }

  Result<Message> SetProviderMessageId(Id message_id,
                                       const std::string& provider_message_id) override {
    return writer_->Run<Message>([=](Db& db) -> Result<Message> {
      MERIDIAN_ASSIGN_OR_RETURN(Message m, LoadMessage(db, message_id));
      {
        MERIDIAN_ASSIGN_OR_RETURN(
            Stmt * u, db.Prepare("UPDATE messages SET provider_message_id = ? WHERE id = ?"));
        StmtScope scope(*u);
        u->Bind(1, provider_message_id).Bind(2, message_id);
        MERIDIAN_RETURN_IF_ERROR(u->Run());
      }
      MERIDIAN_ASSIGN_OR_RETURN(Stmt * pending,
                                db.Prepare("DELETE FROM pending_statuses WHERE inbox_id = ? AND"
                                           " provider_message_id = ? RETURNING status, error, at"));
      std::vector<std::tuple<DeliveryStatus, std::string, TimestampMs>> statuses;
      {
        StmtScope scope(*pending);
        pending->Bind(1, m.inbox_id).Bind(2, provider_message_id);
        while (true) {
          MERIDIAN_ASSIGN_OR_RETURN(bool row, pending->Step());
          if (!row) break;
          statuses.emplace_back(ParseDeliveryStatus(pending->Text(0)), pending->Text(1),
                                pending->Int(2));
        }
      }
      DeliveryStatus current = m.status;
      for (const auto& [status, error, at] : statuses) {
        MERIDIAN_ASSIGN_OR_RETURN(bool changed,
                                  ApplyStatusTo(db, message_id, current, status, error, at));
        if (changed) current = status;
      }
      return LoadMessage(db, message_id);
    });
  }

  Result<std::vector<DeadLetter>> ListDeadLetters(int limit) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare(std::string(kDeadLetterSelect) +
                                   " WHERE o.state = 'dead' ORDER BY o.id DESC LIMIT ?"));
    StmtScope scope(*s);
    s->Bind(1, limit);
    std::vector<DeadLetter> out;
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(ReadDeadLetter(*s));
    }
    return out;
  }

  Result<DeadLetter> GetOutboxEntry(Id outbox_id) override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * s,
                              (*lease).Prepare(std::string(kDeadLetterSelect) + " WHERE o.id = ?"));
    StmtScope scope(*s);
    s->Bind(1, outbox_id);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound(fmt::format("dead letter {} does not exist", outbox_id));
    return ReadDeadLetter(*s);
  }

  Result<Message> RetryDeadLetter(Id outbox_id, TimestampMs at) override {
    return writer_->Run<Message>([=](Db& db) -> Result<Message> {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * s, db.Prepare("UPDATE outbox SET state = 'pending', attempts = 0,"
                               " next_attempt_at = ?1, lease_until = 0, last_error = ''"
                               " WHERE id = ?2 AND state = 'dead' RETURNING message_id"));
      std::optional<Id> message_id;
      {
        StmtScope scope(*s);
        s->Bind(1, at).Bind(2, outbox_id);
        MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
        if (row) {
          message_id = s->Int(0);
          MERIDIAN_RETURN_IF_ERROR(s->Run());
        }
      }
      if (!message_id) {
        MERIDIAN_ASSIGN_OR_RETURN(Stmt * find, db.Prepare("SELECT state FROM outbox WHERE id = ?"));
        StmtScope scope(*find);
        find->Bind(1, outbox_id);
        MERIDIAN_ASSIGN_OR_RETURN(bool row, find->Step());
        if (!row) return Status::NotFound(fmt::format("dead letter {} does not exist", outbox_id));
        return Status::Conflict(
            fmt::format("outbox entry {} is not a dead letter (it is {})", outbox_id,
                        find->Text(0) == "done" ? "delivered" : "still being delivered"),
            "not_dead_letter");
      }
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * m, db.Prepare("UPDATE messages SET status = 'pending', status_error = NULL"
                               " WHERE id = ? AND status = 'failed'"));
      StmtScope mscope(*m);
      m->Bind(1, *message_id);
      MERIDIAN_RETURN_IF_ERROR(m->Run());
      return LoadMessage(db, *message_id);
    });
  }

  // ---- Message templates ----

  Result<std::vector<MessageTemplate>> ListTemplates(Id inbox_id) override {
    auto lease = readers_->Acquire();
    return LoadTemplates(*lease, inbox_id, std::nullopt);
  }

  Result<MessageTemplate> PutTemplate(Id inbox_id, const MessageTemplate& t,
                                      TimestampMs at) override {
    return writer_->Run<MessageTemplate>([=](Db& db) -> Result<MessageTemplate> {
      MERIDIAN_RETURN_IF_ERROR(CheckInboxExists(db, inbox_id));
      MERIDIAN_RETURN_IF_ERROR(WriteTemplate(db, inbox_id, t, at));
      MERIDIAN_ASSIGN_OR_RETURN(auto saved, LoadTemplates(db, inbox_id, t.name));
      if (saved.empty()) return Status::Unprocessable("a template needs a language");
      return saved.front();
    });
  }

  Result<TemplateChanges> ReplaceTemplates(Id inbox_id,
                                           const std::vector<MessageTemplate>& templates,
                                           TimestampMs at) override {
    return writer_->Run<TemplateChanges>([=](Db& db) -> Result<TemplateChanges> {
      MERIDIAN_RETURN_IF_ERROR(CheckInboxExists(db, inbox_id));
      MERIDIAN_ASSIGN_OR_RETURN(auto before, LoadTemplates(db, inbox_id, std::nullopt));
      TemplateChanges out;
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * del, db.Prepare("DELETE FROM message_templates WHERE inbox_id = ? AND name = ?"));
      for (const auto& old : before) {
        bool kept = std::any_of(templates.begin(), templates.end(),
                                [&](const MessageTemplate& t) { return t.name == old.name; });
        if (kept) continue;
        StmtScope scope(*del);
        del->Bind(1, inbox_id).Bind(2, old.name);
        MERIDIAN_RETURN_IF_ERROR(del->Run());
        out.removed.push_back(old.name);
      }
      for (const auto& t : templates) {
        auto old = std::find_if(before.begin(), before.end(),
                                [&](const MessageTemplate& b) { return b.name == t.name; });
        if (old != before.end() && old->languages == t.languages &&
            old->parameter_count == t.parameter_count && old->body == t.body) {
          ++out.unchanged;
          continue;
        }
        MERIDIAN_RETURN_IF_ERROR(WriteTemplate(db, inbox_id, t, at));
        (old == before.end() ? out.added : out.updated).push_back(t.name);
      }
      return out;
    });
  }

  Status DeleteTemplate(Id inbox_id, const std::string& name,
                        const std::string& language) override {
    return writer_
        ->Run<bool>([=](Db& db) -> Result<bool> {
          MERIDIAN_ASSIGN_OR_RETURN(
              Stmt * del, db.Prepare("DELETE FROM message_templates WHERE inbox_id = ?1 AND"
                                     " name = ?2 AND (?3 = '' OR language = ?3)"));
          StmtScope scope(*del);
          del->Bind(1, inbox_id).Bind(2, name).Bind(3, language);
          MERIDIAN_RETURN_IF_ERROR(del->Run());
          if (db.Changes() == 0) {
            return Status::NotFound(
                language.empty()
                    ? fmt::format("template '{}' does not exist", name)
                    : fmt::format("template '{}' has no language '{}'", name, language));
          }
          return true;
        })
        .status();
  }

  Result<int64_t> OutboxDepth() override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT COUNT(*) FROM outbox WHERE state = 'pending'"));
    StmtScope scope(*s);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    return row ? s->Int(0) : 0;
  }

  // ---- Audit ----

  Status AppendAudit(const AuditEntry& entry) override {
    return writer_
        ->Run<bool>([entry](Db& db) -> Result<bool> {
          MERIDIAN_RETURN_IF_ERROR(AppendAuditRow(db, entry));
          return true;
        })
        .status();
  }

  Result<int64_t> VerifyAuditChain() override {
    auto lease = readers_->Acquire();
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, (*lease).Prepare("SELECT id, at, actor, action, target, details, prev_hash, hash"
                                   " FROM audit_log ORDER BY id"));
    StmtScope scope(*s);
    std::string prev;
    int64_t n = 0;
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      AuditEntry e{s->Text(2), s->Text(3), s->Text(4), s->Text(5), s->Int(1)};
      if (s->Text(6) != prev || s->Text(7) != AuditHash(prev, e)) {
        return Status::Internal(fmt::format("audit chain broken at entry {}", s->Int(0)),
                                "audit_tampered");
      }
      prev = s->Text(7);
      ++n;
    }
    return n;
  }

  Status BulkLoadDemo(Id inbox_id, int conversations, int per_conversation,
                      TimestampMs start) override;

  // ---- Reply templates (SQL in templates.cc) ----

  Result<ReplyTemplateDef> CreateTemplate(const ReplyTemplateDef& tmpl) override {
    return writer_->Run<ReplyTemplateDef>(
        [tmpl](Db& db) { return InsertTemplate(db, tmpl, SystemClock::Get().NowMs()); });
  }

  Result<ReplyTemplateDef> UpdateTemplate(const ReplyTemplateDef& tmpl) override {
    return writer_->Run<ReplyTemplateDef>(
        [tmpl](Db& db) { return ReplaceTemplate(db, tmpl, SystemClock::Get().NowMs()); });
  }

  Result<ReplyTemplateDef> GetTemplate(Id id) override {
    auto lease = readers_->Acquire();
    return LoadTemplate(*lease, id);
  }

  Result<std::optional<ReplyTemplateDef>> FindTemplateByKey(const std::string& key) override {
    auto lease = readers_->Acquire();
    return LoadTemplateByKey(*lease, key);
  }

  Result<std::vector<ReplyTemplateDef>> ListTemplates() override {
    auto lease = readers_->Acquire();
    return sqlite::LoadTemplates(*lease);
  }

  Status DeleteTemplate(Id id) override {
    return writer_
        ->Run<bool>([id](Db& db) -> Result<bool> {
          MERIDIAN_RETURN_IF_ERROR(RemoveTemplate(db, id));
          return true;
        })
        .status();
  }

  Result<ConversationLocale> GetConversationLocale(Id conversation_id) override {
    auto lease = readers_->Acquire();
    return LoadConversationLocale(*lease, conversation_id);
  }

  Status SetDefaultTimeZone(const std::string& time_zone) override {
    return writer_
        ->Run<bool>([time_zone](Db& db) -> Result<bool> {
          MERIDIAN_RETURN_IF_ERROR(UpdateDefaultTimeZone(db, time_zone));
          return true;
        })
        .status();
  }

  Status SetContactLocale(Id contact_id, const std::string& country,
                          const std::string& time_zone) override {
    return writer_
        ->Run<bool>([=](Db& db) -> Result<bool> {
          MERIDIAN_RETURN_IF_ERROR(UpdateContactLocale(db, contact_id, country, time_zone));
          return true;
        })
        .status();
  }

 private:
  static Inbox ReadInbox(const Stmt& s) {
    Inbox i;
    i.id = s.Int(0);
    i.channel = s.Text(1);
    i.name = s.Text(2);
    i.config_json = s.Text(3);
    i.secret = s.Text(4);
    i.created_at = s.Int(5);
    i.revision = s.Int(6);
    i.previous_secret = s.Text(7);
    i.previous_secret_until = s.Int(8);
    return i;
  }

  static OutboxItem ReadOutbox(const Stmt& s) {
    OutboxItem o;
    o.id = s.Int(0);
    o.message_id = s.Int(1);
    o.inbox_id = s.Int(2);
    o.payload = s.Text(3);
    o.attempts = static_cast<int>(s.Int(4));
    o.next_attempt_at = s.Int(5);
    o.last_error = s.Text(6);
    o.dead = s.Text(7) == "dead";
    return o;
  }

  static constexpr const char* kDeadLetterSelect =
      "SELECT o.id, o.message_id, o.inbox_id, o.payload, o.attempts, o.next_attempt_at,"
      " o.last_error, o.state, m.conversation_id, ct.name, i.name, i.channel, m.text,"
      " m.sender_agent_id, m.created_at"
      " FROM outbox o JOIN messages m ON m.id = o.message_id"
      " JOIN inboxes i ON i.id = o.inbox_id"
      " JOIN conversations c ON c.id = m.conversation_id"
      " JOIN contacts ct ON ct.id = c.contact_id";

  static DeadLetter ReadDeadLetter(const Stmt& s) {
    DeadLetter d;
    d.item = ReadOutbox(s);
    d.conversation_id = s.Int(8);
    d.contact_name = s.Text(9);
    d.inbox_name = s.Text(10);
    d.channel = s.Text(11);
    d.text = s.Text(12);
    d.sender_agent_id = s.OptInt(13);
    d.created_at = s.Int(14);
    return d;
  }

  static Status CheckInboxExists(Db& db, Id inbox_id) {
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * inbox, db.Prepare("SELECT 1 FROM inboxes WHERE id = ?"));
    StmtScope scope(*inbox);
    inbox->Bind(1, inbox_id);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, inbox->Step());
    if (!row) return Status::NotFound(fmt::format("inbox {} does not exist", inbox_id));
    return Status::Ok();
  }

  // Replaces the template `t.name` with its languages (in order), parameter count and body.
  static Status WriteTemplate(Db& db, Id inbox_id, const MessageTemplate& t, TimestampMs at) {
    {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * del, db.Prepare("DELETE FROM message_templates WHERE inbox_id = ? AND name = ?"));
      StmtScope scope(*del);
      del->Bind(1, inbox_id).Bind(2, t.name);
      MERIDIAN_RETURN_IF_ERROR(del->Run());
    }
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * ins,
        db.Prepare("INSERT OR IGNORE INTO message_templates (inbox_id, name, language, position,"
                   " parameter_count, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    for (size_t i = 0; i < t.languages.size(); ++i) {
      StmtScope scope(*ins);
      ins->Bind(1, inbox_id).Bind(2, t.name).Bind(3, t.languages[i]);
      ins->Bind(4, static_cast<int64_t>(i));
      ins->Bind(5, t.parameter_count ? std::optional<int64_t>(*t.parameter_count)
                                     : std::optional<int64_t>());
      ins->Bind(6, t.body).Bind(7, at);
      MERIDIAN_RETURN_IF_ERROR(ins->Run());
    }
    return Status::Ok();
  }

  // The templates of an inbox (or the one named `name`), languages in the admin's order.
  static Result<std::vector<MessageTemplate>> LoadTemplates(Db& db, Id inbox_id,
                                                            std::optional<std::string> name) {
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, db.Prepare("SELECT name, language, parameter_count, body FROM message_templates"
                             " WHERE inbox_id = ?1 AND (?2 IS NULL OR name = ?2)"
                             " ORDER BY name, position, language"));
    StmtScope scope(*s);
    s->Bind(1, inbox_id).Bind(2, name);
    std::vector<MessageTemplate> out;
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      std::string n = s->Text(0);
      if (out.empty() || out.back().name != n) {
        MessageTemplate t;
        t.name = n;
        if (auto count = s->OptInt(2)) t.parameter_count = static_cast<int>(*count);
        t.body = s->Text(3);
        out.push_back(std::move(t));
      }
      out.back().languages.push_back(s->Text(1));
    }
    return out;
  }

  static Result<Contact> LoadContact(Db& db, Id id) {
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, db.Prepare("SELECT id, name, COALESCE(email, ''), COALESCE(phone, ''),"
                             " COALESCE(language, ''), created_at FROM contacts WHERE id = ?"));
    StmtScope scope(*s);
    s->Bind(1, id);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound(fmt::format("contact {} does not exist", id));
    return Contact{s->Int(0), s->Text(1), s->Text(2), s->Text(3), s->Text(4), s->Int(5)};
  }

  // (identity id, contact id) for (inbox, external id), creating both when new.
  static Result<std::pair<Id, Id>> EnsureIdentity(Db& db, Id inbox_id,
                                                  const std::string& external_id,
                                                  const std::string& name, TimestampMs now) {
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * find,
                              db.Prepare("SELECT id, contact_id FROM contact_identities"
                                         " WHERE inbox_id = ? AND external_id = ?"));
    {
      StmtScope scope(*find);
      find->Bind(1, inbox_id).Bind(2, external_id);
      MERIDIAN_ASSIGN_OR_RETURN(bool row, find->Step());
      if (row) return std::make_pair(find->Int(0), find->Int(1));
    }
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * contact,
                              db.Prepare("INSERT INTO contacts (name, created_at) VALUES (?, ?)"));
    {
      StmtScope scope(*contact);
      contact->Bind(1, name).Bind(2, now);
      MERIDIAN_RETURN_IF_ERROR(contact->Run());
    }
    Id contact_id = db.LastInsertId();
    MERIDIAN_ASSIGN_OR_RETURN(Stmt * identity,
                              db.Prepare("INSERT INTO contact_identities (contact_id, inbox_id,"
                                         " external_id, created_at, name) VALUES (?, ?, ?, ?, ?)"));
    StmtScope scope(*identity);
    identity->Bind(1, contact_id).Bind(2, inbox_id).Bind(3, external_id).Bind(4, now);
    identity->Bind(5, name);
    MERIDIAN_RETURN_IF_ERROR(identity->Run());
    return std::make_pair(db.LastInsertId(), contact_id);
  }

  static Result<IngestResult> Ingest(Db& db, const InboundMessage& msg) {
    IngestResult out;
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * dup, db.Prepare("SELECT id, conversation_id FROM messages WHERE inbox_id = ? AND"
                               " provider_message_id = ?"));
    {
      StmtScope scope(*dup);
      dup->Bind(1, msg.inbox_id).Bind(2, msg.provider_message_id);
      MERIDIAN_ASSIGN_OR_RETURN(bool row, dup->Step());
      if (row) {
        Id message_id = dup->Int(0);
        Id conversation_id = dup->Int(1);
        out.duplicate = true;
        MERIDIAN_ASSIGN_OR_RETURN(out.message, LoadMessage(db, message_id));
        MERIDIAN_ASSIGN_OR_RETURN(out.conversation, LoadConversation(db, conversation_id));
        return out;
      }
    }
    MERIDIAN_ASSIGN_OR_RETURN(auto ids, EnsureIdentity(db, msg.inbox_id, msg.external_sender_id,
                                                       msg.sender_name, msg.received_at));
    auto [identity_id, contact_id] = ids;
    if (!msg.claims.empty()) {
      MERIDIAN_ASSIGN_OR_RETURN(out.merges,
                                ApplyClaims(db, identity_id, msg.claims, msg.received_at));
      // A merge moved this identity's contact into an older one: the conversation joins it.
      for (const ContactMerge& m : out.merges) {
        if (m.merged == contact_id) contact_id = m.into;
      }
    }
    std::optional<Id> conversation_id;
    if (msg.conversation_id) {
      // Threaded: the named conversation, when it belongs to this inbox.
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * named, db.Prepare("SELECT id FROM conversations WHERE id = ? AND inbox_id = ?"));
      StmtScope scope(*named);
      named->Bind(1, *msg.conversation_id).Bind(2, msg.inbox_id);
      MERIDIAN_ASSIGN_OR_RETURN(bool row, named->Step());
      if (row) conversation_id = named->Int(0);
    } else if (!msg.new_conversation) {
      MERIDIAN_ASSIGN_OR_RETURN(Stmt * open,
                                db.Prepare("SELECT id FROM conversations WHERE identity_id = ? AND"
                                           " status <> 'resolved' ORDER BY id DESC LIMIT 1"));
      StmtScope scope(*open);
      open->Bind(1, identity_id);
      MERIDIAN_ASSIGN_OR_RETURN(bool row, open->Step());
      if (row) conversation_id = open->Int(0);
    }
    if (!conversation_id) {
      MERIDIAN_ASSIGN_OR_RETURN(
          Stmt * create, db.Prepare("INSERT INTO conversations (inbox_id, contact_id, identity_id,"
                                    " last_activity_at, created_at) VALUES (?, ?, ?, ?, ?)"));
      StmtScope scope(*create);
      create->Bind(1, msg.inbox_id).Bind(2, contact_id).Bind(3, identity_id);
      create->Bind(4, msg.received_at).Bind(5, msg.received_at);
      MERIDIAN_RETURN_IF_ERROR(create->Run());
      conversation_id = db.LastInsertId();
      out.conversation_created = true;
    }
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * insert,
        db.Prepare("INSERT INTO messages (conversation_id, inbox_id, direction, sender_kind, text,"
                   " content_type, status, provider_message_id, created_at, provider_sent_at, meta)"
                   " VALUES (?, ?, 'in', 'customer', ?, ?, 'received', ?, ?, ?, ?)"));
    {
      StmtScope scope(*insert);
      insert->Bind(1, *conversation_id).Bind(2, msg.inbox_id).Bind(3, msg.text);
      insert->Bind(4, msg.content_type).Bind(5, msg.provider_message_id);
      insert->Bind(6, msg.received_at).Bind(7, msg.sent_at);
      insert->Bind(8, msg.meta_json.empty() ? std::optional<std::string>()
                                            : std::optional<std::string>(msg.meta_json));
      MERIDIAN_RETURN_IF_ERROR(insert->Run());
    }
    Id message_id = db.LastInsertId();
    MERIDIAN_ASSIGN_OR_RETURN(
        out.message.attachments,
        InsertAttachments(db, message_id, msg.inbox_id, msg.attachments, msg.received_at));
    // A person's message reopens the conversation (a threaded reply reopens even a resolved
    // one); a machine's (auto-reply, bounce) never reopens a resolved one nor counts as unread
    // there.
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * touch,
        db.Prepare("UPDATE conversations SET"
                   " unread_count = CASE WHEN ?4 AND status = 'resolved' THEN unread_count"
                   "                     ELSE unread_count + 1 END,"
                   " has_unread = CASE WHEN ?4 AND status = 'resolved' THEN has_unread ELSE 1 END,"
                   " last_message_id = ?1, last_activity_at = ?2,"
                   " status = CASE WHEN status IN ('pending', 'snoozed') AND NOT ?4 THEN 'open'"
                   "               WHEN status = 'resolved' AND ?5 AND NOT ?4 THEN 'open'"
                   "               ELSE status END"
                   " WHERE id = ?3"));
    {
      StmtScope scope(*touch);
      touch->Bind(1, message_id).Bind(2, msg.received_at).Bind(3, *conversation_id);
      touch->Bind(4, msg.automated ? 1 : 0).Bind(5, msg.conversation_id ? 1 : 0);
      MERIDIAN_RETURN_IF_ERROR(touch->Run());
    }
    // The row just written, as LoadMessage would read it (one query less on the hot path).
    out.message.id = message_id;
    out.message.conversation_id = *conversation_id;
    out.message.inbox_id = msg.inbox_id;
    out.message.direction = Direction::kIn;
    out.message.sender_kind = SenderKind::kCustomer;
    out.message.text = msg.text;
    out.message.content_type = msg.content_type;
    out.message.status = DeliveryStatus::kReceived;
    out.message.provider_message_id = msg.provider_message_id;
    out.message.created_at = msg.received_at;
    out.message.meta_json = msg.meta_json;
    return out;  // out.conversation is read after the commit (IngestInboundAsync)
  }

  static Result<std::vector<Attachment>> InsertAttachments(Db& db, Id message_id, Id inbox_id,
                                                           const std::vector<Attachment>& files,
                                                           TimestampMs now) {
    std::vector<Attachment> out;
    if (files.empty()) return out;
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, db.Prepare("INSERT INTO attachments (message_id, inbox_id, filename,"
                             " content_type, claimed_type, content_id, is_inline, stored, size,"
                             " sha256, created_at, download, download_error, source)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (Attachment a : files) {
      StmtScope scope(*s);
      s->Bind(1, message_id).Bind(2, inbox_id).Bind(3, a.filename).Bind(4, a.content_type);
      s->Bind(5, a.claimed_type).Bind(6, a.content_id).Bind(7, a.is_inline ? 1 : 0);
      s->Bind(8, a.stored ? 1 : 0).Bind(9, a.size).Bind(10, a.sha256_hex).Bind(11, now);
      s->Bind(12, a.download).Bind(13, a.download_error).Bind(14, a.source_json);
      MERIDIAN_RETURN_IF_ERROR(s->Run());
      a.id = db.LastInsertId();
      a.message_id = message_id;
      a.inbox_id = inbox_id;
      a.created_at = now;
      out.push_back(std::move(a));
    }
    return out;
  }

  static Result<AppendResult> Append(Db& db, const OutboundMessage& msg) {
    AppendResult out;
    MERIDIAN_ASSIGN_OR_RETURN(out.conversation, LoadConversation(db, msg.conversation_id));
    if (msg.client_message_id) {
      MERIDIAN_ASSIGN_OR_RETURN(Stmt * dup,
                                db.Prepare("SELECT id FROM messages WHERE conversation_id = ? AND"
                                           " client_message_id = ?"));
      StmtScope scope(*dup);
      dup->Bind(1, msg.conversation_id).Bind(2, *msg.client_message_id);
      MERIDIAN_ASSIGN_OR_RETURN(bool row, dup->Step());
      if (row) {
        out.duplicate = true;
        MERIDIAN_ASSIGN_OR_RETURN(out.message, LoadMessage(db, dup->Int(0)));
        return out;
      }
    }
    bool inbound = msg.sender_kind == SenderKind::kCustomer;
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * insert,
        db.Prepare("INSERT INTO messages (conversation_id, inbox_id, direction, sender_kind,"
                   " sender_agent_id, text, status, client_message_id, created_at, language,"
                   " original_text, original_language)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    {
      auto opt = [](const std::string& v) {
        return v.empty() ? std::optional<std::string>() : std::optional<std::string>(v);
      };
      StmtScope scope(*insert);
      insert->Bind(1, msg.conversation_id).Bind(2, out.conversation.inbox_id);
      insert->Bind(3, inbound ? "in" : "out").Bind(4, SenderKindName(msg.sender_kind));
      insert->Bind(5, msg.sender_agent_id).Bind(6, msg.text);
      insert->Bind(7, DeliveryStatusName(msg.initial_status)).Bind(8, msg.client_message_id);
      insert->Bind(9, msg.created_at).Bind(10, opt(msg.language));
      insert->Bind(11, opt(msg.original_text)).Bind(12, opt(msg.original_language));
      MERIDIAN_RETURN_IF_ERROR(insert->Run());
    }
    Id message_id = db.LastInsertId();
    MERIDIAN_RETURN_IF_ERROR(InsertAttachments(db, message_id, out.conversation.inbox_id,
                                               msg.attachments, msg.created_at)
                                 .status());
    if (msg.outbox_payload) {
      MERIDIAN_ASSIGN_OR_RETURN(Stmt * outbox,
                                db.Prepare("INSERT INTO outbox (message_id, inbox_id, payload,"
                                           " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)"));
      StmtScope scope(*outbox);
      outbox->Bind(1, message_id).Bind(2, out.conversation.inbox_id).Bind(3, *msg.outbox_payload);
      outbox->Bind(4, msg.created_at).Bind(5, msg.created_at);
      MERIDIAN_RETURN_IF_ERROR(outbox->Run());
    }
    // A customer message raises the unread count; a reply means the agent has read it all.
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * touch,
        db.Prepare("UPDATE conversations SET last_message_id = ?1, last_activity_at = ?2,"
                   " unread_count = CASE WHEN ?3 THEN unread_count + 1 ELSE 0 END,"
                   " has_unread = CASE WHEN ?3 THEN 1 ELSE 0 END,"
                   " status = CASE WHEN ?3 AND status <> 'open' THEN 'open' ELSE status END"
                   " WHERE id = ?4"));
    {
      StmtScope scope(*touch);
      touch->Bind(1, message_id).Bind(2, msg.created_at).Bind(3, inbound ? 1 : 0);
      touch->Bind(4, msg.conversation_id);
      MERIDIAN_RETURN_IF_ERROR(touch->Run());
    }
    MERIDIAN_ASSIGN_OR_RETURN(out.message, LoadMessage(db, message_id));
    MERIDIAN_ASSIGN_OR_RETURN(out.conversation, LoadConversation(db, msg.conversation_id));
    return out;
  }

  std::unique_ptr<Db> answers_;  // before writer_: outlives it (the writer's answers use it)
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<ReadPool> readers_;
  std::shared_mutex inbox_cache_mu_;
  struct CachedInbox {
    Inbox inbox;
    std::chrono::steady_clock::time_point fresh_until;
  };
  std::unordered_map<Id, CachedInbox> inbox_cache_;
};

Status SqliteStore::BulkLoadDemo(Id inbox_id, int conversations, int per_conversation,
                                 TimestampMs start) {
  constexpr int kChunk = 2000;
  for (int base = 0; base < conversations; base += kChunk) {
    int end = std::min(conversations, base + kChunk);
    Result<bool> r = writer_->Run<bool>([=](Db& db) -> Result<bool> {
      for (int i = base; i < end; ++i) {
        TimestampMs t = start + static_cast<TimestampMs>(i) * 1000;
        std::string external = fmt::format("bulk-{}-{}", start, i);
        MERIDIAN_ASSIGN_OR_RETURN(
            auto ids, EnsureIdentity(db, inbox_id, external, fmt::format("Customer {}", i), t));
        MERIDIAN_ASSIGN_OR_RETURN(Stmt * create,
                                  db.Prepare("INSERT INTO conversations (inbox_id, contact_id,"
                                             " identity_id, status, last_activity_at, created_at)"
                                             " VALUES (?, ?, ?, ?, ?, ?)"));
        {
          StmtScope scope(*create);
          create->Bind(1, inbox_id).Bind(2, ids.second).Bind(3, ids.first);
          create->Bind(4, i % 4 == 3 ? "resolved" : "open").Bind(5, t).Bind(6, t);
          MERIDIAN_RETURN_IF_ERROR(create->Run());
        }
        Id conversation_id = db.LastInsertId();
        MERIDIAN_ASSIGN_OR_RETURN(
            Stmt * insert,
            // Synthetic filler: marked as enriched (with no findings) so loading a million
            // messages does not queue a million pipeline runs.
            db.Prepare("INSERT INTO messages (conversation_id, inbox_id, direction, sender_kind,"
                       " text, status, created_at, enriched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?7)"));
        for (int k = 0; k < per_conversation; ++k) {
          StmtScope scope(*insert);
          bool in = k % 2 == 0;
          insert->Bind(1, conversation_id).Bind(2, inbox_id).Bind(3, in ? "in" : "out");
          insert->Bind(4, in ? "customer" : "agent");
          insert->Bind(5, fmt::format("Message {} of conversation {}", k, i));
          insert->Bind(6, in ? "received" : "sent").Bind(7, t);
          MERIDIAN_RETURN_IF_ERROR(insert->Run());
        }
        MERIDIAN_ASSIGN_OR_RETURN(
            Stmt * touch, db.Prepare("UPDATE conversations SET last_message_id = ? WHERE id = ?"));
        StmtScope scope(*touch);
        touch->Bind(1, db.LastInsertId()).Bind(2, conversation_id);
        MERIDIAN_RETURN_IF_ERROR(touch->Run());
      }
      return true;
    });
    MERIDIAN_RETURN_IF_ERROR(r.status());
  }
  return Status::Ok();
}

}  // namespace
}  // namespace sqlite

Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options) {
  using namespace sqlite;
  std::error_code ec;
  auto parent = std::filesystem::path(options.path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return Status::Unavailable("cannot create " + parent.string() + ": " + ec.message());
  MERIDIAN_ASSIGN_OR_RETURN(auto writer_db, Db::Open(options.path, /*read_only=*/false));
  MERIDIAN_RETURN_IF_ERROR(ApplyPragmas(*writer_db));
  auto open_reader = [&]() -> Result<std::unique_ptr<Db>> {
    MERIDIAN_ASSIGN_OR_RETURN(auto reader, Db::Open(options.path, /*read_only=*/false));
    MERIDIAN_RETURN_IF_ERROR(reader->Exec("PRAGMA query_only=ON"));
    MERIDIAN_RETURN_IF_ERROR(reader->Exec("PRAGMA cache_size=-16384"));
    return reader;
  };
  auto readers = std::make_unique<ReadPool>();
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    MERIDIAN_ASSIGN_OR_RETURN(auto reader, open_reader());
    readers->Add(std::move(reader));
  }
  // One read transaction per group of answers: each read outside a transaction takes and drops
  // the database's shared lock (fcntl) and the log's read mark on its own, which was a quarter
  // of the answering thread's time in ingest.
  MERIDIAN_ASSIGN_OR_RETURN(auto answers, open_reader());
  auto step = [db = answers.get()](const char* sql) {
    auto stmt = db->Prepare(sql);
    if (!stmt.ok()) return;
    StmtScope scope(**stmt);
    (void)(*stmt)->Run();  // failing: each read below runs in its own transaction, as before
  };
  Writer::Bracket answering{[step] { step("BEGIN"); }, [step] { step("COMMIT"); }};
  MERIDIAN_ASSIGN_OR_RETURN(
      auto checkpointer, Checkpointer::Start(options.path, *writer_db, options.checkpoint_pages));
  auto writer = std::make_unique<Writer>(std::move(writer_db), options.max_batch,
                                         options.synchronous_full ? options.path + "-wal" : "",
                                         std::move(checkpointer), answering, options.datasync);
  return std::unique_ptr<Store>(
      new SqliteStore(std::move(writer), std::move(readers), std::move(answers)));
}

std::string_view GlossaryKindName(GlossaryKind kind) {
  return kind == GlossaryKind::kForced ? "forced" : "do_not_translate";
}

Result<IngestResult> Store::IngestInbound(InboundMessage msg) {
  return Await<IngestResult>(
      [&](Callback<IngestResult> done) { IngestInboundAsync(std::move(msg), std::move(done)); });
}

Result<AppendResult> Store::AppendOutbound(OutboundMessage msg) {
  return Await<AppendResult>(
      [&](Callback<AppendResult> done) { AppendOutboundAsync(std::move(msg), std::move(done)); });
}

}  // namespace meridian::store
