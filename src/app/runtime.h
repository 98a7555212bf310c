#pragma once
// Opening the data directory and the store, and the channel registry: the one place that knows
// every concrete type (STYLE.md rule 6).

#include <memory>
#include <string>

#include "channels/channel.h"
#include "store/store.h"

namespace meridian::app {

// Creates DIR, DIR/blobs and DIR/logs, opens DIR/meridian.db and applies migrations.
Result<std::unique_ptr<store::Store>> OpenDataDir(const std::string& dir, bool synchronous_full);

// Every channel, registered by name. Adding a channel is one line here.
void RegisterChannels(channels::ChannelRegistry& registry);

// Loads the demo shop (agent, inboxes, a few conversations) into an empty store.
// Returns the demo agent's email and password.
Result<std::pair<std::string, std::string>> LoadDemoData(store::Store& store);

// Adds the demo shop's reply templates (where-is-order, return-instructions, delay-apology)
// that are not there yet.
Status SeedDemoTemplates(store::Store& store);

}  // namespace meridian::app
