// The trained intent model (built into <build>/share/meridian/nlu by the build): behaviour a
// customer would notice, plus an accuracy floor on the dev set so a broken model fails CI.

#include "nlp/intent/intent.h"

#include <gtest/gtest.h>

#include <string>

#include "core/resources.h"

namespace meridian::nlp {
namespace {

class IntentModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded =
        IntentClassifier::Load(std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/nlu");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    classifier_ = std::move(loaded).value().release();
  }
  static void TearDownTestSuite() {
    delete classifier_;
    classifier_ = nullptr;
  }
  static std::string Intent(std::string_view text) {
    return std::string(classifier_->Classify(text).intent);
  }
  static IntentClassifier* classifier_;
};

IntentClassifier* IntentModelTest::classifier_ = nullptr;

TEST_F(IntentModelTest, CancelWithOrderNumber) {
  EXPECT_EQ(Intent("I want to cancel my order #12345"), "cancel_order");
  EXPECT_EQ(Intent("please cancel order 998877, i dont need it"), "cancel_order");
}

TEST_F(IntentModelTest, WhereIsMyParcelInGerman) {
  std::string intent = Intent("wo ist mein paket");
  EXPECT_TRUE(intent == "track_shipment" || intent == "order_status") << intent;
}

TEST_F(IntentModelTest, EverydayRequests) {
  EXPECT_EQ(Intent("how do i get a refund"), "refund_request");
  EXPECT_EQ(Intent("where can i see the invoice"), "check_invoice");
  EXPECT_EQ(Intent("I forgot my password"), "recover_password");
  EXPECT_EQ(Intent("can I talk to a human please"), "human_agent");
  EXPECT_EQ(Intent("je veux annuler ma commande"), "cancel_order");
  EXPECT_EQ(Intent("quiero devolver estos zapatos"), "return_request");
  EXPECT_EQ(Intent("我要退款"), "refund_request");
}

TEST_F(IntentModelTest, AccentsAndCaseDoNotMatter) {
  EXPECT_EQ(Intent("QUIERO CANCELAR MI PEDIDO"), Intent("quiero cancelar mi pedido"));
  EXPECT_EQ(Intent("ou est mon colis"), Intent("où est mon colis"));
}

TEST_F(IntentModelTest, SmallTalkAndUnrelatedTextIsOutOfScope) {
  EXPECT_EQ(Intent("what's the weather in Paris"), "out_of_scope");
  EXPECT_EQ(Intent(""), "out_of_scope");
  EXPECT_EQ(Intent("   "), "out_of_scope");
}

TEST_F(IntentModelTest, ConfidenceIsAProbability) {
  for (const char* text : {"cancel my order", "xq zv", "hola", "注文をキャンセルしたい"}) {
    IntentPrediction p = classifier_->Classify(text);
    EXPECT_GE(p.confidence, 0.0) << text;
    EXPECT_LE(p.confidence, 1.0) << text;
  }
  auto top = classifier_->TopK("cancel my order", 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_GE(top[0].confidence, top[1].confidence);
  EXPECT_GE(top[1].confidence, top[2].confidence);
}

TEST_F(IntentModelTest, KnowsTheWholeTaxonomy) {
  auto intents = classifier_->Intents();
  for (const char* id : {"order_status", "track_shipment", "cancel_order", "refund_request",
                         "customs_duties", "privacy_request", "out_of_scope"}) {
    EXPECT_NE(std::find(intents.begin(), intents.end(), id), intents.end()) << id;
  }
  EXPECT_GE(intents.size(), 44u);
}

TEST_F(IntentModelTest, InvalidUtf8NeverCrashes) {
  IntentPrediction p = classifier_->Classify("cancel \xFF\xFE order \xC3");
  EXPECT_FALSE(p.intent.empty());
}

// A floor well under the figures in bench/RESULTS.md: it catches a broken build or data file,
// not small regressions.
TEST_F(IntentModelTest, DevSetAccuracyFloor) {
  auto contents =
      ReadFile(std::filesystem::path(MERIDIAN_SOURCE_DIR) / "tests/fixtures/nlu/intent_dev.tsv");
  ASSERT_TRUE(contents.has_value());
  auto examples = ParseIntentExamples(*contents);
  ASSERT_TRUE(examples.ok()) << examples.status().ToString();
  IntentEvalReport report = EvaluateIntents(*classifier_, *examples);
  EXPECT_GE(report.by_language.at("all").accuracy, 0.70);
  EXPECT_GE(report.by_language.at("en").accuracy, 0.75);
  for (const auto& [lang, score] : report.by_language) {
    EXPECT_GE(score.accuracy, 0.55) << lang;
  }
}

TEST(IntentClassifierLoad, MissingModelIsNotFound) {
  auto loaded = IntentClassifier::Load("/nonexistent/meridian/nlu");
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.status().is_not_found());
}

}  // namespace
}  // namespace meridian::nlp
