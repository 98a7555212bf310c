#include "service/translation_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace meridian::service {

namespace tr = nlp::translate;

// ---- StoreMemoryBackend ---------------------------------------------------------------------

Status StoreMemoryBackend::Save(const tr::TmSegment& segment) {
  store::TmEntry e;
  e.account_id = account_id_;
  e.from = segment.from;
  e.to = segment.to;
  e.source = tr::NormalizeSource(segment.source);
  e.target = segment.target;
  e.approved = segment.approved;
  e.created_at = e.updated_at = clock_.NowMs();
  return store_.UpsertTmEntry(e).status();
}

Result<std::vector<tr::TmSegment>> StoreMemoryBackend::LoadAll() {
  std::vector<tr::TmSegment> out;
  store::TmQuery q;
  q.account_id = account_id_;
  q.limit = 5000;
  for (;;) {
    MERIDIAN_ASSIGN_OR_RETURN(std::vector<store::TmEntry> page, store_.ListTmEntries(q));
    for (store::TmEntry& e : page) {
      out.push_back({e.from, e.to, std::move(e.source), std::move(e.target), e.approved});
    }
    if (static_cast<int>(page.size()) < q.limit) break;
    q.after_id = page.back().id;
  }
  return out;
}

// ---- TranslationService ---------------------------------------------------------------------

TranslationService::TranslationService(store::Store& store, tr::Router& router, const Clock& clock,
                                       TranslationSettings settings)
    : store_(store),
      router_(router),
      clock_(clock),
      settings_(std::move(settings)),
      backend_(store, settings_.account_id, clock),
      memory_(&backend_) {
  router_.SetMemory(&memory_);
}

Status TranslationService::Load() {
  MERIDIAN_RETURN_IF_ERROR(memory_.Load());
  return ReloadGlossary();
}

std::string TranslationService::ReaderLanguage(const Agent& agent) const {
  return agent.translation_language.empty() ? settings_.working_language
                                            : agent.translation_language;
}

tr::RouteOptions TranslationService::RouteOptionsFor() const {
  tr::RouteOptions o;
  o.account = AccountKey();
  return o;
}

Result<ReplyPreview> TranslationService::PreviewReply(const Agent& agent, Id conversation_id,
                                                      std::string_view text,
                                                      const std::string& from) {
  MERIDIAN_ASSIGN_OR_RETURN(ConversationView conversation, store_.GetConversation(conversation_id));
  ReplyPreview p;
  p.from = from.empty() ? ReaderLanguage(agent) : from;
  p.to = conversation.language;
  p.needed = !p.to.empty() && p.to != "und" && p.to != p.from;
  if (!p.needed) {
    p.available = true;
    p.translation = std::string(text);
    p.engine = "identity";
    return p;
  }
  tr::RouteOptions options = RouteOptionsFor();
  options.fuzzy_suggestions = 5;
  auto t = router_.Translate(text, p.from, p.to, options);
  if (t.ok()) {
    p.available = true;
    p.translation = t->text;
    p.engine = t->engine;
    p.via = t->via;
    p.exact = t->engine == "memory";
    for (tr::TmMatch& m : t->suggestions) {
      if (!m.exact) p.fuzzy.push_back(std::move(m));
    }
    return p;
  }
  // No engine (or every engine failed): the agent is told and may send untranslated. The
  // memory may still know something close.
  p.unavailable_code = t.status().reason().empty() ? "translation_failed" : t.status().reason();
  p.unavailable_message = t.status().message();
  for (tr::TmMatch& m : memory_.Fuzzy(p.from, p.to, text, 0.75, 5)) {
    if (!m.exact) p.fuzzy.push_back(std::move(m));
  }
  return p;
}

namespace {
// The pipeline's translation of an inbound message, from its stored findings.
std::optional<store::MessageTranslation> PipelineTranslation(const Message& m) {
  if (m.nlu_json.empty()) return std::nullopt;
  auto nlu = nlohmann::json::parse(m.nlu_json, nullptr, false);
  if (!nlu.is_object()) return std::nullopt;
  auto it = nlu.find("translation");
  if (it == nlu.end() || !it->is_object() || !it->contains("text") || !it->contains("language") ||
      !(*it)["text"].is_string() || !(*it)["language"].is_string()) {
    return std::nullopt;
  }
  store::MessageTranslation t;
  t.message_id = m.id;
  t.language = (*it)["language"].get<std::string>();
  t.text = (*it)["text"].get<std::string>();
  t.engine = it->value("engine", std::string("pipeline"));
  return t;
}
}  // namespace

Result<std::map<Id, store::MessageTranslation>> TranslationService::KnownTranslations(
    const std::vector<Message>& messages, const std::string& language) {
  std::map<Id, store::MessageTranslation> out;
  std::vector<Id> missing;
  for (const Message& m : messages) {
    if (m.direction != Direction::kIn || m.language.empty() || m.language == "und" ||
        m.language == language) {
      continue;
    }
    auto pipeline = PipelineTranslation(m);
    if (pipeline && pipeline->language == language) {
      out.emplace(m.id, std::move(*pipeline));
    } else {
      missing.push_back(m.id);
    }
  }
  if (missing.empty()) return out;
  MERIDIAN_ASSIGN_OR_RETURN(auto cached, store_.ListMessageTranslations(missing, language));
  for (store::MessageTranslation& t : cached) out.emplace(t.message_id, std::move(t));
  return out;
}

Result<store::MessageTranslation> TranslationService::TranslateMessage(
    Id message_id, const std::string& language) {
  MERIDIAN_ASSIGN_OR_RETURN(Message m, store_.GetMessage(message_id));
  if (m.language.empty() || m.language == "und") {
    return Status::Unprocessable("the message's language is not known yet",
                                 "message_language_unknown");
  }
  if (m.language == language) {
    return store::MessageTranslation{m.id, language, m.text, "identity", m.created_at};
  }
  MERIDIAN_ASSIGN_OR_RETURN(auto known, KnownTranslations({m}, language));
  if (auto it = known.find(m.id); it != known.end()) return it->second;
  MERIDIAN_ASSIGN_OR_RETURN(tr::Translation t,
                            router_.Translate(m.text, m.language, language, RouteOptionsFor()));
  store::MessageTranslation out{m.id, language, t.text, t.engine, clock_.NowMs()};
  MERIDIAN_RETURN_IF_ERROR(store_.SaveMessageTranslation(out));
  return out;
}

Result<store::TmEntry> TranslationService::Remember(const std::string& from, const std::string& to,
                                                    std::string_view source,
                                                    std::string_view target) {
  std::string key = tr::NormalizeSource(source);
  if (key.empty() || target.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::Unprocessable("a memory segment needs a source and a target", "invalid_field");
  }
  // Through the memory, so the segment is saved (StoreMemoryBackend) and indexed at once.
  MERIDIAN_RETURN_IF_ERROR(memory_.Add({from, to, key, std::string(target), true}));
  store::TmQuery q;
  q.account_id = settings_.account_id;
  q.from = from;
  q.to = to;
  q.text = key;
  q.limit = 0;
  MERIDIAN_ASSIGN_OR_RETURN(auto found, store_.ListTmEntries(q));
  for (store::TmEntry& e : found) {
    if (e.source == key) return std::move(e);
  }
  return Status::Internal("translation memory segment not found after saving it");
}

Result<std::vector<store::TmEntry>> TranslationService::ListMemory(const store::TmQuery& query) {
  store::TmQuery q = query;
  q.account_id = settings_.account_id;
  return store_.ListTmEntries(q);
}

Result<store::TmEntry> TranslationService::DeleteMemory(Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(store::TmEntry e, store_.DeleteTmEntry(settings_.account_id, id));
  memory_.Remove(e.from, e.to, e.source);
  return e;
}

std::vector<tr::TmMatch> TranslationService::SearchMemory(const std::string& from,
                                                          const std::string& to,
                                                          std::string_view text,
                                                          size_t limit) const {
  return memory_.Fuzzy(from, to, text, 0.75, limit);
}

Result<std::vector<store::GlossaryEntry>> TranslationService::ListGlossary() {
  return store_.ListGlossaryEntries(settings_.account_id);
}

Result<store::GlossaryEntry> TranslationService::AddGlossary(store::GlossaryEntry entry) {
  entry.account_id = settings_.account_id;
  entry.created_at = clock_.NowMs();
  MERIDIAN_ASSIGN_OR_RETURN(store::GlossaryEntry created, store_.CreateGlossaryEntry(entry));
  MERIDIAN_RETURN_IF_ERROR(ReloadGlossary());
  return created;
}

Result<store::GlossaryEntry> TranslationService::DeleteGlossary(Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(store::GlossaryEntry e,
                            store_.DeleteGlossaryEntry(settings_.account_id, id));
  MERIDIAN_RETURN_IF_ERROR(ReloadGlossary());
  return e;
}

Status TranslationService::ReloadGlossary() {
  std::lock_guard<std::mutex> lock(glossary_mu_);
  MERIDIAN_ASSIGN_OR_RETURN(auto entries, store_.ListGlossaryEntries(settings_.account_id));
  tr::Glossary g;
  for (const store::GlossaryEntry& e : entries) {
    if (e.kind == store::GlossaryKind::kDoNotTranslate) {
      g.AddDoNotTranslate(e.source, e.case_sensitive);
    } else {
      g.AddForced({e.from, e.to, e.source, e.target, e.target_plural, e.case_sensitive});
    }
  }
  router_.SetGlossary(AccountKey(), std::move(g));
  return Status::Ok();
}

}  // namespace meridian::service
