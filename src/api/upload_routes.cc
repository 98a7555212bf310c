// Files agents send with web chat replies (CH9), and the raw-body upload format both web chat
// directions share: the file is the request body (no multipart), its claimed type the
// Content-Type, its name X-Filename percent-encoded, an optional caption X-Caption
// percent-encoded, the idempotency key X-Client-Message-Id.

#include <fmt/format.h>

#include "api/common.h"

namespace meridian::api {

namespace {

constexpr size_t kMaxHeaderText = 4096;  // decoded X-Filename / X-Caption

Result<std::string> DecodedHeader(const http::Request& request, std::string_view name) {
  std::string_view raw = request.Header(name);
  auto decoded = http::UrlDecode(raw, /*plus_is_space=*/false);
  if (!decoded || decoded->size() > kMaxHeaderText) {
    return Status::InvalidArgument(
        fmt::format("header {} must be percent-encoded UTF-8 of at most {} bytes", name,
                    kMaxHeaderText),
        "invalid_header");
  }
  return std::move(decoded).value();
}

void PostAttachment(ApiContext& ctx, http::RequestPtr req, const service::Principal& p,
                    http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  if (ctx.uploads == nullptr) {
    return respond(http::Response::Error(503, "unavailable", "uploads are not available"));
  }
  auto file = UploadedFileOf(*req);
  if (!file.ok()) return respond(http::Response::Error(file.status()));
  auto caption = CaptionOf(*req);
  if (!caption.ok()) return respond(http::Response::Error(caption.status()));
  auto client_id = ClientMessageIdOf(*req, /*client_id_required=*/false);
  if (!client_id.ok()) return respond(http::Response::Error(client_id.status()));
  bool mask = !SeesSensitivePii(p.agent.role);
  ctx.blocking->Post([&ctx, respond, id = *id, agent = p.agent, mask,
                      file = std::move(file).value(), caption = std::move(caption).value(),
                      client_id = std::move(client_id).value()]() mutable {
    ctx.uploads->ReplyAsync(
        id, agent, std::move(caption), std::move(file), std::move(client_id),
        [respond, mask](Result<store::AppendResult> r) {
          if (!r.ok()) return respond(UploadError(r.status()));
          respond(JsonResponse(r->duplicate ? 200 : 201, ToAgentJson(r->message, "", mask)));
        });
  });
}

}  // namespace

Result<service::UploadedFile> UploadedFileOf(const http::Request& request) {
  service::UploadedFile file;
  MERIDIAN_ASSIGN_OR_RETURN(file.filename, DecodedHeader(request, "x-filename"));
  file.claimed_type = std::string(request.Header("content-type"));
  file.bytes = request.body;
  return file;
}

Result<std::string> CaptionOf(const http::Request& request) {
  return DecodedHeader(request, "x-caption");
}

Result<std::optional<std::string>> ClientMessageIdOf(const http::Request& request,
                                                     bool client_id_required) {
  std::string_view id = request.Header("x-client-message-id");
  if (id.empty() && !client_id_required) return std::optional<std::string>();
  if (id.empty() || id.size() > 64) {
    return Status::Unprocessable("header X-Client-Message-Id is required (at most 64 characters)",
                                 id.empty() ? "missing_field" : "invalid_field");
  }
  return std::optional<std::string>(std::string(id));
}

http::Response UploadError(const Status& status) {
  if (status.reason() == "unsupported_media_type") {
    return http::Response::Error(415, status.reason(), status.message());
  }
  return http::Response::Error(status);
}

json UploadLimitsJson(const channels::Capabilities& capabilities) {
  json types = json::array();
  for (std::string_view t : service::kAcceptedUploadTypes) types.push_back(t);
  return {
      {"max_bytes", capabilities.max_attachment_bytes},
      {"types", types},
      {"captions", capabilities.file_captions},
      {"max_caption_chars",
       capabilities.max_caption_chars > 0 ? json(capabilities.max_caption_chars) : json(nullptr)}};
}

void AddUploadRoutes(ApiContext& ctx, http::Router& router) {
  router.Add("POST", "/api/v1/conversations/{id}/attachments",
             Authed(ctx, Role::kAgent,
                    [&ctx](auto req, const auto& p, auto respond) {
                      PostAttachment(ctx, req, p, respond);
                    }),
             ctx.max_upload_bytes);
}

}  // namespace meridian::api
