#include <fmt/format.h>

#include "http/server.h"

namespace meridian::http {

namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

std::string Request::Cookie(std::string_view name) const {
  std::string_view all = Header("cookie");
  while (!all.empty()) {
    size_t semi = all.find(';');
    std::string_view part = all.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return {};
}

std::string Request::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

Response Response::Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

namespace {
std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}
}  // namespace

Response Response::Error(int http_status, std::string_view code, std::string_view message) {
  return Json(http_status, fmt::format(R"({{"error":{{"code":"{}","message":"{}"}}}})",
                                       JsonEscape(code), JsonEscape(message)));
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnprocessable:
      return 422;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kRateLimited:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Response Response::Error(const Status& status) {
  // Internal details are not for clients; the caller logs them.
  if (status.code() == StatusCode::kInternal) {
    return Error(500, "internal", "internal error");
  }
  return Error(HttpStatusFor(status), status.reason(), status.message());
}

void Router::Add(std::string method, std::string pattern, Handler handler, size_t max_body_bytes) {
  Route r;
  r.method = std::move(method);
  r.max_body_bytes = max_body_bytes;
  r.segments = SplitPath(pattern);
  r.latency = metrics::Registry::Global().GetHistogram(
      "meridian_http_request_duration_seconds", "HTTP request latency by route",
      metrics::LatencyBuckets(), fmt::format(R"(method="{}",route="{}")", r.method, pattern));
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

void Router::AddWebSocket(std::string pattern, WebSocketAcceptor acceptor) {
  Route r;
  r.method = "GET";
  r.segments = SplitPath(pattern);
  r.pattern = std::move(pattern);
  r.ws = std::move(acceptor);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(std::string_view method, std::string_view path,
                           std::map<std::string, std::string>* params) const {
  Match match;
  std::vector<std::string> segments = SplitPath(path);
  for (const Route& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      const std::string& want = r.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        found[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        ok = want == segments[i];
      }
    }
    if (!ok) continue;
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) {
      match.method_mismatch = true;
      continue;
    }
    *params = std::move(found);
    match.route = r.pattern;
    match.latency = r.latency;
    match.max_body_bytes = r.max_body_bytes;
    if (r.ws) {
      match.ws = &r.ws;
    } else {
      match.handler = &r.handler;
    }
    match.method_mismatch = false;
    return match;
  }
  return match;
}

std::optional<std::string> UrlDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace meridian::http
