#include "store/sqlite/checkpointer.h"

#include "core/thread_name.h"

namespace meridian::store::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path, Db& writer,
                                                          int threshold_pages) {
  MERIDIAN_ASSIGN_OR_RETURN(auto db, Db::Open(path, /*read_only=*/false));
  // NORMAL: a checkpoint syncs the log before it copies frames and the database file after.
  MERIDIAN_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(db), writer, threshold_pages));
}

Checkpointer::Checkpointer(std::unique_ptr<Db> db, Db& writer, int threshold_pages)
    : db_(std::move(db)),
      writer_(writer),
      threshold_pages_(threshold_pages),
      seconds_(metrics::Registry::Global().GetHistogram(
          "meridian_store_checkpoint_seconds",
          "Time to copy the write-ahead log into the database file (off the writer thread)",
          metrics::LatencyBuckets())),
      writer_checkpoints_(metrics::Registry::Global().GetCounter(
          "meridian_store_writer_checkpoints_total",
          "Checkpoints the writer ran itself to let the write-ahead log restart")) {
  thread_ = std::thread([this] {
    NameThisThread("store-ckpt");
    Loop();
  });
  // Replaces SQLite's automatic checkpoint (itself a commit hook) on the writer connection.
  sqlite3_wal_hook(writer_.raw(), &Checkpointer::OnCommit, this);
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_autocheckpoint(writer_.raw(), 1000);  // SQLite's default hook again
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

int Checkpointer::OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (wal_pages >= kBackstopFactor * c->threshold_pages_) {
    // Under a steady stream of commits the log never restarts by itself: a restart needs every
    // frame moved when a write begins, and commits keep landing while this thread's checkpoint
    // runs. So the writer moves the few frames still missing itself, between two of its
    // transactions; the next one then starts the log again from its beginning.
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    c->writer_checkpoints_->Inc();
    return SQLITE_OK;
  }
  // One wake-up per checkpoint, not per commit: the flag stays set until it has run.
  if (wal_pages >= c->threshold_pages_ && !c->requested_.exchange(true)) {
    {
      std::lock_guard lock(c->mu_);
      c->due_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return due_ || stopping_; });
      if (stopping_) return;
      due_ = false;
    }
    auto start = std::chrono::steady_clock::now();
    int log_pages = 0;
    int moved_pages = 0;
    // A failure (I/O error, the disk full) leaves the log as it was; the next commit past the
    // threshold tries again, and the log keeps every committed frame meanwhile.
    (void)sqlite3_wal_checkpoint_v2(db_->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, &log_pages,
                                    &moved_pages);
    auto took = std::chrono::steady_clock::now() - start;
    seconds_->Observe(std::chrono::duration<double>(took).count());
    if (took < kMinInterval) std::this_thread::sleep_for(kMinInterval - took);
    requested_.store(false);
  }
}

}  // namespace meridian::store::sqlite
