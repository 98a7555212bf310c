#include "channels/email/email_channel.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace meridian::channels::email {
namespace {

Inbox EmailInbox(std::string config) {
  Inbox inbox;
  inbox.id = 7;
  inbox.channel = "email";
  inbox.config_json = std::move(config);
  inbox.secret = "imap-and-smtp-password";
  return inbox;
}

constexpr char kGood[] =
    R"({"address":"support@example.com","display_name":"Example Support",)"
    R"("imap_url":"imaps://imap.example.com/INBOX","smtp_url":"smtp://smtp.example.com:587",)"
    R"("username":"support","require_tls":true,"signature":"Example Support"})";

TEST(EmailChannelFactory, BuildsTheAccountFromConfigAndSecret) {
  auto account = ParseEmailAccount(EmailInbox(kGood));
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(account->address.address, "support@example.com");
  EXPECT_EQ(account->address.name, "Example Support");
  EXPECT_EQ(account->imap.password, "imap-and-smtp-password");
  EXPECT_EQ(account->smtp.username, "support");
  EXPECT_TRUE(account->smtp.require_tls);
  EXPECT_EQ(account->message_id_domain, "example.com");
  auto channel = MakeEmailChannelFactory()->Create(EmailInbox(kGood));
  ASSERT_TRUE(channel.ok());
  EXPECT_EQ((*channel)->name(), "email");
  EXPECT_FALSE((*channel)->capabilities().signed_webhooks);
}

TEST(EmailChannelFactory, RefusesBadConfigNamingTheField) {
  struct Case {
    const char* config;
    const char* field;
  };
  for (const Case& c : {
           Case{"not json", "config"},
           Case{R"({"address":"nope","imap_url":"imap://h","smtp_url":"smtp://h","username":"u"})",
                "address"},
           Case{R"({"address":"a@b.c","imap_url":"http://h","smtp_url":"smtp://h","username":"u"})",
                "imap_url"},
           Case{R"({"address":"a@b.c","imap_url":"imap://h","smtp_url":"ftp://h","username":"u"})",
                "smtp_url"},
           Case{R"({"address":"a@b.c","imap_url":"imap://h","smtp_url":"smtp://h"})", "username"},
       }) {
    auto r = ParseEmailAccount(EmailInbox(c.config));
    ASSERT_FALSE(r.ok()) << c.config;
    EXPECT_EQ(r.status().reason(), "invalid_field");
    EXPECT_NE(r.status().message().find(c.field), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find("imap-and-smtp-password"), std::string::npos);
  }
}

TEST(EmailChannel, ParsesARawMailIntoOneEvent) {
  auto channel = MakeEmailChannelFactory()->Create(EmailInbox(kGood));
  ASSERT_TRUE(channel.ok());
  auto events = (*channel)->ParseWebhook(
      "From: Jane <jane@example.org>\r\nMessage-ID: <j1@example.org>\r\n"
      "Date: Mon, 4 Mar 2024 10:00:00 +0000\r\nSubject: Hi\r\n\r\nWhere is my order?\r\n\r\n"
      "On Sun, Support wrote:\r\n> old\r\n");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].provider_message_id, "j1@example.org");
  EXPECT_EQ((*events)[0].sender_id, "jane@example.org");
  EXPECT_EQ((*events)[0].sender_name, "Jane");
  EXPECT_EQ((*events)[0].text, "Where is my order?");
  EXPECT_EQ((*events)[0].sent_at, 1709546400000);
  EXPECT_EQ((*channel)->ParseWebhook("").status().reason(), "empty_email");
  EXPECT_EQ(
      (*channel)->VerifyWebhook([](std::string_view) { return std::string_view(); }, "x").reason(),
      "no_webhook");
}

TEST(EmailChannel, ReadMailKeepsThreadingSubjectAndTheAutomatedFlag) {
  auto channel = MakeEmailChannelFactory()->Create(EmailInbox(kGood));
  ASSERT_TRUE(channel.ok());
  auto* email = dynamic_cast<const EmailChannel*>(channel->get());
  ASSERT_NE(email, nullptr);
  auto mail = email->ReadMail(
      "From: Li Wei <li@customer.example>\r\nTo: support@example.com\r\n"
      "Subject: Re: Order 4711\r\nMessage-ID: <c2@customer.example>\r\n"
      "In-Reply-To: <ours-1@example.com>\r\nReferences: <c1@customer.example> "
      "<ours-1@example.com>\r\n"
      "Auto-Submitted: auto-replied\r\n\r\nI am out of office.\r\n");
  ASSERT_TRUE(mail.ok()) << mail.status().ToString();
  EXPECT_EQ(mail->thread_keys,
            (std::vector<std::string>{"ours-1@example.com", "c1@customer.example"}));
  EXPECT_FALSE(mail->from_us);
  auto meta = nlohmann::json::parse(mail->meta_json);
  EXPECT_EQ(meta["email"]["subject"], "Re: Order 4711");
  EXPECT_EQ(meta["automated"], "auto_reply");

  // A reply to it: "Re:" once, In-Reply-To the mail, References its ancestry plus the mail.
  auto context = nlohmann::json::parse(email->ReplyContext("c2@customer.example", mail->meta_json));
  EXPECT_EQ(context["subject"], "Re: Order 4711");
  EXPECT_EQ(context["in_reply_to"], "c2@customer.example");
  EXPECT_EQ(context["references"],
            nlohmann::json({"c1@customer.example", "ours-1@example.com", "c2@customer.example"}));
  EXPECT_EQ(context["to_name"], "Li Wei");
  // Meta from another channel gives no context.
  EXPECT_EQ(email->ReplyContext("x", R"({"media_id":"1"})"), "");

  auto ours =
      email->ReadMail("From: Support <SUPPORT@example.com>\r\nMessage-ID: <o@x>\r\n\r\nhi\r\n");
  ASSERT_TRUE(ours.ok());
  EXPECT_TRUE(ours->from_us);
}

}  // namespace
}  // namespace meridian::channels::email
