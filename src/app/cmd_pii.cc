// `meridian pii redact`: one text per stdin line -> {"text": redacted, "found": [...]} per line,
// spans in the original line's UTF-8 bytes (see nlp/pii/pii.h).

#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "nlp/pii/pii.h"

namespace meridian::app {
namespace {

struct PiiOptions {
  std::string mode = "mask";
  std::string region = "US";
  std::string account_key;  // token mode; falls back to $MERIDIAN_PII_KEY
};

int RunRedact(const PiiOptions& opts) {
  auto mode = nlp::ParseRedactionMode(opts.mode);
  if (!mode.ok()) {
    std::cerr << "meridian: " << mode.status().message() << "\n";
    return 2;
  }
  auto scanner = nlp::PiiScanner::Create();
  if (!scanner.ok()) {
    std::cerr << "meridian: " << scanner.status().ToString() << "\n";
    return 1;
  }
  nlp::RedactOptions redact;
  redact.mode = *mode;
  redact.account_key = opts.account_key;
  if (redact.account_key.empty()) {
    const char* env = std::getenv("MERIDIAN_PII_KEY");
    if (env != nullptr) redact.account_key = env;
  }
  if (redact.mode == nlp::RedactionMode::kToken && redact.account_key.empty()) {
    std::cerr << "meridian: no --account-key or MERIDIAN_PII_KEY; tokens use a fixed dev key\n";
    redact.account_key = "meridian-dev-key";
  }
  nlp::ScanOptions scan;
  scan.region = opts.region;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    nlp::Redaction r = nlp::Redact(line, (*scanner)->Scan(line, scan), redact);
    nlohmann::json found = nlohmann::json::array();
    for (const nlp::PiiMatch& m : r.found) {
      nlohmann::json f = {{"type", nlp::PiiTypeName(m.type)}, {"start", m.start}, {"end", m.end}};
      if (!m.subtype.empty()) f["subtype"] = m.subtype;
      found.push_back(std::move(f));
    }
    nlohmann::json out = {{"text", r.text}, {"found", std::move(found)}};
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  std::cout.flush();
  return 0;
}

}  // namespace

void RegisterPiiCommands(CLI::App& root, CommandContext ctx) {
  CLI::App* pii = root.add_subcommand("pii", "Personal data: detection and redaction");
  pii->require_subcommand(1);
  AddDataOption(*pii, ctx.global);
  CLI::App* cmd = pii->add_subcommand("redact", "Redact PII from stdin lines, one JSON per line");
  auto opts = std::make_shared<PiiOptions>();
  cmd->add_option("--mode", opts->mode, "mask | token | remove")
      ->check(CLI::IsMember({"mask", "token", "remove"}))
      ->capture_default_str();
  cmd->add_option("--region", opts->region, "ISO country code: default for phone numbers")
      ->capture_default_str();
  cmd->add_option("--account-key", opts->account_key,
                  "Key for token mode (default: $MERIDIAN_PII_KEY)");
  AddDataOption(*cmd, ctx.global);
  cmd->callback([opts, ctx] { *ctx.exit_code = RunRedact(*opts); });
}

}  // namespace meridian::app
