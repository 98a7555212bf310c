#include "nlp/entities/entities.h"

#include <gtest/gtest.h>

namespace meridian::nlp {
namespace {

class EntitiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = EntityExtractor::Create(OrderNumberConfig::Default());
    ASSERT_TRUE(created.ok());
    extractor_ = std::move(created).value();
    options_.region = "DE";
    options_.time_zone = "Europe/Berlin";
    options_.now_ms = 1710345600000;  // 2024-03-13T16:00:00Z
  }
  std::vector<Entity> Extract(std::string_view text) { return extractor_->Extract(text, options_); }
  const Entity* First(const std::vector<Entity>& all, EntityType type) {
    for (const auto& e : all) {
      if (e.type == type) return &e;
    }
    return nullptr;
  }

  std::unique_ptr<EntityExtractor> extractor_;
  ExtractOptions options_;
};

TEST_F(EntitiesTest, SpansAreBytesAfterMultibyteText) {
  const std::string text = "您好，我的包裹 RR123456785CN 还没到 ✉ jo@example.com";
  auto all = Extract(text);
  const Entity* t = First(all, EntityType::kTrackingNumber);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(text.substr(t->start, t->end - t->start), "RR123456785CN");
  EXPECT_EQ(t->start, text.find("RR1"));
  const Entity* e = First(all, EntityType::kEmail);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(text.substr(e->start, e->end - e->start), "jo@example.com");
}

TEST_F(EntitiesTest, PhoneSpanAfterMultibyteText) {
  const std::string text = "Grüße aus München, ruf mich an: +49 30 901820";
  auto all = Extract(text);
  const Entity* p = First(all, EntityType::kPhone);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(text.substr(p->start, p->end - p->start), "+49 30 901820");
  EXPECT_EQ(p->normalized, "+4930901820");
}

TEST_F(EntitiesTest, PhoneUsesRegionHint) {
  options_.region = "GB";
  auto all = Extract("call 020 7946 0018 please");
  const Entity* p = First(all, EntityType::kPhone);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->normalized, "+442079460018");
}

TEST_F(EntitiesTest, OrderNumbers) {
  for (auto [text, id] :
       std::vector<std::pair<std::string, std::string>>{{"where is #1234?", "1234"},
                                                        {"my order 100234 is late", "100234"},
                                                        {"Bestellung Nr. 4711", "4711"},
                                                        {"ref ORD-2024-00017", "ORD-2024-00017"},
                                                        {"订单号 88231", "88231"}}) {
    auto all = Extract(text);
    const Entity* o = First(all, EntityType::kOrderNumber);
    ASSERT_NE(o, nullptr) << text;
    EXPECT_EQ(o->normalized, id) << text;
  }
}

TEST_F(EntitiesTest, CustomOrderPattern) {
  OrderNumberConfig config;
  config.patterns = {R"(\b(SHOP\d{5})\b)"};
  auto created = EntityExtractor::Create(config);
  ASSERT_TRUE(created.ok());
  auto all = (*created)->Extract("hi, SHOP12345 and #9999", options_);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].normalized, "SHOP12345");
  EXPECT_FALSE(EntityExtractor::Create({{"(unclosed"}}).ok());
}

TEST_F(EntitiesTest, Amounts) {
  struct Case {
    const char* text;
    const char* currency;
    const char* amount;
  } cases[] = {{"paid €12,50 yesterday", "EUR", "12.50"},
               {"it was 12.50 EUR", "EUR", "12.50"},
               {"custo R$ 99,90", "BRL", "99.90"},
               {"価格 ¥3000", "JPY", "3000"},
               {"total 1.234,56 €", "EUR", "1234.56"},
               {"$1,299.99 charged", "USD", "1299.99"},
               {"£5 fee", "GBP", "5"},
               {"99 zł", "PLN", "99"}};
  for (const Case& c : cases) {
    auto all = Extract(c.text);
    const Entity* a = First(all, EntityType::kAmount);
    ASSERT_NE(a, nullptr) << c.text;
    EXPECT_EQ(a->currency, c.currency) << c.text;
    EXPECT_EQ(a->normalized, c.amount) << c.text;
  }
}

TEST_F(EntitiesTest, TrackingWinsOverlapsWithPhoneAndOrder) {
  auto all = Extract("tracking 9400 1112 0108 0805 4830 16");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].type, EntityType::kTrackingNumber);
}

TEST_F(EntitiesTest, NoDigitsNoNumbers) {
  auto all = Extract("hello, I just want to say thanks!");
  EXPECT_TRUE(all.empty());
}

TEST(EntityTypeNameTest, Names) {
  EXPECT_EQ(EntityTypeName(EntityType::kTrackingNumber), "tracking_number");
  EXPECT_EQ(EntityTypeName(EntityType::kOrderNumber), "order_number");
}

}  // namespace
}  // namespace meridian::nlp
