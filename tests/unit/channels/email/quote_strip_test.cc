#include <gtest/gtest.h>

#include "channels/email/email.h"

namespace meridian::channels::email {
namespace {

TEST(StripQuotedHistory, GmailAttributionWrappedOverTwoLines) {
  EXPECT_EQ(StripQuotedHistory("Yes.\n\nOn Mon, 4 Mar 2024 at 10:02, Jane <j@x.example>\nwrote:\n"
                               "> question?\n"),
            "Yes.");
}

TEST(StripQuotedHistory, OutlookSeparatorAndHeaderBlock) {
  EXPECT_EQ(StripQuotedHistory("Fine.\n-----Original Message-----\nFrom: a\nSent: b\n"), "Fine.");
  EXPECT_EQ(StripQuotedHistory("Fine.\n\nFrom: Support <s@x>\nSent: Monday\nTo: me\n\nold"),
            "Fine.");
  EXPECT_EQ(StripQuotedHistory("Fine.\n\nVon: Support\nGesendet: Montag\n\nalt"), "Fine.");
}

TEST(StripQuotedHistory, SignatureAndMobileFooter) {
  EXPECT_EQ(StripQuotedHistory("Hi\n\nThanks\n-- \nJane\nACME"), "Hi\n\nThanks");
  EXPECT_EQ(StripQuotedHistory("Ok\n\nSent from my iPhone"), "Ok");
}

TEST(StripQuotedHistory, KeepsInlineAnswersAndUnquotedText) {
  // Interleaved answers below a quote are the customer's words: keep them.
  EXPECT_EQ(StripQuotedHistory("> Which model?\nThe X200.\n"), "> Which model?\nThe X200.");
  EXPECT_EQ(StripQuotedHistory("No quotes here.\nOn time, as always."),
            "No quotes here.\nOn time, as always.");
}

TEST(StripQuotedHistory, OnlyQuotesKeepsEverything) {
  EXPECT_EQ(StripQuotedHistory("> a\n> b\n"), "> a\n> b");
}

TEST(StripQuotedHistory, Localized) {
  EXPECT_EQ(StripQuotedHistory("Ja.\nAm 04.03.2024 um 11:02 schrieb X <x@y>:\n> a"), "Ja.");
  EXPECT_EQ(StripQuotedHistory("Oui.\nLe 4 mars 2024, X <x@y> a écrit :\n> a"), "Oui.");
  EXPECT_EQ(StripQuotedHistory("好的。\n在 2024年3月4日 11:02，X <x@y> 写道：\n> a"), "好的。");
}

}  // namespace
}  // namespace meridian::channels::email
