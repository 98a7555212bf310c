#pragma once
// Real mail servers for tests, started on 127.0.0.1 in a temp dir and stopped by the destructor:
//   Dovecot: IMAP (mailbox in a maildir), LMTP (delivery into it), and its submission service
//            (SMTP AUTH against a passwd-file) which relays to
//   OpenSMTPD: the MTA, delivering over LMTP back into Dovecot.
// So a mail sent through SmtpClient takes the path a real one does: submission with AUTH ->
// MTA -> LMTP -> mailbox -> IMAP. Dovecot runs as any user; OpenSMTPD needs root (it drops
// privileges itself), so without root the SMTP path is unavailable and its tests skip.

#include <sys/types.h>

#include <string>

namespace meridian::channels::email::testing {

struct MailServersOptions {
  // false: Dovecot leaves IDLE out of its CAPABILITY answer (imap_capability), as servers
  // without IDLE do, so clients must fall back to polling.
  bool idle = true;
};

class MailServers {
 public:
  // Starts Dovecot. error() says why something did not start.
  explicit MailServers(MailServersOptions options = {});
  ~MailServers();
  MailServers(const MailServers&) = delete;
  MailServers& operator=(const MailServers&) = delete;

  bool imap_ok() const { return imap_ok_; }
  // Starts OpenSMTPD on first use (it needs root, and only one instance can run per machine:
  // its control socket is fixed, so this waits up to 30 s for another test's instance to end).
  bool EnsureSmtp();
  const std::string& error() const { return error_; }
  // The servers' logs, for failure messages.
  std::string logs() const;

  std::string imap_url() const {
    return "imap://127.0.0.1:" + std::to_string(imap_port_) + "/INBOX";
  }
  std::string submission_url() const {
    return "smtp://127.0.0.1:" + std::to_string(submission_port_);
  }
  static constexpr const char* kUser = "alice";
  static constexpr const char* kPassword = "secret-Pa55";
  static constexpr const char* kAddress = "alice@meridian.test";

 private:
  bool StartDovecot();
  bool StartOpenSmtpd();

  MailServersOptions options_;
  std::string dir_;
  int imap_port_ = 0;
  int lmtp_port_ = 0;
  int submission_port_ = 0;
  int mta_port_ = 0;
  pid_t smtpd_pid_ = -1;
  pid_t dovecot_pid_ = -1;
  bool imap_ok_ = false;
  bool smtp_ok_ = false;
  std::string error_;
};

}  // namespace meridian::channels::email::testing
