// The media worker (CH9) over a real SQLite store with a fake clock and a scripted channel:
// permanent provider answers fail a download at once, transient ones are retried with backoff
// no sooner than the provider's Retry-After, and an oversize download is described only.
#include "service/media_worker.h"

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <future>

#include "channels/channel.h"

namespace meridian::service {
namespace {

class NoEvents : public EventSink {
 public:
  void Publish(const Event&) override {}
};

// A channel whose FetchMedia answers from a script (the last answer repeats).
class ScriptedMediaChannel final : public channels::Channel {
 public:
  explicit ScriptedMediaChannel(std::deque<Result<channels::FetchedMedia>>* script)
      : script_(script) {}
  std::string_view name() const override { return "scripted"; }
  channels::Capabilities capabilities() const override {
    channels::Capabilities c;
    c.max_attachment_bytes = 1000;
    return c;
  }
  Status VerifyWebhook(const channels::HeaderLookup&, std::string_view) const override {
    return Status::Ok();
  }
  Result<std::vector<channels::InboundEvent>> ParseWebhook(std::string_view) const override {
    return std::vector<channels::InboundEvent>();
  }
  channels::SendResult Send(const channels::OutboundDelivery&, HttpClient&) const override {
    return {};
  }
  Result<channels::FetchedMedia> FetchMedia(const channels::MediaSource& source, HttpClient&,
                                            int64_t max_bytes) const override {
    ++calls;
    last_max_bytes = max_bytes;
    EXPECT_EQ(source.id, "media-1");
    auto answer = script_->front();
    if (script_->size() > 1) script_->pop_front();
    return answer;
  }
  mutable int calls = 0;
  mutable int64_t last_max_bytes = 0;

 private:
  std::deque<Result<channels::FetchedMedia>>* script_;
};

class ScriptedFactory final : public channels::ChannelFactory {
 public:
  explicit ScriptedFactory(ScriptedMediaChannel** made,
                           std::deque<Result<channels::FetchedMedia>>* script)
      : made_(made), script_(script) {}
  Result<std::unique_ptr<channels::Channel>> Create(const Inbox&) const override {
    auto c = std::make_unique<ScriptedMediaChannel>(script_);
    *made_ = c.get();
    return std::unique_ptr<channels::Channel>(std::move(c));
  }

 private:
  ScriptedMediaChannel** made_;
  std::deque<Result<channels::FetchedMedia>>* script_;
};

class NoHttp : public HttpClient {
 public:
  Result<HttpClientResponse> Send(const HttpClientRequest&) override {
    return Status::Internal("no HTTP in this test");
  }
};

class MediaWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("meridian-media-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = store::OpenSqliteStore({.path = (dir_ / "db").string()}).value();
    ASSERT_TRUE(store_->Migrate().ok());
    blobs_ = store::BlobStore::Open(dir_ / "blobs").value();
    registry_.Register("scripted", std::make_unique<ScriptedFactory>(&channel_, &script_));
    Inbox inbox;
    inbox.channel = "scripted";
    inbox.name = "Scripted";
    inbox_ = store_->CreateInbox(inbox).value();
    conversations_ = std::make_unique<ConversationService>(*store_, registry_, sink_, clock_);
    worker_ = std::make_unique<MediaWorker>(
        MediaWorkerOptions{.max_attempts = 4, .base_delay_ms = 1000, .max_delay_ms = 60'000},
        *store_, registry_, http_, *blobs_, *conversations_, clock_);
    store::InboundMessage m;
    m.inbox_id = inbox_.id;
    m.external_sender_id = "cust";
    m.provider_message_id = "p1";
    m.text = "[image]";
    m.content_type = "image";
    Attachment media;
    media.filename = "image";
    media.stored = false;
    media.download = "pending";
    media.source_json = R"({"id":"media-1"})";
    m.attachments.push_back(media);
    auto ingested = store_->IngestInbound(m);
    ASSERT_TRUE(ingested.ok());
    conversation_id_ = ingested->conversation.id;
  }
  void TearDown() override {
    worker_.reset();
    conversations_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The attachment as agents see it.
  Attachment Current() {
    auto page = store_->ListMessages(conversation_id_, "", 10);
    EXPECT_TRUE(page.ok());
    EXPECT_EQ(page->items.size(), 1u);
    EXPECT_EQ(page->items[0].attachments.size(), 1u);
    return page->items[0].attachments[0];
  }
  std::optional<TimestampMs> NextAt() { return store_->NextPendingDownloadAt().value(); }

  void ExpectFailedAtOnce(const Status& refusal) {
    script_ = {refusal};
    EXPECT_EQ(worker_->RunOnce(), 1);
    clock_.Advance(3'600'000);
    EXPECT_EQ(worker_->RunOnce(), 0) << "nothing left to retry";
    EXPECT_EQ(channel_->calls, 1);
    Attachment a = Current();
    EXPECT_EQ(a.download, "failed");
    EXPECT_NE(a.download_error.find(refusal.message()), std::string::npos) << a.download_error;
    EXPECT_NE(a.download_error.find("not retried"), std::string::npos);
    EXPECT_FALSE(NextAt().has_value());
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::BlobStore> blobs_;
  channels::ChannelRegistry registry_;
  std::deque<Result<channels::FetchedMedia>> script_;
  ScriptedMediaChannel* channel_ = nullptr;
  NoEvents sink_;
  NoHttp http_;
  FakeClock clock_{1'764'000'000'000};
  std::unique_ptr<ConversationService> conversations_;
  std::unique_ptr<MediaWorker> worker_;
  Inbox inbox_;
  Id conversation_id_ = 0;
};

const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(32, 'x');

// Regression: a 404 used to be retried max_attempts times before it was recorded.
TEST_F(MediaWorkerTest, NotFoundFailsAtOnceWithoutRetry) {
  ExpectFailedAtOnce(Status::NotFound("the content request answered HTTP 404", "provider_refused"));
}

TEST_F(MediaWorkerTest, UnauthorizedFailsAtOnceWithoutRetry) {
  ExpectFailedAtOnce(
      Status::Unauthenticated("the content request answered HTTP 401", "provider_refused"));
}

TEST_F(MediaWorkerTest, RetryAfterIsHonouredWhenLongerThanTheBackoff) {
  script_ = {Status::RateLimited("the media download answered HTTP 429").WithRetryAfter(120'000),
             channels::FetchedMedia{kPng, static_cast<int64_t>(kPng.size())}};
  TimestampMs start = clock_.NowMs();
  EXPECT_EQ(worker_->RunOnce(), 1);
  EXPECT_EQ(NextAt(), start + 120'000) << "the provider's 120 s, not our 1 s backoff";
  clock_.Advance(119'000);
  EXPECT_EQ(worker_->RunOnce(), 0);
  clock_.Advance(1'000);
  EXPECT_EQ(worker_->RunOnce(), 1);
  Attachment a = Current();
  EXPECT_EQ(a.download, "");
  EXPECT_TRUE(a.stored);
  EXPECT_EQ(a.content_type, "image/png");
  EXPECT_EQ(channel_->calls, 2);
}

TEST_F(MediaWorkerTest, ServerErrorsBackOffThenGiveUpAfterMaxAttempts) {
  script_ = {Status::Unavailable("the content request answered HTTP 500")};
  TimestampMs start = clock_.NowMs();
  EXPECT_EQ(worker_->RunOnce(), 1);
  EXPECT_EQ(NextAt(), start + 1'000);
  clock_.Advance(1'000);
  EXPECT_EQ(worker_->RunOnce(), 1);
  EXPECT_EQ(NextAt(), clock_.NowMs() + 2'000) << "doubled";
  clock_.Advance(2'000);
  EXPECT_EQ(worker_->RunOnce(), 1);
  clock_.Advance(4'000);
  EXPECT_EQ(worker_->RunOnce(), 1);
  EXPECT_EQ(channel_->calls, 4);
  Attachment a = Current();
  EXPECT_EQ(a.download, "failed");
  EXPECT_NE(a.download_error.find("after 4 attempts"), std::string::npos) << a.download_error;
  EXPECT_NE(a.download_error.find("HTTP 500"), std::string::npos);
}

TEST_F(MediaWorkerTest, OversizeDownloadIsDescribedNotStored) {
  // What FetchMediaUrl answers when the transfer was cut off at the cap.
  script_ = {channels::FetchedMedia{"", 5000}};
  EXPECT_EQ(worker_->RunOnce(), 1);
  EXPECT_EQ(channel_->last_max_bytes, 1000) << "the channel's limit is passed down";
  Attachment a = Current();
  EXPECT_EQ(a.download, "failed");
  EXPECT_FALSE(a.stored);
  EXPECT_EQ(a.size, 5000);
  EXPECT_NE(a.download_error.find("limit of 1000 bytes"), std::string::npos);
}

}  // namespace
}  // namespace meridian::service
