#pragma once
// Inbound mail for one email inbox (issue 3, CH2): a thread that fetches new mail over IMAP,
// stores each through ConversationService (the same durable, de-duplicated path as every
// channel) and records how far it got, then waits for the next mail with IMAP IDLE (RFC 2177)
// where the server offers it and by polling otherwise.
//
// Nothing is read twice or skipped across restarts: the position is IMAP UIDVALIDITY + the
// highest UID stored (store::MailboxSync), saved only after the mails up to it are durable. A
// crash in between re-reads a few mails, which the store recognizes by Message-ID. A changed
// UIDVALIDITY re-reads the whole mailbox, de-duplicated the same way.
//
// Threading: a mail joins the conversation of the first message (inbound or outbound, same
// inbox) its In-Reply-To/References name (a bounce: the mail that bounced); otherwise it starts
// a new conversation. Auto-replies, list mail and bounces are stored with meta "automated"
// and never reopen a resolved conversation. Attachments, inline images and the original mail
// (original.eml) go to the blob store, typed by sniffing their bytes.
//
// Failures (login refused, server unreachable) back off exponentially up to a limit, are saved
// as the inbox's sync health (GET /api/v1/inboxes shows them), counted in /metrics
// (meridian_mail_poll_errors_total{reason}) and logged with the inbox id and reason only.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "channels/email/email_channel.h"
#include "channels/email/mail_client.h"
#include "core/clock.h"
#include "service/conversation_service.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace meridian::service {

struct MailboxWorkerOptions {
  int64_t poll_ms = 20'000;             // between polls when the server has no IDLE
  int64_t idle_ms = 25 * 60 * 1000;     // one IDLE round (servers end IDLE after 29 minutes)
  int64_t min_backoff_ms = 1'000;       // first retry after a failure; doubles per failure
  int64_t max_backoff_ms = 5 * 60'000;  // longest wait between retries
  size_t batch = 50;                    // mails per fetch
};

// The bytes kept with one inbound mail's attachments, stored and described for the message.
// Also the entry point for other channels' downloaded media and web chat uploads: sniffs,
// limits and stores. `created` (optional) tells whether this call wrote the blob's file.
Result<Attachment> StoreAttachmentBlob(store::BlobStore& blobs, std::string_view bytes,
                                       int64_t max_bytes, Attachment described,
                                       bool* created = nullptr);

class MailboxWorker {
 public:
  MailboxWorker(MailboxWorkerOptions options, Inbox inbox,
                std::shared_ptr<const channels::email::EmailChannel> channel, store::Store& store,
                store::BlobStore& blobs, ConversationService& conversations, const Clock& clock);
  ~MailboxWorker();  // stops and joins
  MailboxWorker(const MailboxWorker&) = delete;
  MailboxWorker& operator=(const MailboxWorker&) = delete;

  void Start();
  // Interrupts a wait or transfer in progress and joins the thread; prompt (no IDLE timeout).
  void Stop();

  // Fetches and stores everything new once, on the calling thread; the number of mails
  // stored (duplicates included). The error (also saved as the inbox's health) when the
  // mailbox could not be read or a mail could not be stored.
  Result<int> PollOnce();

 private:
  void Loop();
  // Stores one fetched mail. Ok for a mail that is skipped on purpose (unparseable, our own).
  Status StoreMail(const channels::email::FetchedMail& fetched);
  void RecordFailure(const Status& status);
  // Waits up to `ms` or until Stop(); false when stopping.
  bool Sleep(int64_t ms);

  const MailboxWorkerOptions options_;
  const Inbox inbox_;
  std::shared_ptr<const channels::email::EmailChannel> channel_;
  store::Store& store_;
  store::BlobStore& blobs_;
  ConversationService& conversations_;
  const Clock& clock_;
  std::unique_ptr<channels::email::ImapClient> imap_;  // null when the URL is unusable
  Status imap_error_;
  channels::email::ImapState state_;  // the position after the last successful poll
  bool idle_supported_ = true;
  int failures_ = 0;
  std::mt19937_64 rng_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace meridian::service
