// Reply templates (LG6): CRUD for supervisors and admins, listing and rendering for agents,
// and a preview that validates one body live for the editor. See docs/api.md "Templates".

#include <fmt/format.h>

#include "api/common.h"
#include "templates/formatter.h"
#include "templates/renderer.h"

namespace meridian::api {

namespace {

const char* ArgKindName(templates::ArgKind kind) {
  switch (kind) {
    case templates::ArgKind::kNumber:
      return "number";
    case templates::ArgKind::kDate:
      return "date";
    case templates::ArgKind::kText:
      break;
  }
  return "text";
}

// The arguments of every variant, with what kind of value each takes (pickers ask for them).
json ArgumentsOf(const std::vector<store::TemplateVariant>& variants) {
  json args = json::object();
  for (const auto& v : variants) {
    auto info = templates::ParsePattern(v.body);
    if (!info.ok()) continue;
    for (const auto& [name, kind] : info->arguments) {
      if (!args.contains(name) || args[name] == "text") args[name] = ArgKindName(kind);
    }
  }
  return args;
}

json TemplateJson(const store::ReplyTemplateDef& t) {
  json variants = json::array();
  for (const auto& v : t.variants) {
    variants.push_back({{"locale", v.locale}, {"style", v.style}, {"body", v.body}});
  }
  return {{"id", t.id},
          {"key", t.key},
          {"name", t.name},
          {"source_locale", t.source_locale},
          {"variants", variants},
          {"arguments", ArgumentsOf(t.variants)},
          {"created_at", FormatRfc3339(t.created_at)},
          {"updated_at", FormatRfc3339(t.updated_at)}};
}

Status FieldError(const std::string& message) {
  return Status::Unprocessable(message, "invalid_field");
}

// {"key","name","source_locale","variants":[{"locale","style"?,"body"}]}, validated and
// normalized (templates::Validate) so nothing invalid is ever stored.
Result<store::ReplyTemplateDef> ParseTemplate(const json& body) {
  store::ReplyTemplateDef t;
  MERIDIAN_ASSIGN_OR_RETURN(t.key, RequiredString(body, "key"));
  MERIDIAN_ASSIGN_OR_RETURN(t.name, RequiredString(body, "name"));
  MERIDIAN_ASSIGN_OR_RETURN(t.source_locale, RequiredString(body, "source_locale"));
  auto vs = body.find("variants");
  if (vs == body.end() || vs->is_null()) {
    return Status::Unprocessable("field 'variants' is required", "missing_field");
  }
  if (!vs->is_array()) return FieldError("field 'variants' must be an array");
  for (size_t i = 0; i < vs->size(); ++i) {
    const json& v = (*vs)[i];
    if (!v.is_object()) return FieldError(fmt::format("variants[{}] must be an object", i));
    store::TemplateVariant variant;
    auto locale = RequiredString(v, "locale");
    if (!locale.ok()) return FieldError(fmt::format("variants[{}].locale is required", i));
    variant.locale = *locale;
    auto style = OptionalString(v, "style");
    if (!style.ok()) return FieldError(fmt::format("variants[{}].style must be a string", i));
    variant.style = style->value_or("");
    auto text = v.find("body");
    if (text == v.end() || !text->is_string()) {
      return Status::Unprocessable(fmt::format("variant {}: body must be a string", *locale),
                                   "missing_field");
    }
    variant.body = text->get<std::string>();
    t.variants.push_back(std::move(variant));
  }
  MERIDIAN_RETURN_IF_ERROR(templates::Validate(t));
  return t;
}

Result<json> ParamsOf(const json& body) {
  auto it = body.find("params");
  if (it == body.end() || it->is_null()) return json::object();
  if (!it->is_object()) return FieldError("field 'params' must be an object");
  return *it;
}

// The customer's locale and time zone: explicit fields win, then the conversation (its
// language and the contact's country; the contact's or the account's time zone).
Result<templates::RenderTarget> TargetOf(ApiContext& ctx, const json& body,
                                         const store::ReplyTemplateDef& t) {
  templates::RenderTarget target;
  MERIDIAN_ASSIGN_OR_RETURN(auto locale, OptionalString(body, "locale"));
  MERIDIAN_ASSIGN_OR_RETURN(auto zone, OptionalString(body, "time_zone"));
  auto conversation = body.find("conversation_id");
  bool has_conversation = conversation != body.end() && !conversation->is_null();
  if (has_conversation) {
    if (!conversation->is_number_integer()) {
      return FieldError("field 'conversation_id' must be an integer");
    }
    MERIDIAN_ASSIGN_OR_RETURN(store::ConversationLocale c,
                              ctx.store->GetConversationLocale(conversation->get<Id>()));
    std::string language = c.language == "und" ? "" : c.language;
    target.locale = language.empty()    ? t.source_locale
                    : c.country.empty() ? language
                                        : templates::CanonicalLocale(language + "-" + c.country);
    if (target.locale.empty()) target.locale = language;
    target.time_zone = c.time_zone.empty() ? "UTC" : c.time_zone;
  } else if (!locale) {
    return Status::Unprocessable("give 'conversation_id' or 'locale'", "missing_field");
  }
  if (locale) target.locale = *locale;
  if (zone) target.time_zone = *zone;
  if (templates::CanonicalLocale(target.locale).empty()) {
    return Status::Unprocessable("'" + target.locale + "' is not a BCP 47 locale",
                                 "invalid_locale");
  }
  if (!templates::IsKnownTimeZone(target.time_zone)) {
    return Status::Unprocessable("'" + target.time_zone + "' is not an IANA time zone",
                                 "invalid_time_zone");
  }
  return target;
}

http::Response RenderedJson(const store::ReplyTemplateDef& t, const templates::Rendered& r,
                            const std::string& time_zone) {
  json out = {{"template_id", t.id},
              {"key", t.key},
              {"text", r.text},
              {"locale", r.locale},
              {"time_zone", time_zone},
              {"variant", r.variant},
              {"style", r.style},
              {"fallback", templates::FallbackName(r.fallback)},
              {"machine_translated", r.fallback == templates::Fallback::kTranslated}};
  if (!r.engine.empty()) out["engine"] = r.engine;
  if (!r.notice.empty()) out["notice"] = r.notice;
  return JsonResponse(200, out);
}

void Audit(ApiContext& ctx, Id actor, const char* action, Id id) {
  (void)ctx.store->AppendAudit({fmt::format("agent:{}", actor), action,
                                fmt::format("template:{}", id), "{}", ctx.clock->NowMs()});
}

bool Matches(const store::ReplyTemplateDef& t, const std::string& q) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string needle = lower(q.size() > 0 && q[0] == '/' ? q.substr(1) : q);
  return needle.empty() || lower(t.key).find(needle) != std::string::npos ||
         lower(t.name).find(needle) != std::string::npos;
}

void Save(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
          http::Responder respond, bool create) {
  Id id = 0;
  if (!create) {
    auto path_id = PathId(*req, "id");
    if (!path_id.ok()) return respond(http::Response::Error(path_id.status()));
    id = *path_id;
  }
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto tmpl = ParseTemplate(*body);
  if (!tmpl.ok()) return respond(http::Response::Error(tmpl.status()));
  tmpl->id = id;
  Offload(ctx, respond, [&ctx, t = std::move(tmpl).value(), create, actor = p.agent.id] {
    auto saved = create ? ctx.store->CreateTemplate(t) : ctx.store->UpdateTemplate(t);
    if (!saved.ok()) return http::Response::Error(saved.status());
    Audit(ctx, actor, create ? "template.create" : "template.update", saved->id);
    return JsonResponse(create ? 201 : 200, TemplateJson(*saved));
  });
}

void RenderTemplate(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  // Rendering may ask a translation engine: off the I/O thread.
  Offload(ctx, respond, [&ctx, id = *id, body = std::move(body).value()] {
    auto t = ctx.store->GetTemplate(id);
    if (!t.ok()) return http::Response::Error(t.status());
    auto params = ParamsOf(body);
    if (!params.ok()) return http::Response::Error(params.status());
    auto target = TargetOf(ctx, body, *t);
    if (!target.ok()) return http::Response::Error(target.status());
    auto rendered = templates::Render(*t, *params, *target, ctx.translator);
    if (!rendered.ok()) return http::Response::Error(rendered.status());
    return RenderedJson(*t, *rendered, target->time_zone);
  });
}

// {"body","locale"?,"time_zone"?,"params"?}: the editor's live check of one variant. 200 with
// the argument names (and the text when every param is given), or 422 with ICU's error.
void Preview(http::RequestPtr req, http::Responder respond) {
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto text = body->find("body");
  if (text == body->end() || !text->is_string()) {
    return respond(http::Response::Error(422, "missing_field", "field 'body' is required"));
  }
  const std::string& pattern = text->get_ref<const std::string&>();
  if (pattern.size() > templates::kMaxBodyBytes) {
    return respond(http::Response::Error(422, "invalid_field", "body is longer than 8192 bytes"));
  }
  auto info = templates::ParsePattern(pattern);
  if (!info.ok()) return respond(http::Response::Error(info.status()));
  auto locale = OptionalString(*body, "locale");
  auto zone = OptionalString(*body, "time_zone");
  auto params = ParamsOf(*body);
  if (!locale.ok()) return respond(http::Response::Error(locale.status()));
  if (!zone.ok()) return respond(http::Response::Error(zone.status()));
  if (!params.ok()) return respond(http::Response::Error(params.status()));
  json args = json::object();
  json missing = json::array();
  for (const auto& [name, kind] : info->arguments) {
    args[name] = ArgKindName(kind);
    if (!params->contains(name)) missing.push_back(name);
  }
  json out = {{"ok", true}, {"arguments", args}, {"missing_params", missing}};
  if (missing.empty()) {
    auto formatted =
        templates::Format(pattern, *params, {locale->value_or("en"), zone->value_or("UTC")});
    if (!formatted.ok()) return respond(http::Response::Error(formatted.status()));
    out["text"] = *formatted;
  }
  respond(JsonResponse(200, out));
}

}  // namespace

void AddTemplateRoutes(ApiContext& ctx, http::Router& router) {
  router.Add("GET", "/api/v1/templates",
             Authed(ctx, Role::kAgent, [&ctx](auto req, const auto&, auto respond) {
               auto all = ctx.store->ListTemplates();
               std::string q = req->Query("q");
               respond(Respond(all, [&q](const std::vector<store::ReplyTemplateDef>& ts) {
                 json items = json::array();
                 for (const auto& t : ts) {
                   if (Matches(t, q)) items.push_back(TemplateJson(t));
                 }
                 return JsonResponse(200, {{"items", items}, {"next_cursor", nullptr}});
               }));
             }));
  router.Add("POST", "/api/v1/templates",
             Authed(ctx, Role::kSupervisor, [&ctx](auto req, const auto& p, auto respond) {
               Save(ctx, req, p, respond, true);
             }));
  router.Add("POST", "/api/v1/templates/preview",
             Authed(ctx, Role::kSupervisor,
                    [](auto req, const auto&, auto respond) { Preview(req, respond); }));
  router.Add("GET", "/api/v1/templates/{id}",
             Authed(ctx, Role::kAgent, [&ctx](auto req, const auto&, auto respond) {
               auto id = PathId(*req, "id");
               if (!id.ok()) return respond(http::Response::Error(id.status()));
               respond(Respond(ctx.store->GetTemplate(*id), [](const store::ReplyTemplateDef& t) {
                 return JsonResponse(200, TemplateJson(t));
               }));
             }));
  router.Add("PUT", "/api/v1/templates/{id}",
             Authed(ctx, Role::kSupervisor, [&ctx](auto req, const auto& p, auto respond) {
               Save(ctx, req, p, respond, false);
             }));
  router.Add("DELETE", "/api/v1/templates/{id}",
             Authed(ctx, Role::kSupervisor, [&ctx](auto req, const auto& p, auto respond) {
               auto id = PathId(*req, "id");
               if (!id.ok()) return respond(http::Response::Error(id.status()));
               Offload(ctx, respond, [&ctx, id = *id, actor = p.agent.id] {
                 Status deleted = ctx.store->DeleteTemplate(id);
                 if (!deleted.ok()) return http::Response::Error(deleted);
                 Audit(ctx, actor, "template.delete", id);
                 return JsonResponse(200, {{"ok", true}});
               });
             }));
  AddAuthed(router, ctx, "POST", "/api/v1/templates/{id}/render", Role::kAgent, RenderTemplate);
}

}  // namespace meridian::api
