// Editing inboxes over a real SQLite store: what may change for each kind of inbox, what is
// refused (and then left as it was), secret rotation, and what the audit log keeps.
#include "service/inbox_service.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "../store/fresh_store.h"
#include "channels/api/api_channel.h"
#include "channels/email/email_channel.h"
#include "channels/webchat/webchat_channel.h"
#include "channels/whatsapp/whatsapp_channel.h"

namespace meridian::service {
namespace {

using nlohmann::json;

class InboxServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = store::FreshTestDir("meridian-inbox-service-test-");
    store_ = store::OpenFreshStore(dir_).value();
    inboxes_ = std::make_unique<InboxService>(*store_, registry_, clock_);
    registry_.Register("api", channels::MakeApiChannelFactory());
    registry_.Register("webchat", channels::MakeWebchatChannelFactory());
    registry_.Register("whatsapp", channels::MakeWhatsAppChannelFactory());
    registry_.Register("email", channels::email::MakeEmailChannelFactory());
    api_ = Create("api", "Marketplace", R"({"callback_url":"https://shop.example/cb"})",
                  "0123456789abcdef0123456789abcdef");
    whatsapp_ = Create("whatsapp", "WhatsApp", R"({"phone_number_id":"1055"})",
                       R"({"access_token":"EAAG-old","app_secret":"app-old",)"
                       R"("verify_token":"verify-old"})");
    email_ = Create("email", "Support mail",
                    R"({"address":"support@shop.example","imap_url":"imaps://mail.example/INBOX",)"
                    R"("smtp_url":"smtps://mail.example","username":"support"})",
                    "mail-password-old");
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Inbox Create(const char* channel, const char* name, const char* config, const char* secret) {
    Inbox inbox;
    inbox.channel = channel;
    inbox.name = name;
    inbox.config_json = config;
    inbox.secret = secret;
    EXPECT_TRUE(registry_.Validate(inbox).ok()) << channel;
    return store_->CreateInbox(inbox).value();
  }

  static InboxPatch Patch(const json& body) { return InboxService::ParsePatch(body).value(); }

  // The audit log's details column of every entry with `action`, oldest first.
  std::vector<std::string> AuditDetails(const std::string& action) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ / "meridian.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT details FROM audit_log WHERE action = ? ORDER BY id", -1, &stmt,
                       nullptr);
    sqlite3_bind_text(stmt, 1, action.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<std::string> out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  channels::ChannelRegistry registry_;
  FakeClock clock_{1'764'000'000'000};
  std::unique_ptr<InboxService> inboxes_;
  Inbox api_, whatsapp_, email_;
};

TEST_F(InboxServiceTest, ParsePatchNamesTheFieldItRefuses) {
  struct Case {
    json body;
    std::string mentions;
  };
  for (const Case& c : std::vector<Case>{
           {{{"name", 5}}, "'name'"},
           {{{"name", "   "}}, "'name'"},
           {{{"name", std::string(201, 'x')}}, "'name'"},
           {{{"config", "callback_url=x"}}, "'config'"},
           {{{"secrets", {{"access_token", 12}}}}, "'secrets.access_token'"},
           {{{"secrets", {{"access_token", ""}}}}, "'secrets.access_token'"},
           {{{"password", ""}}, "'password'"},
       }) {
    auto parsed = InboxService::ParsePatch(c.body);
    ASSERT_FALSE(parsed.ok()) << c.body.dump();
    EXPECT_EQ(parsed.status().code(), StatusCode::kUnprocessable) << c.body.dump();
    EXPECT_NE(parsed.status().message().find(c.mentions), std::string::npos)
        << parsed.status().message();
  }
  // Unknown fields are ignored; the name is trimmed.
  auto ok = InboxService::ParsePatch({{"name", "  EU shop "}, {"colour", "blue"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok->name, "EU shop");
}

TEST_F(InboxServiceTest, SettingsAreMergedKeyByKeyAndNullRemovesOne) {
  auto updated = inboxes_->Update(
      api_.id,
      Patch({{"name", "Marketplace EU"},
             {"config", {{"callback_url", "https://new.example/cb"}, {"region", "eu"}}}}),
      "agent:1");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->name, "Marketplace EU");
  EXPECT_EQ(json::parse(updated->config_json),
            json({{"callback_url", "https://new.example/cb"}, {"region", "eu"}}));
  EXPECT_EQ(updated->secret, api_.secret);  // untouched
  EXPECT_EQ(updated->revision, 1);
  updated = inboxes_->Update(api_.id, Patch({{"config", {{"region", nullptr}}}}), "agent:1");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(json::parse(updated->config_json), json({{"callback_url", "https://new.example/cb"}}));
  // The running side sees it: the channel built for the new revision posts to the new URL.
  EXPECT_EQ(store_->GetInbox(api_.id)->revision, 2);
}

TEST_F(InboxServiceTest, AnInvalidResultIsRefusedAndNothingIsStored) {
  auto bad = inboxes_->Update(
      api_.id, Patch({{"name", "Renamed"}, {"config", {{"callback_url", "ftp://x"}}}}), "agent:1");
  EXPECT_EQ(bad.status().code(), StatusCode::kUnprocessable);
  EXPECT_NE(bad.status().message().find("callback_url"), std::string::npos);
  // Removing a credential WhatsApp needs is refused as well.
  auto missing =
      inboxes_->Update(whatsapp_.id, Patch({{"secrets", {{"access_token", nullptr}}}}), "agent:1");
  EXPECT_EQ(missing.status().code(), StatusCode::kUnprocessable);
  std::vector<Inbox> all = store_->ListInboxes().value();
  for (const Inbox& i : all) {
    EXPECT_EQ(i.revision, 0) << i.name;
  }
  EXPECT_EQ(store_->GetInbox(api_.id)->name, "Marketplace");
  EXPECT_TRUE(AuditDetails("inbox.update").empty());
  EXPECT_EQ(inboxes_->Update(999, Patch({{"name", "x"}}), "agent:1").status().code(),
            StatusCode::kNotFound);
}

TEST_F(InboxServiceTest, ProviderCredentialsAndTheMailboxPasswordChangeOnlyWhereTheyExist) {
  auto wa = inboxes_->Update(whatsapp_.id, Patch({{"secrets", {{"access_token", "EAAG-new"}}}}),
                             "agent:1");
  ASSERT_TRUE(wa.ok()) << wa.status().ToString();
  EXPECT_EQ(json::parse(wa->secret), json({{"access_token", "EAAG-new"},
                                           {"app_secret", "app-old"},
                                           {"verify_token", "verify-old"}}));
  auto mail = inboxes_->Update(email_.id, Patch({{"password", "mail-password-new"}}), "agent:1");
  ASSERT_TRUE(mail.ok()) << mail.status().ToString();
  EXPECT_EQ(mail->secret, "mail-password-new");

  EXPECT_EQ(
      inboxes_->Update(api_.id, Patch({{"secrets", {{"x", "y"}}}}), "agent:1").status().code(),
      StatusCode::kUnprocessable);
  EXPECT_EQ(inboxes_->Update(whatsapp_.id, Patch({{"password", "p"}}), "agent:1").status().code(),
            StatusCode::kUnprocessable);
  // The audit says what changed, never to what.
  std::vector<std::string> audit = AuditDetails("inbox.update");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(json::parse(audit[0]), json({{"changed", {"secrets.access_token"}}}));
  EXPECT_EQ(json::parse(audit[1]), json({{"changed", {"password"}}}));
  for (const auto& details : audit) {
    EXPECT_EQ(details.find("EAAG-new"), std::string::npos);
    EXPECT_EQ(details.find("mail-password-new"), std::string::npos);
  }
}

TEST_F(InboxServiceTest, APatchThatChangesNothingStoresNothing) {
  auto same = inboxes_->Update(
      api_.id,
      Patch({{"name", "Marketplace"},
             {"config", {{"callback_url", "https://shop.example/cb"}, {"gone", nullptr}}}}),
      "agent:1");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->revision, 0);
  EXPECT_TRUE(AuditDetails("inbox.update").empty());
}

TEST_F(InboxServiceTest, RotationKeepsTheOldSecretForTheGracePeriodOnly) {
  auto rotated = inboxes_->RotateSecret(api_.id, 3600, "agent:1");
  ASSERT_TRUE(rotated.ok()) << rotated.status().ToString();
  EXPECT_NE(rotated->secret, api_.secret);
  EXPECT_GE(rotated->secret.size(), 32u);
  EXPECT_EQ(rotated->previous_secret, api_.secret);
  EXPECT_EQ(rotated->previous_secret_until, clock_.NowMs() + 3600 * 1000);
  // A second rotation without grace: only the newest secret is valid.
  auto again = inboxes_->RotateSecret(api_.id, 0, "agent:1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->previous_secret.empty());
  EXPECT_EQ(again->previous_secret_until, 0);
  EXPECT_EQ(store_->GetInbox(api_.id)->secret, again->secret);
  EXPECT_EQ(AuditDetails("inbox.rotate_secret").size(), 2u);
  for (const auto& details : AuditDetails("inbox.rotate_secret")) {
    EXPECT_EQ(details.find(rotated->secret), std::string::npos);
  }

  EXPECT_EQ(inboxes_->RotateSecret(whatsapp_.id, 0, "agent:1").status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(inboxes_->RotateSecret(api_.id, -1, "agent:1").status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(inboxes_->RotateSecret(api_.id, kMaxSecretGraceSeconds + 1, "agent:1").status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(inboxes_->RotateSecret(999, 0, "agent:1").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace meridian::service
