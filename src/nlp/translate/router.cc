#include "nlp/translate/router.h"

#include "nlp/translate/protect.h"

namespace meridian::nlp::translate {

std::optional<std::string> LruCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  items_.splice(items_.begin(), items_, it->second);
  return it->second->second;
}

void LruCache::Put(const std::string& key, std::string value) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    it->second->second = std::move(value);
    items_.splice(items_.begin(), items_, it->second);
    return;
  }
  items_.emplace_front(key, std::move(value));
  index_[key] = items_.begin();
  if (items_.size() > capacity_) {
    index_.erase(items_.back().first);
    items_.pop_back();
  }
}

size_t LruCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return items_.size();
}

// ---------------------------------------------------------------------------------------------

void Router::AddEngine(std::unique_ptr<TranslationEngine> engine) {
  engines_.push_back(std::move(engine));
}

TranslationEngine* Router::Engine(std::string_view name) const {
  for (const auto& e : engines_) {
    if (e->Name() == name) return e.get();
  }
  return nullptr;
}

std::vector<std::string> Router::EngineNames() const {
  std::vector<std::string> out;
  for (const auto& e : engines_) out.emplace_back(e->Name());
  return out;
}

void Router::SetChain(std::string_view from, std::string_view to,
                      std::vector<std::string> engines) {
  chains_[{std::string(from), std::string(to)}] = std::move(engines);
}

void Router::SetGlossary(std::string account, Glossary glossary) {
  auto shared = std::make_shared<const Glossary>(std::move(glossary));
  std::lock_guard<std::mutex> lock(glossary_mu_);
  glossaries_.insert_or_assign(std::move(account), std::move(shared));
}

std::vector<TranslationEngine*> Router::ChainFor(std::string_view from, std::string_view to,
                                                 const RouteOptions& options) const {
  std::vector<TranslationEngine*> out;
  if (!options.engine.empty()) {
    if (TranslationEngine* e = Engine(options.engine)) out.push_back(e);
    return out;
  }
  auto it = chains_.find({std::string(from), std::string(to)});
  const std::vector<std::string>* names = it != chains_.end() ? &it->second : nullptr;
  if (names == nullptr && !default_chain_.empty()) names = &default_chain_;
  if (names != nullptr) {
    for (const std::string& name : *names) {
      if (TranslationEngine* e = Engine(name)) out.push_back(e);
    }
    return out;
  }
  for (const auto& e : engines_) out.push_back(e.get());
  return out;
}

Result<std::string> Router::TranslateLine(std::string_view line, std::string_view from,
                                          std::string_view to, const RouteOptions& options,
                                          Translation& info) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return std::string(line);
  if (options.use_memory && memory_ != nullptr) {
    if (auto hit = memory_->Exact(from, to, line)) {
      info.engine = "memory";
      return hit->segment.target;
    }
  }
  std::shared_ptr<const Glossary> glossary;
  if (!options.account.empty()) {
    std::lock_guard<std::mutex> lock(glossary_mu_);
    auto g = glossaries_.find(options.account);
    if (g != glossaries_.end()) glossary = g->second;
  }
  MaskedText masked = Protect(line, glossary.get(), from, to);
  std::vector<TranslationEngine*> chain = ChainFor(from, to, options);
  if (chain.empty()) {
    return Status::NotFound("no translation engine named '" + options.engine + "'",
                            "unknown_engine");
  }
  std::string errors;
  bool any_supported = false;
  Status last;
  for (TranslationEngine* engine : chain) {
    if (!engine->Supports(from, to)) continue;
    any_supported = true;
    std::string key = std::string(engine->Name()) + '\x1f' + std::string(from) + '\x1f' +
                      std::string(to) + '\x1f' + masked.text;
    std::optional<std::string> cached = cache_.Get(key);
    std::string raw;
    if (cached) {
      raw = std::move(*cached);
      info.cached = true;
    } else {
      Result<std::vector<std::string>> r = engine->Translate({masked.text}, from, to);
      if (!r.ok() || r->size() != 1) {
        last = r.ok() ? Status::Internal(std::string(engine->Name()) + ": wrong number of results")
                      : r.status();
        if (!errors.empty()) errors += "; ";
        errors += last.message();
        continue;  // fall back to the next engine of the chain
      }
      raw = std::move(r->front());
      cache_.Put(key, raw);
    }
    if (info.engine.empty() || info.engine == "memory") info.engine = std::string(engine->Name());
    return Restore(raw, masked.spans);
  }
  if (!any_supported) {
    return Status::NotFound("no engine translates " + std::string(from) + "->" + std::string(to) +
                                " (run `meridian translate --pairs`)",
                            "unsupported_pair");
  }
  if (last.code() == StatusCode::kRateLimited) {
    return Status::RateLimited("every engine failed: " + errors, "engines_failed");
  }
  return Status::Unavailable("every engine failed: " + errors, "engines_failed");
}

Result<Translation> Router::Translate(std::string_view text, std::string_view from,
                                      std::string_view to, const RouteOptions& options) {
  Translation info;
  if (from == to) {
    info.text = std::string(text);
    info.engine = "identity";
    return info;
  }
  size_t start = 0;
  for (;;) {
    size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    MERIDIAN_ASSIGN_OR_RETURN(std::string out, TranslateLine(line, from, to, options, info));
    info.text += out;
    if (nl == std::string_view::npos) break;
    info.text += '\n';
    start = nl + 1;
  }
  if (options.fuzzy_suggestions > 0 && memory_ != nullptr) {
    info.suggestions = memory_->Fuzzy(from, to, text, 0.75, options.fuzzy_suggestions);
  }
  if (TranslationEngine* e = Engine(info.engine); e != nullptr) info.via = e->PivotFor(from, to);
  return info;
}

std::vector<PairInfo> Router::AllPairs(const std::vector<std::string>& languages) {
  std::map<std::string, std::vector<PairInfo>> by_engine;
  for (const auto& e : engines_) by_engine[std::string(e->Name())] = e->Pairs();
  std::vector<PairInfo> out;
  for (const std::string& a : languages) {
    for (const std::string& b : languages) {
      if (a == b) continue;
      PairInfo best{a, b, "", PairKind::kUnavailable, ""};
      for (TranslationEngine* e : ChainFor(a, b, {})) {
        for (const PairInfo& p : by_engine[std::string(e->Name())]) {
          if (p.from != a || p.to != b || p.kind == PairKind::kUnavailable) continue;
          // Prefer the first engine of the chain; within it, direct over pivot.
          if (best.kind == PairKind::kUnavailable ||
              (best.engine == p.engine && p.kind == PairKind::kDirect)) {
            best = p;
          }
        }
        if (best.kind != PairKind::kUnavailable) break;
      }
      out.push_back(std::move(best));
    }
  }
  return out;
}

}  // namespace meridian::nlp::translate
