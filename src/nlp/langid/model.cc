// Reading and writing langid.bin (model.h).
#include "nlp/langid/model.h"

#include <cstring>

namespace meridian::nlp::langid_internal {
namespace {

constexpr char kMagic[8] = {'M', 'L', 'A', 'N', 'G', 'I', 'D', '3'};

template <typename T>
void Put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

template <typename T>
void PutArray(std::string& out, const std::vector<T>& v) {
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T& v) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool Get(char* dst, size_t n) {
    if (bytes_.size() - pos_ < n) return false;
    std::memcpy(dst, bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  template <typename T>
  bool GetArray(std::vector<T>& v, size_t n) {
    if (n > (bytes_.size() - pos_) / sizeof(T)) return false;
    v.resize(n);
    std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace

std::string SerializeModel(const Model& model) {
  std::string out(kMagic, sizeof(kMagic));
  Put<uint32_t>(out, static_cast<uint32_t>(model.langs.size()));
  for (const std::string& lang : model.langs) {
    char code[4] = {};
    std::memcpy(code, lang.data(), std::min<size_t>(lang.size(), 4));
    out.append(code, 4);
  }
  for (int n = 0; n <= kMaxOrder; ++n) {
    for (size_t l = 0; l < model.langs.size(); ++l) Put<float>(out, model.unseen[n][l]);
  }
  Put<uint32_t>(out, static_cast<uint32_t>(model.ngram_keys.size()));
  Put<uint32_t>(out, static_cast<uint32_t>(model.postings.size()));
  PutArray(out, model.ngram_keys);
  PutArray(out, model.ngram_begin);
  PutArray(out, model.postings);
  Put<uint32_t>(out, static_cast<uint32_t>(model.word_keys.size()));
  PutArray(out, model.word_keys);
  PutArray(out, model.word_bits);
  return out;
}

Result<Model> ParseModel(std::string_view bytes) {
  const Status corrupt = Status::InvalidArgument("langid model is corrupt or truncated");
  Reader in(bytes);
  char magic[8];
  if (!in.Get(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) {
    return Status::InvalidArgument("not a langid model of this version (bad magic)");
  }
  Model model;
  uint32_t nlang = 0;
  if (!in.Get(nlang) || nlang == 0 || nlang > kMaxModelLangs) return corrupt;
  for (uint32_t l = 0; l < nlang; ++l) {
    char code[4];
    if (!in.Get(code, 4)) return corrupt;
    model.langs.emplace_back(code, strnlen(code, 4));
  }
  for (int n = 0; n <= kMaxOrder; ++n) {
    for (uint32_t l = 0; l < nlang; ++l) {
      if (!in.Get(model.unseen[n][l])) return corrupt;
    }
  }
  uint32_t nngram = 0;
  uint32_t npost = 0;
  uint32_t nword = 0;
  if (!in.Get(nngram) || !in.Get(npost) || !in.GetArray(model.ngram_keys, nngram) ||
      !in.GetArray(model.ngram_begin, static_cast<size_t>(nngram) + 1) ||
      !in.GetArray(model.postings, npost) || !in.Get(nword) ||
      !in.GetArray(model.word_keys, nword) || !in.GetArray(model.word_bits, nword) || !in.AtEnd()) {
    return corrupt;
  }
  // The identifier indexes postings through ngram_begin and languages through lang: check
  // both once here instead of on every look-up.
  if (model.ngram_begin.front() != 0 || model.ngram_begin.back() != npost) return corrupt;
  for (size_t i = 0; i + 1 < model.ngram_begin.size(); ++i) {
    if (model.ngram_begin[i] > model.ngram_begin[i + 1]) return corrupt;
  }
  for (const Posting& p : model.postings) {
    if (p.lang >= nlang) return corrupt;
  }
  return model;
}

}  // namespace meridian::nlp::langid_internal
