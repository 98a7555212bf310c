#pragma once
// Translation memory: segment pairs (from, to, source, target, approved by a human). Exact
// matches are reused without calling an engine; fuzzy matches at or above a threshold (0.75 by
// default) are offered with their score.
//
// Similarity is character-level: 1 - Levenshtein(a, b) / max(|a|, |b|) over Unicode code points
// of the two sources after case folding and whitespace collapsing. Exact matching uses the
// whitespace-collapsed source as written (case-sensitive). The index is in memory; a
// TranslationMemoryStore persists it (JsonlMemoryStore here for the command line;
// service::StoreMemoryBackend on the store for the server).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/status.h"

namespace meridian::nlp::translate {

struct TmSegment {
  std::string from;
  std::string to;
  std::string source;
  std::string target;
  bool approved = false;  // edited or approved by a human
};

struct TmMatch {
  TmSegment segment;
  double score = 0;  // 1.0 for exact matches
  bool exact = false;
};

// The persistence hook. Save is called for every Add; LoadAll once by Load().
class TranslationMemoryStore {
 public:
  virtual ~TranslationMemoryStore() = default;
  virtual Status Save(const TmSegment& segment) = 0;
  virtual Result<std::vector<TmSegment>> LoadAll() = 0;
};

// A store in a JSON-lines file (one segment per line, later lines win). For the CLI and tests.
class JsonlMemoryStore : public TranslationMemoryStore {
 public:
  explicit JsonlMemoryStore(std::string path) : path_(std::move(path)) {}
  Status Save(const TmSegment& segment) override;
  Result<std::vector<TmSegment>> LoadAll() override;

 private:
  std::string path_;
  std::mutex mu_;
};

// Character-level similarity in [0, 1] as described above.
double Similarity(std::string_view a, std::string_view b);

// The key a source is stored and matched under: runs of whitespace collapsed to one space,
// leading and trailing whitespace removed.
std::string NormalizeSource(std::string_view source);

class TranslationMemory {
 public:
  explicit TranslationMemory(TranslationMemoryStore* store = nullptr) : store_(store) {}

  // Loads every segment of the store into the index.
  Status Load();
  // Adds or replaces the segment for (from, to, source). A segment not approved by a human
  // never replaces one that is. Saved to the store when there is one.
  Status Add(TmSegment segment);
  // Forgets the segment for (from, to, source) (the index only: the caller deletes it from its
  // store). Returns whether there was one.
  bool Remove(std::string_view from, std::string_view to, std::string_view source);
  std::optional<TmMatch> Exact(std::string_view from, std::string_view to,
                               std::string_view source) const;
  // Best matches first, at most `limit`, each with score >= min_score (exact ones included).
  std::vector<TmMatch> Fuzzy(std::string_view from, std::string_view to, std::string_view source,
                             double min_score = 0.75, size_t limit = 5) const;
  size_t size() const;

 private:
  struct Entry {
    TmSegment segment;
    std::u32string folded;          // for fuzzy matching
    std::vector<uint64_t> bigrams;  // sorted character bigrams of `folded` (q-gram filter)
  };
  void AddLocked(TmSegment segment);

  TranslationMemoryStore* store_;
  mutable std::mutex mu_;
  // (from, to) -> normalized source -> entry
  std::map<std::pair<std::string, std::string>, std::map<std::string, Entry, std::less<>>> index_;
};

}  // namespace meridian::nlp::translate
