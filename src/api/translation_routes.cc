// Translation routes (docs/api.md "Translation"): the reply preview, a message in the reader's
// language, and the account's translation memory and glossary (supervisors and admins edit,
// agents read).

#include <fmt/format.h>

#include <charconv>

#include "api/common.h"
#include "core/text.h"
#include "service/conversation_service.h"

namespace meridian::api {

namespace {

namespace tr = nlp::translate;

// Most segments or terms one list answers with.
constexpr int kMaxList = 500;

json MatchJson(const tr::TmMatch& m) {
  return {{"source", m.segment.source},
          {"target", m.segment.target},
          {"score", static_cast<double>(static_cast<int>(m.score * 1000 + 0.5)) / 1000},
          {"approved", m.segment.approved}};
}

json TmJson(const store::TmEntry& e) {
  return {{"id", e.id},
          {"from", e.from},
          {"to", e.to},
          {"source", e.source},
          {"target", e.target},
          {"approved", e.approved},
          {"updated_at", FormatRfc3339(e.updated_at)}};
}

json GlossaryJson(const store::GlossaryEntry& e) {
  bool forced = e.kind == store::GlossaryKind::kForced;
  return {
      {"id", e.id},
      {"kind", store::GlossaryKindName(e.kind)},
      {"from", forced ? json(e.from) : json(nullptr)},
      {"to", forced ? json(e.to) : json(nullptr)},
      {"source", e.source},
      {"target", forced ? json(e.target) : json(nullptr)},
      {"target_plural", forced && !e.target_plural.empty() ? json(e.target_plural) : json(nullptr)},
      {"case_sensitive", e.case_sensitive},
      {"created_at", FormatRfc3339(e.created_at)}};
}

// A required language code field: 422 naming the field.
Result<std::string> LanguageField(const json& body, const char* field) {
  MERIDIAN_ASSIGN_OR_RETURN(std::string v, RequiredString(body, field));
  if (!text::IsLanguageTag(v)) {
    return Status::Unprocessable(
        fmt::format("field '{}' must be a language code such as \"es\"", field), "invalid_field");
  }
  return v;
}

// A required non-blank text field of at most `max` bytes, NFC-normalized.
Result<std::string> TextField(const json& body, const char* field, size_t max) {
  MERIDIAN_ASSIGN_OR_RETURN(std::string v, RequiredString(body, field));
  if (v.size() > max) {
    return Status::TooLarge(fmt::format("field '{}' is longer than {} bytes", field, max));
  }
  MERIDIAN_ASSIGN_OR_RETURN(std::string clean, text::NormalizeNfc(v));
  if (clean.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::Unprocessable(fmt::format("field '{}' must not be empty", field),
                                 "missing_field");
  }
  return clean;
}

bool NoTranslations(ApiContext& ctx, const http::Responder& respond) {
  if (ctx.translations != nullptr) return false;
  respond(http::Response::Error(503, "translation_unavailable",
                                "translation is not configured on this server"));
  return true;
}

// POST /api/v1/conversations/{id}/translate {"text", "from"?}
void Preview(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
             http::Responder respond) {
  if (NoTranslations(ctx, respond)) return;
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto text = TextField(*body, "text", service::kMaxMessageBytes);
  if (!text.ok()) return respond(http::Response::Error(text.status()));
  std::string from;
  if (body->contains("from") && !(*body)["from"].is_null()) {
    auto f = LanguageField(*body, "from");
    if (!f.ok()) return respond(http::Response::Error(f.status()));
    from = *f;
  }
  Offload(ctx, respond, [&ctx, agent = p.agent, conversation = *id, text = *text, from] {
    auto preview = ctx.translations->PreviewReply(agent, conversation, text, from);
    return Respond(preview, [](const service::ReplyPreview& pv) {
      json fuzzy = json::array();
      for (const auto& m : pv.fuzzy) fuzzy.push_back(MatchJson(m));
      json out = {{"translation", pv.available ? json(pv.translation) : json(nullptr)},
                  {"from", pv.from},
                  {"to", pv.to.empty() ? json(nullptr) : json(pv.to)},
                  {"needed", pv.needed},
                  {"available", pv.available},
                  {"engine", pv.available ? json(pv.engine) : json(nullptr)},
                  {"via", pv.via.empty() ? json(nullptr) : json(pv.via)},
                  {"memory", {{"exact", pv.exact}, {"fuzzy", fuzzy}}},
                  {"unavailable", nullptr}};
      if (!pv.available) {
        out["unavailable"] = {{"code", pv.unavailable_code}, {"message", pv.unavailable_message}};
      }
      return JsonResponse(200, out);
    });
  });
}

// GET /api/v1/messages/{id}/translation?language=xx (default: the reader's language)
void MessageTranslation(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                        http::Responder respond) {
  if (NoTranslations(ctx, respond)) return;
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  std::string language = req->Query("language");
  if (language.empty()) language = ctx.translations->ReaderLanguage(p.agent);
  if (!text::IsLanguageTag(language)) {
    return respond(http::Response::Error(422, "invalid_field",
                                         "parameter 'language' must be a language code"));
  }
  bool mask = !SeesSensitivePii(p.agent.role);
  Offload(ctx, respond, [&ctx, message = *id, language, mask] {
    auto t = ctx.translations->TranslateMessage(message, language);
    if (!t.ok() && t.status().reason() == "unsupported_pair") {
      return http::Response::Error(422, "unsupported_pair", t.status().message());
    }
    return Respond(t, [mask](const store::MessageTranslation& m) {
      std::optional<std::string> masked;
      if (mask) masked = MaskSensitivePii(m.text);
      return JsonResponse(200, {{"message_id", m.message_id},
                                {"language", m.language},
                                {"text", masked ? *masked : m.text},
                                {"engine", m.engine}});
    });
  });
}

int ParseInt(const std::string& s, int fallback) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return s.empty() || ec != std::errc() || ptr != s.data() + s.size() ? fallback : v;
}

// GET /api/v1/translation-memory?from&to&q&after&limit
void ListMemory(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  if (NoTranslations(ctx, respond)) return;
  store::TmQuery q;
  q.from = req->Query("from");
  q.to = req->Query("to");
  q.text = req->Query("q");
  for (const auto* lang : {&q.from, &q.to}) {
    if (!lang->empty() && !text::IsLanguageTag(*lang)) {
      return respond(http::Response::Error(422, "invalid_field",
                                           "parameters 'from' and 'to' must be language codes"));
    }
  }
  q.limit = std::clamp(ParseInt(req->Query("limit"), 100), 1, kMaxList);
  q.after_id = std::max(0, ParseInt(req->Query("after"), 0));
  Offload(ctx, respond, [&ctx, q] {
    auto list = ctx.translations->ListMemory(q);
    return Respond(list, [&q, &ctx](const std::vector<store::TmEntry>& all) {
      json items = json::array();
      for (const auto& e : all) items.push_back(TmJson(e));
      json out = {{"items", items},
                  {"next_cursor", static_cast<int>(all.size()) == q.limit
                                      ? json(std::to_string(all.back().id))
                                      : json(nullptr)}};
      // With a pair and a text: the fuzzy matches (>= 75 %) of the warm memory too.
      if (!q.from.empty() && !q.to.empty() && !q.text.empty()) {
        json fuzzy = json::array();
        for (const auto& m : ctx.translations->SearchMemory(q.from, q.to, q.text, 10)) {
          fuzzy.push_back(MatchJson(m));
        }
        out["fuzzy"] = fuzzy;
      }
      return JsonResponse(200, out);
    });
  });
}

void Audit(ApiContext& ctx, Id actor, const char* action, const std::string& target) {
  (void)ctx.store->AppendAudit(
      {fmt::format("agent:{}", actor), action, target, "{}", ctx.clock->NowMs()});
}

// POST /api/v1/translation-memory {"from","to","source","target"}
void AddMemory(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
               http::Responder respond) {
  if (NoTranslations(ctx, respond)) return;
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto from = LanguageField(*body, "from");
  if (!from.ok()) return respond(http::Response::Error(from.status()));
  auto to = LanguageField(*body, "to");
  if (!to.ok()) return respond(http::Response::Error(to.status()));
  if (*from == *to) {
    return respond(
        http::Response::Error(422, "invalid_field", "field 'to' must differ from 'from'"));
  }
  auto source = TextField(*body, "source", service::kMaxMessageBytes);
  if (!source.ok()) return respond(http::Response::Error(source.status()));
  auto target = TextField(*body, "target", service::kMaxMessageBytes);
  if (!target.ok()) return respond(http::Response::Error(target.status()));
  Offload(ctx, respond,
          [&ctx, actor = p.agent.id, from = *from, to = *to, source = *source, target = *target] {
            auto e = ctx.translations->Remember(from, to, source, target);
            if (e.ok()) Audit(ctx, actor, "translation_memory.add", fmt::format("tm:{}", e->id));
            return Respond(e, [](const store::TmEntry& x) { return JsonResponse(201, TmJson(x)); });
          });
}

// DELETE of one memory segment or glossary term: `remove(id)` deletes it, the answer is the
// deleted record.
template <typename T>
void DeleteOne(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
               http::Responder respond, const char* action, const char* target,
               Result<T> (service::TranslationService::*remove)(Id), json (*to_json)(const T&)) {
  if (NoTranslations(ctx, respond)) return;
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  Offload(ctx, respond, [&ctx, actor = p.agent.id, id = *id, action, target, remove, to_json] {
    Result<T> e = (ctx.translations->*remove)(id);
    if (e.ok()) Audit(ctx, actor, action, fmt::format("{}:{}", target, id));
    return Respond(e, [to_json](const T& x) { return JsonResponse(200, to_json(x)); });
  });
}

// POST /api/v1/glossary {"kind":"do_not_translate"|"forced","source","from"?,"to"?,"target"?,
// "target_plural"?,"case_sensitive"?}
Result<store::GlossaryEntry> ParseGlossary(const json& body) {
  store::GlossaryEntry e;
  MERIDIAN_ASSIGN_OR_RETURN(std::string kind, RequiredString(body, "kind"));
  if (kind == "forced") {
    e.kind = store::GlossaryKind::kForced;
  } else if (kind != "do_not_translate") {
    return Status::Unprocessable("field 'kind' must be do_not_translate or forced",
                                 "invalid_field");
  }
  MERIDIAN_ASSIGN_OR_RETURN(e.source, TextField(body, "source", 200));
  if (e.kind == store::GlossaryKind::kForced) {
    MERIDIAN_ASSIGN_OR_RETURN(e.from, LanguageField(body, "from"));
    MERIDIAN_ASSIGN_OR_RETURN(e.to, LanguageField(body, "to"));
    if (e.from == e.to) {
      return Status::Unprocessable("field 'to' must differ from 'from'", "invalid_field");
    }
    MERIDIAN_ASSIGN_OR_RETURN(e.target, TextField(body, "target", 200));
    MERIDIAN_ASSIGN_OR_RETURN(auto plural, OptionalString(body, "target_plural"));
    if (plural && !plural->empty()) {
      MERIDIAN_ASSIGN_OR_RETURN(e.target_plural, TextField(body, "target_plural", 200));
    }
  } else {
    for (const char* f : {"from", "to", "target", "target_plural"}) {
      if (body.contains(f) && !body[f].is_null()) {
        return Status::Unprocessable(fmt::format("field '{}' applies to forced terms only", f),
                                     "invalid_field");
      }
    }
  }
  if (auto it = body.find("case_sensitive"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return Status::Unprocessable("field 'case_sensitive' must be a boolean", "invalid_field");
    }
    e.case_sensitive = it->get<bool>();
  }
  return e;
}

void AddGlossary(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                 http::Responder respond) {
  if (NoTranslations(ctx, respond)) return;
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto entry = ParseGlossary(*body);
  if (!entry.ok()) return respond(http::Response::Error(entry.status()));
  Offload(ctx, respond, [&ctx, actor = p.agent.id, entry = *entry] {
    auto e = ctx.translations->AddGlossary(entry);
    if (e.ok()) Audit(ctx, actor, "glossary.add", fmt::format("glossary:{}", e->id));
    return Respond(
        e, [](const store::GlossaryEntry& x) { return JsonResponse(201, GlossaryJson(x)); });
  });
}

}  // namespace

void AddTranslationRoutes(ApiContext& ctx, http::Router& router) {
  AddAuthed(router, ctx, "POST", "/api/v1/conversations/{id}/translate", Role::kAgent, Preview);
  AddAuthed(router, ctx, "GET", "/api/v1/messages/{id}/translation", Role::kAgent,
            MessageTranslation);
  AddAuthed(router, ctx, "GET", "/api/v1/translation-memory", Role::kAgent, ListMemory);
  AddAuthed(router, ctx, "POST", "/api/v1/translation-memory", Role::kSupervisor, AddMemory);
  router.Add("DELETE", "/api/v1/translation-memory/{id}",
             Authed(ctx, Role::kSupervisor, [&ctx](auto req, const auto& p, auto respond) {
               DeleteOne<store::TmEntry>(ctx, req, p, respond, "translation_memory.delete", "tm",
                                         &service::TranslationService::DeleteMemory, &TmJson);
             }));
  router.Add(
      "GET", "/api/v1/glossary", Authed(ctx, Role::kAgent, [&ctx](auto, const auto&, auto respond) {
        if (NoTranslations(ctx, respond)) return;
        Offload(ctx, respond, [&ctx] {
          return Respond(ctx.translations->ListGlossary(),
                         [](const std::vector<store::GlossaryEntry>& all) {
                           json items = json::array();
                           for (const auto& e : all) items.push_back(GlossaryJson(e));
                           return JsonResponse(200, {{"items", items}, {"next_cursor", nullptr}});
                         });
        });
      }));
  AddAuthed(router, ctx, "POST", "/api/v1/glossary", Role::kSupervisor, AddGlossary);
  router.Add("DELETE", "/api/v1/glossary/{id}",
             Authed(ctx, Role::kSupervisor, [&ctx](auto req, const auto& p, auto respond) {
               DeleteOne<store::GlossaryEntry>(ctx, req, p, respond, "glossary.delete", "glossary",
                                               &service::TranslationService::DeleteGlossary,
                                               &GlossaryJson);
             }));
}

}  // namespace meridian::api
