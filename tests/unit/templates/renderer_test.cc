// Reply templates: validation before save and the fallback order when rendering
// (market variant -> language variant -> translated source -> untranslated source).
#include "templates/renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlp/translate/opencc.h"
#include "nlp/translate/router.h"

namespace meridian::templates {
namespace {

using ::testing::HasSubstr;
namespace tr = nlp::translate;

// Translates en -> fr by tagging the text, so a test sees what was translated.
class FakeEngine : public tr::TranslationEngine {
 public:
  std::string_view Name() const override { return "fake"; }
  Result<std::vector<std::string>> Translate(const std::vector<std::string>& segments,
                                             std::string_view, std::string_view) override {
    std::vector<std::string> out;
    for (const auto& s : segments) out.push_back("[fr] " + s);
    return out;
  }
  std::vector<tr::PairInfo> Pairs() override {
    return {{"en", "fr", "fake", tr::PairKind::kDirect, ""}};
  }
};

store::ReplyTemplateDef Order() {
  store::ReplyTemplateDef t;
  t.id = 7;
  t.key = "/Where-Is-Order";
  t.name = "Where is my order?";
  t.source_locale = "en";
  t.variants = {
      {"en", "", "Your {n, plural, one {parcel} other {# parcels}} arrive on {d, date, ::yMd}."},
      {"de", "formal",
       "Ihre {n, plural, one {Sendung kommt} other {# Sendungen kommen}} am "
       "{d, date, ::yMd}."},
      {"de-CH", "formal",
       "Grüezi! Ihre {n, plural, one {Sendung kommt} other {# Sendungen "
       "kommen}} am {d, date, ::yMd}."},
      {"pt-BR", "informal", "Oi! Seu pedido chega em {d, date, ::yMd}."},
  };
  return t;
}

const nlohmann::json kParams = {{"n", 2}, {"d", "2026-11-27T23:30:00Z"}};

TEST(Validate, NormalizesKeyAndLocales) {
  auto t = Order();
  t.variants[3].locale = "pt_br";
  ASSERT_TRUE(Validate(t).ok());
  EXPECT_EQ(t.key, "where-is-order");
  EXPECT_EQ(t.variants[3].locale, "pt-BR");
}

TEST(Validate, BadSyntaxNamesTheVariantAndIcuError) {
  auto t = Order();
  t.variants[2].body = "Grüezi {n, plural, one {x}";
  Status s = Validate(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnprocessable);
  EXPECT_EQ(s.reason(), "invalid_message_format");
  EXPECT_THAT(s.message(), HasSubstr("variant de-CH"));
  EXPECT_THAT(s.message(), HasSubstr("U_"));
}

TEST(Validate, RejectsWhatCannotBeRendered) {
  auto no_source = Order();
  no_source.source_locale = "fr";
  EXPECT_EQ(Validate(no_source).reason(), "missing_field");
  auto twice = Order();
  twice.variants[1].locale = "DE-ch";
  EXPECT_THAT(Validate(twice).message(), HasSubstr("two variants"));
  auto style = Order();
  style.variants[0].style = "rude";
  EXPECT_EQ(Validate(style).reason(), "invalid_field");
  auto key = Order();
  key.key = "where is my order";
  EXPECT_EQ(Validate(key).reason(), "invalid_field");
  auto none = Order();
  none.variants.clear();
  EXPECT_FALSE(Validate(none).ok());
}

TEST(Render, ExactMarketVariantFirst) {
  auto r = Render(Order(), kParams, {"de-CH", "Europe/Zurich"}, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->fallback, Fallback::kExact);
  EXPECT_EQ(r->variant, "de-CH");
  EXPECT_EQ(r->style, "formal");
  EXPECT_EQ(r->text, "Grüezi! Ihre 2 Sendungen kommen am 28.11.2026.");
}

TEST(Render, LanguageVariantInTheCustomersLocale) {
  // de-AT has no variant: the German one, with Austrian formats and Vienna's date.
  auto r = Render(Order(), kParams, {"de-AT", "Europe/Vienna"}, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fallback, Fallback::kLanguage);
  EXPECT_EQ(r->variant, "de");
  EXPECT_EQ(r->locale, "de-AT");
  EXPECT_EQ(r->text, "Ihre 2 Sendungen kommen am 28.11.2026.");
}

TEST(Render, RegionalVariantServesItsLanguage) {
  // Only pt-BR exists: a customer in Portugal still gets Portuguese, not a translation.
  auto r = Render(Order(), kParams, {"pt-PT", "Europe/Lisbon"}, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fallback, Fallback::kLanguage);
  EXPECT_EQ(r->variant, "pt-BR");
}

TEST(Render, TranslatesTheSourceWhenNoVariantMatches) {
  tr::Router router;
  router.AddEngine(std::make_unique<FakeEngine>());
  auto r = Render(Order(), kParams, {"fr-FR", "Europe/Paris"}, &router);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->fallback, Fallback::kTranslated);
  EXPECT_EQ(r->engine, "fake");
  EXPECT_EQ(r->variant, "en");
  EXPECT_EQ(r->locale, "fr-FR");
  // Formatted in the customer's locale before translation.
  EXPECT_EQ(r->text, "[fr] Your 2 parcels arrive on 28/11/2026.");
}

TEST(Render, UntranslatedSourceWhenNoEngineServesThePair) {
  tr::Router router;
  router.AddEngine(std::make_unique<FakeEngine>());
  auto r = Render(Order(), kParams, {"ko-KR", "Asia/Seoul"}, &router);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fallback, Fallback::kSource);
  EXPECT_EQ(r->locale, "en");
  EXPECT_FALSE(r->notice.empty());
  EXPECT_EQ(r->text, "Your 2 parcels arrive on 11/28/2026.");  // Seoul's date, English form
  auto none = Render(Order(), kParams, {"fr", "UTC"}, nullptr);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->fallback, Fallback::kSource);
}

TEST(Render, TraditionalChineseIsConvertedFromTheSimplifiedVariant) {
  auto t = Order();
  t.variants.push_back({"zh-CN", "", "您的{n}个包裹已发出，请查看物流信息。"});
  tr::Router router;
  auto opencc = tr::OpenCcEngine::Create();
  ASSERT_TRUE(opencc.ok()) << opencc.status().ToString();
  router.AddEngine(std::move(opencc).value());
  // Simplified Chinese is the language variant for mainland and Singapore customers...
  auto sg = Render(t, kParams, {"zh-SG", "Asia/Singapore"}, &router);
  ASSERT_TRUE(sg.ok());
  EXPECT_EQ(sg->fallback, Fallback::kLanguage);
  // ...but Taiwan gets it converted to Traditional with Taiwanese phrasing, not translated from
  // English.
  auto tw = Render(t, kParams, {"zh-TW", "Asia/Taipei"}, &router);
  ASSERT_TRUE(tw.ok()) << tw.status().ToString();
  EXPECT_EQ(tw->fallback, Fallback::kTranslated);
  EXPECT_EQ(tw->engine, "opencc");
  EXPECT_EQ(tw->variant, "zh-CN");
  EXPECT_THAT(tw->text, HasSubstr("您的2個包裹已發出"));
  EXPECT_THAT(tw->text, HasSubstr("資訊"));  // 信息 -> 資訊 (Taiwan phrase)
  EXPECT_EQ(ChineseCode("zh-Hant-HK"), "zh-HK");
  EXPECT_EQ(ChineseCode("zh_mo"), "zh-HK");
  EXPECT_EQ(ChineseCode("zh-Hant"), "zh-Hant");
  EXPECT_EQ(ChineseCode("zh"), "zh-Hans");
}

TEST(Render, MissingParamAndBadLocale) {
  auto r = Render(Order(), {{"n", 1}}, {"de", "UTC"}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "missing_param");
  EXPECT_THAT(r.status().message(), HasSubstr("'d'"));
  EXPECT_EQ(Render(Order(), kParams, {"??", "UTC"}, nullptr).status().reason(), "invalid_locale");
}

TEST(Render, FallbackNames) {
  EXPECT_EQ(FallbackName(Fallback::kExact), "exact");
  EXPECT_EQ(FallbackName(Fallback::kLanguage), "language");
  EXPECT_EQ(FallbackName(Fallback::kTranslated), "translated");
  EXPECT_EQ(FallbackName(Fallback::kSource), "source");
}

}  // namespace
}  // namespace meridian::templates
