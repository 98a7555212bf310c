// DecideLanguage: one message's detection combined with what we already know about the
// conversation. Pure function, so the detections are written out here.

#include <gtest/gtest.h>

#include "nlp/langid/langid.h"

namespace meridian::nlp {
namespace {

LanguageDetection Detected(std::string lang, double confidence, size_t letters,
                           std::vector<LanguageGuess> others = {}) {
  LanguageDetection d;
  d.lang = lang;
  d.confidence = confidence;
  d.letters = letters;
  d.candidates.push_back({lang, confidence});
  for (auto& g : others) d.candidates.push_back(g);
  return d;
}

LanguagePriors GermanConversation() {
  LanguagePriors p;
  p.conversation_language = "de";
  p.history = {{"de", 0.95}, {"de", 0.9}, {"de", 0.97}};
  return p;
}

TEST(DecideLanguageTest, OneWordDoesNotFlipAnEstablishedConversation) {
  // "ok" is und; "Danke" is clearly German anyway; "super" looks French/English.
  EXPECT_EQ(DecideLanguage(LanguageDetection{}, GermanConversation()).lang, "de");
  EXPECT_EQ(DecideLanguage(Detected("de", 0.97, 5), GermanConversation()).lang, "de");
  ConversationLanguage d =
      DecideLanguage(Detected("fr", 0.6, 5, {{"en", 0.2}, {"de", 0.1}}), GermanConversation());
  EXPECT_EQ(d.lang, "de");
  EXPECT_FALSE(d.changed);
  // Even a confident single English word ("thanks") keeps it German.
  EXPECT_EQ(DecideLanguage(Detected("en", 0.95, 6), GermanConversation()).lang, "de");
}

TEST(DecideLanguageTest, AClearSentenceInAnotherLanguageSwitches) {
  // "Sorry, I don't speak German, can you please answer in English?"
  ConversationLanguage d =
      DecideLanguage(Detected("en", 0.99, 48, {{"nl", 0.005}}), GermanConversation());
  EXPECT_EQ(d.lang, "en");
  EXPECT_TRUE(d.changed);
  EXPECT_GT(d.confidence, 0.5);
}

TEST(DecideLanguageTest, AgentOverrideIsNeverFlipped) {
  LanguagePriors p = GermanConversation();
  p.conversation_language = "fr";
  p.conversation_language_set_by_agent = true;
  ConversationLanguage d = DecideLanguage(Detected("en", 0.99, 80), p);
  EXPECT_EQ(d.lang, "fr");
  EXPECT_FALSE(d.changed);
}

TEST(DecideLanguageTest, WithoutPriorsTheTextDecides) {
  EXPECT_EQ(DecideLanguage(Detected("pt", 0.8, 7), LanguagePriors{}).lang, "pt");
  EXPECT_EQ(DecideLanguage(LanguageDetection{}, LanguagePriors{}).lang, "und");
}

TEST(DecideLanguageTest, PriorsDecideWhenTheTextIsUndetermined) {
  LanguagePriors p;
  p.accept_language = "es-MX,es;q=0.9,en-US;q=0.8,en;q=0.7";
  EXPECT_EQ(DecideLanguage(LanguageDetection{}, p).lang, "es");
  LanguagePriors phone;
  phone.phone_number = "+55 11 91234-5678";
  EXPECT_EQ(DecideLanguage(LanguageDetection{}, phone).lang, "pt");
  LanguagePriors contact;
  contact.contact_language = "pl-PL";
  contact.channel_locale = "en";
  EXPECT_EQ(DecideLanguage(LanguageDetection{}, contact).lang, "pl");
}

TEST(DecideLanguageTest, ShortAmbiguousTextLeansOnPriors) {
  // "pesanan" is Indonesian or Malay; the Malaysian phone number and locale decide.
  LanguagePriors p;
  p.phone_number = "+60123456789";
  p.channel_locale = "ms-MY";
  EXPECT_EQ(DecideLanguage(Detected("id", 0.55, 7, {{"ms", 0.45}}), p).lang, "ms");
}

TEST(LanguageTagTest, SupportedLanguageOf) {
  EXPECT_EQ(SupportedLanguageOf("pt-BR"), "pt");
  EXPECT_EQ(SupportedLanguageOf("zh_Hant_TW"), "zh");
  EXPECT_EQ(SupportedLanguageOf("EN"), "en");
  EXPECT_EQ(SupportedLanguageOf(" de"), "de");
  EXPECT_EQ(SupportedLanguageOf("zlm"), "ms");
  EXPECT_EQ(SupportedLanguageOf("xx-YY"), "");
  EXPECT_EQ(SupportedLanguageOf(""), "");
}

TEST(LanguageTagTest, PhoneAndRegion) {
  EXPECT_EQ(LanguageOfPhoneNumber("+49 151 1234567"), "de");
  EXPECT_EQ(LanguageOfPhoneNumber("0033612345678"), "fr");
  EXPECT_EQ(LanguageOfPhoneNumber("+886912345678"), "zh");
  EXPECT_EQ(LanguageOfPhoneNumber("+999"), "");
  EXPECT_EQ(LanguageOfPhoneNumber("not a number"), "");
  EXPECT_EQ(LanguageOfRegion("br"), "pt");
  EXPECT_EQ(LanguageOfRegion("MY"), "ms");
  EXPECT_EQ(LanguageOfRegion("ZZ"), "");
}

TEST(LanguageTagTest, MalformedAcceptLanguageIsIgnored) {
  LanguagePriors p;
  p.accept_language = ";;,q=abc,,de;q=2,fr;q=0.5";
  EXPECT_EQ(DecideLanguage(LanguageDetection{}, p).lang, "fr");
}

}  // namespace
}  // namespace meridian::nlp
