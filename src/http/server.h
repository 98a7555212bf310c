#pragma once
// The HTTP/1.1 + WebSocket server (Boost.Beast). Only src/http/ knows Beast: handlers see plain
// Request/Response values and answer through a Responder that may be called from any thread.
//
// Threading: `threads` I/O threads run one io_context; each connection runs on its own strand.
// Handlers run on an I/O thread and must not block: slow work (a store write) is started
// asynchronously and answered later through the Responder.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics.h"
#include "core/status.h"

namespace meridian::http {

struct Request {
  std::string method;                         // "GET", "POST", ...
  std::string target;                         // raw target with query
  std::string path;                           // decoded path without query
  std::map<std::string, std::string> query;   // decoded query parameters (last one wins)
  std::map<std::string, std::string> params;  // path parameters from the route pattern
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_ip;

  // The first header named `name` (lower case), or empty.
  std::string_view Header(std::string_view name) const;
  // The cookie named `name` from the Cookie header, or empty.
  std::string Cookie(std::string_view name) const;
  std::string Query(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(int status, std::string body);
  // {"error":{"code","message"}} with the HTTP status mapped from the Status code.
  static Response Error(const Status& status);
  static Response Error(int http_status, std::string_view code, std::string_view message);
};

// Maps a Status code onto an HTTP status.
int HttpStatusFor(const Status& status);

// Answers a request exactly once; thread-safe; may be called after the handler returned.
using Responder = std::function<void(Response)>;
using RequestPtr = std::shared_ptr<const Request>;
using Handler = std::function<void(RequestPtr, Responder)>;

// One open WebSocket. Send is thread-safe and queues; frames are written in order.
class WebSocket {
 public:
  virtual ~WebSocket() = default;
  virtual void Send(std::string text) = 0;
  virtual void Close() = 0;
};

// What a WebSocket route does with the connection after the upgrade. Callbacks run on the
// connection's strand, one at a time.
class WebSocketSession {
 public:
  virtual ~WebSocketSession() = default;
  virtual void OnOpen(std::shared_ptr<WebSocket> socket) = 0;
  virtual void OnMessage(std::string text) = 0;
  virtual void OnClose() = 0;
};

// Decides whether to accept an upgrade (e.g. checks the session); an error is answered as a
// normal HTTP error response.
using WebSocketAcceptor =
    std::function<Result<std::shared_ptr<WebSocketSession>>(const Request& request)>;

class Router {
 public:
  // `pattern` is a path with `{name}` segments, e.g. "/api/v1/conversations/{id}/messages".
  // `max_body_bytes` > 0 replaces ServerOptions::max_body_bytes for this route (file uploads);
  // a larger body is answered 413 before it is read.
  void Add(std::string method, std::string pattern, Handler handler, size_t max_body_bytes = 0);
  void AddWebSocket(std::string pattern, WebSocketAcceptor acceptor);
  // Called for GET/HEAD requests no route matches (static files, SPA fallback).
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  struct Match {
    const Handler* handler = nullptr;
    const WebSocketAcceptor* ws = nullptr;
    std::string route;  // the pattern, for metrics
    bool method_mismatch = false;
    metrics::Histogram* latency = nullptr;
    size_t max_body_bytes = 0;  // 0: the server's default
  };
  Match Find(std::string_view method, std::string_view path,
             std::map<std::string, std::string>* params) const;
  const Handler* fallback() const { return fallback_ ? &fallback_ : nullptr; }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    WebSocketAcceptor ws;
    metrics::Histogram* latency = nullptr;
    size_t max_body_bytes = 0;
  };
  std::vector<Route> routes_;
  Handler fallback_;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: pick a free port
  int threads = 2;
  size_t max_body_bytes = 1 << 20;
  int header_timeout_seconds = 10;
  int idle_timeout_seconds = 75;
  int shutdown_grace_seconds = 10;
};

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the I/O threads. Returns the bound port.
  Result<uint16_t> Start();
  // Graceful stop: stops accepting, lets in-flight requests finish (up to the grace period),
  // closes WebSockets, and joins the threads.
  void Stop();
  // Blocks SIGINT/SIGTERM in the calling thread; call before any thread is started so that
  // WaitForShutdownSignal receives them.
  static void BlockShutdownSignals();
  // Blocks until SIGINT or SIGTERM arrives, then returns.
  static void WaitForShutdownSignal();

  int64_t active_connections() const;

  struct Impl;  // private to server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

// Percent-decodes a URL component ('+' as space when `plus_is_space`). nullopt when malformed.
std::optional<std::string> UrlDecode(std::string_view in, bool plus_is_space);

}  // namespace meridian::http
