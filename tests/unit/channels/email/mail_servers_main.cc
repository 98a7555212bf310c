// Real mail servers for black-box tests (tests/api/email_flow.test.mjs): starts Dovecot and
// OpenSMTPD through MailServers (mail_servers.h), prints one JSON line with their URLs and
// credentials, then answers commands on stdin, one per line, until stdin closes (which stops
// the servers):
//   append PATH       -> "ok" | "error ..."   APPEND the mail in PATH to the test user's INBOX
//   dump USER [BOX]   -> JSON array of {"uid","raw"} of USER's mailbox BOX (default INBOX; any
//                        user: the password is shared, and mail to any address is delivered to
//                        the local part's box)
// Options: --no-idle (Dovecot without IDLE in its CAPABILITY), --imap-only (no OpenSMTPD).

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "channels/email/mail_client.h"
#include "mail_servers.h"

using meridian::channels::email::FetchedMail;
using meridian::channels::email::ImapClient;
using meridian::channels::email::ImapState;
using meridian::channels::email::MailServerConfig;
using meridian::channels::email::testing::MailServers;
using nlohmann::json;

namespace {

std::string WithCrlf(const std::string& raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
    out += raw[i];
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  meridian::channels::email::testing::MailServersOptions options;
  bool want_smtp = true;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--no-idle") options.idle = false;
    if (arg == "--imap-only") want_smtp = false;
  }
  MailServers servers(options);
  bool smtp = want_smtp && servers.imap_ok() && servers.EnsureSmtp();
  json hello = {{"imap_url", servers.imap_url()},
                {"smtp_url", servers.submission_url()},
                {"user", MailServers::kUser},
                {"password", MailServers::kPassword},
                {"address", MailServers::kAddress},
                {"imap", servers.imap_ok()},
                {"smtp", smtp},
                {"error", servers.error()}};
  std::cout << hello.dump() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string command = line.substr(0, line.find(' '));
    std::string arg = line.find(' ') == std::string::npos ? "" : line.substr(line.find(' ') + 1);
    if (command == "append") {
      std::ifstream in(arg, std::ios::binary);
      std::ostringstream raw;
      raw << in.rdbuf();
      auto client = ImapClient::Create(
          MailServerConfig{servers.imap_url(), MailServers::kUser, MailServers::kPassword});
      auto appended = client.ok() ? (*client)->Append(WithCrlf(raw.str())) : client.status();
      std::cout << (appended.ok() ? "ok" : "error " + appended.ToString()) << std::endl;
    } else if (command == "dump") {
      // "dump USER" or "dump USER MAILBOX" (default INBOX).
      std::string user = arg.substr(0, arg.find(' '));
      std::string mailbox =
          arg.find(' ') == std::string::npos ? "INBOX" : arg.substr(arg.find(' ') + 1);
      std::string url = servers.imap_url();
      url = url.substr(0, url.rfind('/') + 1) + mailbox;
      auto client = ImapClient::Create(MailServerConfig{url, user, MailServers::kPassword});
      json mails = json::array();
      ImapState state;
      for (int i = 0; client.ok() && i < 100; ++i) {
        auto batch = (*client)->FetchNew(state, 100);
        if (!batch.ok()) break;
        for (const FetchedMail& m : batch->mails) mails.push_back({{"uid", m.uid}, {"raw", m.raw}});
        state = batch->state;
        if (!batch->more) break;
      }
      std::cout << mails.dump(-1, ' ', false, json::error_handler_t::replace) << std::endl;
    } else if (command == "logs") {
      std::cout << json(servers.logs()).dump(-1, ' ', false, json::error_handler_t::replace)
                << std::endl;
    } else {
      std::cout << "error unknown command" << std::endl;
    }
  }
  return 0;
}
