#include "service/conversation_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/metrics.h"
#include "core/text.h"
#include "nlp/pii/pii.h"
#include "service/contact_service.h"

namespace meridian::service {

namespace {
metrics::Counter* IngestedCounter() {
  static metrics::Counter* c = metrics::Registry::Global().GetCounter(
      "meridian_messages_ingested_total", "Inbound messages durably stored (duplicates excluded)");
  return c;
}
metrics::Counter* DuplicateCounter() {
  static metrics::Counter* c = metrics::Registry::Global().GetCounter(
      "meridian_messages_duplicate_total", "Inbound deliveries recognized as duplicates");
  return c;
}
}  // namespace

Status CheckTemplate(const std::vector<MessageTemplate>& approved, const ReplyTemplate& t) {
  for (const MessageTemplate& a : approved) {
    if (a.name != t.name) continue;
    if (std::find(a.languages.begin(), a.languages.end(), t.language) == a.languages.end()) break;
    if (a.parameter_count && static_cast<size_t>(*a.parameter_count) != t.parameters.size()) {
      return Status::Unprocessable(fmt::format("template '{}' takes {} parameters, {} given",
                                               t.name, *a.parameter_count, t.parameters.size()),
                                   "invalid_field");
    }
    for (const std::string& p : t.parameters) {
      // WhatsApp refuses empty parameters and new lines or tabs in them (error 132018).
      if (p.empty() || p.find_first_of("\n\t") != std::string::npos) {
        return Status::Unprocessable(
            "template parameters must be non-empty and without new lines or tabs", "invalid_field");
      }
    }
    return Status::Ok();
  }
  return Status::Unprocessable(
      fmt::format("template '{}' in language '{}' is not approved for this inbox", t.name,
                  t.language),
      "unknown_template");
}

Status CheckSendsAttachments(const channels::Channel& channel) {
  if (channel.capabilities().sends_attachments) return Status::Ok();
  return Status::Unprocessable(
      fmt::format("{} conversations cannot receive files from agents", channel.name()),
      "attachments_not_supported");
}

std::string RenderTemplate(const std::vector<MessageTemplate>& approved, const ReplyTemplate& t) {
  std::string body;
  for (const MessageTemplate& a : approved) {
    if (a.name == t.name) body = a.body;
  }
  if (body.empty()) {
    std::string out = fmt::format("[template {} ({})]", t.name, t.language);
    for (const auto& p : t.parameters) out += " " + p;
    return out;
  }
  std::string out;
  for (size_t i = 0; i < body.size();) {
    size_t open = body.find("{{", i);
    size_t close = open == std::string::npos ? open : body.find("}}", open + 2);
    if (close == std::string::npos) {
      out += body.substr(i);
      break;
    }
    out += body.substr(i, open - i);
    std::string index = body.substr(open + 2, close - open - 2);
    size_t n = 0;
    bool digits = !index.empty() && index.size() < 4 &&
                  index.find_first_not_of("0123456789") == std::string::npos;
    if (digits) n = std::stoul(index);
    out += digits && n >= 1 && n <= t.parameters.size() ? t.parameters[n - 1]
                                                        : body.substr(open, close + 2 - open);
    i = close + 2;
  }
  return out;
}

ConversationService::ConversationService(store::Store& store, channels::ChannelRegistry& channels,
                                         EventSink& events, const Clock& clock)
    : store_(store), channels_(channels), events_(events), clock_(clock) {}

Result<std::string> ConversationService::CleanText(std::string_view text, std::string_view field) {
  if (text.size() > kMaxMessageBytes) {
    return Status::TooLarge(
        fmt::format("field '{}' is longer than {} bytes", field, kMaxMessageBytes));
  }
  MERIDIAN_ASSIGN_OR_RETURN(std::string clean, text::NormalizeNfc(text));
  if (clean.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::Unprocessable(fmt::format("field '{}' must not be empty", field),
                                 "missing_field");
  }
  // PR1: a payment card number is never stored in clear, whoever wrote it.
  return nlp::ScrubCardNumbers(clean);
}

void ConversationService::IngestAsync(store::InboundMessage message,
                                      store::Callback<store::IngestResult> done) {
  auto clean = CleanText(message.text, "text");
  if (!clean.ok()) return done(clean.status());
  message.text = std::move(clean).value();
  auto name = text::NormalizeNfc(text::TruncateUtf8(message.sender_name, 200));
  message.sender_name = name.ok() ? std::move(name).value() : std::string();
  if (message.received_at == 0) message.received_at = clock_.NowMs();
  store_.IngestInboundAsync(
      std::move(message), [this, done = std::move(done)](Result<store::IngestResult> r) {
        if (r.ok()) {
          if (r->duplicate) {
            DuplicateCounter()->Inc();
          } else {
            IngestedCounter()->Inc();
            ContactService::PublishMerges(events_, r->merges);
            events_.Publish({Event::Kind::kMessageCreated, r->conversation, r->message});
            if (wake_enrichment_) wake_enrichment_();
          }
        }
        done(std::move(r));
      });
}

void ConversationService::ReplyAsync(Id conversation_id, const Agent& agent, std::string text,
                                     std::optional<std::string> client_message_id,
                                     store::Callback<store::AppendResult> done) {
  ReplyAsync(conversation_id, agent, std::move(text),
             ReplyOptions{.client_message_id = std::move(client_message_id)}, std::move(done));
}

Result<ConversationService::ConversationChannel> ConversationService::ChannelOf(
    Id conversation_id) {
  MERIDIAN_ASSIGN_OR_RETURN(ConversationView conversation, store_.GetConversation(conversation_id));
  MERIDIAN_ASSIGN_OR_RETURN(Inbox inbox, store_.GetInbox(conversation.inbox_id));
  MERIDIAN_ASSIGN_OR_RETURN(auto channel, channels_.For(inbox));
  return ConversationChannel{std::move(inbox), std::move(channel)};
}

Result<WindowCheck> ConversationService::CheckWindow(Id conversation_id, SenderKind sender,
                                                     bool is_template) {
  MERIDIAN_ASSIGN_OR_RETURN(ConversationChannel route, ChannelOf(conversation_id));
  const Inbox& inbox = route.inbox;
  const auto& channel = route.channel;
  MERIDIAN_ASSIGN_OR_RETURN(auto last, store_.LastInboundOf(conversation_id));
  channels::WindowQuery q;
  q.now = clock_.NowMs();
  if (last) q.last_inbound_at = last->at;
  q.sender = sender;
  q.is_template = is_template;
  WindowCheck out;
  channels::WindowRules rules = channel->capabilities().window;
  out.decision = channels::EvaluateWindow(rules, q);
  out.status = channels::DescribeWindow(rules, q.now, q.last_inbound_at);
  if (rules.templates_outside) {
    MERIDIAN_ASSIGN_OR_RETURN(out.templates, store_.ListTemplates(inbox.id));
  }
  return out;
}

Status ConversationService::ApplyStatus(Id inbox_id, const channels::InboundEvent& e) {
  if (!e.status) return Status::Ok();
  if (e.watermark > 0) {
    MERIDIAN_ASSIGN_OR_RETURN(
        auto changed, store_.ApplyStatusWatermark(inbox_id, e.sender_id, *e.status, e.watermark));
    for (const Message& m : changed) PublishMessageUpdate(m);
    return Status::Ok();
  }
  MERIDIAN_ASSIGN_OR_RETURN(
      auto changed,
      store_.ApplyDeliveryStatus(inbox_id, e.provider_message_id, *e.status, e.status_error,
                                 e.sent_at > 0 ? e.sent_at : clock_.NowMs()));
  if (changed) PublishMessageUpdate(*changed);
  return Status::Ok();
}

Result<Message> ConversationService::RetryDeadLetter(Id outbox_id, const Agent& actor) {
  TimestampMs now = clock_.NowMs();
  MERIDIAN_ASSIGN_OR_RETURN(Message m, store_.RetryDeadLetter(outbox_id, now));
  Status audited = store_.AppendAudit({fmt::format("agent:{}", actor.id), "outbox.retry",
                                       fmt::format("outbox:{}", outbox_id),
                                       nlohmann::json({{"message_id", m.id}}).dump(), now});
  (void)audited;  // the retry is done; a failed audit append is reported by the store's log
  PublishMessageUpdate(m);
  if (wake_outbox_) wake_outbox_();
  return m;
}

void ConversationService::ReplyAsync(Id conversation_id, const Agent& agent, std::string text,
                                     ReplyOptions options,
                                     store::Callback<store::AppendResult> done) {
  const auto& tmpl = options.template_ref;
  auto route = ChannelOf(conversation_id);
  if (!route.ok()) return done(route.status());
  const Inbox* inbox = &route->inbox;
  const auto* channel = &route->channel;
  bool outbox = (*channel)->capabilities().uses_outbox;
  if (!options.attachments.empty()) {
    Status files = CheckSendsAttachments(**channel);
    if (!files.ok()) return done(files);
  }

  nlohmann::json payload = nlohmann::json::object();
  if (options.file_only && !options.attachments.empty()) payload["file_only"] = true;
  if (tmpl) {
    if (!(*channel)->capabilities().window.templates_outside) {
      return done(Status::Unprocessable("this channel does not send message templates",
                                        "unknown_template"));
    }
    auto templates = store_.ListTemplates(inbox->id);
    if (!templates.ok()) return done(templates.status());
    Status approved = CheckTemplate(*templates, *tmpl);
    if (!approved.ok()) return done(approved);
    payload["template"] = {
        {"name", tmpl->name}, {"language", tmpl->language}, {"parameters", tmpl->parameters}};
    // What the customer reads, kept as the message's text for agents.
    if (text.empty()) text = RenderTemplate(*templates, *tmpl);
  }
  auto clean = CleanText(text, "text");
  if (!clean.ok()) return done(clean.status());
  auto last = store_.LastInboundOf(conversation_id);
  if (!last.ok()) return done(last.status());
  channels::WindowQuery q;
  q.now = clock_.NowMs();
  if (*last) q.last_inbound_at = (*last)->at;
  q.sender = options.sender_kind;
  q.is_template = tmpl.has_value();
  channels::WindowDecision decision =
      channels::EvaluateWindow((*channel)->capabilities().window, q);
  if (!decision.allowed) {
    return done(Status::Unprocessable(decision.message, "outside_messaging_window"));
  }
  if (!decision.messaging_type.empty()) payload["messaging_type"] = decision.messaging_type;
  if (!decision.tag.empty()) payload["tag"] = decision.tag;
  if (*last) {
    // Channel-specific context of the message answered (email: subject, threading headers).
    std::string context =
        (*channel)->ReplyContext((*last)->provider_message_id, (*last)->meta_json);
    auto extra = nlohmann::json::parse(context.empty() ? "{}" : context, nullptr, false);
    if (extra.is_object()) payload.update(extra);
  }
  if (*last && !(*last)->meta_json.empty()) {
    // A reply token (LINE) of the customer's newest message, with when it arrived.
    auto meta = nlohmann::json::parse((*last)->meta_json, nullptr, false);
    if (meta.is_object() && meta.contains("reply_token")) {
      payload["reply_token"] = meta["reply_token"];
      payload["reply_token_at"] = (*last)->at;
    }
  }

  store::OutboundMessage msg;
  msg.conversation_id = conversation_id;
  msg.sender_kind = options.sender_kind;
  if (options.sender_kind == SenderKind::kAgent) msg.sender_agent_id = agent.id;
  msg.text = std::move(clean).value();
  if (options.translation) {
    auto translated = CleanText(options.translation->text, "translation.text");
    if (!translated.ok()) return done(translated.status());
    msg.original_text = std::move(msg.text);
    msg.original_language = options.translation->original_language;
    msg.text = std::move(translated).value();
    msg.language = options.translation->language;
  }
  msg.client_message_id = std::move(options.client_message_id);
  msg.attachments = std::move(options.attachments);
  msg.created_at = clock_.NowMs();
  if (outbox) {
    msg.outbox_payload = payload.dump();
    msg.initial_status = DeliveryStatus::kPending;
  } else {
    msg.initial_status = DeliveryStatus::kSent;  // delivered live over the widget's socket
  }
  store_.AppendOutboundAsync(
      std::move(msg), [this, outbox, done = std::move(done)](Result<store::AppendResult> r) {
        if (r.ok() && !r->duplicate) {
          events_.Publish({Event::Kind::kMessageCreated, r->conversation, r->message});
          if (outbox && wake_outbox_) wake_outbox_();
        }
        done(std::move(r));
      });
}

Result<ConversationView> ConversationService::Update(Id conversation_id,
                                                     store::ConversationChange change) {
  change.at = clock_.NowMs();
  MERIDIAN_ASSIGN_OR_RETURN(ConversationView c, store_.UpdateConversation(conversation_id, change));
  events_.Publish({Event::Kind::kConversationUpdated, c, std::nullopt});
  return c;
}

Result<ConversationView> ConversationService::Assign(Id conversation_id,
                                                     std::optional<Id> agent_id) {
  return Update(conversation_id, {.assignee = agent_id});
}

Result<ConversationView> ConversationService::SetStatus(Id conversation_id,
                                                        ConversationStatus status) {
  return Update(conversation_id, {.status = status});
}

Result<ConversationView> ConversationService::MarkRead(Id conversation_id) {
  return Update(conversation_id, {.mark_read = true});
}

Result<ConversationView> ConversationService::SetLanguage(Id conversation_id,
                                                          std::string language) {
  if (!language.empty() && !text::IsLanguageTag(language)) {
    return Status::Unprocessable(
        "field 'language' must be a language code such as \"de\" or "
        "\"pt-BR\", or empty",
        "invalid_field");
  }
  return Update(conversation_id, {.language = std::move(language)});
}

void ConversationService::PublishMessageUpdate(const Message& message) {
  auto c = store_.GetConversation(message.conversation_id);
  if (!c.ok()) return;
  events_.Publish({Event::Kind::kMessageUpdated, *c, message});
}

}  // namespace meridian::service
