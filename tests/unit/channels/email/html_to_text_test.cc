#include <gtest/gtest.h>

#include "channels/email/email.h"

namespace meridian::channels::email {
namespace {

TEST(HtmlToText, DropsScriptsStylesAndTags) {
  EXPECT_EQ(HtmlToText("<script>steal()</script><style>b{}</style><b>Hi</b> <i>there</i>"),
            "Hi there");
  EXPECT_EQ(HtmlToText("<SCRIPT type=x>a<b>c</SCRIPT>ok"), "ok");
}

TEST(HtmlToText, KeepsParagraphsAndLineBreaks) {
  EXPECT_EQ(HtmlToText("<p>One</p><p>Two<br>Three</p>"), "One\n\nTwo\nThree");
  EXPECT_EQ(HtmlToText("a<br><br>b"), "a\n\nb");
}

TEST(HtmlToText, LinksKeepTheirTarget) {
  EXPECT_EQ(HtmlToText("<a href=\"https://x.example/a?b=1&amp;c=2\">here</a>"),
            "here (https://x.example/a?b=1&c=2)");
  // No repetition when the text already shows the target; no javascript: targets.
  EXPECT_EQ(HtmlToText("<a href='https://x.example'>https://x.example</a>"), "https://x.example");
  EXPECT_EQ(HtmlToText("<a href='javascript:alert(1)'>click</a>"), "click");
  EXPECT_EQ(HtmlToText("<a href='mailto:a@b.example'>a@b.example</a>"), "a@b.example");
}

TEST(HtmlToText, DecodesEntities) {
  EXPECT_EQ(HtmlToText("&lt;b&gt; &amp; &quot;x&quot; &#233;&#x4E2D; &euro;&unknown;"),
            "<b> & \"x\" é中 €&unknown;");
  EXPECT_EQ(HtmlToText("&#0;&#x110000;"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(HtmlToText, ListsAndQuotes) {
  EXPECT_EQ(HtmlToText("<ul><li>a</li><li>b</li></ul>"), "- a\n- b");
  EXPECT_EQ(HtmlToText("<p>reply</p><blockquote><p>old</p><p>older</p></blockquote>"),
            "reply\n\n> old\n>\n> older");
}

TEST(HtmlToText, SurvivesBrokenMarkup) {
  EXPECT_EQ(HtmlToText("a < b and c > d"), "a < b and c > d");
  EXPECT_EQ(HtmlToText("<p>unterminated <b"), "unterminated");
  EXPECT_EQ(HtmlToText("<!-- never closed"), "");
  EXPECT_EQ(HtmlToText("<script>never closed"), "");
  EXPECT_EQ(HtmlToText("<pre>  a\n  b</pre>"), "a\n  b");
}

}  // namespace
}  // namespace meridian::channels::email
