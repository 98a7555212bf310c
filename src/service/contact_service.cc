#include "service/contact_service.h"

#include <fmt/format.h>

#include <algorithm>

namespace meridian::service {

namespace {

// Conversation frames sent per contact change; beyond that the workspace reloads on
// contact.updated anyway.
constexpr size_t kMaxConversationFrames = 50;

// `store` null: no conversation frames (callers on the store's writer thread must not read).
void PublishChange(store::Store* store, EventSink& events, ContactChange change) {
  size_t n = store ? std::min(change.conversation_ids.size(), kMaxConversationFrames) : 0;
  for (size_t i = 0; i < n; ++i) {
    auto c = store->GetConversation(change.conversation_ids[i]);
    if (c.ok()) events.Publish({Event::Kind::kConversationUpdated, *c, std::nullopt});
  }
  Event e;
  e.kind = Event::Kind::kContactUpdated;
  e.contact = std::move(change);
  events.Publish(e);
}

std::string Actor(const Agent& agent) { return fmt::format("agent:{}", agent.id); }

}  // namespace

ContactService::ContactService(store::Store& store, EventSink& events, const Clock& clock)
    : store_(store), events_(events), clock_(clock) {}

Result<store::ContactDetail> ContactService::Get(Id contact_id) {
  return store_.GetContact(contact_id);
}

Result<std::vector<store::DuplicateCandidate>> ContactService::Duplicates(Id contact_id) {
  return store_.ListDuplicates(contact_id);
}

Result<store::Page<Message>> ContactService::Timeline(Id contact_id, const std::string& cursor,
                                                      int limit) {
  return store_.ListContactMessages(contact_id, cursor, limit);
}

Result<store::ContactMerge> ContactService::Merge(Id into, Id other, const Agent& actor) {
  MERIDIAN_ASSIGN_OR_RETURN(store::ContactMerge m,
                            store_.MergeContacts(into, other, Actor(actor), clock_.NowMs()));
  PublishChange(&store_, events_, {"merge", m.into, {m.merged}, m.conversation_ids});
  return m;
}

Result<store::ContactSplit> ContactService::Split(Id contact_id,
                                                  const std::vector<Id>& identity_ids,
                                                  const Agent& actor) {
  MERIDIAN_ASSIGN_OR_RETURN(
      store::ContactSplit s,
      store_.SplitContact(contact_id, identity_ids, Actor(actor), clock_.NowMs()));
  PublishChange(&store_, events_, {"split", s.from, {s.contact_id}, s.conversation_ids});
  return s;
}

Status ContactService::AddClaims(Id inbox_id, const std::string& external_id,
                                 const std::vector<ContactClaim>& claims) {
  if (claims.empty()) return Status::Ok();
  MERIDIAN_ASSIGN_OR_RETURN(auto merges,
                            store_.AddContactClaims(inbox_id, external_id, claims, clock_.NowMs()));
  for (const auto& m : merges) {
    PublishChange(&store_, events_, {"auto_merge", m.into, {m.merged}, m.conversation_ids});
  }
  return Status::Ok();
}

Result<store::ContactSettings> ContactService::Settings() { return store_.GetContactSettings(); }

Status ContactService::SetSettings(const store::ContactSettings& settings, const Agent& actor) {
  MERIDIAN_RETURN_IF_ERROR(store_.SetContactSettings(settings));
  return store_.AppendAudit(
      {Actor(actor), "contact.settings", "account:1",
       fmt::format(R"({{"auto_merge_verified":{}}})", settings.auto_merge_verified),
       clock_.NowMs()});
}

void ContactService::PublishMerges(EventSink& events,
                                   const std::vector<store::ContactMerge>& merges) {
  for (const auto& m : merges) {
    PublishChange(nullptr, events,
                  {m.automatic ? "auto_merge" : "merge", m.into, {m.merged}, m.conversation_ids});
  }
}

}  // namespace meridian::service
