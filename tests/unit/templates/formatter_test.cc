// ICU MessageFormat for reply templates: plural rules per language, select, ordinals, numbers,
// currencies and dates per locale and time zone, and the errors authors and agents see.
#include "templates/formatter.h"

#include <gtest/gtest.h>

namespace meridian::templates {
namespace {

using nlohmann::json;

std::string F(const std::string& pattern, const json& params, const std::string& locale = "en",
              const std::string& zone = "UTC") {
  auto r = Format(pattern, params, {locale, zone});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

std::string Plural(const std::string& pattern, const std::string& locale, double n) {
  return F(pattern, {{"n", n}}, locale);
}

TEST(Formatter, EnglishPluralOneAndOther) {
  const std::string p = "{n, plural, one {# parcel} other {# parcels}}";
  EXPECT_EQ(F(p, {{"n", 1}}), "1 parcel");
  EXPECT_EQ(F(p, {{"n", 0}}), "0 parcels");
  EXPECT_EQ(F(p, {{"n", 3}}), "3 parcels");
}

TEST(Formatter, RussianPluralOneFewManyOther) {
  const std::string p = "{n, plural, one {one} few {few} many {many} other {other}}";
  EXPECT_EQ(Plural(p, "ru", 1), "one");
  EXPECT_EQ(Plural(p, "ru", 21), "one");
  EXPECT_EQ(Plural(p, "ru", 2), "few");
  EXPECT_EQ(Plural(p, "ru", 24), "few");
  EXPECT_EQ(Plural(p, "ru", 5), "many");
  EXPECT_EQ(Plural(p, "ru", 11), "many");
  EXPECT_EQ(Plural(p, "ru", 1.5), "other");
}

TEST(Formatter, PolishPluralFewAndManyDifferFromRussianAtTwentyOne) {
  const std::string p = "{n, plural, one {one} few {few} many {many} other {other}}";
  EXPECT_EQ(Plural(p, "pl", 1), "one");
  EXPECT_EQ(Plural(p, "pl", 3), "few");
  EXPECT_EQ(Plural(p, "pl", 22), "few");
  EXPECT_EQ(Plural(p, "pl", 5), "many");
  EXPECT_EQ(Plural(p, "pl", 12), "many");
  EXPECT_EQ(Plural(p, "pl", 21), "many");  // Russian says "one" here
}

TEST(Formatter, ArabicPluralHasSixCategories) {
  const std::string p =
      "{n, plural, zero {zero} one {one} two {two} few {few} many {many} other {other}}";
  EXPECT_EQ(Plural(p, "ar", 0), "zero");
  EXPECT_EQ(Plural(p, "ar", 1), "one");
  EXPECT_EQ(Plural(p, "ar", 2), "two");
  EXPECT_EQ(Plural(p, "ar", 3), "few");
  EXPECT_EQ(Plural(p, "ar", 10), "few");
  EXPECT_EQ(Plural(p, "ar", 11), "many");
  EXPECT_EQ(Plural(p, "ar", 99), "many");
  EXPECT_EQ(Plural(p, "ar", 100), "other");
}

TEST(Formatter, JapaneseHasNoSingular) {
  const std::string p = "{n, plural, one {one} other {other}}";
  EXPECT_EQ(Plural(p, "ja", 1), "other");
  EXPECT_EQ(Plural(p, "ja", 2), "other");
}

TEST(Formatter, ExactMatchesWinOverCategories) {
  const std::string p = "{n, plural, =0 {no parcels} one {# parcel} other {# parcels}}";
  EXPECT_EQ(F(p, {{"n", 0}}), "no parcels");
}

TEST(Formatter, SelectOnFormalityAndGender) {
  const std::string p =
      "{address, select, formal {Dear {name}} informal {Hi {name}} other {Hello {name}}}";
  EXPECT_EQ(F(p, {{"address", "formal"}, {"name", "Ms Weber"}}), "Dear Ms Weber");
  EXPECT_EQ(F(p, {{"address", "informal"}, {"name", "Anna"}}), "Hi Anna");
  EXPECT_EQ(F(p, {{"address", "unknown"}, {"name", "Anna"}}), "Hello Anna");
  const std::string g =
      "{g, select, female {Sehr geehrte Frau} male {Sehr geehrter Herr} other "
      "{Guten Tag}} {last}";
  EXPECT_EQ(F(g, {{"g", "female"}, {"last", "Weber"}}, "de"), "Sehr geehrte Frau Weber");
}

TEST(Formatter, SelectOrdinalInEnglish) {
  const std::string p = "your {n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}} order";
  EXPECT_EQ(F(p, {{"n", 1}}), "your 1st order");
  EXPECT_EQ(F(p, {{"n", 2}}), "your 2nd order");
  EXPECT_EQ(F(p, {{"n", 3}}), "your 3rd order");
  EXPECT_EQ(F(p, {{"n", 11}}), "your 11th order");
  EXPECT_EQ(F(p, {{"n", 22}}), "your 22nd order");
}

TEST(Formatter, NumbersPerLocale) {
  const std::string p = "{x, number}";
  json x = {{"x", 1234567.891}};
  EXPECT_EQ(F(p, x, "en-US"), "1,234,567.891");
  EXPECT_EQ(F(p, x, "de"), "1.234.567,891");
  EXPECT_EQ(F(p, x, "de-CH"), "1’234’567.891");
  EXPECT_EQ(F(p, x, "ja-JP"), "1,234,567.891");
  EXPECT_EQ(F(p, x, "ar-EG"), "١٬٢٣٤٬٥٦٧٫٨٩١");
}

TEST(Formatter, CurrenciesPerLocale) {
  // ICU keeps amount and symbol together with a no-break space (U+00A0).
  EXPECT_EQ(F("{p, number, ::currency/CHF}", {{"p", 1234.5}}, "de-CH"), "CHF\u00A01’234.50");
  EXPECT_EQ(F("{p, number, ::currency/EUR}", {{"p", 1234.5}}, "de"), "1.234,50\u00A0€");
  EXPECT_EQ(F("{p, number, ::currency/USD}", {{"p", 1234.5}}, "en-US"), "$1,234.50");
  EXPECT_EQ(F("{p, number, ::currency/JPY}", {{"p", 1234}}, "ja-JP"), "￥1,234");
  std::string egp = F("{p, number, ::currency/EGP}", {{"p", 1234.5}}, "ar-EG");
  EXPECT_NE(egp.find("١٬٢٣٤٫٥٠"), std::string::npos) << egp;
  EXPECT_NE(egp.find("ج.م."), std::string::npos) << egp;
}

TEST(Formatter, CurrencyAmountObjectCarriesItsCurrency) {
  const std::string p = "{voucher, number, currency}";
  EXPECT_EQ(F(p, {{"voucher", {{"amount", 10}, {"currency", "EUR"}}}}, "de"), "10,00\u00A0€");
  EXPECT_EQ(F(p, {{"voucher", {{"amount", 10}, {"currency", "CHF"}}}}, "de-CH"), "CHF\u00A010.00");
  EXPECT_EQ(F(p, {{"voucher", {{"amount", 1500}, {"currency", "JPY"}}}}, "ja-JP"), "￥1,500");
}

TEST(Formatter, DatesInTheCustomersTimeZone) {
  // 23:30 UTC on 27 November is already the 28th in Zurich and Tokyo, still the 27th in New York.
  json d = {{"d", "2026-11-27T23:30:00Z"}};
  EXPECT_EQ(F("{d, date, ::yMd} {d, time, ::Hm}", d, "de-CH", "Europe/Zurich"), "28.11.2026 00:30");
  EXPECT_EQ(F("{d, date, ::yMd} {d, time, ::Hm}", d, "ja-JP", "Asia/Tokyo"), "2026/11/28 8:30");
  EXPECT_EQ(F("{d, date, ::yMd}", d, "en-US", "America/New_York"), "11/27/2026");
  EXPECT_EQ(F("{d, date, ::yMMMMd}", d, "de-CH", "Europe/Zurich"), "28. November 2026");
}

TEST(Formatter, DaylightSavingTimeFollowsTheZone) {
  const std::string p = "{d, time, ::Hm}";
  EXPECT_EQ(F(p, {{"d", "2026-01-15T12:00:00Z"}}, "de-CH", "Europe/Zurich"), "13:00");
  EXPECT_EQ(F(p, {{"d", "2026-07-15T12:00:00Z"}}, "de-CH", "Europe/Zurich"), "14:00");
}

TEST(Formatter, DateWithoutTimeIsThatDayInTheZone) {
  // A bare date must not move to the day before or after in far zones.
  EXPECT_EQ(F("{d, date, ::yMd}", {{"d", "2026-12-24"}}, "ja-JP", "Asia/Tokyo"), "2026/12/24");
  EXPECT_EQ(F("{d, date, ::yMd}", {{"d", "2026-12-24"}}, "en-US", "Pacific/Honolulu"),
            "12/24/2026");
}

TEST(Formatter, DateWithOffsetAndEpochMillis) {
  EXPECT_EQ(F("{d, time, ::Hm}", {{"d", "2026-11-27T10:00:00+09:00"}}, "de", "UTC"), "01:00");
  EXPECT_EQ(F("{d, date, ::yMd}", {{"d", 0}}, "en-US", "UTC"), "1/1/1970");
}

TEST(Formatter, ArabicEgyptDateUsesArabicDigits) {
  std::string s = F("{d, date, ::yMd}", {{"d", "2026-11-27T12:00:00Z"}}, "ar-EG", "Africa/Cairo");
  EXPECT_NE(s.find("٢٠٢٦"), std::string::npos) << s;
}

TEST(Formatter, MissingParamIsNamed) {
  auto r = Format("Hi {name}, {n, plural, one {# item} other {# items}}", {{"name", "Ana"}},
                  {"en", "UTC"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnprocessable);
  EXPECT_EQ(r.status().reason(), "missing_param");
  EXPECT_NE(r.status().message().find("'n'"), std::string::npos);
}

TEST(Formatter, WrongTypesAreRejected) {
  auto r = Format("{n, plural, other {#}}", {{"n", "many"}}, {"en", "UTC"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "invalid_param");
  auto d = Format("{d, date}", {{"d", "next tuesday"}}, {"en", "UTC"});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().reason(), "invalid_param");
  EXPECT_NE(d.status().message().find("'d'"), std::string::npos);
}

TEST(Formatter, SyntaxErrorsCarryIcuNameAndPosition) {
  auto r = ParsePattern("{n, plural, one {x} other {y}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "invalid_message_format");
  EXPECT_NE(r.status().message().find("U_"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("offset"), std::string::npos);
  EXPECT_FALSE(ParsePattern("{n, plural, one {x}}").ok());  // plural needs "other"
  EXPECT_EQ(ParsePattern("{0} items").status().reason(), "numbered_argument");
}

TEST(Formatter, ParsePatternListsArgumentsWithKinds) {
  auto r = ParsePattern("{name} {n, plural, other {#}} {d, date, short} {g, select, other {x}}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->arguments.at("name"), ArgKind::kText);
  EXPECT_EQ(r->arguments.at("n"), ArgKind::kNumber);
  EXPECT_EQ(r->arguments.at("d"), ArgKind::kDate);
  EXPECT_EQ(r->arguments.at("g"), ArgKind::kText);
}

TEST(Formatter, BadLocaleAndTimeZone) {
  EXPECT_EQ(Format("x", json::object(), {"en", "Mars/Olympus"}).status().reason(),
            "invalid_time_zone");
  EXPECT_EQ(Format("x", json::object(), {"not a locale!", "UTC"}).status().reason(),
            "invalid_locale");
}

TEST(Formatter, CanonicalLocales) {
  EXPECT_EQ(CanonicalLocale("de_ch"), "de-CH");
  EXPECT_EQ(CanonicalLocale("pt-br"), "pt-BR");
  EXPECT_EQ(CanonicalLocale("zh-Hans-CN"), "zh-Hans-CN");
  EXPECT_EQ(CanonicalLocale(""), "");
  EXPECT_EQ(CanonicalLocale("de CH"), "");
}

TEST(Formatter, ApostrophesAndLiteralBraces) {
  EXPECT_EQ(F("l’article d'origine '{'n'}'", json::object(), "fr"), "l’article d'origine {n}");
}

}  // namespace
}  // namespace meridian::templates
