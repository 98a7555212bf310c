#pragma once
// Language identification (requirement LG1): which language a text is written in, from text
// alone (LanguageIdentifier::Detect), and which language a conversation is held in, from that
// text evidence plus what we already know (DecideLanguage).
//
// Quick use:
//   auto id = LanguageIdentifier::Load(LanguageIdentifier::DefaultModelDir());
//   LanguageDetection d = (*id)->Detect("Wo ist meine Bestellung?");
//   // d.lang == "de", d.confidence ~ 0.99, d.candidates == {{"de", 0.99}, {"nl", 0.01}}
//
// Languages: en de fr es it pt nl pl sv ru ar tr ja zh ko th vi id ms hi (ISO 639-1), "und"
// when the text holds too little evidence (no letters, digits or emoji only, "ok", "lol").
//
// How it works: the script decides first (Hangul -> ko, kana -> ja, Thai -> th, Devanagari ->
// hi, Arabic -> ar, Cyrillic -> ru). Latin text (13 languages) and Han-only text (zh vs ja) are
// scored by a naive Bayes model over character 1..5-grams of each word, plus word evidence:
// the word is in the language's dictionary, is one of its most frequent words, or is a
// dictionary word written without its diacritics. Longer text also gets CLD2's vote. Scores
// become probabilities with a softmax whose temperature was fitted on the development set
// (bench/langid), so confidences are roughly calibrated. Longer Latin text that CLD2 and the
// words' dictionary evidence both clearly assign to the same language skips the n-gram scoring
// (LangIdOptions::fast_path; it agrees with the full model on the test fixtures).
// The model (langid.bin) is built BY THE BUILD by `meridian_langid_train` from Debian word
// lists, hunspell dictionaries, Apertium's Malay/Indonesian analysers, gettext catalogs and the
// hand-written lists in data/langid/common/; nothing generated is committed.
//
// Thread-safety: a LanguageIdentifier is immutable after Load; Detect may be called from many
// threads at once. Detect never fails: any bytes are accepted (invalid UTF-8 is skipped).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace meridian::nlp {

inline constexpr std::string_view kUndetermined = "und";

struct LanguageGuess {
  std::string lang;  // ISO 639-1 code
  double confidence = 0;
};

struct LanguageDetection {
  std::string lang = std::string(kUndetermined);  // ISO 639-1 code or "und"
  double confidence = 0;                          // calibrated probability that `lang` is right
  std::vector<LanguageGuess> candidates;          // best first, at most 3, each >= 0.01
  size_t letters = 0;                             // letters seen: how much evidence there was
};

// Tuning knobs (the defaults are the fitted values; bench/langid varies them).
struct LangIdOptions {
  double ngram_scale = 0.1;     // weight of the n-gram log-likelihood
  double lexicon_bonus = 3.0;   // word is in the language's dictionary
  double common_bonus = 2.5;    // word is one of the language's most frequent words
  double frequent_bonus = 1.0;  // word is frequent in the language's running text
  double folded_bonus = 1.2;    // word is a dictionary word without its diacritics
  double cld2_bonus = 6.0;      // CLD2's reliable answer on text of >= cld2_min_letters
  size_t cld2_min_letters = 30;
  double temperature = 1.5;  // softmax temperature
  bool use_cld2 = true;
  // Fast path for Latin text of >= fast_min_letters letters: when CLD2 is reliable with at least
  // fast_min_percent of the text in one language and the words' dictionary evidence (no
  // n-grams) puts the same language first by at least fast_word_margin, that language is the
  // answer (confidence fast_confidence) and the n-gram scoring is skipped. Never for id/ms,
  // which CLD2 tells apart worse than the full model.
  bool fast_path = true;
  size_t fast_min_letters = 30;
  int fast_min_percent = 90;
  double fast_word_margin = 3.0;
  double fast_confidence = 0.99;
  // Below fast_min_letters, without CLD2: the dictionary evidence alone must lead by
  // fast_word_only_margin (0 = never).
  double fast_word_only_margin = 8.0;
  size_t fast_word_only_min_letters = 10;
};

class LanguageIdentifier {
 public:
  // <ShareDir()>/langid, where the build puts the model.
  static std::filesystem::path DefaultModelDir();

  // Loads langid.bin from `dir`. NotFound when it is missing (the build did not run the
  // trainer), InvalidArgument when it is corrupt.
  static Result<std::unique_ptr<LanguageIdentifier>> Load(const std::filesystem::path& dir,
                                                          LangIdOptions options = {});

  ~LanguageIdentifier();
  LanguageIdentifier(const LanguageIdentifier&) = delete;
  LanguageIdentifier& operator=(const LanguageIdentifier&) = delete;

  // The language of `text` with calibrated confidences; "und" (confidence 0, no candidates)
  // when there is no usable evidence. Only the first 16 KiB of a longer text are read.
  LanguageDetection Detect(std::string_view text) const;

  // The 20 supported codes.
  static const std::vector<std::string>& SupportedLanguages();

  void set_options(const LangIdOptions& options);

 private:
  struct Impl;
  explicit LanguageIdentifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ----- Conversation-level decision -------------------------------------------------------

struct WeightedLanguage {
  std::string lang;
  double weight = 1;  // e.g. the detection confidence, decayed for older messages
};

// What we know before reading the new message. Every field is optional (empty = unknown).
struct LanguagePriors {
  std::string conversation_language;  // the conversation's current (or agent-set) language
  bool conversation_language_set_by_agent = false;  // an agent override is never flipped
  std::vector<WeightedLanguage> history;            // languages of earlier messages, with weights
  std::string contact_language;                     // the contact's known language ("de", "pt-BR")
  std::string channel_locale;   // the channel's or widget's locale ("de-DE", "fr")
  std::string accept_language;  // the browser's Accept-Language header value
  std::string phone_number;     // E.164 ("+4915112345678"); its calling code counts
  std::string region;           // ISO 3166-1 alpha-2 region of the contact ("BR")
};

struct ConversationLanguage {
  std::string lang = std::string(kUndetermined);  // ISO 639-1 or "und" when nothing is known
  double confidence = 0;
  bool changed = false;                   // differs from priors.conversation_language
  std::vector<LanguageGuess> candidates;  // best first, at most 3
};

// Combines one message's detection with the priors. Short texts (a word or two) barely move an
// established language: "ok" or "Danke" in a German conversation keeps it German, while a clear
// sentence in another language switches it. Pure function.
ConversationLanguage DecideLanguage(const LanguageDetection& text, const LanguagePriors& priors);

// The ISO 639-1 part of a locale or language tag ("pt-BR" -> "pt", "zh_Hant_TW" -> "zh",
// "EN" -> "en"); "" when the tag is not one of the 20 supported languages.
std::string SupportedLanguageOf(std::string_view tag);

// The language most associated with a phone number's country calling code ("+49..." -> "de"),
// or "" when unknown / not a supported language.
std::string LanguageOfPhoneNumber(std::string_view e164);

// The main language of an ISO 3166-1 alpha-2 region ("BR" -> "pt"); "" when unknown.
std::string LanguageOfRegion(std::string_view region);

}  // namespace meridian::nlp
