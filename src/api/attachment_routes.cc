// Attachments (CH9): served to agents only, from the blob store, with the type sniffed from the
// bytes. Only types a browser renders harmlessly (raster images, PDF, plain text) are inline;
// everything else, HTML and SVG above all, is a download, and nosniff plus a sandboxing CSP
// keep a browser from treating the bytes as anything else (RFC 6266 for the file name).

#include <fmt/format.h>

#include "api/common.h"
#include "core/sniff.h"

namespace meridian::api {

namespace {

// RFC 6266 / RFC 8187: an ASCII fallback name plus the UTF-8 name percent-encoded.
std::string ContentDisposition(bool inline_ok, const std::string& filename,
                               const std::string& fallback_ext) {
  std::string ascii;
  std::string encoded;
  for (unsigned char c : filename) {
    bool plain = std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_';
    // One '_' per character the fallback cannot hold (UTF-8 continuation bytes add none).
    if (plain || c == ' ') {
      ascii += static_cast<char>(c);
    } else if ((c & 0xC0) != 0x80) {
      ascii += '_';
    }
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  if (ascii.empty()) ascii = "attachment." + fallback_ext;
  std::string out = fmt::format("{}; filename=\"{}\"", inline_ok ? "inline" : "attachment", ascii);
  if (!encoded.empty()) out += "; filename*=UTF-8''" + encoded;
  return out;
}

void GetAttachment(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  Offload(ctx, respond, [&ctx, id = *id] {
    auto attachment = ctx.store->GetAttachment(id);
    if (!attachment.ok()) return http::Response::Error(attachment.status());
    return AttachmentResponse(ctx, *attachment);
  });
}

}  // namespace

http::Response AttachmentResponse(ApiContext& ctx, const Attachment& attachment) {
  if (!attachment.stored || ctx.blobs == nullptr) {
    return http::Response::Error(404, "not_stored",
                                 "this attachment was over the size limit and was not stored");
  }
  auto bytes = ctx.blobs->Get(attachment.sha256_hex);
  if (!bytes.ok()) return http::Response::Error(404, "not_found", "the attachment is missing");
  // Sniffed again from the bytes served, so the answer never depends on a stored label.
  SniffedType type = SniffContentType(*bytes);
  bool is_mail = attachment.content_type == "message/rfc822";
  http::Response r;
  r.status = 200;
  r.content_type = is_mail ? "message/rfc822" : type.mime;
  if (r.content_type == "text/plain") r.content_type += "; charset=utf-8";
  r.body = std::move(bytes).value();
  bool inline_ok = type.inline_safe && !is_mail;
  r.headers.emplace_back("Content-Disposition",
                         ContentDisposition(inline_ok, attachment.filename, type.extension));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  r.headers.emplace_back("Cache-Control", "private, max-age=3600");
  return r;
}

void AddAttachmentRoutes(ApiContext& ctx, http::Router& router) {
  AddAuthed(router, ctx, "GET", "/api/v1/attachments/{id}", Role::kAgent, GetAttachment);
}

}  // namespace meridian::api
