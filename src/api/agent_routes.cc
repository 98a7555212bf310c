// Agent-facing routes: login, me, conversations, messages, inboxes, dead letters.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/common.h"
#include "channels/api/api_channel.h"
#include "core/crypto.h"
#include "core/text.h"
#include "service/inbox_service.h"

namespace meridian::api {

namespace {

std::string Cookie(const std::string& name, const std::string& value, bool http_only, bool secure,
                   int64_t max_age_s) {
  return fmt::format("{}={}; Path=/; Max-Age={}; SameSite=Strict{}{}", name, value, max_age_s,
                     http_only ? "; HttpOnly" : "", secure ? "; Secure" : "");
}

void Login(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto email = RequiredString(*body, "email");
  if (!email.ok()) return respond(http::Response::Error(email.status()));
  auto password = RequiredString(*body, "password");
  if (!password.ok()) return respond(http::Response::Error(password.status()));
  Offload(ctx, respond, [&ctx, req, email = *email, password = *password] {
    auto login = ctx.auth->Login(email, password, req->remote_ip);
    if (!login.ok()) return http::Response::Error(login.status());
    auto response = JsonResponse(200, {{"token", login->token}, {"agent", ToJson(login->agent)}});
    int64_t max_age = (login->expires_at - ctx.clock->NowMs()) / 1000;
    response.headers.emplace_back(
        "Set-Cookie", Cookie("meridian_session", login->token, true, ctx.secure_cookies, max_age));
    response.headers.emplace_back("Set-Cookie", Cookie("meridian_csrf", login->csrf_token, false,
                                                       ctx.secure_cookies, max_age));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });
}

void Logout(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
            http::Responder respond) {
  std::string hash = p.session.token_hash;
  Offload(ctx, respond, [&ctx, hash] {
    (void)ctx.store->DeleteSession(hash);
    auto response = JsonResponse(200, {{"ok", true}});
    response.headers.emplace_back("Set-Cookie", "meridian_session=; Path=/; Max-Age=0; HttpOnly");
    response.headers.emplace_back("Set-Cookie", "meridian_csrf=; Path=/; Max-Age=0");
    return response;
  });
  (void)req;
}

void ListConversations(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                       http::Responder respond) {
  store::ConversationFilter f;
  std::string status = req->Query("status");
  if (status.empty()) status = "open";
  if (status != "all") {
    f.status = ParseConversationStatus(status);
    if (!f.status) {
      return respond(http::Response::Error(
          422, "invalid_field", "status must be open, pending, snoozed, resolved or all"));
    }
  }
  std::string assignee = req->Query("assignee");
  if (assignee == "me") {
    f.assignee = store::AssigneeFilter::kMe;
  } else if (assignee == "none") {
    f.assignee = store::AssigneeFilter::kNone;
  } else if (!assignee.empty() && assignee != "any") {
    return respond(http::Response::Error(422, "invalid_field", "assignee must be me, none or any"));
  }
  f.me = p.agent.id;
  f.cursor = req->Query("cursor");
  f.limit = ParseLimit(*req, 50, 200);
  auto page = ctx.store->ListConversations(f);
  bool mask = !SeesSensitivePii(p.agent.role);
  respond(Respond(page, [mask](const store::Page<ConversationView>& pg) {
    // Written straight as text (json_writer.h): building a tree of 50 conversations and dumping
    // it was most of a page's CPU.
    std::string body;
    JsonWriter w(body);
    w.BeginObject().Key("items").BeginArray();
    for (const auto& c : pg.items) WriteConversation(w, c, mask);
    w.EndArray().Key("next_cursor");
    if (pg.next_cursor) {
      w.String(*pg.next_cursor);
    } else {
      w.Null();
    }
    w.EndObject();
    return http::Response::Json(200, std::move(body));
  }));
}

void GetConversation(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                     http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  bool mask = !SeesSensitivePii(p.agent.role);
  auto conversation = ctx.store->GetConversation(*id);
  if (!conversation.ok()) return respond(http::Response::Error(conversation.status()));
  json out = ToJson(*conversation, mask);
  // What an agent may write now (the workspace's countdown and template picker); null when the
  // inbox's channel cannot be built (misconfigured): the conversation itself is still shown.
  auto window = ctx.conversations->CheckWindow(*id, SenderKind::kAgent, false);
  out["window"] = window.ok() ? WindowJson(*window) : json();
  // Whether agents may send files here (CH9, POST .../attachments) and how large; null when the
  // channel cannot deliver them.
  out["uploads"] = nullptr;
  auto inbox = ctx.store->GetInbox(conversation->inbox_id);
  auto channel = inbox.ok() ? ctx.channels->For(*inbox)
                            : Result<std::shared_ptr<const channels::Channel>>(inbox.status());
  if (channel.ok() && (*channel)->capabilities().sends_attachments) {
    out["uploads"] = UploadLimitsJson((*channel)->capabilities());
  }
  respond(JsonResponse(200, out));
}

json TranslationJson(const store::MessageTranslation& t, bool mask) {
  std::optional<std::string> masked;
  if (mask) masked = MaskSensitivePii(t.text);
  return {{"text", masked ? *masked : t.text}, {"language", t.language}, {"engine", t.engine}};
}

void ListMessages(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                  http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  auto conversation = ctx.store->GetConversation(*id);
  if (!conversation.ok()) return respond(http::Response::Error(conversation.status()));
  auto page = ctx.store->ListMessages(*id, req->Query("cursor"), ParseLimit(*req, 50, 200));
  std::string customer = conversation->contact_name;
  bool mask = !SeesSensitivePii(p.agent.role);
  if (!page.ok()) return respond(http::Response::Error(page.status()));
  // Each inbound message in the reader's language, when a translation is at hand (the
  // pipeline's or a cached one); the client asks for the missing ones (GET
  // /api/v1/messages/{id}/translation), so listing never waits for an engine.
  std::map<Id, store::MessageTranslation> translations;
  std::string reader;
  if (ctx.translations != nullptr) {
    reader = ctx.translations->ReaderLanguage(p.agent);
    auto known = ctx.translations->KnownTranslations(page->items, reader);
    if (known.ok()) translations = std::move(known).value();
  }
  // Written straight as text (json_writer.h), as the conversation list.
  std::string body;
  JsonWriter w(body);
  w.BeginObject().Key("items").BeginArray();
  for (const auto& m : page->items) {
    WriteAgentMessage(w, m, customer, mask, [&](JsonWriter& item) {
      bool foreign = m.direction == Direction::kIn && !m.language.empty() && m.language != "und" &&
                     !reader.empty() && m.language != reader;
      auto it = translations.find(m.id);
      item.Key("translation");
      if (it != translations.end()) {
        item.Raw(
            TranslationJson(it->second, mask).dump(-1, ' ', false, json::error_handler_t::replace));
      } else {
        item.Null();
      }
      item.Field("translation_missing", foreign && it == translations.end());
    });
  }
  w.EndArray().Key("reader_language");
  if (reader.empty()) {
    w.Null();
  } else {
    w.String(reader);
  }
  w.Key("next_cursor");
  if (page->next_cursor) {
    w.String(*page->next_cursor);
  } else {
    w.Null();
  }
  w.EndObject();
  respond(http::Response::Json(200, std::move(body)));
}

// The agent as GET/PATCH /api/v1/me show them: with the language they read and write messages
// in, after the team's default.
json MeJson(ApiContext& ctx, const Agent& a) {
  json out = ToJson(a);
  if (ctx.translations != nullptr) {
    out["effective_translation_language"] = ctx.translations->ReaderLanguage(a);
    out["working_language"] = ctx.translations->settings().working_language;
  }
  return out;
}

// The "translation" of a reply: (what to send, whether it goes to the memory). The conversation
// must have a language other than the agent's.
Result<std::pair<service::ReplyTranslation, bool>> ParseReplyTranslation(
    ApiContext& ctx, const json& t, Id conversation_id, const Agent& agent, bool is_template) {
  if (!t.is_object()) {
    return Status::Unprocessable("field 'translation' must be an object", "invalid_field");
  }
  if (ctx.translations == nullptr) {
    return Status::Unavailable("translation is not configured on this server",
                               "translation_unavailable");
  }
  if (is_template) {
    return Status::Unprocessable("field 'translation' cannot be combined with a template",
                                 "invalid_field");
  }
  auto text = RequiredString(t, "text");
  if (!text.ok()) {
    return Status::Unprocessable("field 'translation.text' is required and must be a string",
                                 text.status().reason());
  }
  bool remember = false;
  for (const char* flag : {"edited", "approve"}) {
    auto it = t.find(flag);
    if (it == t.end() || it->is_null()) continue;
    if (!it->is_boolean()) {
      return Status::Unprocessable(fmt::format("field 'translation.{}' must be a boolean", flag),
                                   "invalid_field");
    }
    remember = remember || it->get<bool>();
  }
  MERIDIAN_ASSIGN_OR_RETURN(ConversationView c, ctx.store->GetConversation(conversation_id));
  service::ReplyTranslation out;
  out.text = *text;
  out.original_language = ctx.translations->ReaderLanguage(agent);
  if (auto from = t.find("from"); from != t.end() && !from->is_null()) {
    if (!from->is_string() || !text::IsLanguageTag(from->get<std::string>())) {
      return Status::Unprocessable("field 'translation.from' must be a language code",
                                   "invalid_field");
    }
    out.original_language = from->get<std::string>();
  }
  out.language = c.language;
  if (out.language.empty() || out.language == "und") {
    return Status::Unprocessable(
        "field 'translation': the conversation's language is not known; set it first",
        "conversation_language_unknown");
  }
  if (out.language == out.original_language) {
    return Status::Unprocessable("field 'translation': the conversation is in the agent's language",
                                 "invalid_field");
  }
  return std::make_pair(std::move(out), remember);
}

// {"name", "language", "parameters": [str]?}
Result<service::ReplyTemplate> ParseReplyTemplate(const json& t) {
  if (!t.is_object()) {
    return Status::Unprocessable("field 'template' must be an object", "invalid_field");
  }
  service::ReplyTemplate out;
  MERIDIAN_ASSIGN_OR_RETURN(out.name, RequiredString(t, "name"));
  MERIDIAN_ASSIGN_OR_RETURN(out.language, RequiredString(t, "language"));
  if (auto ps = t.find("parameters"); ps != t.end() && !ps->is_null()) {
    if (!ps->is_array()) {
      return Status::Unprocessable("field 'template.parameters' must be an array of strings",
                                   "invalid_field");
    }
    for (const json& v : *ps) {
      if (!v.is_string()) {
        return Status::Unprocessable("field 'template.parameters' must be an array of strings",
                                     "invalid_field");
      }
      out.parameters.push_back(v.get<std::string>());
    }
  }
  return out;
}

// 422 outside_messaging_window, with when the window closed and the templates allowed instead.
http::Response OutsideWindowResponse(const service::WindowCheck& w) {
  json templates = json::array();
  for (const auto& t : w.templates) templates.push_back(TemplateJson(t));
  const auto& d = w.decision;
  json error = {
      {"code", "outside_messaging_window"},
      {"message", d.message},
      {"window_closed_at", d.window_closed_at ? json(FormatRfc3339(*d.window_closed_at)) : json()},
      {"allowed_templates", templates}};
  if (d.window_expires_at) error["window_expires_at"] = FormatRfc3339(*d.window_expires_at);
  return JsonResponse(422, {{"error", error}});
}

void PostMessage(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                 http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  service::ReplyOptions options;
  if (auto t = body->find("template"); t != body->end() && !t->is_null()) {
    auto tmpl = ParseReplyTemplate(*t);
    if (!tmpl.ok()) return respond(http::Response::Error(tmpl.status()));
    options.template_ref = std::move(tmpl).value();
  }
  Result<std::string> text = std::string();
  if (!options.template_ref || body->contains("text")) text = RequiredString(*body, "text");
  if (!text.ok()) return respond(http::Response::Error(text.status()));
  auto client_id = OptionalString(*body, "client_message_id");
  if (!client_id.ok()) return respond(http::Response::Error(client_id.status()));
  options.client_message_id = *client_id;
  // {"translation": {"text", "edited"?, "approve"?}}: the customer receives the translation into
  // the conversation's language; `text` is the agent's original. Validated before anything is
  // written.
  bool remember = false;
  if (auto t = body->find("translation"); t != body->end() && !t->is_null()) {
    auto translation =
        ParseReplyTranslation(ctx, *t, *id, p.agent, options.template_ref.has_value());
    if (!translation.ok()) return respond(http::Response::Error(translation.status()));
    remember = translation->second;
    options.translation = std::move(translation->first);
  }
  // The channel's messaging window, checked first so a refusal can say when it closed and
  // which templates are allowed (the service enforces it again for every caller).
  auto window =
      ctx.conversations->CheckWindow(*id, SenderKind::kAgent, options.template_ref.has_value());
  if (!window.ok()) return respond(http::Response::Error(window.status()));
  if (!window->decision.allowed) return respond(OutsideWindowResponse(*window));
  std::optional<service::ReplyTranslation> translation = options.translation;
  ctx.conversations->ReplyAsync(
      *id, p.agent, *text, std::move(options),
      [&ctx, respond, remember, translation, actor = p.agent.id,
       mask = !SeesSensitivePii(p.agent.role)](Result<store::AppendResult> r) {
        if (!r.ok() || r->duplicate || !remember || !translation) {
          return respond(Respond(r, [mask](const store::AppendResult& a) {
            return JsonResponse(a.duplicate ? 200 : 201, ToAgentJson(a.message, "", mask));
          }));
        }
        // An edited or approved translation becomes a memory segment (off the writer thread:
        // it is a store write of its own).
        store::AppendResult appended = std::move(r).value();
        Offload(ctx, respond, [&ctx, appended, translation, actor, mask] {
          const Message& m = appended.message;
          auto segment = ctx.translations->Remember(translation->original_language,
                                                    translation->language, m.original_text, m.text);
          json out = ToAgentJson(m, "", mask);
          if (segment.ok()) {
            out["memory_segment_id"] = segment->id;
            (void)ctx.store->AppendAudit({fmt::format("agent:{}", actor), "translation_memory.add",
                                          fmt::format("tm:{}", segment->id), "{}",
                                          ctx.clock->NowMs()});
          } else {
            spdlog::warn("translation memory: segment of message {} not saved: {}", m.id,
                         segment.status().ToString());
          }
          return JsonResponse(201, out);
        });
      });
}

// assign / resolve / reopen / read / language: blocking store updates, offloaded.
http::Handler ConversationAction(ApiContext& ctx, std::string action) {
  return Authed(
      ctx, Role::kAgent,
      [&ctx, action](http::RequestPtr req, const service::Principal& p, http::Responder respond) {
        auto id = PathId(*req, "id");
        if (!id.ok()) return respond(http::Response::Error(id.status()));
        std::optional<Id> assignee = p.agent.id;
        if (action == "assign" && !req->body.empty()) {
          auto body = ParseJsonObject(*req);
          if (!body.ok()) return respond(http::Response::Error(body.status()));
          if (auto it = body->find("agent_id"); it != body->end()) {
            if (it->is_null()) {
              assignee.reset();
            } else if (it->is_number_integer()) {
              assignee = it->get<Id>();
            } else {
              return respond(
                  http::Response::Error(422, "invalid_field", "agent_id must be an integer"));
            }
          }
        }
        std::string language;
        if (action == "language") {
          // {"language":"de"} sets it; {"language":null} or "" hands it back to detection.
          auto body = ParseJsonObject(*req);
          if (!body.ok()) return respond(http::Response::Error(body.status()));
          auto it = body->find("language");
          if (it == body->end()) {
            return respond(
                http::Response::Error(422, "missing_field", "field 'language' is required"));
          }
          if (!it->is_null() && !it->is_string()) {
            return respond(http::Response::Error(422, "invalid_field",
                                                 "field 'language' must be a string or null"));
          }
          if (it->is_string()) language = it->get<std::string>();
        }
        Id conversation = *id;
        bool mask = !SeesSensitivePii(p.agent.role);
        Offload(ctx, respond, [&ctx, action, conversation, assignee, language, mask] {
          Result<ConversationView> r = Status::Internal("unknown action");
          if (action == "assign") r = ctx.conversations->Assign(conversation, assignee);
          if (action == "resolve")
            r = ctx.conversations->SetStatus(conversation, ConversationStatus::kResolved);
          if (action == "reopen")
            r = ctx.conversations->SetStatus(conversation, ConversationStatus::kOpen);
          if (action == "read") r = ctx.conversations->MarkRead(conversation);
          if (action == "language") r = ctx.conversations->SetLanguage(conversation, language);
          return Respond(
              r, [mask](const ConversationView& c) { return JsonResponse(200, ToJson(c, mask)); });
        });
      });
}

// {"language"?: "en"|"zh-CN", "translation_language"?: code|null}: at least one.
void PatchMe(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
             http::Responder respond) {
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  store::AgentPreferences prefs;
  if (body->contains("language")) {
    auto language = RequiredString(*body, "language");
    if (!language.ok()) return respond(http::Response::Error(language.status()));
    if (*language != "en" && *language != "zh-CN") {
      return respond(http::Response::Error(422, "invalid_field", "language must be en or zh-CN"));
    }
    prefs.language = *language;
  }
  if (auto it = body->find("translation_language"); it != body->end()) {
    if (!it->is_null() && !it->is_string()) {
      return respond(http::Response::Error(
          422, "invalid_field", "field 'translation_language' must be a language code or null"));
    }
    std::string lang = it->is_string() ? it->get<std::string>() : "";
    if (!lang.empty() && !text::IsLanguageTag(lang)) {
      return respond(http::Response::Error(
          422, "invalid_field",
          "field 'translation_language' must be a language code such as \"de\" or \"pt-BR\""));
    }
    prefs.translation_language = lang;
  }
  if (!prefs.language && !prefs.translation_language) {
    return respond(http::Response::Error(422, "missing_field",
                                         "field 'language' or 'translation_language' is required"));
  }
  Id agent = p.agent.id;
  Offload(ctx, respond, [&ctx, agent, prefs] {
    return Respond(ctx.store->UpdateAgentPreferences(agent, prefs),
                   [&ctx](const Agent& a) { return JsonResponse(200, MeJson(ctx, a)); });
  });
}

json InboxJson(const Inbox& inbox) {
  json config = json::parse(inbox.config_json, nullptr, false);
  return {{"id", inbox.id},
          {"channel", inbox.channel},
          {"name", inbox.name},
          {"config", config.is_discarded() ? json::object() : config},
          {"webhook_url", fmt::format("/webhooks/{}/{}", inbox.channel, inbox.id)},
          {"created_at", FormatRfc3339(inbox.created_at)},
          {"revision", inbox.revision}};
}

// An API inbox's secret rotation in progress: until when the replaced secret is accepted.
json PreviousSecretUntil(const Inbox& inbox, TimestampMs now) {
  if (inbox.previous_secret.empty() || inbox.previous_secret_until <= now) return nullptr;
  return FormatRfc3339(inbox.previous_secret_until);
}

json SyncJson(const store::MailboxSync& s) {
  return {{"healthy", s.healthy},
          {"error", s.error.empty() ? json(nullptr) : json(s.error)},
          {"failures", s.failures},
          {"last_attempt_at", FormatRfc3339(s.last_attempt_at)},
          {"last_success_at",
           s.last_success_at > 0 ? json(FormatRfc3339(s.last_success_at)) : json(nullptr)}};
}

void CreateInbox(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                 http::Responder respond) {
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto channel = RequiredString(*body, "channel");
  if (!channel.ok()) return respond(http::Response::Error(channel.status()));
  auto name = RequiredString(*body, "name");
  if (!name.ok()) return respond(http::Response::Error(name.status()));
  if (!ctx.channels->Has(*channel)) {
    return respond(
        http::Response::Error(422, "invalid_field", "unknown channel '" + *channel + "'"));
  }
  Inbox inbox;
  inbox.channel = *channel;
  inbox.name = *name;
  auto config = body->find("config");
  inbox.config_json = config != body->end() && config->is_object() ? config->dump() : "{}";
  inbox.secret = crypto::RandomToken(32);
  Id actor = p.agent.id;
  Offload(ctx, respond, [&ctx, inbox, actor]() mutable {
    // Validate the config through the channel's own factory before anything is stored.
    Status valid = ctx.channels->Validate(inbox);
    if (!valid.ok()) return http::Response::Error(valid);
    auto created = ctx.store->CreateInbox(inbox);
    if (!created.ok()) return http::Response::Error(created.status());
    (void)ctx.store->AppendAudit({fmt::format("agent:{}", actor), "inbox.create",
                                  fmt::format("inbox:{}", created->id), "{}", ctx.clock->NowMs()});
    json out = InboxJson(*created);
    out["secret"] = created->secret;
    return JsonResponse(201, out);
  });
}

json InboxDetailJson(ApiContext& ctx, const Inbox& inbox) {
  json item = InboxJson(inbox);
  if (inbox.channel == "api") {
    item["previous_secret_valid_until"] = PreviousSecretUntil(inbox, ctx.clock->NowMs());
  }
  // Polled inboxes (email): where the worker stands and whether it is healthy.
  auto sync = ctx.store->GetMailboxSync(inbox.id);
  if (sync.ok() && sync->last_attempt_at > 0) item["sync"] = SyncJson(*sync);
  return item;
}

void GetInbox(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  Offload(ctx, respond, [&ctx, id = *id] {
    auto inbox = ctx.store->GetInbox(id);
    return Respond(inbox,
                   [&ctx](const Inbox& i) { return JsonResponse(200, InboxDetailJson(ctx, i)); });
  });
}

// PATCH /api/v1/inboxes/{id}: name, settings (merged key by key, null removes), provider
// credentials or the mailbox password. Secrets are write-only: never in any answer.
void PatchInbox(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto patch = service::InboxService::ParsePatch(*body);
  if (!patch.ok()) return respond(http::Response::Error(patch.status()));
  std::string actor = fmt::format("agent:{}", p.agent.id);
  Offload(ctx, respond, [&ctx, id = *id, patch = std::move(*patch), actor] {
    service::InboxService inboxes(*ctx.store, *ctx.channels, *ctx.clock);
    auto updated = inboxes.Update(id, patch, actor);
    return Respond(updated,
                   [&ctx](const Inbox& i) { return JsonResponse(200, InboxDetailJson(ctx, i)); });
  });
}

// POST /api/v1/inboxes/{id}/rotate-secret {"grace_seconds"}: a new signing secret for an API
// inbox, shown once; the old one stays valid for inbound requests during the grace period.
void RotateInboxSecret(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                       http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  int64_t grace_seconds = service::kDefaultSecretGraceSeconds;
  if (!req->body.empty()) {
    auto body = ParseJsonObject(*req);
    if (!body.ok()) return respond(http::Response::Error(body.status()));
    if (auto it = body->find("grace_seconds"); it != body->end() && !it->is_null()) {
      if (!it->is_number_integer()) {
        return respond(http::Response::Error(422, "invalid_field",
                                             "field 'grace_seconds' must be an integer"));
      }
      grace_seconds = it->get<int64_t>();  // its range is the service's to check
    }
  }
  std::string actor = fmt::format("agent:{}", p.agent.id);
  Offload(ctx, respond, [&ctx, id = *id, grace_seconds, actor] {
    service::InboxService inboxes(*ctx.store, *ctx.channels, *ctx.clock);
    auto rotated = inboxes.RotateSecret(id, grace_seconds, actor);
    return Respond(rotated, [&ctx](const Inbox& i) {
      return JsonResponse(
          200, {{"id", i.id},
                {"secret", i.secret},
                {"previous_secret_valid_until", PreviousSecretUntil(i, ctx.clock->NowMs())}});
    });
  });
}

}  // namespace

void AddAgentRoutes(ApiContext& ctx, http::Router& router) {
  router.Add("POST", "/api/v1/auth/login",
             [&ctx](http::RequestPtr req, http::Responder respond) { Login(ctx, req, respond); });
  AddAuthed(router, ctx, "POST", "/api/v1/auth/logout", Role::kAgent, Logout);
  router.Add("GET", "/api/v1/me",
             Authed(ctx, Role::kAgent, [&ctx](auto, const auto& p, auto respond) {
               respond(JsonResponse(200, MeJson(ctx, p.agent)));
             }));
  AddAuthed(router, ctx, "PATCH", "/api/v1/me", Role::kAgent, PatchMe);
  AddAuthed(router, ctx, "GET", "/api/v1/conversations", Role::kAgent, ListConversations);
  AddAuthed(router, ctx, "GET", "/api/v1/conversations/{id}", Role::kAgent, GetConversation);
  AddAuthed(router, ctx, "GET", "/api/v1/conversations/{id}/messages", Role::kAgent, ListMessages);
  AddAuthed(router, ctx, "POST", "/api/v1/conversations/{id}/messages", Role::kAgent, PostMessage);
  for (const char* action : {"assign", "resolve", "reopen", "read", "language"}) {
    router.Add("POST", fmt::format("/api/v1/conversations/{{id}}/{}", action),
               ConversationAction(ctx, action));
  }
  router.Add("GET", "/api/v1/inboxes",
             Authed(ctx, Role::kSupervisor, [&ctx](auto, const auto&, auto respond) {
               auto inboxes = ctx.store->ListInboxes();
               respond(Respond(inboxes, [&ctx](const std::vector<Inbox>& all) {
                 json items = json::array();
                 for (const auto& i : all) items.push_back(InboxDetailJson(ctx, i));
                 return JsonResponse(200, {{"items", items}, {"next_cursor", nullptr}});
               }));
             }));
  AddAuthed(router, ctx, "POST", "/api/v1/inboxes", Role::kAdmin, CreateInbox);
  AddAuthed(router, ctx, "GET", "/api/v1/inboxes/{id}", Role::kSupervisor, GetInbox);
  AddAuthed(router, ctx, "PATCH", "/api/v1/inboxes/{id}", Role::kAdmin, PatchInbox);
  AddAuthed(router, ctx, "POST", "/api/v1/inboxes/{id}/rotate-secret", Role::kAdmin,
            RotateInboxSecret);
}

}  // namespace meridian::api
