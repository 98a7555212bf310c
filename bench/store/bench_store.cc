// Inbound messages per second through Store::IngestInboundAsync: `callers` messages in flight at
// once (as HTTP handlers would have), over 10,000 contacts, into a fresh database in /tmp.
// Measures the writer (SQL + group commit) without HTTP, JSON or the pipeline.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>

#include "store/store.h"

namespace {

using namespace meridian;

uint64_t Mix(uint64_t x) {  // splitmix64's finalizer
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// CPU time (ns) per thread name of this process, from /proc/self/task/*/schedstat.
std::map<std::string, double> CpuByThreadName() {
  std::map<std::string, double> out;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::string name;
    double ns = 0;
    std::ifstream(task.path() / "comm") >> name;
    std::ifstream(task.path() / "schedstat") >> ns;
    out[name] += ns;
  }
  return out;
}

void BM_Ingest(benchmark::State& state) {
  const bool full = state.range(0) != 0;
  const int callers = static_cast<int>(state.range(1));
  auto dir = std::filesystem::temp_directory_path() /
             ("meridian-bench-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store =
      store::OpenSqliteStore({.path = (dir / "db").string(), .synchronous_full = full}).value();
  (void)store->Migrate();
  Inbox inbox;
  inbox.channel = "api";
  inbox.name = "Bench";
  inbox.secret = "s";
  Id inbox_id = store->CreateInbox(inbox).value().id;

  int64_t n = 0;
  auto cpu_before = CpuByThreadName();
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  std::atomic<int64_t> failures{0};
  for (auto _ : state) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight < callers; });
    ++in_flight;
    lock.unlock();
    store::InboundMessage m;
    m.inbox_id = inbox_id;
    m.external_sender_id = "contact-" + std::to_string(n % 10000);
    m.sender_name = "Customer " + std::to_string(n % 10000);
    // Providers' ids are opaque and unordered (wamid.…, UUIDs): spread them over the index.
    m.provider_message_id = fmt::format("wamid.{:016x}", Mix(static_cast<uint64_t>(n)));
    m.text = "Hello, where is my order " + std::to_string(100000 + n) + "? It was due yesterday.";
    m.received_at = 1'764'000'000'000 + n;
    ++n;
    store->IngestInboundAsync(std::move(m), [&](Result<store::IngestResult> r) {
      if (!r.ok()) ++failures;
      std::lock_guard g(mu);
      --in_flight;
      cv.notify_one();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures.load());
  // CPU per message of the store's threads: the writer is the serial bottleneck of ingest.
  for (const auto& [name, ns] : CpuByThreadName()) {
    if (name.rfind("store-", 0) != 0) continue;
    state.counters[name + "_us"] = (ns - cpu_before[name]) / 1000.0 / static_cast<double>(n);
  }
  lock.unlock();
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Ingest)
    ->ArgNames({"full", "callers"})
    ->Args({0, 64})
    ->Args({1, 64})
    ->Iterations(40000)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
