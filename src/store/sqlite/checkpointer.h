#pragma once
// Moves the write-ahead log back into the database file on its own thread and connection.
//
// SQLite's automatic checkpoint runs on the connection that committed, after the commit: on the
// writer thread, the serial bottleneck of ingest, where it copied pages and waited for two
// fsyncs every few batches while every caller queued behind it. Instead the writer's commit hook
// only notes the log's size; past `threshold_pages` this thread runs a PASSIVE checkpoint (it
// never waits for, nor blocks, the writer or readers). The log restarts from its beginning at
// the first commit after a checkpoint that moved every frame, exactly as before.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/metrics.h"
#include "core/status.h"
#include "store/sqlite/db.h"

namespace meridian::store::sqlite {

class Checkpointer {
 public:
  // Opens its own connection to `path` and takes over checkpoints from `writer`, whose commits
  // must all happen while this object lives (destroy the writer's thread first).
  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& path, Db& writer,
                                                     int threshold_pages);
  ~Checkpointer();  // gives checkpoints back to the writer connection
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  Checkpointer(std::unique_ptr<Db> db, Db& writer, int threshold_pages);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Loop();

  // A log that cannot be moved yet (a reader still needs its old frames) would trigger a
  // checkpoint after every commit; one at most this often meanwhile.
  static constexpr std::chrono::milliseconds kMinInterval{5};
  // Log size, in thresholds, at which the writer finishes a checkpoint itself (OnCommit).
  static constexpr int kBackstopFactor = 4;
  std::unique_ptr<Db> db_;
  Db& writer_;
  const int threshold_pages_;
  std::atomic<bool> requested_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool due_ = false;
  bool stopping_ = false;
  metrics::Histogram* seconds_;
  metrics::Counter* writer_checkpoints_;
  std::thread thread_;
};

}  // namespace meridian::store::sqlite
