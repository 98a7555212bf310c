// Contacts with many identities (CH8), against the Store interface: automatic merge on verified
// matches only, manual merge and split, the cross-channel timeline, and merges racing ingests.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "store/store.h"

namespace meridian::store {
namespace {

class ContactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("meridian-contacts-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = OpenSqliteStore({.path = (dir_ / "meridian.db").string()});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Migrate().ok());
    for (const char* channel : {"api", "whatsapp", "webchat"}) {
      Inbox inbox;
      inbox.channel = channel;
      inbox.name = std::string(channel) + " inbox";
      inbox.secret = "0123456789abcdef-secret";
      inboxes_.push_back(store_->CreateInbox(inbox).value());
    }
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Id api() const { return inboxes_[0].id; }
  Id wa() const { return inboxes_[1].id; }
  Id web() const { return inboxes_[2].id; }

  IngestResult Ingest(Id inbox, const std::string& sender, const std::string& text,
                      std::vector<ContactClaim> claims = {}) {
    InboundMessage m;
    m.inbox_id = inbox;
    m.external_sender_id = sender;
    m.sender_name = "Name of " + sender;
    m.provider_message_id = "p" + std::to_string(++seq_);
    m.text = text;
    m.received_at = now_ += 1000;
    m.claims = std::move(claims);
    auto r = store_->IngestInbound(m);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : IngestResult{};
  }

  int64_t AuditEntries() { return store_->VerifyAuditChain().value(); }

  static ContactClaim Phone(const std::string& v, bool verified) {
    return {AttributeKind::kPhone, v, verified};
  }
  static ContactClaim Email(const std::string& v, bool verified) {
    return {AttributeKind::kEmail, v, verified};
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::vector<Inbox> inboxes_;
  TimestampMs now_ = 1'700'000'000'000;
  int seq_ = 0;
};

TEST_F(ContactsTest, VerifiedPhoneOnAnotherChannelMergesIntoTheOlderContact) {
  auto shop = Ingest(api(), "shop-77", "Order 1001?", {Phone("+4915112345678", true)});
  EXPECT_TRUE(shop.merges.empty());
  auto whatsapp =
      Ingest(wa(), "+4915112345678", "Hallo, Bestellung 1001", {Phone("+4915112345678", true)});
  ASSERT_EQ(whatsapp.merges.size(), 1u);
  Id a = shop.conversation.contact_id;
  EXPECT_EQ(whatsapp.merges[0].into, a);
  EXPECT_TRUE(whatsapp.merges[0].automatic);
  EXPECT_EQ(whatsapp.conversation.contact_id, a) << "the new conversation joins the survivor";

  auto detail = store_->GetContact(a);
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  ASSERT_EQ(detail->identities.size(), 2u);
  EXPECT_EQ(detail->identities[1].channel, "whatsapp");
  EXPECT_EQ(detail->identities[1].name, "Name of +4915112345678");
  EXPECT_EQ(detail->conversations.size(), 2u);
  EXPECT_EQ(detail->contact.phone, "+4915112345678");

  auto gone = store_->GetContact(whatsapp.merges[0].merged);
  EXPECT_TRUE(gone.status().is_not_found());
  EXPECT_EQ(gone.status().reason(), "contact_merged");
  EXPECT_EQ(AuditEntries(), 1);

  // The same claim on every later message changes nothing and merges nothing.
  auto again = Ingest(wa(), "+4915112345678", "Hallo?", {Phone("+4915112345678", true)});
  EXPECT_TRUE(again.merges.empty());
  EXPECT_EQ(again.conversation.contact_id, a);
}

TEST_F(ContactsTest, UnverifiedClaimNeverMergesButIsSuggestedAsDuplicate) {
  auto shop = Ingest(api(), "shop-1", "hi", {Email("ana@example.com", true)});
  auto visitor = Ingest(web(), "visitor-1", "it's me", {Email("ana@example.com", false)});
  EXPECT_TRUE(visitor.merges.empty());
  EXPECT_NE(visitor.conversation.contact_id, shop.conversation.contact_id);

  auto dups = store_->ListDuplicates(visitor.conversation.contact_id);
  ASSERT_TRUE(dups.ok());
  ASSERT_EQ(dups->size(), 1u);
  EXPECT_EQ((*dups)[0].contact.id, shop.conversation.contact_id);
  ASSERT_EQ((*dups)[0].shared.size(), 1u);
  EXPECT_EQ((*dups)[0].shared[0].value, "ana@example.com");
  EXPECT_TRUE((*dups)[0].shared[0].verified);

  // Verified later (the shop's backend signed it): now it merges.
  auto merges =
      store_->AddContactClaims(web(), "visitor-1", {Email("ana@example.com", true)}, now_ + 1);
  ASSERT_TRUE(merges.ok());
  ASSERT_EQ(merges->size(), 1u);
  EXPECT_EQ((*merges)[0].into, shop.conversation.contact_id);
  EXPECT_TRUE(store_->ListDuplicates(shop.conversation.contact_id)->empty());
}

TEST_F(ContactsTest, AnEmailWrittenInAMessageIsOnlyAClaim) {
  auto shop = Ingest(api(), "shop-8", "hi", {Email("li@example.com", true)});
  auto visitor = Ingest(web(), "visitor-8", "my email is li@example.com");
  MessageEnrichment e;
  e.language = "en";
  e.nlu_json = "{}";
  e.at = now_ + 1;
  e.claims = {Email("li@example.com", true)};  // whatever the pipeline says, words prove nothing
  ASSERT_TRUE(store_->SaveEnrichments({{visitor.message.id, e}}).ok());
  auto detail = store_->GetContact(visitor.conversation.contact_id).value();
  ASSERT_EQ(detail.identities[0].attributes.size(), 1u);
  EXPECT_FALSE(detail.identities[0].attributes[0].verified);
  EXPECT_EQ(store_->ListDuplicates(visitor.conversation.contact_id)->size(), 1u);
  EXPECT_EQ(store_->GetContact(shop.conversation.contact_id)->identities.size(), 1u);
}

TEST_F(ContactsTest, AutoMergeSwitchedOffOnlySuggests) {
  EXPECT_TRUE(store_->GetContactSettings()->auto_merge_verified) << "on by default";
  ASSERT_TRUE(store_->SetContactSettings({.auto_merge_verified = false}).ok());
  EXPECT_FALSE(store_->GetContactSettings()->auto_merge_verified);
  auto a = Ingest(api(), "shop-2", "a", {Phone("+14155550123", true)});
  auto b = Ingest(wa(), "+14155550123", "b", {Phone("+14155550123", true)});
  EXPECT_TRUE(b.merges.empty());
  EXPECT_NE(a.conversation.contact_id, b.conversation.contact_id);
  EXPECT_EQ(store_->ListDuplicates(a.conversation.contact_id)->size(), 1u);
}

TEST_F(ContactsTest, ManualMergeThenSplitRestoresEverything) {
  auto a1 = Ingest(api(), "shop-3", "first", {Email("kim@example.com", true)});
  auto b1 = Ingest(wa(), "+819012345678", "second", {Phone("+819012345678", true)});
  auto a2 = Ingest(api(), "shop-3", "third");
  auto b2 = Ingest(wa(), "+819012345678", "fourth");
  Id a = a1.conversation.contact_id, b = b1.conversation.contact_id;
  ASSERT_NE(a, b);

  auto merged = store_->MergeContacts(a, b, "agent:1", now_ + 1);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->conversation_ids, std::vector<Id>{b1.conversation.id});
  auto detail = store_->GetContact(a).value();
  EXPECT_EQ(detail.identities.size(), 2u);
  EXPECT_EQ(detail.contact.email, "kim@example.com");
  EXPECT_EQ(detail.contact.phone, "+819012345678");
  auto timeline = store_->ListContactMessages(a, "", 50).value();
  std::vector<std::string> texts;
  for (const auto& m : timeline.items) texts.push_back(m.text);
  EXPECT_EQ(texts, (std::vector<std::string>{"first", "second", "third", "fourth"}));

  Id wa_identity = detail.identities[1].id;
  auto split = store_->SplitContact(a, {wa_identity}, "agent:1", now_ + 2);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  EXPECT_EQ(split->conversation_ids, std::vector<Id>{b1.conversation.id});
  auto back = store_->GetContact(split->contact_id).value();
  EXPECT_EQ(back.contact.name, "Name of +819012345678");
  ASSERT_EQ(back.identities.size(), 1u);
  EXPECT_EQ(back.identities[0].id, wa_identity);
  EXPECT_EQ(back.contact.phone, "+819012345678") << "attributes follow their identity";
  EXPECT_EQ(back.contact.email, "");
  EXPECT_EQ(store_->ListContactMessages(split->contact_id, "", 50)->items.size(), 2u);
  auto left = store_->GetContact(a).value();
  EXPECT_EQ(left.identities.size(), 1u);
  EXPECT_EQ(left.contact.phone, "");
  EXPECT_EQ(store_->ListContactMessages(a, "", 50)->items.size(), 2u);
  EXPECT_EQ(store_->GetConversation(b2.conversation.id)->contact_id, split->contact_id);
  EXPECT_EQ(store_->GetConversation(a2.conversation.id)->contact_id, a);
  EXPECT_EQ(AuditEntries(), 2);
}

TEST_F(ContactsTest, MergeKeepsTheSurvivorsProfileFillsGapsAndSplitGivesItBack) {
  auto a1 = Ingest(api(), "shop-9", "Hallo");
  auto b1 = Ingest(wa(), "+5511987654321", "Oi");
  Id a = a1.conversation.contact_id, b = b1.conversation.contact_id;
  ASSERT_TRUE(store_->SetContactLocale(a, "DE", "").ok());
  ASSERT_TRUE(store_->SetContactLocale(b, "BR", "America/Sao_Paulo").ok());

  ASSERT_TRUE(store_->MergeContacts(a, b, "agent:1", now_ + 1).ok());
  auto merged = store_->GetContact(a).value().contact;
  EXPECT_EQ(merged.name, "Name of shop-9") << "the survivor's own name stays";
  EXPECT_EQ(merged.country, "DE") << "the survivor's own country stays";
  EXPECT_EQ(merged.time_zone, "America/Sao_Paulo") << "an empty field is filled";
  // Templates render in the customer's zone on both channels now.
  EXPECT_EQ(store_->GetConversationLocale(b1.conversation.id)->time_zone, "America/Sao_Paulo");
  EXPECT_EQ(store_->GetConversationLocale(a1.conversation.id)->country, "DE");

  Id wa_identity = store_->GetContact(a)->identities[1].id;
  auto split = store_->SplitContact(a, {wa_identity}, "agent:1", now_ + 2);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  auto back = store_->GetContact(split->contact_id).value().contact;
  EXPECT_EQ(back.name, "Name of +5511987654321");
  EXPECT_EQ(back.country, "BR") << "the split-off customer gets its own profile back";
  EXPECT_EQ(back.time_zone, "America/Sao_Paulo");
  auto left = store_->GetContact(a).value().contact;
  EXPECT_EQ(left.country, "DE");
  EXPECT_EQ(left.time_zone, "") << "what the merge filled in is taken back";
  EXPECT_EQ(store_->GetConversationLocale(a1.conversation.id)->time_zone, "UTC")
      << "the account's default again";
  EXPECT_EQ(store_->GetConversationLocale(b1.conversation.id)->country, "BR");
}

TEST_F(ContactsTest, SplitKeepsAnEditMadeAfterTheMerge) {
  auto a1 = Ingest(api(), "shop-10", "Hello");
  auto b1 = Ingest(wa(), "+819011112222", "Konnichiwa");
  Id a = a1.conversation.contact_id, b = b1.conversation.contact_id;
  ASSERT_TRUE(store_->SetContactLocale(b, "JP", "Asia/Tokyo").ok());
  ASSERT_TRUE(store_->MergeContacts(a, b, "agent:1", now_ + 1).ok());
  EXPECT_EQ(store_->GetContact(a)->contact.country, "JP");
  // An agent corrects the time zone after the merge; the country still is the merge's.
  ASSERT_TRUE(store_->SetContactLocale(a, "JP", "Pacific/Guam").ok());
  Id wa_identity = store_->GetContact(a)->identities[1].id;
  auto split = store_->SplitContact(a, {wa_identity}, "agent:1", now_ + 2);
  ASSERT_TRUE(split.ok());
  auto left = store_->GetContact(a).value().contact;
  EXPECT_EQ(left.country, "") << "filled by the merge: taken back";
  EXPECT_EQ(left.time_zone, "Pacific/Guam") << "changed since the merge: kept";
  auto back = store_->GetContact(split->contact_id).value().contact;
  EXPECT_EQ(back.country, "JP");
  EXPECT_EQ(back.time_zone, "Asia/Tokyo");
  // Splitting off an identity the contact always had brings no profile with it.
  auto c1 = Ingest(web(), "visitor-1", "hi");
  ASSERT_TRUE(store_->MergeContacts(a, c1.conversation.contact_id, "agent:1", now_ + 3).ok());
  Id own = store_->GetContact(a)->identities[0].id;
  auto own_split = store_->SplitContact(a, {own}, "agent:1", now_ + 4);
  ASSERT_TRUE(own_split.ok());
  EXPECT_EQ(store_->GetContact(own_split->contact_id)->contact.time_zone, "");
}

TEST_F(ContactsTest, BadMergesAndSplitsAreRefusedAndWriteNothing) {
  auto a = Ingest(api(), "shop-4", "a").conversation.contact_id;
  auto b = Ingest(wa(), "+447700900123", "b").conversation.contact_id;
  auto c = Ingest(web(), "visitor-4", "c").conversation.contact_id;
  EXPECT_EQ(store_->MergeContacts(a, a, "agent:1", now_).status().reason(), "same_contact");
  EXPECT_TRUE(store_->MergeContacts(a, 999, "agent:1", now_).status().is_not_found());
  EXPECT_TRUE(store_->MergeContacts(999, a, "agent:1", now_).status().is_not_found());
  ASSERT_TRUE(store_->MergeContacts(a, b, "agent:1", now_).ok());
  EXPECT_EQ(AuditEntries(), 1);
  auto again = store_->MergeContacts(a, b, "agent:1", now_);
  EXPECT_TRUE(again.status().is_conflict());
  EXPECT_EQ(again.status().reason(), "contact_merged");
  EXPECT_TRUE(store_->MergeContacts(b, c, "agent:1", now_).status().is_conflict());

  auto detail = store_->GetContact(a).value();
  Id c_identity = store_->GetContact(c)->identities[0].id;
  EXPECT_EQ(store_->SplitContact(a, {}, "agent:1", now_).status().reason(), "missing_field");
  EXPECT_EQ(store_->SplitContact(a, {detail.identities[0].id, c_identity}, "agent:1", now_)
                .status()
                .reason(),
            "identity_not_on_contact");
  EXPECT_EQ(
      store_->SplitContact(a, {detail.identities[0].id, detail.identities[1].id}, "agent:1", now_)
          .status()
          .reason(),
      "split_leaves_nothing");
  EXPECT_TRUE(
      store_->SplitContact(b, {detail.identities[1].id}, "agent:1", now_).status().is_conflict());
  // Nothing of the refused requests was written.
  EXPECT_EQ(AuditEntries(), 1);
  auto after = store_->GetContact(a).value();
  EXPECT_EQ(after.identities.size(), 2u);
  EXPECT_EQ(after.conversations.size(), 2u);
  EXPECT_EQ(store_->GetContact(c)->identities.size(), 1u);
}

TEST_F(ContactsTest, IdentitiesAreUniquePerInboxAndExternalId) {
  auto first = store_->EnsureContact(api(), "same", "One", now_).value();
  auto again = store_->EnsureContact(api(), "same", "Other name", now_).value();
  EXPECT_EQ(first.id, again.id);
  auto elsewhere = store_->EnsureContact(wa(), "same", "One", now_).value();
  EXPECT_NE(first.id, elsewhere.id);
  EXPECT_EQ(store_->GetContact(first.id)->identities.size(), 1u);
  EXPECT_TRUE(store_->AddContactClaims(api(), "nobody", {Email("x@example.com", true)}, now_)
                  .status()
                  .is_not_found());
}

TEST_F(ContactsTest, IngestsRacingAMergeLoseNothing) {
  Id a = Ingest(api(), "shop-5", "a0").conversation.contact_id;
  Id b = Ingest(wa(), "+5511987654321", "b0").conversation.contact_id;
  constexpr int kPerSender = 60;
  std::atomic<int> failures{0};
  auto writer = [&](Id inbox, std::string sender, std::string prefix) {
    for (int i = 0; i < kPerSender; ++i) {
      InboundMessage m;
      m.inbox_id = inbox;
      m.external_sender_id = sender;
      m.provider_message_id = prefix + std::to_string(i);
      m.text = prefix + std::to_string(i);
      m.received_at = 1'800'000'000'000 + i;
      if (!store_->IngestInbound(m).ok()) ++failures;
    }
  };
  std::thread t1(writer, api(), "shop-5", "api-");
  std::thread t2(writer, wa(), "+5511987654321", "wa-");
  auto merged = store_->MergeContacts(a, b, "agent:1", now_);
  t1.join();
  t2.join();
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(failures.load(), 0);
  auto detail = store_->GetContact(a).value();
  EXPECT_EQ(detail.identities.size(), 2u);
  for (const auto& c : detail.conversations) EXPECT_EQ(c.contact_id, a);
  auto page = store_->ListContactMessages(a, "", 200).value();
  EXPECT_EQ(page.items.size(), 2u + 2 * kPerSender);
  EXPECT_TRUE(store_->GetContact(b).status().is_not_found());
  EXPECT_TRUE(store_->ListContactMessages(b, "", 10).status().is_not_found());
}

TEST_F(ContactsTest, TimelineIsTimeOrderedAcrossChannelsAndPages) {
  Ingest(api(), "shop-6", "m1", {Phone("+33612345678", true)});
  Ingest(wa(), "+33612345678", "m2", {Phone("+33612345678", true)});
  Ingest(api(), "shop-6", "m3");
  Ingest(wa(), "+33612345678", "m4");
  auto last = Ingest(api(), "shop-6", "m5");
  Id a = last.conversation.contact_id;
  std::vector<std::string> seen;
  std::string cursor;
  do {
    auto page = store_->ListContactMessages(a, cursor, 2);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> chunk;
    for (const auto& m : page->items) chunk.push_back(m.text);
    seen.insert(seen.begin(), chunk.begin(), chunk.end());
    cursor = page->next_cursor.value_or("");
  } while (!cursor.empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"m1", "m2", "m3", "m4", "m5"}));
  EXPECT_TRUE(store_->ListContactMessages(a, "bm90LWEtY3Vyc29y", 2).status().is_invalid_argument());
}

}  // namespace
}  // namespace meridian::store
