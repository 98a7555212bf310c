#include "api/common.h"

#include <algorithm>
#include <charconv>

#include "core/crypto.h"

namespace meridian::api {

Result<service::Principal> Authorize(ApiContext& ctx, const http::Request& request, Role need) {
  std::string token;
  bool from_cookie = false;
  std::string_view header = request.Header("authorization");
  if (header.size() > 7 && (header.substr(0, 7) == "Bearer " || header.substr(0, 7) == "bearer ")) {
    token = std::string(header.substr(7));
  } else if (!header.empty()) {
    return Status::Unauthenticated("Authorization header must be 'Bearer <token>'");
  } else {
    token = request.Cookie("meridian_session");
    from_cookie = true;
  }
  if (token.empty()) return Status::Unauthenticated("authentication required");
  MERIDIAN_ASSIGN_OR_RETURN(service::Principal principal, ctx.auth->Authenticate(token));
  bool writes = request.method != "GET" && request.method != "HEAD";
  if (from_cookie && writes) {
    std::string_view csrf = request.Header("x-csrf-token");
    if (csrf.empty() || !crypto::ConstantTimeEquals(csrf, principal.session.csrf_token)) {
      return Status::PermissionDenied("missing or wrong X-CSRF-Token header", "csrf_failed");
    }
  }
  if (!RoleAtLeast(principal.agent.role, need)) {
    return Status::PermissionDenied("this action needs the " + std::string(RoleName(need)) +
                                    " role");
  }
  return principal;
}

http::Handler Authed(ApiContext& ctx, Role need, AuthedFn fn) {
  return [&ctx, need, fn = std::move(fn)](http::RequestPtr req, http::Responder respond) {
    auto principal = Authorize(ctx, *req, need);
    if (!principal.ok()) return respond(http::Response::Error(principal.status()));
    fn(std::move(req), *principal, std::move(respond));
  };
}

int ParseLimit(const http::Request& r, int fallback, int max) {
  std::string s = r.Query("limit");
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v <= 0) return fallback;
  return std::min(v, max);
}

void Offload(ApiContext& ctx, http::Responder respond, std::function<http::Response()> fn) {
  ctx.blocking->Post([respond = std::move(respond), fn = std::move(fn)] { respond(fn()); });
}

std::shared_ptr<http::Router> BuildRouter(ApiContext& ctx) {
  auto router = std::make_shared<http::Router>();
  AddAgentRoutes(ctx, *router);
  AddChannelRoutes(ctx, *router);
  AddWidgetRoutes(ctx, *router);
  AddRealtimeRoutes(ctx, *router);
  AddTemplateRoutes(ctx, *router);
  AddTranslationRoutes(ctx, *router);
  AddOpsRoutes(ctx, *router);
  AddMessagingRoutes(ctx, *router);
  AddAttachmentRoutes(ctx, *router);
  AddUploadRoutes(ctx, *router);
  AddContactRoutes(ctx, *router);
  return router;
}

}  // namespace meridian::api
