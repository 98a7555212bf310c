#include "service/conversation_service.h"

#include <fmt/format.h>

#include <regex>

#include "core/metrics.h"
#include "core/text.h"
#include "nlp/pii/pii.h"

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
  auto clean = CleanText(text, "text");
  if (!clean.ok()) return done(clean.status());
  auto conversation = store_.GetConversation(conversation_id);
  if (!conversation.ok()) return done(conversation.status());
  auto inbox = store_.GetInbox(conversation->inbox_id);
  if (!inbox.ok()) return done(inbox.status());
  auto channel = channels_.For(*inbox);
  if (!channel.ok()) return done(channel.status());
  bool outbox = (*channel)->capabilities().uses_outbox;

  store::OutboundMessage msg;
  msg.conversation_id = conversation_id;
  msg.sender_kind = SenderKind::kAgent;
  msg.sender_agent_id = agent.id;
  msg.text = std::move(clean).value();
  msg.client_message_id = std::move(client_message_id);
  msg.created_at = clock_.NowMs();
  if (outbox) {
    msg.outbox_payload = "{}";
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
  // ISO 639-1/-3, optionally with a region or script: "de", "pt-BR", "zh-Hant".
  static const std::regex kTag("^([a-z]{2,3})(-[A-Za-z0-9]{2,8})*$");
  if (!language.empty() && !std::regex_match(language, kTag)) {
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
