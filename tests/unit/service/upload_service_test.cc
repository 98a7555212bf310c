// Files in web chat (CH9): the allow-list by sniffed type, the size limit, file names, and that
// a failed or duplicate message never leaves its blob behind. A real SQLite store and blob store
// in a temporary directory; a trigger makes the store refuse attachment rows, as a full disk
// or a broken database would.
#include "service/upload_service.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <future>

#include "channels/api/api_channel.h"
#include "channels/common/provider.h"
#include "channels/webchat/webchat_channel.h"
#include "service/outbox_worker.h"

namespace meridian::service {
namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16) + std::string(32, '\7');
const std::string kPdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n";
const std::string kHtml = "<!DOCTYPE html><script>alert(1)</script>";

TEST(CheckUploadTest, AcceptsOnlyTheAllowListBySniffedType) {
  EXPECT_EQ(CheckUpload(kPng, 1000)->mime, "image/png");
  EXPECT_EQ(CheckUpload(kPdf, 1000)->mime, "application/pdf");
  EXPECT_EQ(CheckUpload("Order 4711, size M", 1000)->mime, "text/plain");
  EXPECT_EQ(CheckUpload(kHtml, 1000).status().reason(), "unsupported_media_type");
  EXPECT_EQ(CheckUpload("<svg xmlns='http://www.w3.org/2000/svg'/>", 1000).status().reason(),
            "unsupported_media_type");
  EXPECT_EQ(CheckUpload(std::string("PK\3\4zip", 7), 1000).status().reason(),
            "unsupported_media_type");
  EXPECT_EQ(CheckUpload("", 1000).status().reason(), "empty_file");
  EXPECT_TRUE(CheckUpload(kPng, static_cast<int64_t>(kPng.size())).ok());
  Status big = CheckUpload(kPng, static_cast<int64_t>(kPng.size()) - 1).status();
  EXPECT_EQ(big.code(), StatusCode::kTooLarge);
}

TEST(CleanFilenameTest, KeepsTheNameWithoutPathsOrControlCharacters) {
  EXPECT_EQ(CleanFilename("Foto März.jpg", "png"), "Foto März.jpg");
  EXPECT_EQ(CleanFilename("../../etc/passwd", "txt"), "passwd");
  EXPECT_EQ(CleanFilename("C:\\Users\\ana\\scan.pdf", "pdf"), "scan.pdf");
  EXPECT_EQ(CleanFilename("a\r\nb\"c.png", "png"), "abc.png");
  EXPECT_EQ(CleanFilename("", "png"), "file.png");
  EXPECT_EQ(CleanFilename("..", "pdf"), "file.pdf");
  EXPECT_EQ(CleanFilename("\xFF\xFE", "pdf"), "file.pdf");  // not UTF-8
  EXPECT_LE(CleanFilename(std::string(500, 'x'), "txt").size(), 200u);
}

// A provider-like channel that takes files through the outbox and records what it is asked to
// deliver (the real providers' requests are tested in channels/providers_test.cc).
class FileTakingChannel final : public channels::Channel {
 public:
  FileTakingChannel(std::vector<channels::OutboundDelivery>* sent, bool takes_files)
      : sent_(sent), takes_files_(takes_files) {}
  std::string_view name() const override { return takes_files_ ? "files" : "textonly"; }
  channels::Capabilities capabilities() const override {
    return {.uses_outbox = true, .sends_attachments = takes_files_, .max_caption_chars = 10};
  }
  Status VerifyWebhook(const channels::HeaderLookup&, std::string_view) const override {
    return Status::Ok();
  }
  Result<std::vector<channels::InboundEvent>> ParseWebhook(std::string_view) const override {
    return std::vector<channels::InboundEvent>{};
  }
  channels::SendResult Send(const channels::OutboundDelivery& d, HttpClient&) const override {
    sent_->push_back(d);
    return {};
  }

 private:
  std::vector<channels::OutboundDelivery>* sent_;
  bool takes_files_;
};

class FileTakingFactory final : public channels::ChannelFactory {
 public:
  FileTakingFactory(std::vector<channels::OutboundDelivery>* sent, bool takes_files)
      : sent_(sent), takes_files_(takes_files) {}
  Result<std::unique_ptr<channels::Channel>> Create(const Inbox&) const override {
    return std::unique_ptr<channels::Channel>(new FileTakingChannel(sent_, takes_files_));
  }

 private:
  std::vector<channels::OutboundDelivery>* sent_;
  bool takes_files_;
};

class NoHttp final : public HttpClient {
 public:
  Result<HttpClientResponse> Send(const HttpClientRequest&) override {
    return Status::Unavailable("no network in this test");
  }
};

class NullSink : public EventSink {
 public:
  void Publish(const Event&) override {}
};

class UploadServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("meridian-upload-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = store::OpenSqliteStore({.path = (dir_ / "db").string()}).value();
    ASSERT_TRUE(store_->Migrate().ok());
    blobs_ = store::BlobStore::Open(dir_ / "blobs").value();
    registry_.Register("webchat", channels::MakeWebchatChannelFactory({.max_upload_bytes = 4096}));
    registry_.Register("api", channels::MakeApiChannelFactory());
    registry_.Register("files", std::make_unique<FileTakingFactory>(&sent_, true));
    registry_.Register("textonly", std::make_unique<FileTakingFactory>(&sent_, false));
    Inbox web;
    web.channel = "webchat";
    web.name = "Shop";
    web_ = store_->CreateInbox(web).value();
    Inbox api;
    api.channel = "api";
    api.name = "API";
    api.secret = "0123456789abcdef0123456789abcdef";
    api.config_json = R"({"callback_url":"http://127.0.0.1:1/cb"})";
    api_ = store_->CreateInbox(api).value();
    conversations_ = std::make_unique<ConversationService>(*store_, registry_, sink_, clock_);
    uploads_ = std::make_unique<UploadService>(*store_, *blobs_, registry_, *conversations_);
    agent_ = store_->CreateAgent({"a@example.com", "Ana", Role::kAgent, "x", "en"}).value();
  }
  void TearDown() override {
    uploads_.reset();
    conversations_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<store::IngestResult> Receive(Id inbox, const std::string& client_id,
                                      const std::string& bytes, const std::string& caption = "") {
    store::InboundMessage m;
    m.inbox_id = inbox;
    m.external_sender_id = "visitor-1";
    m.provider_message_id = "visitor-1:" + client_id;
    m.text = caption;
    std::promise<Result<store::IngestResult>> p;
    uploads_->ReceiveAsync(m, {bytes, "photo.jpg", "image/jpeg"},
                           [&](Result<store::IngestResult> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  Result<store::AppendResult> Reply(Id conversation, const std::string& bytes,
                                    const std::string& caption = "") {
    std::promise<Result<store::AppendResult>> p;
    uploads_->ReplyAsync(conversation, agent_, caption, {bytes, "label.pdf", "application/pdf"},
                         std::nullopt,
                         [&](Result<store::AppendResult> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  int BlobFiles() const {
    int n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_ / "blobs")) {
      if (e.is_regular_file()) ++n;
    }
    return n;
  }

  // Runs SQL on the database from outside the store (a second connection).
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  std::vector<channels::OutboundDelivery> sent_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::BlobStore> blobs_;
  channels::ChannelRegistry registry_;
  NullSink sink_;
  FakeClock clock_{1'764'000'000'000};
  std::unique_ptr<ConversationService> conversations_;
  std::unique_ptr<UploadService> uploads_;
  Inbox web_, api_;
  Agent agent_;
};

TEST_F(UploadServiceTest, StoresTheFileWithItsMessage) {
  auto r = Receive(web_.id, "c1", kPng, "So kam es an");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->message.text, "So kam es an");
  EXPECT_EQ(r->message.content_type, "image");
  ASSERT_EQ(r->message.attachments.size(), 1u);
  const Attachment& a = r->message.attachments[0];
  EXPECT_EQ(a.content_type, "image/png");  // sniffed, not the claimed JPEG
  EXPECT_EQ(a.claimed_type, "image/jpeg");
  EXPECT_EQ(a.filename, "photo.jpg");
  EXPECT_EQ(blobs_->Get(a.sha256_hex).value(), kPng);
  EXPECT_EQ(store_->GetAttachment(a.id)->message_id, r->message.id);

  auto pdf = Receive(web_.id, "c2", kPdf);
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(pdf->message.text, "[document]");
  EXPECT_EQ(pdf->message.content_type, "document");
}

TEST_F(UploadServiceTest, RefusalsStoreNothing) {
  EXPECT_EQ(Receive(web_.id, "c1", kHtml).status().reason(), "unsupported_media_type");
  EXPECT_EQ(Receive(web_.id, "c2", kPng + std::string(5000, 'x')).status().code(),
            StatusCode::kTooLarge);
  EXPECT_EQ(Receive(web_.id, "c3", kPng, std::string(20000, 'x')).status().code(),
            StatusCode::kTooLarge);  // the caption
  EXPECT_EQ(BlobFiles(), 0);
  EXPECT_FALSE(store_->LatestConversationOf(web_.id, "visitor-1").value().has_value());
}

TEST_F(UploadServiceTest, ADuplicateKeepsOneMessageAndNoStrayBlob) {
  auto first = Receive(web_.id, "c1", kPng);
  ASSERT_TRUE(first.ok());
  // The same client id again, once with the same file and once with another one.
  auto same = Receive(web_.id, "c1", kPng);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->duplicate);
  EXPECT_EQ(same->message.id, first->message.id);
  auto other = Receive(web_.id, "c1", kPdf);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->duplicate);
  EXPECT_EQ(BlobFiles(), 1);
  EXPECT_TRUE(blobs_->Contains(first->message.attachments[0].sha256_hex));
}

TEST_F(UploadServiceTest, WhenTheMessageCannotBeWrittenTheBlobIsRemoved) {
  auto kept = Receive(web_.id, "c0", kPdf);  // a blob other rows name stays
  ASSERT_TRUE(kept.ok());
  Sql("CREATE TRIGGER refuse BEFORE INSERT ON attachments BEGIN"
      " SELECT RAISE(ABORT, 'disk trouble'); END;");
  auto r = Receive(web_.id, "c1", kPng);
  EXPECT_FALSE(r.ok());
  auto again = Receive(web_.id, "c2", kPdf);
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(BlobFiles(), 1);
  EXPECT_TRUE(blobs_->Contains(kept->message.attachments[0].sha256_hex));
  auto conversation = store_->LatestConversationOf(web_.id, "visitor-1").value();
  ASSERT_TRUE(conversation.has_value());
  EXPECT_EQ(store_->ListMessages(*conversation, "", 10)->items.size(), 1u);
  // An agent's file likewise.
  auto reply = Reply(*conversation, kPng);
  EXPECT_FALSE(reply.ok());
  EXPECT_EQ(BlobFiles(), 1);
  Sql("DROP TRIGGER refuse;");
  ASSERT_TRUE(Receive(web_.id, "c1", kPng).ok());
  EXPECT_EQ(BlobFiles(), 2);
}

TEST_F(UploadServiceTest, AgentFilesGoOnlyWhereTheChannelDeliversThem) {
  auto visitor = Receive(web_.id, "c1", kPng);
  ASSERT_TRUE(visitor.ok());
  auto reply = Reply(visitor->conversation.id, kPdf);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->message.direction, Direction::kOut);
  EXPECT_EQ(reply->message.text, "[document]");
  ASSERT_EQ(reply->message.attachments.size(), 1u);
  EXPECT_EQ(reply->message.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(store_->GetMessage(reply->message.id)->attachments.size(), 1u);

  Inbox text_only;
  text_only.channel = "textonly";
  text_only.name = "SMS";
  store::InboundMessage m;
  m.inbox_id = store_->CreateInbox(text_only).value().id;
  m.external_sender_id = "cust";
  m.provider_message_id = "sms-1";
  m.text = "hello";
  auto sms = store_->IngestInbound(m).value();
  int before = BlobFiles();
  EXPECT_EQ(Reply(sms.conversation.id, kPdf + "x").status().reason(), "attachments_not_supported");
  EXPECT_EQ(BlobFiles(), before);
}

TEST_F(UploadServiceTest, TheOutboxSendsAFileWithItsBytesAndFailsWhenTheyAreGone) {
  Inbox files;
  files.channel = "files";
  files.name = "Provider";
  Id inbox = store_->CreateInbox(files).value().id;
  store::InboundMessage m;
  m.inbox_id = inbox;
  m.external_sender_id = "cust";
  m.provider_message_id = "f-1";
  m.text = "my receipt please";
  Id conversation = store_->IngestInbound(m).value().conversation.id;
  NoHttp http;
  OutboxWorker worker({}, *store_, registry_, http, *conversations_, clock_, blobs_.get());

  // Sent alone: the placeholder text is not a caption. With a caption: it is.
  ASSERT_TRUE(Reply(conversation, kPdf).ok());
  ASSERT_TRUE(Reply(conversation, kPdf + " ", "Receipt").ok());
  EXPECT_EQ(worker.RunOnce(), 2);
  ASSERT_EQ(sent_.size(), 2u);
  ASSERT_EQ(sent_[0].files.size(), 1u);
  EXPECT_EQ(sent_[0].files[0].bytes, kPdf);
  EXPECT_EQ(sent_[0].files[0].filename, "label.pdf");
  EXPECT_EQ(sent_[0].files[0].content_type, "application/pdf");
  EXPECT_EQ(sent_[0].message.text, "[document]");
  EXPECT_EQ(channels::FileCaption(sent_[0]), "");
  EXPECT_EQ(channels::FileCaption(sent_[1]), "Receipt");

  // A caption longer than the channel takes: refused before anything is stored.
  int blobs = BlobFiles();
  EXPECT_EQ(Reply(conversation, kPdf + "  ", "Eleven char").status().reason(), "caption_too_long");
  EXPECT_EQ(BlobFiles(), blobs);

  // The file's blob is gone by the time of sending: a dead letter that says so, nothing sent.
  auto lost = Reply(conversation, kPdf + "   ");
  ASSERT_TRUE(lost.ok());
  ASSERT_TRUE(blobs_->Remove(lost->message.attachments[0].sha256_hex).ok());
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_EQ(sent_.size(), 2u);
  auto dead = store_->ListDeadLetters(10).value();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(dead[0].item.last_error.find("cannot be read"), std::string::npos)
      << dead[0].item.last_error;
  EXPECT_EQ(store_->GetMessage(lost->message.id)->status, DeliveryStatus::kFailed);
}

}  // namespace
}  // namespace meridian::service

namespace meridian::service {
namespace {

TEST(UploadQuotaTest, FilesPerWindowRefillOverTime) {
  UploadQuota quota({.files = 3, .bytes = 1'000'000, .window_ms = 60'000});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(quota.Take("v1", 10, 1'000), 0) << i;
  EXPECT_EQ(quota.Take("v1", 10, 1'000), 20'000) << "one file comes back every 20 s";
  EXPECT_EQ(quota.Take("v2", 10, 1'000), 0) << "visitors are counted apart";
  EXPECT_EQ(quota.Take("v1", 10, 11'000), 10'000);
  EXPECT_EQ(quota.Take("v1", 10, 21'000), 0);
  EXPECT_GT(quota.Take("v1", 10, 21'000), 0);
}

TEST(UploadQuotaTest, BytesPerWindowAndFilesLargerThanTheAllowance) {
  UploadQuota quota({.files = 100, .bytes = 1'000, .window_ms = 1'000});
  EXPECT_EQ(quota.Take("v", 600, 0), 0);
  EXPECT_EQ(quota.Take("v", 600, 0), 200) << "200 bytes short at 1 byte/ms";
  EXPECT_EQ(quota.Take("v", 600, 200), 0);
  // A file over the whole allowance takes all of it, once it is whole again.
  EXPECT_EQ(quota.Take("w", 5'000, 0), 0);
  EXPECT_EQ(quota.Take("w", 1, 0), 1);
  EXPECT_EQ(quota.Take("w", 5'000, 500), 500);
  EXPECT_EQ(quota.Take("w", 5'000, 1'000), 0);
}

}  // namespace
}  // namespace meridian::service
