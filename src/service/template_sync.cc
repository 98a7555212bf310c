#include "service/template_sync.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/thread_name.h"

namespace meridian::service {

using nlohmann::json;

TemplateSync::TemplateSync(store::Store& store, channels::ChannelRegistry& channels,
                           HttpClient& http, const Clock& clock)
    : store_(store), channels_(channels), http_(http), clock_(clock) {}

TemplateSync::~TemplateSync() { Stop(); }

Result<TemplateSyncSummary> TemplateSync::Sync(Id inbox_id, const std::string& actor) {
  MERIDIAN_ASSIGN_OR_RETURN(Inbox inbox, store_.GetInbox(inbox_id));
  MERIDIAN_ASSIGN_OR_RETURN(auto channel, channels_.For(inbox));
  auto catalog = channel->FetchTemplates(http_);
  if (!catalog.ok()) {
    const Status& s = catalog.status();
    if (s.reason() == "no_templates" || s.reason() == "missing_field") return s;
    // Whatever the provider answered (401 for an expired token included) is the provider's
    // problem, not the caller's credentials: one reason for all of it.
    return Status::Unavailable(fmt::format("template sync failed: {}", s.message()),
                               "provider_error");
  }
  TimestampMs now = clock_.NowMs();
  MERIDIAN_ASSIGN_OR_RETURN(store::Store::TemplateChanges changes,
                            store_.ReplaceTemplates(inbox.id, catalog->approved, now));
  TemplateSyncSummary out;
  out.inbox_id = inbox.id;
  out.listed = catalog->listed;
  out.changes = std::move(changes);
  out.skipped = std::move(catalog->skipped);
  const auto& c = out.changes;
  if (!c.added.empty() || !c.updated.empty() || !c.removed.empty()) {
    json details = {{"added", c.added}, {"updated", c.updated}, {"removed", c.removed}};
    (void)store_.AppendAudit(
        {actor, "inbox.template.sync", fmt::format("inbox:{}", inbox.id), details.dump(), now});
  }
  return out;
}

void TemplateSync::Start(int64_t interval_ms) {
  if (interval_ms <= 0) return;
  thread_ = std::thread([this, interval_ms] {
    NameThisThread("template-sync");
    Loop(interval_ms);
  });
}

void TemplateSync::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TemplateSync::Loop(int64_t interval_ms) {
  while (true) {
    SyncAll();
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_; })) {
      return;
    }
  }
}

void TemplateSync::SyncAll() {
  auto inboxes = store_.ListInboxes();
  if (!inboxes.ok()) return;
  for (const Inbox& inbox : *inboxes) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    auto synced = Sync(inbox.id, "system");
    if (synced.ok()) {
      const auto& c = synced->changes;
      spdlog::info("inbox {}: templates synced ({} added, {} updated, {} removed)", inbox.id,
                   c.added.size(), c.updated.size(), c.removed.size());
    } else if (synced.status().reason() == "provider_error") {
      spdlog::warn("inbox {}: template sync failed: {}", inbox.id, synced.status().message());
    }
    // Channels without templates, or inboxes without a business account id: nothing to do.
  }
}

}  // namespace meridian::service
