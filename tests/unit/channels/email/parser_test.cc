#include <gtest/gtest.h>

#include <string>

#include "channels/email/email.h"
#include "channels/email/internal.h"

namespace meridian::channels::email {
namespace {

TEST(ParseEmail, EmptyInputIsAClearError) {
  auto r = ParseEmail("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "empty_email");
  EXPECT_EQ(ParseEmail(" \r\n ").status().reason(), "empty_email");
}

TEST(ParseEmail, TooLargeIsRefused) {
  ParseOptions options;
  options.max_message_bytes = 10;
  auto r = ParseEmail("Subject: hello world\r\n\r\nbody", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "email_too_large");
}

TEST(ParseEmail, GarbageGivesBestEffortNotACrash) {
  std::string garbage = "\x01\x02\xff\xfe not a mail at all \r\n\r\n\x80";
  auto r = ParseEmail(garbage);
  if (r.ok()) {
    EXPECT_TRUE(r->message_id.empty());
  }
}

TEST(ParseEmail, LargeAttachmentKeepsMetadataWithoutBytes) {
  std::string raw =
      "From: a@b.example\r\nMessage-ID: <x@y>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/zip\r\n"
      "Content-Disposition: attachment; filename=a.zip\r\n\r\n" +
      std::string(1000, 'z') + "\r\n--b--\r\n";
  ParseOptions options;
  options.max_attachment_bytes = 100;
  auto r = ParseEmail(raw, options);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->attachments.size(), 1u);
  EXPECT_EQ(r->attachments[0].size, 1000u);
  EXPECT_TRUE(r->attachments[0].bytes.empty());
  EXPECT_EQ(r->attachments[0].sha256_hex.size(), 64u);
}

TEST(ParseEmail, MissingMessageIdStillDeduplicatesByContent) {
  std::string raw = "From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n";
  auto r = ParseEmail(raw);
  ASSERT_TRUE(r.ok());
  InboundEvent e1 = ToInboundEvent(*r, raw);
  InboundEvent e2 = ToInboundEvent(*r, raw);
  EXPECT_EQ(e1.provider_message_id, e2.provider_message_id);
  EXPECT_EQ(e1.provider_message_id.rfind("sha256:", 0), 0u);
  EXPECT_EQ(e1.sender_id, "a@b.example");
  EXPECT_EQ(e1.text, "body");
}

TEST(ParseEmail, FormatFlowedParagraphsAreJoined) {
  std::string raw =
      "From: a@b.example\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n"
      "This is one long \r\nparagraph that was \r\nwrapped.\r\n \r\n From stuffed.\r\n"
      "-- \r\nsig\r\n";
  auto r = ParseEmail(raw);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "This is one long paragraph that was wrapped.\n\nFrom stuffed.\n-- \nsig");
  EXPECT_EQ(r->display_text, "This is one long paragraph that was wrapped.\n\nFrom stuffed.");
  std::string delsp =
      "From: a@b.example\r\nContent-Type: text/plain; format=flowed; delsp=yes\r\n\r\n"
      "\xe6\x97\xa5\xe6\x9c\xac \r\n\xe8\xaa\x9e\r\n> quoted  \r\n> more\r\n";
  auto d = ParseEmail(delsp);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, "日本語\n> quoted more");
}

TEST(Automated, AutoSubmittedNoIsAPerson) {
  ParsedEmail e;
  internal::ClassifyAutomated(
      [](std::string_view n) { return n == "Auto-Submitted" ? std::string("no") : ""; }, false, e);
  EXPECT_FALSE(e.is_automated());
  internal::ClassifyAutomated(
      [](std::string_view n) {
        return n == "Auto-Submitted" ? std::string("auto-generated; x=y") : "";
      },
      false, e);
  EXPECT_EQ(e.automated, AutomatedKind::kAutoReply);
}

TEST(Automated, PrecedenceAndMailerDaemon) {
  for (const char* p : {"bulk", "junk", "list", "Bulk"}) {
    ParsedEmail e;
    internal::ClassifyAutomated(
        [p](std::string_view n) { return n == "Precedence" ? std::string(p) : ""; }, false, e);
    EXPECT_EQ(e.automated, AutomatedKind::kBulk) << p;
  }
  ParsedEmail e;
  e.from.address = "MAILER-DAEMON@mx.example";
  internal::ClassifyAutomated([](std::string_view) { return std::string(); }, false, e);
  EXPECT_EQ(e.automated, AutomatedKind::kBounce);
}

TEST(ToUtf8, MislabelledCharsetsReadRight) {
  // "镕" is GBK, not GB2312: mail labelled gb2312 uses it anyway.
  EXPECT_EQ(ToUtf8("\xe9\x46", "gb2312"), "镕");
  // 0x80 is € in Windows-1252, which ISO-8859-1 mail really is.
  EXPECT_EQ(ToUtf8("\x80", "iso-8859-1"), "€");
  EXPECT_EQ(ToUtf8("caf\xe9", ""), "café");
  EXPECT_EQ(ToUtf8("ok", "no-such-charset"), "ok");
  EXPECT_EQ(ToUtf8("\xff", "utf-8"), "ÿ");  // invalid UTF-8 without a label: cp1252
  EXPECT_EQ(ToUtf8("a\x81", "shift_jis"), "a\xEF\xBF\xBD");
}

}  // namespace
}  // namespace meridian::channels::email
