#include "store/sqlite/translation_queries.h"

#include <fmt/format.h>

#include <functional>

#include "store/sqlite/queries.h"

namespace meridian::store::sqlite {

namespace {

constexpr const char* kTmColumns =
    "SELECT id, account_id, source_language, target_language, source, target, approved,"
    " agent_id, created_at, updated_at FROM tm_segments";

TmEntry ReadTm(const Stmt& s) {
  TmEntry e;
  e.id = s.Int(0);
  e.account_id = s.Int(1);
  e.from = s.Text(2);
  e.to = s.Text(3);
  e.source = s.Text(4);
  e.target = s.Text(5);
  e.approved = s.Int(6) != 0;
  e.agent_id = s.OptInt(7);
  e.created_at = s.Int(8);
  e.updated_at = s.Int(9);
  return e;
}

Result<std::optional<TmEntry>> FindTm(Db& db, const std::string& where,
                                      const std::function<void(Stmt&)>& bind) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(std::string(kTmColumns) + " WHERE " + where));
  StmtScope scope(*s);
  bind(*s);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<TmEntry>();
  return std::optional<TmEntry>(ReadTm(*s));
}

constexpr const char* kGlossaryColumns =
    "SELECT id, account_id, kind, source_language, target_language, source, target,"
    " target_plural, case_sensitive, created_at FROM glossary_terms";

GlossaryEntry ReadGlossary(const Stmt& s) {
  GlossaryEntry e;
  e.id = s.Int(0);
  e.account_id = s.Int(1);
  e.kind = s.Text(2) == "forced" ? GlossaryKind::kForced : GlossaryKind::kDoNotTranslate;
  e.from = s.Text(3);
  e.to = s.Text(4);
  e.source = s.Text(5);
  e.target = s.Text(6);
  e.target_plural = s.Text(7);
  e.case_sensitive = s.Int(8) != 0;
  e.created_at = s.Int(9);
  return e;
}

// Every row of a prepared, bound statement, read by `read`.
template <typename T>
Result<std::vector<T>> ReadAll(Stmt& s, T (*read)(const Stmt&)) {
  std::vector<T> out;
  while (true) {
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}

Status DeleteById(Db& db, const std::string& table, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare("DELETE FROM " + table + " WHERE id = ?"));
  StmtScope scope(*s);
  s->Bind(1, id);
  return s->Run();
}

}  // namespace

Result<std::vector<MessageTranslation>> ListMessageTranslations(Db& db,
                                                                const std::vector<Id>& message_ids,
                                                                const std::string& language) {
  std::vector<MessageTranslation> out;
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("SELECT message_id, language, text, engine, created_at"
                           " FROM message_translations WHERE message_id = ? AND language = ?"));
  // One indexed point lookup per message: a page holds at most a few hundred.
  for (Id id : message_ids) {
    StmtScope scope(*s);
    s->Bind(1, id).Bind(2, language);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row) out.push_back({s->Int(0), s->Text(1), s->Text(2), s->Text(3), s->Int(4)});
  }
  return out;
}

Status SaveMessageTranslation(Db& db, const MessageTranslation& t) {
  MERIDIAN_RETURN_IF_ERROR(LoadMessage(db, t.message_id).status());
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("INSERT INTO message_translations (message_id, language, text, engine,"
                           " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id, language)"
                           " DO UPDATE SET text = excluded.text, engine = excluded.engine,"
                           " created_at = excluded.created_at"));
  StmtScope scope(*s);
  s->Bind(1, t.message_id).Bind(2, t.language).Bind(3, t.text).Bind(4, t.engine);
  s->Bind(5, t.created_at);
  return s->Run();
}

Result<TmEntry> UpsertTmEntry(Db& db, const TmEntry& e) {
  // An approved segment is never replaced by one that is not.
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s,
      db.Prepare("INSERT INTO tm_segments (account_id, source_language, target_language, source,"
                 " target, approved, agent_id, created_at, updated_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
                 " ON CONFLICT (account_id, source_language, target_language, source) DO UPDATE"
                 " SET target = excluded.target, approved = excluded.approved,"
                 " agent_id = excluded.agent_id, updated_at = excluded.updated_at"
                 " WHERE excluded.approved = 1 OR tm_segments.approved = 0"));
  {
    StmtScope scope(*s);
    s->Bind(1, e.account_id).Bind(2, e.from).Bind(3, e.to).Bind(4, e.source).Bind(5, e.target);
    s->Bind(6, e.approved ? 1 : 0).Bind(7, e.agent_id).Bind(8, e.updated_at);
    MERIDIAN_RETURN_IF_ERROR(s->Run());
  }
  MERIDIAN_ASSIGN_OR_RETURN(
      auto found,
      FindTm(db, "account_id = ? AND source_language = ? AND target_language = ? AND source = ?",
             [&](Stmt& q) {
               q.Bind(1, e.account_id).Bind(2, e.from).Bind(3, e.to).Bind(4, e.source);
             }));
  if (!found) return Status::Internal("translation memory segment vanished after its write");
  return *found;
}

Result<std::vector<TmEntry>> ListTmEntries(Db& db, const TmQuery& q) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s,
      db.Prepare(std::string(kTmColumns) +
                 " WHERE account_id = ?1 AND id > ?2"
                 " AND (?3 = '' OR source_language = ?3) AND (?4 = '' OR target_language = ?4)"
                 " AND (?5 = '' OR instr(lower(source), lower(?5)) > 0"
                 "      OR instr(lower(target), lower(?5)) > 0)"
                 " ORDER BY id LIMIT ?6"));
  StmtScope scope(*s);
  s->Bind(1, q.account_id).Bind(2, q.after_id).Bind(3, q.from).Bind(4, q.to).Bind(5, q.text);
  s->Bind(6, q.limit > 0 ? static_cast<int64_t>(q.limit) : int64_t{-1});
  return ReadAll(*s, &ReadTm);
}

Result<TmEntry> DeleteTmEntry(Db& db, Id account_id, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(auto found, FindTm(db, "account_id = ? AND id = ?", [&](Stmt& q) {
                              q.Bind(1, account_id).Bind(2, id);
                            }));
  if (!found)
    return Status::NotFound(fmt::format("translation memory segment {} does not exist", id));
  MERIDIAN_RETURN_IF_ERROR(DeleteById(db, "tm_segments", id));
  return *found;
}

Result<GlossaryEntry> CreateGlossaryEntry(Db& db, const GlossaryEntry& e) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s,
      db.Prepare("INSERT INTO glossary_terms (account_id, kind, source_language, target_language,"
                 " source, target, target_plural, case_sensitive, created_at)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
  {
    StmtScope scope(*s);
    s->Bind(1, e.account_id).Bind(2, GlossaryKindName(e.kind)).Bind(3, e.from).Bind(4, e.to);
    s->Bind(5, e.source).Bind(6, e.target).Bind(7, e.target_plural);
    s->Bind(8, e.case_sensitive ? 1 : 0).Bind(9, e.created_at);
    MERIDIAN_RETURN_IF_ERROR(s->Run());
  }
  if (db.Changes() == 0) {
    return Status::Conflict("the glossary already has this term", "glossary_term_exists");
  }
  GlossaryEntry out = e;
  out.id = db.LastInsertId();
  return out;
}

Result<std::vector<GlossaryEntry>> ListGlossaryEntries(Db& db, Id account_id) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare(std::string(kGlossaryColumns) + " WHERE account_id = ? ORDER BY id"));
  StmtScope scope(*s);
  s->Bind(1, account_id);
  return ReadAll(*s, &ReadGlossary);
}

Result<GlossaryEntry> DeleteGlossaryEntry(Db& db, Id account_id, Id id) {
  GlossaryEntry found;
  {
    MERIDIAN_ASSIGN_OR_RETURN(
        Stmt * s, db.Prepare(std::string(kGlossaryColumns) + " WHERE account_id = ? AND id = ?"));
    StmtScope scope(*s);
    s->Bind(1, account_id).Bind(2, id);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound(fmt::format("glossary term {} does not exist", id));
    found = ReadGlossary(*s);
  }
  MERIDIAN_RETURN_IF_ERROR(DeleteById(db, "glossary_terms", id));
  return found;
}

}  // namespace meridian::store::sqlite
