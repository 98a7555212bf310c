// `meridian translate`: one text per stdin line -> one translation per stdout line (flushed per
// line); `meridian translate --pairs [--json]` lists every pair with its engine and whether it is
// direct, pivoted or unavailable. Engines and their settings: docs/translation.md.

#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "app/commands.h"
#include "core/resources.h"
#include "nlp/translate/apertium.h"
#include "nlp/translate/http_engines.h"
#include "nlp/translate/opencc.h"
#include "nlp/translate/router.h"

namespace meridian::app {
namespace {

namespace tr = nlp::translate;

struct TranslateOptions {
  std::string from;
  std::string to;
  std::string engine;
  std::string api_base;
  std::string api_key;
  std::string model;
  std::string glossary_file;
  std::string memory_file;
  int timeout_ms = 15000;
  bool pairs = false;
  bool json = false;
};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// The languages --pairs reports on: the product's languages (issue 4, LG1), every language an
// installed engine knows, and the Chinese script variants.
std::vector<std::string> PairLanguages(tr::Router& router) {
  std::set<std::string> langs = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "ru",
                                 "ar", "tr", "ja", "zh", "ko", "th", "vi", "id", "ms", "hi"};
  for (const std::string& name : router.EngineNames()) {
    for (const tr::PairInfo& p : router.Engine(name)->Pairs()) {
      langs.insert(p.from);
      langs.insert(p.to);
    }
  }
  return {langs.begin(), langs.end()};
}

// Builds the router: Apertium and OpenCC offline, then every remote engine that is configured
// (flags for the one named by --engine, environment for all).
Result<std::unique_ptr<tr::Router>> BuildRouter(const TranslateOptions& opts) {
  auto router = std::make_unique<tr::Router>();
  tr::ApertiumOptions ap;
  ap.timeout_ms = opts.timeout_ms;
  auto apertium = tr::ApertiumEngine::Create(ap);
  if (apertium.ok()) {
    router->AddEngine(std::move(apertium).value());
  } else if (opts.engine.empty() || opts.engine == "apertium") {
    std::cerr << "meridian: " << apertium.status().message() << "\n";
  }
  auto opencc = tr::OpenCcEngine::Create();
  if (opencc.ok()) router->AddEngine(std::move(opencc).value());

  auto remote = [&](const std::string& name, const char* url_env, const char* key_env,
                    bool key_required) -> Status {
    tr::HttpEngineConfig cfg;
    cfg.base_url = Env(url_env);
    cfg.api_key = Env(key_env);
    cfg.timeout_ms = opts.timeout_ms;
    if (opts.engine == name) {
      if (!opts.api_base.empty()) cfg.base_url = opts.api_base;
      if (!opts.api_key.empty()) cfg.api_key = opts.api_key;
      if (!opts.model.empty()) cfg.model = opts.model;
    }
    if (name == "openai" && cfg.model.empty()) cfg.model = Env("MERIDIAN_OPENAI_MODEL");
    bool configured = key_required ? !cfg.api_key.empty() : !cfg.base_url.empty();
    if (!configured) {
      if (opts.engine == name) {
        return Status::InvalidArgument(name + " is not configured: pass " +
                                       (key_required
                                            ? "--api-key or set " + std::string(key_env)
                                            : "--api-base or set " + std::string(url_env)));
      }
      return Status::Ok();
    }
    MERIDIAN_ASSIGN_OR_RETURN(auto engine, tr::MakeHttpEngine(name, cfg, nullptr));
    router->AddEngine(std::move(engine));
    return Status::Ok();
  };
  MERIDIAN_RETURN_IF_ERROR(remote("libretranslate", "MERIDIAN_LIBRETRANSLATE_URL",
                                  "MERIDIAN_LIBRETRANSLATE_KEY", false));
  MERIDIAN_RETURN_IF_ERROR(remote("deepl", "MERIDIAN_DEEPL_URL", "MERIDIAN_DEEPL_KEY", true));
  MERIDIAN_RETURN_IF_ERROR(remote("google", "MERIDIAN_GOOGLE_URL", "MERIDIAN_GOOGLE_KEY", true));
  MERIDIAN_RETURN_IF_ERROR(remote("openai", "MERIDIAN_OPENAI_URL", "MERIDIAN_OPENAI_KEY", false));
  if (!opts.engine.empty() && router->Engine(opts.engine) == nullptr) {
    return Status::InvalidArgument("unknown or unavailable engine '" + opts.engine +
                                   "' (apertium, opencc, libretranslate, deepl, google, openai)");
  }
  if (!opts.glossary_file.empty()) {
    auto text = ReadFile(opts.glossary_file);
    if (!text) return Status::InvalidArgument("cannot read glossary " + opts.glossary_file);
    MERIDIAN_ASSIGN_OR_RETURN(tr::Glossary g, tr::Glossary::FromJson(*text));
    router->SetGlossary("cli", std::move(g));
  }
  return router;
}

int RunPairs(tr::Router& router, bool json) {
  std::vector<tr::PairInfo> pairs = router.AllPairs(PairLanguages(router));
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const tr::PairInfo& p : pairs) {
      out.push_back(
          {{"from", p.from},
           {"to", p.to},
           {"engine", p.engine.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.engine)},
           {"kind", tr::PairKindName(p.kind)},
           {"via", p.via.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.via)}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  size_t direct = 0;
  size_t pivot = 0;
  for (const tr::PairInfo& p : pairs) {
    std::string kind(tr::PairKindName(p.kind));
    if (p.kind == tr::PairKind::kPivot) kind += " via " + p.via;
    direct += p.kind == tr::PairKind::kDirect ? 1 : 0;
    pivot += p.kind == tr::PairKind::kPivot ? 1 : 0;
    std::string pair = p.from + " -> " + p.to;
    pair.resize(std::max<size_t>(pair.size(), 20), ' ');
    std::string engine = p.engine.empty() ? "-" : p.engine;
    engine.resize(std::max<size_t>(engine.size(), 16), ' ');
    std::cout << pair << engine << kind << "\n";
  }
  std::cout << pairs.size() << " pairs: " << direct << " direct, " << pivot << " pivoted, "
            << pairs.size() - direct - pivot << " unavailable\n";
  return 0;
}

int RunTranslate(const TranslateOptions& opts) {
  auto router = BuildRouter(opts);
  if (!router.ok()) {
    std::cerr << "meridian: " << router.status().message() << "\n";
    return 2;
  }
  if (opts.pairs) return RunPairs(**router, opts.json);
  if (opts.from.empty() || opts.to.empty()) {
    std::cerr << "meridian: translate needs --from and --to (or --pairs)\n";
    return 2;
  }
  tr::RouteOptions route;
  route.engine = opts.engine;
  route.account = opts.glossary_file.empty() ? "" : "cli";
  if (opts.from != opts.to) {
    bool supported = false;
    for (const std::string& name : (*router)->EngineNames()) {
      if (!route.engine.empty() && name != route.engine) continue;
      supported |= (*router)->Engine(name)->Supports(opts.from, opts.to);
    }
    if (!supported) {
      std::cerr << "meridian: no engine translates " << opts.from << "->" << opts.to
                << (route.engine.empty() ? "" : " with " + route.engine)
                << " (see `meridian translate --pairs`)\n";
      return 2;
    }
  }
  std::unique_ptr<tr::JsonlMemoryStore> store;
  std::unique_ptr<tr::TranslationMemory> memory;
  if (!opts.memory_file.empty()) {
    store = std::make_unique<tr::JsonlMemoryStore>(opts.memory_file);
    memory = std::make_unique<tr::TranslationMemory>(store.get());
    if (Status s = memory->Load(); !s.ok()) {
      std::cerr << "meridian: " << s.message() << "\n";
      return 2;
    }
    (*router)->SetMemory(memory.get());
  }
  int rc = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto t = (*router)->Translate(line, opts.from, opts.to, route);
    if (t.ok()) {
      std::cout << t->text << std::endl;  // flush per line
    } else {
      std::cerr << "meridian: " << t.status().message() << "\n";
      std::cout << std::endl;  // keep one output line per input line
      rc = 1;
    }
  }
  return rc;
}

}  // namespace

void RegisterTranslateCommands(CLI::App& root, CommandContext ctx) {
  auto opts = std::make_shared<TranslateOptions>();
  CLI::App* cmd = root.add_subcommand(
      "translate", "Translate stdin line by line, or list the language pairs (--pairs)");
  cmd->add_option("--from", opts->from, "Source language (ISO 639-1, e.g. en)");
  cmd->add_option("--to", opts->to, "Target language (e.g. es, zh-Hant, zh-TW)");
  cmd->add_option("--engine", opts->engine,
                  "apertium | opencc | libretranslate | deepl | google | openai (default: the "
                  "first engine that supports the pair)");
  cmd->add_option("--api-base", opts->api_base, "Base URL of the --engine's API");
  cmd->add_option("--api-key", opts->api_key, "API key of the --engine");
  cmd->add_option("--model", opts->model, "Model name for --engine openai");
  cmd->add_option("--timeout-ms", opts->timeout_ms, "Per-request timeout")->capture_default_str();
  cmd->add_option("--glossary", opts->glossary_file, "Glossary JSON (docs/translation.md)");
  cmd->add_option("--memory", opts->memory_file, "Translation memory JSON-lines file");
  cmd->add_flag("--pairs", opts->pairs, "List every pair: engine, direct / pivot / unavailable");
  cmd->add_flag("--json", opts->json, "With --pairs: a JSON array");
  AddDataOption(*cmd, ctx.global);
  cmd->callback([opts, ctx] { *ctx.exit_code = RunTranslate(*opts); });
}

}  // namespace meridian::app
