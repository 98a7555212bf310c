#include "mail_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace meridian::channels::email::testing {
namespace {

namespace fs = std::filesystem;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool WaitForPort(int port, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Chown(const fs::path& p, const passwd* user) {
  if (user != nullptr && chown(p.c_str(), user->pw_uid, user->pw_gid) != 0) {
    // Dovecot reports the permission problem itself.
  }
}

}  // namespace

// Dovecot 2.3's default post-login CAPABILITY without IDLE (imap_capability replaces the whole
// list; only a leading '+' would add to it).
constexpr const char* kCapabilitiesWithoutIdle =
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES "
    "THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN "
    "NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES "
    "WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW "
    "STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE";

MailServers::MailServers(MailServersOptions options) : options_(options) {
  char tmpl[] = "/tmp/meridian-mail-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  imap_port_ = FreePort();
  lmtp_port_ = FreePort();
  submission_port_ = FreePort();
  mta_port_ = FreePort();
  imap_ok_ = StartDovecot();
}

bool MailServers::EnsureSmtp() {
  if (!smtp_ok_ && imap_ok_) smtp_ok_ = StartOpenSmtpd();
  return smtp_ok_;
}

bool MailServers::StartDovecot() {
  if (!fs::exists("/usr/sbin/dovecot")) {
    error_ = "dovecot is not installed (scripts/apt-packages.txt: dovecot-imapd)";
    return false;
  }
  bool root = geteuid() == 0;
  // As root, Dovecot refuses to run login and mail processes as root: use its own users.
  const passwd* self = getpwuid(geteuid());
  const passwd* mail_user = root ? getpwnam("dovecot") : self;
  const passwd* login_user = root ? getpwnam("dovenull") : self;
  if (self == nullptr || mail_user == nullptr || login_user == nullptr) {
    error_ = "dovecot/dovenull users missing";
    return false;
  }
  const group* mail_group = getgrgid(mail_user->pw_gid);
  std::string mail_group_name = mail_group ? mail_group->gr_name : mail_user->pw_name;
  fs::create_directories(dir_ + "/run");
  fs::create_directories(dir_ + "/mail");
  fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  Chown(dir_ + "/mail", mail_user);
  std::ofstream conf(dir_ + "/dovecot.conf");
  conf << "protocols = imap lmtp submission\n"
       << "listen = 127.0.0.1\n"
       << "base_dir = " << dir_ << "/run\n"
       << "state_dir = " << dir_ << "/run/state\n"
       << "instance_name = meridian-test-" << imap_port_ << "\n"
       << "default_internal_user = " << mail_user->pw_name << "\n"
       << "default_internal_group = " << mail_group_name << "\n"
       << "default_login_user = " << login_user->pw_name << "\n"
       << "first_valid_uid = 1\n"
       << "ssl = no\n"
       << "disable_plaintext_auth = no\n"
       << "auth_mechanisms = plain login\n"
       << "auth_username_format = %Ln\n"
       << "log_path = " << dir_ << "/dovecot.log\n"
       << "mail_location = maildir:" << dir_
       << "/mail/%n\n"
       // A Sent folder, as mail providers create it, for the copies of sent replies.
       << "namespace inbox {\n  inbox = yes\n  mailbox Sent {\n    auto = create\n"
       << "    special_use = \\Sent\n  }\n}\n"
       << "hostname = meridian.test\n"
       << "postmaster_address = postmaster@meridian.test\n"
       // Every user shares the password, so a test can read any recipient's mailbox (mail to
       // anyone is delivered into a mailbox named after the address's local part).
       << "passdb {\n  driver = static\n  args = password=" << kPassword << "\n}\n"
       << "userdb {\n  driver = static\n  args = uid=" << mail_user->pw_uid
       << " gid=" << mail_user->pw_gid << " home=" << dir_ << "/mail/%n\n}\n"
       << "service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = "
       << imap_port_ << "\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n"
       << "service lmtp {\n  inet_listener lmtp {\n    address = 127.0.0.1\n    port = "
       << lmtp_port_ << "\n  }\n}\n"
       << "service submission-login {\n  inet_listener submission {\n    address = 127.0.0.1\n"
       << "    port = " << submission_port_ << "\n  }\n}\n"
       << "submission_relay_host = 127.0.0.1\n"
       << "submission_relay_port = " << mta_port_ << "\n"
       << "submission_relay_trusted = yes\n";
  if (!options_.idle) conf << "imap_capability = " << kCapabilitiesWithoutIdle << "\n";
  conf.close();
  // In the foreground (-F) as our child, so we know its pid; output to /dev/null so it never
  // holds the test runner's pipes open.
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    std::string conf_path = dir_ + "/dovecot.conf";
    execl("/usr/sbin/dovecot", "dovecot", "-F", "-c", conf_path.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  dovecot_pid_ = pid;
  if (pid < 0 || !WaitForPort(imap_port_, std::chrono::seconds(10))) {
    error_ = "dovecot did not start: " + ReadAll(dir_ + "/dovecot.log");
    return false;
  }
  return true;
}

bool MailServers::StartOpenSmtpd() {
  if (geteuid() != 0) {
    error_ = "OpenSMTPD needs root; SMTP round trip not run";
    return false;
  }
  if (!fs::exists("/usr/sbin/smtpd")) {
    error_ = "opensmtpd is not installed (scripts/apt-packages.txt)";
    return false;
  }
  // Every recipient is delivered over LMTP into Dovecot, as the dovecot user.
  std::ofstream(dir_ + "/vusers") << "@ dovecot\n";
  std::ofstream(dir_ + "/smtpd.conf")
      << "table vusers file:" << dir_ << "/vusers\n"
      << "listen on 127.0.0.1 port " << mta_port_ << " hostname meridian.test\n"
      << "action \"deliver\" lmtp \"127.0.0.1:" << lmtp_port_
      << "\" rcpt-to virtual <vusers>\n"
      // Mail to this domain is refused (550), as a real MTA refuses an unknown recipient.
      << "match from any for domain \"rejected.example\" reject\n"
      << "match from any for any action \"deliver\"\n";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t pid = fork();
    if (pid == 0) {
      int log = open((dir_ + "/smtpd.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(log, 1);
      dup2(log, 2);
      std::string conf = dir_ + "/smtpd.conf";
      execl("/usr/sbin/smtpd", "smtpd", "-d", "-f", conf.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Up when its port answers; exited when another instance holds the control socket.
    for (int i = 0; i < 100; ++i) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        break;
      }
      if (WaitForPort(mta_port_, std::chrono::milliseconds(50))) {
        // A second instance binds its port briefly before it finds the control socket taken
        // and exits: up means still running a moment later.
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        if (waitpid(pid, &status, WNOHANG) == pid) {
          pid = -1;
          break;
        }
        smtpd_pid_ = pid;
        return WaitForPort(submission_port_, std::chrono::seconds(5));
      }
    }
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  error_ = "opensmtpd did not start (another instance running?): " + ReadAll(dir_ + "/smtpd.log");
  return false;
}

std::string MailServers::logs() const {
  return "--- dovecot.log\n" + ReadAll(dir_ + "/dovecot.log") + "--- smtpd.log\n" +
         ReadAll(dir_ + "/smtpd.log");
}

MailServers::~MailServers() {
  if (smtpd_pid_ > 0) {
    kill(smtpd_pid_, SIGTERM);
    int status = 0;
    waitpid(smtpd_pid_, &status, 0);
  }
  if (dovecot_pid_ > 0) {
    kill(dovecot_pid_, SIGTERM);
    int status = 0;
    bool exited = false;
    for (int i = 0; i < 200 && !exited; ++i) {
      exited = waitpid(dovecot_pid_, &status, WNOHANG) == dovecot_pid_;
      if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Still there after 10 s (a loaded machine): its children exit when the master dies.
    if (!exited) {
      kill(dovecot_pid_, SIGKILL);
      waitpid(dovecot_pid_, &status, 0);
    }
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

}  // namespace meridian::channels::email::testing
