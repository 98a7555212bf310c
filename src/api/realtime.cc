// WebSockets: the agents' live feed (/api/v1/ws) and the event sink that feeds it.

#include <fmt/format.h>

#include "api/common.h"

namespace meridian::api {

std::string VisitorTopic(Id inbox_id, const std::string& visitor_id) {
  return fmt::format("visitor:{}:{}", inbox_id, visitor_id);
}

void HubEventSink::Publish(const service::Event& event) {
  using Kind = service::Event::Kind;
  const ConversationView& c = event.conversation;
  // Agents listen on one of two topics by role (PR1): kAgentsTopic sees everything,
  // kMaskedAgentsTopic sees sensitive personal data masked. Frames are built only for topics
  // someone listens to: rendering JSON costs more CPU than the rest of an ingest.
  for (bool mask : {false, true}) {
    const char* topic = mask ? kMaskedAgentsTopic : kAgentsTopic;
    if (hub_.SubscriberCount(topic) == 0) continue;
    std::string frame;
    JsonWriter w(frame);
    switch (event.kind) {
      case Kind::kMessageCreated:
      case Kind::kMessageUpdated:
        // Written straight as text: these frames go out for every message.
        w.BeginObject().Field(
            "type", event.kind == Kind::kMessageCreated ? "message.created" : "message.updated");
        w.Key("conversation");
        WriteConversation(w, c, mask);
        w.Key("message");
        WriteAgentMessage(w, *event.message, c.contact_name, mask);
        w.EndObject();
        break;
      case Kind::kConversationUpdated:
        w.BeginObject().Field("type", "conversation.updated").Key("conversation");
        WriteConversation(w, c, mask);
        w.EndObject();
        break;
      case Kind::kContactUpdated:
        frame = json{{"type", "contact.updated"},
                     {"action", event.contact->action},
                     {"contact_id", event.contact->contact_id},
                     {"other_contact_ids", event.contact->other_contact_ids},
                     {"conversation_ids", event.contact->conversation_ids}}
                    .dump();
        break;
    }
    hub_.Publish(topic, frame);
  }
  // Customers see replies to them, never the analysis of their own words.
  if (event.message && event.message->direction == Direction::kOut) {
    std::string topic = VisitorTopic(c.inbox_id, c.contact_external_id);
    if (hub_.SubscriberCount(topic) > 0) {
      bool created = event.kind == Kind::kMessageCreated;
      json message = ToVisitorJson(*event.message, visitor_secret_, c.inbox_id,
                                   c.contact_external_id, clock_.NowMs());
      hub_.Publish(
          topic,
          json({{"type", created ? "message" : "message.updated"}, {"message", message}}).dump());
    }
  }
}

namespace {

class AgentSocket final : public http::WebSocketSession {
 public:
  AgentSocket(ApiContext& ctx, Role role)
      : ctx_(ctx), topic_(SeesSensitivePii(role) ? kAgentsTopic : kMaskedAgentsTopic) {}

  void OnOpen(std::shared_ptr<http::WebSocket> socket) override {
    socket_ = socket;
    token_ = ctx_.hub->Subscribe(topic_, socket);
  }

  void OnMessage(std::string text) override {
    json msg = json::parse(text, nullptr, false);
    auto socket = socket_.lock();
    if (!socket || !msg.is_object()) return;
    std::string type = msg.value("type", "");
    if (type == "ping") {
      socket->Send(R"({"type":"pong"})");
    } else if (type == "typing" && msg.contains("conversation_id") &&
               msg["conversation_id"].is_number_integer()) {
      auto c = ctx_.store->GetConversation(msg["conversation_id"].get<Id>());
      if (c.ok()) {
        ctx_.hub->Publish(VisitorTopic(c->inbox_id, c->contact_external_id),
                          R"({"type":"typing","sender_kind":"agent"})");
      }
    }
  }

  void OnClose() override { ctx_.hub->Unsubscribe(topic_, token_); }

 private:
  ApiContext& ctx_;
  const char* topic_;
  std::weak_ptr<http::WebSocket> socket_;
  uint64_t token_ = 0;
};

}  // namespace

void AddRealtimeRoutes(ApiContext& ctx, http::Router& router) {
  router.AddWebSocket(
      "/api/v1/ws",
      [&ctx](const http::Request& req) -> Result<std::shared_ptr<http::WebSocketSession>> {
        // Browsers cannot set headers on WebSockets: the cookie, or ?token= for API clients.
        http::Request probe = req;
        probe.method = "GET";
        std::string token = req.Query("token");
        if (!token.empty()) {
          probe.headers.emplace_back("authorization", "Bearer " + token);
        } else {
          // Cookie-authenticated: refuse cross-site pages (WebSocket hijacking).
          std::string_view origin = req.Header("origin");
          std::string_view host = req.Header("host");
          size_t scheme = origin.find("://");
          if (!origin.empty() &&
              (scheme == std::string_view::npos || origin.substr(scheme + 3) != host)) {
            return Status::PermissionDenied("cross-origin WebSocket refused", "bad_origin");
          }
        }
        MERIDIAN_ASSIGN_OR_RETURN(service::Principal p, Authorize(ctx, probe, Role::kAgent));
        return std::shared_ptr<http::WebSocketSession>(
            std::make_shared<AgentSocket>(ctx, p.agent.role));
      });
}

}  // namespace meridian::api
