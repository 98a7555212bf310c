#pragma once
// Opening the data directory and the store, and the channel registry: the one place that knows
// every concrete type (STYLE.md rule 6).

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "channels/channel.h"
#include "service/mailbox_worker.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace meridian::app {

// Creates DIR, DIR/blobs and DIR/logs, opens DIR/meridian.db and applies migrations.
Result<std::unique_ptr<store::Store>> OpenDataDir(const std::string& dir, bool synchronous_full);

// Settings of channels that `serve` takes from its command line.
struct ChannelSettings {
  int64_t webchat_max_upload_bytes = 10 << 20;  // largest file sent in web chat, either way
};

// Every channel, registered by name. Adding a channel is one line here.
void RegisterChannels(channels::ChannelRegistry& registry, const ChannelSettings& settings = {});

// One started MailboxWorker per email inbox, including inboxes created while serving (looked
// for every `rescan_ms`). Inboxes whose config does not validate are skipped with a log line.
class MailboxFleet {
 public:
  MailboxFleet(store::Store& store, channels::ChannelRegistry& registry, store::BlobStore& blobs,
               service::ConversationService& conversations, const Clock& clock,
               service::MailboxWorkerOptions options, int64_t rescan_ms = 10'000);
  ~MailboxFleet();  // Stop()
  void Start();
  // Stops every worker (promptly: IDLE is interrupted) and the rescan.
  void Stop();

 private:
  void Rescan();

  store::Store& store_;
  channels::ChannelRegistry& registry_;
  store::BlobStore& blobs_;
  service::ConversationService& conversations_;
  const Clock& clock_;
  const service::MailboxWorkerOptions options_;
  const int64_t rescan_ms_;
  std::map<Id, std::unique_ptr<service::MailboxWorker>> workers_;  // rescan thread only
  std::map<Id, int64_t> revisions_;  // inbox revision last acted on; rescan thread only
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

// Loads the demo shop (agent, inboxes, a few conversations) into an empty store.
// Returns the demo agent's email and password.
Result<std::pair<std::string, std::string>> LoadDemoData(store::Store& store);

// Adds the demo shop's reply templates (where-is-order, return-instructions, delay-apology)
// that are not there yet.
Status SeedDemoTemplates(store::Store& store);

}  // namespace meridian::app
