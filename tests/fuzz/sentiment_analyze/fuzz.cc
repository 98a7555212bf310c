// Fuzz target for nlp/sentiment: Analyze any bytes in every loaded language and guessed; the
// polarity stays in [-1, 1] and agrees with the label, emotions stay in [0, 1], and a trend over
// the scores is finite.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/resources.h"
#include "nlp/sentiment/sentiment.h"

namespace {

void Check(const meridian::nlp::SentimentScore& s) {
  using meridian::nlp::SentimentAnalyzer;
  using meridian::nlp::SentimentLabel;
  if (!(s.polarity >= -1 && s.polarity <= 1)) std::abort();
  bool negative = s.polarity <= -SentimentAnalyzer::kNeutralBand;
  bool positive = s.polarity >= SentimentAnalyzer::kNeutralBand;
  if ((s.label == SentimentLabel::kNegative) != negative) std::abort();
  if ((s.label == SentimentLabel::kPositive) != positive) std::abort();
  for (double e : {s.emotions.anger, s.emotions.frustration, s.emotions.anxiety,
                   s.emotions.satisfaction, s.emotions.urgency}) {
    if (!(e >= 0 && e <= 1)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::nlp;
  static const auto* const kAnalyzer =
      SentimentAnalyzer::Load(meridian::DataDir() / "sentiment").value().release();
  static const std::vector<std::string> kLanguages = kAnalyzer->Languages();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<SentimentScore> scores;
  scores.push_back(kAnalyzer->Analyze(text));
  scores.push_back(kAnalyzer->Analyze(text, kLanguages[size % kLanguages.size()]));
  for (const SentimentScore& s : scores) Check(s);
  ConversationTrend t = ComputeTrend(scores);
  if (!std::isfinite(t.slope) || !std::isfinite(t.anger_slope)) std::abort();
  return 0;
}
