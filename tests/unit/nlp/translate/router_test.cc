#include "nlp/translate/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlp/translate/apertium.h"

namespace meridian::nlp::translate {
namespace {

using ::testing::HasSubstr;

// Uppercases, counts calls, and records what it was sent.
class FakeEngine : public TranslationEngine {
 public:
  std::string_view Name() const override { return "fake"; }
  Result<std::vector<std::string>> Translate(const std::vector<std::string>& segments,
                                             std::string_view, std::string_view) override {
    ++calls;
    std::vector<std::string> out;
    for (const std::string& s : segments) {
      seen.push_back(s);
      std::string u = s;
      for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back(u);
    }
    return out;
  }
  std::vector<PairInfo> Pairs() override { return {{"en", "xx", "fake", PairKind::kDirect, ""}}; }
  int calls = 0;
  std::vector<std::string> seen;
};

// Adds a FakeEngine to `router` and returns it (owned by the router).
FakeEngine* AddFake(Router& router) {
  auto fake = std::make_unique<FakeEngine>();
  FakeEngine* f = fake.get();
  router.AddEngine(std::move(fake));
  return f;
}

TEST(Router, CachesPerEngineAndText) {
  Router router(2);
  FakeEngine* f = AddFake(router);
  auto a = router.Translate("hello", "en", "xx");
  auto b = router.Translate("hello", "en", "xx");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b->text, "HELLO");
  EXPECT_FALSE(a->cached);
  EXPECT_TRUE(b->cached);
  EXPECT_EQ(f->calls, 1);
  // LRU: two more texts evict "hello".
  ASSERT_TRUE(router.Translate("one", "en", "xx").ok());
  ASSERT_TRUE(router.Translate("two", "en", "xx").ok());
  EXPECT_EQ(router.cache().size(), 2u);
  ASSERT_TRUE(router.Translate("hello", "en", "xx").ok());
  EXPECT_EQ(f->calls, 4);
}

TEST(Router, MemoryExactMatchSkipsTheEngineAndFuzzyIsOffered) {
  Router router;
  FakeEngine* f = AddFake(router);
  TranslationMemory tm;
  ASSERT_TRUE(tm.Add({"en", "xx", "Where is my order?", "approved answer", true}).ok());
  router.SetMemory(&tm);
  auto t = router.Translate("Where is my order?", "en", "xx");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->text, "approved answer");
  EXPECT_EQ(t->engine, "memory");
  EXPECT_EQ(f->calls, 0);

  RouteOptions opts;
  opts.fuzzy_suggestions = 3;
  auto fuzzy = router.Translate("Where is my orders?", "en", "xx", opts);
  ASSERT_TRUE(fuzzy.ok());
  EXPECT_EQ(fuzzy->engine, "fake");
  ASSERT_EQ(fuzzy->suggestions.size(), 1u);
  EXPECT_GE(fuzzy->suggestions[0].score, 0.75);
  EXPECT_EQ(fuzzy->suggestions[0].segment.target, "approved answer");
}

TEST(Router, TranslatesLineByLineAndProtectsSpans) {
  Router router;
  FakeEngine* f = AddFake(router);
  Glossary g;
  g.AddDoNotTranslate("Meridian");
  router.SetGlossary("acme", g);
  RouteOptions opts;
  opts.account = "acme";
  auto t = router.Translate("see https://a.example/x\n\nMeridian rocks 🎉", "en", "xx", opts);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->text, "SEE https://a.example/x\n\nMeridian ROCKS 🎉");
  for (const std::string& s : f->seen) EXPECT_EQ(s.find('\n'), std::string::npos);
}

TEST(Router, UnsupportedPairAndUnknownEngine) {
  Router router;
  router.AddEngine(std::make_unique<FakeEngine>());
  auto t = router.Translate("hi", "en", "de");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().reason(), "unsupported_pair");
  RouteOptions opts;
  opts.engine = "nope";
  EXPECT_EQ(router.Translate("hi", "en", "xx", opts).status().reason(), "unknown_engine");
  auto same = router.Translate("hi", "en", "en");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->text, "hi");
}

TEST(Router, RealApertiumKeepsEveryProtectedSpan) {
  Router router;
  auto apertium = ApertiumEngine::Create();
  ASSERT_TRUE(apertium.ok()) << apertium.status().ToString();
  router.AddEngine(std::move(apertium).value());
  Glossary g;
  g.AddDoNotTranslate("SwiftPay");
  g.AddForced({"en", "es", "gift card", "tarjeta regalo", "tarjetas regalo"});
  router.SetGlossary("acme", g);
  RouteOptions opts;
  opts.account = "acme";
  std::string in =
      "Your order #12345 was paid with SwiftPay and two gift cards.\n"
      "We sent the receipt to jane.doe@example.com, total $45.99 🎉\n"
      "Track it at https://track.example.com/p?id=1Z999AA10123456784 please";
  auto t = router.Translate(in, "en", "es", opts);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->engine, "apertium");
  for (const char* kept : {"#12345", "SwiftPay", "tarjetas regalo", "jane.doe@example.com",
                           "$45.99", "🎉", "https://track.example.com/p?id=1Z999AA10123456784"}) {
    EXPECT_THAT(t->text, HasSubstr(kept)) << t->text;
  }
  EXPECT_EQ(std::count(t->text.begin(), t->text.end(), '\n'), 2);
  EXPECT_THAT(t->text, HasSubstr("Enviamos el recibo"));  // and it is Spanish
  EXPECT_EQ(t->text.find("⟦"), std::string::npos);

  auto pivot = router.Translate("Thank you", "en", "pt");
  ASSERT_TRUE(pivot.ok());
  EXPECT_EQ(pivot->via, "es");

  std::vector<PairInfo> pairs = router.AllPairs({"en", "es", "pt", "de"});
  auto kind = [&](const char* a, const char* b) {
    for (const PairInfo& p : pairs) {
      if (p.from == a && p.to == b) return p.kind;
    }
    return PairKind::kUnavailable;
  };
  EXPECT_EQ(kind("en", "es"), PairKind::kDirect);
  EXPECT_EQ(kind("en", "pt"), PairKind::kPivot);
  EXPECT_EQ(kind("en", "de"), PairKind::kUnavailable);
  EXPECT_EQ(pairs.size(), 12u);
}

}  // namespace
}  // namespace meridian::nlp::translate
