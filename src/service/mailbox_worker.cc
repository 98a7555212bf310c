#include "service/mailbox_worker.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/await.h"
#include "core/metrics.h"
#include "core/sniff.h"
#include "core/text.h"
#include "core/thread_name.h"
#include "nlp/pii/pii.h"

namespace meridian::service {

namespace {

using channels::email::FetchedMail;
using nlohmann::json;

metrics::Counter* FetchedCounter() {
  static metrics::Counter* c = metrics::Registry::Global().GetCounter(
      "meridian_mail_fetched_total", "Mails fetched from IMAP mailboxes (duplicates included)");
  return c;
}

metrics::Counter* SkippedCounter() {
  static metrics::Counter* c = metrics::Registry::Global().GetCounter(
      "meridian_mail_skipped_total", "Fetched mails not stored: unreadable, or our own copy");
  return c;
}

// One counter per failure reason; reasons are a small fixed set of codes.
metrics::Counter* ErrorCounter(const std::string& reason) {
  static const char* kKnown[] = {"mail_login_failed", "mail_server_unavailable",
                                 "mailbox_not_found", "invalid_mail_url", "store_failed"};
  std::string label = "other";
  for (const char* k : kKnown) {
    if (reason == k) label = k;
  }
  return metrics::Registry::Global().GetCounter("meridian_mail_poll_errors_total",
                                                "Failed IMAP polls by reason",
                                                fmt::format(R"(reason="{}")", label));
}

// The text an agent reads: the mail without quoted history, within the message size limit.
std::string DisplayText(const channels::email::InboundMail& mail) {
  std::string text(text::TruncateUtf8(mail.event.text, kMaxMessageBytes - 64));
  if (text.size() < mail.event.text.size()) text += "\n[…]";
  if (text.find_first_not_of(" \t\r\n") != std::string::npos) return text;
  if (!mail.parsed.subject.empty())
    return std::string(text::TruncateUtf8(mail.parsed.subject, 1000));
  for (const auto& a : mail.parsed.attachments) {
    if (!a.is_inline)
      return "[" + (a.filename.empty() ? std::string("attachment") : a.filename) + "]";
  }
  return "[empty mail]";
}

}  // namespace

Result<Attachment> StoreAttachmentBlob(store::BlobStore& blobs, std::string_view bytes,
                                       int64_t max_bytes, Attachment described, bool* created) {
  if (created != nullptr) *created = false;
  if (bytes.empty() || static_cast<int64_t>(bytes.size()) > max_bytes) {
    // Over the limit (or dropped by the parser for its size): described, never stored.
    described.stored = false;
    described.sha256_hex.clear();
    described.content_type = "application/octet-stream";
    return described;
  }
  MERIDIAN_ASSIGN_OR_RETURN(store::BlobRef ref, blobs.Put(bytes));
  if (created != nullptr) *created = ref.created;
  described.stored = true;
  described.sha256_hex = ref.sha256_hex;
  described.size = static_cast<int64_t>(ref.size);
  described.content_type = SniffContentType(bytes).mime;
  return described;
}

MailboxWorker::MailboxWorker(MailboxWorkerOptions options, Inbox inbox,
                             std::shared_ptr<const channels::email::EmailChannel> channel,
                             store::Store& store, store::BlobStore& blobs,
                             ConversationService& conversations, const Clock& clock)
    : options_(options),
      inbox_(std::move(inbox)),
      channel_(std::move(channel)),
      store_(store),
      blobs_(blobs),
      conversations_(conversations),
      clock_(clock),
      rng_(std::random_device{}()) {
  auto imap = channels::email::ImapClient::Create(channel_->account().imap);
  if (imap.ok()) {
    imap_ = std::move(imap).value();
  } else {
    imap_error_ = imap.status();
  }
}

MailboxWorker::~MailboxWorker() { Stop(); }

void MailboxWorker::Start() {
  thread_ = std::thread([this] {
    NameThisThread("mailbox");
    Loop();
  });
}

void MailboxWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (imap_) imap_->Interrupt();
  if (thread_.joinable()) thread_.join();
}

bool MailboxWorker::Sleep(int64_t ms) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stopping_; });
  return !stopping_;
}

void MailboxWorker::Loop() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    auto polled = PollOnce();
    if (!polled.ok()) {
      // Exponential backoff with jitter; the failure is already recorded.
      int64_t delay = options_.min_backoff_ms;
      for (int i = 1; i < failures_ && delay < options_.max_backoff_ms; ++i) delay *= 2;
      delay = std::min(delay, options_.max_backoff_ms);
      std::uniform_real_distribution<double> jitter(0.8, 1.2);
      if (!Sleep(static_cast<int64_t>(static_cast<double>(delay) * jitter(rng_)))) return;
      continue;
    }
    if (idle_supported_) {
      auto changed = imap_->WaitForChange(static_cast<long>(options_.idle_ms), &state_);
      if (changed.ok()) continue;
      if (changed.status().reason() == "imap_idle_unsupported") {
        spdlog::info("inbox {}: the IMAP server has no IDLE; polling every {} ms", inbox_.id,
                     options_.poll_ms);
        idle_supported_ = false;
      } else {
        // A dropped IDLE connection: the next poll tells whether the server is really gone.
        if (!Sleep(options_.min_backoff_ms)) return;
        continue;
      }
    }
    if (!Sleep(options_.poll_ms)) return;
  }
}

void MailboxWorker::RecordFailure(const Status& status) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;  // a transfer cut short by Stop() is not the server's failure
  }
  ++failures_;
  ErrorCounter(status.reason())->Inc();
  // Ids and the reason only: a server's message may quote an address.
  spdlog::warn("inbox {}: mail poll failed ({}), failure {} in a row", inbox_.id, status.reason(),
               failures_);
  auto sync = store_.GetMailboxSync(inbox_.id);
  if (!sync.ok()) return;
  sync->healthy = false;
  sync->error = status.reason() + ": " + std::string(text::TruncateUtf8(status.message(), 300));
  sync->failures = failures_;
  sync->last_attempt_at = clock_.NowMs();
  static_cast<void>(store_.SaveMailboxSync(*sync));
}

Result<int> MailboxWorker::PollOnce() {
  if (!imap_) {
    RecordFailure(imap_error_);
    return imap_error_;
  }
  auto saved = store_.GetMailboxSync(inbox_.id);
  if (!saved.ok()) return saved.status();
  store::MailboxSync sync = *saved;
  channels::email::ImapState state{sync.uidvalidity, sync.last_uid};
  int stored = 0;
  while (true) {
    auto batch = imap_->FetchNew(state, options_.batch);
    if (!batch.ok()) {
      RecordFailure(batch.status());
      return batch.status();
    }
    if (batch->uidvalidity_changed) {
      spdlog::warn("inbox {}: UIDVALIDITY changed; re-reading the mailbox (de-duplicated)",
                   inbox_.id);
    }
    channels::email::ImapState reached{batch->state.uidvalidity, state.last_uid};
    if (batch->uidvalidity_changed) reached.last_uid = 0;
    Status failed;
    for (const FetchedMail& mail : batch->mails) {
      failed = StoreMail(mail);
      if (!failed.ok()) break;
      reached.last_uid = mail.uid;
      ++stored;
    }
    if (failed.ok()) reached = batch->state;
    sync.uidvalidity = reached.uidvalidity;
    sync.last_uid = reached.last_uid;
    sync.last_attempt_at = clock_.NowMs();
    if (failed.ok()) {
      sync.healthy = true;
      sync.error.clear();
      sync.failures = 0;
      sync.last_success_at = sync.last_attempt_at;
    }
    // Only changes are written: an idle mailbox polled every few seconds costs no fsync.
    bool changed = !(state == reached) || !saved->healthy || saved->last_success_at == 0;
    if (changed || !failed.ok()) {
      Status saved_ok = store_.SaveMailboxSync(sync);
      if (!saved_ok.ok()) {
        RecordFailure(Status::Unavailable(saved_ok.message(), "store_failed"));
        return saved_ok;
      }
      saved = sync;
    }
    state = reached;
    state_ = state;
    if (!failed.ok()) {
      RecordFailure(Status::Unavailable(failed.message(), "store_failed"));
      return failed;
    }
    failures_ = 0;
    if (!batch->more) break;
  }
  return stored;
}

Status MailboxWorker::StoreMail(const FetchedMail& fetched) {
  FetchedCounter()->Inc();
  auto mail = channel_->ReadMail(fetched.raw);
  if (!mail.ok()) {
    SkippedCounter()->Inc();
    spdlog::warn("inbox {}: mail UID {} skipped: {}", inbox_.id, fetched.uid,
                 mail.status().reason());
    return Status::Ok();
  }
  if (mail->from_us) {
    SkippedCounter()->Inc();  // a copy of our own reply (we are also a recipient)
    return Status::Ok();
  }
  MERIDIAN_ASSIGN_OR_RETURN(auto thread,
                            store_.FindConversationByProviderIds(inbox_.id, mail->thread_keys));

  store::InboundMessage msg;
  msg.inbox_id = inbox_.id;
  std::string sender = mail->parsed.from.address;
  std::transform(sender.begin(), sender.end(), sender.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  msg.external_sender_id = sender.empty() ? "unknown-sender" : sender;
  msg.sender_name = mail->parsed.from.name;
  msg.provider_message_id = mail->event.provider_message_id;
  msg.text = DisplayText(*mail);
  msg.sent_at = mail->event.sent_at;
  msg.received_at = clock_.NowMs();
  msg.conversation_id = thread;
  msg.new_conversation = !thread.has_value();
  msg.automated = mail->parsed.is_automated();
  json meta = json::parse(mail->meta_json, nullptr, false);
  if (!meta.is_object()) meta = json::object();
  // The original's full text (quoted history included), for agents who need the history;
  // card numbers never stored in clear (PR1), like every text.
  if (mail->parsed.text != msg.text && meta.contains("email")) {
    meta["email"]["full_text"] =
        nlp::ScrubCardNumbers(text::TruncateUtf8(mail->parsed.text, 256 * 1024));
  }
  msg.meta_json = meta.dump(-1, ' ', false, json::error_handler_t::replace);

  int64_t limit = channel_->capabilities().max_attachment_bytes;
  for (const auto& a : mail->parsed.attachments) {
    Attachment described;
    described.filename = a.filename;
    described.claimed_type = a.content_type;
    described.content_id = a.content_id;
    described.is_inline = a.is_inline;
    described.size = static_cast<int64_t>(a.size);
    MERIDIAN_ASSIGN_OR_RETURN(Attachment stored,
                              StoreAttachmentBlob(blobs_, a.bytes, limit, std::move(described)));
    msg.attachments.push_back(std::move(stored));
  }
  // The original mail as received, so nothing the parser dropped is lost.
  Attachment original;
  original.filename = "original.eml";
  original.claimed_type = "message/rfc822";
  original.size = static_cast<int64_t>(fetched.raw.size());
  MERIDIAN_ASSIGN_OR_RETURN(
      original, StoreAttachmentBlob(blobs_, fetched.raw, INT64_MAX, std::move(original)));
  original.content_type = "message/rfc822";  // we parsed it as a mail: that is what it is
  msg.attachments.push_back(std::move(original));

  auto result = Await<store::IngestResult>([&](store::Callback<store::IngestResult> done) {
    conversations_.IngestAsync(std::move(msg), std::move(done));
  });
  if (!result.ok() && result.status().code() != StatusCode::kUnavailable &&
      result.status().code() != StatusCode::kInternal) {
    // The mail itself is refused (e.g. text the edge rejects): skipping it keeps one bad mail
    // from blocking the mailbox forever. A store failure is retried instead.
    SkippedCounter()->Inc();
    spdlog::warn("inbox {}: mail UID {} refused: {}", inbox_.id, fetched.uid,
                 result.status().reason());
    return Status::Ok();
  }
  return result.status();
}

}  // namespace meridian::service
