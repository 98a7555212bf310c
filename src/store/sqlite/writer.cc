#include "store/sqlite/writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/thread_name.h"

namespace meridian::store::sqlite {

Writer::Writer(std::unique_ptr<Db> db, int max_batch, std::string sync_wal_path,
               std::unique_ptr<Checkpointer> checkpointer, Bracket answering,
               std::function<int(int)> datasync)
    : db_(std::move(db)),
      checkpointer_(std::move(checkpointer)),
      max_batch_(max_batch),
      wal_path_(std::move(sync_wal_path)),
      answering_(std::move(answering)),
      batch_sizes_(metrics::Registry::Global().GetHistogram(
          "meridian_store_write_batch_size", "Writes grouped into one committed transaction",
          {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024})),
      commit_seconds_(metrics::Registry::Global().GetHistogram(
          "meridian_store_commit_seconds", "Time to run and commit one write batch",
          metrics::LatencyBuckets())),
      sync_seconds_(metrics::Registry::Global().GetHistogram(
          "meridian_store_wal_sync_seconds",
          "Time to make committed batches durable (one fdatasync of the write-ahead log)",
          metrics::LatencyBuckets())),
      datasync_(datasync ? std::move(datasync) : std::function<int(int)>(::fdatasync)) {
  completion_thread_ = std::thread([this] {
    NameThisThread("store-done");
    CompletionLoop();
  });
  if (!wal_path_.empty()) {
    for (int i = 0; i < kSyncThreads; ++i) {
      sync_threads_.emplace_back([this] {
        NameThisThread("store-sync");
        SyncLoop();
      });
    }
  }
  thread_ = std::thread([this] {
    NameThisThread("store-writer");
    Loop();
  });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();  // every queued write is committed and handed on
  {
    std::lock_guard lock(done_mu_);
    done_stopping_ = true;
  }
  sync_cv_.notify_all();
  answer_cv_.notify_all();
  for (auto& t : sync_threads_) t.join();  // every committed batch is synced
  completion_thread_.join();               // and every caller answered
}

Status Writer::Health() {
  if (!storage_failed_.load()) return Status::Ok();
  std::lock_guard lock(done_mu_);
  return sync_error_;
}

void Writer::Submit(Task task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

Status Writer::Step(const std::string& sql) {
  // Through the statement cache: these run twice per write, parsing them each time shows.
  MERIDIAN_ASSIGN_OR_RETURN(Stmt * stmt, db_->Prepare(sql));
  StmtScope scope(*stmt);
  return stmt->Run();
}

// Optimistic first: the whole batch in one transaction without savepoints (a savepoint per write
// costs about as much as the write). Writes almost never fail; when one does, the batch is rolled
// back and run again with a savepoint around each write, so the failing one leaves no trace and
// the others still commit. A write's apply may therefore run twice; only its last run counts.
Status Writer::RunBatch(std::vector<Task>& batch, std::vector<Status>& outcomes) {
  Status begin = Step("BEGIN IMMEDIATE");
  if (!begin.ok()) {
    outcomes.assign(batch.size(), begin);
    return begin;
  }
  bool all_ok = true;
  for (auto& task : batch) {
    if (!task.apply(*db_).ok()) {
      all_ok = false;
      break;
    }
  }
  if (all_ok) {
    outcomes.assign(batch.size(), Status::Ok());
  } else {
    (void)Step("ROLLBACK");
    begin = Step("BEGIN IMMEDIATE");
    if (!begin.ok()) {
      outcomes.assign(batch.size(), begin);
      return begin;
    }
    for (auto& task : batch) {
      // Each write in its own savepoint, so one failing write leaves the others committed.
      Status sp = Step("SAVEPOINT w");
      Status s = sp.ok() ? task.apply(*db_) : sp;
      if (s.ok()) {
        s = Step("RELEASE w");
      } else {
        (void)Step("ROLLBACK TO w");
        (void)Step("RELEASE w");
      }
      outcomes.push_back(std::move(s));
    }
  }
  Status commit = Step("COMMIT");
  if (!commit.ok()) (void)Step("ROLLBACK");
  return commit;
}

void Writer::Loop() {
  std::vector<Task> batch;
  std::vector<Status> outcomes;
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (storage_failed_.load()) {
      // The disk lost writes it was asked to keep: nothing more is written (see Health).
      std::lock_guard lock(done_mu_);
      for (Task& task : batch) {
        done_queue_.push_back(
            Done{.finish = std::move(task.finish), .status = sync_error_, .seq = 0});
      }
      answer_cv_.notify_one();
      batch.clear();
      continue;
    }
    auto start = std::chrono::steady_clock::now();
    outcomes.clear();
    Status commit = RunBatch(batch, outcomes);
    batch_sizes_->Observe(static_cast<double>(batch.size()));
    commit_seconds_->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    {
      std::lock_guard lock(done_mu_);
      uint64_t seq = commit.ok() && !wal_path_.empty() ? ++committed_seq_ : 0;
      for (size_t i = 0; i < batch.size(); ++i) {
        done_queue_.push_back(Done{.finish = std::move(batch[i].finish),
                                   .status = commit.ok() ? outcomes[i] : commit,
                                   .seq = seq});
      }
    }
    sync_cv_.notify_one();
    answer_cv_.notify_one();
    batch.clear();
  }
}

void Writer::SyncLoop() {
  WalHandle wal;
  while (true) {
    uint64_t cover = 0;
    {
      std::unique_lock lock(done_mu_);
      sync_cv_.wait(lock, [&] { return done_stopping_ || committed_seq_ > covered_seq_; });
      if (committed_seq_ == covered_seq_) break;  // stopping, and everything is covered
      cover = covered_seq_ = committed_seq_;
    }
    auto start = std::chrono::steady_clock::now();
    Status synced = SyncWal(wal);
    sync_seconds_->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    {
      std::lock_guard lock(done_mu_);
      if (synced.ok()) {
        durable_seq_ = std::max(durable_seq_, cover);
      } else {
        failed_seq_ = std::max(failed_seq_, cover);
        if (!storage_failed_.load()) {
          // After a failed fdatasync the kernel may have dropped the dirty pages and a later
          // sync can succeed without them (PostgreSQL's "fsyncgate"): what is committed in
          // memory is not known to be on disk, and a client's retry would find it and be told
          // "stored". So writes stop here; a restart recovers from what the disk really has.
          spdlog::critical("store: {}; refusing every write until Meridian restarts",
                           synced.message());
          sync_error_ =
              Status::Unavailable("the disk did not confirm a write (" + synced.message() +
                                      "); the store takes no more writes: restart Meridian",
                                  "storage_failed");
          storage_failed_.store(true);
        }
      }
    }
    answer_cv_.notify_one();
  }
  if (wal.fd >= 0) ::close(wal.fd);
}

void Writer::CompletionLoop() {
  std::vector<Done> ready;
  auto answerable = [this](const Done& d) {
    return d.seq == 0 || d.seq <= durable_seq_ || d.seq <= failed_seq_;
  };
  while (true) {
    {
      std::unique_lock lock(done_mu_);
      answer_cv_.wait(lock, [&] {
        return (done_stopping_ && done_queue_.empty()) ||
               (!done_queue_.empty() && answerable(done_queue_.front()));
      });
      if (done_queue_.empty()) return;  // stopping, and everyone was answered
      // In commit order: a batch is answered only after every batch committed before it.
      while (!done_queue_.empty() && answerable(done_queue_.front())) {
        Done& d = done_queue_.front();
        // Committed but maybe not on disk: the caller must not take it as stored. A retry is
        // safe, every ingest path de-duplicates.
        if (d.seq > durable_seq_ && d.seq != 0) d.status = sync_error_;
        ready.push_back(std::move(d));
        done_queue_.pop_front();
      }
    }
    if (answering_.begin) answering_.begin();
    for (Done& d : ready) d.finish(d.status);
    if (answering_.end) answering_.end();
    ready.clear();
  }
}

Status Writer::SyncWal(WalHandle& wal) {
  struct stat now {};
  if (::stat(wal_path_.c_str(), &now) != 0) {
    // No WAL: the last checkpoint moved every frame into the database file; sync that.
    std::string db_path = wal_path_.substr(0, wal_path_.size() - 4);
    int fd = ::open(db_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return Status::Internal(
          fmt::format("cannot open the database to sync it: {}", std::strerror(errno)));
    int rc = datasync_(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return Status::Internal(fmt::format("fdatasync failed: {}", std::strerror(err)));
    return Status::Ok();
  }
  if (wal.fd < 0 || now.st_ino != wal.inode) {
    if (wal.fd >= 0) ::close(wal.fd);
    wal.fd = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal.fd < 0) {
      return Status::Internal(
          fmt::format("cannot open the write-ahead log to sync it: {}", std::strerror(errno)));
    }
    wal.inode = now.st_ino;
    // A new WAL file: its directory entry must be durable too.
    auto dir = std::filesystem::path(wal_path_).parent_path();
    int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      (void)::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
  if (datasync_(wal.fd) != 0) {
    return Status::Internal(
        fmt::format("fdatasync of the write-ahead log failed: {}", std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace meridian::store::sqlite
