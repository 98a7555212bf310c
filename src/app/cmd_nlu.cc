// The `nlu` command group, shared by the files that add `nlu <verb>` commands, and the intent
// commands: `nlu classify` and `nlu eval` (see nlp/intent/intent.h).

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "core/resources.h"
#include "nlp/intent/intent.h"
#include "nlp/langid/langid.h"

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

namespace {

struct IntentOptions {
  std::string lang;       // classify: ISO 639-1 code to report; empty = guessed per line
  std::string model_dir;  // default: <share>/nlu
  std::string file;       // eval: the examples
  size_t confusions = 20;
};

double Round3(double v) { return std::round(v * 1000.0) / 1000.0; }

// `s` as a JSON string, as nlohmann's dump() writes it (invalid UTF-8 replaced).
void AppendJsonString(std::string_view s, std::string& out) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  if (plain) {
    out += '"';
    out += s;
    out += '"';
    return;
  }
  out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// `v` as nlohmann's dump() writes a finite double: the shortest form that reads back the same,
// with ".0" when that form is an integer.
void AppendJsonNumber(double v, std::string& out) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  const std::string_view text(buf, ec == std::errc() ? static_cast<size_t>(end - buf) : 0);
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

Result<std::unique_ptr<nlp::IntentClassifier>> LoadClassifier(const IntentOptions& opts) {
  return nlp::IntentClassifier::Load(opts.model_dir.empty()
                                         ? nlp::IntentClassifier::DefaultModelDir()
                                         : std::filesystem::path(opts.model_dir));
}

int RunClassify(const IntentOptions& opts) {
  auto classifier = LoadClassifier(opts);
  if (!classifier.ok()) {
    std::cerr << "meridian: " << classifier.status().ToString() << "\n";
    return 1;
  }
  // The reported language comes from nlp/langid when no --lang is given (the script-and-
  // function-word guess only if its model is missing, or for text it cannot decide).
  std::unique_ptr<nlp::LanguageIdentifier> langid;
  if (opts.lang.empty()) {
    auto loaded = nlp::LanguageIdentifier::Load(nlp::LanguageIdentifier::DefaultModelDir());
    if (loaded.ok()) langid = std::move(loaded).value();
  }
  // One line buffer and one output buffer for the whole input (this loop runs per message of
  // bulk jobs: allocations and a JSON document per line were a visible share of its cost).
  std::string line;
  std::string out;
  std::string lang;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    nlp::IntentPrediction p = (*classifier)->Classify(line);
    lang = opts.lang;
    if (lang.empty() && langid) lang = langid->Detect(line).lang;
    if (lang.empty() || lang == nlp::kUndetermined) lang = nlp::GuessLanguage(line);
    if (lang.empty()) lang = std::string(nlp::kUndetermined);
    out += "{\"intent\":";
    AppendJsonString(p.intent, out);
    out += ",\"confidence\":";
    AppendJsonNumber(Round3(p.confidence), out);
    out += ",\"lang\":";
    AppendJsonString(lang, out);
    out += "}\n";
    if (out.size() >= 64 * 1024) {
      std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  std::cout.flush();
  return 0;
}

int RunEval(const IntentOptions& opts) {
  auto classifier = LoadClassifier(opts);
  if (!classifier.ok()) {
    std::cerr << "meridian: " << classifier.status().ToString() << "\n";
    return 1;
  }
  std::optional<std::string> contents = ReadFile(opts.file);
  if (!contents) {
    std::cerr << "meridian: cannot read " << opts.file << "\n";
    return 1;
  }
  auto examples = nlp::ParseIntentExamples(*contents);
  if (!examples.ok()) {
    std::cerr << "meridian: " << opts.file << ": " << examples.status().message() << "\n";
    return 1;
  }
  nlp::IntentEvalReport report = nlp::EvaluateIntents(**classifier, *examples);
  std::printf("%-6s %8s %9s %9s\n", "lang", "examples", "accuracy", "macro-F1");
  for (const auto& [lang, s] : report.by_language) {
    if (lang == "all") continue;
    std::printf("%-6s %8zu %8.1f%% %9.3f\n", lang.c_str(), s.examples, 100 * s.accuracy,
                s.macro_f1);
  }
  if (auto it = report.by_language.find("all"); it != report.by_language.end()) {
    std::printf("%-6s %8zu %8.1f%% %9.3f\n", "all", it->second.examples, 100 * it->second.accuracy,
                it->second.macro_f1);
  }
  std::printf("\nmost frequent confusions (gold -> predicted: count)\n");
  for (size_t i = 0; i < report.confusions.size() && i < opts.confusions; ++i) {
    const auto& [pair, count] = report.confusions[i];
    std::printf("  %s -> %s: %zu\n", pair.first.c_str(), pair.second.c_str(), count);
  }
  return 0;
}

}  // namespace

void RegisterNluCommands(CLI::App& root, CommandContext ctx) {
  auto opts = std::make_shared<IntentOptions>();
  CLI::App* nlu = NluGroup(root);

  CLI::App* classify = nlu->add_subcommand(
      "classify",
      "Classify the intent of one text per stdin line; prints one JSON object per line:\n"
      "  {\"intent\":\"cancel_order\",\"confidence\":0.97,\"lang\":\"en\"}");
  classify->add_option("--lang", opts->lang,
                       "Language code to report (en, de, ...); default: detected per line");
  classify->add_option("--model", opts->model_dir, "Model folder (default: <share>/nlu)");
  AddDataOption(*classify, ctx.global);
  classify->callback([opts, ctx] { *ctx.exit_code = RunClassify(*opts); });

  CLI::App* eval = nlu->add_subcommand(
      "eval",
      "Score the intent classifier on FILE and print accuracy and macro-F1 per language plus\n"
      "the most frequent confusions. FILE: UTF-8, one example per line,\n"
      "  lang<TAB>intent<TAB>text   e.g.  en<TAB>cancel_order<TAB>please cancel order 123\n"
      "blank lines and lines starting with '#' are skipped.");
  eval->add_option("FILE", opts->file, "Examples: lang<TAB>intent<TAB>text per line")->required();
  eval->add_option("--model", opts->model_dir, "Model folder (default: <share>/nlu)");
  eval->add_option("--confusions", opts->confusions, "How many confusion pairs to list")
      ->capture_default_str();
  AddDataOption(*eval, ctx.global);
  eval->callback([opts, ctx] { *ctx.exit_code = RunEval(*opts); });
}

}  // namespace meridian::app
