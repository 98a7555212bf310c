#pragma once
// SQL for reply templates (LG6) and the customer's locale of a conversation. Writers run on the
// writer thread inside its transaction; loaders on any connection.

#include <optional>
#include <vector>

#include "store/sqlite/db.h"
#include "store/store.h"

namespace meridian::store::sqlite {

Result<ReplyTemplateDef> InsertTemplate(Db& db, const ReplyTemplateDef& tmpl, TimestampMs now);
Result<ReplyTemplateDef> ReplaceTemplate(Db& db, const ReplyTemplateDef& tmpl, TimestampMs now);
Status RemoveTemplate(Db& db, Id id);
Result<ReplyTemplateDef> LoadTemplate(Db& db, Id id);
Result<std::optional<ReplyTemplateDef>> LoadTemplateByKey(Db& db, const std::string& key);
Result<std::vector<ReplyTemplateDef>> LoadTemplates(Db& db);
Result<ConversationLocale> LoadConversationLocale(Db& db, Id conversation_id);
Status UpdateDefaultTimeZone(Db& db, const std::string& time_zone);
Status UpdateContactLocale(Db& db, Id contact_id, const std::string& country,
                           const std::string& time_zone);

}  // namespace meridian::store::sqlite
