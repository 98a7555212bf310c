// Hunspell suffix expansion for the langid trainer (affix.h).
#include "nlp/langid/affix.h"

#include <unicode/utf8.h>

#include <sstream>

#include "nlp/langid/text.h"

namespace meridian::nlp::langid_internal {
namespace {

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string f;
  while (in >> f) out.push_back(f);
  return out;
}

}  // namespace

std::u32string Utf8ToU32(const std::string& s) {
  std::u32string out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0) out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

bool SuffixRules::CharSet::Matches(char32_t c) const {
  if (any) return true;
  const bool in = chars.find(c) != std::u32string::npos;
  return negated ? !in : in;
}

SuffixRules SuffixRules::Parse(const std::string& aff_utf8) {
  SuffixRules out;
  std::istringstream in(aff_utf8);
  std::string line;
  std::map<std::string, int> remaining;  // rule lines still expected per flag header
  while (std::getline(in, line)) {
    const std::vector<std::string> f = Fields(line);
    if (f.size() >= 2 && f[0] == "FLAG") {
      if (f[1] == "long") out.flag_type_ = FlagType::kLong;
      if (f[1] == "num") out.flag_type_ = FlagType::kNum;
      continue;
    }
    if (f.size() < 4 || f[0] != "SFX") continue;
    if (remaining[f[1]] == 0) {  // header: SFX flag cross count
      remaining[f[1]] = std::atoi(f[3].c_str());
      continue;
    }
    --remaining[f[1]];
    Rule rule;
    if (f[2] != "0") rule.strip = Utf8ToU32(f[2]);
    std::string add = f[3];
    if (size_t slash = add.find('/'); slash != std::string::npos) add.resize(slash);
    if (add != "0") rule.add = Utf8ToU32(add);
    const std::u32string cond = f.size() >= 5 ? Utf8ToU32(f[4]) : U".";
    for (size_t i = 0; i < cond.size(); ++i) {
      CharSet set;
      if (cond[i] == U'.') {
        set.any = true;
      } else if (cond[i] == U'[') {
        size_t j = i + 1;
        if (j < cond.size() && cond[j] == U'^') {
          set.negated = true;
          ++j;
        }
        while (j < cond.size() && cond[j] != U']') set.chars.push_back(cond[j++]);
        i = j;
      } else {
        set.chars.push_back(cond[i]);
      }
      rule.condition.push_back(set);
    }
    if (rule.condition.size() == 1 && rule.condition[0].any) rule.condition.clear();
    out.rules_[Utf8ToU32(f[1])].push_back(std::move(rule));
  }
  return out;
}

size_t SuffixRules::rule_count() const {
  size_t n = 0;
  for (const auto& [flag, rules] : rules_) n += rules.size();
  return n;
}

std::vector<std::u32string> SuffixRules::SplitFlags(const std::u32string& flags) const {
  std::vector<std::u32string> out;
  switch (flag_type_) {
    case FlagType::kChar:
      for (char32_t c : flags) out.push_back(std::u32string(1, c));
      break;
    case FlagType::kLong:
      for (size_t i = 0; i + 1 < flags.size(); i += 2) out.push_back(flags.substr(i, 2));
      break;
    case FlagType::kNum: {
      std::u32string cur;
      for (char32_t c : flags) {
        if (c == U',') {
          if (!cur.empty()) out.push_back(cur);
          cur.clear();
        } else {
          cur.push_back(c);
        }
      }
      if (!cur.empty()) out.push_back(cur);
      break;
    }
  }
  return out;
}

std::vector<std::u32string> SuffixRules::Expand(const std::u32string& entry, size_t limit) const {
  std::vector<std::u32string> out;
  std::u32string word = entry;
  std::u32string flags;
  // "word/FLAGS  morphology": the flags end at the first blank or tab.
  if (size_t cut = word.find_first_of(U" \t"); cut != std::u32string::npos) word.resize(cut);
  if (size_t slash = word.find(U'/'); slash != std::u32string::npos && slash > 0) {
    flags = word.substr(slash + 1);
    word.resize(slash);
  }
  if (word.empty() || limit == 0) return out;
  out.push_back(word);
  for (const std::u32string& flag : SplitFlags(flags)) {
    auto it = rules_.find(flag);
    if (it == rules_.end()) continue;
    for (const Rule& rule : it->second) {
      if (out.size() >= limit) return out;
      if (word.size() < rule.strip.size() || word.size() < rule.condition.size()) continue;
      if (word.compare(word.size() - rule.strip.size(), rule.strip.size(), rule.strip) != 0) {
        continue;
      }
      bool match = true;
      const size_t base = word.size() - rule.condition.size();
      for (size_t k = 0; k < rule.condition.size() && match; ++k) {
        match = rule.condition[k].Matches(word[base + k]);
      }
      if (!match) continue;
      out.push_back(word.substr(0, word.size() - rule.strip.size()) + rule.add);
    }
  }
  return out;
}

}  // namespace meridian::nlp::langid_internal
