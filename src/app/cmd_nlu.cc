// The `nlu` command group, shared by the files that add `nlu <verb>` commands.

#include "app/commands.h"

namespace meridian::app {

CLI::App* NluGroup(CLI::App& root) {
  for (CLI::App* sub :
       root.get_subcommands([](CLI::App* app) { return app->get_name() == "nlu"; })) {
    return sub;
  }
  CLI::App* nlu =
      root.add_subcommand("nlu", "Language understanding: intents, sentiment, entities");
  nlu->require_subcommand(1);
  return nlu;
}

}  // namespace meridian::app
