// Each remote engine against a local stub speaking the provider's documented format.
#include "nlp/translate/http_engines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "nlp/translate/router.h"
#include "stub_server.h"

namespace meridian::nlp::translate {
namespace {

using ::meridian::testing::StubHttpServer;
using ::meridian::testing::StubRequest;
using ::meridian::testing::StubResponse;
using ::testing::HasSubstr;
using json = nlohmann::json;

std::unique_ptr<TranslationEngine> Make(std::string_view name, const std::string& base,
                                        const std::string& key, HttpClient* client) {
  HttpEngineConfig cfg;
  cfg.base_url = base;
  cfg.api_key = key;
  cfg.model = "test-model";
  cfg.timeout_ms = 3000;
  auto e = MakeHttpEngine(name, cfg, client);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return std::move(e).value();
}

class HttpEngines : public ::testing::Test {
 protected:
  std::unique_ptr<HttpClient> client_ = MakeCurlHttpClient();
};

TEST_F(HttpEngines, LibreTranslate) {
  StubHttpServer server([](const StubRequest& r) -> StubResponse {
    if (r.target == "/languages") {
      return {200, R"([{"code":"en","name":"English","targets":["en","es","fr"]}])"};
    }
    if (r.target == "/detect") return {200, R"([{"confidence":92.0,"language":"de"}])"};
    json body = json::parse(r.body);
    json out = json::array();
    for (const auto& q : body["q"]) out.push_back("es:" + q.get<std::string>());
    return {200, json{{"translatedText", out}}.dump()};
  });
  auto engine = Make("libretranslate", server.BaseUrl(), "k1", client_.get());
  auto r = engine->Translate({"Hello ⟦0⟧", "Bye"}, "en", "es");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (std::vector<std::string>{"es:Hello ⟦0⟧", "es:Bye"}));
  StubRequest req = server.Requests().back();
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/translate");
  json sent = json::parse(req.body);
  EXPECT_EQ(sent["source"], "en");
  EXPECT_EQ(sent["target"], "es");
  EXPECT_EQ(sent["format"], "text");
  EXPECT_EQ(sent["api_key"], "k1");

  std::vector<PairInfo> pairs = engine->Pairs();
  ASSERT_EQ(pairs.size(), 2u);  // en->es, en->fr (not en->en)
  EXPECT_TRUE(engine->Supports("en", "fr"));
  EXPECT_FALSE(engine->Supports("fr", "en"));

  HttpEngineConfig cfg;
  cfg.base_url = server.BaseUrl();
  auto detected = LibreTranslateDetect(cfg, *client_, "Guten Tag");
  ASSERT_TRUE(detected.ok());
  EXPECT_EQ(detected->front().first, "de");
  EXPECT_NEAR(detected->front().second, 0.92, 1e-9);
}

TEST_F(HttpEngines, DeepL) {
  StubHttpServer server([](const StubRequest& r) -> StubResponse {
    json body = json::parse(r.body);
    json out = json::array();
    for (const auto& t : body["text"]) {
      out.push_back({{"detected_source_language", "EN"}, {"text", "de:" + t.get<std::string>()}});
    }
    return {200, json{{"translations", out}}.dump()};
  });
  auto engine = Make("deepl", server.BaseUrl(), "secret:fx", client_.get());
  auto r = engine->Translate({"Hello"}, "en", "de");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front(), "de:Hello");
  StubRequest req = server.Requests().back();
  EXPECT_EQ(req.target, "/v2/translate");
  EXPECT_EQ(req.Header("authorization"), "DeepL-Auth-Key secret:fx");
  json sent = json::parse(req.body);
  EXPECT_EQ(sent["source_lang"], "EN");
  EXPECT_EQ(sent["target_lang"], "DE");
  EXPECT_EQ(sent["text"], json::array({"Hello"}));
  // English and Portuguese targets need a variant.
  ASSERT_TRUE(engine->Translate({"Hallo"}, "de", "en").ok());
  EXPECT_EQ(json::parse(server.Requests().back().body)["target_lang"], "EN-US");
  EXPECT_FALSE(engine->Supports("en", "th"));
}

TEST_F(HttpEngines, GoogleV2) {
  StubHttpServer server([](const StubRequest& r) -> StubResponse {
    json body = json::parse(r.body);
    json out = json::array();
    for (const auto& q : body["q"])
      out.push_back({{"translatedText", "fr:" + q.get<std::string>()}});
    return {200, json{{"data", {{"translations", out}}}}.dump()};
  });
  auto engine = Make("google", server.BaseUrl(), "g/key", client_.get());
  auto r = engine->Translate({"One", "Two"}, "en", "fr");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, (std::vector<std::string>{"fr:One", "fr:Two"}));
  StubRequest req = server.Requests().back();
  EXPECT_EQ(req.target, "/language/translate/v2?key=g%2Fkey");
  json sent = json::parse(req.body);
  EXPECT_EQ(sent["target"], "fr");
  EXPECT_EQ(sent["format"], "text");
}

TEST_F(HttpEngines, OpenAiCompatible) {
  StubHttpServer server([](const StubRequest& r) -> StubResponse {
    json body = json::parse(r.body);
    std::string user = body["messages"][1]["content"];
    return {200,
            json{{"choices",
                  {{{"index", 0},
                    {"message", {{"role", "assistant"}, {"content", "  it:" + user + "\n"}}}}}}}
                .dump()};
  });
  auto engine = Make("openai", server.BaseUrl(), "sk-test", client_.get());
  auto r = engine->Translate({"Your order ⟦0⟧"}, "en", "it");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->front(), "it:Your order ⟦0⟧");
  StubRequest req = server.Requests().back();
  EXPECT_EQ(req.target, "/v1/chat/completions");
  EXPECT_EQ(req.Header("authorization"), "Bearer sk-test");
  json sent = json::parse(req.body);
  EXPECT_EQ(sent["model"], "test-model");
  EXPECT_EQ(sent["temperature"], 0);
  EXPECT_EQ(sent["messages"][0]["role"], "system");
  std::string prompt = sent["messages"][0]["content"];
  EXPECT_THAT(prompt, HasSubstr("English"));
  EXPECT_THAT(prompt, HasSubstr("Italian"));
  EXPECT_THAT(prompt, HasSubstr("⟦0⟧"));
  EXPECT_THAT(prompt, HasSubstr("translation only"));
}

TEST_F(HttpEngines, ErrorsAreClear) {
  int status = 429;
  std::string body = R"({"error":"Slow down"})";
  StubHttpServer server([&](const StubRequest&) -> StubResponse { return {status, body}; });
  auto engine = Make("libretranslate", server.BaseUrl(), "", client_.get());

  auto r = engine->Translate({"x"}, "en", "es");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kRateLimited);
  EXPECT_THAT(r.status().message(), HasSubstr("libretranslate: HTTP 429: Slow down"));

  status = 500;
  body = "<html>oops</html>";
  r = engine->Translate({"x"}, "en", "es");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("HTTP 500"));

  status = 200;
  body = "this is not json";
  r = engine->Translate({"x"}, "en", "es");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "bad_response");

  body = R"({"translatedText":["only one"]})";
  r = engine->Translate({"x", "y"}, "en", "es");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "bad_response");

  status = 403;
  body = R"({"error":{"message":"bad key"}})";
  auto deepl = Make("deepl", server.BaseUrl(), "key", client_.get());
  r = deepl->Translate({"x"}, "en", "es");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("key\"")));

  status = 456;
  body = "{}";
  r = deepl->Translate({"x"}, "en", "es");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "engine_quota");
}

TEST_F(HttpEngines, RefusedConnectionIsUnavailable) {
  auto engine = Make("google", "http://127.0.0.1:1", "k", client_.get());
  auto r = engine->Translate({"x"}, "en", "es");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("google"));
}

TEST_F(HttpEngines, RouterFallsBackToTheNextEngine) {
  StubHttpServer failing([](const StubRequest&) -> StubResponse { return {500, "{}"}; });
  StubHttpServer garbage([](const StubRequest&) -> StubResponse { return {200, "garbage"}; });
  StubHttpServer working([](const StubRequest& r) -> StubResponse {
    json body = json::parse(r.body);
    json out = json::array();
    for (const auto& q : body["q"])
      out.push_back({{"translatedText", "OK " + q.get<std::string>()}});
    return {200, json{{"data", {{"translations", out}}}}.dump()};
  });
  Router router;
  router.AddEngine(Make("deepl", failing.BaseUrl(), "k", client_.get()));
  router.AddEngine(Make("openai", garbage.BaseUrl(), "", client_.get()));
  router.AddEngine(Make("google", working.BaseUrl(), "k", client_.get()));
  router.SetChain("en", "de", {"deepl", "openai", "google"});
  auto t = router.Translate("Order #12345 from me@example.com\nsecond line", "en", "de");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->engine, "google");
  // Placeholders went to the engine and came back as the original spans, line by line.
  EXPECT_EQ(t->text, "OK Order #12345 from me@example.com\nOK second line");
  ASSERT_EQ(working.Requests().size(), 2u);
  EXPECT_THAT(working.Requests()[0].body, HasSubstr("Order ⟦0⟧ from ⟦1⟧"));

  // Every engine failing: one error naming them all.
  router.SetChain("en", "fr", {"deepl", "openai"});
  auto f = router.Translate("Hello", "en", "fr");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(f.status().message(), HasSubstr("deepl: HTTP 500"));
  EXPECT_THAT(f.status().message(), HasSubstr("openai: unexpected response"));
}

TEST(HttpParsers, RejectMalformedBodies) {
  EXPECT_FALSE(ParseDeepLResponse(R"({"translations":[{"txt":"a"}]})", 1).ok());
  EXPECT_FALSE(ParseGoogleResponse(R"({"data":{}})", 1).ok());
  EXPECT_FALSE(ParseOpenAiResponse(R"({"choices":[]})").ok());
  EXPECT_FALSE(ParseOpenAiResponse(R"({"choices":[{"message":{"content":"  "}}]})").ok());
  EXPECT_FALSE(ParseLibreTranslateLanguages(R"({"code":"en"})").ok());
  EXPECT_FALSE(ParseLibreTranslateDetect(R"([{"language":1}])").ok());
  EXPECT_TRUE(ParseLibreTranslateResponse(R"({"translatedText":"uno"})", 1).ok());
  EXPECT_FALSE(MakeHttpEngine("babelfish", {}, nullptr).ok());
  EXPECT_FALSE(MakeHttpEngine("deepl", {}, nullptr).ok());
}

}  // namespace
}  // namespace meridian::nlp::translate
