// Reading and writing langid.bin (model.h).
#include "nlp/langid/model.h"

#include <cstring>

namespace meridian::nlp::langid_internal {
namespace {

constexpr char kMagic[8] = {'M', 'L', 'A', 'N', 'G', 'I', 'D', '2'};

template <typename T>
void Put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
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
  for (size_t i = 0; i < model.ngram_keys.size(); ++i) {
    Put<uint64_t>(out, model.ngram_keys[i]);
    const uint32_t begin = model.ngram_begin[i];
    const uint32_t end = model.ngram_begin[i + 1];
    Put<uint8_t>(out, static_cast<uint8_t>(end - begin));
    for (uint32_t p = begin; p < end; ++p) {
      Put<uint8_t>(out, model.postings[p].lang);
      Put<int16_t>(out, model.postings[p].delta);
    }
  }
  Put<uint32_t>(out, static_cast<uint32_t>(model.word_keys.size()));
  for (size_t i = 0; i < model.word_keys.size(); ++i) {
    Put<uint64_t>(out, model.word_keys[i]);
    Put<uint16_t>(out, model.word_bits[i].lexicon);
    Put<uint16_t>(out, model.word_bits[i].folded);
    Put<uint16_t>(out, model.word_bits[i].common);
    Put<uint16_t>(out, model.word_bits[i].frequent);
  }
  return out;
}

Result<Model> ParseModel(std::string_view bytes) {
  const Status corrupt = Status::InvalidArgument("langid model is corrupt or truncated");
  Reader in(bytes);
  char magic[8];
  if (!in.Get(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) {
    return Status::InvalidArgument("not a langid model (bad magic)");
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
  if (!in.Get(nngram) || nngram > bytes.size() / 9) return corrupt;
  model.ngram_keys.reserve(nngram);
  model.ngram_begin.reserve(nngram + 1);
  model.ngram_begin.push_back(0);
  for (uint32_t i = 0; i < nngram; ++i) {
    uint64_t key = 0;
    uint8_t count = 0;
    if (!in.Get(key) || !in.Get(count)) return corrupt;
    model.ngram_keys.push_back(key);
    for (uint8_t k = 0; k < count; ++k) {
      Posting p;
      if (!in.Get(p.lang) || !in.Get(p.delta) || p.lang >= nlang) return corrupt;
      model.postings.push_back(p);
    }
    model.ngram_begin.push_back(static_cast<uint32_t>(model.postings.size()));
  }
  uint32_t nword = 0;
  if (!in.Get(nword) || nword > bytes.size() / 16) return corrupt;
  model.word_keys.reserve(nword);
  model.word_bits.reserve(nword);
  for (uint32_t i = 0; i < nword; ++i) {
    uint64_t key = 0;
    WordBits bits;
    if (!in.Get(key) || !in.Get(bits.lexicon) || !in.Get(bits.folded) || !in.Get(bits.common) ||
        !in.Get(bits.frequent)) {
      return corrupt;
    }
    model.word_keys.push_back(key);
    model.word_bits.push_back(bits);
  }
  if (!in.AtEnd()) return corrupt;
  return model;
}

}  // namespace meridian::nlp::langid_internal
