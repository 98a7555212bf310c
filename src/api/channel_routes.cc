// Inbound webhooks: the API channel's endpoint and every provider's /webhooks/{channel}/{id}.
// Each verifies the signature over the raw bytes first, then parses, then stores durably, and
// answers 200 only after the store has committed (DESIGN.md section 1).

#include <atomic>

#include "api/common.h"

namespace meridian::api {

namespace {

struct Pending {
  std::atomic<int> left{0};
  std::atomic<bool> duplicate{true};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status error;
  std::string last_id;
};

void Ingest(ApiContext& ctx, const Inbox& inbox, const http::Request& req,
            const http::Responder& respond) {
  auto channel = ctx.channels->For(inbox);
  if (!channel.ok()) return respond(http::Response::Error(channel.status()));
  auto headers = [&req](std::string_view name) { return req.Header(name); };
  Status verified = (*channel)->VerifyWebhook(headers, req.body);
  if (!verified.ok()) return respond(http::Response::Error(verified));
  auto events = (*channel)->ParseWebhook(req.body);
  if (!events.ok()) return respond(http::Response::Error(events.status()));
  if (events->empty()) return respond(JsonResponse(200, {{"ok", true}}));
  auto pending = std::make_shared<Pending>();
  pending->left = static_cast<int>(events->size());
  TimestampMs now = ctx.clock->NowMs();
  for (auto& e : *events) {
    store::InboundMessage msg;
    msg.inbox_id = inbox.id;
    msg.external_sender_id = std::move(e.sender_id);
    msg.sender_name = std::move(e.sender_name);
    msg.provider_message_id = e.provider_message_id;
    msg.text = std::move(e.text);
    msg.sent_at = e.sent_at;
    msg.received_at = now;
    ctx.conversations->IngestAsync(std::move(msg), [pending, respond, id = e.provider_message_id](
                                                       Result<store::IngestResult> r) {
      if (!r.ok()) {
        std::lock_guard lock(pending->mu);
        pending->failed = true;
        pending->error = r.status();
      } else if (!r->duplicate) {
        pending->duplicate = false;
      }
      {
        std::lock_guard lock(pending->mu);
        pending->last_id = id;
      }
      if (pending->left.fetch_sub(1) == 1) {
        if (pending->failed) return respond(http::Response::Error(pending->error));
        respond(JsonResponse(
            200, {{"message_id", pending->last_id}, {"duplicate", pending->duplicate.load()}}));
      }
    });
  }
}

http::Handler InboundHandler(ApiContext& ctx, bool check_channel_in_path) {
  return [&ctx, check_channel_in_path](http::RequestPtr req, http::Responder respond) {
    auto id = PathId(*req, "inbox_id");
    if (!id.ok()) return respond(http::Response::Error(id.status()));
    auto inbox = ctx.store->GetInbox(*id);
    if (!inbox.ok()) return respond(http::Response::Error(inbox.status()));
    if (check_channel_in_path && req->params.at("channel") != inbox->channel) {
      return respond(http::Response::Error(404, "not_found", "no such inbox for this channel"));
    }
    Ingest(ctx, *inbox, *req, respond);
  };
}

}  // namespace

void AddChannelRoutes(ApiContext& ctx, http::Router& router) {
  router.Add("POST", "/api/v1/inboxes/{inbox_id}/inbound", InboundHandler(ctx, false));
  router.Add("POST", "/webhooks/{channel}/{inbox_id}", InboundHandler(ctx, true));
}

}  // namespace meridian::api
