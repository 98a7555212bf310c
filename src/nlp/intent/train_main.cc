// meridian_intent_train DATA_DIR OUT_DIR [KEY=VALUE...]: trains the intent model from
// DATA_DIR/<lang>.txt and DATA_DIR/<lang>_<part>.txt.
//
// Input format, per language file: a line "@intent_id" starts a section; every other non-blank
// line below it is one example text of that intent.
// Output: OUT_DIR/intent.bin (fastText) and OUT_DIR/intent.calib (temperature, threshold).
// Deterministic: fixed seed, one thread, examples shuffled with a fixed-seed generator.
//
// Steps: (1) train on 80 % of every (language, intent) group, (2) fit the softmax temperature
// (least negative log-likelihood) and the out-of-scope threshold (best accuracy) on the other
// 20 %, (3) train the final model on everything with the same settings.

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "nlp/intent/intent.h"

namespace {

struct Example {
  std::string lang;
  std::string intent;
  std::string normalized;
  int copies = 1;  // how many times the line goes into a training file
};

// Settings that may be overridden as KEY=VALUE arguments (for tuning experiments).
std::map<std::string, double> g_overrides;

double Setting(const std::string& key, double fallback) {
  auto it = g_overrides.find(key);
  return it == g_overrides.end() ? fallback : it->second;
}

std::vector<Example> ReadData(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Example> out;
  for (const auto& file : files) {
    std::ifstream in(file);
    // "en.txt" and "en_cs.txt" are both English: the language is the stem up to "_".
    std::string lang = file.stem().string();
    size_t underscore = lang.find('_');
    // <lang>.txt is written line by line and covers every intent; <lang>_<part>.txt files are
    // expanded from phrase specs and much larger, so each hand-written line counts more.
    int copies = underscore == std::string::npos ? static_cast<int>(Setting("hand_copies", 3)) : 1;
    lang = lang.substr(0, underscore);
    std::string intent;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      if (line[0] == '@') {
        intent = line.substr(1);
        while (!intent.empty() && intent.back() == ' ') intent.pop_back();
        continue;
      }
      if (intent.empty()) continue;
      std::string normalized = meridian::nlp::NormalizeForIntent(line);
      if (normalized.empty()) continue;
      out.push_back({lang, intent, std::move(normalized), std::max(1, copies)});
    }
  }
  return out;
}

void Shuffle(std::vector<const Example*>& v, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t i = v.size(); i > 1; --i) {
    size_t j = rng() % i;
    std::swap(v[i - 1], v[j]);
  }
}

void WriteTrainFile(const std::filesystem::path& path,
                    const std::vector<const Example*>& examples) {
  std::ofstream out(path);
  std::vector<const Example*> copies;
  for (const Example* e : examples) copies.insert(copies.end(), static_cast<size_t>(e->copies), e);
  Shuffle(copies, 7);
  for (const Example* e : copies) out << "__label__" << e->intent << ' ' << e->normalized << '\n';
}

fasttext::Args TrainArgs(const std::string& input) {
  fasttext::Args a;
  a.input = input;
  a.model = fasttext::model_name::sup;
  a.loss = fasttext::loss_name::softmax;
  a.dim = static_cast<int>(Setting("dim", 32));
  a.epoch = static_cast<int>(Setting("epoch", 15));
  a.lr = Setting("lr", 0.8);
  a.wordNgrams = static_cast<int>(Setting("ngrams", 2));
  a.minn = static_cast<int>(Setting("minn", 3));
  a.maxn = static_cast<int>(Setting("maxn", 6));
  a.bucket = static_cast<int>(Setting("bucket", 100000));
  a.minCount = 1;
  a.thread = 1;
  a.seed = 1;
  a.verbose = 0;
  return a;
}

// Log-probabilities of every label for one normalized text, indexed by label id.
std::vector<double> LogProbs(const fasttext::FastText& model, const std::string& normalized) {
  std::istringstream in(normalized + "\n");
  std::vector<int32_t> words;
  std::vector<int32_t> labels;
  model.getDictionary()->getLine(in, words, labels);
  fasttext::Predictions predictions;
  int32_t n = model.getDictionary()->nlabels();
  model.predict(n, words, predictions, 0.0);
  std::vector<double> out(static_cast<size_t>(n), -50.0);
  for (const auto& [lp, id] : predictions) out[static_cast<size_t>(id)] = lp;
  return out;
}

std::vector<double> Softmax(const std::vector<double>& log_p, double temperature) {
  double mx = *std::max_element(log_p.begin(), log_p.end()) / temperature;
  std::vector<double> p(log_p.size());
  double sum = 0;
  for (size_t i = 0; i < p.size(); ++i) sum += p[i] = std::exp(log_p[i] / temperature - mx);
  for (double& x : p) x /= sum;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: meridian_intent_train DATA_DIR OUT_DIR [dim=N epoch=N lr=X ...]\n";
    return 2;
  }
  for (int i = 3; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    if (eq != std::string::npos) g_overrides[arg.substr(0, eq)] = std::stod(arg.substr(eq + 1));
  }
  try {
    std::filesystem::path data_dir = argv[1];
    std::filesystem::path out_dir = argv[2];
    std::filesystem::create_directories(out_dir);
    std::vector<Example> data = ReadData(data_dir);
    if (data.empty()) {
      std::cerr << "meridian_intent_train: no examples in " << data_dir << "\n";
      return 1;
    }
    std::vector<const Example*> all, train, held;
    std::map<std::pair<std::string, std::string>, size_t> seen;
    for (const Example& e : data) {
      all.push_back(&e);
      size_t n = seen[{e.lang, e.intent}]++;
      (n % 5 == 4 ? held : train).push_back(&e);
    }

    // (1) + (2): calibrate on a held-out split.
    std::filesystem::path tmp = out_dir / "intent.train.txt";
    WriteTrainFile(tmp, train);
    fasttext::FastText probe;
    probe.train(TrainArgs(tmp.string()));
    auto dict = probe.getDictionary();
    std::vector<std::string> names;
    for (int32_t i = 0; i < dict->nlabels(); ++i) names.push_back(dict->getLabel(i).substr(9));
    std::vector<std::vector<double>> log_probs;
    std::vector<size_t> gold;
    for (const Example* e : held) {
      auto it = std::find(names.begin(), names.end(), e->intent);
      if (it == names.end()) continue;
      log_probs.push_back(LogProbs(probe, e->normalized));
      gold.push_back(static_cast<size_t>(it - names.begin()));
    }
    double best_t = 1.0, best_nll = 1e300;
    for (double t = 0.25; t <= 6.0; t += 0.05) {
      double nll = 0;
      for (size_t i = 0; i < gold.size(); ++i) {
        nll -= std::log(std::max(1e-12, Softmax(log_probs[i], t)[gold[i]]));
      }
      if (nll < best_nll) {
        best_nll = nll;
        best_t = t;
      }
    }
    auto oos = std::find(names.begin(), names.end(), "out_of_scope");
    size_t oos_id = static_cast<size_t>(oos - names.begin());
    double best_threshold = 0;
    size_t best_correct = 0;
    for (double th = 0.0; th <= 0.6; th += 0.01) {
      size_t correct = 0;
      for (size_t i = 0; i < gold.size(); ++i) {
        std::vector<double> p = Softmax(log_probs[i], best_t);
        size_t top = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
        if (p[top] < th && oos != names.end()) top = oos_id;
        if (top == gold[i]) ++correct;
      }
      // Prefer the highest threshold among equals: unsure answers are safer as out_of_scope.
      if (correct >= best_correct) {
        best_correct = correct;
        best_threshold = th;
      }
    }
    size_t raw_correct = 0;
    for (size_t i = 0; i < gold.size(); ++i) {
      const auto& lp = log_probs[i];
      if (static_cast<size_t>(std::max_element(lp.begin(), lp.end()) - lp.begin()) == gold[i]) {
        ++raw_correct;
      }
    }
    std::cerr << "meridian_intent_train: " << data.size() << " examples, " << names.size()
              << " intents; held-out accuracy " << raw_correct << "/" << gold.size()
              << ", temperature " << best_t << ", threshold " << best_threshold << " ("
              << best_correct << " correct)\n";

    if (Setting("probe_only", 0) != 0) return 0;

    // (3): the final model on everything.
    WriteTrainFile(tmp, all);
    fasttext::FastText model;
    model.train(TrainArgs(tmp.string()));
    model.saveModel((out_dir / "intent.bin").string());
    std::filesystem::remove(tmp);
    std::ofstream calib(out_dir / "intent.calib");
    calib << "temperature " << best_t << "\nthreshold " << best_threshold << "\n";
    return calib.good() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "meridian_intent_train: " << e.what() << "\n";
    return 1;
  }
}
