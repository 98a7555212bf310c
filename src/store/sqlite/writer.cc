#include "store/sqlite/writer.h"

#include <vector>

namespace meridian::store::sqlite {

Writer::Writer(std::unique_ptr<Db> db, int max_batch)
    : db_(std::move(db)),
      max_batch_(max_batch),
      batch_sizes_(metrics::Registry::Global().GetHistogram(
          "meridian_store_write_batch_size", "Writes grouped into one committed transaction",
          {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024})),
      commit_seconds_(metrics::Registry::Global().GetHistogram(
          "meridian_store_commit_seconds", "Time to run and commit one write batch",
          metrics::LatencyBuckets())) {
  completion_thread_ = std::thread([this] { CompletionLoop(); });
  thread_ = std::thread([this] { Loop(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();  // every queued write is committed and handed to the completion thread
  {
    std::lock_guard lock(done_mu_);
    done_stopping_ = true;
  }
  done_cv_.notify_one();
  completion_thread_.join();
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
    auto start = std::chrono::steady_clock::now();
    outcomes.clear();
    Status commit = RunBatch(batch, outcomes);
    batch_sizes_->Observe(static_cast<double>(batch.size()));
    commit_seconds_->Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    {
      std::lock_guard lock(done_mu_);
      for (size_t i = 0; i < batch.size(); ++i) {
        done_queue_.emplace_back(std::move(batch[i].finish), commit.ok() ? outcomes[i] : commit);
      }
    }
    done_cv_.notify_one();
    batch.clear();
  }
}

void Writer::CompletionLoop() {
  std::deque<std::pair<std::function<void(const Status&)>, Status>> ready;
  while (true) {
    {
      std::unique_lock lock(done_mu_);
      done_cv_.wait(lock, [&] { return done_stopping_ || !done_queue_.empty(); });
      if (done_queue_.empty() && done_stopping_) return;
      ready.swap(done_queue_);
    }
    for (auto& [finish, status] : ready) finish(status);
    ready.clear();
  }
}

}  // namespace meridian::store::sqlite
