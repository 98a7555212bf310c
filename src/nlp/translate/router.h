#pragma once
// The Router turns text into a translation: per line, it reuses an exact translation-memory
// match, else masks protected spans and glossary terms (protect.h), asks the engines of the
// pair's chain in order (the first that supports the pair and answers wins; a failing engine
// falls through to the next), caches the answer (LRU keyed by engine, from, to, masked text) and
// restores the spans. Timeouts are the engines' own (HTTP timeout, Apertium pipeline timeout).

#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "nlp/translate/engine.h"
#include "nlp/translate/glossary.h"
#include "nlp/translate/memory.h"

namespace meridian::nlp::translate {

// A thread-safe LRU map from string keys to strings.
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}
  std::optional<std::string> Get(const std::string& key);
  void Put(const std::string& key, std::string value);
  size_t size() const;

 private:
  using Item = std::pair<std::string, std::string>;
  size_t capacity_;
  mutable std::mutex mu_;
  std::list<Item> items_;  // most recent first
  std::unordered_map<std::string, std::list<Item>::iterator> index_;
};

struct RouteOptions {
  std::string account;           // whose glossary applies ("" = none)
  std::string engine;            // use only this engine ("" = the pair's chain)
  bool use_memory = true;        // reuse exact translation-memory matches
  size_t fuzzy_suggestions = 0;  // how many fuzzy memory matches to return (0 = none)
};

struct Translation {
  std::string text;
  std::string engine;  // the engine that answered, "memory" for an exact memory match
  std::string via;     // pivot language, if the engine pivoted
  bool cached = false;
  std::vector<TmMatch> suggestions;  // fuzzy memory matches for the whole text
};

// Configure (AddEngine, SetChain, SetMemory) before use; after that Translate and AllPairs may be
// called from any number of threads. SetGlossary may be called at any time (a glossary edited
// live replaces the account's glossary for the translations that start after it).
class Router {
 public:
  explicit Router(size_t cache_capacity = 10000) : cache_(cache_capacity) {}

  // Engines are tried in the order added unless a chain says otherwise.
  void AddEngine(std::unique_ptr<TranslationEngine> engine);
  TranslationEngine* Engine(std::string_view name) const;
  std::vector<std::string> EngineNames() const;
  // The engines to try, in order, for one pair.
  void SetChain(std::string_view from, std::string_view to, std::vector<std::string> engines);
  // The engines to try for pairs without a chain of their own (default: every engine, in the
  // order added).
  void SetDefaultChain(std::vector<std::string> engines) { default_chain_ = std::move(engines); }
  void SetGlossary(std::string account, Glossary glossary);
  void SetMemory(TranslationMemory* memory) { memory_ = memory; }

  Result<Translation> Translate(std::string_view text, std::string_view from, std::string_view to,
                                const RouteOptions& options = {});

  // Every ordered pair of `languages` with the engine that would serve it (first of the chain
  // that supports it) and whether it is direct, pivoted or unavailable.
  std::vector<PairInfo> AllPairs(const std::vector<std::string>& languages);
  const LruCache& cache() const { return cache_; }

 private:
  std::vector<TranslationEngine*> ChainFor(std::string_view from, std::string_view to,
                                           const RouteOptions& options) const;
  Result<std::string> TranslateLine(std::string_view line, std::string_view from,
                                    std::string_view to, const RouteOptions& options,
                                    Translation& info);

  std::vector<std::unique_ptr<TranslationEngine>> engines_;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> chains_;
  std::vector<std::string> default_chain_;
  mutable std::mutex glossary_mu_;
  std::map<std::string, std::shared_ptr<const Glossary>, std::less<>> glossaries_;
  TranslationMemory* memory_ = nullptr;
  LruCache cache_;
};

}  // namespace meridian::nlp::translate
