#pragma once
// Mail transport through libcurl: IMAP inbound (RFC 9051/3501), SMTP outbound (RFC 5321,
// RFC 4954 AUTH, RFC 3207 STARTTLS).
//
// Inbound is UID-based (RFC 3501 section 2.3.1.1): the caller persists an ImapState
// (UIDVALIDITY + highest UID it has durably stored) and passes it back on the next poll, so a
// restart neither re-reads nor skips mail. If the server's UIDVALIDITY changes, UIDs are
// meaningless; the poll starts again from UID 1 and says so (the store de-duplicates on
// Message-ID, so nothing is stored twice).
//
// IDLE (RFC 2177): libcurl has no IDLE command, so WaitForChange() opens its own connection with
// CURLOPT_CONNECT_ONLY (curl still does the greeting, STARTTLS and login) and speaks SELECT /
// IDLE / DONE itself. An inbox worker loops: FetchNew, then WaitForChange(up to 25 minutes,
// under the 29-minute IDLE limit), then FetchNew again. Servers without IDLE answer
// Unimplemented-style Unavailable("imap_idle_unsupported"): then poll FetchNew every 15-30 s
// (one NOOP + STATUS round trip when nothing is new). The loop and its backoff on errors
// belong to the caller.
//
// Clients are not thread-safe: one per inbox worker. They keep one connection alive across
// calls (curl's connection cache) and never log credentials or message content.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.h"
#include "core/status.h"

namespace meridian::channels::email {

struct MailServerConfig {
  // imap://host:port/MAILBOX, imaps://host:port/MAILBOX (mailbox defaults to INBOX),
  // smtp://host:port or smtps://host:port.
  std::string url;
  std::string username;
  std::string password;  // never logged
  // Plain URLs: true = STARTTLS required, false = STARTTLS when offered. Ignored for imaps/smtps.
  bool require_tls = false;
  bool verify_peer = true;
  std::string ca_file;  // extra CA bundle (e.g. a test's self-signed certificate); empty = system
  long timeout_ms = 30000;
};

struct ImapState {
  uint64_t uidvalidity = 0;  // 0: never polled
  uint64_t last_uid = 0;     // highest UID durably stored
  bool operator==(const ImapState&) const = default;
};

struct FetchedMail {
  uint64_t uid = 0;
  std::string raw;  // RFC 5322 bytes as stored on the server
};

struct FetchBatch {
  std::vector<FetchedMail> mails;  // ascending UID
  // The state to persist once every mail of the batch is stored. To commit part of a batch,
  // persist {state.uidvalidity, mails[i].uid} for the last stored i.
  ImapState state;
  bool uidvalidity_changed = false;
  bool more = false;  // more new mail than max_mails: poll again right away
};

class ImapClient {
 public:
  // InvalidArgument("invalid_imap_url") unless the URL is imap:// or imaps://.
  static Result<std::unique_ptr<ImapClient>> Create(MailServerConfig config);
  ~ImapClient();
  ImapClient(const ImapClient&) = delete;
  ImapClient& operator=(const ImapClient&) = delete;

  // Mail with UID > state.last_uid (or all mail after a UIDVALIDITY change), at most
  // `max_mails`. Unavailable on connection/timeouts (retry later), Unauthenticated on a login
  // failure, NotFound for a missing mailbox.
  Result<FetchBatch> FetchNew(const ImapState& state, size_t max_mails = 100);

  // Blocks until the server announces a change in the mailbox (new mail: EXISTS/RECENT) or
  // `timeout_ms` passes. true: call FetchNew now; false: timed out (or interrupted).
  // Unavailable on connection errors and ("imap_idle_unsupported") when the server lacks IDLE.
  // With `known` (the state after the last FetchNew), mail that arrived before IDLE started
  // (the mailbox's UIDNEXT or UIDVALIDITY moved on) answers true at once instead of waiting.
  Result<bool> WaitForChange(long timeout_ms, const ImapState* known = nullptr);

  // Thread-safe, and sticky: a WaitForChange in progress returns false promptly, a transfer in
  // progress is aborted (Unavailable), and later calls do the same. For shutting a worker down.
  void Interrupt();

  // Stores `raw` in `mailbox` (empty = the URL's mailbox), e.g. a copy of a sent reply.
  Status Append(std::string_view raw, std::string_view mailbox = {});

 private:
  struct Impl;
  explicit ImapClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class SmtpClient {
 public:
  // InvalidArgument("invalid_smtp_url") unless the URL is smtp:// or smtps://.
  static Result<std::unique_ptr<SmtpClient>> Create(MailServerConfig config);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Sends `raw` (CRLF line ends; curl does the dot-stuffing). Delivered on 2xx; kRetry on
  // 4xx replies, connection failures and timeouts; kPermanentFailure on 5xx replies (e.g. an
  // unknown recipient) and on authentication failures. `error` carries the server's reply
  // code, never credentials.
  SendResult Send(std::string_view envelope_from, const std::vector<std::string>& recipients,
                  std::string_view raw);

 private:
  struct Impl;
  explicit SmtpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace meridian::channels::email
