// Runs every tests/fixtures/email/<name>.eml through ParseEmail and checks the fields that
// <name>.json names (see tests/fixtures/email/generate.py for the keys).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "channels/email/email.h"

namespace meridian::channels::email {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path FixtureDir() { return fs::path(MERIDIAN_SOURCE_DIR) / "tests/fixtures/email"; }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Addresses(const std::vector<Mailbox>& boxes) {
  std::vector<std::string> out;
  for (const auto& b : boxes) out.push_back(b.address);
  return out;
}

void CheckFixture(const fs::path& eml) {
  SCOPED_TRACE(eml.filename().string());
  json want = json::parse(ReadFile(fs::path(eml).replace_extension(".json")));
  std::string raw = ReadFile(eml);
  auto parsed = ParseEmail(raw);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const ParsedEmail& e = *parsed;
  if (want.contains("message_id")) {
    EXPECT_EQ(e.message_id, want["message_id"]);
  }
  if (want.contains("in_reply_to")) {
    EXPECT_EQ(e.in_reply_to, want["in_reply_to"]);
  }
  if (want.contains("references")) {
    EXPECT_EQ(e.references, want["references"]);
  }
  if (want.contains("threading_keys")) {
    EXPECT_EQ(ThreadingKeys(e), want["threading_keys"]);
  }
  if (want.contains("from_name")) {
    EXPECT_EQ(e.from.name, want["from_name"]);
  }
  if (want.contains("from_address")) {
    EXPECT_EQ(e.from.address, want["from_address"]);
  }
  if (want.contains("to")) {
    EXPECT_EQ(Addresses(e.to), want["to"]);
  }
  if (want.contains("subject")) {
    EXPECT_EQ(e.subject, want["subject"]);
  }
  for (const auto& s : want.value("subject_contains", json::array())) {
    EXPECT_NE(e.subject.find(s.get<std::string>()), std::string::npos) << e.subject;
  }
  if (want.contains("date_ms")) {
    EXPECT_EQ(e.date.value_or(-1), want["date_ms"].get<int64_t>());
  }
  if (want.contains("text")) {
    EXPECT_EQ(e.text, want["text"]);
  }
  for (const auto& s : want.value("text_contains", json::array())) {
    EXPECT_NE(e.text.find(s.get<std::string>()), std::string::npos) << e.text;
  }
  for (const auto& s : want.value("text_not_contains", json::array())) {
    EXPECT_EQ(e.text.find(s.get<std::string>()), std::string::npos) << e.text;
  }
  if (want.contains("display_text")) {
    EXPECT_EQ(e.display_text, want["display_text"]);
  }
  if (want.contains("text_from_html")) {
    EXPECT_EQ(e.text_from_html, want["text_from_html"]);
  }
  if (want.contains("automated")) {
    EXPECT_EQ(AutomatedKindName(e.automated), want["automated"]);
  }
  if (want.contains("thread_index_root")) {
    EXPECT_EQ(e.thread_index_root, want["thread_index_root"]);
  }
  if (want.contains("attachments")) {
    const auto& atts = want["attachments"];
    ASSERT_EQ(e.attachments.size(), atts.size());
    for (size_t i = 0; i < atts.size(); ++i) {
      const Attachment& a = e.attachments[i];
      if (atts[i].contains("filename")) {
        EXPECT_EQ(a.filename, atts[i]["filename"]);
      }
      if (atts[i].contains("content_type")) {
        EXPECT_EQ(a.content_type, atts[i]["content_type"]);
      }
      if (atts[i].contains("size")) {
        EXPECT_EQ(a.size, atts[i]["size"].get<size_t>());
      }
      if (atts[i].contains("size")) {
        EXPECT_EQ(a.bytes.size(), atts[i]["size"].get<size_t>());
      }
      if (atts[i].contains("content_id")) {
        EXPECT_EQ(a.content_id, atts[i]["content_id"]);
      }
      if (atts[i].contains("is_inline")) {
        EXPECT_EQ(a.is_inline, atts[i]["is_inline"]);
      }
    }
  }
  if (want.contains("bounce")) {
    ASSERT_TRUE(e.bounce.has_value());
    const auto& b = want["bounce"];
    EXPECT_EQ(e.bounce->original_message_id, b["original_message_id"]);
    EXPECT_EQ(e.bounce->failed_recipients, b["failed_recipients"]);
    EXPECT_EQ(e.bounce->status, b["status"]);
    EXPECT_EQ(e.bounce->action, b["action"]);
    EXPECT_EQ(e.bounce->permanent, b["permanent"]);
  } else {
    EXPECT_FALSE(e.bounce.has_value());
  }
}

TEST(EmailFixtures, EveryFixtureParsesAsExpected) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(FixtureDir())) {
    if (entry.path().extension() != ".eml") continue;
    CheckFixture(entry.path());
    ++count;
  }
  EXPECT_GE(count, 25);
}

}  // namespace
}  // namespace meridian::channels::email
