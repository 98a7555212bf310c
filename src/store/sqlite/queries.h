#pragma once
// Row loaders shared by the reader and the writer side of the SQLite store.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"
#include "store/sqlite/db.h"
#include "store/store.h"

namespace meridian::store::sqlite {

// The SELECT list and joins that produce a ConversationView row (see ReadConversationRow).
extern const char* const kConversationSelect;
// The same over another row source, which must name its conversations `c` (e.g. "(SELECT ...) p
// JOIN conversations c ON c.id = p.id").
std::string ConversationSelectFrom(std::string_view source);
ConversationView ReadConversationRow(const Stmt& stmt);
Result<ConversationView> LoadConversation(Db& db, Id id);

extern const char* const kMessageSelect;
Message ReadMessageRow(const Stmt& stmt);
DeliveryStatus ParseDeliveryStatus(const std::string& s);
// With its attachments.
Result<Message> LoadMessage(Db& db, Id id);

// Attachments of a message, in the order they came.
Result<std::vector<Attachment>> LoadAttachmentsOf(Db& db, Id message_id);
Result<Attachment> LoadAttachment(Db& db, Id id);
// The rows of a newest-first message query run with LIMIT limit + 1, as a page in time order
// (oldest first); `cursor_of` makes the next page's cursor from the oldest message kept.
Result<Page<Message>> ReadMessagePage(Stmt& stmt, int limit,
                                      const std::function<std::string(const Message&)>& cursor_of);

Result<Agent> LoadAgent(Db& db, Id id);

// Conversation list cursors: (has_unread, last_activity_at, id) of the last item, opaque.
std::string EncodeConversationCursor(const ConversationView& c);
struct ConversationCursor {
  int64_t has_unread = 0;
  int64_t last_activity_at = 0;
  int64_t id = 0;
};
Result<ConversationCursor> DecodeConversationCursor(const std::string& cursor);

}  // namespace meridian::store::sqlite
