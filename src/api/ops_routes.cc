// Operations and static content: health, readiness, metrics, the OpenAPI document, the built
// web front end (workspace SPA and widget.js), and the demo shop page.

#include <fmt/format.h>

#include "api/common.h"
#include "api/openapi.h"
#include "core/resources.h"

namespace meridian::api {

namespace {

std::string ContentType(const std::string& path) {
  auto ends = [&](const char* ext) {
    size_t n = std::strlen(ext);
    return path.size() >= n && path.compare(path.size() - n, n, ext) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  return "application/octet-stream";
}

bool IsLoopback(const std::string& ip) {
  return ip == "127.0.0.1" || ip == "::1" || ip.rfind("127.", 0) == 0 || ip == "::ffff:127.0.0.1";
}

http::Response StaticFile(const std::filesystem::path& root, std::string path) {
  // Only plain relative paths under the web root; no dot segments, no hidden files.
  if (path.empty() || path == "/") path = "/index.html";
  if (path.find("..") != std::string::npos || path.find("/.") != std::string::npos ||
      path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) {
    return http::Response::Error(404, "not_found", "no such file");
  }
  auto full = root / path.substr(1);
  std::error_code ec;
  bool spa = false;
  if (!std::filesystem::is_regular_file(full, ec)) {
    // Client-side routes of the workspace fall back to index.html; asset misses are 404s.
    if (path.rfind("/assets/", 0) == 0 || path.rfind("/api/", 0) == 0) {
      return http::Response::Error(404, "not_found", "no such file");
    }
    full = root / "index.html";
    spa = true;
  }
  auto content = ReadFile(full);
  if (!content) {
    return http::Response::Error(404, "not_found",
                                 "the web front end is not built (run the build with npm)");
  }
  http::Response r;
  r.body = std::move(*content);
  r.content_type = ContentType(full.string());
  bool immutable = !spa && path.rfind("/assets/", 0) == 0;
  r.headers.emplace_back("Cache-Control",
                         immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (r.content_type.rfind("text/html", 0) == 0) {
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Referrer-Policy", "same-origin");
  }
  return r;
}

constexpr const char* kDemoShop = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Aurora Outdoor — demo shop</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d2433; background: #f6f7f9; }
  header { background: #1f3a5f; color: #fff; padding: 16px 24px; font-size: 20px; }
  main { max-width: 880px; margin: 24px auto; padding: 0 16px; display: grid;
         grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 16px; }
  .card { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px #0002; }
  .price { font-weight: 600; color: #1f3a5f; }
</style>
</head>
<body>
<header>Aurora Outdoor</header>
<main>
  <div class="card"><h3>Trail Jacket</h3><p>Waterproof, 3 layers.</p><p class="price">€129.00</p></div>
  <div class="card"><h3>Summit Backpack 30L</h3><p>With rain cover.</p><p class="price">€89.00</p></div>
  <div class="card"><h3>Merino Socks</h3><p>Pack of three.</p><p class="price">€24.00</p></div>
</main>
<script src="/widget.js" data-inbox="{INBOX}" async></script>
</body>
</html>
)html";

}  // namespace

void AddOpsRoutes(ApiContext& ctx, http::Router& router) {
  router.Add("GET", "/healthz", [](http::RequestPtr, http::Responder respond) {
    respond(JsonResponse(200, {{"status", "ok"}}));
  });
  router.Add("GET", "/readyz", [&ctx](http::RequestPtr, http::Responder respond) {
    bool ready = ctx.ready && ctx.ready->load();
    if (!ready) {
      return respond(http::Response::Error(503, "not_ready", "starting or shutting down"));
    }
    // A store whose disk failed stops taking writes until a restart: not ready for traffic.
    if (Status health = ctx.store->WriteHealth(); !health.ok()) {
      return respond(http::Response::Error(503, health.reason(), health.message()));
    }
    respond(JsonResponse(200, {{"status", "ready"}}));
  });
  router.Add("GET", "/metrics", [&ctx](http::RequestPtr req, http::Responder respond) {
    // Scrapers on this machine read freely; from elsewhere an admin token is needed.
    if (!IsLoopback(req->remote_ip)) {
      auto p = Authorize(ctx, *req, Role::kAdmin);
      if (!p.ok()) return respond(http::Response::Error(p.status()));
    }
    static metrics::Gauge* depth = metrics::Registry::Global().GetGauge(
        "meridian_outbox_depth", "Outbound messages waiting for delivery");
    if (auto d = ctx.store->OutboxDepth(); d.ok()) depth->Set(*d);
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics::Registry::Global().RenderPrometheus();
    respond(std::move(r));
  });
  router.Add("GET", "/api/v1/openapi.json", [](http::RequestPtr, http::Responder respond) {
    respond(http::Response::Json(200, std::string(OpenApiDocument())));
  });
  router.Add("GET", "/demo/shop", [&ctx](http::RequestPtr, http::Responder respond) {
    auto inboxes = ctx.store->ListInboxes();
    if (!inboxes.ok()) return respond(http::Response::Error(inboxes.status()));
    for (const auto& inbox : *inboxes) {
      if (inbox.channel != "webchat") continue;
      std::string page = kDemoShop;
      page.replace(page.find("{INBOX}"), 7, std::to_string(inbox.id));
      http::Response r;
      r.content_type = "text/html; charset=utf-8";
      r.body = std::move(page);
      return respond(std::move(r));
    }
    respond(http::Response::Error(404, "not_found", "no web chat inbox; run with --demo"));
  });
  router.SetFallback([&ctx](http::RequestPtr req, http::Responder respond) {
    respond(StaticFile(ctx.web_root, req->path));
  });
}

}  // namespace meridian::api
