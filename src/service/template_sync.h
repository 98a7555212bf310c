#pragma once
// Provider message templates kept in step with the provider (issue 3, CH3). WhatsApp templates
// are written and approved in Meta's WhatsApp Manager, not in Meridian: a sync lists them
// through the channel (Channel::FetchTemplates, every page) and makes the APPROVED ones, with
// their languages and body parameter counts, the inbox's template set in one store transaction
// (Store::ReplaceTemplates): new ones are added, changed ones replaced, and ones no longer
// approved (rejected, paused, disabled, deleted) removed, so agents are never offered a
// template the provider would refuse. A provider failure changes nothing.
//
// Syncs run on request (POST /api/v1/inboxes/{id}/templates/sync) and, when started, every
// `interval` for every inbox that can list templates. Thread-safe.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "channels/channel.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "store/store.h"

namespace meridian::service {

struct TemplateSyncSummary {
  Id inbox_id = 0;
  int listed = 0;  // (name, language) entries the provider listed
  store::Store::TemplateChanges changes;
  std::vector<channels::SkippedTemplate> skipped;  // not approved, or not sendable
};

class TemplateSync {
 public:
  TemplateSync(store::Store& store, channels::ChannelRegistry& channels, HttpClient& http,
               const Clock& clock);
  ~TemplateSync();  // stops and joins
  TemplateSync(const TemplateSync&) = delete;
  TemplateSync& operator=(const TemplateSync&) = delete;

  // Syncs one inbox, with an audit entry by `actor` when something changed. NotFound for an
  // unknown inbox; NotFound("no_templates") for a channel without provider templates;
  // Unprocessable("missing_field") when the inbox lacks the business account id; a provider
  // failure is Unavailable("provider_error") with the provider's answer (never a credential),
  // and nothing is changed.
  Result<TemplateSyncSummary> Sync(Id inbox_id, const std::string& actor);

  // Syncs every inbox that can list templates now and then every `interval_ms` on a thread of
  // its own (failures are logged and retried at the next round).
  void Start(int64_t interval_ms);
  void Stop();

 private:
  void Loop(int64_t interval_ms);
  void SyncAll();

  store::Store& store_;
  channels::ChannelRegistry& channels_;
  HttpClient& http_;
  const Clock& clock_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace meridian::service
