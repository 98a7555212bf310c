#pragma once
// Opening the data directory and the store, and the channel registry: the one place that knows
// every concrete type (STYLE.md rule 6).

#include <memory>
#include <string>
#include <vector>

#include "channels/channel.h"
#include "service/mailbox_worker.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace meridian::app {

// Creates DIR, DIR/blobs and DIR/logs, opens DIR/meridian.db and applies migrations.
Result<std::unique_ptr<store::Store>> OpenDataDir(const std::string& dir, bool synchronous_full);

// Every channel, registered by name. Adding a channel is one line here.
void RegisterChannels(channels::ChannelRegistry& registry);

// One worker per email inbox (not started). Inboxes whose config no longer validates are
// skipped with a log line.
std::vector<std::unique_ptr<service::MailboxWorker>> MakeMailboxWorkers(
    store::Store& store, channels::ChannelRegistry& registry, store::BlobStore& blobs,
    service::ConversationService& conversations, const Clock& clock,
    const service::MailboxWorkerOptions& options);

// Loads the demo shop (agent, inboxes, a few conversations) into an empty store.
// Returns the demo agent's email and password.
Result<std::pair<std::string, std::string>> LoadDemoData(store::Store& store);

}  // namespace meridian::app
