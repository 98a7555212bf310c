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
// sync), and the completion thread fdatasyncs the WAL file before it answers anyone. One sync
// covers every batch committed since the last one, and the writer runs the next batch's SQL
// while the disk flushes. A caller is answered only after its write reached the disk, exactly as
// with synchronous=FULL; other connections may read a committed row a few milliseconds before
// it is durable (nothing is told about it before then: events are published by the callers).

#include <sys/types.h>

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

  // `sync_wal_path`: the database's "-wal" file, synced by the completion thread (see above);
  // empty when SQLite syncs at commit itself or synchronous=NORMAL was asked for.
  Writer(std::unique_ptr<Db> db, int max_batch, std::string sync_wal_path = {});
  ~Writer();  // drains queued tasks and their completions, then stops
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Submit(Task task);

  // Runs `fn` on the writer thread in a transaction and returns its result to the caller,
  // blocking until commit.
  template <typename T>
  Result<T> Run(std::function<Result<T>(Db&)> fn);

  // Like Run, but answers through `done` on the completion thread after commit.
  template <typename T>
  void RunAsync(std::function<Result<T>(Db&)> fn, std::function<void(Result<T>)> done);

 private:
  void Loop();
  void CompletionLoop();
  // fdatasync of the WAL file (reopened when it was replaced); the database file when the WAL
  // is gone (a closing checkpoint moved everything into it).
  Status SyncWal();
  Status Step(const std::string& sql);
  // Applies and commits one batch; fills one outcome per task; returns the commit's status.
  Status RunBatch(std::vector<Task>& batch, std::vector<Status>& outcomes);

  std::unique_ptr<Db> db_;
  const int max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::thread thread_;
  // Committed batches waiting for their callers to be told (finish, outcome).
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  struct Done {
    std::function<void(const Status&)> finish;
    Status status;
    bool needs_sync;  // committed, not yet on disk
  };
  std::deque<Done> done_queue_;
  bool done_stopping_ = false;
  std::thread completion_thread_;
  const std::string wal_path_;
  int wal_fd_ = -1;
  ino_t wal_inode_ = 0;
  metrics::Histogram* batch_sizes_;
  metrics::Histogram* commit_seconds_;
  metrics::Histogram* sync_seconds_;
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
