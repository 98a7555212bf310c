// Boost.Beast HTTP/1.1 and WebSocket sessions. See server.h for the contract.

#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <csignal>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "core/thread_name.h"

namespace meridian::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr size_t kMaxWebSocketFrame = 64 * 1024;
constexpr size_t kMaxQueuedFrames = 4096;

struct ServerMetrics {
  metrics::Counter* responses_2xx;
  metrics::Counter* responses_4xx;
  metrics::Counter* responses_5xx;
  metrics::Gauge* connections;
  metrics::Gauge* websockets;
  metrics::Gauge* in_flight;

  static ServerMetrics& Get() {
    static ServerMetrics m = [] {
      auto& r = metrics::Registry::Global();
      const char* name = "meridian_http_responses_total";
      const char* help = "HTTP responses by status class";
      return ServerMetrics{r.GetCounter(name, help, R"(class="2xx")"),
                           r.GetCounter(name, help, R"(class="4xx")"),
                           r.GetCounter(name, help, R"(class="5xx")"),
                           r.GetGauge("meridian_http_connections", "Open HTTP connections"),
                           r.GetGauge("meridian_websocket_connections", "Open WebSockets"),
                           r.GetGauge("meridian_http_requests_in_flight",
                                      "Requests handed to a handler and not answered yet")};
    }();
    return m;
  }
};

}  // namespace

class Closable {
 public:
  virtual ~Closable() = default;
  virtual void ShutdownIfIdle() = 0;
};

struct Server::Impl {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  // Keeps run() going while a response is computed off the I/O threads and no socket operation
  // is pending (e.g. during shutdown, after the acceptor closed).
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> connections{0};
  std::mutex sessions_mu;
  std::set<std::weak_ptr<Closable>, std::owner_less<std::weak_ptr<Closable>>> sessions;

  void Track(const std::shared_ptr<Closable>& s) {
    std::lock_guard lock(sessions_mu);
    sessions.insert(s);
  }
  void Untrack(const std::weak_ptr<Closable>& s) {
    std::lock_guard lock(sessions_mu);
    sessions.erase(s);
  }
  // Set while accepting is paused because the process ran out of file descriptors.
  net::steady_timer accept_pause{ioc};
  std::chrono::steady_clock::time_point last_fd_warning{};

  void DoAccept();
};

namespace {

// ---- WebSocket session -------------------------------------------------------------------

class WsSession final : public WebSocket,
                        public Closable,
                        public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(tcp::socket socket, std::shared_ptr<WebSocketSession> handler, Server::Impl* server)
      : ws_(std::move(socket)), handler_(std::move(handler)), server_(server) {
    ServerMetrics::Get().websockets->Add(1);
  }
  ~WsSession() override { ServerMetrics::Get().websockets->Add(-1); }

  void Run(bhttp::request<bhttp::string_body> req) {
    server_->Track(shared_from_this());
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(kMaxWebSocketFrame);
    ws_.text(true);
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Closed();
      self->handler_->OnOpen(self);
      self->DoRead();
    });
  }

  void Send(std::string text) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      if (self->closed_) return;
      if (self->queue_.size() >= kMaxQueuedFrames) {
        // A client that does not read is dropped rather than buffered without bound.
        self->CloseNow();
        return;
      }
      self->queue_.push_back(std::move(text));
      if (self->queue_.size() == 1) self->DoWrite();
    });
  }

  void Close() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
  }

  void ShutdownIfIdle() override { Close(); }

 private:
  void CloseNow() {
    if (closed_ || closing_) return;
    closing_ = true;
    ws_.async_close(websocket::close_code::going_away,
                    [self = shared_from_this()](beast::error_code) { self->Closed(); });
  }

  void DoRead() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Closed();
      std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      self->handler_->OnMessage(std::move(text));
      self->DoRead();
    });
  }

  void DoWrite() {
    ws_.async_write(net::buffer(queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      if (ec) return self->Closed();
                      self->queue_.pop_front();
                      if (!self->queue_.empty()) self->DoWrite();
                    });
  }

  void Closed() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    handler_->OnClose();
    server_->Untrack(weak_from_this());
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::shared_ptr<WebSocketSession> handler_;
  Server::Impl* server_;
  bool closed_ = false;
  bool closing_ = false;
};

// ---- HTTP session -------------------------------------------------------------------------

Request ToRequest(const bhttp::request<bhttp::string_body>& req, const std::string& remote) {
  Request out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  std::string_view target(req.target().data(), req.target().size());
  size_t q = target.find('?');
  out.path = UrlDecode(target.substr(0, q), false).value_or(std::string(target.substr(0, q)));
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      size_t eq = pair.find('=');
      auto key = UrlDecode(pair.substr(0, eq), true);
      // A value that does not decode is kept raw, so its handler rejects it visibly.
      std::string value =
          eq == std::string_view::npos
              ? std::string()
              : UrlDecode(pair.substr(eq + 1), true).value_or(std::string(pair.substr(eq + 1)));
      if (key && !key->empty()) out.query[*key] = std::move(value);
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = req.body();
  out.remote_ip = remote;
  return out;
}

// How long the body of a request to a route with its own (larger) body limit may take.
constexpr int kUploadBodySeconds = 300;

class HttpSession final : public Closable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, Server::Impl* server)
      : stream_(std::move(socket)), server_(server) {
    server_->connections.fetch_add(1);
    ServerMetrics::Get().connections->Add(1);
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }
  ~HttpSession() override {
    server_->connections.fetch_sub(1);
    ServerMetrics::Get().connections->Add(-1);
  }

  void Start() {
    server_->Track(shared_from_this());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->DoRead(); });
  }

  void ShutdownIfIdle() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void DoRead() {
    if (server_->stopping) return Finish();
    parser_.emplace();
    parser_->body_limit(server_->options.max_body_bytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(first_ ? server_->options.header_timeout_seconds
                                                      : server_->options.idle_timeout_seconds));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    first_ = false;
    // A route may take larger bodies than the default (file uploads): its limit applies from
    // the header on, so an oversized upload is refused before its bytes are read. Looked up
    // only for bodies the default would refuse (or of unknown length), off the hot path.
    auto length = parser_->content_length();
    int seconds = server_->options.header_timeout_seconds;
    if (length && *length <= server_->options.max_body_bytes) return ReadBody(seconds);
    const auto& head = parser_->get();
    std::string_view target(head.target().data(), head.target().size());
    std::string path = UrlDecode(target.substr(0, target.find('?')), false).value_or("");
    std::map<std::string, std::string> params;
    Router::Match route = server_->router->Find(
        std::string_view(head.method_string().data(), head.method_string().size()), path, &params);
    if (route.max_body_bytes > 0) {
      parser_->body_limit(route.max_body_bytes);
      // Megabytes from a phone on a slow link take minutes, not seconds.
      seconds = std::max(seconds, kUploadBodySeconds);
    }
    ReadBody(seconds);
  }

  void ReadBody(int seconds) {
    stream_.expires_after(std::chrono::seconds(seconds));
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code e, size_t) { self->OnRead(e); });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      // The client is still sending: closing now would reset the connection and it might never
      // read the answer. Answer, then drain what it sends for a little while (lingering close).
      linger_ = true;
      return WriteNow(Response::Error(413, "too_large", "request body is too large"), false);
    }
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::eof ||
        ec == net::error::connection_reset) {
      return Finish();
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return WriteNow(Response::Error(400, "bad_request", "malformed HTTP request"), false);
    }
    Finish();
  }

  void OnRead(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    started_ = std::chrono::steady_clock::now();
    auto& raw = parser_->get();
    keep_alive_ = raw.keep_alive();
    version_ = raw.version();
    head_ = raw.method() == bhttp::verb::head;
    auto request = std::make_shared<Request>(ToRequest(raw, remote_));
    Router::Match match = server_->router->Find(request->method, request->path, &request->params);
    latency_ = match.latency;

    if (websocket::is_upgrade(raw)) {
      if (!match.ws) return WriteNow(Response::Error(404, "not_found", "no such WebSocket"), false);
      auto accepted = (*match.ws)(*request);
      if (!accepted.ok()) return WriteNow(Response::Error(accepted.status()), false);
      stream_.expires_never();
      auto ws = std::make_shared<WsSession>(stream_.release_socket(), std::move(accepted).value(),
                                            server_);
      server_->Untrack(weak_from_this());
      ws->Run(parser_->release());
      return;
    }
    const Handler* handler = match.handler;
    if (!handler && !match.method_mismatch && (request->method == "GET" || head_)) {
      handler = server_->router->fallback();
    }
    if (!handler) {
      return WriteNow(match.method_mismatch
                          ? Response::Error(405, "method_not_allowed", "method not allowed")
                          : Response::Error(404, "not_found", "no such endpoint"),
                      keep_alive_);
    }
    auto answered = std::make_shared<std::atomic<bool>>(false);
    ServerMetrics::Get().in_flight->Add(1);
    in_flight_ = true;
    Responder respond = [self = shared_from_this(), answered](Response response) {
      if (answered->exchange(true)) return;  // exactly once
      net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->WriteNow(std::move(response), self->keep_alive_);
      });
    };
    try {
      (*handler)(std::move(request), respond);
    } catch (const std::exception& e) {
      // Handlers return errors as values; an exception here is a bug, not a client's fault.
      spdlog::error("handler for {} threw: {}", match.route, e.what());
      respond(Response::Error(500, "internal", "internal error"));
    }
  }

  void WriteNow(Response r, bool keep_alive) {
    if (in_flight_) {
      ServerMetrics::Get().in_flight->Add(-1);
      in_flight_ = false;
    }
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(version_);
    res->result(static_cast<unsigned>(r.status));
    res->set(bhttp::field::server, "meridian");
    if (!r.content_type.empty()) res->set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res->insert(k, v);
    bool keep = keep_alive && !server_->stopping;
    res->keep_alive(keep);
    res->body() = std::move(r.body);
    res->prepare_payload();
    if (head_) res->body().clear();
    auto& m = ServerMetrics::Get();
    (r.status < 400 ? m.responses_2xx : r.status < 500 ? m.responses_4xx : m.responses_5xx)->Inc();
    if (latency_) {
      latency_->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    }
    stream_.expires_after(std::chrono::seconds(server_->options.header_timeout_seconds));
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res, keep](beast::error_code ec, size_t) {
                         self->busy_ = false;
                         if (ec || !keep) return self->Finish();
                         self->DoRead();
                       });
  }

  void Finish() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger_ && !ec) return Drain(0);
    stream_.close();
    server_->Untrack(weak_from_this());
  }

  // Reads and discards what the client still sends after a 413, up to a bound and a deadline.
  void Drain(size_t drained) {
    constexpr size_t kMaxDrain = 64 << 20;
    if (drained > kMaxDrain) return Close();
    if (drained == 0) stream_.expires_after(std::chrono::seconds(5));
    auto scratch = std::make_shared<std::array<char, 16384>>();
    stream_.async_read_some(net::buffer(*scratch), [self = shared_from_this(), scratch, drained](
                                                       beast::error_code ec, size_t n) {
      if (ec) return self->Close();
      self->Drain(drained + n);
    });
  }

  void Close() {
    stream_.close();
    server_->Untrack(weak_from_this());
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl* server_;
  std::string remote_;
  bool keep_alive_ = false;
  bool head_ = false;
  bool busy_ = false;
  bool in_flight_ = false;  // counted in meridian_http_requests_in_flight until answered
  bool first_ = true;
  bool linger_ = false;  // drain the rest of an oversized request before closing
  unsigned version_ = 11;
  metrics::Histogram* latency_ = nullptr;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

void Server::Impl::DoAccept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (stopping || ec == net::error::operation_aborted) return;
      if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
          ec == net::error::no_memory) {
        // Out of file descriptors (EMFILE/ENFILE) or memory: retrying at once would spin on
        // accept and starve the connections already open. Pause, warn now and then, retry.
        auto now = std::chrono::steady_clock::now();
        if (now - last_fd_warning > std::chrono::seconds(10)) {
          last_fd_warning = now;
          spdlog::warn("accept: {} ({} connections open); pausing new connections for 50 ms",
                       ec.message(), connections.load());
        }
        accept_pause.expires_after(std::chrono::milliseconds(50));
        accept_pause.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec && !stopping) DoAccept();
        });
        return;
      }
      DoAccept();
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<HttpSession>(std::move(socket), this)->Start();
    if (!stopping) DoAccept();
  });
}

Server::Server(ServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->router = std::move(router);
}

Server::~Server() { Stop(); }

Result<uint16_t> Server::Start() {
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec) return Status::InvalidArgument("bad listen address: " + impl_->options.address);
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + impl_->options.address + ":" +
                               std::to_string(impl_->options.port) + ": " + ec.message());
  }
  uint16_t port = acc.local_endpoint().port();
  impl_->work.emplace(impl_->ioc.get_executor());
  impl_->DoAccept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this, i] {
      NameThisThread("http-" + std::to_string(i));
      impl_->ioc.run();
    });
  }
  return port;
}

void Server::Stop() {
  if (impl_->threads.empty() || impl_->stopping.exchange(true)) return;
  net::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Closable>> live;
  {
    std::lock_guard lock(impl_->sessions_mu);
    for (auto& weak : impl_->sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->ShutdownIfIdle();
  live.clear();
  // In-flight requests finish and their connections close after the response.
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(impl_->options.shutdown_grace_seconds);
  while (impl_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

int64_t Server::active_connections() const { return impl_->connections.load(); }

void Server::BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void Server::WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
}

}  // namespace meridian::http
