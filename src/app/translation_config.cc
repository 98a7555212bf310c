#include "app/translation_config.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/resources.h"
#include "core/text.h"
#include "nlp/translate/http_engines.h"

namespace meridian::app {

namespace {

Status Bad(size_t i, const std::string& what) {
  return Status::InvalidArgument(fmt::format("translation config: engines[{}]: {}", i, what),
                                 "invalid_translation_config");
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Result<std::vector<RemoteEngineConfig>> ParseTranslationConfig(
    std::string_view text, const std::function<std::string(const std::string&)>& env) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("engines") ||
      !doc["engines"].is_array()) {
    return Status::InvalidArgument(
        "translation config: expected a JSON object with an \"engines\" array",
        "invalid_translation_config");
  }
  static const std::set<std::string> kNames = {"libretranslate", "deepl", "google", "openai"};
  std::vector<RemoteEngineConfig> out;
  std::set<std::string> seen;
  for (size_t i = 0; i < doc["engines"].size(); ++i) {
    const nlohmann::json& e = doc["engines"][i];
    if (!e.is_object()) return Bad(i, "must be an object");
    auto str = [&](const char* field) -> Result<std::string> {
      auto it = e.find(field);
      if (it == e.end() || it->is_null()) return std::string();
      if (!it->is_string()) return Bad(i, fmt::format("\"{}\" must be a string", field));
      return it->get<std::string>();
    };
    RemoteEngineConfig c;
    MERIDIAN_ASSIGN_OR_RETURN(c.name, str("name"));
    if (!kNames.contains(c.name)) {
      return Bad(i, "\"name\" must be libretranslate, deepl, google or openai");
    }
    if (!seen.insert(c.name).second) return Bad(i, "engine \"" + c.name + "\" is listed twice");
    MERIDIAN_ASSIGN_OR_RETURN(c.base_url, str("base_url"));
    MERIDIAN_ASSIGN_OR_RETURN(c.model, str("model"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string key_env, str("api_key_env"));
    MERIDIAN_ASSIGN_OR_RETURN(std::string key_file, str("api_key_file"));
    if (e.contains("api_key")) {
      return Bad(i, "keys are not written in the config: use \"api_key_env\" or \"api_key_file\"");
    }
    if (!key_env.empty()) {
      c.api_key = env(key_env);
      if (c.api_key.empty()) return Bad(i, "environment variable " + key_env + " is not set");
    } else if (!key_file.empty()) {
      auto key = ReadFile(key_file);
      if (!key) return Bad(i, "cannot read the key file " + key_file);
      c.api_key = Trimmed(*key);
    }
    if ((c.name == "deepl" || c.name == "google") && c.api_key.empty()) {
      return Bad(i, c.name + " needs a key (\"api_key_env\" or \"api_key_file\")");
    }
    if ((c.name == "libretranslate" || c.name == "openai") && c.base_url.empty()) {
      return Bad(i, c.name + " needs \"base_url\"");
    }
    if (auto it = e.find("timeout_ms"); it != e.end()) {
      if (!it->is_number_integer() || it->get<int>() <= 0) {
        return Bad(i, "\"timeout_ms\" must be a positive integer");
      }
      c.timeout_ms = it->get<int>();
    }
    if (auto it = e.find("pairs"); it != e.end()) {
      if (!it->is_array()) return Bad(i, "\"pairs\" must be an array of \"from-to\" strings");
      for (const auto& p : *it) {
        std::string s = p.is_string() ? p.get<std::string>() : "";
        // "en-de", "en-pt-BR", "zh-Hans-en": split at the first '-' that leaves two tags.
        bool ok = false;
        for (size_t dash = s.find('-'); dash != std::string::npos; dash = s.find('-', dash + 1)) {
          std::string from = s.substr(0, dash);
          std::string to = s.substr(dash + 1);
          if (text::IsLanguageTag(from) && text::IsLanguageTag(to) && to.size() <= 3) {
            c.pairs.emplace_back(from, to);
            ok = true;
            break;
          }
        }
        if (!ok) return Bad(i, "pair \"" + s + "\" is not \"from-to\" (e.g. \"en-de\")");
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<std::string>> AddRemoteEngines(nlp::translate::Router& router,
                                                  const std::vector<RemoteEngineConfig>& engines) {
  std::vector<std::string> offline = router.EngineNames();
  std::vector<std::string> added;
  for (const RemoteEngineConfig& c : engines) {
    nlp::translate::HttpEngineConfig cfg;
    cfg.base_url = c.base_url;
    cfg.api_key = c.api_key;
    cfg.model = c.model;
    cfg.timeout_ms = c.timeout_ms;
    MERIDIAN_ASSIGN_OR_RETURN(auto engine, nlp::translate::MakeHttpEngine(c.name, cfg, nullptr));
    router.AddEngine(std::move(engine));
    added.push_back(c.name);
  }
  // Pairs without a chain: the offline engines, then the remote ones configured for every pair
  // (an engine limited to some pairs is never used for others: it may be paid per character).
  std::vector<std::string> fallback = offline;
  for (const RemoteEngineConfig& c : engines) {
    if (c.pairs.empty()) fallback.push_back(c.name);
  }
  router.SetDefaultChain(fallback);
  // Per pair: the engines that name it (file order), then the offline ones, then the rest.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> chains;
  for (const RemoteEngineConfig& c : engines) {
    for (const auto& pair : c.pairs) chains[pair].push_back(c.name);
  }
  for (auto& [pair, chain] : chains) {
    for (const std::string& name : offline) chain.push_back(name);
    for (const RemoteEngineConfig& c : engines) {
      if (c.pairs.empty()) chain.push_back(c.name);
    }
    router.SetChain(pair.first, pair.second, chain);
  }
  return added;
}

}  // namespace meridian::app
