// Inbound webhooks: the API channel's endpoint and every provider's /webhooks/{channel}/{id}.
// Each verifies the signature over the raw bytes first, then parses, then stores durably, and
// answers 200 only after the store has committed (DESIGN.md section 1).

#include <fmt/format.h>

#include <atomic>
#include <charconv>

#include "api/common.h"
#include "channels/api/api_channel.h"
#include "core/crypto.h"

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

// The URL the provider called, as it saw it (behind a proxy: X-Forwarded-Proto/-Host).
std::string FullUrl(const http::Request& req) {
  std::string_view proto = req.Header("x-forwarded-proto");
  std::string_view host = req.Header("x-forwarded-host");
  if (host.empty()) host = req.Header("host");
  return fmt::format("{}://{}{}", proto.empty() ? "http" : proto, host, req.target);
}

// Provider details of a message kept with it (media to download, location, quoted message,
// reaction target, LINE reply token); empty when there are none.
std::string EventMeta(const channels::InboundEvent& e) {
  json meta = json::object();
  if (!e.media_id.empty()) meta["media_id"] = e.media_id;
  if (!e.media_url.empty()) meta["media_url"] = e.media_url;
  if (!e.media_mime.empty()) meta["media_mime"] = e.media_mime;
  if (e.latitude && e.longitude) meta["location"] = {{"lat", *e.latitude}, {"lon", *e.longitude}};
  if (!e.reply_to_provider_id.empty()) meta["reply_to"] = e.reply_to_provider_id;
  if (e.content_type == "reaction") meta["reaction"] = e.reaction;
  if (!e.reply_token.empty()) meta["reply_token"] = e.reply_token;
  return meta.empty() ? std::string() : meta.dump();
}

void Ingest(ApiContext& ctx, const Inbox& inbox, const http::Request& req,
            const http::Responder& respond) {
  auto channel = ctx.channels->For(inbox);
  if (!channel.ok()) return respond(http::Response::Error(channel.status()));
  auto headers = [&req](std::string_view name) { return req.Header(name); };
  Status verified = (*channel)->VerifyWebhookRequest({headers, req.body, FullUrl(req)});
  if (!verified.ok()) return respond(http::Response::Error(verified));
  auto parsed = (*channel)->ParseWebhook(req.body);
  if (!parsed.ok()) return respond(http::Response::Error(parsed.status()));
  std::vector<channels::InboundEvent> events;
  std::vector<channels::InboundEvent> statuses;
  for (auto& e : *parsed) {
    (e.kind == channels::InboundKind::kStatus ? statuses : events).push_back(std::move(e));
  }
  // What the provider expects once everything is stored (Twilio: TwiML), else our JSON.
  std::optional<channels::Channel::WebhookAnswer> ack = (*channel)->WebhookAcknowledgement();
  auto answer = [ack](const json& body) {
    if (!ack) return JsonResponse(200, body);
    http::Response r;
    r.status = 200;
    r.content_type = ack->content_type;
    r.body = ack->body;
    return r;
  };
  if (events.empty() && statuses.empty()) return respond(answer({{"ok", true}}));
  auto pending = std::make_shared<Pending>();
  pending->duplicate = !events.empty();  // a status-only delivery is not a duplicate message
  pending->left = static_cast<int>(events.size()) + (statuses.empty() ? 0 : 1);
  auto finish = [pending, respond, answer] {
    if (pending->left.fetch_sub(1) == 1) {
      if (pending->failed) return respond(http::Response::Error(pending->error));
      json out = {{"duplicate", pending->duplicate.load()}};
      {
        std::lock_guard lock(pending->mu);
        if (!pending->last_id.empty()) out["message_id"] = pending->last_id;
      }
      respond(answer(out));
    }
  };
  if (!statuses.empty()) {
    // Statuses are applied (or kept for a message not known yet) before the 200.
    ctx.blocking->Post(
        [&ctx, inbox_id = inbox.id, statuses = std::move(statuses), pending, finish]() {
          for (const auto& s : statuses) {
            Status applied = ctx.conversations->ApplyStatus(inbox_id, s);
            if (!applied.ok()) {
              std::lock_guard lock(pending->mu);
              pending->failed = true;
              pending->error = applied;
            }
          }
          finish();
        });
  }
  TimestampMs now = ctx.clock->NowMs();
  for (auto& e : events) {
    store::InboundMessage msg;
    msg.inbox_id = inbox.id;
    msg.external_sender_id = std::move(e.sender_id);
    msg.sender_name = std::move(e.sender_name);
    msg.provider_message_id = e.provider_message_id;
    msg.content_type = e.content_type;
    msg.meta_json = EventMeta(e);
    msg.text = std::move(e.text);
    msg.sent_at = e.sent_at;
    msg.received_at = now;
    msg.claims = std::move(e.claims);
    bool has_media = (!e.media_id.empty() || !e.media_url.empty()) && e.content_type != "location";
    if (has_media) {
      // Downloaded after the 200 by the media worker (CH9); listed as pending meanwhile.
      Attachment media;
      media.filename = e.content_type;
      media.claimed_type = e.media_mime;
      media.content_type = "application/octet-stream";
      media.stored = false;
      media.download = "pending";
      json source = json::object();
      if (!e.media_id.empty()) source["id"] = e.media_id;
      if (!e.media_url.empty()) source["url"] = e.media_url;
      if (!e.media_mime.empty()) source["mime"] = e.media_mime;
      media.source_json = source.dump();
      msg.attachments.push_back(std::move(media));
    }
    ctx.conversations->IngestAsync(std::move(msg),
                                   [&ctx, has_media, pending, finish,
                                    id = e.provider_message_id](Result<store::IngestResult> r) {
                                     if (r.ok() && !r->duplicate && has_media && ctx.media_waker)
                                       ctx.media_waker();
                                     {
                                       std::lock_guard lock(pending->mu);
                                       if (!r.ok()) {
                                         pending->failed = true;
                                         pending->error = r.status();
                                       } else if (!r->duplicate) {
                                         pending->duplicate = false;
                                       }
                                       pending->last_id = id;
                                     }
                                     finish();
                                   });
  }
}

// GET /webhooks/{channel}/{inbox_id}: the provider's subscription handshake (Meta's hub.*).
http::Handler VerifyHandler(ApiContext& ctx) {
  return [&ctx](http::RequestPtr req, http::Responder respond) {
    auto id = PathId(*req, "inbox_id");
    if (!id.ok()) return respond(http::Response::Error(id.status()));
    auto inbox = ctx.store->GetInbox(*id);
    if (!inbox.ok()) return respond(http::Response::Error(inbox.status()));
    if (req->params.at("channel") != inbox->channel) {
      return respond(http::Response::Error(404, "not_found", "no such inbox for this channel"));
    }
    auto channel = ctx.channels->For(*inbox);
    if (!channel.ok()) return respond(http::Response::Error(channel.status()));
    auto challenge = (*channel)->VerifySubscription(req->query);
    if (!challenge.ok()) return respond(http::Response::Error(challenge.status()));
    http::Response r;
    r.status = 200;
    r.content_type = "text/plain";
    r.body = *challenge;
    respond(std::move(r));
  };
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

// GET /api/v1/inboxes/{inbox_id}/files/{id}?expires=&signature=: a file of an API inbox's
// conversation, by the link its callback carried (signed with the inbox secret, or the secret it
// replaced while that is still valid). A file of another inbox is 404, as if it did not exist.
void ApiInboxFile(ApiContext& ctx, http::RequestPtr req, http::Responder respond) {
  auto inbox_id = PathId(*req, "inbox_id");
  if (!inbox_id.ok()) return respond(http::Response::Error(inbox_id.status()));
  auto id = PathId(*req, "id");
  if (!id.ok()) return respond(http::Response::Error(id.status()));
  int64_t expires = 0;
  std::string e = req->Query("expires");
  auto [end, ec] = std::from_chars(e.data(), e.data() + e.size(), expires);
  std::string signature = req->Query("signature");
  if (e.empty() || ec != std::errc() || end != e.data() + e.size() || signature.empty()) {
    return respond(http::Response::Error(401, "invalid_signature",
                                         "this link is incomplete: use the URL of the callback"));
  }
  auto inbox = ctx.store->GetInbox(*inbox_id);
  if (!inbox.ok() || inbox->channel != "api") {
    return respond(http::Response::Error(404, "not_found", "no such API inbox"));
  }
  TimestampMs now = ctx.clock->NowMs();
  auto signed_with = [&](const std::string& secret) {
    return !secret.empty() &&
           crypto::ConstantTimeEquals(signature,
                                      channels::ApiFileSignature(secret, *inbox_id, *id, expires));
  };
  bool valid = signed_with(inbox->secret) ||
               (now < inbox->previous_secret_until && signed_with(inbox->previous_secret));
  if (!valid) {
    return respond(http::Response::Error(401, "invalid_signature", "this link is not valid"));
  }
  if (expires * 1000 < now) {
    return respond(http::Response::Error(401, "link_expired", "this link has expired"));
  }
  Offload(ctx, respond, [&ctx, inbox_id = *inbox_id, id = *id] {
    auto attachment = ctx.store->GetAttachment(id);
    if (!attachment.ok() || attachment->inbox_id != inbox_id) {
      return http::Response::Error(404, "not_found", "no such file");
    }
    return AttachmentResponse(ctx, *attachment);
  });
}

}  // namespace

void AddChannelRoutes(ApiContext& ctx, http::Router& router) {
  router.Add("POST", "/api/v1/inboxes/{inbox_id}/inbound", InboundHandler(ctx, false));
  router.Add("GET", "/api/v1/inboxes/{inbox_id}/files/{id}",
             [&ctx](http::RequestPtr req, http::Responder respond) {
               ApiInboxFile(ctx, std::move(req), std::move(respond));
             });
  router.Add("POST", "/webhooks/{channel}/{inbox_id}", InboundHandler(ctx, true));
  router.Add("GET", "/webhooks/{channel}/{inbox_id}", VerifyHandler(ctx));
}

}  // namespace meridian::api
