// Entity extraction throughput per message. Figures: bench/RESULTS.md, "Entities and PII".
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "nlp/entities/entities.h"

namespace {

using meridian::nlp::EntityExtractor;

const std::vector<std::string>& Messages() {
  static const std::vector<std::string> kMessages = {
      "Hello, where is my parcel? It has been a week.",
      "Where is my parcel RR123456785CN? Order #1234 paid €12,50",
      "UPS 1Z999AA10123456784 and mail me at jo.doe@example.com or +49 30 901820",
      "Ich habe vor 3 Tagen 1.234,56 € bezahlt, Bestellung Nr. 4711",
      "hace 2 días pagué R$ 99,90, el martes pasado llegó una caja vacía",
      "Thanks for your help, have a nice day!",
      "我的订单号 88231 昨天还没发货",
      "It should have arrived last Tuesday, tracking 9400 1112 0108 0805 4830 16",
      "Can I return the shoes if they don't fit?",
      "Bonjour, il y a 3 jours j'ai commandé pour 49,90 €",
  };
  return kMessages;
}

void BM_ExtractEntities(benchmark::State& state) {
  static const auto* const kExtractor =
      EntityExtractor::Create(meridian::nlp::OrderNumberConfig::Default()).value().release();
  meridian::nlp::ExtractOptions options;
  options.region = "DE";
  options.time_zone = "Europe/Berlin";
  options.now_ms = 1710372600000;
  size_t bytes = 0, found = 0;
  for (const auto& m : Messages()) bytes += m.size();
  for (auto _ : state) {
    for (const auto& m : Messages()) found += kExtractor->Extract(m, options).size();
  }
  benchmark::DoNotOptimize(found);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Messages().size()));
}
BENCHMARK(BM_ExtractEntities);

}  // namespace

BENCHMARK_MAIN();
