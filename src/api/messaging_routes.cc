// Provider rules in the agents' hands (issue 3): an inbox's approved message templates, the
// messaging window of a conversation, and dead letters with their manual retry.

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "api/common.h"

namespace meridian::api {

json TemplateJson(const MessageTemplate& t) {
  return {{"name", t.name},
          {"languages", t.languages},
          {"parameter_count", t.parameter_count ? json(*t.parameter_count) : json()},
          {"body", t.body}};
}

json WindowJson(const service::WindowCheck& w) {
  json templates = json::array();
  for (const auto& t : w.templates) templates.push_back(TemplateJson(t));
  auto time = [](std::optional<TimestampMs> at) { return at ? json(FormatRfc3339(*at)) : json(); };
  return {{"state", channels::WindowStateName(w.status.state)},
          {"closes_at", time(w.status.closes_at)},
          {"expires_at", time(w.status.expires_at)},
          {"allowed_templates", templates}};
}

namespace {

// WhatsApp's rules for template names (lower case, digits, underscores) and its language codes
// ("en", "en_US", "zh_CN", "fil").
const std::regex& TemplateNamePattern() {
  static const std::regex kName("^[a-z0-9_]{1,512}$");
  return kName;
}
const std::regex& LanguagePattern() {
  static const std::regex kLanguage("^[a-z]{2,3}(_[A-Za-z]{2,4})?$");
  return kLanguage;
}

// {"name", "languages": [..], "parameter_count"?: int, "body"?: str}
Result<MessageTemplate> ParseTemplate(const json& body) {
  MessageTemplate t;
  MERIDIAN_ASSIGN_OR_RETURN(t.name, RequiredString(body, "name"));
  if (!std::regex_match(t.name, TemplateNamePattern())) {
    return Status::Unprocessable(
        "field 'name' must be a template name: lower case letters, digits and underscores",
        "invalid_field");
  }
  auto langs = body.find("languages");
  if (langs == body.end() || !langs->is_array() || langs->empty()) {
    return Status::Unprocessable("field 'languages' must be a non-empty array of language codes",
                                 langs == body.end() ? "missing_field" : "invalid_field");
  }
  for (const json& l : *langs) {
    if (!l.is_string() || !std::regex_match(l.get_ref<const std::string&>(), LanguagePattern())) {
      return Status::Unprocessable(
          "field 'languages' must hold language codes such as \"en_US\" or \"de\"",
          "invalid_field");
    }
    if (std::find(t.languages.begin(), t.languages.end(), l.get<std::string>()) ==
        t.languages.end()) {
      t.languages.push_back(l.get<std::string>());
    }
  }
  if (auto count = body.find("parameter_count"); count != body.end() && !count->is_null()) {
    if (!count->is_number_integer() || count->get<int64_t>() < 0 || count->get<int64_t>() > 100) {
      return Status::Unprocessable("field 'parameter_count' must be an integer from 0 to 100",
                                   "invalid_field");
    }
    t.parameter_count = static_cast<int>(count->get<int64_t>());
  }
  MERIDIAN_ASSIGN_OR_RETURN(auto text, OptionalString(body, "body"));
  if (text) t.body = *text;
  if (t.body.size() > 1024) {
    // WhatsApp's limit for a template's body text.
    return Status::Unprocessable("field 'body' is longer than 1024 bytes", "invalid_field");
  }
  return t;
}

// The inbox, and whether its channel sends templates at all (422 when it does not).
Result<Inbox> TemplateInbox(ApiContext& ctx, const http::Request& req) {
  MERIDIAN_ASSIGN_OR_RETURN(Id id, PathId(req, "id"));
  MERIDIAN_ASSIGN_OR_RETURN(Inbox inbox, ctx.store->GetInbox(id));
  MERIDIAN_ASSIGN_OR_RETURN(auto channel, ctx.channels->For(inbox));
  if (!channel->capabilities().window.templates_outside) {
    return Status::Unprocessable(
        fmt::format("{} inboxes have no message templates", channel->name()), "invalid_field");
  }
  return inbox;
}

void ListTemplates(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  Offload(ctx, respond, [&ctx, req] {
    auto inbox = TemplateInbox(ctx, *req);
    if (!inbox.ok()) return http::Response::Error(inbox.status());
    return Respond(ctx.store->ListTemplates(inbox->id), [](const auto& all) {
      json items = json::array();
      for (const auto& t : all) items.push_back(TemplateJson(t));
      return JsonResponse(200, {{"items", items}, {"next_cursor", nullptr}});
    });
  });
}

void PutTemplate(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                 http::Responder respond) {
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto t = ParseTemplate(*body);
  if (!t.ok()) return respond(http::Response::Error(t.status()));
  Id actor = p.agent.id;
  Offload(ctx, respond, [&ctx, req, actor, t = *t] {
    auto inbox = TemplateInbox(ctx, *req);
    if (!inbox.ok()) return http::Response::Error(inbox.status());
    TimestampMs now = ctx.clock->NowMs();
    auto saved = ctx.store->PutTemplate(inbox->id, t, now);
    if (!saved.ok()) return http::Response::Error(saved.status());
    (void)ctx.store->AppendAudit({fmt::format("agent:{}", actor), "inbox.template.put",
                                  fmt::format("inbox:{}", inbox->id),
                                  json({{"template", t.name}}).dump(), now});
    return JsonResponse(201, TemplateJson(*saved));
  });
}

void DeleteTemplate(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                    http::Responder respond) {
  std::string name = req->params.at("name");
  std::string language = req->Query("language");
  Id actor = p.agent.id;
  Offload(ctx, respond, [&ctx, req, actor, name, language] {
    auto inbox = TemplateInbox(ctx, *req);
    if (!inbox.ok()) return http::Response::Error(inbox.status());
    Status deleted = ctx.store->DeleteTemplate(inbox->id, name, language);
    if (!deleted.ok()) return http::Response::Error(deleted);
    json details = {{"template", name}};
    if (!language.empty()) details["language"] = language;
    (void)ctx.store->AppendAudit({fmt::format("agent:{}", actor), "inbox.template.delete",
                                  fmt::format("inbox:{}", inbox->id), details.dump(),
                                  ctx.clock->NowMs()});
    return JsonResponse(200, {{"ok", true}});
  });
}

// Lists the inbox's templates at the provider and keeps the approved ones
// (service/template_sync.h).
void SyncTemplates(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                   http::Responder respond) {
  if (ctx.template_sync == nullptr) {
    return respond(http::Response::Error(Status::Unavailable("template sync is not running")));
  }
  std::string actor = fmt::format("agent:{}", p.agent.id);
  Offload(ctx, respond, [&ctx, req, actor] {
    auto inbox = TemplateInbox(ctx, *req);
    if (!inbox.ok()) return http::Response::Error(inbox.status());
    auto synced = ctx.template_sync->Sync(inbox->id, actor);
    if (!synced.ok()) {
      const Status& s = synced.status();
      // The provider failed us, not the caller: 502, as a gateway answers for its upstream.
      if (s.reason() == "provider_error") {
        return http::Response::Error(502, s.reason(), s.message());
      }
      return http::Response::Error(s);
    }
    json skipped = json::array();
    for (const auto& k : synced->skipped) {
      skipped.push_back({{"name", k.name}, {"language", k.language}, {"reason", k.reason}});
    }
    const auto& c = synced->changes;
    json out = {{"inbox_id", synced->inbox_id},
                {"listed", synced->listed},
                {"added", c.added},
                {"updated", c.updated},
                {"removed", c.removed},
                {"unchanged", c.unchanged},
                {"skipped", skipped}};
    json items = json::array();
    if (auto all = ctx.store->ListTemplates(inbox->id); all.ok()) {
      for (const auto& t : *all) items.push_back(TemplateJson(t));
    }
    out["templates"] = items;
    return JsonResponse(200, out);
  });
}

json DeadLetterJson(const store::DeadLetter& d) {
  return {{"id", d.item.id},
          {"message_id", d.item.message_id},
          {"conversation_id", d.conversation_id},
          {"inbox", {{"id", d.item.inbox_id}, {"name", d.inbox_name}, {"channel", d.channel}}},
          {"contact", {{"name", d.contact_name}}},
          {"text", d.text},
          {"attempts", d.item.attempts},
          {"last_error", d.item.last_error},
          {"dead", d.item.dead},
          {"created_at", FormatRfc3339(d.created_at)}};
}

// Agents may retry what they wrote or what is in a conversation assigned to them; supervisors
// and admins anything.
Status MayRetry(ApiContext& ctx, const Agent& agent, const store::DeadLetter& d) {
  if (RoleAtLeast(agent.role, Role::kSupervisor)) return Status::Ok();
  if (d.sender_agent_id == agent.id) return Status::Ok();
  MERIDIAN_ASSIGN_OR_RETURN(ConversationView c, ctx.store->GetConversation(d.conversation_id));
  if (c.assignee_id == agent.id) return Status::Ok();
  return Status::PermissionDenied(
      "agents may retry only their own messages or those of conversations assigned to them");
}

void RetryDeadLetter(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                     http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  bool mask = !SeesSensitivePii(p.agent.role);
  Offload(ctx, respond, [&ctx, agent = p.agent, id = *id, mask] {
    auto letter = ctx.store->GetOutboxEntry(id);
    if (!letter.ok()) return http::Response::Error(letter.status());
    Status allowed = MayRetry(ctx, agent, *letter);
    if (!allowed.ok()) return http::Response::Error(allowed);
    return Respond(ctx.conversations->RetryDeadLetter(id, agent), [mask](const Message& m) {
      return JsonResponse(200, ToAgentJson(m, "", mask));
    });
  });
}

}  // namespace

void AddMessagingRoutes(ApiContext& ctx, http::Router& router) {
  AddAuthed(router, ctx, "GET", "/api/v1/inboxes/{id}/templates", Role::kAgent, ListTemplates);
  AddAuthed(router, ctx, "POST", "/api/v1/inboxes/{id}/templates", Role::kAdmin, PutTemplate);
  AddAuthed(router, ctx, "POST", "/api/v1/inboxes/{id}/templates/sync", Role::kSupervisor,
            SyncTemplates);
  AddAuthed(router, ctx, "DELETE", "/api/v1/inboxes/{id}/templates/{name}", Role::kAdmin,
            DeleteTemplate);
  router.Add("GET", "/api/v1/dead-letters",
             Authed(ctx, Role::kSupervisor, [&ctx](auto, const auto&, auto respond) {
               auto letters = ctx.store->ListDeadLetters(200);
               respond(Respond(letters, [](const std::vector<store::DeadLetter>& all) {
                 json items = json::array();
                 for (const auto& d : all) items.push_back(DeadLetterJson(d));
                 return JsonResponse(200, {{"items", items}, {"next_cursor", nullptr}});
               }));
             }));
  AddAuthed(router, ctx, "POST", "/api/v1/dead-letters/{id}/retry", Role::kAgent, RetryDeadLetter);
}

}  // namespace meridian::api
