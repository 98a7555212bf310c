// The `lang` command group: `lang detect` (see nlp/langid/langid.h).
//
// Contract (checked from outside, keep it exact): reads one text per stdin line and prints one
// JSON object per line,
//   {"lang":"de","confidence":0.93,"candidates":[["de",0.93],["nl",0.04]]}
// with ISO 639-1 codes, "und" when the language cannot be determined.

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "app/commands.h"
#include "nlp/langid/langid.h"

namespace meridian::app {
namespace {

struct LangOptions {
  std::string model_dir;  // default: <share>/langid
};

// 0.93 -> "0.93", 1 -> "1.0", 0 -> "0.0": three decimals at most, as JSON numbers.
void AppendNumber(double v, std::string& out) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", std::round(v * 1000.0) / 1000.0);
  std::string s(buf);
  while (s.size() > 3 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  out += s;
}

// One output line. Built by hand rather than with nlohmann::json: this runs once per message
// and the only strings are language codes from a fixed ASCII list.
std::string FormatDetection(const nlp::LanguageDetection& d) {
  std::string out = "{\"lang\":\"" + d.lang + "\",\"confidence\":";
  AppendNumber(d.confidence, out);
  out += ",\"candidates\":[";
  for (size_t i = 0; i < d.candidates.size(); ++i) {
    if (i > 0) out += ',';
    out += "[\"" + d.candidates[i].lang + "\",";
    AppendNumber(d.candidates[i].confidence, out);
    out += ']';
  }
  out += "]}";
  return out;
}

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
    std::cout << FormatDetection((*identifier)->Detect(line)) << '\n';
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
