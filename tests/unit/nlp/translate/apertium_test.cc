// Apertium is tested for real: the pair packages are in scripts/apt-packages.txt.
#include "nlp/translate/apertium.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

namespace meridian::nlp::translate {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ApertiumEngine& Engine() {
  static std::unique_ptr<ApertiumEngine> engine = [] {
    auto e = ApertiumEngine::Create();
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return std::move(e).value();
  }();
  return *engine;
}

std::string One(std::string_view text, std::string_view from, std::string_view to) {
  auto r = Engine().Translate({std::string(text)}, from, to);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->front() : "";
}

TEST(Apertium, TranslatesEnglishToSpanish) {
  EXPECT_EQ(One("Thank you very much!", "en", "es"), "Muchas gracias!");
  std::string out = One("I have a problem with my order", "en", "es");
  EXPECT_THAT(out, HasSubstr("problema"));
  EXPECT_THAT(out, HasSubstr("Tengo"));
}

TEST(Apertium, TranslatesSpanishToEnglish) {
  std::string out = One("Hola, ¿dónde está mi pedido?", "es", "en");
  EXPECT_THAT(out, HasSubstr("Hello"));
  EXPECT_THAT(out, HasSubstr("where"));
}

TEST(Apertium, SegmentWithoutFinalPunctuationIsFlushed) {
  // A segment that does not end in a blank used to wait forever for more input.
  EXPECT_EQ(One("Hello", "en", "es"), "Hola");
}

TEST(Apertium, PivotsEnglishToPortugueseThroughSpanish) {
  EXPECT_EQ(Engine().Route("en", "pt"), (std::vector<std::string>{"en", "es", "pt"}));
  EXPECT_THAT(One("I want to return these shoes", "en", "pt"), HasSubstr("sapatos"));
  bool reported = false;
  for (const PairInfo& p : Engine().Pairs()) {
    if (p.from == "en" && p.to == "pt") {
      EXPECT_EQ(p.kind, PairKind::kPivot);
      EXPECT_EQ(p.via, "es");
      reported = true;
    }
    if (p.from == "en" && p.to == "es") {
      EXPECT_EQ(p.kind, PairKind::kDirect);
    }
  }
  EXPECT_TRUE(reported);
}

TEST(Apertium, UnavailablePairIsAClearError) {
  auto r = Engine().Translate({"Hello"}, "en", "de");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "unsupported_pair");
  EXPECT_THAT(r.status().message(), HasSubstr("en->de"));
  EXPECT_FALSE(Engine().Supports("en", "de"));
}

TEST(Apertium, KeepsPlaceholdersInOrder) {
  std::string out = One("Your order ⟦0⟧ has shipped ⟦1⟧", "en", "es");
  size_t a = out.find("⟦0⟧");
  size_t b = out.find("⟦1⟧");
  ASSERT_NE(a, std::string::npos) << out;
  ASSERT_NE(b, std::string::npos) << out;
  EXPECT_LT(a, b);
}

TEST(Apertium, StreamReservedCharactersSurvive) {
  std::string out = One("price [42] ^b$ c\\d e/f <g> @h {i}", "en", "es");
  for (const char* s : {"[42]", "^", "$", "\\", "/", "<g>", "@", "{i}"}) {
    EXPECT_THAT(out, HasSubstr(s)) << out;
  }
  EXPECT_EQ(FromApertiumStream(ToApertiumStream("a [b] \\ ⟦3⟧ c")), "a [b] \\ ⟦3⟧ c");
}

TEST(Apertium, KeepsOuterWhitespaceAndEmptySegments) {
  auto r = Engine().Translate({"  Hello  ", ""}, "en", "es");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0], "  Hola  ");
  EXPECT_EQ((*r)[1], "");
}

TEST(Apertium, ConcurrentCallersGetTheirOwnAnswers) {
  std::vector<std::thread> threads;
  std::vector<std::string> out(8);
  for (size_t i = 0; i < out.size(); ++i) {
    threads.emplace_back(
        [&, i] { out[i] = One(i % 2 == 0 ? "Thank you very much!" : "Hello", "en", "es"); });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i], i % 2 == 0 ? "Muchas gracias!" : "Hola");
  }
}

TEST(ApertiumPipeline, RestartsAfterTheProcessDies) {
  // `cat` echoes what it reads at once, like a null-flushing pipeline.
  ApertiumPipeline pipeline("cat", 5000);
  auto a = pipeline.Run("first");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*a, "first");
  pid_t group = pipeline.ProcessGroup();
  ASSERT_GT(group, 0);
  ::kill(-group, SIGKILL);
  auto b = pipeline.Run("second");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(*b, "second");
  EXPECT_NE(pipeline.ProcessGroup(), group);
}

TEST(ApertiumPipeline, HungPipelineTimesOut) {
  ApertiumPipeline pipeline("sleep 10", 200);
  auto r = pipeline.Run("anything");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason(), "engine_timeout");
  EXPECT_EQ(pipeline.ProcessGroup(), -1);  // killed, restarted on the next call
}

TEST(ApertiumEngine, NoModesIsNotFound) {
  ApertiumOptions options;
  options.modes_dir = "/nonexistent";
  auto e = ApertiumEngine::Create(options);
  if (std::getenv("MERIDIAN_APERTIUM_MODES") == nullptr) {
    ASSERT_FALSE(e.ok());
    EXPECT_THAT(e.status().message(), HasSubstr("apertium-eng-spa"));
  }
}

}  // namespace
}  // namespace meridian::nlp::translate
