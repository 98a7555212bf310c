// Contacts with many identities (CH8): a contact with its identities and conversations, the
// cross-channel timeline, possible duplicates, manual merge and split, and the auto-merge switch.
// Agents read (they serve the customer); merging and splitting join or separate two people's
// histories, so they need a supervisor (docs/api.md).

#include <fmt/format.h>

#include <map>

#include "api/common.h"
#include "service/contact_service.h"

namespace meridian::api {

namespace {

json AttributeJson(const ContactAttribute& a) {
  return {{"kind", AttributeKindName(a.kind)},
          {"value", a.value},
          {"verified", a.verified},
          {"identity_id", a.identity_id}};
}

json ContactJson(const Contact& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"email", c.email.empty() ? json() : json(c.email)},
          {"phone", c.phone.empty() ? json() : json(c.phone)},
          {"language", c.language.empty() ? json() : json(c.language)},
          {"country", c.country.empty() ? json() : json(c.country)},
          {"time_zone", c.time_zone.empty() ? json() : json(c.time_zone)},
          {"created_at", FormatRfc3339(c.created_at)}};
}

json DetailJson(const store::ContactDetail& d, bool mask) {
  json out = ContactJson(d.contact);
  json identities = json::array();
  for (const auto& i : d.identities) {
    json attributes = json::array();
    for (const auto& a : i.attributes) attributes.push_back(AttributeJson(a));
    identities.push_back({{"id", i.id},
                          {"inbox_id", i.inbox_id},
                          {"inbox_name", i.inbox_name},
                          {"channel", i.channel},
                          {"external_id", i.external_id},
                          {"name", i.name},
                          {"created_at", FormatRfc3339(i.created_at)},
                          {"attributes", attributes}});
  }
  json conversations = json::array();
  for (const auto& c : d.conversations) conversations.push_back(ToJson(c, mask));
  out["identities"] = identities;
  out["conversations"] = conversations;
  return out;
}

json MergeJson(const store::ContactMerge& m) {
  return {{"into", m.into},
          {"merged", m.merged},
          {"automatic", m.automatic},
          {"identity_ids", m.identity_ids},
          {"conversation_ids", m.conversation_ids}};
}

// A JSON integer that is a positive id, or 422 naming the field.
Result<Id> IdField(const json& v, const std::string& field) {
  if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
    return Status::Unprocessable(fmt::format("field '{}' must be a positive integer id", field),
                                 "invalid_field");
  }
  return v.get<Id>();
}

void GetContact(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  bool mask = !SeesSensitivePii(p.agent.role);
  Offload(ctx, respond, [&ctx, id = *id, mask] {
    return Respond(ctx.contacts->Get(id), [mask](const store::ContactDetail& d) {
      return JsonResponse(200, DetailJson(d, mask));
    });
  });
}

void GetDuplicates(ApiContext& ctx, http::RequestPtr req, const service::Principal&,
                   http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  Offload(ctx, respond, [&ctx, id = *id] {
    return Respond(ctx.contacts->Duplicates(id),
                   [](const std::vector<store::DuplicateCandidate>& all) {
                     json items = json::array();
                     for (const auto& d : all) {
                       json shared = json::array();
                       for (const auto& a : d.shared) shared.push_back(AttributeJson(a));
                       items.push_back({{"contact", ContactJson(d.contact)}, {"shared", shared}});
                     }
                     return JsonResponse(200, {{"items", items}, {"next_cursor", nullptr}});
                   });
  });
}

void GetTimeline(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                 http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  bool mask = !SeesSensitivePii(p.agent.role);
  Offload(ctx, respond,
          [&ctx, id = *id, mask, cursor = req->Query("cursor"), limit = ParseLimit(*req, 50, 200)] {
            auto page = ctx.contacts->Timeline(id, cursor, limit);
            if (!page.ok()) return http::Response::Error(page.status());
            auto contact = ctx.store->GetContact(id);
            std::string name = contact.ok() ? contact->contact.name : std::string();
            std::map<Id, Inbox> inboxes;
            if (auto all = ctx.store->ListInboxes(); all.ok()) {
              for (auto& i : *all) inboxes.emplace(i.id, std::move(i));
            }
            json items = json::array();
            for (const auto& m : page->items) {
              json j = ToAgentJson(m, name, mask);
              if (auto it = inboxes.find(m.inbox_id); it != inboxes.end()) {
                j["channel"] = it->second.channel;
                j["inbox_name"] = it->second.name;
              }
              items.push_back(std::move(j));
            }
            return JsonResponse(
                200, {{"items", items},
                      {"next_cursor", page->next_cursor ? json(*page->next_cursor) : json()}});
          });
}

void PostMerge(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
               http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto it = body->find("other_id");
  if (it == body->end() || it->is_null()) {
    return respond(http::Response::Error(422, "missing_field", "field 'other_id' is required"));
  }
  auto other = IdField(*it, "other_id");
  if (!other.ok()) return respond(http::Response::Error(other.status()));
  bool mask = !SeesSensitivePii(p.agent.role);
  Offload(ctx, respond, [&ctx, into = *id, other = *other, agent = p.agent, mask] {
    auto merged = ctx.contacts->Merge(into, other, agent);
    if (!merged.ok()) return http::Response::Error(merged.status());
    auto detail = ctx.contacts->Get(into);
    if (!detail.ok()) return http::Response::Error(detail.status());
    return JsonResponse(200,
                        {{"merge", MergeJson(*merged)}, {"contact", DetailJson(*detail, mask)}});
  });
}

void PostSplit(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
               http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto it = body->find("identity_ids");
  if (it == body->end() || it->is_null()) {
    return respond(http::Response::Error(422, "missing_field", "field 'identity_ids' is required"));
  }
  if (!it->is_array()) {
    return respond(http::Response::Error(422, "invalid_field",
                                         "field 'identity_ids' must be an array of ids"));
  }
  std::vector<Id> identities;
  for (const json& v : *it) {
    auto identity = IdField(v, "identity_ids");
    if (!identity.ok()) return respond(http::Response::Error(identity.status()));
    identities.push_back(*identity);
  }
  bool mask = !SeesSensitivePii(p.agent.role);
  Offload(ctx, respond, [&ctx, from = *id, identities, agent = p.agent, mask] {
    auto split = ctx.contacts->Split(from, identities, agent);
    if (!split.ok()) return http::Response::Error(split.status());
    auto detail = ctx.contacts->Get(split->contact_id);
    if (!detail.ok()) return http::Response::Error(detail.status());
    json s = {{"from", split->from},
              {"contact_id", split->contact_id},
              {"identity_ids", split->identity_ids},
              {"conversation_ids", split->conversation_ids}};
    return JsonResponse(201, {{"split", s}, {"contact", DetailJson(*detail, mask)}});
  });
}

json SettingsJson(const store::ContactSettings& s) {
  return {{"auto_merge_verified", s.auto_merge_verified}};
}

void PatchSettings(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                   http::Responder respond) {
  auto body = ParseJsonObject(*req);
  if (!body.ok()) return respond(http::Response::Error(body.status()));
  auto it = body->find("auto_merge_verified");
  if (it == body->end()) {
    return respond(
        http::Response::Error(422, "missing_field", "field 'auto_merge_verified' is required"));
  }
  if (!it->is_boolean()) {
    return respond(http::Response::Error(422, "invalid_field",
                                         "field 'auto_merge_verified' must be a boolean"));
  }
  store::ContactSettings s{.auto_merge_verified = it->get<bool>()};
  Offload(ctx, respond, [&ctx, s, agent = p.agent] {
    Status saved = ctx.contacts->SetSettings(s, agent);
    if (!saved.ok()) return http::Response::Error(saved);
    return JsonResponse(200, SettingsJson(s));
  });
}

}  // namespace

void AddContactRoutes(ApiContext& ctx, http::Router& router) {
  AddAuthed(router, ctx, "GET", "/api/v1/contacts/{id}", Role::kAgent, GetContact);
  AddAuthed(router, ctx, "GET", "/api/v1/contacts/{id}/duplicates", Role::kAgent, GetDuplicates);
  AddAuthed(router, ctx, "GET", "/api/v1/contacts/{id}/messages", Role::kAgent, GetTimeline);
  AddAuthed(router, ctx, "POST", "/api/v1/contacts/{id}/merge", Role::kSupervisor, PostMerge);
  AddAuthed(router, ctx, "POST", "/api/v1/contacts/{id}/split", Role::kSupervisor, PostSplit);
  router.Add("GET", "/api/v1/settings/contacts",
             Authed(ctx, Role::kSupervisor, [&ctx](auto, const auto&, auto respond) {
               Offload(ctx, respond, [&ctx] {
                 return Respond(ctx.contacts->Settings(), [](const store::ContactSettings& s) {
                   return JsonResponse(200, SettingsJson(s));
                 });
               });
             }));
  AddAuthed(router, ctx, "PATCH", "/api/v1/settings/contacts", Role::kAdmin, PatchSettings);
}

}  // namespace meridian::api
