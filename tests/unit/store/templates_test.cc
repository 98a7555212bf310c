// Store contract for reply templates (LG6) and the customer's locale of a conversation.
#include <gtest/gtest.h>

#include <filesystem>

#include "fresh_store.h"
#include "store/store.h"

namespace meridian::store {
namespace {

class TemplateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir("meridian-template-store-");
    auto store = OpenFreshStore(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static ReplyTemplateDef Sample(const std::string& key) {
    ReplyTemplateDef t;
    t.key = key;
    t.name = "Where is my order?";
    t.source_locale = "en";
    t.variants = {{"en", "", "Hi {name}"}, {"de-CH", "formal", "Grüezi {name}"}};
    return t;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(TemplateStoreTest, CreateGetListFind) {
  auto created = store_->CreateTemplate(Sample("where-is-order"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_GT(created->created_at, 0);
  ASSERT_EQ(created->variants.size(), 2u);
  EXPECT_EQ(created->variants[1].locale, "en");  // ordered by locale
  EXPECT_EQ(created->variants[0].body, "Grüezi {name}");
  EXPECT_EQ(created->variants[0].style, "formal");

  ASSERT_TRUE(store_->CreateTemplate(Sample("delay-apology")).ok());
  auto all = store_->ListTemplates();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].key, "delay-apology");  // ordered by key
  EXPECT_EQ((*all)[1].variants.size(), 2u);

  auto found = store_->FindTemplateByKey("where-is-order");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, created->id);
  EXPECT_FALSE(store_->FindTemplateByKey("nope")->has_value());
  EXPECT_TRUE(store_->GetTemplate(9999).status().is_not_found());
}

TEST_F(TemplateStoreTest, DuplicateKeyIsAConflictAndStoresNothing) {
  ASSERT_TRUE(store_->CreateTemplate(Sample("where-is-order")).ok());
  auto again = store_->CreateTemplate(Sample("where-is-order"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason(), "template_key_taken");
  EXPECT_EQ(store_->ListTemplates()->size(), 1u);
}

TEST_F(TemplateStoreTest, UpdateReplacesEveryVariantAtOnce) {
  auto t = store_->CreateTemplate(Sample("where-is-order")).value();
  t.name = "Order status";
  t.variants = {{"en", "", "Hello {name}"}, {"ja", "honorific", "{name}様"}};
  auto updated = store_->UpdateTemplate(t);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->name, "Order status");
  ASSERT_EQ(updated->variants.size(), 2u);
  EXPECT_EQ(updated->variants[1].locale, "ja");
  EXPECT_EQ(store_->GetTemplate(t.id)->variants[0].body, "Hello {name}");

  auto other = store_->CreateTemplate(Sample("other")).value();
  other.key = "where-is-order";
  EXPECT_EQ(store_->UpdateTemplate(other).status().reason(), "template_key_taken");
  // The failed update left the other template as it was.
  EXPECT_EQ(store_->GetTemplate(other.id)->key, "other");
  EXPECT_EQ(store_->GetTemplate(other.id)->variants.size(), 2u);

  t.id = 4242;
  EXPECT_TRUE(store_->UpdateTemplate(t).status().is_not_found());
}

TEST_F(TemplateStoreTest, DeleteRemovesTemplateAndVariants) {
  auto t = store_->CreateTemplate(Sample("where-is-order")).value();
  ASSERT_TRUE(store_->DeleteTemplate(t.id).ok());
  EXPECT_TRUE(store_->GetTemplate(t.id).status().is_not_found());
  EXPECT_TRUE(store_->DeleteTemplate(t.id).is_not_found());
  // The key is free again.
  EXPECT_TRUE(store_->CreateTemplate(Sample("where-is-order")).ok());
}

TEST_F(TemplateStoreTest, ConversationLocaleFromContactAndAccount) {
  Inbox inbox;
  inbox.channel = "api";
  inbox.name = "Marketplace";
  inbox = store_->CreateInbox(inbox).value();
  InboundMessage m;
  m.inbox_id = inbox.id;
  m.external_sender_id = "u1";
  m.sender_name = "Emma";
  m.provider_message_id = "m1";
  m.text = "Wo ist meine Bestellung?";
  m.received_at = 1'700'000'000'000;
  auto ingested = store_->IngestInbound(m).value();
  Id conversation = ingested.conversation.id;
  ASSERT_TRUE(store_->UpdateConversation(conversation, {.language = "de", .at = 1}).ok());

  auto unknown = store_->GetConversationLocale(conversation);
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  EXPECT_EQ(unknown->language, "de");
  EXPECT_EQ(unknown->country, "");
  EXPECT_EQ(unknown->time_zone, "UTC");  // the account's default

  ASSERT_TRUE(
      store_->SetContactLocale(ingested.conversation.contact_id, "CH", "Europe/Zurich").ok());
  auto known = store_->GetConversationLocale(conversation);
  EXPECT_EQ(known->country, "CH");
  EXPECT_EQ(known->time_zone, "Europe/Zurich");

  ASSERT_TRUE(store_->SetContactLocale(ingested.conversation.contact_id, "CH", "").ok());
  ASSERT_TRUE(store_->SetDefaultTimeZone("Europe/Berlin").ok());
  EXPECT_EQ(store_->GetConversationLocale(conversation)->time_zone, "Europe/Berlin");

  EXPECT_TRUE(store_->GetConversationLocale(999).status().is_not_found());
  EXPECT_TRUE(store_->SetContactLocale(999, "CH", "").is_not_found());
}

}  // namespace
}  // namespace meridian::store
