#pragma once
// A per-account glossary: do-not-translate terms (brand and product names, SKUs) and forced term
// translations per language pair. Both are applied by protect.h as placeholders, so they hold
// through every engine.
//
// Matching is case-insensitive (Unicode simple case folding per code point), unless the term is
// marked case-sensitive (then "Apple" the brand is not "apple" the fruit), at word boundaries
// (a boundary is any code point that is not a letter, digit or '_'). Inflection: a term also
// matches with the plural endings of the source language (en/es/pt/ca/gl/fr/ro: +s, +es; en also
// +'s; it: final -o/-a -> -i/-e; de: +e, +en, +n, +s, +er). A forced term matched in a plural
// form is replaced by its target's plural: `target_plural` when given, else a regular plural of
// the target language (en: +s/+es, es/pt/ca/gl/ro: vowel +s, consonant +es, fr: +s, it: -o/-a ->
// -i/-e, others: unchanged).

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace meridian::nlp::translate {

struct ForcedTerm {
  std::string from;  // language pair the term applies to
  std::string to;
  std::string source;
  std::string target;
  std::string target_plural;  // optional
  bool case_sensitive = false;
};

struct DoNotTranslateTerm {
  std::string term;
  bool case_sensitive = false;
};

class Glossary {
 public:
  void AddDoNotTranslate(std::string term, bool case_sensitive = false);
  void AddForced(ForcedTerm term);
  const std::vector<DoNotTranslateTerm>& do_not_translate() const { return dnt_; }
  std::vector<const ForcedTerm*> ForcedFor(std::string_view from, std::string_view to) const;
  bool empty() const { return dnt_.empty() && forced_.empty(); }

  // {"do_not_translate": ["Meridian", ...],
  //  "forced": [{"from": "en", "to": "es", "source": "gift card", "target": "tarjeta regalo",
  //              "target_plural": "tarjetas regalo", "case_sensitive": false}, ...]}
  // A do-not-translate entry may also be {"term": "Apple", "case_sensitive": true}.
  static Result<Glossary> FromJson(std::string_view json);

 private:
  std::vector<DoNotTranslateTerm> dnt_;
  std::vector<ForcedTerm> forced_;
};

// The plural endings a term may carry in `lang` (see above), and a regular plural of `word`.
std::vector<std::string> PluralSuffixes(std::string_view lang);
std::string RegularPlural(std::string_view word, std::string_view lang);

}  // namespace meridian::nlp::translate
