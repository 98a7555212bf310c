// Conversation trend (a recency-weighted least-squares slope over the customer's messages)
// and the macro-F1 used to evaluate the scorer.

#include <algorithm>
#include <cmath>

#include "nlp/sentiment/sentiment.h"

namespace meridian::nlp {
namespace {

constexpr size_t kWindow = 8;       // the last messages that count
constexpr double kDecay = 0.85;     // weight of a message relative to the next one
constexpr double kSlopeStep = 0.1;  // per message, for improving / worsening

// Weighted least-squares slope of ys over x = 0, 1, 2, ...
double Slope(const double* ys, const double* ws, size_t n) {
  double sw = 0, sx = 0, sy = 0;
  for (size_t i = 0; i < n; ++i) {
    sw += ws[i];
    sx += ws[i] * static_cast<double>(i);
    sy += ws[i] * ys[i];
  }
  double mx = sx / sw, my = sy / sw, num = 0, den = 0;
  for (size_t i = 0; i < n; ++i) {
    double dx = static_cast<double>(i) - mx;
    num += ws[i] * dx * (ys[i] - my);
    den += ws[i] * dx * dx;
  }
  return den > 0 ? num / den : 0;
}

}  // namespace

std::string_view TrendDirectionName(TrendDirection direction) {
  switch (direction) {
    case TrendDirection::kImproving:
      return "improving";
    case TrendDirection::kStable:
      return "stable";
    case TrendDirection::kWorsening:
      return "worsening";
  }
  return "stable";
}

double MacroF1(const SentimentConfusion& counts) {
  double sum = 0;
  for (size_t k = 0; k < 3; ++k) {
    int tp = counts[k][k], fp = 0, fn = 0;
    for (size_t o = 0; o < 3; ++o) {
      if (o == k) continue;
      fp += counts[o][k];
      fn += counts[k][o];
    }
    if (tp == 0) continue;
    double precision = 1.0 * tp / (tp + fp), recall = 1.0 * tp / (tp + fn);
    sum += 2 * precision * recall / (precision + recall);
  }
  return sum / 3;
}

ConversationTrend ComputeTrend(std::span<const SentimentScore> scores) {
  ConversationTrend t;
  if (scores.empty()) return t;
  size_t n = std::min(scores.size(), kWindow);
  std::span<const SentimentScore> last = scores.subspan(scores.size() - n);
  double pol[kWindow], anger[kWindow], w[kWindow];
  double sw = 0, sp = 0;
  for (size_t i = 0; i < n; ++i) {
    pol[i] = last[i].polarity;
    anger[i] = last[i].emotions.anger;
    w[i] = std::pow(kDecay, static_cast<double>(n - 1 - i));
    sw += w[i];
    sp += w[i] * pol[i];
  }
  t.last = pol[n - 1];
  t.mean = sp / sw;
  if (n < 2) return t;
  t.slope = Slope(pol, w, n);
  t.anger_slope = Slope(anger, w, n);
  if (t.slope <= -kSlopeStep || (t.anger_slope >= kSlopeStep && t.last < 0)) {
    t.direction = TrendDirection::kWorsening;
  } else if (t.slope >= kSlopeStep && t.anger_slope < kSlopeStep) {
    t.direction = TrendDirection::kImproving;
  }
  return t;
}

}  // namespace meridian::nlp
