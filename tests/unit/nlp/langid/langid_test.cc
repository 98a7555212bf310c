// The built language identification model (<build>/share/meridian/langid/langid.bin): what a
// user of `meridian lang detect` would notice.

#include "nlp/langid/langid.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace meridian::nlp {
namespace {

class LangIdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = LanguageIdentifier::Load(std::filesystem::path(MERIDIAN_BINARY_DIR) /
                                           "share/meridian/langid");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    id_ = std::move(loaded).value().release();
  }
  static void TearDownTestSuite() {
    delete id_;
    id_ = nullptr;
  }
  static std::string Lang(std::string_view text) { return id_->Detect(text).lang; }
  static LanguageIdentifier* id_;
};

LanguageIdentifier* LangIdTest::id_ = nullptr;

// Each TEST_F is its own process under CTest and loads the model again (slow under ASan),
// so related checks share one test.
TEST_F(LangIdTest, ScriptDecidesAndHanIsChineseUnlessKanaAppears) {
  EXPECT_EQ(Lang("Здравствуйте, где мой заказ?"), "ru");
  EXPECT_EQ(Lang("مرحبا، أين طلبي؟"), "ar");
  EXPECT_EQ(Lang("नमस्ते, मेरा ऑर्डर कहां है?"), "hi");
  EXPECT_EQ(Lang("สวัสดีครับ พัสดุของผมอยู่ที่ไหน"), "th");
  EXPECT_EQ(Lang("안녕하세요, 제 주문은 어디에 있나요?"), "ko");
  EXPECT_EQ(Lang("ありがとう"), "ja");

  EXPECT_EQ(Lang("请问我的包裹什么时候能送到？"), "zh");
  EXPECT_EQ(Lang("我想申请退款"), "zh");
  EXPECT_EQ(Lang("注文した商品がまだ届いていません"), "ja");
}

TEST_F(LangIdTest, LatinSentencesAndTypicalWordsAnyCase) {
  EXPECT_EQ(Lang("Hello, my order has not arrived yet, can you check it please?"), "en");
  EXPECT_EQ(Lang("Hallo, meine Bestellung ist noch nicht angekommen, können Sie helfen?"), "de");
  EXPECT_EQ(Lang("Bonjour, ma commande n'est toujours pas arrivée, pouvez-vous vérifier ?"), "fr");
  EXPECT_EQ(Lang("Hola, mi pedido todavía no ha llegado, ¿pueden revisarlo por favor?"), "es");
  EXPECT_EQ(Lang("Ciao, il mio ordine non è ancora arrivato, potete controllare?"), "it");
  EXPECT_EQ(Lang("Olá, a minha encomenda ainda não chegou, podem verificar por favor?"), "pt");
  EXPECT_EQ(Lang("Hallo, mijn bestelling is nog steeds niet aangekomen, kunt u kijken?"), "nl");
  EXPECT_EQ(Lang("Dzień dobry, moje zamówienie jeszcze nie dotarło, czy możecie sprawdzić?"), "pl");
  EXPECT_EQ(Lang("Hej, min beställning har fortfarande inte kommit, kan ni kolla?"), "sv");
  EXPECT_EQ(Lang("Merhaba, siparişim hâlâ gelmedi, kontrol edebilir misiniz?"), "tr");
  EXPECT_EQ(Lang("Xin chào, đơn hàng của tôi vẫn chưa đến, bạn kiểm tra giúp được không?"), "vi");
  EXPECT_EQ(Lang("Halo, pesanan saya belum sampai, bisa tolong dicek? Makasih banyak ya."), "id");
  EXPECT_EQ(Lang("Helo, pesanan saya masih belum sampai, boleh tak awak semak? Terima kasih."),
            "ms");

  EXPECT_EQ(Lang("Danke"), "de");
  EXPECT_EQ(Lang("Bestellung"), "de");
  EXPECT_EQ(Lang("merci"), "fr");
  EXPECT_EQ(Lang("gracias"), "es");
  EXPECT_EQ(Lang("grazie"), "it");
  EXPECT_EQ(Lang("obrigado"), "pt");
  EXPECT_EQ(Lang("bedankt"), "nl");
  EXPECT_EQ(Lang("dziękuję"), "pl");
  EXPECT_EQ(Lang("tyvärr"), "sv");
  EXPECT_EQ(Lang("teşekkürler"), "tr");
  EXPECT_EQ(Lang("cảm ơn"), "vi");
  EXPECT_EQ(Lang("thanks"), "en");

  EXPECT_EQ(Lang("DANKE SCHÖN"), "de");
  EXPECT_EQ(Lang("wo ist meine bestellung"), "de");
  EXPECT_EQ(Lang("ou est ma commande s'il vous plait"), "fr");
  EXPECT_EQ(Lang("Bitte schauen Sie hier: https://shop.example.com/my-order/tracking"), "de");
}

TEST_F(LangIdTest, UndeterminedWithoutEvidence) {
  for (const char* text :
       {"", "   ", "12345", "#4711 - 99.90", "😀👍🎉", "ok", "OK!", "lol", "haha", "?!", "a",
        "https://shop.example.com/orders/4711", "jane.doe@example.org", "www.example.com ok"}) {
    LanguageDetection d = id_->Detect(text);
    EXPECT_EQ(d.lang, "und") << text;
    EXPECT_EQ(d.confidence, 0) << text;
    EXPECT_TRUE(d.candidates.empty()) << text;
  }
}

TEST_F(LangIdTest, CandidatesRankedAndInvalidUtf8Skipped) {
  for (const char* text : {"Danke", "pesanan", "Wo ist meine Bestellung?", "casa", "hotel"}) {
    LanguageDetection d = id_->Detect(text);
    ASSERT_FALSE(d.candidates.empty()) << text;
    EXPECT_LE(d.candidates.size(), 3u);
    EXPECT_EQ(d.lang, d.candidates.front().lang);
    EXPECT_DOUBLE_EQ(d.confidence, d.candidates.front().confidence);
    double sum = 0;
    for (size_t i = 0; i < d.candidates.size(); ++i) {
      EXPECT_GT(d.candidates[i].confidence, 0);
      if (i > 0) {
        EXPECT_GE(d.candidates[i - 1].confidence, d.candidates[i].confidence);
      }
      sum += d.candidates[i].confidence;
    }
    EXPECT_LE(sum, 1.0 + 1e-9);
  }
  // A full sentence is surer than one ambiguous word.
  EXPECT_GT(id_->Detect("Wo ist meine Bestellung? Ich warte schon seit zwei Wochen.").confidence,
            id_->Detect("hotel").confidence);

  EXPECT_EQ(Lang("\xff\xfe\xfd"), "und");
  EXPECT_EQ(Lang("Hallo \xc3 wie geht es dir, ich habe eine Frage zu meiner Rechnung"), "de");
  std::string embedded_nul("Bonjour, je voudrais\0 annuler ma commande", 41);
  EXPECT_EQ(Lang(embedded_nul), "fr");
}

TEST_F(LangIdTest, LongTextIsReadFromItsStart) {
  std::string mail;
  while (mail.size() < 200 * 1024)
    mail += "Sehr geehrte Damen und Herren, meine Bestellung fehlt. ";
  LanguageDetection d = id_->Detect(mail);
  EXPECT_EQ(d.lang, "de");
  EXPECT_GT(d.confidence, 0.9);
}

TEST(LangIdModelFileTest, MissingAndCorruptModelsAreClearErrors) {
  auto missing = LanguageIdentifier::Load("/nonexistent/langid");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  const auto dir = std::filesystem::temp_directory_path() / "meridian_langid_corrupt";
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "langid.bin", std::ios::binary | std::ios::trunc);
    out << "MLANGID3 this is not a model";
  }
  auto corrupt = LanguageIdentifier::Load(dir);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.status().code(), StatusCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

// The fast path (CLD2 and the dictionary agree, no n-gram scoring) must give the full model's
// answer: over every customer-service text of the intent fixtures (12 languages, chat lines to
// multi-sentence emails), the answers with and without it are the same, and it does fire.
TEST(LangIdFastPathTest, AgreesWithTheFullModelOnCustomerServiceTexts) {
  const auto dir = std::filesystem::path(MERIDIAN_BINARY_DIR) / "share/meridian/langid";
  auto fast = LanguageIdentifier::Load(dir);
  LangIdOptions off;
  off.fast_path = false;
  auto full = LanguageIdentifier::Load(dir, off);
  ASSERT_TRUE(fast.ok() && full.ok());
  size_t texts = 0, fired = 0, differ = 0;
  for (const char* file : {"intent_dev_cs.tsv", "intent_blind2.tsv"}) {
    std::ifstream in(std::filesystem::path(MERIDIAN_SOURCE_DIR) / "tests/fixtures/nlu" / file);
    ASSERT_TRUE(in) << file;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const std::string text = line.substr(line.find('\t', line.find('\t') + 1) + 1);
      const LanguageDetection a = (*fast)->Detect(text);
      const LanguageDetection b = (*full)->Detect(text);
      ++texts;
      if (a.lang != b.lang) {
        ++differ;
        ADD_FAILURE() << text << ": fast " << a.lang << ", full " << b.lang;
      }
      if (a.candidates.size() == 1 && a.confidence == LangIdOptions().fast_confidence &&
          b.confidence != a.confidence) {
        ++fired;
      }
    }
  }
  RecordProperty("texts", static_cast<int>(texts));
  RecordProperty("fast_path", static_cast<int>(fired));
  EXPECT_GT(texts, 7000u);
  EXPECT_EQ(differ, 0u);
  EXPECT_GT(fired, texts / 5) << "the fast path should serve the longer Latin texts";
}

}  // namespace
}  // namespace meridian::nlp
