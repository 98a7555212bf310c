#include <gtest/gtest.h>

#include "http/server.h"

namespace meridian::http {
namespace {

TEST(RouterTest, MatchesPatternsAndExtractsParams) {
  Router router;
  int hit = 0;
  router.Add("GET", "/api/v1/conversations/{id}/messages", [&](RequestPtr, Responder) { hit = 1; });
  router.Add("POST", "/api/v1/conversations/{id}/messages",
             [&](RequestPtr, Responder) { hit = 2; });
  std::map<std::string, std::string> params;
  auto m = router.Find("POST", "/api/v1/conversations/42/messages", &params);
  ASSERT_NE(m.handler, nullptr);
  (*m.handler)(nullptr, nullptr);
  EXPECT_EQ(hit, 2);
  EXPECT_EQ(params.at("id"), "42");
  EXPECT_EQ(m.route, "/api/v1/conversations/{id}/messages");
}

TEST(RouterTest, WrongMethodIsReportedAsMismatchNotFound) {
  Router router;
  router.Add("GET", "/healthz", [](RequestPtr, Responder) {});
  std::map<std::string, std::string> params;
  auto m = router.Find("DELETE", "/healthz", &params);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.method_mismatch);
  auto none = router.Find("GET", "/nothing", &params);
  EXPECT_FALSE(none.method_mismatch);
  auto head = router.Find("HEAD", "/healthz", &params);
  EXPECT_NE(head.handler, nullptr);
}

TEST(RouterTest, ErrorsRenderAsJsonWithMappedStatus) {
  Response r = Response::Error(Status::Unprocessable("field 'text' is required", "missing_field"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body, R"({"error":{"code":"missing_field","message":"field 'text' is required"}})");
  Response internal = Response::Error(Status::Internal("disk on fire at /var/x"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("disk"), std::string::npos) << "internal details stay inside";
  EXPECT_EQ(HttpStatusFor(Status::TooLarge("x")), 413);
  Response quoted = Response::Error(400, "bad", "a \"quote\"\n");
  EXPECT_EQ(quoted.body, R"({"error":{"code":"bad","message":"a \"quote\"\n"}})");
}

TEST(RouterTest, AnUploadRouteCarriesItsOwnBodyLimit) {
  Router router;
  router.Add(
      "POST", "/api/v1/widget/uploads", [](RequestPtr, Responder) {}, 10 << 20);
  router.Add("POST", "/api/v1/widget/{inbox_id}/session", [](RequestPtr, Responder) {});
  std::map<std::string, std::string> params;
  EXPECT_EQ(router.Find("POST", "/api/v1/widget/uploads", &params).max_body_bytes, 10u << 20);
  // Other routes keep the server's default; an unknown one has no say.
  EXPECT_EQ(router.Find("POST", "/api/v1/widget/3/session", &params).max_body_bytes, 0u);
  EXPECT_EQ(router.Find("POST", "/nowhere", &params).max_body_bytes, 0u);
}

TEST(UrlDecodeTest, DecodesAndRejectsMalformedEscapes) {
  EXPECT_EQ(UrlDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(UrlDecode("a+b", false), "a+b");
  EXPECT_EQ(UrlDecode("%E6%88%91", false), "我");
  EXPECT_FALSE(UrlDecode("%", false).has_value());
  EXPECT_FALSE(UrlDecode("%4", false).has_value());
  EXPECT_FALSE(UrlDecode("%ZZ", false).has_value());
}

TEST(RequestTest, CookiesAndHeadersAreCaseAware) {
  Request r;
  r.headers = {{"cookie", "a=1; meridian_session=tok; meridian_csrf=c"}, {"x-csrf-token", "c"}};
  EXPECT_EQ(r.Cookie("meridian_session"), "tok");
  EXPECT_EQ(r.Cookie("missing"), "");
  EXPECT_EQ(r.Header("X-CSRF-Token"), "c");
}

}  // namespace
}  // namespace meridian::http
