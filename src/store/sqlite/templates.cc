#include "store/sqlite/templates.h"

#include <fmt/format.h>

namespace meridian::store::sqlite {

namespace {

// The account every template belongs to until accounts are multi-tenant.
constexpr Id kAccount = 1;

Status KeyTaken(const Status& s, const std::string& key) {
  if (s.is_conflict()) {
    return Status::Conflict(fmt::format("a template with the key '{}' exists", key),
                            "template_key_taken");
  }
  return s;
}

Status WriteVariants(Db& db, Id id, const std::vector<TemplateVariant>& variants) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * del, db.Prepare("DELETE FROM reply_template_variants WHERE template_id = ?"));
  {
    StmtScope scope(*del);
    del->Bind(1, id);
    MERIDIAN_RETURN_IF_ERROR(del->Run());
  }
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * ins,
                            db.Prepare("INSERT INTO reply_template_variants (template_id, locale,"
                                       " style, body) VALUES (?, ?, ?, ?)"));
  for (const auto& v : variants) {
    StmtScope scope(*ins);
    ins->Bind(1, id).Bind(2, v.locale).Bind(3, v.style).Bind(4, v.body);
    MERIDIAN_RETURN_IF_ERROR(ins->Run());
  }
  return Status::Ok();
}

Status LoadVariants(Db& db, ReplyTemplateDef& t) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare("SELECT locale, style, body FROM"
                                                 " reply_template_variants WHERE template_id = ?"
                                                 " ORDER BY locale"));
  StmtScope scope(*s);
  s->Bind(1, t.id);
  t.variants.clear();
  while (true) {
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    t.variants.push_back({s->Text(0), s->Text(1), s->Text(2)});
  }
  return Status::Ok();
}

constexpr const char* kTemplateSelect =
    "SELECT id, key, name, source_locale, created_at, updated_at FROM reply_templates";

ReplyTemplateDef ReadTemplateRow(const Stmt& s) {
  ReplyTemplateDef t;
  t.id = s.Int(0);
  t.key = s.Text(1);
  t.name = s.Text(2);
  t.source_locale = s.Text(3);
  t.created_at = s.Int(4);
  t.updated_at = s.Int(5);
  return t;
}

}  // namespace

Result<ReplyTemplateDef> InsertTemplate(Db& db, const ReplyTemplateDef& tmpl, TimestampMs now) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("INSERT INTO reply_templates (account_id, key, name, source_locale,"
                           " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"));
  {
    StmtScope scope(*s);
    s->Bind(1, kAccount).Bind(2, tmpl.key).Bind(3, tmpl.name).Bind(4, tmpl.source_locale);
    s->Bind(5, now).Bind(6, now);
    MERIDIAN_RETURN_IF_ERROR(KeyTaken(s->Run(), tmpl.key));
  }
  Id id = db.LastInsertId();
  MERIDIAN_RETURN_IF_ERROR(WriteVariants(db, id, tmpl.variants));
  return LoadTemplate(db, id);
}

Result<ReplyTemplateDef> ReplaceTemplate(Db& db, const ReplyTemplateDef& tmpl, TimestampMs now) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("UPDATE reply_templates SET key = ?, name = ?, source_locale = ?,"
                           " updated_at = ? WHERE id = ? AND account_id = ?"));
  {
    StmtScope scope(*s);
    s->Bind(1, tmpl.key).Bind(2, tmpl.name).Bind(3, tmpl.source_locale).Bind(4, now);
    s->Bind(5, tmpl.id).Bind(6, kAccount);
    MERIDIAN_RETURN_IF_ERROR(KeyTaken(s->Run(), tmpl.key));
  }
  if (db.Changes() == 0) {
    return Status::NotFound(fmt::format("template {} does not exist", tmpl.id));
  }
  MERIDIAN_RETURN_IF_ERROR(WriteVariants(db, tmpl.id, tmpl.variants));
  return LoadTemplate(db, tmpl.id);
}

Status RemoveTemplate(Db& db, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * v, db.Prepare("DELETE FROM reply_template_variants WHERE template_id = ?"));
  {
    StmtScope scope(*v);
    v->Bind(1, id);
    MERIDIAN_RETURN_IF_ERROR(v->Run());
  }
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("DELETE FROM reply_templates WHERE id = ? AND account_id = ?"));
  StmtScope scope(*s);
  s->Bind(1, id).Bind(2, kAccount);
  MERIDIAN_RETURN_IF_ERROR(s->Run());
  if (db.Changes() == 0) return Status::NotFound(fmt::format("template {} does not exist", id));
  return Status::Ok();
}

Result<ReplyTemplateDef> LoadTemplate(Db& db, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare(std::string(kTemplateSelect) + " WHERE id = ? AND account_id = ?"));
  ReplyTemplateDef t;
  {
    StmtScope scope(*s);
    s->Bind(1, id).Bind(2, kAccount);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Status::NotFound(fmt::format("template {} does not exist", id));
    t = ReadTemplateRow(*s);
  }
  MERIDIAN_RETURN_IF_ERROR(LoadVariants(db, t));
  return t;
}

Result<std::optional<ReplyTemplateDef>> LoadTemplateByKey(Db& db, const std::string& key) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("SELECT id FROM reply_templates WHERE key = ? AND account_id = ?"));
  Id id = 0;
  {
    StmtScope scope(*s);
    s->Bind(1, key).Bind(2, kAccount);
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<ReplyTemplateDef>();
    id = s->Int(0);
  }
  MERIDIAN_ASSIGN_OR_RETURN(ReplyTemplateDef t, LoadTemplate(db, id));
  return std::optional<ReplyTemplateDef>(std::move(t));
}

Result<std::vector<ReplyTemplateDef>> LoadTemplates(Db& db) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare(std::string(kTemplateSelect) + " WHERE account_id = ? ORDER BY key"));
  std::vector<ReplyTemplateDef> out;
  {
    StmtScope scope(*s);
    s->Bind(1, kAccount);
    while (true) {
      MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      out.push_back(ReadTemplateRow(*s));
    }
  }
  for (auto& t : out) MERIDIAN_RETURN_IF_ERROR(LoadVariants(db, t));
  return out;
}

Result<ConversationLocale> LoadConversationLocale(Db& db, Id conversation_id) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("SELECT c.language, COALESCE(ct.country, ''),"
                           " COALESCE(NULLIF(ct.time_zone, ''), a.time_zone)"
                           " FROM conversations c JOIN contacts ct ON ct.id = c.contact_id"
                           " JOIN accounts a ON a.id = c.account_id WHERE c.id = ?"));
  StmtScope scope(*s);
  s->Bind(1, conversation_id);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) {
    return Status::NotFound(fmt::format("conversation {} does not exist", conversation_id));
  }
  return ConversationLocale{s->Text(0), s->Text(1), s->Text(2)};
}

Status UpdateDefaultTimeZone(Db& db, const std::string& time_zone) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare("UPDATE accounts SET time_zone = ? WHERE id = ?"));
  StmtScope scope(*s);
  s->Bind(1, time_zone).Bind(2, kAccount);
  return s->Run();
}

Status UpdateContactLocale(Db& db, Id contact_id, const std::string& country,
                           const std::string& time_zone) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare("UPDATE contacts SET country = NULLIF(?, ''), time_zone = NULLIF(?, '')"
                           " WHERE id = ?"));
  StmtScope scope(*s);
  s->Bind(1, country).Bind(2, time_zone).Bind(3, contact_id);
  MERIDIAN_RETURN_IF_ERROR(s->Run());
  if (db.Changes() == 0) {
    return Status::NotFound(fmt::format("contact {} does not exist", contact_id));
  }
  return Status::Ok();
}

}  // namespace meridian::store::sqlite
