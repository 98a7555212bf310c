#pragma once
// Every `meridian` subcommand group registers itself here, explicitly, from main.cc.

#include <CLI/CLI.hpp>
#include <string>

namespace meridian::app {

struct GlobalOptions {
  std::string data_dir = "var";  // --data DIR, accepted by every command
};

// Each Register* adds one group of subcommands to `root`. The callbacks they install run after
// parsing; they must set `*exit_code`.
struct CommandContext {
  GlobalOptions* global;
  int* exit_code;
};

void RegisterServerCommands(CLI::App& root, CommandContext ctx);     // serve, migrate
void RegisterAdminCommands(CLI::App& root, CommandContext ctx);      // agent, inbox, demo
void RegisterLangCommands(CLI::App& root, CommandContext ctx);       // lang detect
void RegisterTranslateCommands(CLI::App& root, CommandContext ctx);  // translate
void RegisterNluCommands(CLI::App& root,
                         CommandContext ctx);  // nlu classify|sentiment|entities|eval
void RegisterPiiCommands(CLI::App& root, CommandContext ctx);        // pii redact
void RegisterEntityCommands(CLI::App& root, CommandContext ctx);     // nlu entities
void RegisterSentimentCommands(CLI::App& root, CommandContext ctx);  // nlu sentiment
void RegisterTemplateCommands(CLI::App& root, CommandContext ctx);   // template render

// Creates the `nlu` subcommand group on first call and returns the same one afterwards, so the
// several files that add `nlu ...` commands share it.
CLI::App* NluGroup(CLI::App& root);

// Adds `--data DIR` to a subcommand (every command accepts it).
void AddDataOption(CLI::App& cmd, GlobalOptions* global);

}  // namespace meridian::app
