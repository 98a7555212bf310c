#pragma once
// Server-side translation engines (LG3): `meridian serve --translation-config FILE` adds remote
// engines (LibreTranslate, DeepL, Google v2, OpenAI-compatible) to the offline ones, per language
// pair, with the offline chain as the fallback. docs/translation.md "Server engines".
//
// FILE is JSON:
//   {"engines": [{"name": "deepl", "base_url": "https://api.deepl.com", "api_key_env": "DEEPL_KEY",
//                 "api_key_file": "/run/secrets/deepl", "model": "", "timeout_ms": 8000,
//                 "pairs": ["en-de", "de-en"]}]}
// A key comes from the environment variable or the file named, never from FILE itself, and is
// never logged. An engine with `pairs` is tried first for those pairs (then the offline engines,
// then the remote engines without `pairs`) and never for other pairs; an engine without `pairs`
// is tried after the offline engines for every pair.

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "nlp/translate/router.h"

namespace meridian::app {

struct RemoteEngineConfig {
  std::string name;  // libretranslate | deepl | google | openai
  std::string base_url;
  std::string api_key;  // resolved from api_key_env / api_key_file
  std::string model;
  int timeout_ms = 15000;
  std::vector<std::pair<std::string, std::string>> pairs;  // (from, to); empty = every pair
};

// Parses FILE's text; InvalidArgument naming the offending field. `env` resolves variables
// (getenv by default).
Result<std::vector<RemoteEngineConfig>> ParseTranslationConfig(
    std::string_view json, const std::function<std::string(const std::string&)>& env);

// Adds the engines to `router` (after the offline ones it already has) and sets the chains of
// their pairs. Returns the names added.
Result<std::vector<std::string>> AddRemoteEngines(nlp::translate::Router& router,
                                                  const std::vector<RemoteEngineConfig>& engines);

}  // namespace meridian::app
