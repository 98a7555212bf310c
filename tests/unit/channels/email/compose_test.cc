#include "channels/email/compose.h"

#include <gtest/gtest.h>

#include "channels/email/email.h"

namespace meridian::channels::email {
namespace {

ParsedEmail CustomerMail() {
  ParsedEmail e;
  e.message_id = "c2@customer.example";
  e.references = {"root@meridian.test", "c1@customer.example"};
  e.in_reply_to = {"c1@customer.example"};
  e.from = {"Zoë Müller", "zoe@customer.example"};
  e.subject = "Bestellung Nr. 5 – Lieferung";
  return e;
}

TEST(ComposeEmail, ReplyThreadsAndRoundTripsThroughTheParser) {
  OutgoingEmail reply = ReplyTo(CustomerMail(), {"Support", "support@meridian.test"},
                                "Hello Zoë,\n\nyour parcel ships today <tomorrow & later>.");
  reply.signature = "Meridian Support\nhttps://meridian.test";
  reply.date = 1709550000000;
  auto composed = ComposeEmail(reply);
  ASSERT_TRUE(composed.ok()) << composed.status().ToString();
  EXPECT_TRUE(composed->message_id.ends_with("@meridian.test"));
  EXPECT_EQ(composed->recipients, std::vector<std::string>{"zoe@customer.example"});
  // Every line ends in CRLF and stays within SMTP's limit; the subject is RFC 2047 encoded.
  EXPECT_EQ(composed->raw.find("\r\r"), std::string::npos);
  EXPECT_NE(composed->raw.find("Subject: Re: Bestellung Nr. 5 =?UTF-8?"), std::string::npos);
  for (size_t pos = 0; pos < composed->raw.size();) {
    size_t nl = composed->raw.find('\n', pos);
    if (nl == std::string::npos) break;
    ASSERT_GT(nl, 0u);
    EXPECT_EQ(composed->raw[nl - 1], '\r');
    EXPECT_LE(nl - pos, 998u);
    pos = nl + 1;
  }

  auto parsed = ParseEmail(composed->raw);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->message_id, composed->message_id);
  EXPECT_EQ(parsed->subject, "Re: Bestellung Nr. 5 – Lieferung");
  EXPECT_EQ(parsed->in_reply_to, std::vector<std::string>{"c2@customer.example"});
  EXPECT_EQ(parsed->references,
            (std::vector<std::string>{"root@meridian.test", "c1@customer.example",
                                      "c2@customer.example"}));
  EXPECT_EQ(parsed->to.at(0).address, "zoe@customer.example");
  EXPECT_EQ(parsed->date.value_or(0), 1709550000000);
  EXPECT_EQ(parsed->text,
            "Hello Zoë,\n\nyour parcel ships today <tomorrow & later>.\n\n-- \nMeridian Support\n"
            "https://meridian.test");
  EXPECT_EQ(parsed->display_text, "Hello Zoë,\n\nyour parcel ships today <tomorrow & later>.");
  EXPECT_NE(parsed->html.find("&lt;tomorrow &amp; later&gt;"), std::string::npos);
  EXPECT_EQ(parsed->html.find("<tomorrow"), std::string::npos);
  EXPECT_FALSE(parsed->is_automated());
}

TEST(ComposeEmail, FilesBecomeAttachmentsThatRoundTripThroughTheParser) {
  OutgoingEmail reply = ReplyTo(CustomerMail(), {"Support", "support@meridian.test"},
                                "Your return label is attached.");
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 4000; ++i) pdf += static_cast<char>(i * 7 % 256);  // binary, > 1 line
  reply.files = {{"Rücksendeetikett \"5\".pdf", "application/pdf", pdf},
                 {"note.txt", "text/plain", "line one\nline two\n"}};
  auto composed = ComposeEmail(reply);
  ASSERT_TRUE(composed.ok()) << composed.status().ToString();
  EXPECT_NE(composed->raw.find("multipart/mixed"), std::string::npos);
  auto parsed = ParseEmail(composed->raw);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->display_text, "Your return label is attached.");
  ASSERT_EQ(parsed->attachments.size(), 2u);
  EXPECT_EQ(parsed->attachments[0].filename, "Rücksendeetikett _5_.pdf");
  EXPECT_EQ(parsed->attachments[0].content_type, "application/pdf");
  EXPECT_FALSE(parsed->attachments[0].is_inline);
  EXPECT_EQ(parsed->attachments[0].bytes, pdf);
  EXPECT_EQ(parsed->attachments[1].filename, "note.txt");
  EXPECT_EQ(parsed->attachments[1].bytes, "line one\nline two\n");
  // Still a valid SMTP message: CRLF line ends within 998 characters.
  for (size_t pos = 0; pos < composed->raw.size();) {
    size_t nl = composed->raw.find('\n', pos);
    if (nl == std::string::npos) break;
    EXPECT_EQ(composed->raw[nl - 1], '\r');
    EXPECT_LE(nl - pos, 998u);
    pos = nl + 1;
  }
}

TEST(ComposeEmail, BotRepliesAreMarkedAutoSubmitted) {
  OutgoingEmail reply = ReplyTo(CustomerMail(), {"Bot", "bot@meridian.test"}, "Auto answer");
  reply.auto_submitted = true;
  auto composed = ComposeEmail(reply);
  ASSERT_TRUE(composed.ok());
  auto parsed = ParseEmail(composed->raw);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->automated, AutomatedKind::kAutoReply);
}

TEST(ComposeEmail, RefusesHeaderInjection) {
  OutgoingEmail mail;
  mail.from = {"S", "support@meridian.test"};
  mail.to = {{"X", "victim@example.com\r\nBcc: all@example.com"}};
  mail.message_id_domain = "meridian.test";
  EXPECT_EQ(ComposeEmail(mail).status().reason(), "invalid_to");
  mail.to = {{"X", "ok@example.com"}};
  mail.in_reply_to = "a>\r\nX-Evil: 1";
  EXPECT_EQ(ComposeEmail(mail).status().reason(), "invalid_references");
  mail.in_reply_to.clear();
  mail.to.clear();
  EXPECT_EQ(ComposeEmail(mail).status().reason(), "invalid_to");
}

TEST(ReplySubject, AddsReOnce) {
  EXPECT_EQ(ReplySubject("Hello"), "Re: Hello");
  EXPECT_EQ(ReplySubject("RE: Hello"), "RE: Hello");
  EXPECT_EQ(ReplySubject("AW: Hallo"), "AW: Hallo");
}

TEST(ReplyTo, KeepsRootAndNewestReferences) {
  ParsedEmail e = CustomerMail();
  e.references.clear();
  for (int i = 0; i < 30; ++i) e.references.push_back("r" + std::to_string(i) + "@x");
  OutgoingEmail reply = ReplyTo(e, {"S", "s@meridian.test"}, "x");
  ASSERT_EQ(reply.references.size(), 20u);
  EXPECT_EQ(reply.references.front(), "r0@x");
  EXPECT_EQ(reply.references.back(), "c2@customer.example");
  EXPECT_EQ(reply.references[18], "r29@x");
}

}  // namespace
}  // namespace meridian::channels::email
