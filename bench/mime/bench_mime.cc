// ParseEmail throughput over a deterministic, generated mixed corpus: short UTF-8 and GB2312
// replies with quoted history, HTML-only newsletters, multipart/alternative + related with an
// inline image, and mails with base64 attachments up to 1 MB. Figures: bench/RESULTS.md,
// "MIME parsing".
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "channels/email/email.h"
#include "core/crypto.h"

namespace {

using meridian::channels::email::ParseEmail;

std::string Words(std::mt19937& rng, size_t bytes) {
  static const char* const kWords[] = {"order",  "parcel",  "refund",  "please", "thanks",
                                       "router", "invoice", "address", "Grüße",  "délai",
                                       "订单",   "退款",    "the",     "and",    "when"};
  std::string out;
  std::uniform_int_distribution<size_t> pick(0, std::size(kWords) - 1);
  size_t line = 0;
  while (out.size() < bytes) {
    const char* w = kWords[pick(rng)];
    out += w;
    line += std::char_traits<char>::length(w) + 1;
    if (line > 70) {
      out += "\r\n";
      line = 0;
    } else {
      out += ' ';
    }
  }
  return out;
}

std::string Base64Lines(const std::string& bytes) {
  std::string b64 = meridian::crypto::Base64Encode(bytes);
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

std::string Headers(int i, const char* content_type) {
  return "From: =?utf-8?B?5p2O5Lyf?= <customer" + std::to_string(i) +
         "@example.com>\r\nTo: support@meridian.test\r\nSubject: =?utf-8?Q?Bestellung_" +
         std::to_string(i) + "_=E2=80=93_Lieferung?=\r\nDate: Mon, 4 Mar 2024 10:15:00 +0100\r\n" +
         "Message-ID: <m" + std::to_string(i) + "@example.com>\r\nIn-Reply-To: <r" +
         std::to_string(i) + "@meridian.test>\r\nReferences: <root@meridian.test> <r" +
         std::to_string(i) +
         "@meridian.test>\r\nMIME-Version: 1.0\r\nContent-Type: " + content_type + "\r\n";
}

// One mail of about `size` bytes, of kind `kind`.
std::string MakeMail(std::mt19937& rng, int i, int kind, size_t size) {
  switch (kind) {
    case 0: {  // plain reply with a quoted history
      std::string body = Words(rng, size / 2) + "\r\n\r\nOn Mon, 4 Mar 2024, Support wrote:\r\n";
      std::string quoted = Words(rng, size / 2);
      for (size_t p = 0; p < quoted.size();) {
        size_t nl = quoted.find("\r\n", p);
        body +=
            "> " + quoted.substr(p, nl == std::string::npos ? std::string::npos : nl - p) + "\r\n";
        p = nl == std::string::npos ? quoted.size() : nl + 2;
      }
      return Headers(i, "text/plain; charset=utf-8") + "Content-Transfer-Encoding: 8bit\r\n\r\n" +
             body;
    }
    case 1: {  // HTML-only newsletter
      std::string html = "<html><head><style>p{color:red}</style></head><body>";
      while (html.size() < size) {
        html += "<p>" + Words(rng, 300) +
                " <a href=\"https://shop.example/p?i=" + std::to_string(html.size()) +
                "&amp;x=1\">view</a> &euro; &nbsp;</p>\r\n";
      }
      return Headers(i, "text/html; charset=utf-8") + "\r\n" + html + "</body></html>\r\n";
    }
    case 2: {  // alternative (GB2312 base64 text + related HTML with inline image)
      std::string text = "您好，我的订单还没到，请尽快处理。谢谢！\r\n";
      std::string gb = "\xc4\xfa\xba\xc3\xa3\xac\xce\xd2\xb5\xc4\xb6\xa9\xb5\xa5\r\n";
      std::string gbtext;
      while (gbtext.size() < size / 3) gbtext += gb;
      std::string image(size / 3, '\0');
      for (auto& c : image) c = static_cast<char>(rng());
      return Headers(i, "multipart/alternative; boundary=\"a\"") +
             "\r\n--a\r\nContent-Type: text/plain; charset=gb2312\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n" +
             Base64Lines(gbtext) +
             "--a\r\nContent-Type: multipart/related; boundary=\"r\"\r\n\r\n--r\r\n"
             "Content-Type: text/html; charset=utf-8\r\n\r\n<p>" +
             text +
             "</p><img src=\"cid:i1@x\">\r\n--r\r\nContent-Type: image/png\r\n"
             "Content-ID: <i1@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
             Base64Lines(image) + "--r--\r\n--a--\r\n";
    }
    default: {  // mixed with a base64 attachment
      std::string blob(size * 3 / 4, '\0');
      for (auto& c : blob) c = static_cast<char>(rng());
      return Headers(i, "multipart/mixed; boundary=\"m\"") +
             "\r\n--m\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
             "Content-Transfer-Encoding: quoted-printable\r\n\r\nSee the attached scan, merci =\r\n"
             "d'avance. Gr=FC=DFe\r\n--m\r\nContent-Type: application/pdf; name=\"scan.pdf\"\r\n"
             "Content-Disposition: attachment; filename=\"scan.pdf\"\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n" +
             Base64Lines(blob) + "--m--\r\n";
    }
  }
}

// 60 % of mails 1-10 KB, 30 % 10-100 KB, 10 % 100 KB-1 MB (log-uniform within each band).
std::vector<std::string> MixedCorpus(size_t count) {
  std::mt19937 rng(20261127);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::string> mails;
  for (size_t i = 0; i < count; ++i) {
    double band = unit(rng);
    double lo = band < 0.6 ? 1e3 : band < 0.9 ? 1e4 : 1e5;
    size_t size = static_cast<size_t>(lo * std::pow(10.0, unit(rng)));
    int kind = size >= 100000 ? 2 + static_cast<int>(rng() % 2) : static_cast<int>(rng() % 4);
    mails.push_back(MakeMail(rng, static_cast<int>(i), kind, size));
  }
  return mails;
}

void ParseAll(benchmark::State& state, const std::vector<std::string>& mails) {
  size_t bytes = 0;
  for (const auto& m : mails) bytes += m.size();
  size_t chars = 0;
  for (auto _ : state) {
    for (const auto& m : mails) {
      auto parsed = ParseEmail(m);
      if (!parsed.ok()) state.SkipWithError("parse failed");
      chars += parsed->text.size();
    }
  }
  benchmark::DoNotOptimize(chars);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * mails.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["corpus_mails"] = static_cast<double>(mails.size());
  state.counters["corpus_MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_ParseMixedCorpus(benchmark::State& state) {
  static const auto mails = MixedCorpus(500);
  ParseAll(state, mails);
}
BENCHMARK(BM_ParseMixedCorpus)->Unit(benchmark::kMillisecond);

// Each kind at a fixed size, to see where the time goes.
void BM_ParseKind(benchmark::State& state) {
  std::mt19937 rng(7);
  std::vector<std::string> mails;
  for (int i = 0; i < 20; ++i) {
    mails.push_back(
        MakeMail(rng, i, static_cast<int>(state.range(0)), static_cast<size_t>(state.range(1))));
  }
  ParseAll(state, mails);
}
BENCHMARK(BM_ParseKind)
    ->ArgNames({"kind", "bytes"})
    ->Args({0, 4000})
    ->Args({1, 50000})
    ->Args({2, 20000})
    ->Args({3, 1000000})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
