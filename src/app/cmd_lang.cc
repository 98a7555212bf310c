// The `lang` command group: `lang detect` (see nlp/langid/langid.h).
//
// Contract (checked from outside, keep it exact): reads one text per stdin line and prints one
// JSON object per line,
//   {"lang":"de","confidence":0.93,"candidates":[["de",0.93],["nl",0.04]]}
// with ISO 639-1 codes, "und" when the language cannot be determined.

#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "nlp/langid/langid.h"

namespace meridian::app {
namespace {

struct LangOptions {
  std::string model_dir;  // default: <share>/langid
};

double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

int RunDetect(const LangOptions& opts) {
  auto identifier = nlp::LanguageIdentifier::Load(opts.model_dir.empty()
                                                      ? nlp::LanguageIdentifier::DefaultModelDir()
                                                      : std::filesystem::path(opts.model_dir));
  if (!identifier.ok()) {
    std::cerr << "meridian: " << identifier.status().ToString() << "\n";
    return 1;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const nlp::LanguageDetection d = (*identifier)->Detect(line);
    nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
    for (const nlp::LanguageGuess& g : d.candidates) {
      candidates.push_back(nlohmann::ordered_json::array({g.lang, Round3(g.confidence)}));
    }
    nlohmann::ordered_json out = {
        {"lang", d.lang}, {"confidence", Round3(d.confidence)}, {"candidates", candidates}};
    std::cout << out.dump() << "\n";
  }
  std::cout.flush();
  return 0;
}

}  // namespace

void RegisterLangCommands(CLI::App& root, CommandContext ctx) {
  auto opts = std::make_shared<LangOptions>();
  CLI::App* lang = root.add_subcommand("lang", "Language identification");
  lang->require_subcommand(1);
  CLI::App* detect = lang->add_subcommand(
      "detect",
      "Detect the language of one text per stdin line; prints one JSON object per line:\n"
      "  {\"lang\":\"de\",\"confidence\":0.93,\"candidates\":[[\"de\",0.93],[\"nl\",0.04]]}\n"
      "ISO 639-1 codes; \"und\" when there is too little evidence (empty, digits, emoji, "
      "\"ok\").");
  detect->add_option("--model", opts->model_dir, "Model folder (default: <share>/langid)");
  AddDataOption(*detect, ctx.global);
  detect->callback([opts, ctx] { *ctx.exit_code = RunDetect(*opts); });
}

}  // namespace meridian::app
