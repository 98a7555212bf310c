#pragma once
// Sentiment and emotion (requirement AI3): how a customer feels, per message and across a
// conversation, so routing can put an angry or anxious customer in front of a human first.
//
// Quick use:
//   auto analyzer = SentimentAnalyzer::Load(DataDir() / "sentiment");
//   SentimentScore s = (*analyzer)->Analyze("This is NOT good!!!", "en");
//   // s.polarity < 0, s.label == SentimentLabel::kNegative, s.emotions.anger > 0.3
//   ConversationTrend t = ComputeTrend(scores_in_order);  // "worsening", slope < 0
//
// How a message is scored: lexicons and rules, no model. Each language has a word list written
// for Meridian (data/sentiment/lexicon/<lang>.tsv: words, inflections, slang, misspellings,
// with a valence in [-4, 4] and emotion tags) plus its negators, intensifiers, diminishers and
// contrast words; emoji and emoticons are shared (data/sentiment/emoji.tsv). Rules on top:
//   - negation ("not good", "pas bon", "accha nahi") flips and damps a word within 3 tokens,
//     before it or, for verb-final languages, after it;
//   - intensifiers/diminishers ("very", "sehr", "bahut", "un peu") scale the next word;
//   - ALL-CAPS words, elongation ("sooo", "graciasss") and "!!!" amplify;
//   - contrast ("but", "aber", "pero", "لكن") down-weights what came before it;
//   - "??"/"???" feed anxiety; caps and "!!!" feed anger and urgency;
//   - laughter of any length and script ("hahaha", "jajaja", "kkkkk", "ahahah", "mdr", "ههههه")
//     is mildly positive; @mentions and URLs score nothing; "#CamelCaseHashtags" are read as
//     words ("#NeverAgain" -> "never again");
//   - a message made only of questions ("any good dentist in Leeds?") is damped towards
//     neutral, and so is a headline: a link with no first/second person ("I", "you", "ich",
//     "je", "मैं"), no emoji, no laughter and no "!".
// Chinese and Japanese are segmented by longest match against their lexicons.
// The language is the caller's (an ISO 639-1 code) or, when empty or unknown, guessed from the
// script and from function words of the loaded languages.
//
// Thread-safety: a SentimentAnalyzer is immutable after Load; Analyze may be called from many
// threads at once. Analyze never fails: any bytes are accepted (invalid UTF-8 is skipped over).

#include <array>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace meridian::nlp {

enum class SentimentLabel { kNegative, kNeutral, kPositive };

// "negative", "neutral", "positive".
std::string_view SentimentLabelName(SentimentLabel label);

// Each in [0, 1]: how strongly the message shows the emotion (0 = no sign of it).
struct Emotions {
  double anger = 0;         // hostility, insults, shouting
  double frustration = 0;   // repeated failure, waiting, "still", "again", "ridiculous"
  double anxiety = 0;       // worry, uncertainty, "where is", "??"
  double satisfaction = 0;  // thanks, praise, relief
  double urgency = 0;       // "asap", "now", "TOMORROW", deadlines
};

struct SentimentScore {
  double polarity = 0;  // in [-1, 1]; below -kNeutralBand negative, above +kNeutralBand positive
  SentimentLabel label = SentimentLabel::kNeutral;
  Emotions emotions;
  std::string language;  // the lexicon used: the caller's code, the guess, or "" (all lexicons)
};

class SentimentAnalyzer {
 public:
  // |polarity| below this is labelled neutral (tuned on tests/fixtures/sentiment/dev.tsv).
  static constexpr double kNeutralBand = 0.25;

  // Reads <dir>/lexicon/*.tsv and <dir>/emoji.tsv (dir is normally DataDir() / "sentiment").
  // NotFound("sentiment_data_missing") when dir has no lexicon; InvalidArgument
  // ("bad_lexicon") names the file and line of a malformed entry.
  static Result<std::unique_ptr<SentimentAnalyzer>> Load(const std::filesystem::path& dir);

  ~SentimentAnalyzer();
  SentimentAnalyzer(const SentimentAnalyzer&) = delete;
  SentimentAnalyzer& operator=(const SentimentAnalyzer&) = delete;

  // Scores one message. `lang` is an ISO 639-1 code ("en", "pt", "zh"; a region suffix like
  // "pt-BR" is ignored); empty or not loaded -> guessed.
  SentimentScore Analyze(std::string_view text, std::string_view lang = {}) const;

  // The language Analyze would use for `text` when given none: a loaded language code, or ""
  // when nothing points to one (then every lexicon is consulted).
  std::string GuessLanguage(std::string_view text) const;

  // Loaded language codes, sorted.
  std::vector<std::string> Languages() const;

  // Number of scored entries (words and phrases, not function words) for `lang`; 0 if not loaded.
  size_t LexiconSize(std::string_view lang) const;

  struct Impl;

 private:
  explicit SentimentAnalyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Evaluation: counts[gold][predicted] over the three labels, indexed by SentimentLabel.
using SentimentConfusion = std::array<std::array<int, 3>, 3>;

// Mean over the three labels of F1 (0 for a label never predicted nor present).
double MacroF1(const SentimentConfusion& counts);

// Where a conversation is heading, from the customer's messages in order.
enum class TrendDirection { kImproving, kStable, kWorsening };

// "improving", "stable", "worsening".
std::string_view TrendDirectionName(TrendDirection direction);

struct ConversationTrend {
  TrendDirection direction = TrendDirection::kStable;
  double slope = 0;        // least-squares change in polarity per message (recency-weighted)
  double anger_slope = 0;  // the same for anger: > 0 means "getting angrier"
  double mean = 0;         // recency-weighted mean polarity
  double last = 0;         // polarity of the last message (0 when there is none)
};

// Fewer than 2 messages -> stable. Worsening when polarity falls (slope <= -0.1 per message)
// or anger rises (anger_slope >= 0.1) with a negative last message; improving when polarity
// rises by >= 0.1 per message and anger does not.
ConversationTrend ComputeTrend(std::span<const SentimentScore> scores);

}  // namespace meridian::nlp
