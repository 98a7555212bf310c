// meridian: the one binary. `meridian --help` lists the commands.

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace meridian::app {

void AddDataOption(CLI::App& cmd, GlobalOptions* global) {
  cmd.add_option("--data", global->data_dir, "Data directory (database, blobs, logs)")
      ->capture_default_str();
}

}  // namespace meridian::app

int main(int argc, char** argv) {
  using namespace meridian::app;
  CLI::App root{"Meridian: customer service across borders"};
  root.require_subcommand(1);
  root.set_version_flag("--version", "meridian 0.1.0");
  GlobalOptions global;
  int exit_code = 0;
  CommandContext ctx{&global, &exit_code};
  AddDataOption(root, &global);

  // The registry: one line per command group.
  RegisterServerCommands(root, ctx);
  RegisterAdminCommands(root, ctx);
  RegisterLangCommands(root, ctx);
  RegisterTranslateCommands(root, ctx);
  RegisterNluCommands(root, ctx);
  RegisterSentimentCommands(root, ctx);
  RegisterPiiCommands(root, ctx);
  RegisterEntityCommands(root, ctx);
  RegisterTemplateCommands(root, ctx);

  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return root.exit(e);
  }
  return exit_code;
}
