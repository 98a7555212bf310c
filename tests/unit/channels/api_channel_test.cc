#include "channels/api/api_channel.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace meridian::channels {
namespace {

constexpr const char* kSecret = "0123456789abcdef0123456789abcdef";

std::unique_ptr<Channel> Make(
    const std::string& config = R"({"callback_url":"http://127.0.0.1:1/cb"})") {
  Inbox inbox;
  inbox.id = 7;
  inbox.channel = "api";
  inbox.secret = kSecret;
  inbox.config_json = config;
  return MakeApiChannelFactory()->Create(inbox).value();
}

HeaderLookup Headers(std::string signature) {
  return [signature](std::string_view name) -> std::string_view {
    return name == "x-meridian-signature" ? std::string_view(signature) : std::string_view();
  };
}

TEST(ApiChannelTest, AcceptsTheDocumentedSignatureAndRejectsOthers) {
  auto channel = Make();
  std::string body = R"({"message_id":"1","sender":{"id":"u"},"text":"hi"})";
  EXPECT_TRUE(channel->VerifyWebhook(Headers(ApiChannelSignature(kSecret, body)), body).ok());
  EXPECT_EQ(channel->VerifyWebhook(Headers(ApiChannelSignature("other", body)), body).reason(),
            "invalid_signature");
  EXPECT_FALSE(channel->VerifyWebhook(Headers(""), body).ok());
  // The signature covers the raw bytes: a re-serialized body does not verify.
  EXPECT_FALSE(
      channel->VerifyWebhook(Headers(ApiChannelSignature(kSecret, body)), body + " ").ok());
  EXPECT_EQ(ApiChannelSignature("key", "The quick brown fox jumps over the lazy dog"),
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(ApiChannelTest, SenderEmailAndPhoneAreClaimsVerifiedOnlyWhenTheIntegratorSaysSo) {
  auto events = Make()->ParseWebhook(
      R"({"message_id":"m","sender":{"id":"c","email":" Ana@Example.com","phone":"+49 151 2345 6789",)"
      R"("phone_verified":true},"text":"hi"})");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  const auto& claims = (*events)[0].claims;
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].kind, AttributeKind::kEmail);
  EXPECT_EQ(claims[0].value, "ana@example.com");
  EXPECT_FALSE(claims[0].verified);
  EXPECT_EQ(claims[1].kind, AttributeKind::kPhone);
  EXPECT_EQ(claims[1].value, "+4915123456789");
  EXPECT_TRUE(claims[1].verified);

  auto bad_phone =
      Make()->ParseWebhook(R"({"message_id":"m","sender":{"id":"c","phone":"12"},"text":"hi"})");
  EXPECT_EQ(bad_phone.status().reason(), "invalid_field");
  auto bad_flag = Make()->ParseWebhook(
      R"({"message_id":"m","sender":{"id":"c","email":"a@b.co","email_verified":"yes"},"text":"hi"})");
  EXPECT_EQ(bad_flag.status().reason(), "invalid_field");
}

TEST(ApiChannelTest, ParsesTheDocumentedPayload) {
  auto events = Make()->ParseWebhook(
      R"({"message_id":"mp-1","sender":{"id":"cust-9","name":"Erika"},"text":"Wo ist es?","timestamp":1764000000,"extra":true})");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  const InboundEvent& e = (*events)[0];
  EXPECT_EQ(e.provider_message_id, "mp-1");
  EXPECT_EQ(e.sender_id, "cust-9");
  EXPECT_EQ(e.sender_name, "Erika");
  EXPECT_EQ(e.text, "Wo ist es?");
  EXPECT_EQ(e.sent_at, 1764000000000);
}

TEST(ApiChannelTest, BadPayloadsNameTheProblem) {
  auto channel = Make();
  EXPECT_EQ(channel->ParseWebhook("{").status().reason(), "invalid_json");
  EXPECT_EQ(channel->ParseWebhook("[]").status().reason(), "invalid_json");
  EXPECT_EQ(channel->ParseWebhook("\xff").status().reason(), "invalid_utf8");
  auto no_text = channel->ParseWebhook(R"({"message_id":"1","sender":{"id":"u"}})");
  EXPECT_EQ(no_text.status().code(), StatusCode::kUnprocessable);
  EXPECT_NE(no_text.status().message().find("'text'"), std::string::npos);
  auto no_sender_id = channel->ParseWebhook(R"({"message_id":"1","sender":{},"text":"x"})");
  EXPECT_NE(no_sender_id.status().message().find("sender.id"), std::string::npos);
  auto empty_id = channel->ParseWebhook(R"({"message_id":"","sender":{"id":"u"},"text":"x"})");
  EXPECT_EQ(empty_id.status().code(), StatusCode::kUnprocessable);
}

TEST(ApiChannelTest, FactoryRejectsBadConfig) {
  Inbox inbox;
  inbox.channel = "api";
  inbox.secret = kSecret;
  inbox.config_json = R"({"callback_url":"ftp://example.com"})";
  EXPECT_FALSE(MakeApiChannelFactory()->Create(inbox).ok());
  inbox.config_json = "{}";
  inbox.secret = "short";
  EXPECT_FALSE(MakeApiChannelFactory()->Create(inbox).ok());
}

TEST(ClassifyHttpResultTest, RetriesTransientAndHonoursRetryAfter) {
  HttpClientResponse ok{204, {}, ""};
  EXPECT_EQ(ClassifyHttpResult(ok).outcome, DeliveryOutcome::kDelivered);
  HttpClientResponse limited{429, {{"retry-after", "7"}}, "slow down"};
  auto r = ClassifyHttpResult(limited);
  EXPECT_EQ(r.outcome, DeliveryOutcome::kRetry);
  EXPECT_EQ(r.retry_after_ms, 7000);
  EXPECT_EQ(ClassifyHttpResult(HttpClientResponse{503, {}, ""}).outcome, DeliveryOutcome::kRetry);
  EXPECT_EQ(ClassifyHttpResult(HttpClientResponse{400, {}, "bad recipient"}).outcome,
            DeliveryOutcome::kPermanentFailure);
  EXPECT_EQ(ClassifyHttpResult(Result<HttpClientResponse>(Status::Unavailable("refused"))).outcome,
            DeliveryOutcome::kRetry);
}

TEST(ApiChannelTest, AFileGoesToTheCallbackAsASignedLink) {
  class Recorder final : public HttpClient {
   public:
    Result<HttpClientResponse> Send(const HttpClientRequest& r) override {
      requests.push_back(r);
      return HttpClientResponse{200, {}, ""};
    }
    std::vector<HttpClientRequest> requests;
  } http;
  OutboundDelivery d;
  d.message.id = 41;
  d.message.conversation_id = 9;
  d.message.text = "[document]";
  d.recipient_external_id = "cust-1";
  d.payload_json = R"({"file_only":true})";
  d.now = 1'764'000'000'000;
  d.files = {{"label.pdf", "application/pdf", "%PDF-1.4 bytes", 512}};
  ASSERT_EQ(Make()->Send(d, http).outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(http.requests.size(), 1u);
  auto body = nlohmann::json::parse(http.requests[0].body);
  EXPECT_EQ(body["text"], "");  // a file sent alone has no caption
  ASSERT_EQ(body["attachments"].size(), 1u);
  const auto& file = body["attachments"][0];
  EXPECT_EQ(file["id"], 512);
  EXPECT_EQ(file["filename"], "label.pdf");
  EXPECT_EQ(file["content_type"], "application/pdf");
  EXPECT_EQ(file["size"], 14);
  int64_t expires = d.now / 1000 + kApiFileLinkSeconds;
  EXPECT_EQ(file["url"], "/api/v1/inboxes/7/files/512?expires=" + std::to_string(expires) +
                             "&signature=" + ApiFileSignature(kSecret, 7, 512, expires));
  // The signature binds inbox, file and expiry.
  EXPECT_NE(ApiFileSignature(kSecret, 7, 512, expires), ApiFileSignature(kSecret, 8, 512, expires));
  EXPECT_NE(ApiFileSignature(kSecret, 7, 512, expires), ApiFileSignature(kSecret, 7, 513, expires));
  EXPECT_NE(ApiFileSignature(kSecret, 7, 512, expires),
            ApiFileSignature(kSecret, 7, 512, expires + 1));
}

TEST(ApiChannelTest, ARotatedOutSecretVerifiesOnlyUntilItsGraceEnds) {
  const std::string body = R"({"message_id":"1","sender":{"id":"u"},"text":"hi"})";
  Inbox inbox;
  inbox.id = 7;
  inbox.channel = "api";
  inbox.secret = "new-secret-0123456789abcdef";
  inbox.previous_secret = kSecret;
  inbox.previous_secret_until = SystemClock::Get().NowMs() + 60'000;
  auto during = MakeApiChannelFactory()->Create(inbox).value();
  EXPECT_TRUE(during->VerifyWebhook(Headers(ApiChannelSignature(kSecret, body)), body).ok());
  EXPECT_TRUE(during->VerifyWebhook(Headers(ApiChannelSignature(inbox.secret, body)), body).ok());
  EXPECT_EQ(during->VerifyWebhook(Headers(ApiChannelSignature("other", body)), body).reason(),
            "invalid_signature");
  inbox.previous_secret_until = SystemClock::Get().NowMs() - 1;
  auto after = MakeApiChannelFactory()->Create(inbox).value();
  EXPECT_EQ(after->VerifyWebhook(Headers(ApiChannelSignature(kSecret, body)), body).reason(),
            "invalid_signature");
  EXPECT_TRUE(after->VerifyWebhook(Headers(ApiChannelSignature(inbox.secret, body)), body).ok());
}

TEST(ChannelRegistryTest, AChangedInboxGetsANewChannel) {
  ChannelRegistry registry;
  registry.Register("api", MakeApiChannelFactory());
  Inbox inbox;
  inbox.id = 3;
  inbox.channel = "api";
  inbox.secret = kSecret;
  inbox.config_json = R"({"callback_url":"http://127.0.0.1:1/a"})";
  auto first = registry.For(inbox).value();
  EXPECT_EQ(registry.For(inbox).value(), first);  // cached while unchanged
  inbox.config_json = R"({"callback_url":"http://127.0.0.1:1/b"})";
  inbox.revision = 1;
  auto second = registry.For(inbox).value();
  EXPECT_NE(second, first);
  EXPECT_EQ(registry.For(inbox).value(), second);
  // A stale read (revision 0) racing the change does not put the old channel back.
  inbox.revision = 0;
  (void)registry.For(inbox);
  inbox.revision = 1;
  EXPECT_EQ(registry.For(inbox).value(), second);
}

}  // namespace
}  // namespace meridian::channels
