#pragma once
// Private to the langid trainer: a small reader of hunspell suffix rules, so that the lexicon
// holds inflected forms ("muchas", "estamos") and not only the stems a .dic file lists.
//
// Supported: SFX rules (one level; continuation classes are ignored), FLAG default / long /
// num / UTF-8, conditions made of literal characters, '.', [abc] and [^abc]. PFX rules are
// ignored. Input is UTF-8 (the caller converts from the .aff's SET charset).

#include <map>
#include <string>
#include <vector>

namespace meridian::nlp::langid_internal {

class SuffixRules {
 public:
  // Parses the text of a .aff file.
  static SuffixRules Parse(const std::string& aff_utf8);

  // The forms that `entry` ("word/FLAGS" as in a .dic line, flags optional) expands to, the bare
  // word first; at most `limit` forms.
  std::vector<std::u32string> Expand(const std::u32string& entry, size_t limit) const;

  size_t rule_count() const;

 private:
  struct CharSet {
    bool any = false;
    bool negated = false;
    std::u32string chars;
    bool Matches(char32_t c) const;
  };
  struct Rule {
    std::u32string strip;
    std::u32string add;
    std::vector<CharSet> condition;  // matched against the end of the word
  };
  enum class FlagType { kChar, kLong, kNum };

  std::vector<std::u32string> SplitFlags(const std::u32string& flags) const;

  FlagType flag_type_ = FlagType::kChar;
  std::map<std::u32string, std::vector<Rule>> rules_;
};

std::u32string Utf8ToU32(const std::string& s);

}  // namespace meridian::nlp::langid_internal
