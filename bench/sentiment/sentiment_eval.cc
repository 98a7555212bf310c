// sentiment_eval [FILE] [--guess] [--errors] [--band X]: macro-F1 (negative/neutral/positive)
// per language of a lang<TAB>label<TAB>text file (default: tests/fixtures/sentiment/dev.tsv).
// --band relabels by |polarity| < X instead of SentimentAnalyzer::kNeutralBand (for tuning it).

#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "nlp/sentiment/sentiment.h"

int main(int argc, char** argv) {
  using meridian::nlp::SentimentAnalyzer;
  std::string path = std::string(MERIDIAN_SOURCE_DIR) + "/tests/fixtures/sentiment/dev.tsv";
  bool guess = false, errors = false;
  double band = SentimentAnalyzer::kNeutralBand;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--guess") {
      guess = true;
    } else if (arg == "--errors") {
      errors = true;
    } else if (arg == "--band" && i + 1 < argc) {
      band = std::stod(argv[++i]);
    } else {
      path = arg;
    }
  }
  auto analyzer = SentimentAnalyzer::Load(std::string(MERIDIAN_SOURCE_DIR) + "/data/sentiment");
  if (!analyzer.ok()) {
    std::cerr << analyzer.status().ToString() << "\n";
    return 1;
  }
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return 1;
  }
  auto index = [](std::string_view l) { return l == "negative" ? 0 : l == "neutral" ? 1 : 2; };
  std::map<std::string, meridian::nlp::SentimentConfusion> confusion;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t t1 = line.find('\t'), t2 = line.find('\t', t1 + 1);
    if (t2 == std::string::npos) continue;
    std::string lang = line.substr(0, t1), gold = line.substr(t1 + 1, t2 - t1 - 1);
    std::string text = line.substr(t2 + 1);
    auto s = (*analyzer)->Analyze(text, guess ? "" : lang);
    std::string pred = s.polarity <= -band  ? "negative"
                       : s.polarity >= band ? "positive"
                                            : "neutral";
    confusion[lang][static_cast<size_t>(index(gold))][static_cast<size_t>(index(pred))]++;
    if (errors && pred != gold) {
      std::printf("%s\t%s->%s\t%+.2f\t%s\n", lang.c_str(), gold.c_str(), pred.c_str(), s.polarity,
                  text.c_str());
    }
  }
  double sum = 0;
  for (const auto& [lang, c] : confusion) {
    double f1 = meridian::nlp::MacroF1(c);
    std::printf("%s\t%.3f\n", lang.c_str(), f1);
    sum += f1;
  }
  if (!confusion.empty()) std::printf("mean\t%.3f\n", sum / static_cast<double>(confusion.size()));
  return 0;
}
