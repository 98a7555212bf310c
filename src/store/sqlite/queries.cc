#include "store/sqlite/queries.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/crypto.h"

namespace meridian::store::sqlite {

namespace {
constexpr std::string_view kConversationColumns =
    "SELECT c.id, c.status, c.inbox_id, i.name, i.channel, c.contact_id, ct.name, c.assignee_id,"
    " a.name, c.priority, c.language, c.unread_count, c.last_activity_at, c.created_at,"
    " m.id, m.text, m.direction, m.sender_kind, m.created_at, ci.external_id,"
    " c.language_set_by_agent";
constexpr std::string_view kConversationJoins =
    " JOIN contact_identities ci ON ci.id = c.identity_id"
    " JOIN inboxes i ON i.id = c.inbox_id"
    " JOIN contacts ct ON ct.id = c.contact_id"
    " LEFT JOIN agents a ON a.id = c.assignee_id"
    " LEFT JOIN messages m ON m.id = c.last_message_id";
}  // namespace

std::string ConversationSelectFrom(std::string_view source) {
  return fmt::format("{} FROM {}{}", kConversationColumns, source, kConversationJoins);
}

const char* const kConversationSelect = [] {
  static const std::string sql = ConversationSelectFrom("conversations c");
  return sql.c_str();
}();

ConversationView ReadConversationRow(const Stmt& s) {
  ConversationView c;
  c.id = s.Int(0);
  c.status = ParseConversationStatus(s.Text(1)).value_or(ConversationStatus::kOpen);
  c.inbox_id = s.Int(2);
  c.inbox_name = s.Text(3);
  c.channel = s.Text(4);
  c.contact_id = s.Int(5);
  c.contact_name = s.Text(6);
  c.assignee_id = s.OptInt(7);
  c.assignee_name = s.Text(8);
  c.priority = static_cast<int>(s.Int(9));
  c.language = s.Text(10);
  c.unread_count = s.Int(11);
  c.last_activity_at = s.Int(12);
  c.created_at = s.Int(13);
  c.contact_external_id = s.Text(19);
  if (!s.IsNull(14)) {
    MessageSummary m;
    m.id = s.Int(14);
    m.text = s.Text(15);
    m.direction = s.Text(16) == "out" ? Direction::kOut : Direction::kIn;
    std::string kind = s.Text(17);
    m.sender_kind = kind == "agent"    ? SenderKind::kAgent
                    : kind == "bot"    ? SenderKind::kBot
                    : kind == "system" ? SenderKind::kSystem
                                       : SenderKind::kCustomer;
    m.created_at = s.Int(18);
    c.last_message = std::move(m);
  }
  c.language_set_by_agent = s.Int(20) != 0;
  return c;
}

Result<ConversationView> LoadConversation(Db& db, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * stmt,
                            db.Prepare(std::string(kConversationSelect) + " WHERE c.id = ?"));
  StmtScope scope(*stmt);
  stmt->Bind(1, id);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::NotFound(fmt::format("conversation {} does not exist", id));
  return ReadConversationRow(*stmt);
}

const char* const kMessageSelect =
    "SELECT m.id, m.conversation_id, m.inbox_id, m.direction, m.sender_kind, m.sender_agent_id,"
    " a.name, m.text, m.content_type, m.status, m.provider_message_id, m.client_message_id,"
    " m.created_at, m.language, m.nlu_json, m.status_error, m.meta, m.original_text,"
    " m.original_language,"
    " CASE WHEN m.status = 'failed' THEN (SELECT o.id FROM outbox o"
    "   WHERE o.message_id = m.id AND o.state = 'dead') END"
    " FROM messages m LEFT JOIN agents a ON a.id = m.sender_agent_id";

namespace {
SenderKind ParseSenderKind(const std::string& s) {
  if (s == "agent") return SenderKind::kAgent;
  if (s == "bot") return SenderKind::kBot;
  if (s == "system") return SenderKind::kSystem;
  return SenderKind::kCustomer;
}
}  // namespace

DeliveryStatus ParseDeliveryStatus(const std::string& s) {
  if (s == "pending") return DeliveryStatus::kPending;
  if (s == "sent") return DeliveryStatus::kSent;
  if (s == "delivered") return DeliveryStatus::kDelivered;
  if (s == "read") return DeliveryStatus::kRead;
  if (s == "failed") return DeliveryStatus::kFailed;
  return DeliveryStatus::kReceived;
}

Message ReadMessageRow(const Stmt& s) {
  Message m;
  m.id = s.Int(0);
  m.conversation_id = s.Int(1);
  m.inbox_id = s.Int(2);
  m.direction = s.Text(3) == "out" ? Direction::kOut : Direction::kIn;
  m.sender_kind = ParseSenderKind(s.Text(4));
  m.sender_agent_id = s.OptInt(5);
  m.sender_name = s.Text(6);
  m.text = s.Text(7);
  m.content_type = s.Text(8);
  m.status = ParseDeliveryStatus(s.Text(9));
  m.provider_message_id = s.OptText(10);
  m.client_message_id = s.OptText(11);
  m.created_at = s.Int(12);
  m.language = s.Text(13);
  m.nlu_json = s.Text(14);
  m.status_error = s.Text(15);
  m.meta_json = s.Text(16);
  m.original_text = s.Text(17);
  m.original_language = s.Text(18);
  m.dead_letter_id = s.OptInt(19);
  return m;
}

Result<Message> LoadMessage(Db& db, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * stmt,
                            db.Prepare(std::string(kMessageSelect) + " WHERE m.id = ?"));
  StmtScope scope(*stmt);
  stmt->Bind(1, id);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::NotFound(fmt::format("message {} does not exist", id));
  Message m = ReadMessageRow(*stmt);
  MERIDIAN_ASSIGN_OR_RETURN(m.attachments, LoadAttachmentsOf(db, id));
  return m;
}

namespace {
constexpr const char* kAttachmentSelect =
    "SELECT id, message_id, inbox_id, filename, content_type, claimed_type, content_id,"
    " is_inline, stored, size, sha256, created_at, download, download_error, source"
    " FROM attachments";

Attachment ReadAttachmentRow(const Stmt& s) {
  Attachment a;
  a.id = s.Int(0);
  a.message_id = s.Int(1);
  a.inbox_id = s.Int(2);
  a.filename = s.Text(3);
  a.content_type = s.Text(4);
  a.claimed_type = s.Text(5);
  a.content_id = s.Text(6);
  a.is_inline = s.Int(7) != 0;
  a.stored = s.Int(8) != 0;
  a.size = s.Int(9);
  a.sha256_hex = s.Text(10);
  a.created_at = s.Int(11);
  a.download = s.Text(12);
  a.download_error = s.Text(13);
  a.source_json = s.Text(14);
  return a;
}
}  // namespace

Result<std::vector<Attachment>> LoadAttachmentsOf(Db& db, Id message_id) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * s, db.Prepare(std::string(kAttachmentSelect) + " WHERE message_id = ? ORDER BY id"));
  StmtScope scope(*s);
  s->Bind(1, message_id);
  std::vector<Attachment> out;
  while (true) {
    MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(ReadAttachmentRow(*s));
  }
  return out;
}

Result<Attachment> LoadAttachment(Db& db, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * s, db.Prepare(std::string(kAttachmentSelect) + " WHERE id = ?"));
  StmtScope scope(*s);
  s->Bind(1, id);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound(fmt::format("attachment {} does not exist", id));
  return ReadAttachmentRow(*s);
}

Result<Page<Message>> ReadMessagePage(Stmt& stmt, int limit,
                                      const std::function<std::string(const Message&)>& cursor_of) {
  Page<Message> page;
  while (true) {
    MERIDIAN_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    page.items.push_back(ReadMessageRow(stmt));
  }
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.pop_back();
    page.next_cursor = cursor_of(page.items.back());
  }
  std::reverse(page.items.begin(), page.items.end());
  return page;
}

Result<Agent> LoadAgent(Db& db, Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(
      Stmt * stmt,
      db.Prepare("SELECT id, email, name, role, language, created_at, translation_language"
                 " FROM agents WHERE id = ?"));
  StmtScope scope(*stmt);
  stmt->Bind(1, id);
  MERIDIAN_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return Status::NotFound(fmt::format("agent {} does not exist", id));
  Agent a;
  a.id = stmt->Int(0);
  a.email = stmt->Text(1);
  a.name = stmt->Text(2);
  a.role = ParseRole(stmt->Text(3)).value_or(Role::kAgent);
  a.language = stmt->Text(4);
  a.created_at = stmt->Int(5);
  a.translation_language = stmt->Text(6);
  return a;
}

std::string EncodeConversationCursor(const ConversationView& c) {
  return crypto::Base64UrlEncode(
      fmt::format("{}.{}.{}", c.unread_count > 0 ? 1 : 0, c.last_activity_at, c.id));
}

Result<ConversationCursor> DecodeConversationCursor(const std::string& cursor) {
  std::string raw = crypto::Base64Decode(cursor);
  ConversationCursor out;
  int64_t* fields[] = {&out.has_unread, &out.last_activity_at, &out.id};
  const char* p = raw.data();
  const char* end = raw.data() + raw.size();
  for (int i = 0; i < 3; ++i) {
    auto [next, ec] = std::from_chars(p, end, *fields[i]);
    if (ec != std::errc() || (i < 2 && (next == end || *next != '.')) || (i == 2 && next != end)) {
      return Status::InvalidArgument("cursor is not valid", "invalid_cursor");
    }
    p = next + 1;
  }
  return out;
}

}  // namespace meridian::store::sqlite
