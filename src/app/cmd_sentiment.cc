// `meridian nlu sentiment`: one text per stdin line -> one JSON object per line:
// {"polarity":-0.6,"label":"negative","emotions":{"anger":..,"frustration":..,"anxiety":..,
//  "satisfaction":..,"urgency":..}} (see nlp/sentiment/sentiment.h).

#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "core/resources.h"
#include "nlp/sentiment/sentiment.h"

namespace meridian::app {
namespace {

struct SentimentOptions {
  std::string lang;  // ISO 639-1; empty = guess per line
  std::string lexicon_dir;
};

double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

int RunSentiment(const SentimentOptions& opts) {
  std::filesystem::path dir =
      opts.lexicon_dir.empty() ? DataDir() / "sentiment" : std::filesystem::path(opts.lexicon_dir);
  auto analyzer = nlp::SentimentAnalyzer::Load(dir);
  if (!analyzer.ok()) {
    std::cerr << "meridian: " << analyzer.status().ToString() << "\n";
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    nlp::SentimentScore s = (*analyzer)->Analyze(line, opts.lang);
    const nlp::Emotions& e = s.emotions;
    nlohmann::ordered_json out = {{"polarity", Round3(s.polarity)},
                                  {"label", nlp::SentimentLabelName(s.label)},
                                  {"emotions",
                                   {{"anger", Round3(e.anger)},
                                    {"frustration", Round3(e.frustration)},
                                    {"anxiety", Round3(e.anxiety)},
                                    {"satisfaction", Round3(e.satisfaction)},
                                    {"urgency", Round3(e.urgency)}}}};
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  std::cout.flush();
  return 0;
}

}  // namespace

void RegisterSentimentCommands(CLI::App& root, CommandContext ctx) {
  auto opts = std::make_shared<SentimentOptions>();
  CLI::App* cmd = NluGroup(root)->add_subcommand(
      "sentiment", "Score sentiment and emotions of one text per stdin line (JSON lines out)");
  cmd->add_option("--lang", opts->lang, "Language code (en, es, ...); default: guessed per line");
  cmd->add_option("--lexicons", opts->lexicon_dir,
                  "Sentiment data folder (default: <data>/sentiment of the source tree)");
  AddDataOption(*cmd, ctx.global);
  cmd->callback([opts, ctx] { *ctx.exit_code = RunSentiment(*opts); });
}

}  // namespace meridian::app
