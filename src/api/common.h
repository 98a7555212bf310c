#pragma once
// Helpers shared by the route files: authentication, role checks, offloading blocking work.

#include <functional>
#include <string>
#include <type_traits>

#include "api/api.h"
#include "api/codec.h"

namespace meridian::api {

using AuthedFn = std::function<void(http::RequestPtr, const service::Principal&, http::Responder)>;

// The principal behind the request's bearer token or session cookie. Cookie-authenticated
// writes must carry X-CSRF-Token. 401 without valid credentials, 403 below `need`.
Result<service::Principal> Authorize(ApiContext& ctx, const http::Request& request, Role need);

// Wraps `fn` so it runs only for an authorized principal of at least `need`.
http::Handler Authed(ApiContext& ctx, Role need, AuthedFn fn);

// Registers an authorized route answered by a route file's handler function, which takes the
// context first: `fn(ctx, req, principal, respond)`, or `fn(ctx, req, respond)` when it does
// not need the principal.
template <typename Fn>
void AddAuthed(http::Router& router, ApiContext& ctx, std::string method, std::string path,
               Role need, Fn fn) {
  router.Add(
      std::move(method), std::move(path),
      Authed(
          ctx, need,
          [&ctx, fn](http::RequestPtr req, const service::Principal& p, http::Responder respond) {
            if constexpr (std::is_invocable_v<Fn, ApiContext&, http::RequestPtr,
                                              const service::Principal&, http::Responder>) {
              fn(ctx, std::move(req), p, std::move(respond));
            } else {
              fn(ctx, std::move(req), std::move(respond));
            }
          }));
}

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
void AddUploadRoutes(ApiContext& ctx, http::Router& router);
void AddTranslationRoutes(ApiContext& ctx, http::Router& router);

// An attachment's bytes as a browser may receive them: the type sniffed again from the bytes,
// inline only for raster images, PDF and plain text, nosniff and a sandboxing CSP always. 404
// when it was never stored or its blob is missing. Blocking (reads the blob).
http::Response AttachmentResponse(ApiContext& ctx, const Attachment& attachment);

// A raw-body upload's file (POST /api/v1/widget/uploads, /api/v1/conversations/{id}/
// attachments): the body, Content-Type as the claimed type, X-Filename percent-encoded (RFC 3986).
// InvalidArgument("invalid_header") when X-Filename does not decode.
Result<service::UploadedFile> UploadedFileOf(const http::Request& request);
// X-Caption (percent-encoded, optional) and X-Client-Message-Id (1 to 64 characters; required
// when `client_id_required`).
Result<std::string> CaptionOf(const http::Request& request);
Result<std::optional<std::string>> ClientMessageIdOf(const http::Request& request,
                                                     bool client_id_required);
// An upload's error as the HTTP answer: 415 for unsupported_media_type, else as mapped.
http::Response UploadError(const Status& status);
// What a channel takes: {"max_bytes", "types": [allow-list], "captions": bool (a file may carry
// text), "max_caption_chars": int or null}.
json UploadLimitsJson(const channels::Capabilities& capabilities);

// The hub topic of one web chat visitor.
std::string VisitorTopic(Id inbox_id, const std::string& visitor_id);
// The hub topics agents' sockets listen on, by role (PR1): everything in clear, or sensitive
// personal data masked.
inline constexpr const char* kAgentsTopic = "agents";
inline constexpr const char* kMaskedAgentsTopic = "agents:masked";

}  // namespace meridian::api
