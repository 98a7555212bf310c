#pragma once
// The single writer thread with group commit.
//
// Callers submit write tasks; the writer takes every task waiting (up to max_batch), runs them
// in one transaction (a failing task is rolled back alone, see RunBatch), commits once, and only
// then tells each caller its outcome. With synchronous=FULL, one fsync covers the whole batch.
//
// Outcomes are delivered by a second thread, in commit order: what callers do next (render the
// HTTP answer, publish events, wake other workers) overlaps the writer's next batch instead of
// delaying it. The writer thread is the serial bottleneck of ingest, so it does only SQL.
//
// Durability without stalling the writer (when `sync_wal_path` is set): the connection commits
// with synchronous=NORMAL (frames written to the write-ahead log, no fsync; checkpoints still
// sync), and a small pool of sync threads fdatasyncs the WAL file before anyone is answered.
// A sync starts as soon as a batch is committed, even while an earlier sync is still running:
// each caller then waits for one flush that began after its commit, not for the one in flight
// plus its own. (Measured with bench/store/fsync_probe.mjs on this machine's virtio disk: with
// 2-4 fdatasyncs of one file in flight, the disk completes 20-35x more syncs per second than with
// one, most in well under a millisecond; bench/RESULTS.md.) A sync covers every batch committed
// before it started. A caller is answered only after its write reached the disk, exactly as
// with synchronous=FULL; other connections may read a committed row a few milliseconds before it
// is durable (nothing is told about it before then: events are published by the callers).

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/await.h"
#include "core/metrics.h"
#include "core/status.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/db.h"

namespace meridian::store::sqlite {

class Writer {
 public:
  // `apply` runs on the writer thread inside the transaction; `finish` runs after the commit
  // (with the apply status, or the commit's error) on the completion thread. `finish` must not
  // block on another write (Run): it would wait for the thread it runs on.
  struct Task {
    std::function<Status(Db&)> apply;
    std::function<void(const Status&)> finish;
  };

  // `sync_wal_path`: the database's "-wal" file, synced by the sync threads (see above);
  // empty when SQLite syncs at commit itself or synchronous=NORMAL was asked for.
  // `checkpointer`: takes checkpoints off the writer thread (checkpointer.h); stopped after the
  // writer thread and before `db` closes.
  // `answering`: brackets each group of answers given together on the completion thread (e.g.
  // one read transaction for every read the answers make, instead of one per read).
  struct Bracket {
    std::function<void()> begin;
    std::function<void()> end;
  };
  // `datasync` stands in for fdatasync(2) (tests make the disk fail with it).
  Writer(std::unique_ptr<Db> db, int max_batch, std::string sync_wal_path = {},
         std::unique_ptr<Checkpointer> checkpointer = nullptr, Bracket answering = {},
         std::function<int(int)> datasync = {});
  ~Writer();  // drains queued tasks and their completions, then stops
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Submit(Task task);

  // Ok, or the failure that stopped writes: once an fdatasync of the log failed, every write
  // after it is refused with Unavailable("storage_failed") without touching the database.
  Status Health();

  // Runs `fn` on the writer thread in a transaction and returns its result to the caller,
  // blocking until commit.
  template <typename T>
  Result<T> Run(std::function<Result<T>(Db&)> fn);

  // Like Run, but answers through `done` on the completion thread after commit.
  template <typename T>
  void RunAsync(std::function<Result<T>(Db&)> fn, std::function<void(Result<T>)> done);

 private:
  // An open write-ahead log, one per sync thread (reopened when SQLite replaced the file).
  struct WalHandle {
    int fd = -1;
    ino_t inode = 0;
  };

  void Loop();
  void SyncLoop();
  void CompletionLoop();
  // fdatasync of the WAL file (reopened when it was replaced); the database file when the WAL
  // is gone (a closing checkpoint moved everything into it).
  Status SyncWal(WalHandle& wal);
  Status Step(const std::string& sql);
  // Applies and commits one batch; fills one outcome per task; returns the commit's status.
  Status RunBatch(std::vector<Task>& batch, std::vector<Status>& outcomes);

  static constexpr int kSyncThreads = 4;

  std::unique_ptr<Db> db_;
  std::unique_ptr<Checkpointer> checkpointer_;  // declared after db_: destroyed before it
  const int max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::thread thread_;

  // Committed batches waiting for their callers to be told (finish, outcome), in commit order.
  // Batches that need a sync are numbered 1, 2, ...: `committed_seq_` is the newest, a running or
  // finished sync covers up to `covered_seq_`, everything up to `durable_seq_` is on disk, and a
  // failed sync makes everything up to `failed_seq_` not yet durable fail with `sync_error_`.
  std::mutex done_mu_;
  std::condition_variable sync_cv_;    // a batch to sync, or stopping
  std::condition_variable answer_cv_;  // a batch became answerable, or stopping
  struct Done {
    std::function<void(const Status&)> finish;
    Status status;
    uint64_t seq;  // 0: nothing to sync (no WAL to sync, or the commit failed)
  };
  std::deque<Done> done_queue_;
  uint64_t committed_seq_ = 0;
  uint64_t covered_seq_ = 0;
  uint64_t durable_seq_ = 0;
  uint64_t failed_seq_ = 0;
  Status sync_error_;
  std::atomic<bool> storage_failed_{false};  // set with sync_error_, never cleared
  bool done_stopping_ = false;
  std::vector<std::thread> sync_threads_;
  std::thread completion_thread_;
  const std::string wal_path_;
  const Bracket answering_;
  metrics::Histogram* batch_sizes_;
  metrics::Histogram* commit_seconds_;
  metrics::Histogram* sync_seconds_;
  const std::function<int(int)> datasync_;
};

template <typename T>
void Writer::RunAsync(std::function<Result<T>(Db&)> fn, std::function<void(Result<T>)> done) {
  auto slot = std::make_shared<std::optional<Result<T>>>();
  Submit(Task{[fn = std::move(fn), slot](Db& db) -> Status {
                slot->emplace(fn(db));
                return (*slot)->status();
              },
              [slot, done = std::move(done)](const Status& status) {
                if (!status.ok() && (!slot->has_value() || (*slot)->ok())) {
                  done(Result<T>(status));  // the commit itself failed
                } else {
                  done(std::move(**slot));
                }
              }});
}

template <typename T>
Result<T> Writer::Run(std::function<Result<T>(Db&)> fn) {
  return Await<T>([&](std::function<void(Result<T>)> done) { RunAsync<T>(std::move(fn), done); });
}

}  // namespace meridian::store::sqlite
