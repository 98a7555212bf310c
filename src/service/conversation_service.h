#pragma once
// The spine's orchestration: inbound messages into the store, agent replies into the store and
// the outbox, and events to whoever listens (DESIGN.md section 1). Thread-safe.

#include <functional>
#include <optional>
#include <string>

#include "channels/channel.h"
#include "channels/policy/window_policy.h"
#include "core/clock.h"
#include "service/events.h"
#include "store/store.h"

namespace meridian::service {

// Most bytes of text one message may carry.
inline constexpr size_t kMaxMessageBytes = 16 * 1024;

// An approved template to send instead of free text (WhatsApp outside the 24-hour window).
struct ReplyTemplate {
  std::string name;
  std::string language;
  std::vector<std::string> parameters;
};

// OK when `t` is among `approved` in its language with the recorded number of parameters;
// Unprocessable("unknown_template") or Unprocessable("invalid_field") otherwise.
Status CheckTemplate(const std::vector<MessageTemplate>& approved, const ReplyTemplate& t);

// The template's approved body with its {{n}} placeholders filled in, or a short
// "[template name (language)] parameters" line when the body was not recorded.
std::string RenderTemplate(const std::vector<MessageTemplate>& approved, const ReplyTemplate& t);

// OK when agents may send files through `channel` (ReplyOptions::attachments);
// Unprocessable("attachments_not_supported") otherwise.
Status CheckSendsAttachments(const channels::Channel& channel);

// A reply sent in translation (LG2): the customer receives `text` (in `language`); the agent's
// own words (the reply's text, in `original_language`) are stored with it.
struct ReplyTranslation {
  std::string text;
  std::string language;
  std::string original_language;
};

struct ReplyOptions {
  std::optional<std::string> client_message_id;
  std::optional<ReplyTranslation> translation;
  std::optional<ReplyTemplate> template_ref;
  SenderKind sender_kind = SenderKind::kAgent;  // kBot for automation (never HUMAN_AGENT)
  // Files sent with the reply, already in the blob store (UploadService). Refused with
  // Unprocessable("attachments_not_supported") unless the channel sends attachments.
  std::vector<Attachment> attachments;
  // The reply's text is only a placeholder for its file ("[image]"): not sent as a caption.
  bool file_only = false;
};

// Whether a reply may be sent now, and what the channel allows instead when it may not.
struct WindowCheck {
  channels::WindowDecision decision;
  channels::WindowStatus status;  // the window as the workspace shows it (human agent, free text)
  // The inbox's approved templates, when its channel sends templates outside the window.
  std::vector<MessageTemplate> templates;
};

class ConversationService {
 public:
  ConversationService(store::Store& store, channels::ChannelRegistry& channels, EventSink& events,
                      const Clock& clock);

  // Called after an agent reply is queued in the outbox, to wake the delivery worker.
  void SetOutboxWaker(std::function<void()> wake) { wake_outbox_ = std::move(wake); }
  // Called after a new inbound message is stored, to wake the enrichment pipeline.
  void SetEnrichmentWaker(std::function<void()> wake) { wake_enrichment_ = std::move(wake); }

  // Validates (UTF-8, NFC, size) and durably stores an inbound message; `done` runs after commit
  // (on the store's completion thread). Publishes message.created unless it was a duplicate.
  void IngestAsync(store::InboundMessage message, store::Callback<store::IngestResult> done);

  // An agent's reply. NotFound for an unknown conversation; Unprocessable for empty/oversized
  // text. Queued in the outbox when the channel delivers through a provider.
  void ReplyAsync(Id conversation_id, const Agent& agent, std::string text,
                  std::optional<std::string> client_message_id,
                  store::Callback<store::AppendResult> done);
  // The same with a template and the sender's kind. Unprocessable("outside_messaging_window")
  // when the channel's window rules refuse it (CheckWindow tells the details),
  // Unprocessable("unknown_template") for a template or language the inbox has not approved.
  void ReplyAsync(Id conversation_id, const Agent& agent, std::string text, ReplyOptions options,
                  store::Callback<store::AppendResult> done);

  // The inbox a conversation belongs to, with its channel. NotFound for an unknown
  // conversation; the registry's error for an inbox whose channel cannot be built.
  struct ConversationChannel {
    Inbox inbox;
    std::shared_ptr<const channels::Channel> channel;
  };
  Result<ConversationChannel> ChannelOf(Id conversation_id);

  // The messaging-window decision for a reply in this conversation now.
  Result<WindowCheck> CheckWindow(Id conversation_id, SenderKind sender, bool is_template);

  // Applies a provider's delivery status (blocking: call off the I/O threads); publishes
  // message.updated when it changed a message. Unknown ids are kept for later. A watermark
  // status applies to every earlier message sent to the event's sender.
  Status ApplyStatus(Id inbox_id, const channels::InboundEvent& status_event);

  // A manual retry of a dead letter by `actor` (blocking): back into the outbox with its
  // attempts reset, audited, message.updated published and the worker woken. NotFound /
  // Conflict("not_dead_letter") from the store.
  Result<Message> RetryDeadLetter(Id outbox_id, const Agent& actor);

  // Blocking updates (call off the I/O threads). Each publishes conversation.updated.
  Result<ConversationView> Assign(Id conversation_id, std::optional<Id> agent_id);
  Result<ConversationView> SetStatus(Id conversation_id, ConversationStatus status);
  Result<ConversationView> MarkRead(Id conversation_id);
  // An agent's choice of the conversation's language (LG1), kept over detection; "" hands the
  // choice back to detection. Unprocessable for a tag that is not a language code.
  Result<ConversationView> SetLanguage(Id conversation_id, std::string language);

  // Publishes an outbox status change (used by the delivery worker).
  void PublishMessageUpdate(const Message& message);

  // NFC-normalizes and checks text from outside, and masks payment card numbers (they are
  // never stored in clear). Reason names the field `field`.
  static Result<std::string> CleanText(std::string_view text, std::string_view field);

 private:
  Result<ConversationView> Update(Id conversation_id, store::ConversationChange change);

  store::Store& store_;
  channels::ChannelRegistry& channels_;
  EventSink& events_;
  const Clock& clock_;
  std::function<void()> wake_outbox_;
  std::function<void()> wake_enrichment_;
};

}  // namespace meridian::service
