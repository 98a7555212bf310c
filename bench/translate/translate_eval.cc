// translate_eval [devset.tsv] [pair ...]: for each pair (default: every pair the dev set's
// columns allow), translates every sentence through the Router with warm Apertium pipelines
// and prints corpus chrF (character 6-grams, beta 2, whitespace removed, as sacreBLEU's chrF),
// corpus BLEU-4 (punctuation split off, brevity penalty), sentences/s and p50/p99 latency per
// message. Then measures translation-memory hit latency (exact, through the Router) and fuzzy
// lookup latency on a memory of 10,000 segments.
//
// The dev set: one message per line in tab-separated columns, named by a "#langs\ten\tes..."
// line (written for this benchmark: customer-service messages).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "nlp/translate/apertium.h"
#include "nlp/translate/memory.h"
#include "nlp/translate/router.h"

namespace tr = meridian::nlp::translate;
using Clock = std::chrono::steady_clock;

namespace {

std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

struct ChrfStats {
  std::vector<double> match = std::vector<double>(6, 0);
  std::vector<double> hyp = std::vector<double>(6, 0);
  std::vector<double> ref = std::vector<double>(6, 0);
};

void AddChrf(ChrfStats& st, const std::string& hyp, const std::string& ref) {
  auto strip = [](const std::string& s) {
    std::u32string out;
    for (char32_t c : Decode(s)) {
      if (c != ' ' && c != '\t') out.push_back(c);
    }
    return out;
  };
  std::u32string h = strip(hyp);
  std::u32string r = strip(ref);
  for (size_t n = 1; n <= 6; ++n) {
    std::map<std::u32string, int> hc;
    std::map<std::u32string, int> rc;
    for (size_t i = 0; i + n <= h.size(); ++i) ++hc[h.substr(i, n)];
    for (size_t i = 0; i + n <= r.size(); ++i) ++rc[r.substr(i, n)];
    double m = 0;
    for (const auto& [g, c] : hc) {
      auto it = rc.find(g);
      if (it != rc.end()) m += std::min(c, it->second);
    }
    st.match[n - 1] += m;
    st.hyp[n - 1] += h.size() >= n ? static_cast<double>(h.size() - n + 1) : 0;
    st.ref[n - 1] += r.size() >= n ? static_cast<double>(r.size() - n + 1) : 0;
  }
}

double Chrf(const ChrfStats& st) {
  double p = 0;
  double r = 0;
  for (size_t n = 0; n < 6; ++n) {
    p += st.hyp[n] > 0 ? st.match[n] / st.hyp[n] : 0;
    r += st.ref[n] > 0 ? st.match[n] / st.ref[n] : 0;
  }
  p /= 6;
  r /= 6;
  const double b2 = 4.0;  // beta = 2
  return p + r == 0 ? 0 : 100.0 * (1 + b2) * p * r / (b2 * p + r);
}

std::vector<std::string> Tokens(const std::string& s) {
  std::string spaced;
  for (char c : s) {
    if (std::ispunct(static_cast<unsigned char>(c)) != 0) {
      spaced += ' ';
      spaced += c;
      spaced += ' ';
    } else {
      spaced += c;
    }
  }
  // ¿ and ¡ (UTF-8 C2 BF, C2 A1) as their own tokens.
  for (const char* mark : {"\xC2\xBF", "\xC2\xA1"}) {
    for (size_t p = spaced.find(mark); p != std::string::npos; p = spaced.find(mark, p + 4)) {
      spaced.replace(p, 2, std::string(" ") + mark + " ");
    }
  }
  std::istringstream in(spaced);
  std::vector<std::string> out;
  std::string t;
  while (in >> t) out.push_back(t);
  return out;
}

struct BleuStats {
  std::vector<double> match = std::vector<double>(4, 0);
  std::vector<double> total = std::vector<double>(4, 0);
  double hyp_len = 0;
  double ref_len = 0;
};

void AddBleu(BleuStats& st, const std::string& hyp, const std::string& ref) {
  std::vector<std::string> h = Tokens(hyp);
  std::vector<std::string> r = Tokens(ref);
  st.hyp_len += static_cast<double>(h.size());
  st.ref_len += static_cast<double>(r.size());
  for (size_t n = 1; n <= 4; ++n) {
    std::map<std::vector<std::string>, int> hc;
    std::map<std::vector<std::string>, int> rc;
    for (size_t i = 0; i + n <= h.size(); ++i) ++hc[{h.begin() + i, h.begin() + i + n}];
    for (size_t i = 0; i + n <= r.size(); ++i) ++rc[{r.begin() + i, r.begin() + i + n}];
    for (const auto& [g, c] : hc) {
      auto it = rc.find(g);
      if (it != rc.end()) st.match[n - 1] += std::min(c, it->second);
      st.total[n - 1] += c;
    }
  }
}

double Bleu(const BleuStats& st) {
  double log_sum = 0;
  for (size_t n = 0; n < 4; ++n) {
    if (st.match[n] == 0 || st.total[n] == 0) return 0;
    log_sum += std::log(st.match[n] / st.total[n]);
  }
  double bp = st.hyp_len < st.ref_len ? std::exp(1 - st.ref_len / st.hyp_len) : 1.0;
  return 100.0 * bp * std::exp(log_sum / 4);
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : MERIDIAN_TRANSLATE_DEVSET;
  std::vector<std::string> langs;
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return 2;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("#langs\t", 0) == 0) {
      langs.clear();
      std::stringstream header(line.substr(7));
      std::string code;
      while (std::getline(header, code, '\t')) langs.push_back(code);
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, '\t')) cols.push_back(c);
    if (cols.size() != langs.size()) {
      std::cerr << "bad row (" << cols.size() << " columns): " << line << "\n";
      return 2;
    }
    rows.push_back(cols);
  }
  std::vector<std::pair<size_t, size_t>> pairs;
  for (int i = 2; i < argc; ++i) {
    std::string p = argv[i];
    auto a = std::find(langs.begin(), langs.end(), p.substr(0, p.find('-')));
    auto b = std::find(langs.begin(), langs.end(), p.substr(p.find('-') + 1));
    if (a == langs.end() || b == langs.end()) {
      std::cerr << "unknown pair " << p << "\n";
      return 2;
    }
    pairs.emplace_back(a - langs.begin(), b - langs.begin());
  }
  if (pairs.empty()) {
    for (size_t a = 0; a < langs.size(); ++a) {
      for (size_t b = 0; b < langs.size(); ++b) {
        if (a != b) pairs.emplace_back(a, b);
      }
    }
  }

  auto apertium = tr::ApertiumEngine::Create();
  if (!apertium.ok()) {
    std::cerr << apertium.status().ToString() << "\n";
    return 1;
  }
  tr::ApertiumEngine* engine = apertium->get();
  tr::Router router(0);  // no cache: every message goes through the pipeline
  router.AddEngine(std::move(apertium).value());

  std::cout << "sentences: " << rows.size() << "\n";
  std::cout << "pair   route      chrF   BLEU   sent/s   p50_ms  p99_ms\n";
  for (auto [a, b] : pairs) {
    const std::string& from = langs[a];
    const std::string& to = langs[b];
    std::vector<std::string> route = engine->Route(from, to);
    if (route.empty()) continue;
    // Warm up: start the pipelines and run a few messages.
    for (size_t i = 0; i < 5 && i < rows.size(); ++i) (void)router.Translate(rows[i][a], from, to);
    ChrfStats chrf;
    BleuStats bleu;
    std::vector<double> ms;
    auto start = Clock::now();
    for (const auto& row : rows) {
      auto t0 = Clock::now();
      auto t = router.Translate(row[a], from, to);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      std::string hyp = t.ok() ? t->text : "";
      AddChrf(chrf, hyp, row[b]);
      AddBleu(bleu, hyp, row[b]);
    }
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    std::string r = route.size() == 3 ? "via " + route[1] : "direct";
    std::printf("%s-%s  %-8s  %5.1f  %5.1f  %7.1f  %7.2f  %6.2f\n", from.c_str(), to.c_str(),
                r.c_str(), Chrf(chrf), Bleu(bleu), static_cast<double>(rows.size()) / secs,
                Percentile(ms, 0.5), Percentile(ms, 0.99));
  }

  // Translation memory: exact hits through the Router, fuzzy lookups on 10k segments.
  tr::TranslationMemory tm;
  for (const auto& row : rows) (void)tm.Add({"en", "es", row[0], row[1], true});
  for (size_t i = 0; tm.size() < 10000; ++i) {
    const auto& row = rows[i % rows.size()];
    (void)tm.Add({"en", "es", row[0] + " (ref " + std::to_string(i) + ")", row[1], false});
  }
  router.SetMemory(&tm);
  std::vector<double> hit_us;
  for (int rep = 0; rep < 5; ++rep) {
    for (const auto& row : rows) {
      auto t0 = Clock::now();
      auto t = router.Translate(row[0], "en", "es");
      hit_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      if (!t.ok() || t->engine != "memory") std::cerr << "memory miss: " << row[0] << "\n";
    }
  }
  std::vector<double> fuzzy_us;
  size_t offered = 0;
  for (const auto& row : rows) {
    std::string query = row[0];
    query.insert(query.size() / 2, "x");  // one edit away
    auto t0 = Clock::now();
    auto m = tm.Fuzzy("en", "es", query);
    fuzzy_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    offered += m.empty() ? 0 : 1;
  }
  std::printf("memory exact hit via Router (10k segments): p50 %.1f us, p99 %.1f us\n",
              Percentile(hit_us, 0.5), Percentile(hit_us, 0.99));
  std::printf("memory fuzzy lookup (10k segments): p50 %.0f us, p99 %.0f us, offered %zu/%zu\n",
              Percentile(fuzzy_us, 0.5), Percentile(fuzzy_us, 0.99), offered, rows.size());
  return 0;
}
