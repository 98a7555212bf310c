// Store contract for email inboxes and attachments (issue 3, CH2/CH9): threading into a named
// conversation, automated mail that does not reopen a resolved conversation, attachments
// stored with their message, and the mailbox sync position.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/store.h"

namespace meridian::store {
namespace {

class MailStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("meridian-mail-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = OpenSqliteStore({.path = (dir_ / "meridian.db").string()}).value();
    ASSERT_TRUE(store_->Migrate().ok());
    inbox_ = store_->CreateInbox({.channel = "email", .name = "Support"}).value();
    other_ = store_->CreateInbox({.channel = "email", .name = "Sales"}).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  InboundMessage Mail(const std::string& id, const std::string& from) {
    InboundMessage m;
    m.inbox_id = inbox_.id;
    m.external_sender_id = from;
    m.sender_name = "Li Wei";
    m.provider_message_id = id;
    m.text = "mail " + id;
    m.received_at = now_++;
    m.new_conversation = true;
    return m;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  Inbox inbox_, other_;
  TimestampMs now_ = 1'700'000'000'000;
};

TEST_F(MailStoreTest, MailsWithoutThreadStartNewConversationsAndRepliesFindTheirs) {
  auto root = store_->IngestInbound(Mail("root@x", "li@example.com"));
  ASSERT_TRUE(root.ok());
  auto unrelated = store_->IngestInbound(Mail("other@x", "li@example.com"));
  ASSERT_TRUE(unrelated.ok());
  // The same sender, no thread: a new conversation, not the open one.
  EXPECT_NE(unrelated->conversation.id, root->conversation.id);

  // Our reply's provider id counts for threading as much as the customer's.
  OutboundMessage reply;
  reply.conversation_id = root->conversation.id;
  reply.text = "hello";
  reply.created_at = now_++;
  auto sent = store_->AppendOutbound(reply);
  ASSERT_TRUE(sent.ok());
  ASSERT_TRUE(store_->SetProviderMessageId(sent->message.id, "ours-1@meridian.test").ok());

  auto found =
      store_->FindConversationByProviderIds(inbox_.id, {"unknown@x", "ours-1@meridian.test"});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, root->conversation.id);
  EXPECT_EQ(*store_->FindConversationByProviderIds(inbox_.id, {"nothing@x"}), std::nullopt);
  // Another inbox's ids never thread into this one.
  EXPECT_EQ(*store_->FindConversationByProviderIds(other_.id, {"root@x"}), std::nullopt);

  InboundMessage answer = Mail("answer@x", "li@example.com");
  answer.conversation_id = *found;
  auto stored = store_->IngestInbound(answer);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->conversation.id, root->conversation.id);

  // A conversation of another inbox is never joined: the mail starts its own.
  InboundMessage foreign = Mail("foreign@x", "li@example.com");
  foreign.inbox_id = other_.id;
  foreign.conversation_id = root->conversation.id;
  auto foreign_stored = store_->IngestInbound(foreign);
  ASSERT_TRUE(foreign_stored.ok());
  EXPECT_NE(foreign_stored->conversation.id, root->conversation.id);
}

TEST_F(MailStoreTest, AutomatedMailKeepsAResolvedConversationResolvedAPersonReopensIt) {
  auto root = store_->IngestInbound(Mail("root@x", "li@example.com"));
  ASSERT_TRUE(root.ok());
  Id conversation = root->conversation.id;
  ASSERT_TRUE(store_
                  ->UpdateConversation(conversation,
                                       {.status = ConversationStatus::kResolved, .mark_read = true})
                  .ok());
  InboundMessage ooo = Mail("ooo@x", "li@example.com");
  ooo.conversation_id = conversation;
  ooo.automated = true;
  auto auto_reply = store_->IngestInbound(ooo);
  ASSERT_TRUE(auto_reply.ok());
  EXPECT_EQ(auto_reply->conversation.id, conversation);
  EXPECT_EQ(auto_reply->conversation.status, ConversationStatus::kResolved);
  EXPECT_EQ(auto_reply->conversation.unread_count, 0);

  InboundMessage person = Mail("person@x", "li@example.com");
  person.conversation_id = conversation;
  auto reopened = store_->IngestInbound(person);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->conversation.status, ConversationStatus::kOpen);
  EXPECT_EQ(reopened->conversation.unread_count, 1);
}

TEST_F(MailStoreTest, AttachmentsAreStoredWithTheirMessageOnceAndListed) {
  InboundMessage m = Mail("files@x", "li@example.com");
  Attachment png;
  png.filename = "Straße.png";
  png.content_type = "image/png";
  png.claimed_type = "application/octet-stream";
  png.size = 70;
  png.sha256_hex = std::string(64, 'a');
  Attachment big;
  big.filename = "huge.zip";
  big.content_type = "application/octet-stream";
  big.size = 90 << 20;
  big.stored = false;
  m.attachments = {png, big};
  auto stored = store_->IngestInbound(m);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->message.attachments.size(), 2u);
  Id png_id = stored->message.attachments[0].id;
  EXPECT_GT(png_id, 0);

  auto again = store_->IngestInbound(m);  // redelivery: no second set of rows
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  auto page = store_->ListMessages(stored->conversation.id, "", 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  ASSERT_EQ(page->items[0].attachments.size(), 2u);
  EXPECT_EQ(page->items[0].attachments[0].filename, "Straße.png");
  EXPECT_FALSE(page->items[0].attachments[1].stored);

  auto got = store_->GetAttachment(png_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->content_type, "image/png");
  EXPECT_EQ(got->sha256_hex, std::string(64, 'a'));
  EXPECT_EQ(got->message_id, stored->message.id);
  EXPECT_TRUE(store_->GetAttachment(png_id + 100).status().is_not_found());
  EXPECT_EQ(store_->GetMessage(stored->message.id)->attachments.size(), 2u);
  EXPECT_TRUE(*store_->IsBlobReferenced(std::string(64, 'a')));
  EXPECT_FALSE(*store_->IsBlobReferenced(std::string(64, 'b')));
}

TEST_F(MailStoreTest, AReplyCarriesItsFilesInTheSameWriteOnceForItsClientId) {
  auto in = store_->IngestInbound(Mail("reply-files@x", "li@example.com"));
  ASSERT_TRUE(in.ok());
  OutboundMessage reply;
  reply.conversation_id = in->conversation.id;
  reply.text = "[document]";
  reply.client_message_id = "agent-file-1";
  Attachment pdf;
  pdf.filename = "label.pdf";
  pdf.content_type = "application/pdf";
  pdf.size = 30;
  pdf.sha256_hex = std::string(64, 'c');
  reply.attachments = {pdf};
  auto sent = store_->AppendOutbound(reply);
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(sent->message.attachments.size(), 1u);
  EXPECT_EQ(sent->message.attachments[0].filename, "label.pdf");
  EXPECT_EQ(sent->message.attachments[0].message_id, sent->message.id);
  auto again = store_->AppendOutbound(reply);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(store_->GetMessage(sent->message.id)->attachments.size(), 1u);
  EXPECT_TRUE(*store_->IsBlobReferenced(std::string(64, 'c')));
}

// Provider media (CH9): a pending attachment is due at once, waits for its retry time after a
// failed attempt, and leaves the queue when finished; the message shows the outcome.
TEST_F(MailStoreTest, PendingMediaDownloadsAreQueuedRetriedAndFinished) {
  InboundMessage m = Mail("media@x", "li@example.com");
  Attachment media;
  media.filename = "image";
  media.content_type = "application/octet-stream";
  media.stored = false;
  media.download = "pending";
  media.source_json = R"({"id":"wamid-1"})";
  m.attachments = {media};
  auto stored = store_->IngestInbound(m);
  ASSERT_TRUE(stored.ok());
  Id id = stored->message.attachments[0].id;

  auto due = store_->DuePendingDownloads(now_, 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attachment.id, id);
  EXPECT_EQ((*due)[0].attachment.source_json, R"({"id":"wamid-1"})");
  EXPECT_EQ((*due)[0].attempts, 0);

  ASSERT_TRUE(store_->RetryDownloadLater(id, 1, now_ + 5000, "HTTP 500").ok());
  EXPECT_TRUE(store_->DuePendingDownloads(now_, 10)->empty()) << "not before its retry time";
  EXPECT_EQ(store_->NextPendingDownloadAt()->value_or(0), now_ + 5000);
  due = store_->DuePendingDownloads(now_ + 5000, 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ((*due)[0].attachment.download_error, "HTTP 500");

  Attachment done = (*due)[0].attachment;
  done.stored = true;
  done.download.clear();
  done.download_error.clear();
  done.content_type = "image/png";
  done.size = 70;
  done.sha256_hex = std::string(64, 'b');
  auto message = store_->FinishDownload(done);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->id, stored->message.id);
  ASSERT_EQ(message->attachments.size(), 1u);
  EXPECT_TRUE(message->attachments[0].stored);
  EXPECT_EQ(message->attachments[0].content_type, "image/png");
  EXPECT_EQ(message->attachments[0].sha256_hex, std::string(64, 'b'));
  EXPECT_TRUE(store_->DuePendingDownloads(now_ + 10'000'000, 10)->empty());
  EXPECT_FALSE(store_->NextPendingDownloadAt()->has_value());

  Attachment unknown = done;
  unknown.id = id + 100;
  EXPECT_TRUE(store_->FinishDownload(unknown).status().is_not_found());
}

TEST_F(MailStoreTest, MailboxSyncStartsEmptyAndKeepsWhatWasSaved) {
  auto fresh = store_->GetMailboxSync(inbox_.id);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->uidvalidity, 0u);
  EXPECT_EQ(fresh->last_uid, 0u);
  EXPECT_TRUE(fresh->healthy);
  MailboxSync s = *fresh;
  s.uidvalidity = 1700000000;
  s.last_uid = 42;
  s.healthy = false;
  s.error = "mail_login_failed: Login denied";
  s.failures = 3;
  s.last_attempt_at = now_;
  ASSERT_TRUE(store_->SaveMailboxSync(s).ok());
  auto back = store_->GetMailboxSync(inbox_.id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->uidvalidity, 1700000000u);
  EXPECT_EQ(back->last_uid, 42u);
  EXPECT_FALSE(back->healthy);
  EXPECT_EQ(back->error, "mail_login_failed: Login denied");
  EXPECT_EQ(back->failures, 3);
  EXPECT_EQ(store_->GetMailboxSync(other_.id)->last_uid, 0u);
}

}  // namespace
}  // namespace meridian::store
