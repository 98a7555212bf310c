#pragma once
// SQL of the translation repositories (store.h, "Translation"): on-demand message translations,
// translation memory and glossary. Each function runs on the connection it is given (a reader
// for reads, the writer's transaction for writes).

#include <vector>

#include "core/status.h"
#include "store/sqlite/db.h"
#include "store/store.h"

namespace meridian::store::sqlite {

Result<std::vector<MessageTranslation>> ListMessageTranslations(Db& db,
                                                                const std::vector<Id>& message_ids,
                                                                const std::string& language);
Status SaveMessageTranslation(Db& db, const MessageTranslation& translation);

Result<TmEntry> UpsertTmEntry(Db& db, const TmEntry& entry);
Result<std::vector<TmEntry>> ListTmEntries(Db& db, const TmQuery& query);
Result<TmEntry> DeleteTmEntry(Db& db, Id account_id, Id id);

Result<GlossaryEntry> CreateGlossaryEntry(Db& db, const GlossaryEntry& entry);
Result<std::vector<GlossaryEntry>> ListGlossaryEntries(Db& db, Id account_id);
Result<GlossaryEntry> DeleteGlossaryEntry(Db& db, Id account_id, Id id);

}  // namespace meridian::store::sqlite
