// TranslationService over a real SQLite store, with a counting engine in place of Apertium: the
// store-backed translation memory and glossary, warm loading, exact reuse without an engine call,
// and translations of messages cached per reader language.
#include "service/translation_service.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace meridian::service {
namespace {

namespace tr = nlp::translate;

// Upper-cases en->es (a stand-in with visible output) and counts its calls.
class CountingEngine : public tr::TranslationEngine {
 public:
  std::string_view Name() const override { return "counting"; }
  Result<std::vector<std::string>> Translate(const std::vector<std::string>& segments,
                                             std::string_view, std::string_view) override {
    ++calls;
    std::vector<std::string> out;
    for (const std::string& s : segments) {
      std::string u = s;
      for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back(u);
    }
    return out;
  }
  std::vector<tr::PairInfo> Pairs() override {
    return {{"en", "es", "counting", tr::PairKind::kDirect, ""},
            {"es", "en", "counting", tr::PairKind::kDirect, ""},
            {"es", "ca", "counting", tr::PairKind::kDirect, ""}};
  }
  int calls = 0;
};

class TranslationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("meridian-translation-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = store::OpenSqliteStore({.path = (dir_ / "db").string()}).value();
    ASSERT_TRUE(store_->Migrate().ok());
    Start();
  }
  void TearDown() override {
    service_.reset();
    router_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // A fresh router and service over the same store, as after a restart.
  void Start() {
    service_.reset();
    router_ = std::make_unique<tr::Router>(0);  // no cache: every miss reaches the engine
    auto engine = std::make_unique<CountingEngine>();
    engine_ = engine.get();
    router_->AddEngine(std::move(engine));
    service_ = std::make_unique<TranslationService>(*store_, *router_, clock_,
                                                    TranslationSettings{.working_language = "en"});
    ASSERT_TRUE(service_->Load().ok());
  }
  Id SpanishConversation() {
    Inbox inbox;
    inbox.channel = "api";
    inbox.name = "API";
    Id inbox_id = store_->CreateInbox(inbox).value().id;
    store::InboundMessage m;
    m.inbox_id = inbox_id;
    m.external_sender_id = "c-1";
    m.provider_message_id = "p-1";
    m.text = "hola";
    m.received_at = clock_.NowMs();
    auto in = store_->IngestInbound(m).value();
    message_id_ = in.message.id;
    store::MessageEnrichment e;
    e.language = "es";
    e.conversation_language = "es";
    e.nlu_json = R"({"translation":{"text":"hello","language":"en","engine":"apertium"}})";
    e.at = clock_.NowMs();
    EXPECT_TRUE(store_->SaveEnrichments({{message_id_, e}}).ok());
    return in.conversation.id;
  }

  std::filesystem::path dir_;
  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<tr::Router> router_;
  std::unique_ptr<TranslationService> service_;
  CountingEngine* engine_ = nullptr;
  Id message_id_ = 0;
};

TEST_F(TranslationServiceTest, StoreMemoryBackendRoundTripsSegments) {
  StoreMemoryBackend backend(*store_, 1, clock_);
  ASSERT_TRUE(backend.Save({"en", "es", "  Thank   you ", "Gracias", true}).ok());
  ASSERT_TRUE(backend.Save({"en", "es", "Bye", "Adiós", false}).ok());
  auto all = backend.LoadAll().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].source, "Thank you") << "stored under its normalized source";
  EXPECT_TRUE(all[0].approved);
  EXPECT_FALSE(all[1].approved);
  StoreMemoryBackend other(*store_, 2, clock_);
  EXPECT_TRUE(other.LoadAll()->empty()) << "memories are per account";
}

TEST_F(TranslationServiceTest, RememberedSegmentsAreReusedWithoutAnEngineAndSurviveARestart) {
  Id conversation = SpanishConversation();
  Agent agent;
  agent.id = 1;
  auto first = service_->PreviewReply(agent, conversation, "Your parcel is on its way", "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->to, "es");
  EXPECT_EQ(first->engine, "counting");
  EXPECT_EQ(engine_->calls, 1);
  auto saved =
      service_->Remember("en", "es", "Your parcel is on its way", "Su paquete está en camino");
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_GT(saved->id, 0);

  Start();  // loaded warm from the store
  auto again = service_->PreviewReply(agent, conversation, "Your parcel is on its way", "");
  EXPECT_TRUE(again->exact);
  EXPECT_EQ(again->engine, "memory");
  EXPECT_EQ(again->translation, "Su paquete está en camino");
  EXPECT_EQ(engine_->calls, 0);

  auto close = service_->PreviewReply(agent, conversation, "Your parcel is on its way!", "");
  EXPECT_FALSE(close->exact);
  ASSERT_EQ(close->fuzzy.size(), 1u);
  EXPECT_GE(close->fuzzy[0].score, 0.75);
  EXPECT_LT(close->fuzzy[0].score, 1.0);

  ASSERT_TRUE(service_->DeleteMemory(saved->id).ok());
  EXPECT_FALSE(service_->PreviewReply(agent, conversation, "Your parcel is on its way", "")->exact);
  EXPECT_TRUE(service_->DeleteMemory(saved->id).status().is_not_found());
}

TEST_F(TranslationServiceTest, GlossaryChangesApplyAtOnceAndCaseSensitivityHolds) {
  Id conversation = SpanishConversation();
  Agent agent;
  ASSERT_TRUE(service_
                  ->AddGlossary({.kind = store::GlossaryKind::kDoNotTranslate,
                                 .source = "Swift",
                                 .case_sensitive = true})
                  .ok());
  auto p = service_->PreviewReply(agent, conversation, "Swift is swift", "");
  EXPECT_EQ(p->translation, "Swift IS SWIFT") << "only the brand, as written, is protected";
  auto forced = service_->AddGlossary({.kind = store::GlossaryKind::kForced,
                                       .from = "en",
                                       .to = "es",
                                       .source = "gift card",
                                       .target = "tarjeta regalo",
                                       .target_plural = "tarjetas regalo"});
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(service_->PreviewReply(agent, conversation, "two Gift Cards", "")->translation,
            "TWO tarjetas regalo");
  ASSERT_TRUE(service_->DeleteGlossary(forced->id).ok());
  EXPECT_EQ(service_->PreviewReply(agent, conversation, "a gift card", "")->translation,
            "A GIFT CARD");
  Start();
  EXPECT_EQ(service_->PreviewReply(agent, conversation, "Swift", "")->translation, "Swift")
      << "the glossary is loaded at start";
}

TEST_F(TranslationServiceTest, MessagesAreShownInTheReadersLanguageAndCached) {
  SpanishConversation();
  Message m = store_->GetMessage(message_id_).value();
  auto known = service_->KnownTranslations({m}, "en").value();
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known.at(m.id).text, "hello") << "the pipeline's translation";
  EXPECT_EQ(engine_->calls, 0);
  EXPECT_TRUE(service_->KnownTranslations({m}, "ca")->empty());
  EXPECT_EQ(service_->TranslateMessage(m.id, "es")->engine, "identity");
  auto ca = service_->TranslateMessage(m.id, "ca");
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  EXPECT_EQ(ca->text, "HOLA");
  EXPECT_EQ(engine_->calls, 1);
  EXPECT_EQ(service_->TranslateMessage(m.id, "ca")->text, "HOLA");
  EXPECT_EQ(service_->KnownTranslations({m}, "ca")->at(m.id).text, "HOLA");
  EXPECT_EQ(engine_->calls, 1) << "cached per (message, language) in the store";
  EXPECT_EQ(service_->TranslateMessage(m.id, "ja").status().reason(), "unsupported_pair");

  Agent reader;
  reader.translation_language = "en";
  EXPECT_EQ(service_->ReaderLanguage(reader), "en");
  reader.translation_language = "";
  EXPECT_EQ(service_->ReaderLanguage(reader), "en") << "the working language by default";
  EXPECT_TRUE(service_->TranslateMessage(m.id + 100, "en").status().is_not_found());
}

}  // namespace
}  // namespace meridian::service
