#pragma once
// Translation in the conversation (LG2, LG4): what agents read and what customers receive.
//   - Every agent reads and writes in their translation language (their choice, default the
//     team's working language). Inbound messages are shown in it: the pipeline's stored
//     translation when it is in that language, else an on-demand translation cached per
//     (message, language) in the store. Nothing here runs on the ingestion path.
//   - A reply is previewed in the conversation's language before it is sent; the agent may edit
//     the preview, and an edited or approved translation becomes a translation-memory segment.
//   - The account's translation memory and glossary live in the store, are loaded once (Load)
//     and updated live by every change made here.
// Thread-safe after Load. Every method blocks (store, engines): call off the I/O threads.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "core/status.h"
#include "nlp/translate/memory.h"
#include "nlp/translate/router.h"
#include "store/store.h"

namespace meridian::service {

// The translation memory of one account, persisted in the store (replaces the JSON-lines file
// of the command line for the server).
class StoreMemoryBackend final : public nlp::translate::TranslationMemoryStore {
 public:
  StoreMemoryBackend(store::Store& store, Id account_id, const Clock& clock)
      : store_(store), account_id_(account_id), clock_(clock) {}
  Status Save(const nlp::translate::TmSegment& segment) override;
  Result<std::vector<nlp::translate::TmSegment>> LoadAll() override;

 private:
  store::Store& store_;
  Id account_id_;
  const Clock& clock_;
};

struct TranslationSettings {
  std::string working_language = "en";  // the team's language (serve --working-language)
  Id account_id = 1;
};

// A reply as it would be sent: `translation` in `to` from the agent's `text` in `from`.
struct ReplyPreview {
  std::string from;
  std::string to;
  bool needed = false;     // false: the conversation is in the agent's language (or unknown)
  bool available = false;  // an engine or the memory translated it
  std::string translation;
  std::string engine;  // "memory" for an exact memory match
  std::string via;     // pivot language
  std::string unavailable_code;
  std::string unavailable_message;
  bool exact = false;                          // the whole text came from the memory
  std::vector<nlp::translate::TmMatch> fuzzy;  // >= 75 %, best first, exact ones excluded
};

class TranslationService {
 public:
  // `router` must outlive this service; its memory is set to this service's memory.
  TranslationService(store::Store& store, nlp::translate::Router& router, const Clock& clock,
                     TranslationSettings settings);

  // Loads the account's memory and glossary into the router (call once before serving).
  Status Load();

  const TranslationSettings& settings() const { return settings_; }
  // The language `agent` reads and writes messages in.
  std::string ReaderLanguage(const Agent& agent) const;
  // The router options for the account (its glossary applies).
  nlp::translate::RouteOptions RouteOptionsFor() const;

  // The preview of a reply by `agent` into the conversation's language. `from` overrides the
  // agent's language when not empty. NotFound for an unknown conversation.
  Result<ReplyPreview> PreviewReply(const Agent& agent, Id conversation_id, std::string_view text,
                                    const std::string& from);

  // The translations into `language` that exist for `messages` without translating anything:
  // the pipeline's (when in `language`) and the cached ones. Keyed by message id.
  Result<std::map<Id, store::MessageTranslation>> KnownTranslations(
      const std::vector<Message>& messages, const std::string& language);
  // A message in `language`: known, or translated now and cached. Unprocessable
  // ("message_language_unknown") before the pipeline has detected the message's language,
  // NotFound ("unsupported_pair") when no engine covers the pair.
  Result<store::MessageTranslation> TranslateMessage(Id message_id, const std::string& language);

  // Translation memory. Remember stores a human-approved segment (and indexes it for exact
  // reuse at once).
  Result<store::TmEntry> Remember(const std::string& from, const std::string& to,
                                  std::string_view source, std::string_view target);
  Result<std::vector<store::TmEntry>> ListMemory(const store::TmQuery& query);
  Result<store::TmEntry> DeleteMemory(Id id);
  // Fuzzy matches in the warm memory.
  std::vector<nlp::translate::TmMatch> SearchMemory(const std::string& from, const std::string& to,
                                                    std::string_view text, size_t limit) const;

  // Glossary: every change reloads the account's glossary in the router.
  Result<std::vector<store::GlossaryEntry>> ListGlossary();
  Result<store::GlossaryEntry> AddGlossary(store::GlossaryEntry entry);
  Result<store::GlossaryEntry> DeleteGlossary(Id id);

 private:
  Status ReloadGlossary();
  std::string AccountKey() const { return std::to_string(settings_.account_id); }

  store::Store& store_;
  nlp::translate::Router& router_;
  const Clock& clock_;
  TranslationSettings settings_;
  StoreMemoryBackend backend_;
  nlp::translate::TranslationMemory memory_;
  std::mutex glossary_mu_;  // serializes glossary reloads
};

}  // namespace meridian::service
