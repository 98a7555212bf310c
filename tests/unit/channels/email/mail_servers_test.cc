// The email channel against real servers on 127.0.0.1 (see mail_servers.h): every fixture mail
// goes into a Dovecot mailbox, comes back through ImapClient exactly once across restarts,
// parses as it did from disk and threads into the right conversation; a composed reply goes
// out through SmtpClient (submission with AUTH -> OpenSMTPD -> LMTP) and is read back with its
// threading headers.

#include "mail_servers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "channels/email/compose.h"
#include "channels/email/email.h"
#include "channels/email/email_channel.h"
#include "channels/email/mail_client.h"

namespace meridian::channels::email {
namespace {

namespace fs = std::filesystem;
using testing::MailServers;

constexpr char kOurReplyId[] = "m1.abc@meridian.test";  // our earlier reply in the fixtures
constexpr char kRootId[] = "root-4411@mail.example";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Fixture mails with CRLF line ends (IMAP APPEND wants them), keyed by Message-ID.
std::map<std::string, std::string> Fixtures() {
  std::map<std::string, std::string> out;
  for (const auto& e :
       fs::directory_iterator(fs::path(MERIDIAN_SOURCE_DIR) / "tests/fixtures/email")) {
    if (e.path().extension() != ".eml") continue;
    std::string raw = ReadFile(e.path());
    auto parsed = ParseEmail(raw);
    if (!parsed.ok() || parsed->message_id.empty()) continue;
    out[parsed->message_id] = raw;
  }
  return out;
}

class MailServersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { servers_ = new MailServers(); }
  static void TearDownTestSuite() {
    delete servers_;
    servers_ = nullptr;
  }
  void SetUp() override {
    if (!servers_->imap_ok()) GTEST_SKIP() << servers_->error();
  }
  MailServerConfig Imap(std::string password = MailServers::kPassword) const {
    return {servers_->imap_url(), MailServers::kUser, std::move(password)};
  }
  MailServerConfig Smtp(std::string password = MailServers::kPassword) const {
    return {servers_->submission_url(), MailServers::kUser, std::move(password)};
  }
  // Every mail after `state`, in batches of `batch_size`.
  static std::vector<FetchedMail> FetchAll(ImapClient& client, ImapState& state,
                                           size_t batch_size = 7) {
    std::vector<FetchedMail> all;
    for (int i = 0; i < 100; ++i) {
      auto batch = client.FetchNew(state, batch_size);
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok()) break;
      for (auto& m : batch->mails) all.push_back(std::move(m));
      state = batch->state;
      if (!batch->more) break;
    }
    return all;
  }
  // Mail sent over SMTP arrives asynchronously (MTA queue, LMTP): poll for up to 10 s.
  static std::vector<FetchedMail> WaitForMail(ImapClient& client, ImapState& state) {
    std::vector<FetchedMail> got;
    for (int i = 0; i < 100 && got.empty(); ++i) {
      got = FetchAll(client, state, 10);
      if (got.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return got;
  }
  static MailServers* servers_;
};
MailServers* MailServersTest::servers_ = nullptr;

TEST_F(MailServersTest, FixturesComeBackOnceParseAndThreadAcrossRestarts) {
  auto fixtures = Fixtures();
  ASSERT_GE(fixtures.size(), 25u);
  {
    auto client = ImapClient::Create(Imap());
    ASSERT_TRUE(client.ok());
    for (const auto& [id, raw] : fixtures) ASSERT_TRUE((*client)->Append(raw).ok()) << id;
  }
  ImapState state;
  std::vector<FetchedMail> mails;
  {
    auto client = ImapClient::Create(Imap());
    ASSERT_TRUE(client.ok());
    mails = FetchAll(**client, state);
  }
  ASSERT_EQ(mails.size(), fixtures.size());
  EXPECT_NE(state.uidvalidity, 0u);
  EXPECT_EQ(state.last_uid, mails.back().uid);

  // A store's view: Message-ID -> conversation. Our earlier reply lives in conversation 1.
  std::map<std::string, int> conversation_of = {{kRootId, 1}, {kOurReplyId, 1}};
  int next_conversation = 2;
  for (const auto& m : mails) {
    auto fetched = ParseEmail(m.raw);
    ASSERT_TRUE(fetched.ok());
    SCOPED_TRACE(fetched->message_id);
    auto it = fixtures.find(fetched->message_id);
    ASSERT_NE(it, fixtures.end());
    auto local = ParseEmail(it->second);
    ASSERT_TRUE(local.ok());
    // The mailbox round trip changes nothing a user sees.
    EXPECT_EQ(fetched->subject, local->subject);
    EXPECT_EQ(fetched->text, local->text);
    EXPECT_EQ(fetched->display_text, local->display_text);
    EXPECT_EQ(fetched->attachments.size(), local->attachments.size());
    EXPECT_EQ(fetched->automated, local->automated);
    int conversation = 0;
    for (const auto& key : ThreadingKeys(*fetched)) {
      if (auto c = conversation_of.find(key); c != conversation_of.end()) {
        conversation = c->second;
        break;
      }
    }
    if (conversation == 0 && fetched->bounce) {
      conversation = conversation_of[fetched->bounce->original_message_id];
    }
    if (conversation == 0) conversation = next_conversation++;
    conversation_of[fetched->message_id] = conversation;
  }
  // Gmail, Outlook, Apple Mail, German and French replies, the auto-reply and the bounce all
  // belong to the conversation of our reply; everything else starts its own.
  for (const char* id :
       {"CAGmail123@mail.gmail.com", "DB9PR01MB1234@DB9PR01MB1234.eurprd01.prod.outlook.com",
        "B1A2C3D4-0000-4000-8000-APPLE@example.me", "de-1@mail.example", "fr-1@mail.example",
        "ooo-1@mail.example", "bounce-1@mx.meridian.test"}) {
    EXPECT_EQ(conversation_of[id], 1) << id;
  }
  EXPECT_NE(conversation_of["charset_gb2312.1@mail.example"], 1);
  EXPECT_NE(conversation_of["gb2312.1@mail.example"], conversation_of["big5.1@mail.example"]);

  // Restart: a fresh client with the persisted state sees nothing new...
  auto restarted = ImapClient::Create(Imap());
  ASSERT_TRUE(restarted.ok());
  auto none = (*restarted)->FetchNew(state);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->mails.empty());
  EXPECT_EQ(none->state, state);
  // ...then exactly the one mail that arrived meanwhile.
  std::string late =
      "From: late@example.com\r\nTo: alice@meridian.test\r\nSubject: late\r\n"
      "Message-ID: <late-1@example.com>\r\n\r\nlate mail\r\n";
  ASSERT_TRUE((*restarted)->Append(late).ok());
  auto one = (*restarted)->FetchNew(state);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->mails.size(), 1u);
  EXPECT_EQ(one->mails[0].uid, state.last_uid + 1);
  EXPECT_EQ(ParseEmail(one->mails[0].raw)->message_id, "late-1@example.com");

  // A crash after storing only part of a batch: resuming from the last stored UID re-reads
  // the rest and nothing else.
  ImapState partial{state.uidvalidity, mails[4].uid};
  auto rest = FetchAll(**restarted, partial, 100);
  EXPECT_EQ(rest.size(), mails.size() - 5 + 1);
  EXPECT_EQ(rest.front().uid, mails[5].uid);

  // A changed UIDVALIDITY starts over from the first mail, and says so.
  auto reset = (*restarted)->FetchNew({state.uidvalidity + 1, state.last_uid}, 3);
  ASSERT_TRUE(reset.ok());
  EXPECT_TRUE(reset->uidvalidity_changed);
  ASSERT_EQ(reset->mails.size(), 3u);
  EXPECT_EQ(reset->mails[0].uid, mails[0].uid);
  EXPECT_TRUE(reset->more);
}

TEST_F(MailServersTest, IdleWakesUpOnNewMailAndTimesOutWhenQuiet) {
  auto watcher = ImapClient::Create(Imap());
  auto writer = ImapClient::Create(Imap());
  ASSERT_TRUE(watcher.ok() && writer.ok());
  auto quiet = (*watcher)->WaitForChange(300);
  ASSERT_TRUE(quiet.ok()) << quiet.status().ToString();
  EXPECT_FALSE(*quiet);
  // Mail keeps arriving until the watcher wakes (the first may land before IDLE starts).
  std::atomic<bool> woke{false};
  std::thread mailer([&] {
    for (int i = 0; i < 100 && !woke; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      std::string mail = "From: idle@example.com\r\nMessage-ID: <idle-" + std::to_string(i) +
                         "@example.com>\r\n\r\nwake up\r\n";
      EXPECT_TRUE((*writer)->Append(mail).ok());
    }
  });
  auto changed = (*watcher)->WaitForChange(60000);
  woke = true;
  mailer.join();
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_TRUE(*changed);  // woken by the new mail, not by the 60 s timeout
}

TEST_F(MailServersTest, InterruptEndsAnIdleWaitAndLaterCalls) {
  auto watcher = ImapClient::Create(Imap());
  ASSERT_TRUE(watcher.ok());
  Result<bool> waited = false;
  std::thread waiter([&] { waited = (*watcher)->WaitForChange(10 * 60 * 1000); });
  // Interrupt is sticky: whether the waiter is already in IDLE or not yet, it returns.
  (*watcher)->Interrupt();
  waiter.join();  // a hang here (10 minutes of IDLE) is the failure
  ASSERT_TRUE(waited.ok()) << waited.status().ToString();
  EXPECT_FALSE(*waited);
  EXPECT_FALSE(*(*watcher)->WaitForChange(10 * 60 * 1000));
  EXPECT_EQ((*watcher)->FetchNew({}).status().reason(), "interrupted");
}

TEST_F(MailServersTest, WrongPasswordIsUnauthenticated) {
  auto client = ImapClient::Create(Imap("wrong"));
  ASSERT_TRUE(client.ok());
  auto r = (*client)->FetchNew({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(MailServersTest, UnreachableServerIsRetriable) {
  MailServerConfig cfg = Imap();
  cfg.url = "imap://127.0.0.1:1/INBOX";
  auto client = ImapClient::Create(cfg);
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE((*client)->FetchNew({}).status().is_unavailable());
  cfg.url = "smtp://127.0.0.1:1";
  auto smtp = SmtpClient::Create(cfg);
  ASSERT_TRUE(smtp.ok());
  EXPECT_EQ((*smtp)->Send("a@b.example", {"c@d.example"}, "x").outcome, DeliveryOutcome::kRetry);
  EXPECT_EQ(ImapClient::Create({"http://x"}).status().reason(), "invalid_imap_url");
}

TEST_F(MailServersTest, ReplySentOverSmtpArrivesWithThreadingHeaders) {
  if (!servers_->EnsureSmtp()) GTEST_SKIP() << servers_->error();
  auto outlook = ParseEmail(
      ReadFile(fs::path(MERIDIAN_SOURCE_DIR) / "tests/fixtures/email/reply_outlook.eml"));
  ASSERT_TRUE(outlook.ok());
  OutgoingEmail reply = ReplyTo(*outlook, {"Meridian Support", "support@meridian.test"},
                                "Hello Li,\n\nplease try the reset button <5 seconds>.");
  reply.to = {{"Li Wei", MailServers::kAddress}};  // the test mailbox stands in for Li's
  reply.signature = "Meridian Support";
  reply.date = 1709550000000;
  auto composed = ComposeEmail(reply);
  ASSERT_TRUE(composed.ok());

  auto imap = ImapClient::Create(Imap());
  ASSERT_TRUE(imap.ok());
  ImapState state;
  FetchAll(**imap, state, 1000);  // skip what other tests left

  auto smtp = SmtpClient::Create(Smtp());
  ASSERT_TRUE(smtp.ok());
  SendResult sent = (*smtp)->Send(composed->envelope_from, composed->recipients, composed->raw);
  ASSERT_EQ(sent.outcome, DeliveryOutcome::kDelivered) << sent.error;

  std::vector<FetchedMail> got = WaitForMail(**imap, state);
  ASSERT_EQ(got.size(), 1u) << servers_->logs();
  auto back = ParseEmail(got[0].raw);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->message_id, composed->message_id);
  EXPECT_EQ(back->subject, "RE: Router problem");
  EXPECT_EQ(back->in_reply_to, std::vector<std::string>{outlook->message_id});
  EXPECT_EQ(back->references, (std::vector<std::string>{kOurReplyId, outlook->message_id}));
  EXPECT_EQ(ThreadingKeys(*back).front(), outlook->message_id);
  EXPECT_EQ(back->display_text, "Hello Li,\n\nplease try the reset button <5 seconds>.");
  EXPECT_NE(back->html.find("&lt;5 seconds&gt;"), std::string::npos);
  EXPECT_FALSE(back->is_automated());

  // Bad credentials are a permanent failure: retrying cannot help.
  auto bad = SmtpClient::Create(Smtp("wrong"));
  ASSERT_TRUE(bad.ok());
  SendResult refused = (*bad)->Send(composed->envelope_from, composed->recipients, composed->raw);
  EXPECT_EQ(refused.outcome, DeliveryOutcome::kPermanentFailure);
  EXPECT_EQ(refused.error.find(MailServers::kPassword), std::string::npos);
}

TEST_F(MailServersTest, ChannelSendsABotReplyThatAutoRespondersIgnore) {
  if (!servers_->EnsureSmtp()) GTEST_SKIP() << servers_->error();
  Inbox inbox;
  inbox.channel = "email";
  inbox.secret = MailServers::kPassword;
  inbox.config_json = R"({"address":"support@meridian.test","display_name":"Support",)"
                      R"("imap_url":")" +
                      servers_->imap_url() + R"(","smtp_url":")" + servers_->submission_url() +
                      R"(","username":"alice",)"
                      R"("signature":"Meridian"})";
  auto channel = MakeEmailChannelFactory()->Create(inbox);
  ASSERT_TRUE(channel.ok()) << channel.status().ToString();
  auto* email = dynamic_cast<const EmailChannel*>(channel->get());
  ASSERT_NE(email, nullptr);
  auto imap = ImapClient::Create(email->account().imap);
  ASSERT_TRUE(imap.ok());
  ImapState state;
  FetchAll(**imap, state, 1000);

  OutboundDelivery delivery;
  delivery.message.text = "Your ticket was received.";
  delivery.message.sender_kind = SenderKind::kBot;
  delivery.message.created_at = 1709550000000;
  delivery.recipient_external_id = MailServers::kAddress;
  delivery.payload_json = R"({"subject":"Re: Help","in_reply_to":"c1@customer.example",)"
                          R"("references":["c0@customer.example","c1@customer.example"]})";
  EmailChannel::Sent sent = email->SendEmail(delivery);
  ASSERT_EQ(sent.result.outcome, DeliveryOutcome::kDelivered) << sent.result.error;

  std::vector<FetchedMail> got = WaitForMail(**imap, state);
  ASSERT_EQ(got.size(), 1u) << servers_->logs();
  auto back = ParseEmail(got[0].raw);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->message_id, sent.message_id);
  EXPECT_EQ(back->subject, "Re: Help");
  EXPECT_EQ(back->from.name, "Support");
  EXPECT_EQ(ThreadingKeys(*back),
            (std::vector<std::string>{"c1@customer.example", "c0@customer.example"}));
  EXPECT_EQ(back->display_text, "Your ticket was received.");
  // A bot's message carries Auto-Submitted, so the customer's auto-responder stays quiet.
  EXPECT_EQ(back->automated, AutomatedKind::kAutoReply);
}

}  // namespace
}  // namespace meridian::channels::email
