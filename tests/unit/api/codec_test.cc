// The live event frames are written straight as text (WriteConversation, WriteAgentMessage);
// they must be the same documents as the nlohmann::json ones the REST API returns.
#include "api/codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace meridian::api {
namespace {

json Written(const ConversationView& c, bool mask) {
  std::string text;
  JsonWriter w(text);
  WriteConversation(w, c, mask);
  return json::parse(text);
}

json Written(const Message& m, const std::string& customer, bool mask) {
  std::string text;
  JsonWriter w(text);
  WriteAgentMessage(w, m, customer, mask);
  return json::parse(text);
}

ConversationView Conversation() {
  ConversationView c;
  c.id = 42;
  c.status = ConversationStatus::kPending;
  c.inbox_id = 3;
  c.inbox_name = "Shop \"EU\" \\ main";
  c.channel = "whatsapp";
  c.contact_id = 7;
  c.contact_name = "Zoë 王 \xF0\x9F\x98\x80\n\t\x01";
  c.priority = 2;
  c.language = "de";
  c.language_set_by_agent = true;
  c.unread_count = 5;
  c.last_activity_at = 1'764'000'000'123;
  c.created_at = -1'000;  // before 1970: the millisecond part stays positive
  return c;
}

TEST(CodecTest, WrittenConversationIsTheSameDocument) {
  ConversationView c = Conversation();
  for (bool mask : {false, true}) {
    EXPECT_EQ(Written(c, mask), ToJson(c, mask)) << "no assignee, no last message";
  }
  c.assignee_id = 9;
  c.assignee_name = "Ana";
  MessageSummary last;
  last.id = 100;
  last.text = "My card is 4111 1111 1111 1111, IBAN DE89370400440532013000";
  last.direction = Direction::kIn;
  last.sender_kind = SenderKind::kCustomer;
  last.created_at = 1'764'000'000'000;
  c.last_message = last;
  for (bool mask : {false, true}) EXPECT_EQ(Written(c, mask), ToJson(c, mask)) << mask;
}

TEST(CodecTest, WrittenAgentMessageIsTheSameDocument) {
  std::vector<Message> messages;
  Message plain;
  plain.id = 1;
  plain.conversation_id = 42;
  plain.direction = Direction::kIn;
  plain.sender_kind = SenderKind::kCustomer;
  plain.text = "Hallo, wo ist meine Bestellung? \"#123\" \\o/";
  plain.content_type = "text";
  plain.status = DeliveryStatus::kReceived;
  plain.created_at = 1'764'000'000'456;
  messages.push_back(plain);

  Message rich = plain;  // every optional part present
  rich.id = 2;
  rich.text = "Pay with 4111 1111 1111 1111 please";
  rich.language = "en";
  rich.original_text = "Zahlen Sie mit 4111 1111 1111 1111";
  rich.original_language = "de";
  rich.status_error = "131047: Re-engagement message";
  rich.client_message_id = "c-1";
  rich.dead_letter_id = 77;
  rich.meta_json =
      R"({"reply_token":"secret","media":{"id":"m1"},"email":{"full_text":"card 4111 1111 1111 1111"}})";
  rich.nlu_json =
      R"({"intent":"payment_issue","pii":[{"type":"card"}],"entities":[],"translation":{"text":"card 4111 1111 1111 1111"}})";
  Attachment photo;
  photo.id = 5;
  photo.filename = "photo \"1\".jpg";
  photo.content_type = "image/jpeg";
  photo.size = 1234;
  photo.content_id = "cid@x";
  photo.is_inline = true;
  Attachment pending = photo;
  pending.id = 6;
  pending.stored = false;
  pending.download = "pending";
  pending.content_id.clear();
  Attachment failed = pending;
  failed.id = 7;
  failed.download = "failed";
  failed.download_error = "404 from the provider";
  rich.attachments = {photo, pending, failed};
  messages.push_back(rich);

  Message agent = plain;  // an agent's reply
  agent.id = 3;
  agent.direction = Direction::kOut;
  agent.sender_kind = SenderKind::kAgent;
  agent.sender_agent_id = 9;
  agent.sender_name = "Ana";
  agent.status = DeliveryStatus::kSent;
  messages.push_back(agent);

  Message odd = plain;  // stored documents that are not what they should be
  odd.id = 4;
  odd.meta_json = "not json";
  odd.nlu_json = "[1,2";
  messages.push_back(odd);
  odd.id = 5;
  odd.meta_json = R"({"reply_token":"only this"})";
  odd.nlu_json = "[]";
  messages.push_back(odd);

  for (const Message& m : messages) {
    for (const std::string customer : {"", "Zoë"}) {
      for (bool mask : {false, true}) {
        EXPECT_EQ(Written(m, customer, mask), ToAgentJson(m, customer, mask))
            << "message " << m.id << " customer '" << customer << "' mask " << mask;
      }
    }
  }
}

TEST(CodecTest, CallersAddFieldsToAWrittenMessage) {
  Message m;
  m.id = 8;
  m.text = "hi";
  std::string text;
  JsonWriter w(text);
  WriteAgentMessage(w, m, "", false, [](JsonWriter& more) {
    more.Key("translation").Null().Field("translation_missing", true);
  });
  json expected = ToAgentJson(m);
  expected["translation"] = nullptr;
  expected["translation_missing"] = true;
  EXPECT_EQ(json::parse(text), expected);
}

TEST(CodecTest, WriterEscapesLikeJsonAndReplacesInvalidUtf8) {
  std::string text;
  JsonWriter w(text);
  w.BeginArray().String("a\"b\\c\n\x1f\x7f").String("ok \xC3\xA9").String("bad \xC3(").Int(-5);
  w.Bool(false).Null().BeginObject().EndObject().BeginArray().EndArray().EndArray();
  EXPECT_EQ(text,
            "[\"a\\\"b\\\\c\\n\\u001f\x7f\",\"ok \xC3\xA9\",\"bad \xEF\xBF\xBD(\",-5,"
            "false,null,{},[]]");
  EXPECT_TRUE(json::accept(text));
  // Overlong forms, surrogates and truncated sequences are not UTF-8 either.
  text.clear();
  JsonWriter(text).String("\xC0\xAF|\xED\xA0\x80|\xF0\x9F\x98");
  EXPECT_EQ(text,
            "\"\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace meridian::api
