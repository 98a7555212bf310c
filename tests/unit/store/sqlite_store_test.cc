// Store contract tests, run against the SQLite backend (PostgreSQL will run the same).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/metrics.h"
#include "fresh_store.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store/store.h"

namespace meridian::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir("meridian-store-test-");
    auto store = OpenFreshStore(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    Inbox inbox;
    inbox.channel = "api";
    inbox.name = "Marketplace";
    inbox.secret = "s3cret";
    inbox_ = store_->CreateInbox(inbox).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  InboundMessage Inbound(const std::string& id, const std::string& sender,
                         const std::string& text) {
    InboundMessage m;
    m.inbox_id = inbox_.id;
    m.external_sender_id = sender;
    m.sender_name = "Customer " + sender;
    m.provider_message_id = id;
    m.text = text;
    m.received_at = now_++;
    return m;
  }

  // An agent's reply to `conversation_id` queued in the outbox.
  static OutboundMessage QueuedReply(Id conversation_id, const std::string& text = "hello") {
    OutboundMessage reply;
    reply.conversation_id = conversation_id;
    reply.text = text;
    reply.outbox_payload = "{}";
    return reply;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  Inbox inbox_;
  TimestampMs now_ = 1'700'000'000'000;
};

TEST_F(StoreTest, MigrateIsIdempotent) {
  const int latest = sqlite::Migrations().back().version;
  EXPECT_GE(latest, 4);
  EXPECT_EQ(*store_->Migrate(), latest);
  EXPECT_EQ(*store_->SchemaVersion(), latest);
  EXPECT_FALSE(store_->InstallationSecret()->empty());
}

TEST_F(StoreTest, IngestCreatesContactConversationAndUnreadCount) {
  auto r = store_->IngestInbound(Inbound("m1", "u1", "Hallo, wo ist meine Bestellung?"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->duplicate);
  EXPECT_TRUE(r->conversation_created);
  EXPECT_EQ(r->conversation.unread_count, 1);
  EXPECT_EQ(r->conversation.contact_name, "Customer u1");
  ASSERT_TRUE(r->conversation.last_message.has_value());
  EXPECT_EQ(r->conversation.last_message->text, "Hallo, wo ist meine Bestellung?");

  auto second = store_->IngestInbound(Inbound("m2", "u1", "Hallo?"));
  EXPECT_FALSE(second->conversation_created);
  EXPECT_EQ(second->conversation.id, r->conversation.id);
  EXPECT_EQ(second->conversation.unread_count, 2);
}

TEST_F(StoreTest, SameProviderMessageIdIsStoredOnce) {
  auto first = store_->IngestInbound(Inbound("dup", "u1", "one"));
  auto again = store_->IngestInbound(Inbound("dup", "u1", "one"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->message.id, first->message.id);
  auto page = store_->ListMessages(first->conversation.id, "", 50);
  EXPECT_EQ(page->items.size(), 1u);
  EXPECT_EQ(again->conversation.unread_count, 1);
}

TEST_F(StoreTest, ConcurrentWritersAreAllCommittedAndGrouped) {
  constexpr int kThreads = 8, kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        InboundMessage m;
        m.inbox_id = inbox_.id;
        m.external_sender_id = "c" + std::to_string(i % 10);
        m.provider_message_id = std::to_string(t) + "-" + std::to_string(i);
        m.text = "x";
        m.received_at = 1000 + i;
        if (store_->IngestInbound(m).ok()) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  ConversationFilter all;
  all.limit = 100;
  auto page = store_->ListConversations(all);
  EXPECT_EQ(page->items.size(), 10u);
  int64_t unread = 0;
  for (auto& c : page->items) unread += c.unread_count;
  EXPECT_EQ(unread, kThreads * kEach);
}

TEST_F(StoreTest, AFailingWriteInABatchLeavesNoTraceAndTheOthersCommit) {
  // Many writes in flight at once share transactions; every fifth one targets a conversation
  // that does not exist and fails after nothing (or part) of it was written.
  Id conversation = store_->IngestInbound(Inbound("seed", "c1", "hi")).value().conversation.id;
  constexpr int kWrites = 400;
  std::atomic<int> ok{0}, not_found{0}, pending{kWrites};
  for (int i = 0; i < kWrites; ++i) {
    bool bad = i % 5 == 0;
    OutboundMessage m{.conversation_id = bad ? conversation + 1000 : conversation,
                      .text = "reply " + std::to_string(i),
                      .client_message_id = "c-" + std::to_string(i),
                      .outbox_payload = std::string("{}")};
    store_->AppendOutboundAsync(std::move(m), [&](Result<AppendResult> r) {
      if (r.ok()) ++ok;
      if (r.status().code() == StatusCode::kNotFound) ++not_found;
      --pending;
    });
  }
  while (pending.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(ok.load(), kWrites - kWrites / 5);
  EXPECT_EQ(not_found.load(), kWrites / 5);
  auto messages = store_->ListMessages(conversation, "", 1000).value();
  EXPECT_EQ(messages.items.size(), 1u + kWrites - kWrites / 5);
  EXPECT_EQ(*store_->OutboxDepth(), kWrites - kWrites / 5);
}

TEST_F(StoreTest, WritesKeepCommittingWhileACallerIsStillHandlingItsAnswer) {
  // The writer only runs SQL; callers are answered from another thread. So a caller that is
  // slow to handle its answer (rendering, publishing) does not hold up the next commit.
  std::atomic<bool> second_visible{false};
  std::atomic<bool> first_done{false};
  store_->IngestInboundAsync(Inbound("first", "c1", "hi"), [&](Result<IngestResult> r) {
    ASSERT_TRUE(r.ok());
    store_->IngestInboundAsync(Inbound("second", "c2", "hello"), [](Result<IngestResult>) {});
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto page = store_->ListConversations({});
      if (page.ok() && page->items.size() == 2) {
        second_visible = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    first_done = true;
  });
  while (!first_done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(second_visible.load()) << "the second write waited for the first caller";
}
uint64_t WalSyncs() {
  std::vector<uint64_t> buckets;
  double sum = 0;
  uint64_t count = 0;
  metrics::Registry::Global()
      .GetHistogram("meridian_store_wal_sync_seconds", "", metrics::LatencyBuckets())
      ->Snapshot(&buckets, &sum, &count);
  return count;
}

TEST_F(StoreTest, DurableStoreSyncsTheLogBeforeAnsweringAndNormalOneDoesNot) {
  // synchronous_full (the default): no write is answered before an fdatasync of the WAL that
  // followed its commit; concurrent writes share syncs.
  uint64_t before = WalSyncs();
  constexpr int kWrites = 200;
  std::atomic<int> pending{kWrites};
  for (int i = 0; i < kWrites; ++i) {
    store_->IngestInboundAsync(Inbound("d" + std::to_string(i), "s" + std::to_string(i % 7), "x"),
                               [&](Result<IngestResult> r) {
                                 EXPECT_TRUE(r.ok());
                                 --pending;
                               });
  }
  while (pending.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  uint64_t synced = WalSyncs() - before;
  EXPECT_GE(synced, 1u);
  EXPECT_LE(synced, static_cast<uint64_t>(kWrites));

  auto normal_dir = dir_ / "normal";
  auto normal =
      OpenSqliteStore({.path = (normal_dir / "n.db").string(), .synchronous_full = false});
  ASSERT_TRUE(normal.ok());
  ASSERT_TRUE((*normal)->Migrate().ok());
  before = WalSyncs();
  Inbox inbox;
  inbox.channel = "api";
  inbox.name = "N";
  inbox.secret = "s";
  ASSERT_TRUE((*normal)->CreateInbox(inbox).ok());
  EXPECT_EQ(WalSyncs(), before);
}

TEST_F(StoreTest, CheckpointsKeepTheLogSmallUnderASteadyStreamOfWrites) {
  // Checkpoints run on their own thread; the log must still restart while writes keep coming
  // (without that, it would hold every page ever written: tens of MB here).
  auto dir = dir_ / "steady";
  auto opened = OpenSqliteStore({.path = (dir / "s.db").string(), .checkpoint_pages = 32});
  ASSERT_TRUE(opened.ok());
  auto& store = *opened;
  ASSERT_TRUE(store->Migrate().ok());
  Inbox inbox;
  inbox.channel = "api";
  inbox.name = "Steady";
  inbox.secret = "s";
  Id inbox_id = store->CreateInbox(inbox).value().id;
  auto wal = dir / "s.db-wal";
  constexpr int kWrites = 3000;
  constexpr int kInFlight = 16;
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  uintmax_t largest_log = 0;
  for (int i = 0; i < kWrites; ++i) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < kInFlight; });
      ++in_flight;
    }
    InboundMessage m;
    m.inbox_id = inbox_id;
    m.external_sender_id = "c" + std::to_string(i % 500);
    m.provider_message_id = "m" + std::to_string(i * 7919 % 100003);
    m.text = std::string(1000, static_cast<char>('a' + i % 26));
    m.received_at = 1'000 + i;
    store->IngestInboundAsync(std::move(m), [&](Result<IngestResult> r) {
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      std::error_code ec;
      uintmax_t size = std::filesystem::file_size(wal, ec);
      std::lock_guard lock(mu);
      if (!ec) largest_log = std::max(largest_log, size);
      --in_flight;
      cv.notify_one();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
  auto database = std::filesystem::file_size(dir / "s.db");
  EXPECT_GT(database, 3u << 20) << "the writes reached the database file";
  EXPECT_LT(largest_log, 2u << 20) << "the log restarted";
}

TEST_F(StoreTest, AnswersComeInCommitOrderWhileSyncsOverlap) {
  // Several fdatasyncs run at once (one starts as soon as a batch commits), and they may finish
  // in any order; callers are still answered in commit order, each exactly once.
  constexpr int kWrites = 600;
  std::mutex mu;
  std::vector<Id> answered;
  std::atomic<int> pending{kWrites};
  for (int i = 0; i < kWrites; ++i) {
    store_->IngestInboundAsync(Inbound("o" + std::to_string(i), "s" + std::to_string(i % 13), "x"),
                               [&](Result<IngestResult> r) {
                                 ASSERT_TRUE(r.ok()) << r.status().ToString();
                                 std::lock_guard lock(mu);
                                 answered.push_back(r->message.id);
                                 --pending;
                               });
  }
  while (pending.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(answered.size(), static_cast<size_t>(kWrites));
  // One writer assigns ids in commit order.
  EXPECT_TRUE(std::is_sorted(answered.begin(), answered.end()));
  EXPECT_EQ(std::adjacent_find(answered.begin(), answered.end()), answered.end());
}

TEST_F(StoreTest, ClosingTheStoreAnswersEveryWriteInFlightAfterItsSync) {
  constexpr int kWrites = 300;
  std::atomic<int> ok{0};
  for (int i = 0; i < kWrites; ++i) {
    store_->IngestInboundAsync(Inbound("c" + std::to_string(i), "s" + std::to_string(i % 5), "x"),
                               [&](Result<IngestResult> r) {
                                 if (r.ok()) ++ok;
                               });
  }
  store_.reset();  // drains: commits, syncs and answers everything queued
  EXPECT_EQ(ok.load(), kWrites);
  auto reopened = OpenSqliteStore({.path = (dir_ / "meridian.db").string()});
  ASSERT_TRUE(reopened.ok());
  ConversationFilter all;
  all.limit = 100;
  auto page = (*reopened)->ListConversations(all);
  ASSERT_TRUE(page.ok());
  int64_t unread = 0;
  for (auto& c : page->items) unread += c.unread_count;
  EXPECT_EQ(unread, kWrites);
}

TEST_F(StoreTest, ConversationListPutsUnreadFirstAndPaginates) {
  for (int i = 0; i < 5; ++i) {
    (void)store_->IngestInbound(Inbound("m" + std::to_string(i), "u" + std::to_string(i), "hi"));
  }
  // Conversation of u0 (oldest) gets read; it must fall behind all unread ones.
  auto list = store_->ListConversations({});
  Id oldest = list->items.back().id;
  ASSERT_TRUE(store_->UpdateConversation(oldest, {.mark_read = true}).ok());
  // Read the newest too; then the two read ones come last, newest first.
  Id newest = list->items.front().id;
  ASSERT_TRUE(store_->UpdateConversation(newest, {.mark_read = true}).ok());

  std::vector<Id> seen;
  ConversationFilter f;
  f.limit = 2;
  while (true) {
    auto page = store_->ListConversations(f);
    ASSERT_TRUE(page.ok());
    for (auto& c : page->items) seen.push_back(c.id);
    if (!page->next_cursor) break;
    f.cursor = *page->next_cursor;
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[3], newest);
  EXPECT_EQ(seen[4], oldest);
}

TEST_F(StoreTest, BadCursorIsInvalidArgument) {
  ConversationFilter f;
  f.cursor = "garbage!";
  EXPECT_TRUE(store_->ListConversations(f).status().is_invalid_argument());
  EXPECT_TRUE(store_->ListMessages(1, "zzz", 10).status().is_invalid_argument() ||
              store_->ListMessages(1, "zzz", 10).status().is_not_found());
}

TEST_F(StoreTest, AgentReplyWithOutboxAndIdempotentClientId) {
  auto in = store_->IngestInbound(Inbound("m1", "u1", "where is my order?"));
  OutboundMessage reply;
  reply.conversation_id = in->conversation.id;
  reply.text = "It ships today.";
  reply.client_message_id = "c-1";
  reply.outbox_payload = "{}";
  reply.created_at = now_;
  auto r1 = store_->AppendOutbound(reply);
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1->conversation.unread_count, 0);
  auto r2 = store_->AppendOutbound(reply);
  EXPECT_TRUE(r2->duplicate);
  EXPECT_EQ(r2->message.id, r1->message.id);
  EXPECT_EQ(*store_->OutboxDepth(), 1);

  auto claimed = store_->ClaimOutbox(now_, now_ + 30000, 10);
  ASSERT_EQ(claimed->size(), 1u);
  // Leased: a second claim gets nothing.
  EXPECT_TRUE(store_->ClaimOutbox(now_, now_ + 30000, 10)->empty());
  auto failed = store_->FailOutbox((*claimed)[0].id, "HTTP 500", now_ + 1000, false);
  EXPECT_EQ(failed->status, DeliveryStatus::kPending);
  EXPECT_TRUE(store_->ClaimOutbox(now_, now_ + 30000, 10)->empty());  // not due yet
  auto again = store_->ClaimOutbox(now_ + 1000, now_ + 31000, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 1);
  auto sent = store_->CompleteOutbox((*again)[0].id, now_ + 1001);
  EXPECT_EQ(sent->status, DeliveryStatus::kSent);
  EXPECT_EQ(*store_->OutboxDepth(), 0);
}

TEST_F(StoreTest, DeadLetterMarksMessageFailed) {
  auto in = store_->IngestInbound(Inbound("m1", "u1", "hi"));
  OutboundMessage reply = QueuedReply(in->conversation.id);
  auto r = store_->AppendOutbound(reply);
  auto claimed = store_->ClaimOutbox(0, 1, 10);
  ASSERT_EQ(claimed->size(), 1u);
  auto dead = store_->FailOutbox((*claimed)[0].id, "HTTP 404", 0, true);
  EXPECT_EQ(dead->status, DeliveryStatus::kFailed);
  auto letters = store_->ListDeadLetters(10);
  ASSERT_EQ(letters->size(), 1u);
  EXPECT_EQ((*letters)[0].item.last_error, "HTTP 404");
}

TEST_F(StoreTest, StatusesMoveForwardAndWaitForTheirMessage) {
  auto in = store_->IngestInbound(Inbound("m1", "u1", "hi"));
  OutboundMessage reply = QueuedReply(in->conversation.id);
  auto r = store_->AppendOutbound(reply);
  // Read receipt and a failure arrive before our send's answer told us the provider's id.
  auto early = store_->ApplyDeliveryStatus(inbox_.id, "wamid.1", DeliveryStatus::kRead, "", now_);
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  EXPECT_FALSE(early->has_value());
  auto claimed = store_->ClaimOutbox(0, 1, 10);
  ASSERT_EQ(claimed->size(), 1u);
  ASSERT_TRUE(store_->CompleteOutbox((*claimed)[0].id, now_).ok());
  auto with_id = store_->SetProviderMessageId(r->message.id, "wamid.1");
  ASSERT_TRUE(with_id.ok()) << with_id.status().ToString();
  EXPECT_EQ(with_id->status, DeliveryStatus::kRead);
  EXPECT_EQ(with_id->provider_message_id, "wamid.1");
  // Older statuses arriving late do not move it back; nothing changed, nothing returned.
  auto late =
      store_->ApplyDeliveryStatus(inbox_.id, "wamid.1", DeliveryStatus::kDelivered, "", now_);
  EXPECT_FALSE(late->has_value());
  EXPECT_EQ(store_->GetMessage(r->message.id)->status, DeliveryStatus::kRead);

  // A failure after "sent" keeps the provider's error.
  auto r2 = store_->AppendOutbound(reply);
  auto c2 = store_->ClaimOutbox(0, 1, 10);
  ASSERT_TRUE(store_->CompleteOutbox((*c2)[0].id, now_).ok());
  ASSERT_TRUE(store_->SetProviderMessageId(r2->message.id, "wamid.2").ok());
  auto failed = store_->ApplyDeliveryStatus(inbox_.id, "wamid.2", DeliveryStatus::kFailed,
                                            "131026 Message undeliverable", now_);
  ASSERT_TRUE(failed->has_value());
  EXPECT_EQ((*failed)->status, DeliveryStatus::kFailed);
  EXPECT_EQ((*failed)->status_error, "131026 Message undeliverable");
}

TEST_F(StoreTest, LastInboundIsTheCustomersTimeNeverLaterThanReceipt) {
  auto in = store_->IngestInbound(Inbound("m1", "u1", "hi"));
  auto none = store_->LastInboundOf(999);
  EXPECT_FALSE(none->has_value());
  InboundMessage old = Inbound("m2", "u1", "sent yesterday, redelivered now");
  old.sent_at = old.received_at - 86'400'000;
  old.meta_json = R"({"reply_token":"tok"})";
  ASSERT_TRUE(store_->IngestInbound(old).ok());
  auto last = store_->LastInboundOf(in->conversation.id);
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->at, old.sent_at);
  EXPECT_EQ((*last)->meta_json, R"({"reply_token":"tok"})");
  InboundMessage future = Inbound("m3", "u1", "clock skew");
  future.sent_at = future.received_at + 3'600'000;
  ASSERT_TRUE(store_->IngestInbound(future).ok());
  EXPECT_EQ((*store_->LastInboundOf(in->conversation.id))->at, future.received_at);
}

TEST_F(StoreTest, AppendToUnknownConversationIsNotFoundAndWritesNothing) {
  OutboundMessage reply;
  reply.conversation_id = 999;
  reply.text = "x";
  reply.outbox_payload = "{}";
  EXPECT_TRUE(store_->AppendOutbound(reply).status().is_not_found());
  EXPECT_EQ(*store_->OutboxDepth(), 0);
}

TEST_F(StoreTest, AgentsSessionsAndAuditChain) {
  auto a = store_->CreateAgent({"ana@example.com", "Ana", Role::kAdmin, "hash", "en"});
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(store_->CreateAgent({"ana@example.com", "Ana", Role::kAgent, "h", "en"})
                  .status()
                  .is_conflict());
  ASSERT_TRUE(store_->CreateSession({"th", a->id, SessionKind::kBrowser, "csrf", 0, 100}).ok());
  EXPECT_TRUE(store_->FindSession("th", 50).ok());
  EXPECT_TRUE(store_->FindSession("th", 150).status().is_not_found());  // expired
  ASSERT_TRUE(store_->AppendAudit({"cli", "agent.create", "agent:1", "{}", 1}).ok());
  ASSERT_TRUE(store_->AppendAudit({"agent:1", "auth.login", "agent:1", "{}", 2}).ok());
  EXPECT_EQ(*store_->VerifyAuditChain(), 2);
}

TEST_F(StoreTest, DataSurvivesReopen) {
  auto in = store_->IngestInbound(Inbound("m1", "u1", "persist me"));
  store_.reset();
  auto reopened = OpenSqliteStore({.path = (dir_ / "meridian.db").string()});
  ASSERT_TRUE(reopened.ok());
  auto msgs = (*reopened)->ListMessages(in->conversation.id, "", 10);
  ASSERT_EQ(msgs->items.size(), 1u);
  EXPECT_EQ(msgs->items[0].text, "persist me");
}

TEST_F(StoreTest, EnrichmentListsOnlyPendingInboundMessagesAndSetsTheLanguageOnce) {
  auto a = store_->IngestInbound(Inbound("m1", "c1", "Bonjour")).value();
  auto b = store_->IngestInbound(Inbound("m2", "c1", "ok")).value();
  ASSERT_TRUE(store_->AppendOutbound({.conversation_id = a.conversation.id, .text = "Salut"}).ok());
  ASSERT_TRUE(store_->BulkLoadDemo(inbox_.id, 3, 4, now_).ok());  // synthetic: never listed

  auto pending = store_->ListUnenrichedMessages(100).value();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].id, a.message.id);
  EXPECT_EQ(pending[1].id, b.message.id);
  EXPECT_EQ(pending[0].nlu_json, "");

  auto saved = store_->SaveEnrichments({{a.message.id, {"fr", R"({"version":1})", "fr", now_}},
                                        {999999, {"de", "{}", "de", now_}},  // unknown: skipped
                                        {b.message.id, {"en", "{}", "", now_}}});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  ASSERT_EQ(saved->size(), 2u);
  EXPECT_EQ((*saved)[0].message.language, "fr");
  EXPECT_EQ((*saved)[0].message.nlu_json, R"({"version":1})");
  // The message's own language and the conversation's are separate decisions.
  EXPECT_EQ((*saved)[1].message.language, "en");
  EXPECT_EQ((*saved)[1].conversation.language, "fr");
  EXPECT_TRUE(store_->ListUnenrichedMessages(100)->empty());

  // An agent's choice wins over detection until it is handed back.
  auto chosen = store_->UpdateConversation(a.conversation.id, {.language = "de"});
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->language, "de");
  EXPECT_TRUE(chosen->language_set_by_agent);
  ASSERT_TRUE(store_->SaveEnrichments({{b.message.id, {"en", "{}", "en", now_}}}).ok());
  EXPECT_EQ(store_->GetConversation(a.conversation.id)->language, "de");
  auto released = store_->UpdateConversation(a.conversation.id, {.language = ""});
  EXPECT_FALSE(released->language_set_by_agent);
  ASSERT_TRUE(store_->SaveEnrichments({{b.message.id, {"en", "{}", "en", now_}}}).ok());
  EXPECT_EQ(store_->GetConversation(a.conversation.id)->language, "en");
}

TEST_F(StoreTest, IngestAnswersWithTheMessageExactlyAsStored) {
  auto r = store_->IngestInbound(Inbound("exact-1", "c9", "Où est mon colis ?")).value();
  auto stored = store_->GetMessage(r.message.id).value();
  EXPECT_EQ(r.message.conversation_id, stored.conversation_id);
  EXPECT_EQ(r.message.inbox_id, stored.inbox_id);
  EXPECT_EQ(r.message.direction, stored.direction);
  EXPECT_EQ(r.message.sender_kind, stored.sender_kind);
  EXPECT_EQ(r.message.sender_agent_id, stored.sender_agent_id);
  EXPECT_EQ(r.message.sender_name, stored.sender_name);
  EXPECT_EQ(r.message.text, stored.text);
  EXPECT_EQ(r.message.content_type, stored.content_type);
  EXPECT_EQ(r.message.status, stored.status);
  EXPECT_EQ(r.message.provider_message_id, stored.provider_message_id);
  EXPECT_EQ(r.message.client_message_id, stored.client_message_id);
  EXPECT_EQ(r.message.created_at, stored.created_at);
  EXPECT_EQ(r.message.language, stored.language);
  EXPECT_EQ(r.message.nlu_json, stored.nlu_json);
  EXPECT_EQ(r.message.status_error, stored.status_error);
  EXPECT_EQ(r.message.meta_json, stored.meta_json);
}

// ---- Issue 3, agents' side: templates, dead letter retry, watermarks ----

TEST_F(StoreTest, TemplatesArePerInboxReplacedWholeAndRemovedByLanguage) {
  MessageTemplate t{"order_shipped", {"en_US", "de"}, 2, "Your order {{1}} ships {{2}}."};
  auto saved = store_->PutTemplate(inbox_.id, t, now_);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->languages, (std::vector<std::string>{"en_US", "de"})) << "the admin's order";
  EXPECT_EQ(saved->parameter_count, 2);
  ASSERT_TRUE(store_->PutTemplate(inbox_.id, {"alpha", {"fr"}, std::nullopt, ""}, now_).ok());
  // Replacing a template replaces all its languages.
  t.languages = {"pt_BR"};
  t.parameter_count = std::nullopt;
  ASSERT_TRUE(store_->PutTemplate(inbox_.id, t, now_).ok());
  auto all = store_->ListTemplates(inbox_.id);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "alpha");
  EXPECT_EQ((*all)[1].languages, std::vector<std::string>{"pt_BR"});
  EXPECT_FALSE((*all)[1].parameter_count.has_value());
  EXPECT_TRUE(store_->ListTemplates(inbox_.id + 1)->empty()) << "per inbox";
  EXPECT_TRUE(store_->PutTemplate(inbox_.id + 99, t, now_).status().is_not_found());

  ASSERT_TRUE(store_->PutTemplate(inbox_.id, {"alpha", {"fr", "it"}, 0, ""}, now_).ok());
  EXPECT_TRUE(store_->DeleteTemplate(inbox_.id, "alpha", "it").ok());
  EXPECT_EQ(store_->ListTemplates(inbox_.id)->front().languages, std::vector<std::string>{"fr"});
  EXPECT_TRUE(store_->DeleteTemplate(inbox_.id, "alpha", "it").is_not_found());
  EXPECT_TRUE(store_->DeleteTemplate(inbox_.id, "alpha", "").ok());
  EXPECT_TRUE(store_->DeleteTemplate(inbox_.id, "alpha", "").is_not_found());
  EXPECT_EQ(store_->ListTemplates(inbox_.id)->size(), 1u);
}

TEST_F(StoreTest, ReplaceTemplatesMakesTheSetWholeInOneGo) {
  ASSERT_TRUE(store_->PutTemplate(inbox_.id, {"gone", {"en"}, 0, "Bye"}, now_).ok());
  ASSERT_TRUE(store_->PutTemplate(inbox_.id, {"same", {"en", "de"}, 1, "Hi {{1}}"}, now_).ok());
  ASSERT_TRUE(store_->PutTemplate(inbox_.id, {"changed", {"en"}, 1, "Old {{1}}"}, now_).ok());
  std::vector<MessageTemplate> approved = {{"same", {"en", "de"}, 1, "Hi {{1}}"},
                                           {"changed", {"en", "es"}, 2, "New {{1}} {{2}}"},
                                           {"fresh", {"pt_BR"}, 0, "Oi"}};
  auto changes = store_->ReplaceTemplates(inbox_.id, approved, now_);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  EXPECT_EQ(changes->added, std::vector<std::string>{"fresh"});
  EXPECT_EQ(changes->updated, std::vector<std::string>{"changed"});
  EXPECT_EQ(changes->removed, std::vector<std::string>{"gone"});
  EXPECT_EQ(changes->unchanged, 1);
  auto all = store_->ListTemplates(inbox_.id).value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, "changed");
  EXPECT_EQ(all[0].languages, (std::vector<std::string>{"en", "es"}));
  EXPECT_EQ(all[0].parameter_count, 2);
  EXPECT_EQ(all[1].name, "fresh");
  EXPECT_EQ(all[2].name, "same");
  EXPECT_TRUE(store_->ReplaceTemplates(inbox_.id + 99, approved, now_).status().is_not_found());
  EXPECT_TRUE(store_->ReplaceTemplates(inbox_.id, {}, now_)->removed.size() == 3);
  EXPECT_TRUE(store_->ListTemplates(inbox_.id)->empty());
}

TEST_F(StoreTest, ChecksRewrittenAsComparisonsStillRejectWhatTheyRejected) {
  auto r = store_->IngestInbound(Inbound("m1", "u1", "hi"));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(store_->AppendOutbound(QueuedReply(r->conversation.id)).ok());
  auto db = sqlite::Db::Open((dir_ / "meridian.db").string(), false).value();
  auto schema = db->Prepare(
      "SELECT group_concat(sql, ' ') FROM sqlite_schema WHERE type = 'table'"
      " AND name IN ('conversations', 'messages', 'outbox')");
  ASSERT_TRUE(schema.ok());
  {
    sqlite::StmtScope scope(**schema);
    ASSERT_TRUE(*(*schema)->Step());
    std::string sql = (*schema)->Text(0);
    EXPECT_EQ(sql.find("status IN ("), std::string::npos) << sql;
    EXPECT_EQ(sql.find("sender_kind IN ("), std::string::npos) << sql;
    EXPECT_EQ(sql.find("state IN ("), std::string::npos) << sql;
    EXPECT_NE(sql.find("status = 'snoozed'"), std::string::npos) << sql;
  }
  EXPECT_FALSE(db->Exec("UPDATE conversations SET status = 'archived'").ok());
  EXPECT_FALSE(db->Exec("UPDATE messages SET sender_kind = 'robot'").ok());
  EXPECT_FALSE(db->Exec("UPDATE outbox SET state = 'lost'").ok());
  EXPECT_TRUE(db->Exec("UPDATE conversations SET status = 'snoozed'").ok());
  auto check = db->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  sqlite::StmtScope scope(**check);
  ASSERT_TRUE(*(*check)->Step());
  EXPECT_EQ((*check)->Text(0), "ok");
}

TEST_F(StoreTest, MigrationEightMovesConfigTemplatesIntoTheStore) {
  Inbox wa;
  wa.channel = "whatsapp";
  wa.name = "WA";
  wa.config_json =
      R"({"phone_number_id":"1","templates":[{"name":"order_update","languages":["en_US","de"]},)"
      R"({"name":7,"languages":["x"]}]})";
  Inbox broken = wa;
  broken.config_json = "not json";
  Id wa_id = store_->CreateInbox(wa)->id;
  Id broken_id = store_->CreateInbox(broken)->id;
  // Back to the schema before migration 8, as an older installation has it.
  {
    auto db = sqlite::Db::Open((dir_ / "meridian.db").string(), false).value();
    ASSERT_TRUE(db->Exec("DROP TABLE message_templates; DROP INDEX outbox_by_message;"
                         " DELETE FROM schema_migrations WHERE version = 8")
                    .ok());
  }
  ASSERT_TRUE(store_->Migrate().ok());
  auto templates = store_->ListTemplates(wa_id);
  ASSERT_EQ(templates->size(), 1u) << "the malformed entry is skipped";
  EXPECT_EQ((*templates)[0].name, "order_update");
  EXPECT_EQ((*templates)[0].languages, (std::vector<std::string>{"en_US", "de"}));
  EXPECT_EQ(store_->GetInbox(wa_id)->config_json, R"({"phone_number_id":"1"})");
  EXPECT_EQ(store_->GetInbox(broken_id)->config_json, "not json") << "left alone";
}

TEST_F(StoreTest, DeadLetterRetryResetsAttemptsAndClearsTheError) {
  auto in = store_->IngestInbound(Inbound("m1", "u1", "hi"));
  OutboundMessage reply = QueuedReply(in->conversation.id);
  auto r = store_->AppendOutbound(reply);
  auto claimed = store_->ClaimOutbox(0, 1, 10);
  ASSERT_EQ(claimed->size(), 1u);
  Id outbox_id = (*claimed)[0].id;
  EXPECT_TRUE(store_->RetryDeadLetter(outbox_id, now_).status().is_conflict())
      << "still being delivered";
  auto dead = store_->FailOutbox(outbox_id, "400 (#100) Invalid parameter", 0, true);
  EXPECT_EQ(dead->status_error, "400 (#100) Invalid parameter") << "agents see why";
  EXPECT_EQ(dead->dead_letter_id, outbox_id);
  auto entry = store_->GetOutboxEntry(outbox_id);
  EXPECT_TRUE(entry->item.dead);
  EXPECT_EQ(entry->conversation_id, in->conversation.id);
  EXPECT_EQ(entry->text, "hello");
  EXPECT_EQ(store_->ListDeadLetters(10)->front().contact_name, "Customer u1");

  auto retried = store_->RetryDeadLetter(outbox_id, now_ + 5);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->status, DeliveryStatus::kPending);
  EXPECT_EQ(retried->status_error, "");
  EXPECT_FALSE(retried->dead_letter_id.has_value());
  EXPECT_TRUE(store_->ListDeadLetters(10)->empty());
  EXPECT_TRUE(store_->ClaimOutbox(now_ + 4, now_ + 100, 10)->empty()) << "due at the retry";
  auto again = store_->ClaimOutbox(now_ + 5, now_ + 100, 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 0) << "attempts reset";
  ASSERT_TRUE(store_->CompleteOutbox(outbox_id, now_ + 6).ok());
  auto twice = store_->RetryDeadLetter(outbox_id, now_);
  EXPECT_TRUE(twice.status().is_conflict());
  EXPECT_EQ(twice.status().reason(), "not_dead_letter");
  EXPECT_TRUE(store_->RetryDeadLetter(outbox_id + 100, now_).status().is_not_found());
  EXPECT_EQ(store_->GetMessage(r->message.id)->status, DeliveryStatus::kSent);
}

TEST_F(StoreTest, WatermarksMoveEarlierMessagesOfThatCustomerForwardOnly) {
  auto in = store_->IngestInbound(Inbound("m1", "psid-1", "hi"));
  auto other = store_->IngestInbound(Inbound("m2", "psid-2", "hi"));
  auto send = [&](Id conversation, TimestampMs sent_at) {
    Id id = store_->AppendOutbound(QueuedReply(conversation, "reply"))->message.id;
    auto claimed = store_->ClaimOutbox(INT64_MAX / 2, INT64_MAX / 2 + 1, 10);
    EXPECT_TRUE(store_->CompleteOutbox(claimed->front().id, sent_at).ok());
    return id;
  };
  Id early = send(in->conversation.id, 1000);
  Id on_mark = send(in->conversation.id, 2000);
  Id late = send(in->conversation.id, 3000);
  Id someone_else = send(other->conversation.id, 1000);
  Id unsent = store_->AppendOutbound(QueuedReply(in->conversation.id, "not sent"))->message.id;

  auto read = store_->ApplyStatusWatermark(inbox_.id, "psid-1", DeliveryStatus::kRead, 2000);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].id, early);
  EXPECT_EQ((*read)[1].id, on_mark) << "at the watermark counts";
  EXPECT_EQ(store_->GetMessage(late)->status, DeliveryStatus::kSent);
  EXPECT_EQ(store_->GetMessage(someone_else)->status, DeliveryStatus::kSent);
  EXPECT_EQ(store_->GetMessage(unsent)->status, DeliveryStatus::kPending);

  auto delivered =
      store_->ApplyStatusWatermark(inbox_.id, "psid-1", DeliveryStatus::kDelivered, 5000);
  ASSERT_EQ(delivered->size(), 1u) << "only `late`; read ones never move back";
  EXPECT_EQ(delivered->front().id, late);
  EXPECT_EQ(store_->GetMessage(early)->status, DeliveryStatus::kRead);
  EXPECT_TRUE(
      store_->ApplyStatusWatermark(inbox_.id, "psid-1", DeliveryStatus::kRead, 1000)->empty())
      << "a repeated receipt changes nothing";
  EXPECT_FALSE(
      store_->ApplyStatusWatermark(inbox_.id, "psid-1", DeliveryStatus::kFailed, 9000).ok());
}

// ---- Translation (migration 5) ----

TEST_F(StoreTest, AgentPreferencesChangeOnlyTheFieldsGiven) {
  Agent a = store_->CreateAgent({"li@example.com", "Li", Role::kAgent, "hash", "en"}).value();
  EXPECT_EQ(a.translation_language, "");
  auto b = store_->UpdateAgentPreferences(a.id, {.translation_language = "zh-CN"});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->translation_language, "zh-CN");
  EXPECT_EQ(b->language, "en");
  auto c = store_->UpdateAgentPreferences(a.id, {.language = "zh-CN"});
  EXPECT_EQ(c->translation_language, "zh-CN");
  EXPECT_EQ(store_->GetAgent(a.id)->language, "zh-CN");
  EXPECT_EQ(
      store_->UpdateAgentPreferences(a.id, {.translation_language = ""})->translation_language, "");
  EXPECT_TRUE(store_->UpdateAgentPreferences(9999, {.language = "en"}).status().is_not_found());
}

TEST_F(StoreTest, ReplySentInTranslationKeepsTheOriginal) {
  auto in = store_->IngestInbound(Inbound("p-1", "c-1", "Hola")).value();
  OutboundMessage out;
  out.conversation_id = in.conversation.id;
  out.text = "Llega el jueves.";
  out.language = "es";
  out.original_text = "It arrives on Thursday.";
  out.original_language = "en";
  out.created_at = now_++;
  auto r = store_->AppendOutbound(out).value();
  Message m = store_->GetMessage(r.message.id).value();
  EXPECT_EQ(m.text, "Llega el jueves.");
  EXPECT_EQ(m.language, "es");
  EXPECT_EQ(m.original_text, "It arrives on Thursday.");
  EXPECT_EQ(m.original_language, "en");
  EXPECT_EQ(store_->GetMessage(in.message.id)->original_text, "");
}

TEST_F(StoreTest, MessageTranslationsAreCachedPerLanguage) {
  auto in = store_->IngestInbound(Inbound("p-1", "c-1", "Hola")).value();
  Id id = in.message.id;
  EXPECT_TRUE(store_->ListMessageTranslations({id}, "en")->empty());
  ASSERT_TRUE(store_->SaveMessageTranslation({id, "en", "Hello", "apertium", now_}).ok());
  ASSERT_TRUE(store_->SaveMessageTranslation({id, "ca", "Hola!", "apertium", now_}).ok());
  ASSERT_TRUE(store_->SaveMessageTranslation({id, "en", "Hi", "memory", now_}).ok());
  auto en = store_->ListMessageTranslations({id, id + 100}, "en").value();
  ASSERT_EQ(en.size(), 1u);
  EXPECT_EQ(en[0].text, "Hi") << "a later save overwrites";
  EXPECT_EQ(en[0].engine, "memory");
  EXPECT_EQ(store_->ListMessageTranslations({id}, "ca")->at(0).text, "Hola!");
  EXPECT_TRUE(
      store_->SaveMessageTranslation({id + 100, "en", "x", "apertium", now_}).is_not_found());
}

TEST_F(StoreTest, TranslationMemoryUpsertNeverLetsAMachineSegmentReplaceAnApprovedOne) {
  TmEntry e{.from = "en", .to = "es", .source = "Thanks!", .target = "¡Gracias!", .approved = true};
  e.updated_at = now_;
  TmEntry saved = store_->UpsertTmEntry(e).value();
  EXPECT_GT(saved.id, 0);
  TmEntry machine = e;
  machine.target = "Gracias";
  machine.approved = false;
  TmEntry kept = store_->UpsertTmEntry(machine).value();
  EXPECT_EQ(kept.id, saved.id);
  EXPECT_EQ(kept.target, "¡Gracias!");
  TmEntry edited = e;
  edited.target = "¡Muchas gracias!";
  EXPECT_EQ(store_->UpsertTmEntry(edited)->target, "¡Muchas gracias!");
  // Other pairs and other sources are separate segments.
  ASSERT_TRUE(
      store_->UpsertTmEntry({.from = "en", .to = "ca", .source = "Thanks!", .target = "Gràcies!"})
          .ok());
  ASSERT_TRUE(
      store_->UpsertTmEntry({.from = "en", .to = "es", .source = "Bye", .target = "Adiós"}).ok());

  EXPECT_EQ(store_->ListTmEntries({})->size(), 3u);
  EXPECT_EQ(store_->ListTmEntries({.from = "en", .to = "es"})->size(), 2u);
  auto found = store_->ListTmEntries({.text = "MUCHAS"}).value();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].source, "Thanks!");
  auto page = store_->ListTmEntries({.limit = 2}).value();
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(store_->ListTmEntries({.after_id = page.back().id})->size(), 1u);
  EXPECT_TRUE(store_->ListTmEntries({.account_id = 2})->empty());

  EXPECT_EQ(store_->DeleteTmEntry(1, saved.id)->target, "¡Muchas gracias!");
  EXPECT_TRUE(store_->DeleteTmEntry(1, saved.id).status().is_not_found());
  EXPECT_EQ(store_->ListTmEntries({})->size(), 2u);
}

TEST_F(StoreTest, GlossaryTermsAreUniquePerKindPairAndSource) {
  GlossaryEntry dnt{.kind = GlossaryKind::kDoNotTranslate, .source = "Meridian"};
  GlossaryEntry forced{.kind = GlossaryKind::kForced,
                       .from = "en",
                       .to = "es",
                       .source = "gift card",
                       .target = "tarjeta regalo",
                       .target_plural = "tarjetas regalo",
                       .case_sensitive = true};
  GlossaryEntry a = store_->CreateGlossaryEntry(dnt).value();
  GlossaryEntry b = store_->CreateGlossaryEntry(forced).value();
  EXPECT_EQ(store_->CreateGlossaryEntry(dnt).status().reason(), "glossary_term_exists");
  forced.to = "pt";
  EXPECT_TRUE(store_->CreateGlossaryEntry(forced).ok()) << "another pair is another term";
  auto all = store_->ListGlossaryEntries(1).value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, a.id);
  EXPECT_EQ(all[1].kind, GlossaryKind::kForced);
  EXPECT_EQ(all[1].target_plural, "tarjetas regalo");
  EXPECT_TRUE(all[1].case_sensitive);
  EXPECT_FALSE(all[0].case_sensitive);
  EXPECT_EQ(store_->DeleteGlossaryEntry(1, b.id)->source, "gift card");
  EXPECT_TRUE(store_->DeleteGlossaryEntry(1, b.id).status().is_not_found());
  EXPECT_TRUE(store_->DeleteGlossaryEntry(2, a.id).status().is_not_found()) << "another account";
  EXPECT_EQ(store_->ListGlossaryEntries(1)->size(), 2u);
}

TEST_F(StoreTest, UpdateInboxBumpsTheRevisionAndRefusesAStaleOne) {
  EXPECT_EQ(inbox_.revision, 0);
  Inbox changed = inbox_;
  changed.name = "Marketplace EU";
  changed.config_json = R"({"callback_url":"https://example.com/cb"})";
  changed.secret = "n3w";
  changed.previous_secret = "s3cret";
  changed.previous_secret_until = 123456;
  auto updated = store_->UpdateInbox(changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->revision, 1);
  // Read back through this store (its cache is replaced at once) and past any cache.
  for (const Inbox& read : {store_->GetInbox(inbox_.id).value(), store_->ListInboxes()->front()}) {
    EXPECT_EQ(read.name, "Marketplace EU");
    EXPECT_EQ(read.config_json, changed.config_json);
    EXPECT_EQ(read.secret, "n3w");
    EXPECT_EQ(read.previous_secret, "s3cret");
    EXPECT_EQ(read.previous_secret_until, 123456);
    EXPECT_EQ(read.revision, 1);
    EXPECT_EQ(read.created_at, inbox_.created_at);
  }
  // Written from revision 0 again: someone changed it since; nothing is written.
  Inbox stale = inbox_;
  stale.name = "Lost update";
  EXPECT_TRUE(store_->UpdateInbox(stale).status().is_conflict());
  EXPECT_EQ(store_->GetInbox(inbox_.id)->name, "Marketplace EU");
  Inbox missing = inbox_;
  missing.id = 999;
  EXPECT_EQ(store_->UpdateInbox(missing).status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, AnotherProcessesInboxChangeShowsWithinTheCacheTime) {
  // Two stores on one database stand for the server and `meridian inbox update`.
  auto other = OpenSqliteStore({.path = (dir_ / "meridian.db").string()});
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  ASSERT_EQ(store_->GetInbox(inbox_.id)->name, "Marketplace");  // cached here now
  Inbox changed = (*other)->GetInbox(inbox_.id).value();
  changed.name = "Renamed elsewhere";
  ASSERT_TRUE((*other)->UpdateInbox(changed).ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kInboxCacheMs * 3);
  std::string seen;
  while (std::chrono::steady_clock::now() < deadline) {
    seen = store_->GetInbox(inbox_.id)->name;
    if (seen == "Renamed elsewhere") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(seen, "Renamed elsewhere");
}

// The disk refuses to confirm a write (fdatasync fails, as on EIO): that write is not
// acknowledged, and no write after it is either, even when syncing works again, because the
// kernel may have dropped the failed pages and a retry would be told "duplicate, stored".
TEST(StoreDiskFailureTest, AFailedSyncStopsEveryLaterWriteUntilARestart) {
  auto dir = FreshTestDir("meridian-disk-failure-");
  std::atomic<bool> failing{false};
  StoreOptions options{.path = (dir / "meridian.db").string()};
  options.datasync = [&failing](int fd) {
    if (failing.load()) {
      errno = EIO;
      return -1;
    }
    return ::fdatasync(fd);
  };
  auto message = [](Id inbox, const std::string& id) {
    InboundMessage m;
    m.inbox_id = inbox;
    m.external_sender_id = "cust";
    m.provider_message_id = id;
    m.text = "hello " + id;
    m.received_at = 1;
    return m;
  };
  Id inbox = 0;
  {
    auto store = OpenSqliteStore(options).value();
    ASSERT_TRUE(store->Migrate().ok());
    inbox = store->CreateInbox({.channel = "api", .name = "API", .secret = "s"}).value().id;
    ASSERT_TRUE(store->IngestInbound(message(inbox, "before")).ok());
    EXPECT_TRUE(store->WriteHealth().ok());

    failing = true;
    auto lost = store->IngestInbound(message(inbox, "during"));
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.status().reason(), "storage_failed");
    EXPECT_EQ(store->WriteHealth().reason(), "storage_failed");

    failing = false;  // the disk answers again: still nothing is taken
    EXPECT_EQ(store->IngestInbound(message(inbox, "after")).status().reason(), "storage_failed");
    auto retry = store->IngestInbound(message(inbox, "during"));
    EXPECT_EQ(retry.status().reason(), "storage_failed") << "a retry is never told it is stored";
    EXPECT_EQ(store->WriteHealth().code(), StatusCode::kUnavailable);
  }
  // A restart recovers from the disk: what was acknowledged is there, what came after is not.
  auto reopened = OpenSqliteStore({.path = (dir / "meridian.db").string()}).value();
  EXPECT_TRUE(reopened->WriteHealth().ok());
  auto page = reopened->ListConversations({}).value();
  ASSERT_EQ(page.items.size(), 1u);
  std::vector<std::string> texts;
  auto messages = reopened->ListMessages(page.items[0].id, "", 10).value();
  for (const auto& m : messages.items) texts.push_back(m.text);
  EXPECT_NE(std::find(texts.begin(), texts.end(), "hello before"), texts.end());
  EXPECT_EQ(std::find(texts.begin(), texts.end(), "hello after"), texts.end());
  EXPECT_TRUE(reopened->IngestInbound(message(inbox, "after restart")).ok());
  reopened.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace meridian::store
