// Provider channels against their documented payloads (tests/fixtures/channels/<provider>/),
// their signatures, and the exact requests they send.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "channels/common/provider.h"
#include "channels/twilio/twilio_channel.h"
#include "channels/whatsapp/whatsapp_channel.h"
#include "provider_testing.h"

namespace meridian::channels {
namespace {

using nlohmann::json;
using testing::EventToJson;
using testing::FakeHttp;
using testing::Lookup;
using testing::MakeProvider;
using testing::SignedHeaders;

const char* const kProviders[] = {"whatsapp", "messenger", "instagram",
                                  "line",     "telegram",  "twilio"};
constexpr const char* kUrl = "https://meridian.example.com/webhooks/twilio/42";

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path FixtureDir(const std::string& provider) {
  return std::filesystem::path(MERIDIAN_SOURCE_DIR) / "tests/fixtures/channels" / provider;
}

std::string SampleBody(const std::string& provider) {
  for (const auto& entry : std::filesystem::directory_iterator(FixtureDir(provider))) {
    std::string name = entry.path().filename().string();
    if (name.find(".expected.") == std::string::npos) return ReadFile(entry.path());
  }
  return {};
}

TEST(ProviderFixturesTest, EveryFixtureParsesToItsExpectedEvents) {
  int checked = 0;
  for (const std::string provider : kProviders) {
    auto channel = MakeProvider(provider);
    for (const auto& entry : std::filesystem::directory_iterator(FixtureDir(provider))) {
      std::string name = entry.path().filename().string();
      if (name.find(".expected.") != std::string::npos) continue;
      std::string stem = name.substr(0, name.rfind('.'));
      std::string body = ReadFile(entry.path());
      json expected = json::parse(ReadFile(FixtureDir(provider) / (stem + ".expected.json")));
      SCOPED_TRACE(provider + "/" + name);
      // Signed the provider's way, the delivery verifies before it is parsed.
      EXPECT_TRUE(
          channel->VerifyWebhookRequest({Lookup(SignedHeaders(provider, body, kUrl)), body, kUrl})
              .ok());
      auto events = channel->ParseWebhook(body);
      ASSERT_TRUE(events.ok()) << events.status().ToString();
      json got = json::array();
      for (const auto& e : *events) got.push_back(EventToJson(e));
      EXPECT_EQ(got, expected) << got.dump(2);
      ++checked;
    }
  }
  EXPECT_GE(checked, 25);
}

// CH8: a WhatsApp or SMS sender owns the number it writes from, so every message of theirs
// carries it as a verified phone; the other providers know no phone or email of the sender.
TEST(ProviderFixturesTest, PhoneSendersCarryTheirNumberAsAVerifiedClaim) {
  int phones = 0;
  for (const std::string provider : kProviders) {
    auto channel = MakeProvider(provider);
    for (const auto& entry : std::filesystem::directory_iterator(FixtureDir(provider))) {
      if (entry.path().filename().string().find(".expected.") != std::string::npos) continue;
      auto events = channel->ParseWebhook(ReadFile(entry.path()));
      ASSERT_TRUE(events.ok());
      for (const auto& e : *events) {
        SCOPED_TRACE(provider + "/" + entry.path().filename().string());
        bool owns_number = (provider == "whatsapp" || provider == "twilio") &&
                           e.kind == InboundKind::kMessage && e.sender_id.rfind('+', 0) == 0;
        if (!owns_number) {
          EXPECT_TRUE(e.claims.empty());
          continue;
        }
        ASSERT_EQ(e.claims.size(), 1u);
        EXPECT_EQ(e.claims[0].kind, AttributeKind::kPhone);
        EXPECT_EQ(e.claims[0].value, e.sender_id);
        EXPECT_TRUE(e.claims[0].verified);
        ++phones;
      }
    }
  }
  EXPECT_GE(phones, 4);
}

TEST(ProviderSignatureTest, WrongOrMissingSignaturesAreUnauthenticated) {
  for (const std::string provider : kProviders) {
    SCOPED_TRACE(provider);
    auto channel = MakeProvider(provider);
    std::string body = SampleBody(provider);
    auto good = SignedHeaders(provider, body, kUrl);
    ASSERT_TRUE(channel->VerifyWebhookRequest({Lookup(good), body, kUrl}).ok());
    // Missing header.
    Status missing = channel->VerifyWebhookRequest({Lookup({}), body, kUrl});
    EXPECT_EQ(missing.code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(missing.reason(), "invalid_signature");
    // Wrong value.
    auto wrong = good;
    wrong.begin()->second += "0";
    EXPECT_EQ(channel->VerifyWebhookRequest({Lookup(wrong), body, kUrl}).code(),
              StatusCode::kUnauthenticated);
    // Telegram's token does not cover the body; every other signature does.
    if (provider != "telegram") {
      EXPECT_FALSE(channel->VerifyWebhookRequest({Lookup(good), body + " ", kUrl}).ok());
    }
  }
  // Twilio's covers the URL too.
  auto twilio = MakeProvider("twilio");
  std::string body = SampleBody("twilio");
  EXPECT_FALSE(twilio
                   ->VerifyWebhookRequest({Lookup(SignedHeaders("twilio", body, kUrl)), body,
                                           "https://attacker.example/webhooks/twilio/42"})
                   .ok());
}

TEST(ProviderSignatureTest, TwilioSignatureMatchesTheDocumentedExample) {
  // https://www.twilio.com/docs/usage/webhooks/webhooks-security (auth token 12345).
  EXPECT_EQ(TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
                            {{"CallSid", "CA1234567890ABCDE"},
                             {"Caller", "+12349013030"},
                             {"Digits", "1234"},
                             {"From", "+12349013030"},
                             {"To", "+18005551212"}}),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST(ProviderParseTest, BadBodiesNameTheProblem) {
  auto wa = MakeProvider("whatsapp");
  EXPECT_EQ(wa->ParseWebhook("{").status().reason(), "invalid_json");
  EXPECT_EQ(wa->ParseWebhook("\xff").status().reason(), "invalid_utf8");
  EXPECT_EQ(wa->ParseWebhook(R"({"object":"page","entry":[]})").status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(MakeProvider("telegram")->ParseWebhook(R"({"message":{}})").status().reason(),
            "missing_field");
  EXPECT_EQ(MakeProvider("twilio")->ParseWebhook("Body=%zz").status().reason(), "invalid_form");
  EXPECT_EQ(MakeProvider("twilio")->ParseWebhook("Body=hi").status().reason(), "missing_field");
  EXPECT_EQ(MakeProvider("line")->ParseWebhook(R"({"destination":"x"})").status().reason(),
            "missing_field");
}

TEST(ProviderParseTest, EveryMessageIsStorableSoProvidersStopRetrying) {
  auto tg = MakeProvider("telegram");
  auto blank = tg->ParseWebhook(
      R"({"update_id":1,"message":{"message_id":1,"chat":{"id":5},"date":1,"text":"  "}})");
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ((*blank)[0].text, "[empty message]");
  std::string big(40000, 'x');
  auto huge = tg->ParseWebhook(R"({"update_id":2,"message":{"message_id":2,"chat":{"id":5},)"
                               R"("date":1,"text":")" +
                               big + "\"}}");
  ASSERT_TRUE(huge.ok());
  EXPECT_LT((*huge)[0].text.size(), 16u * 1024);
}

TEST(ProviderVerifyTest, MetaSubscriptionHandshake) {
  for (const std::string provider : {"whatsapp", "messenger", "instagram"}) {
    auto channel = MakeProvider(provider);
    auto ok = channel->VerifySubscription({{"hub.mode", "subscribe"},
                                           {"hub.verify_token", "verify-me"},
                                           {"hub.challenge", "1158201444"}});
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(*ok, "1158201444");
    EXPECT_EQ(
        channel
            ->VerifySubscription(
                {{"hub.mode", "subscribe"}, {"hub.verify_token", "nope"}, {"hub.challenge", "1"}})
            .status()
            .code(),
        StatusCode::kPermissionDenied);
  }
  EXPECT_EQ(MakeProvider("telegram")->VerifySubscription({}).status().code(),
            StatusCode::kNotFound);
}

OutboundDelivery Delivery(const std::string& to, const std::string& payload = "{}",
                          TimestampMs now = 0) {
  OutboundDelivery d;
  d.message.id = 77;
  d.message.text = "It ships today.";
  d.recipient_external_id = to;
  d.payload_json = payload;
  d.now = now;
  return d;
}

// A multipart/form-data request's parts by name, parsed independently of EncodeMultipart.
struct FormField {
  std::string filename, content_type, data;
};
std::map<std::string, FormField> FormOf(const HttpClientRequest& req) {
  std::string type;
  for (const auto& [k, v] : req.headers) {
    if (k == "Content-Type") type = v;
  }
  const std::string marker = "boundary=";
  EXPECT_EQ(type.rfind("multipart/form-data; ", 0), 0u) << type;
  std::string boundary = "--" + type.substr(type.find(marker) + marker.size());
  std::map<std::string, FormField> out;
  size_t pos = req.body.find(boundary);
  EXPECT_EQ(pos, 0u);
  while (pos != std::string::npos) {
    size_t start = pos + boundary.size();
    if (req.body.compare(start, 4, "--\r\n") == 0) break;  // the closing delimiter
    size_t next = req.body.find("\r\n" + boundary, start);
    if (next == std::string::npos) break;
    std::string part = req.body.substr(start + 2, next - start - 2);
    size_t blank = part.find("\r\n\r\n");
    std::string head = part.substr(0, blank);
    FormField f;
    f.data = part.substr(blank + 4);
    auto param = [&head](const std::string& key) {
      size_t at = head.find(key + "=\"");
      if (at == std::string::npos) return std::string();
      at += key.size() + 2;
      return head.substr(at, head.find('"', at) - at);
    };
    f.filename = param("filename");
    if (size_t ct = head.find("Content-Type: "); ct != std::string::npos) {
      f.content_type = head.substr(ct + 14, head.find("\r\n", ct) - ct - 14);
    }
    out[param("name")] = f;
    pos = next + 2;
  }
  return out;
}

OutboundDelivery WithFile(const std::string& to, OutboundFile file, bool file_only = false) {
  OutboundDelivery d;
  d.message.id = 78;
  d.message.text = file_only ? "[document]" : "Your return label";
  d.recipient_external_id = to;
  d.payload_json = file_only ? R"({"file_only":true})" : "{}";
  d.files = {std::move(file)};
  return d;
}

TEST(ProviderSendTest, MultipartBodiesKeepBytesAndQuoteNamesSafely) {
  std::string bytes("\0\r\n--x\"binary\xff", 14);
  auto [type, body] = EncodeMultipart(
      {{"chat_id", "42", "", ""}, {"document", bytes, "a\"b\r\nc.pdf", "application/pdf"}});
  HttpClientRequest req;
  req.headers = {{"Content-Type", type}};
  req.body = body;
  auto form = FormOf(req);
  EXPECT_EQ(form["chat_id"].data, "42");
  EXPECT_EQ(form["document"].data, bytes);
  EXPECT_EQ(form["document"].filename, "a_b__c.pdf");
  EXPECT_EQ(form["document"].content_type, "application/pdf");
}

TEST(ProviderSendTest, WhatsAppUploadsAFileThenSendsItByMediaId) {
  auto wa = MakeProvider("whatsapp", "http://stub.test/v21.0");
  const std::string pdf = "%PDF-1.4\n%\xe2\xe3 label";
  FakeHttp http;
  http.Push(200, R"({"id":"media-1"})");
  http.Push(200, R"({"messaging_product":"whatsapp","messages":[{"id":"wamid.FILE"}]})");
  SendResult r = wa->Send(WithFile("+16315551181", {"label.pdf", "application/pdf", pdf}), http);
  EXPECT_EQ(r.outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(r.provider_message_id, "wamid.FILE");
  ASSERT_EQ(http.requests.size(), 2u);
  EXPECT_EQ(http.requests[0].url, "http://stub.test/v21.0/106540352242922/media");
  auto form = FormOf(http.requests[0]);
  EXPECT_EQ(form["messaging_product"].data, "whatsapp");
  EXPECT_EQ(form["type"].data, "application/pdf");
  EXPECT_EQ(form["file"].data, pdf);
  EXPECT_EQ(form["file"].filename, "label.pdf");
  EXPECT_EQ(form["file"].content_type, "application/pdf");
  EXPECT_EQ(json::parse(http.requests[1].body),
            json::parse(R"({"messaging_product":"whatsapp","recipient_type":"individual",
              "to":"16315551181","type":"document",
              "document":{"id":"media-1","caption":"Your return label","filename":"label.pdf"}})"));

  // A photo sent alone: an image, without the placeholder as its caption. A GIF is a document.
  FakeHttp photo;
  photo.Push(200, R"({"id":"media-2"})");
  photo.Push(200, R"({"messages":[{"id":"wamid.P"}]})");
  wa->Send(WithFile("+16315551181", {"p.png", "image/png", "\x89PNG..."}, true), photo);
  EXPECT_EQ(json::parse(photo.requests[1].body)["image"], json::parse(R"({"id":"media-2"})"));
  FakeHttp gif;
  gif.Push(200, R"({"id":"media-3"})");
  gif.Push(200, R"({"messages":[{"id":"wamid.G"}]})");
  wa->Send(WithFile("+16315551181", {"a.gif", "image/gif", "GIF89a"}), gif);
  EXPECT_EQ(json::parse(gif.requests[1].body)["type"], "document");

  // A failed upload sends nothing else: retried after a 5xx, a dead letter after a 4xx.
  FakeHttp down;
  down.Push(503);
  EXPECT_EQ(wa->Send(WithFile("+1", {"label.pdf", "application/pdf", pdf}), down).outcome,
            DeliveryOutcome::kRetry);
  EXPECT_EQ(down.requests.size(), 1u);
  FakeHttp refused;
  refused.Push(
      400,
      R"({"error":{"message":"Param file must be a file with one of the following types","code":100}})");
  SendResult bad = wa->Send(WithFile("+1", {"label.pdf", "application/pdf", pdf}), refused);
  EXPECT_EQ(bad.outcome, DeliveryOutcome::kPermanentFailure);
  EXPECT_NE(bad.error.find("media upload"), std::string::npos);
  EXPECT_EQ(refused.requests.size(), 1u);
}

TEST(ProviderSendTest, TelegramSendsFilesAsPhotoOrDocument) {
  auto tg = MakeProvider("telegram");
  FakeHttp http;
  http.Push(200, R"({"ok":true,"result":{"message_id":100}})");
  SendResult r =
      tg->Send(WithFile("1111111", {"box.jpg", "image/jpeg", "\xff\xd8\xff jpeg"}), http);
  EXPECT_EQ(r.provider_message_id, "msg:1111111:100");
  EXPECT_EQ(http.requests[0].url, "http://stub.test/bot123456:ABC-DEF/sendPhoto");
  auto form = FormOf(http.requests[0]);
  EXPECT_EQ(form["chat_id"].data, "1111111");
  EXPECT_EQ(form["caption"].data, "Your return label");
  EXPECT_EQ(form["photo"].data, "\xff\xd8\xff jpeg");
  EXPECT_EQ(form["photo"].filename, "box.jpg");
  tg->Send(WithFile("1111111", {"label.pdf", "application/pdf", "%PDF"}, true), http);
  EXPECT_EQ(http.requests[1].url, "http://stub.test/bot123456:ABC-DEF/sendDocument");
  auto doc = FormOf(http.requests[1]);
  EXPECT_EQ(doc.count("caption"), 0u);
  EXPECT_EQ(doc["document"].data, "%PDF");
}

TEST(ProviderSendTest, MessengerUploadsAFileWithTheSendAndInstagramTakesNone) {
  auto m = MakeProvider("messenger");
  EXPECT_TRUE(m->capabilities().sends_attachments);
  EXPECT_FALSE(m->capabilities().file_captions);
  EXPECT_FALSE(MakeProvider("instagram")->capabilities().sends_attachments);
  FakeHttp http;
  http.Push(200, R"({"recipient_id":"psid","message_id":"m_file"})");
  OutboundDelivery d = WithFile("psid", {"box.png", "image/png", "\x89PNG bytes"}, true);
  d.payload_json = R"({"file_only":true,"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT"})";
  SendResult r = m->Send(d, http);
  EXPECT_EQ(r.provider_message_id, "m_file");
  ASSERT_EQ(http.requests.size(), 1u);
  auto form = FormOf(http.requests[0]);
  EXPECT_EQ(json::parse(form["recipient"].data), json::parse(R"({"id":"psid"})"));
  EXPECT_EQ(form["messaging_type"].data, "MESSAGE_TAG");
  EXPECT_EQ(form["tag"].data, "HUMAN_AGENT");
  EXPECT_EQ(json::parse(form["message"].data),
            json::parse(R"({"attachment":{"type":"image","payload":{"is_reusable":false}}})"));
  EXPECT_EQ(form["filedata"].data, "\x89PNG bytes");
  EXPECT_EQ(form["filedata"].filename, "box.png");
  EXPECT_EQ(form["filedata"].content_type, "image/png");
  FakeHttp pdf;
  pdf.Push(200, R"({"message_id":"m_pdf"})");
  m->Send(WithFile("psid", {"label.pdf", "application/pdf", "%PDF"}, true), pdf);
  EXPECT_EQ(json::parse(FormOf(pdf.requests[0])["message"].data)["attachment"]["type"], "file");
}

TEST(ProviderSendTest, WhatsAppTextAndTemplateRequests) {
  auto wa = MakeProvider("whatsapp", "http://stub.test/v21.0");
  FakeHttp http;
  http.Push(200, R"({"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT"}]})");
  SendResult r = wa->Send(Delivery("+16315551181"), http);
  EXPECT_EQ(r.outcome, DeliveryOutcome::kDelivered);
  EXPECT_EQ(r.provider_message_id, "wamid.OUT");
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].url, "http://stub.test/v21.0/106540352242922/messages");
  EXPECT_EQ(json::parse(http.requests[0].body),
            json::parse(R"({"messaging_product":"whatsapp","recipient_type":"individual",
              "to":"16315551181","type":"text","text":{"preview_url":false,"body":"It ships today."}})"));
  wa->Send(Delivery("+16315551181",
                    R"({"template":{"name":"order_update","language":"de","parameters":["1"]}})"),
           http);
  EXPECT_EQ(json::parse(http.requests[1].body)["template"],
            json::parse(R"({"name":"order_update","language":{"code":"de"},
              "components":[{"type":"body","parameters":[{"type":"text","text":"1"}]}]})"));
}

TEST(ProviderSendTest, MessengerTagsHumanAgentMessages) {
  auto m = MakeProvider("messenger");
  FakeHttp http;
  http.Push(200, R"({"recipient_id":"psid","message_id":"m_out"})");
  SendResult r =
      m->Send(Delivery("psid", R"({"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT"})"), http);
  EXPECT_EQ(r.provider_message_id, "m_out");
  EXPECT_EQ(json::parse(http.requests[0].body),
            json::parse(R"({"recipient":{"id":"psid"},"messaging_type":"MESSAGE_TAG",
              "tag":"HUMAN_AGENT","message":{"text":"It ships today."}})"));
}

TEST(ProviderSendTest, LineRepliesWithAFreshTokenAndPushesOtherwise) {
  auto line = MakeProvider("line");
  FakeHttp http;
  http.Push(200, R"({"sentMessages":[{"id":"1","quoteToken":"q"}]})");
  const std::string payload = R"({"reply_token":"tok","reply_token_at":1000})";
  line->Send(Delivery("U1", payload, 1000 + 10'000), http);
  EXPECT_EQ(http.requests.back().url, "http://stub.test/v2/bot/message/reply");
  line->Send(Delivery("U1", payload, 1000 + 70'000), http);
  EXPECT_EQ(http.requests.back().url, "http://stub.test/v2/bot/message/push");
  EXPECT_EQ(json::parse(http.requests.back().body)["to"], "U1");
  // A used or expired token (400) falls back to a push in the same attempt.
  FakeHttp used;
  used.Push(400, R"({"message":"Invalid reply token"})");
  used.Push(200, R"({"sentMessages":[{"id":"2"}]})");
  SendResult r = line->Send(Delivery("U1", payload, 1000), used);
  EXPECT_EQ(r.outcome, DeliveryOutcome::kDelivered);
  ASSERT_EQ(used.requests.size(), 2u);
  EXPECT_EQ(used.requests[1].url, "http://stub.test/v2/bot/message/push");
}

TEST(ProviderSendTest, TelegramAndTwilioRequests) {
  FakeHttp http;
  http.Push(200, R"({"ok":true,"result":{"message_id":99}})");
  SendResult t = MakeProvider("telegram")->Send(Delivery("1111111"), http);
  EXPECT_EQ(http.requests[0].url, "http://stub.test/bot123456:ABC-DEF/sendMessage");
  EXPECT_EQ(json::parse(http.requests[0].body),
            json::parse(R"({"chat_id":"1111111","text":"It ships today."})"));
  EXPECT_EQ(t.provider_message_id, "msg:1111111:99");

  FakeHttp tw;
  tw.Push(201, R"({"sid":"SM123","status":"queued"})");
  SendResult s = MakeProvider("twilio")->Send(Delivery("+4915112345678"), tw);
  EXPECT_EQ(s.provider_message_id, "SM123");
  EXPECT_EQ(
      tw.requests[0].url,
      "http://stub.test/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json");
  EXPECT_EQ(tw.requests[0].body,
            "To=%2B4915112345678&Body=It%20ships%20today.&From=%2B14155550100");
}

TEST(ProviderSendTest, RetryAfterServerErrorsAndPermanentFailures) {
  for (const std::string provider : kProviders) {
    SCOPED_TRACE(provider);
    auto channel = MakeProvider(provider);
    FakeHttp limited;
    limited.Push(429, "{}", {{"retry-after", "7"}});
    SendResult r = channel->Send(Delivery("+16315551181"), limited);
    EXPECT_EQ(r.outcome, DeliveryOutcome::kRetry);
    EXPECT_EQ(r.retry_after_ms, 7000);
    FakeHttp broken;
    broken.Push(500);
    EXPECT_EQ(channel->Send(Delivery("+16315551181"), broken).outcome, DeliveryOutcome::kRetry);
    FakeHttp down;  // no answer at all: transport failure
    EXPECT_EQ(channel->Send(Delivery("+16315551181"), down).outcome, DeliveryOutcome::kRetry);
    FakeHttp bad;
    bad.Push(400, R"({"error":{"message":"invalid recipient","code":100}})");
    SendResult p = channel->Send(Delivery("+16315551181"), bad);
    EXPECT_EQ(p.outcome, DeliveryOutcome::kPermanentFailure);
    EXPECT_NE(p.error.find("400"), std::string::npos);
  }
  // Graph API throttling comes as HTTP 400 with a throttling code: retried.
  FakeHttp throttled;
  throttled.Push(400, R"({"error":{"message":"rate limit hit","code":130429}})");
  EXPECT_EQ(MakeProvider("whatsapp")->Send(Delivery("+1"), throttled).outcome,
            DeliveryOutcome::kRetry);
  // Telegram puts the delay in the body.
  FakeHttp tg;
  tg.Push(429, R"({"ok":false,"error_code":429,"parameters":{"retry_after":12}})");
  EXPECT_EQ(MakeProvider("telegram")->Send(Delivery("1"), tg).retry_after_ms, 12000);
}

TEST(ProviderMediaTest, DownloadsAreCappedAndProviderAnswersClassified) {
  // Single-step downloads: LINE by message id, Twilio and Messenger by URL.
  const std::pair<std::string, MediaSource> kSources[] = {
      {"line", {.id = "m1"}},
      {"twilio", {.url = "http://stub.test/media/1"}},
      {"messenger", {.url = "http://stub.test/cdn/1"}}};
  for (const auto& [provider, source] : kSources) {
    SCOPED_TRACE(provider);
    auto channel = MakeProvider(provider);
    FakeHttp ok;
    ok.Push(200, "0123456789");
    auto fetched = channel->FetchMedia(source, ok, 100);
    ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
    EXPECT_EQ(fetched->bytes, "0123456789");
    EXPECT_EQ(ok.requests.at(0).max_response_bytes, 100) << "the cap reaches the HTTP client";

    FakeHttp big;
    big.Push(200, std::string(5000, 'x'));
    auto cut = channel->FetchMedia(source, big, 100);
    ASSERT_TRUE(cut.ok());
    EXPECT_TRUE(cut->bytes.empty()) << "over the cap: described, never held";
    EXPECT_EQ(cut->size, 5000);

    for (int status : {400, 401, 403, 404, 410}) {
      FakeHttp refused;
      refused.Push(status);
      auto r = channel->FetchMedia(source, refused, 100);
      ASSERT_FALSE(r.ok());
      // Twilio answers 404 until a fresh upload is readable: only there is 404 retried.
      bool transient = provider == "twilio" && status == 404;
      EXPECT_EQ(IsTransientFetchError(r.status()), transient) << status;
      EXPECT_NE(r.status().message().find(std::to_string(status)), std::string::npos);
    }
    FakeHttp limited;
    limited.Push(429, "{}", {{"retry-after", "30"}});
    auto r = channel->FetchMedia(source, limited, 100);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(IsTransientFetchError(r.status()));
    EXPECT_EQ(r.status().retry_after_ms(), 30'000);
    FakeHttp broken;
    broken.Push(503);
    EXPECT_TRUE(IsTransientFetchError(channel->FetchMedia(source, broken, 100).status()));
    FakeHttp down;  // no answer at all: transport failure
    EXPECT_TRUE(IsTransientFetchError(channel->FetchMedia(source, down, 100).status()));
  }
  // WhatsApp's media URL lookup answering 404 (media expired after 30 days) is permanent too.
  FakeHttp gone;
  gone.Push(404, R"({"error":{"code":100}})");
  auto r = MakeProvider("whatsapp")->FetchMedia({.id = "wamid-gone"}, gone, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(IsTransientFetchError(r.status()));
  // Telegram refuses getFile for files over the bots' limit with a 400: permanent.
  FakeHttp too_big;
  too_big.Push(400, R"({"ok":false,"description":"Bad Request: file is too big"})");
  r = MakeProvider("telegram")->FetchMedia({.id = "file-1"}, too_big, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(IsTransientFetchError(r.status()));
}

TEST(ProviderTemplatesTest, WhatsAppListsEveryPageAndKeepsApprovedSendableOnes) {
  FakeHttp http;
  http.Push(200, R"({"data":[
      {"name":"order_update","language":"en_US","status":"APPROVED","category":"UTILITY",
       "components":[{"type":"BODY","text":"Hi {{1}}, order {{2}} ships {{1}}."}]},
      {"name":"promo","language":"en_US","status":"REJECTED","components":[]}],
    "paging":{"cursors":{"before":"b1","after":"QVFI+a1"},"next":"https://evil.example/x"}})");
  http.Push(200, R"({"data":[
      {"name":"order_update","language":"de","status":"APPROVED",
       "components":[{"type":"BODY","text":"Hallo {{1}}, {{2}}"}]},
      {"name":"welcome","language":"es","status":"APPROVED",
       "components":[{"type":"HEADER","format":"TEXT","text":"Hola {{1}}"},{"type":"BODY","text":"x"}]},
      {"name":"track","language":"en_US","status":"APPROVED",
       "components":[{"type":"BODY","text":"Track it"},{"type":"BUTTONS","buttons":[
         {"type":"URL","text":"Track","url":"https://shop.example/t/{{1}}"}]}]}],
    "paging":{"cursors":{"before":"b2","after":"a2"}}})");
  auto catalog = MakeProvider("whatsapp")->FetchTemplates(http);
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  ASSERT_EQ(http.requests.size(), 2u);
  EXPECT_EQ(http.requests[0].method, "GET");
  EXPECT_EQ(http.requests[0].url.rfind("http://stub.test/102290129340398/message_templates?", 0),
            0u)
      << http.requests[0].url;
  EXPECT_NE(http.requests[1].url.find("after=QVFI%2Ba1"), std::string::npos)
      << "the next page by its cursor, at our own api base: " << http.requests[1].url;
  EXPECT_EQ(http.requests[1].headers.at(0).second, "Bearer EAAG-token");
  EXPECT_EQ(catalog->listed, 5);
  ASSERT_EQ(catalog->approved.size(), 1u);
  const MessageTemplate& t = catalog->approved[0];
  EXPECT_EQ(t.name, "order_update");
  EXPECT_EQ(t.languages, (std::vector<std::string>{"en_US", "de"}));
  EXPECT_EQ(t.parameter_count, 2) << "{{1}} twice is one parameter";
  ASSERT_EQ(catalog->skipped.size(), 3u);
  EXPECT_EQ(catalog->skipped[0].reason, "status REJECTED");
  EXPECT_EQ(catalog->skipped[1].reason, "its header has parameters");
  EXPECT_EQ(catalog->skipped[2].reason, "a button URL has parameters");

  FakeHttp expired;
  expired.Push(401, R"({"error":{"message":"Error validating access token","code":190}})");
  auto refused = MakeProvider("whatsapp")->FetchTemplates(expired);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("HTTP 401: Error validating access token"),
            std::string::npos);
  EXPECT_EQ(refused.status().message().find("EAAG-token"), std::string::npos);
  FakeHttp garbage;
  garbage.Push(200, "<html>");
  EXPECT_FALSE(MakeProvider("whatsapp")->FetchTemplates(garbage).ok());
  FakeHttp none;
  EXPECT_EQ(MakeProvider("line")->FetchTemplates(none).status().reason(), "no_templates");
}

TEST(ProviderHelpersTest, EmailsAreNormalizedForMatchingContacts) {
  EXPECT_EQ(NormalizeEmail("  Maria.Silva@Example.COM "), "maria.silva@example.com");
  EXPECT_EQ(NormalizeEmail("no-at-sign.example.com"), "");
  EXPECT_EQ(NormalizeEmail("two@@example.com"), "");
  EXPECT_EQ(NormalizeEmail("@example.com"), "");
  EXPECT_EQ(NormalizeEmail("user@localhost"), "");
  EXPECT_EQ(NormalizeEmail("user name@example.com"), "");
  EXPECT_EQ(NormalizeEmail(std::string(250, 'a') + "@x.io"), "");
}

TEST(ProviderHelpersTest, PhoneNumbersBecomeE164AndFormsRoundTrip) {
  EXPECT_EQ(NormalizeE164("16315551181"), "+16315551181");
  EXPECT_EQ(NormalizeE164("+49 151 1234 5678"), "+4915112345678");
  EXPECT_EQ(NormalizeE164("12"), "");
  EXPECT_EQ(NormalizeE164("not a number"), "");
  auto form = ParseForm("Body=Gr%C3%BC%C3%9Fe+aus+K%C3%B6ln&To=%2B1&Empty=&Flag");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ((*form)[0].second, "Grüße aus Köln");
  EXPECT_EQ((*form)[1].second, "+1");
  EXPECT_EQ((*form)[2].second, "");
  EXPECT_EQ((*form)[3].first, "Flag");
  EXPECT_EQ(*ParseForm(FormEncode(*form)), *form);
  EXPECT_FALSE(ParseForm("a=%4").ok());
  EXPECT_EQ(ParseForm("a=%ff").status().reason(), "invalid_utf8");
}

TEST(ProviderFactoryTest, MissingCredentialsAreRejected) {
  Inbox inbox;
  inbox.channel = "whatsapp";
  inbox.config_json = R"({"phone_number_id":"1"})";
  inbox.secret = R"({"access_token":"t","app_secret":"s"})";
  auto r = MakeWhatsAppChannelFactory()->Create(inbox);
  EXPECT_EQ(r.status().code(), StatusCode::kUnprocessable);
  EXPECT_NE(r.status().message().find("verify_token"), std::string::npos);
}

}  // namespace

TEST(ProviderAckTest, TwilioIsAnsweredWithEmptyTwimlOthersWithJson) {
  auto ack = MakeProvider("twilio")->WebhookAcknowledgement();
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->content_type, "text/xml");
  EXPECT_EQ(ack->body, R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
  for (const char* p : {"whatsapp", "messenger", "instagram", "line", "telegram"}) {
    EXPECT_FALSE(MakeProvider(p)->WebhookAcknowledgement().has_value()) << p;
  }
}

TEST(ProviderParseTest, TwilioErrorCodesAreExplained) {
  EXPECT_EQ(StatusErrorText("30003", ""), "30003 Unreachable destination handset");
  EXPECT_EQ(StatusErrorText("30007", ""), "30007 Message filtered (carrier violation)");
  EXPECT_EQ(StatusErrorText("30003", "Handset off"), "30003 Handset off")
      << "Twilio's own text wins";
  EXPECT_EQ(StatusErrorText("99999", ""), "Twilio error 99999");
  EXPECT_EQ(StatusErrorText("", ""), "");
}

}  // namespace meridian::channels
