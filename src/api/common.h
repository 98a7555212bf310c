#pragma once
// Helpers shared by the route files: authentication, role checks, offloading blocking work.

#include <functional>

#include "api/api.h"
#include "api/codec.h"

namespace meridian::api {

using AuthedFn = std::function<void(http::RequestPtr, const service::Principal&, http::Responder)>;

// The principal behind the request's bearer token or session cookie. Cookie-authenticated
// writes must carry X-CSRF-Token. 401 without valid credentials, 403 below `need`.
Result<service::Principal> Authorize(ApiContext& ctx, const http::Request& request, Role need);

// Wraps `fn` so it runs only for an authorized principal of at least `need`.
http::Handler Authed(ApiContext& ctx, Role need, AuthedFn fn);

// The `limit` query parameter: `fallback` when absent or not a positive integer, at most `max`.
int ParseLimit(const http::Request& request, int fallback, int max);

// Runs `fn` on the blocking pool and answers with its response.
void Offload(ApiContext& ctx, http::Responder respond, std::function<http::Response()> fn);

// Sends the Status as an error response, or `ok` when the result is fine.
template <typename T, typename F>
http::Response Respond(const Result<T>& result, F&& ok) {
  if (!result.ok()) return http::Response::Error(result.status());
  return ok(*result);
}

void AddAgentRoutes(ApiContext& ctx, http::Router& router);
void AddChannelRoutes(ApiContext& ctx, http::Router& router);
void AddWidgetRoutes(ApiContext& ctx, http::Router& router);
void AddOpsRoutes(ApiContext& ctx, http::Router& router);
void AddMessagingRoutes(ApiContext& ctx, http::Router& router);

// An approved message template: {"name", "languages", "parameter_count", "body"}.
json TemplateJson(const MessageTemplate& t);
// A conversation's messaging window for agents: {"state", "closes_at", "expires_at",
// "allowed_templates"}.
json WindowJson(const service::WindowCheck& w);
void AddContactRoutes(ApiContext& ctx, http::Router& router);
void AddRealtimeRoutes(ApiContext& ctx, http::Router& router);
void AddTemplateRoutes(ApiContext& ctx, http::Router& router);
void AddAttachmentRoutes(ApiContext& ctx, http::Router& router);
void AddTranslationRoutes(ApiContext& ctx, http::Router& router);

// The hub topic of one web chat visitor.
std::string VisitorTopic(Id inbox_id, const std::string& visitor_id);
// The hub topics agents' sockets listen on, by role (PR1): everything in clear, or sensitive
// personal data masked.
inline constexpr const char* kAgentsTopic = "agents";
inline constexpr const char* kMaskedAgentsTopic = "agents:masked";

}  // namespace meridian::api
