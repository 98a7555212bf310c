#include "nlp/translate/opencc.h"

#include <gtest/gtest.h>

namespace meridian::nlp::translate {
namespace {

std::string Convert(std::string_view text, std::string_view from, std::string_view to) {
  static std::unique_ptr<OpenCcEngine> engine = [] {
    auto e = OpenCcEngine::Create();
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return std::move(e).value();
  }();
  auto r = engine->Translate({std::string(text)}, from, to);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->front() : "";
}

TEST(OpenCc, SimplifiedTraditionalBothWays) {
  EXPECT_EQ(Convert("简体中文，请问我的订单在哪里？", "zh-Hans", "zh-Hant"),
            "簡體中文，請問我的訂單在哪裏？");
  EXPECT_EQ(Convert("請問我的訂單在哪裡？", "zh-Hant", "zh-Hans"), "请问我的订单在哪里？");
  EXPECT_EQ(Convert("退款", "zh", "zh-Hant"), "退款");
}

TEST(OpenCc, TaiwanPhrases) {
  // s2twp converts vocabulary, not only characters.
  EXPECT_EQ(Convert("鼠标和软件", "zh-Hans", "zh-TW"), "滑鼠和軟體");
  EXPECT_EQ(Convert("滑鼠和軟體", "zh-TW", "zh-Hans"), "鼠标和软件");
}

TEST(OpenCc, HongKongVariant) {
  EXPECT_EQ(Convert("里面", "zh-Hans", "zh-HK"), "裏面");
  EXPECT_EQ(Convert("裏面", "zh-HK", "zh-Hans"), "里面");
}

TEST(OpenCc, OtherPairsAreUnsupported) {
  auto e = OpenCcEngine::Create();
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE((*e)->Supports("zh", "en"));
  auto r = (*e)->Translate({"你好"}, "zh", "ja");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "unsupported_pair");
}

}  // namespace
}  // namespace meridian::nlp::translate
