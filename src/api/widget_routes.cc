// The web chat widget's endpoints (CH1): anonymous visitor sessions with signed tokens, history,
// and a WebSocket that carries messages both ways. Cross-origin by design (the widget runs on
// the shop's site), so these routes answer CORS without credentials.

#include <fmt/format.h>

#include <charconv>

#include "api/common.h"
#include "channels/common/provider.h"
#include "channels/webchat/webchat_channel.h"
#include "core/crypto.h"

namespace meridian::api {

namespace {

constexpr int kBurst = 20;           // messages a visitor may send at once
constexpr int64_t kRefillMs = 1000;  // one more every second

void AddCors(http::Response& r) {
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  r.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  r.headers.emplace_back("Access-Control-Allow-Headers",
                         "Content-Type, Authorization, X-Filename, X-Caption, X-Client-Message-Id");
  r.headers.emplace_back("Access-Control-Max-Age", "600");
}

http::Handler WithCors(http::Handler inner) {
  return [inner = std::move(inner)](http::RequestPtr req, http::Responder respond) {
    inner(std::move(req), [respond](http::Response r) {
      AddCors(r);
      respond(std::move(r));
    });
  };
}

Result<channels::VisitorToken> VisitorFrom(ApiContext& ctx, const std::string& token) {
  auto v = channels::VerifyVisitorToken(ctx.visitor_secret, token);
  if (!v) return Status::Unauthenticated("visitor token is missing or invalid", "invalid_token");
  return *v;
}

std::string VisitorName(const std::string& visitor_id) {
  return "Visitor " + visitor_id.substr(0, 6);
}

// What a visitor says about themselves (CH8): "email" and "phone" are claims that never merge
// contacts on their own; "identity_hash" = hex HMAC-SHA256(inbox secret, email as normalized)
// computed by the shop's own backend for a logged-in customer proves the email.
Result<std::vector<ContactClaim>> VisitorClaims(const json& body, const Inbox& inbox) {
  std::vector<ContactClaim> claims;
  MERIDIAN_ASSIGN_OR_RETURN(auto email, OptionalString(body, "email"));
  MERIDIAN_ASSIGN_OR_RETURN(auto phone, OptionalString(body, "phone"));
  MERIDIAN_ASSIGN_OR_RETURN(auto hash, OptionalString(body, "identity_hash"));
  if (email && !email->empty()) {
    std::string normalized = channels::NormalizeEmail(*email);
    if (normalized.empty()) {
      return Status::Unprocessable("field 'email' must be an email address", "invalid_field");
    }
    bool verified = false;
    if (hash) {
      std::string expected = crypto::HexEncode(crypto::HmacSha256(inbox.secret, normalized));
      if (inbox.secret.size() < 16 || !crypto::ConstantTimeEquals(*hash, expected)) {
        return Status::Unauthenticated("identity_hash does not verify for this email",
                                       "invalid_signature");
      }
      verified = true;
    }
    claims.push_back({AttributeKind::kEmail, std::move(normalized), verified});
  } else if (hash) {
    return Status::Unprocessable("field 'identity_hash' needs 'email'", "missing_field");
  }
  if (phone && !phone->empty()) {
    std::string normalized = channels::NormalizeE164(*phone);
    if (normalized.empty()) {
      return Status::Unprocessable("field 'phone' must be a phone number in international format",
                                   "invalid_field");
    }
    claims.push_back({AttributeKind::kPhone, std::move(normalized), false});
  }
  return claims;
}

void StartSession(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto inbox_id = PathId(*req, "inbox_id");
  if (!inbox_id.ok()) return respond(http::Response::Error(inbox_id.status()));
  auto inbox = ctx.store->GetInbox(*inbox_id);
  if (!inbox.ok() || inbox->channel != "webchat") {
    return respond(http::Response::Error(404, "not_found", "no such web chat inbox"));
  }
  json body = json::object();
  if (!req->body.empty()) {
    auto parsed = ParseJsonObject(*req);
    if (!parsed.ok()) return respond(http::Response::Error(parsed.status()));
    body = std::move(parsed).value();
  }
  auto token = OptionalString(body, "token");
  if (!token.ok()) return respond(http::Response::Error(token.status()));
  auto claims = VisitorClaims(body, *inbox);
  if (!claims.ok()) return respond(http::Response::Error(claims.status()));
  std::string visitor_id;
  if (*token) {
    auto v = channels::VerifyVisitorToken(ctx.visitor_secret, **token);
    if (v && v->inbox_id == *inbox_id) visitor_id = v->visitor_id;  // resume
  }
  if (visitor_id.empty()) visitor_id = crypto::RandomToken(12);
  Id id = *inbox_id;
  // What the widget may upload (CH9), so it refuses a file before sending it.
  auto channel = ctx.channels->For(*inbox);
  if (!channel.ok()) return respond(http::Response::Error(channel.status()));
  json uploads = UploadLimitsJson((*channel)->capabilities());
  Offload(ctx, respond, [&ctx, id, visitor_id, uploads, claims = std::move(claims).value()] {
    auto contact =
        ctx.store->EnsureContact(id, visitor_id, VisitorName(visitor_id), ctx.clock->NowMs());
    if (!contact.ok()) return http::Response::Error(contact.status());
    Status claimed = ctx.contacts->AddClaims(id, visitor_id, claims);
    if (!claimed.ok()) return http::Response::Error(claimed);
    auto conversation = ctx.store->LatestConversationOf(id, visitor_id);
    if (!conversation.ok()) return http::Response::Error(conversation.status());
    return JsonResponse(200,
                        {{"token", channels::IssueVisitorToken(ctx.visitor_secret, id, visitor_id)},
                         {"visitor", {{"id", visitor_id}, {"name", contact->name}}},
                         {"uploads", uploads},
                         {"conversation_id", *conversation ? json(**conversation) : json()}});
  });
}

void History(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto visitor = VisitorFrom(ctx, req->Query("token"));
  if (!visitor.ok()) return respond(http::Response::Error(visitor.status()));
  auto conversation = ctx.store->LatestConversationOf(visitor->inbox_id, visitor->visitor_id);
  if (!conversation.ok()) return respond(http::Response::Error(conversation.status()));
  json items = json::array();
  if (*conversation) {
    auto page = ctx.store->ListMessages(**conversation, "", 200);
    if (!page.ok()) return respond(http::Response::Error(page.status()));
    TimestampMs now = ctx.clock->NowMs();
    for (const auto& m : page->items) {
      json j = ToVisitorJson(m, ctx.visitor_secret, visitor->inbox_id, visitor->visitor_id, now);
      // The visitor's own messages carry "<visitor>:<client id>" as provider id; give the
      // client id back so the widget can match messages it still holds as pending.
      std::string prefix = visitor->visitor_id + ":";
      if (m.provider_message_id && m.provider_message_id->rfind(prefix, 0) == 0) {
        j["client_message_id"] = m.provider_message_id->substr(prefix.size());
      }
      items.push_back(std::move(j));
    }
  }
  respond(JsonResponse(200, {{"items", items}}));
}

// The visitor behind "Authorization: Bearer <visitor token>".
Result<channels::VisitorToken> BearerVisitor(ApiContext& ctx, const http::Request& req) {
  std::string_view header = req.Header("authorization");
  std::string_view token;
  if (header.size() > 7 && (header.substr(0, 7) == "Bearer " || header.substr(0, 7) == "bearer ")) {
    token = header.substr(7);
  }
  return VisitorFrom(ctx, std::string(token));
}

// POST /api/v1/widget/uploads: a visitor's file (CH9) as a message of theirs, de-duplicated on
// X-Client-Message-Id like their text messages. The raw body is the file (upload_routes.cc).
void Upload(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto visitor = BearerVisitor(ctx, *req);
  if (!visitor.ok()) return respond(http::Response::Error(visitor.status()));
  if (ctx.uploads == nullptr) {
    return respond(http::Response::Error(503, "unavailable", "uploads are not available"));
  }
  auto client_id = ClientMessageIdOf(*req, /*client_id_required=*/true);
  if (!client_id.ok()) return respond(http::Response::Error(client_id.status()));
  auto file = UploadedFileOf(*req);
  if (!file.ok()) return respond(http::Response::Error(file.status()));
  auto caption = CaptionOf(*req);
  if (!caption.ok()) return respond(http::Response::Error(caption.status()));
  if (ctx.upload_quota != nullptr) {
    int64_t wait_ms =
        ctx.upload_quota->Take(fmt::format("{}:{}", visitor->inbox_id, visitor->visitor_id),
                               static_cast<int64_t>(req->body.size()), ctx.clock->NowMs());
    if (wait_ms > 0) {
      auto refused = http::Response::Error(429, "rate_limited",
                                           "too many files from this visitor; try again later");
      refused.headers.emplace_back("Retry-After", std::to_string((wait_ms + 999) / 1000));
      return respond(std::move(refused));
    }
  }
  store::InboundMessage in;
  in.inbox_id = visitor->inbox_id;
  in.external_sender_id = visitor->visitor_id;
  in.sender_name = VisitorName(visitor->visitor_id);
  in.provider_message_id = visitor->visitor_id + ":" + **client_id;
  in.text = std::move(caption).value();
  ctx.blocking->Post([&ctx, respond, in = std::move(in), file = std::move(file).value(),
                      visitor = *visitor, client = **client_id]() mutable {
    ctx.uploads->ReceiveAsync(std::move(in), std::move(file),
                              [&ctx, respond, visitor, client](Result<store::IngestResult> r) {
                                if (!r.ok()) return respond(UploadError(r.status()));
                                json m =
                                    ToVisitorJson(r->message, ctx.visitor_secret, visitor.inbox_id,
                                                  visitor.visitor_id, ctx.clock->NowMs());
                                m["client_message_id"] = client;
                                respond(JsonResponse(r->duplicate ? 200 : 201, m));
                              });
  });
}

// GET /api/v1/widget/attachments/{id}: a file of the visitor's own conversation, with the URL
// signed for them (?visitor&expires&signature, from ToVisitorJson) or their token (?token).
// Anyone else's file is 404, as if it did not exist.
void VisitorAttachment(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  channels::VisitorToken visitor;
  if (!req->Query("token").empty()) {
    auto v = VisitorFrom(ctx, req->Query("token"));
    if (!v.ok()) return respond(http::Response::Error(v.status()));
    visitor = *v;
  } else {
    // visitor = "<inbox id>.<visitor id>" as in the token, signed with the expiry.
    std::string who = req->Query("visitor");
    int64_t expires = 0;
    std::string e = req->Query("expires");
    auto [p, ec] = std::from_chars(e.data(), e.data() + e.size(), expires);
    bool parsed = ec == std::errc() && p == e.data() + e.size() && !e.empty();
    size_t dot = who.find('.');
    Id inbox_id = 0;
    if (dot != std::string::npos) {
      auto [q, ec2] = std::from_chars(who.data(), who.data() + dot, inbox_id);
      if (ec2 != std::errc() || q != who.data() + dot) inbox_id = 0;
    }
    if (!parsed || inbox_id == 0) {
      return respond(http::Response::Error(401, "invalid_signature",
                                           "this link is incomplete: ask for the file again"));
    }
    visitor = {inbox_id, who.substr(dot + 1)};
    if (!channels::VerifyAttachmentSignature(ctx.visitor_secret, *id, visitor, expires,
                                             req->Query("signature"))) {
      return respond(http::Response::Error(401, "invalid_signature", "this link is not valid"));
    }
    if (expires * 1000 < ctx.clock->NowMs()) {
      return respond(http::Response::Error(
          401, "link_expired", "this link has expired: reopen the chat to get a new one"));
    }
  }
  Offload(ctx, respond, [&ctx, id = *id, visitor] {
    auto not_found = http::Response::Error(404, "not_found", "no such attachment");
    auto attachment = ctx.store->GetAttachment(id);
    if (!attachment.ok()) return not_found;
    auto message = ctx.store->GetMessage(attachment->message_id);
    if (!message.ok()) return not_found;
    auto conversation = ctx.store->GetConversation(message->conversation_id);
    if (!conversation.ok() || conversation->inbox_id != visitor.inbox_id ||
        conversation->contact_external_id != visitor.visitor_id) {
      return not_found;
    }
    http::Response r = AttachmentResponse(ctx, *attachment);
    // Shown by the widget on the shop's own site.
    r.headers.emplace_back("Cross-Origin-Resource-Policy", "cross-origin");
    return r;
  });
}

class VisitorSocket final : public http::WebSocketSession,
                            public std::enable_shared_from_this<VisitorSocket> {
 public:
  VisitorSocket(ApiContext& ctx, channels::VisitorToken visitor)
      : ctx_(ctx),
        visitor_(std::move(visitor)),
        tokens_(kBurst),
        refilled_at_(ctx.clock->NowMs()) {}

  void OnOpen(std::shared_ptr<http::WebSocket> socket) override {
    socket_ = socket;
    topic_ = VisitorTopic(visitor_.inbox_id, visitor_.visitor_id);
    sub_ = ctx_.hub->Subscribe(topic_, socket);
  }

  void OnMessage(std::string text) override {
    auto socket = socket_.lock();
    if (!socket) return;
    json msg = json::parse(text, nullptr, false);
    if (!msg.is_object()) return SendError(*socket, "", 400, "invalid_json", "frame is not JSON");
    std::string type = msg.value("type", "");
    if (type == "ping") return socket->Send(R"({"type":"pong"})");
    if (type == "typing") return ForwardTyping();
    if (type != "message")
      return SendError(*socket, "", 422, "invalid_field", "unknown frame type");
    std::string client_id =
        msg.contains("client_message_id") && msg["client_message_id"].is_string()
            ? msg["client_message_id"].get<std::string>()
            : std::string();
    if (client_id.empty() || client_id.size() > 64) {
      return SendError(*socket, client_id, 422, "missing_field",
                       "field 'client_message_id' is required (at most 64 characters)");
    }
    if (!msg.contains("text") || !msg["text"].is_string()) {
      return SendError(*socket, client_id, 422, "missing_field", "field 'text' is required");
    }
    if (!TakeToken()) {
      return SendError(*socket, client_id, 429, "rate_limited", "too many messages; slow down");
    }
    store::InboundMessage in;
    in.inbox_id = visitor_.inbox_id;
    in.external_sender_id = visitor_.visitor_id;
    in.sender_name = VisitorName(visitor_.visitor_id);
    in.provider_message_id = visitor_.visitor_id + ":" + client_id;
    in.text = msg["text"].get<std::string>();
    std::weak_ptr<http::WebSocket> weak = socket_;
    ctx_.conversations->IngestAsync(std::move(in), [weak,
                                                    client_id](Result<store::IngestResult> r) {
      auto s = weak.lock();
      if (!s) return;  // stored all the same; the widget sees it in history
      if (!r.ok()) {
        json err = {{"type", "error"},
                    {"client_message_id", client_id},
                    {"status", http::HttpStatusFor(r.status())},
                    {"error", {{"code", r.status().reason()}, {"message", r.status().message()}}}};
        return s->Send(err.dump());
      }
      json m = ToJson(r->message);
      m["client_message_id"] = client_id;
      s->Send(json({{"type", "ack"}, {"client_message_id", client_id}, {"message", m}}).dump());
    });
  }

  void OnClose() override { ctx_.hub->Unsubscribe(topic_, sub_); }

 private:
  void SendError(http::WebSocket& socket, const std::string& client_id, int status,
                 const std::string& code, const std::string& message) {
    json err = {{"type", "error"},
                {"client_message_id", client_id},
                {"status", status},
                {"error", {{"code", code}, {"message", message}}}};
    socket.Send(err.dump());
  }

  bool TakeToken() {
    TimestampMs now = ctx_.clock->NowMs();
    int64_t refill = (now - refilled_at_) / kRefillMs;
    if (refill > 0) {
      tokens_ = static_cast<int>(std::min<int64_t>(kBurst, tokens_ + refill));
      refilled_at_ += refill * kRefillMs;
    }
    if (tokens_ == 0) return false;
    --tokens_;
    return true;
  }

  void ForwardTyping() {
    auto conversation = ctx_.store->LatestConversationOf(visitor_.inbox_id, visitor_.visitor_id);
    if (!conversation.ok() || !*conversation) return;
    std::string frame =
        json({{"type", "typing"}, {"conversation_id", **conversation}, {"sender_kind", "customer"}})
            .dump();
    ctx_.hub->Publish(kAgentsTopic, frame);
    ctx_.hub->Publish(kMaskedAgentsTopic, frame);
  }

  ApiContext& ctx_;
  channels::VisitorToken visitor_;
  std::weak_ptr<http::WebSocket> socket_;
  std::string topic_;
  uint64_t sub_ = 0;
  int tokens_;
  TimestampMs refilled_at_;
};

}  // namespace

void AddWidgetRoutes(ApiContext& ctx, http::Router& router) {
  router.Add("POST", "/api/v1/widget/{inbox_id}/session",
             WithCors([&ctx](auto req, auto respond) { StartSession(ctx, req, respond); }));
  router.Add("GET", "/api/v1/widget/messages",
             WithCors([&ctx](auto req, auto respond) { History(ctx, req, respond); }));
  auto preflight = [](http::RequestPtr, http::Responder respond) {
    http::Response r;
    r.status = 204;
    r.content_type.clear();
    AddCors(r);
    respond(std::move(r));
  };
  router.Add("OPTIONS", "/api/v1/widget/{inbox_id}/session", preflight);
  router.Add("OPTIONS", "/api/v1/widget/messages", preflight);
  router.Add("POST", "/api/v1/widget/uploads",
             WithCors([&ctx](auto req, auto respond) { Upload(ctx, req, respond); }),
             ctx.max_upload_bytes);
  router.Add("OPTIONS", "/api/v1/widget/uploads", preflight);
  router.Add("GET", "/api/v1/widget/attachments/{id}",
             [&ctx](auto req, auto respond) { VisitorAttachment(ctx, req, respond); });
  router.AddWebSocket(
      "/api/v1/widget/ws",
      [&ctx](const http::Request& req) -> Result<std::shared_ptr<http::WebSocketSession>> {
        MERIDIAN_ASSIGN_OR_RETURN(channels::VisitorToken visitor,
                                  VisitorFrom(ctx, req.Query("token")));
        return std::shared_ptr<http::WebSocketSession>(
            std::make_shared<VisitorSocket>(ctx, std::move(visitor)));
      });
}

}  // namespace meridian::api
