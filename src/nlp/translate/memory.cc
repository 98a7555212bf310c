#include "nlp/translate/memory.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

namespace meridian::nlp::translate {
namespace {

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::u32string FoldedCodePoints(std::string_view s) {
  std::string collapsed = CollapseSpaces(s);
  std::u32string out;
  const auto* p = reinterpret_cast<const uint8_t*>(collapsed.data());
  int32_t len = static_cast<int32_t>(collapsed.size());
  int32_t i = 0;
  while (i < len) {
    UChar32 c = 0;
    U8_NEXT(p, i, len, c);
    out.push_back(static_cast<char32_t>(c < 0 ? 0xFFFD : u_foldCase(c, U_FOLD_CASE_DEFAULT)));
  }
  return out;
}

// Levenshtein distance, giving up (returning max_dist + 1) once it must exceed max_dist.
size_t BoundedLevenshtein(const std::u32string& a, const std::u32string& b, size_t max_dist) {
  std::vector<size_t> prev(b.size() + 1);
  std::vector<size_t> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max_dist) return max_dist + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<uint64_t> Bigrams(const std::u32string& s) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    out.push_back((static_cast<uint64_t>(s[i]) << 32) | static_cast<uint64_t>(s[i + 1]));
  }
  std::sort(out.begin(), out.end());
  return out;
}

size_t CommonCount(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t i = 0;
  size_t j = 0;
  size_t n = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n;
      ++i;
      ++j;
    }
  }
  return n;
}

double ScoreOf(const std::u32string& a, const std::vector<uint64_t>& a_bigrams,
               const std::u32string& b, const std::vector<uint64_t>& b_bigrams, double min_score) {
  size_t longest = std::max(a.size(), b.size());
  if (longest == 0) return 1.0;
  size_t shortest = std::min(a.size(), b.size());
  double length_bound = static_cast<double>(shortest) / static_cast<double>(longest);
  if (length_bound < min_score) return 0;
  auto max_dist = static_cast<size_t>((1.0 - min_score) * static_cast<double>(longest));
  // q-gram lemma: strings within edit distance k share at least max_len - 1 - 2k bigrams.
  if (longest > 1 + 2 * max_dist &&
      CommonCount(a_bigrams, b_bigrams) < longest - 1 - 2 * max_dist) {
    return 0;
  }
  size_t d = BoundedLevenshtein(a, b, max_dist);
  if (d > max_dist) return 0;
  return 1.0 - static_cast<double>(d) / static_cast<double>(longest);
}

}  // namespace

double Similarity(std::string_view a, std::string_view b) {
  std::u32string fa = FoldedCodePoints(a);
  std::u32string fb = FoldedCodePoints(b);
  size_t longest = std::max(fa.size(), fb.size());
  if (longest == 0) return 1.0;
  size_t d = BoundedLevenshtein(fa, fb, longest);
  return 1.0 - static_cast<double>(d) / static_cast<double>(longest);
}

// ---------------------------------------------------------------------------------------------

Status JsonlMemoryStore::Save(const TmSegment& s) {
  std::lock_guard<std::mutex> lock(mu_);
  std::ofstream out(path_, std::ios::app);
  if (!out) return Status::Internal("translation memory: cannot write " + path_);
  nlohmann::json j = {{"from", s.from},
                      {"to", s.to},
                      {"source", s.source},
                      {"target", s.target},
                      {"approved", s.approved}};
  out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return out ? Status::Ok() : Status::Internal("translation memory: write failed");
}

Result<std::vector<TmSegment>> JsonlMemoryStore::LoadAll() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<TmSegment> out;
  std::ifstream in(path_);
  if (!in) return out;  // no file yet: an empty memory
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("source") || !j.contains("target") ||
        !j["source"].is_string() || !j["target"].is_string()) {
      return Status::InvalidArgument(
          "translation memory " + path_ + ": line " + std::to_string(number) + " is not a segment",
          "invalid_memory");
    }
    out.push_back({j.value("from", ""), j.value("to", ""), j["source"].get<std::string>(),
                   j["target"].get<std::string>(), j.value("approved", false)});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

std::string NormalizeSource(std::string_view source) { return CollapseSpaces(source); }

bool TranslationMemory::Remove(std::string_view from, std::string_view to,
                               std::string_view source) {
  std::lock_guard<std::mutex> lock(mu_);
  auto b = index_.find({std::string(from), std::string(to)});
  if (b == index_.end()) return false;
  auto it = b->second.find(CollapseSpaces(source));
  if (it == b->second.end()) return false;
  b->second.erase(it);
  return true;
}

Status TranslationMemory::Load() {
  if (store_ == nullptr) return Status::Ok();
  MERIDIAN_ASSIGN_OR_RETURN(std::vector<TmSegment> all, store_->LoadAll());
  std::lock_guard<std::mutex> lock(mu_);
  for (TmSegment& s : all) AddLocked(std::move(s));
  return Status::Ok();
}

void TranslationMemory::AddLocked(TmSegment segment) {
  std::string key = CollapseSpaces(segment.source);
  auto& bucket = index_[{segment.from, segment.to}];
  auto it = bucket.find(key);
  if (it != bucket.end() && it->second.segment.approved && !segment.approved) return;
  Entry e{std::move(segment), {}};
  e.folded = FoldedCodePoints(key);
  e.bigrams = Bigrams(e.folded);
  bucket.insert_or_assign(std::move(key), std::move(e));
}

Status TranslationMemory::Add(TmSegment segment) {
  if (CollapseSpaces(segment.source).empty() || segment.from.empty() || segment.to.empty()) {
    return Status::InvalidArgument("translation memory: a segment needs from, to and source",
                                   "invalid_segment");
  }
  if (store_ != nullptr) MERIDIAN_RETURN_IF_ERROR(store_->Save(segment));
  std::lock_guard<std::mutex> lock(mu_);
  AddLocked(std::move(segment));
  return Status::Ok();
}

std::optional<TmMatch> TranslationMemory::Exact(std::string_view from, std::string_view to,
                                                std::string_view source) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto b = index_.find({std::string(from), std::string(to)});
  if (b == index_.end()) return std::nullopt;
  auto it = b->second.find(CollapseSpaces(source));
  if (it == b->second.end()) return std::nullopt;
  return TmMatch{it->second.segment, 1.0, true};
}

std::vector<TmMatch> TranslationMemory::Fuzzy(std::string_view from, std::string_view to,
                                              std::string_view source, double min_score,
                                              size_t limit) const {
  std::vector<TmMatch> out;
  std::string key = CollapseSpaces(source);
  std::u32string folded = FoldedCodePoints(key);
  std::vector<uint64_t> bigrams = Bigrams(folded);
  std::lock_guard<std::mutex> lock(mu_);
  auto b = index_.find({std::string(from), std::string(to)});
  if (b == index_.end()) return out;
  for (const auto& [k, entry] : b->second) {
    bool exact = k == key;
    double score = exact ? 1.0 : ScoreOf(folded, bigrams, entry.folded, entry.bigrams, min_score);
    if (score >= min_score && score > 0) out.push_back({entry.segment, score, exact});
  }
  std::sort(out.begin(), out.end(), [](const TmMatch& a, const TmMatch& b2) {
    if (a.score != b2.score) return a.score > b2.score;
    return a.segment.approved && !b2.segment.approved;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

size_t TranslationMemory::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [k, bucket] : index_) n += bucket.size();
  return n;
}

}  // namespace meridian::nlp::translate
