// Services over a real SQLite store in a temporary directory, with a fake clock and a fake
// HTTP client standing in for a provider.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "channels/api/api_channel.h"
#include "channels/webchat/webchat_channel.h"
#include "nlp/translate/apertium.h"
#include "nlp/translate/router.h"
#include "service/auth_service.h"
#include "service/contact_service.h"
#include "service/conversation_service.h"
#include "service/enricher.h"
#include "service/enrichment_worker.h"
#include "service/outbox_worker.h"

namespace meridian::service {
namespace {

// Publish is called from the store's answering thread and from worker threads at once;
// tests read `events` only once those threads are quiet.
// Polls `done` every 5 ms until it holds or `limit` passes. Enrichment threads run at
// SCHED_IDLE: under ASan, with CTest running other tests on every core, they may get little CPU
// for a while, so waits for them are generous (they end as soon as the work is done).
template <typename Pred>
void WaitUntil(Pred done, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}
constexpr std::chrono::seconds kEnrichmentPatience{180};

class RecordingSink : public EventSink {
 public:
  void Publish(const Event& e) override {
    std::lock_guard lock(mu_);
    events.push_back(e);
  }
  std::vector<Event> events;

 private:
  std::mutex mu_;
};

class ScriptedHttp : public HttpClient {
 public:
  Result<HttpClientResponse> Send(const HttpClientRequest& request) override {
    requests.push_back(request);
    int status = statuses.empty() ? 200 : statuses.front();
    if (!statuses.empty()) statuses.erase(statuses.begin());
    if (status < 0) return Status::Unavailable("connection refused");
    return HttpClientResponse{status, {}, ""};
  }
  std::vector<int> statuses;
  std::vector<HttpClientRequest> requests;
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("meridian-service-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = store::OpenSqliteStore({.path = (dir_ / "db").string()}).value();
    ASSERT_TRUE(store_->Migrate().ok());
    registry_.Register("api", channels::MakeApiChannelFactory());
    registry_.Register("webchat", channels::MakeWebchatChannelFactory());
    Inbox api;
    api.channel = "api";
    api.name = "API";
    api.secret = "0123456789abcdef0123456789abcdef";
    api.config_json = R"({"callback_url":"http://127.0.0.1:1/cb"})";
    inbox_ = store_->CreateInbox(api).value();
    conversations_ = std::make_unique<ConversationService>(*store_, registry_, sink_, clock_);
    agent_ = store_->CreateAgent({"a@example.com", "Ana", Role::kAgent, "x", "en"}).value();
  }
  void TearDown() override {
    conversations_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<store::IngestResult> Ingest(const std::string& id, const std::string& text,
                                     const std::string& sender = "cust",
                                     const std::string& content_type = "text") {
    store::InboundMessage m;
    m.inbox_id = inbox_.id;
    m.external_sender_id = sender;
    m.provider_message_id = id;
    m.text = text;
    m.content_type = content_type;
    std::promise<Result<store::IngestResult>> p;
    conversations_->IngestAsync(m,
                                [&](Result<store::IngestResult> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  Result<store::AppendResult> Reply(Id conversation, const std::string& text) {
    std::promise<Result<store::AppendResult>> p;
    conversations_->ReplyAsync(conversation, agent_, text, std::nullopt,
                               [&](Result<store::AppendResult> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  channels::ChannelRegistry registry_;
  RecordingSink sink_;
  FakeClock clock_{1'764'000'000'000};
  std::unique_ptr<ConversationService> conversations_;
  Inbox inbox_;
  Agent agent_;
};

TEST_F(ServiceTest, IngestNormalizesTextAndPublishesOnceForDuplicates) {
  auto r = Ingest("p1", "Cafe\xCC\x81?");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->message.text, "Caf\xC3\xA9?");
  ASSERT_TRUE(Ingest("p1", "Cafe\xCC\x81?").ok());
  EXPECT_EQ(sink_.events.size(), 1u);
  EXPECT_EQ(sink_.events[0].kind, Event::Kind::kMessageCreated);
}

TEST_F(ServiceTest, ContactMergesAndSplitsArePublishedForOpenWorkspaces) {
  auto ingest = [&](const std::string& sender, const std::string& id) {
    store::InboundMessage m;
    m.inbox_id = inbox_.id;
    m.external_sender_id = sender;
    m.provider_message_id = id;
    m.text = "hello";
    m.claims = {{AttributeKind::kPhone, "+4915112345678", true}};
    std::promise<Result<store::IngestResult>> p;
    conversations_->IngestAsync(m, [&](Result<store::IngestResult> r) { p.set_value(r); });
    return p.get_future().get().value();
  };
  auto first = ingest("cust-a", "a1");
  sink_.events.clear();
  auto second = ingest("cust-b", "b1");  // the same verified phone: merged automatically
  ASSERT_EQ(sink_.events.size(), 2u);
  ASSERT_EQ(sink_.events[0].kind, Event::Kind::kContactUpdated);
  EXPECT_EQ(sink_.events[0].contact->action, "auto_merge");
  EXPECT_EQ(sink_.events[0].contact->contact_id, first.conversation.contact_id);
  EXPECT_EQ(sink_.events[1].kind, Event::Kind::kMessageCreated);
  EXPECT_EQ(sink_.events[1].conversation.contact_id, first.conversation.contact_id);

  ContactService contacts(*store_, sink_, clock_);
  Agent supervisor = agent_;
  supervisor.role = Role::kSupervisor;
  auto detail = contacts.Get(first.conversation.contact_id).value();
  ASSERT_EQ(detail.identities.size(), 2u);
  sink_.events.clear();
  auto split = contacts.Split(first.conversation.contact_id, {detail.identities[1].id}, supervisor);
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  ASSERT_EQ(sink_.events.size(), 2u);
  EXPECT_EQ(sink_.events[0].kind, Event::Kind::kConversationUpdated);
  EXPECT_EQ(sink_.events[0].conversation.id, second.conversation.id);
  EXPECT_EQ(sink_.events[0].conversation.contact_id, split->contact_id);
  EXPECT_EQ(sink_.events[1].contact->action, "split");
  EXPECT_EQ(sink_.events[1].contact->other_contact_ids, std::vector<Id>{split->contact_id});
  EXPECT_TRUE(store_->VerifyAuditChain().ok());
}

TEST_F(ServiceTest, CardNumbersAreMaskedBeforeTheyAreStored) {
  auto r = Ingest("card", "my card is 4111 1111 1111 1111, order #10234");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->message.text.find("4111 1111 1111 1111"), std::string::npos);
  EXPECT_NE(r->message.text.find("1111"), std::string::npos) << "last four stay visible";
  EXPECT_NE(r->message.text.find("#10234"), std::string::npos) << "order numbers are not cards";
  auto stored = store_->ListMessages(r->conversation.id, "", 10).value();
  EXPECT_EQ(stored.items[0].text, r->message.text);
  auto reply = Reply(r->conversation.id, "Please never send 5500 0000 0000 0004 here");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->message.text.find("5500 0000 0000 0004"), std::string::npos);
}

TEST_F(ServiceTest, IngestRejectsInvalidUtf8EmptyAndOversizedText) {
  EXPECT_EQ(Ingest("p2", "\xC3\x28").status().reason(), "invalid_utf8");
  EXPECT_EQ(Ingest("p3", "  \n").status().code(), StatusCode::kUnprocessable);
  EXPECT_EQ(Ingest("p4", std::string(kMaxMessageBytes + 1, 'a')).status().code(),
            StatusCode::kTooLarge);
  EXPECT_TRUE(sink_.events.empty());
  EXPECT_TRUE(store_->ListConversations({}).value().items.empty());
}

TEST_F(ServiceTest, OutboxRetriesWithBackoffThenDelivers) {
  auto in = Ingest("p1", "where is it?");
  ASSERT_TRUE(Reply(in->conversation.id, "on its way").ok());
  ScriptedHttp http;
  http.statuses = {503, -1, 200};
  OutboxOptions options;
  options.base_delay_ms = 1000;
  OutboxWorker worker(options, *store_, registry_, http, *conversations_, clock_);
  EXPECT_EQ(worker.RunOnce(), 1);  // 503
  EXPECT_EQ(worker.RunOnce(), 0);  // not due yet
  clock_.Advance(1300);
  EXPECT_EQ(worker.RunOnce(), 1);  // connection refused
  clock_.Advance(1500);
  EXPECT_EQ(worker.RunOnce(), 0) << "the second delay is about twice the first";
  clock_.Advance(1000);
  EXPECT_EQ(worker.RunOnce(), 1);  // 200
  EXPECT_EQ(http.requests.size(), 3u);
  auto page = store_->ListMessages(in->conversation.id, "", 10).value();
  EXPECT_EQ(page.items.back().status, DeliveryStatus::kSent);
  EXPECT_EQ(*store_->OutboxDepth(), 0);
  EXPECT_EQ(
      http.requests[0].headers[1].second,
      channels::ApiChannelSignature("0123456789abcdef0123456789abcdef", http.requests[0].body));
}

TEST_F(ServiceTest, OutboxDeadLettersAfterMaxAttempts) {
  auto in = Ingest("p1", "hello");
  ASSERT_TRUE(Reply(in->conversation.id, "hi").ok());
  ScriptedHttp http;
  http.statuses = {500, 500, 500};
  OutboxOptions options;
  options.max_attempts = 3;
  OutboxWorker worker(options, *store_, registry_, http, *conversations_, clock_);
  for (int i = 0; i < 3; ++i) {
    worker.RunOnce();
    clock_.Advance(10 * 60 * 1000);
  }
  EXPECT_EQ(http.requests.size(), 3u);
  EXPECT_EQ(worker.RunOnce(), 0);
  auto dead = store_->ListDeadLetters(10).value();
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].item.attempts, 3);
  EXPECT_EQ(store_->ListMessages(in->conversation.id, "", 10)->items.back().status,
            DeliveryStatus::kFailed);

  // A manual retry: back in the outbox with its attempts reset, delivered, audited.
  Agent admin;
  admin.id = 1;
  size_t events = sink_.events.size();
  auto retried = conversations_->RetryDeadLetter(dead[0].item.id, admin);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  EXPECT_EQ(retried->status, DeliveryStatus::kPending);
  ASSERT_EQ(sink_.events.size(), events + 1);
  EXPECT_EQ(sink_.events.back().kind, Event::Kind::kMessageUpdated);
  http.statuses = {200};
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_EQ(store_->ListMessages(in->conversation.id, "", 10)->items.back().status,
            DeliveryStatus::kSent);
  EXPECT_EQ(*store_->VerifyAuditChain(), 1);
  EXPECT_TRUE(conversations_->RetryDeadLetter(dead[0].item.id, admin).status().is_conflict());
}

TEST(TemplateTest, OnlyApprovedLanguagesWithTheirParameterCount) {
  std::vector<MessageTemplate> approved = {
      {"order_shipped", {"en_US", "de"}, 2, "Your order {{1}} ships {{2}}."},
      {"legacy", {"en"}, std::nullopt, ""}};
  EXPECT_TRUE(CheckTemplate(approved, {"order_shipped", "de", {"10234", "morgen"}}).ok());
  EXPECT_EQ(CheckTemplate(approved, {"order_shipped", "fr", {"1", "2"}}).reason(),
            "unknown_template");
  EXPECT_EQ(CheckTemplate(approved, {"promo", "en", {}}).reason(), "unknown_template");
  EXPECT_EQ(CheckTemplate(approved, {"order_shipped", "de", {"10234"}}).reason(), "invalid_field");
  EXPECT_EQ(CheckTemplate(approved, {"order_shipped", "de", {"10234", "a\nb"}}).reason(),
            "invalid_field");
  EXPECT_EQ(CheckTemplate(approved, {"order_shipped", "de", {"10234", ""}}).reason(),
            "invalid_field");
  EXPECT_TRUE(CheckTemplate(approved, {"legacy", "en", {"any", "count"}}).ok());

  EXPECT_EQ(RenderTemplate(approved, {"order_shipped", "de", {"10234", "morgen"}}),
            "Your order 10234 ships morgen.");
  EXPECT_EQ(RenderTemplate(approved, {"legacy", "en", {"a", "b"}}), "[template legacy (en)] a b");
  std::vector<MessageTemplate> odd = {{"odd", {"en"}, 1, "{{1}} {{9}} {{x}} {{"}};
  EXPECT_EQ(RenderTemplate(odd, {"odd", "en", {"A"}}), "A {{9}} {{x}} {{");
}

TEST(BackoffTest, DoublesAndCaps) {
  OutboxOptions o;
  EXPECT_EQ(BackoffDelayMs(o, 0), 1000);
  EXPECT_EQ(BackoffDelayMs(o, 1), 2000);
  EXPECT_EQ(BackoffDelayMs(o, 5), 32000);
  EXPECT_EQ(BackoffDelayMs(o, 40), o.max_delay_ms);
}

TEST_F(ServiceTest, AuthHashesPasswordsAndChecksThem) {
  AuthService auth(*store_, clock_);
  auto agent = auth.CreateAgent("Boss@Example.com", "Boss", "admin", "correct horse", "test");
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(agent->email, "boss@example.com");
  auto creds = store_->FindAgentByEmail("boss@example.com").value();
  EXPECT_EQ(creds.password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(auth.Login("boss@example.com", "wrong", "1.2.3.4").status().code(),
            StatusCode::kUnauthenticated);
  auto login = auth.Login("BOSS@example.com", "correct horse", "1.2.3.4");
  ASSERT_TRUE(login.ok());
  auto who = auth.Authenticate(login->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->agent.id, agent->id);
  clock_.Advance(13LL * 3600 * 1000);
  EXPECT_FALSE(auth.Authenticate(login->token).ok()) << "sessions expire";
  EXPECT_EQ(auth.CreateAgent("x@example.com", "X", "root", "long enough", "t").status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(*store_->VerifyAuditChain(), 3);  // agent created, failed login, login
}

// ---- Enrichment: the NLU pipeline after the store, with the real models ----

const Enricher& TestEnricher() {
  static const std::unique_ptr<Enricher> enricher = [] {
    EnricherPaths paths{
        .langid_model_dir = std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/langid",
        .intent_model_dir = std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/nlu",
        .sentiment_dir = std::filesystem::path(MERIDIAN_SOURCE_DIR) / "data/sentiment"};
    auto loaded = Enricher::Load(paths);
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    return std::move(loaded).value();
  }();
  return *enricher;
}

nlohmann::json Nlu(const Message& m) { return nlohmann::json::parse(m.nlu_json); }

TEST(EnricherTest, FindsIntentEntitiesSentimentAndPiiSpans) {
  auto e = TestEnricher().Analyze(
      "Where is my order #48213?? It is late again, this is ridiculous. Mail me at "
      "ana.lopez@example.com",
      {}, 1000);
  EXPECT_EQ(e.language, "en");
  EXPECT_EQ(e.at, 1000);
  auto nlu = nlohmann::json::parse(e.nlu_json);
  EXPECT_EQ(nlu["intent"]["id"], "order_status");
  EXPECT_EQ(nlu["sentiment"]["label"], "negative");
  bool order = false;
  for (const auto& ent : nlu["entities"]) {
    if (ent["type"] == "order_number" && ent["normalized"] == "48213") order = true;
  }
  EXPECT_TRUE(order) << nlu["entities"].dump();
  ASSERT_EQ(nlu["pii"].size(), 1u) << nlu["pii"].dump();
  EXPECT_EQ(nlu["pii"][0]["type"], "email");
  // Kinds and spans only: the address itself is not copied into the findings.
  EXPECT_EQ(nlu["pii"][0].find("normalized"), nlu["pii"][0].end());
  EXPECT_EQ(nlu["pii"].dump().find("ana.lopez"), std::string::npos);
}

TEST(EnricherTest, AShortWordDoesNotFlipTheConversationLanguage) {
  auto in_german = TestEnricher().Analyze("ok", {.conversation_language = "de"}, 1);
  EXPECT_EQ(in_german.language, "de");
  auto sentence = TestEnricher().Analyze("Bonjour, je voudrais annuler ma commande s'il vous plaît",
                                         {.conversation_language = "de"}, 1);
  EXPECT_EQ(sentence.language, "fr");
  EXPECT_EQ(nlohmann::json::parse(sentence.nlu_json)["intent"]["id"], "cancel_order");
}

TEST(EnricherTest, TranslatesIntoTheWorkingLanguageWhenAnEngineHasThePair) {
  // A separate Enricher: the shared one must stay without a translator for the other tests.
  auto enricher = Enricher::Load(
      {.langid_model_dir = std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/langid",
       .intent_model_dir = std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/nlu",
       .sentiment_dir = std::filesystem::path(MERIDIAN_SOURCE_DIR) / "data/sentiment"});
  ASSERT_TRUE(enricher.ok()) << enricher.status().ToString();
  nlp::translate::Router router;
  auto apertium = nlp::translate::ApertiumEngine::Create();
  ASSERT_TRUE(apertium.ok()) << apertium.status().ToString();  // installed by install-deps
  router.AddEngine(std::move(apertium).value());
  (*enricher)->SetTranslator(&router, "en");

  // Spanish -> English through the real Apertium pipeline; the order number survives.
  auto es =
      (*enricher)->Analyze("Hola, ¿dónde está mi pedido 48213? Lo necesito para mañana.", {}, 1);
  EXPECT_EQ(es.language, "es");
  EXPECT_EQ(es.translated_language, "en");
  EXPECT_NE(es.translated_text.find("48213"), std::string::npos) << es.translated_text;
  EXPECT_NE(es.translated_text.find("Hello"), std::string::npos) << es.translated_text;
  EXPECT_NE(es.translated_text.find("need"), std::string::npos) << es.translated_text;
  auto nlu = nlohmann::json::parse(es.nlu_json);
  EXPECT_EQ(nlu["translation"]["text"], es.translated_text);
  EXPECT_EQ(nlu["translation"]["engine"], "apertium");

  // Already in the working language: nothing to translate.
  auto en = (*enricher)->Analyze("Hello, where is my order? I need it by tomorrow.", {}, 1);
  EXPECT_TRUE(en.translated_text.empty());
  EXPECT_FALSE(nlohmann::json::parse(en.nlu_json).contains("translation"));
  // No engine has Korean -> English offline: no translation, and no failure of the rest.
  auto ko = (*enricher)->Analyze("주문한 상품이 아직 도착하지 않았어요", {}, 1);
  EXPECT_EQ(ko.language, "ko");
  EXPECT_TRUE(ko.translated_text.empty());
  EXPECT_TRUE(nlohmann::json::parse(ko.nlu_json).contains("intent"));
}

TEST(EnricherTest, EmptyAndGarbageTextNeverFail) {
  for (std::string text : {std::string(), std::string("   "), std::string("\xff\xfe\x00zz", 5),
                           std::string(5000, '#')}) {
    auto e = TestEnricher().Analyze(text, {}, 1);
    EXPECT_FALSE(e.nlu_json.empty());
    EXPECT_FALSE(nlohmann::json::parse(e.nlu_json, nullptr, false).is_discarded());
  }
}

TEST_F(ServiceTest, EnrichmentWorkerEnrichesStoredMessagesOnceAndPublishesUpdates) {
  auto first = Ingest("e1", "Hallo, wo ist meine Bestellung 100234? Ich warte seit zwei Wochen.");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(Ingest("e2", "ok").ok());
  ASSERT_TRUE(Reply(first->conversation.id, "Ich schaue sofort nach.").ok());
  sink_.events.clear();

  EnrichmentWorker worker({.batch = 1}, *store_, TestEnricher(), sink_, clock_);
  // A batch of one: the first message alone, then the second, then nothing is left (the
  // agent's reply is not analysed).
  EXPECT_EQ(worker.RunOnce().value(), 1);
  EXPECT_EQ(worker.RunOnce().value(), 1);
  EXPECT_EQ(worker.RunOnce().value(), 0);

  ASSERT_EQ(sink_.events.size(), 2u);
  EXPECT_EQ(sink_.events[0].kind, Event::Kind::kMessageUpdated);
  EXPECT_EQ(sink_.events[0].conversation.language, "de");
  const Message& m = *sink_.events[0].message;
  EXPECT_EQ(m.language, "de");
  EXPECT_EQ(Nlu(m)["intent"]["id"], "order_status");
  // "ok" alone is not evidence enough to leave German.
  EXPECT_EQ(sink_.events[1].message->language, "de");

  auto stored = store_->GetMessage(first->message.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->nlu_json, m.nlu_json);
  EXPECT_EQ(store_->GetConversation(first->conversation.id)->language, "de");
}

TEST_F(ServiceTest, EnrichmentResumesAfterARestartWithNothingLost) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Ingest("r" + std::to_string(i), "I want a refund").ok());
  {
    EnrichmentWorker worker({.batch = 2}, *store_, TestEnricher(), sink_, clock_);
    EXPECT_EQ(worker.RunOnce().value(), 2);
  }  // "crash": a new worker takes over from durable state
  EnrichmentWorker again({.batch = 10}, *store_, TestEnricher(), sink_, clock_);
  EXPECT_EQ(again.RunOnce().value(), 3);
  EXPECT_EQ(again.RunOnce().value(), 0);
  EXPECT_EQ(store_->ListUnenrichedMessages(10)->size(), 0u);
}

TEST_F(ServiceTest, EnrichmentWorkerSplitsABatchOverThreadsWithTheSameFindingsAsOne) {
  // Four conversations in four languages; after the first clear sentence each writes short
  // lines whose language only the conversation's prior decides, so a conversation's messages
  // must be analysed in order even when the batch is spread over threads.
  const std::vector<std::pair<std::string, std::vector<std::string>>> customers = {
      {"de",
       {"Hallo, wo ist meine Bestellung 100234? Ich warte seit zwei Wochen.", "ok", "??", "Danke"}},
      {"fr",
       {"Bonjour, je voudrais annuler ma commande 5512 s'il vous plaît.", "ok", "merci", "!!"}},
      {"es", {"Hola, quiero devolver las zapatillas, no me quedan bien.", "ok", "vale", "??"}},
      {"en", {"Hi, can I pay with PayPal or only by card?", "ok", "thanks", "k"}}};
  std::vector<std::vector<Id>> ids(customers.size());
  for (size_t round = 0; round < 4; ++round) {
    for (size_t c = 0; c < customers.size(); ++c) {
      auto r = Ingest("t" + std::to_string(c) + "-" + std::to_string(round),
                      customers[c].second[round], "sender-" + customers[c].first);
      ASSERT_TRUE(r.ok());
      ids[c].push_back(r->message.id);
    }
  }
  // What one thread finds: each conversation's messages in order, each one's prior being what
  // the previous one decided.
  std::map<Id, std::string> expected;
  for (size_t c = 0; c < customers.size(); ++c) {
    auto first = store_->GetMessage(ids[c][0]);
    ASSERT_TRUE(first.ok());
    std::string prior = store_->GetConversation(first->conversation_id)->language;
    for (Id id : ids[c]) {
      auto m = store_->GetMessage(id);
      ASSERT_TRUE(m.ok());
      auto e = TestEnricher().Analyze(
          m->text, {.conversation_language = prior, .now_ms = m->created_at}, clock_.NowMs());
      if (!e.conversation_language.empty()) prior = e.conversation_language;
      expected[id] = e.nlu_json;
    }
  }
  sink_.events.clear();

  EnrichmentWorker worker({.batch = 64, .threads = 3}, *store_, TestEnricher(), sink_, clock_);
  EXPECT_EQ(worker.RunOnce().value(), 16);
  EXPECT_EQ(worker.RunOnce().value(), 0);
  // One message.updated per message, none twice.
  std::map<Id, int> updates;
  for (const Event& e : sink_.events) {
    EXPECT_EQ(e.kind, Event::Kind::kMessageUpdated);
    ++updates[e.message->id];
  }
  EXPECT_EQ(updates.size(), 16u);
  for (const auto& [id, n] : updates) EXPECT_EQ(n, 1) << id;
  for (size_t c = 0; c < customers.size(); ++c) {
    for (Id id : ids[c]) {
      auto m = store_->GetMessage(id);
      ASSERT_TRUE(m.ok());
      EXPECT_EQ(m->nlu_json, expected[id]) << m->text;
      // "ok", "??": the conversation's language, carried from the message before.
      EXPECT_EQ(m->language, customers[c].first) << m->text;
    }
  }
}

TEST_F(ServiceTest, EnrichmentWorkerThreadsEnrichEveryMessageExactlyOnce) {
  std::vector<Id> ids;
  for (int i = 0; i < 30; ++i) {
    auto r = Ingest("x" + std::to_string(i), i % 2 ? "Where is my parcel?" : "Wo ist mein Paket?",
                    "s" + std::to_string(i % 7));
    ASSERT_TRUE(r.ok());
    ids.push_back(r->message.id);
  }
  sink_.events.clear();
  EnrichmentWorker worker({.batch = 4, .poll_ms = 60'000, .threads = 3}, *store_, TestEnricher(),
                          sink_, clock_);
  worker.Start();
  worker.Wake();
  WaitUntil([&] { return store_->ListUnenrichedMessages(1)->empty(); }, kEnrichmentPatience);
  worker.Stop();  // events are published by the worker's own thread only; read them after
  EXPECT_TRUE(store_->ListUnenrichedMessages(100)->empty());
  std::map<Id, int> updates;
  for (const Event& e : sink_.events) ++updates[e.message->id];
  EXPECT_EQ(updates.size(), ids.size());
  for (Id id : ids) EXPECT_EQ(updates[id], 1) << id;
}

TEST(EnrichmentBurstTest, YieldsOnlyWhileMessagesArriveFasterThanTheBurstRate) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  // 500 messages in a second: ordinary traffic, no pause.
  EXPECT_EQ(BurstPause(500, seconds(1), milliseconds(10), 1000), milliseconds(0));
  EXPECT_EQ(BurstPause(1000, seconds(1), milliseconds(10), 1000), milliseconds(0));
  // 20,000 a second: four times the batch's time, enrichment keeps a fifth of its pace.
  EXPECT_EQ(BurstPause(2000, milliseconds(100), milliseconds(10), 1000), milliseconds(40));
  // Never more than a second, however slow the batch.
  EXPECT_EQ(BurstPause(100000, seconds(2), seconds(3), 1000), seconds(1));
  // No time passed: nothing to judge.
  EXPECT_EQ(BurstPause(10, milliseconds(0), milliseconds(0), 1000), milliseconds(0));
}

TEST(EnrichmentMediaTest, OnlyTextThatDescribesMediaIsLeftUnanalysed) {
  EXPECT_TRUE(DescribesOnlyMedia("image", "[image]"));
  EXPECT_TRUE(DescribesOnlyMedia("document", "[document] Rechnung.pdf"));
  EXPECT_TRUE(DescribesOnlyMedia("location", "[location] (52.52, 13.40)"));
  EXPECT_TRUE(DescribesOnlyMedia("reaction", "[reaction] 👍"));
  EXPECT_TRUE(DescribesOnlyMedia("audio", "[unsupported message type 'x']"));
  // A caption, text messages, and brackets a person wrote are analysed.
  EXPECT_FALSE(DescribesOnlyMedia("image", "Is this the right size?"));
  EXPECT_FALSE(DescribesOnlyMedia("image", "[URGENT] wrong colour"));
  EXPECT_FALSE(DescribesOnlyMedia("text", "[image]"));
  EXPECT_FALSE(DescribesOnlyMedia("image", "[]"));
  EXPECT_FALSE(DescribesOnlyMedia("image", "[image"));
  EXPECT_FALSE(DescribesOnlyMedia("", "[image]"));
}

TEST_F(ServiceTest, AFileWithoutCaptionIsMarkedEnrichedWithoutAnalysisOrALanguageChange) {
  ASSERT_TRUE(Ingest("m-de", "Hallo, wo ist meine Bestellung? Ich warte schon lange.").ok());
  auto stored = Ingest("m-photo", "[image]", "cust", "image");
  ASSERT_TRUE(stored.ok());
  EnrichmentWorker worker({.batch = 8, .poll_ms = 60'000}, *store_, TestEnricher(), sink_, clock_);
  ASSERT_TRUE(worker.RunOnce().ok());
  EXPECT_TRUE(store_->ListUnenrichedMessages(10)->empty());
  Message m = store_->GetMessage(stored->message.id).value();
  EXPECT_EQ(m.language, "und");
  EXPECT_TRUE(m.nlu_json.empty());
  EXPECT_EQ(store_->GetConversation(stored->conversation.id)->language, "de");
}

TEST_F(ServiceTest, EnrichmentCatchesUpDuringABurst) {
  // Every message announced at once: far above the burst rate, the worker pauses between
  // batches yet still enriches every message.
  EnrichmentWorker worker({.batch = 8, .poll_ms = 60'000, .burst_rate = 1}, *store_, TestEnricher(),
                          sink_, clock_);
  conversations_->SetEnrichmentWaker([&worker] { worker.Wake(); });
  worker.Start();
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(Ingest("burst-" + std::to_string(i), "Where is my order?").ok());
  }
  WaitUntil([&] { return store_->ListUnenrichedMessages(1)->empty(); }, kEnrichmentPatience);
  EXPECT_TRUE(store_->ListUnenrichedMessages(1)->empty());
  worker.Stop();
}

TEST_F(ServiceTest, EnrichmentWorkerThreadWakesOnIngest) {
  EnrichmentWorker worker({.batch = 16, .poll_ms = 60'000}, *store_, TestEnricher(), sink_, clock_);
  conversations_->SetEnrichmentWaker([&worker] { worker.Wake(); });
  worker.Start();
  auto r = Ingest("w1", "Can I pay with PayPal?");
  ASSERT_TRUE(r.ok());
  // Woken by the ingest, not by the (one minute) poll.
  WaitUntil([&] { return !store_->GetMessage(r->message.id)->nlu_json.empty(); },
            std::chrono::seconds(45));
  worker.Stop();
  EXPECT_FALSE(store_->GetMessage(r->message.id)->nlu_json.empty());
}

}  // namespace
}  // namespace meridian::service
