// ImapClient and SmtpClient over libcurl's imap/smtp protocols. IMAP commands used: STATUS
// (UIDVALIDITY, UIDNEXT), UID SEARCH UID n:*, UID FETCH n BODY[] (curl's ";UID=" URL, guarded
// by ";UIDVALIDITY=" so a changed mailbox fails instead of returning another mail), APPEND.

#include "channels/email/mail_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include "channels/email/internal.h"

namespace meridian::channels::email {
namespace {

struct CurlCleanup {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlPtr = std::unique_ptr<CURL, CurlCleanup>;

struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistFree>;

CurlPtr NewCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return CurlPtr(curl_easy_init());
}

size_t AppendToString(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct Upload {
  std::string_view data;
  size_t pos = 0;
};

size_t ReadFromUpload(char* buffer, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t len = std::min(size * n, up->data.size() - up->pos);
  std::memcpy(buffer, up->data.data() + up->pos, len);
  up->pos += len;
  return len;
}

// Options every request of a client shares. curl_easy_reset keeps the live connection.
void SetCommon(CURL* c, const MailServerConfig& cfg, const std::string& url) {
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_USERNAME, cfg.username.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.password.c_str());
  curl_easy_setopt(c, CURLOPT_USE_SSL, cfg.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, cfg.verify_peer ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, cfg.verify_peer ? 2L : 0L);
  if (!cfg.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, cfg.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(cfg.timeout_ms, 10000L));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
}

Status CurlStatus(CURLcode rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_OK:
      return Status::Ok();
    case CURLE_LOGIN_DENIED:
      return Status::Unauthenticated(msg, "mail_login_failed");
    case CURLE_REMOTE_FILE_NOT_FOUND:
      return Status::NotFound(msg, "mailbox_not_found");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Status::InvalidArgument(msg, "invalid_mail_url");
    default:
      return Status::Unavailable(msg, "mail_server_unavailable");
  }
}

// Splits "imap://host:port/Mailbox;params" into "imap://host:port/" and "Mailbox".
void SplitImapUrl(const std::string& url, std::string& base, std::string& mailbox) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) {
    base = url + "/";
    mailbox.clear();
  } else {
    base = url.substr(0, slash + 1);
    mailbox = url.substr(slash + 1);
    mailbox = mailbox.substr(0, mailbox.find_first_of(";?"));
    while (!mailbox.empty() && mailbox.back() == '/') mailbox.pop_back();
  }
  if (mailbox.empty()) mailbox = "INBOX";
}

// The number after `key` in an IMAP response ("UIDVALIDITY 123"); 0 when absent.
uint64_t NumberAfter(std::string_view text, std::string_view key) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  size_t pos = upper.find(key);
  if (pos == std::string::npos) return 0;
  pos += key.size();
  while (pos < upper.size() && upper[pos] == ' ') ++pos;
  uint64_t v = 0;
  while (pos < upper.size() && std::isdigit(static_cast<unsigned char>(upper[pos]))) {
    v = v * 10 + static_cast<uint64_t>(upper[pos] - '0');
    ++pos;
  }
  return v;
}

std::vector<uint64_t> ParseSearch(std::string_view response) {
  std::vector<uint64_t> uids;
  size_t pos = 0;
  while ((pos = response.find("* SEARCH", pos)) != std::string_view::npos) {
    pos += 8;
    size_t end = response.find('\n', pos);
    std::string_view line = response.substr(pos, end == std::string_view::npos ? end : end - pos);
    uint64_t v = 0;
    bool in_number = false;
    for (char ch : line) {
      if (std::isdigit(static_cast<unsigned char>(ch))) {
        v = v * 10 + static_cast<uint64_t>(ch - '0');
        in_number = true;
      } else {
        if (in_number) uids.push_back(v);
        v = 0;
        in_number = false;
      }
    }
    if (in_number) uids.push_back(v);
  }
  return uids;
}

bool HasScheme(const std::string& url, std::initializer_list<std::string_view> schemes) {
  std::string lower = internal::AsciiLower(url.substr(0, 8));
  return std::any_of(schemes.begin(), schemes.end(),
                     [&](std::string_view s) { return lower.rfind(s, 0) == 0; });
}

// Aborts a transfer once the client is interrupted (curl's progress callback).
int AbortWhenInterrupted(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

}  // namespace

struct ImapClient::Impl {
  MailServerConfig config;
  std::string base;     // imap://host:port/
  std::string mailbox;  // decoded-as-given mailbox path, e.g. INBOX
  CurlPtr curl;
  std::atomic<bool> interrupted{false};
  int wake_pipe[2] = {-1, -1};  // written by Interrupt(), polled by WaitForChange

  ~Impl() {
    for (int fd : wake_pipe) {
      if (fd >= 0) close(fd);
    }
  }

  // One IDLE round on its own connection (WaitForChange without the interrupt mapping).
  Result<bool> Idle(long timeout_ms, const ImapState* known);

  void SetCommonInterruptible(CURL* c, const std::string& url) {
    SetCommon(c, config, url);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, AbortWhenInterrupted);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &interrupted);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  }

  Result<std::string> Command(const std::string& url, const std::string& command) {
    if (interrupted) return Status::Unavailable("interrupted", "interrupted");
    std::string body;
    SetCommonInterruptible(curl.get(), url);
    if (!command.empty()) curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, command.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, AppendToString);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) return CurlStatus(rc, command.empty() ? "IMAP FETCH" : "IMAP command");
    return body;
  }
};

ImapClient::ImapClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ImapClient::~ImapClient() = default;

Result<std::unique_ptr<ImapClient>> ImapClient::Create(MailServerConfig config) {
  if (!HasScheme(config.url, {"imap://", "imaps://"})) {
    return Status::InvalidArgument("IMAP URL must start with imap:// or imaps://",
                                   "invalid_imap_url");
  }
  auto impl = std::make_unique<Impl>();
  SplitImapUrl(config.url, impl->base, impl->mailbox);
  impl->config = std::move(config);
  impl->curl = NewCurl();
  if (!impl->curl) return Status::Internal("curl_easy_init failed");
  if (pipe2(impl->wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Status::Internal("cannot create a pipe");
  }
  return std::unique_ptr<ImapClient>(new ImapClient(std::move(impl)));
}

Result<FetchBatch> ImapClient::FetchNew(const ImapState& state, size_t max_mails) {
  Impl& d = *impl_;
  char* unescaped = curl_easy_unescape(d.curl.get(), d.mailbox.c_str(),
                                       static_cast<int>(d.mailbox.size()), nullptr);
  std::string mailbox_name = unescaped == nullptr ? d.mailbox : std::string(unescaped);
  curl_free(unescaped);
  std::string quoted = "\"";
  for (char c : mailbox_name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += "\"";
  // On a reused connection the mailbox is still selected, and a server may answer STATUS for
  // the selected mailbox from the session's view (Dovecot does): NOOP syncs that view first.
  MERIDIAN_RETURN_IF_ERROR(d.Command(d.base, "NOOP").status());
  MERIDIAN_ASSIGN_OR_RETURN(std::string status,
                            d.Command(d.base, "STATUS " + quoted + " (UIDVALIDITY UIDNEXT)"));
  FetchBatch batch;
  uint64_t uidvalidity = NumberAfter(status, "UIDVALIDITY");
  uint64_t uidnext = NumberAfter(status, "UIDNEXT");
  if (uidvalidity == 0) {
    return Status::Unavailable("IMAP STATUS gave no UIDVALIDITY", "mail_server_unavailable");
  }
  uint64_t after = state.last_uid;
  if (state.uidvalidity != uidvalidity) {
    batch.uidvalidity_changed = state.uidvalidity != 0;
    after = 0;
  }
  batch.state = {uidvalidity, after};
  if (uidnext != 0 && uidnext <= after + 1) return batch;  // nothing new: one round trip

  std::string mailbox_url = d.base + d.mailbox;
  MERIDIAN_ASSIGN_OR_RETURN(
      std::string search,
      d.Command(mailbox_url, "UID SEARCH UID " + std::to_string(after + 1) + ":*"));
  std::vector<uint64_t> uids = ParseSearch(search);
  // "n:*" always matches the highest UID, even when it is below n.
  uids.erase(std::remove_if(uids.begin(), uids.end(), [&](uint64_t u) { return u <= after; }),
             uids.end());
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  if (uids.empty() && uidnext > after + 1) {
    // Everything below UIDNEXT that is not there any more was expunged: skip past it, so the
    // next poll (and WaitForChange's UIDNEXT check) does not look at the gap again.
    batch.state.last_uid = uidnext - 1;
    return batch;
  }
  if (uids.size() > max_mails) {
    uids.resize(max_mails);
    batch.more = true;
  }
  for (uint64_t uid : uids) {
    std::string url = mailbox_url + ";UIDVALIDITY=" + std::to_string(uidvalidity) +
                      "/;UID=" + std::to_string(uid);
    auto raw = d.Command(url, "");
    if (!raw.ok()) {
      // Expunged between SEARCH and FETCH: skip it. Anything else: return what we have.
      if (raw.status().is_not_found()) continue;
      if (batch.mails.empty()) return raw.status();
      batch.more = true;
      break;
    }
    batch.mails.push_back({uid, std::move(raw).value()});
    batch.state.last_uid = uid;
  }
  return batch;
}

namespace {

// A raw IMAP session for IDLE on a CONNECT_ONLY handle (already logged in by curl).
class RawImap {
 public:
  // `wake_fd` (may be -1) readable = stop waiting.
  RawImap(CURL* curl, int wake_fd) : curl_(curl), wake_fd_(wake_fd) {
    curl_socket_t sock = CURL_SOCKET_BAD;
    curl_easy_getinfo(curl_, CURLINFO_ACTIVESOCKET, &sock);
    sock_ = sock;
  }

  Status Send(std::string_view line) {
    size_t done = 0;
    while (done < line.size()) {
      size_t n = 0;
      CURLcode rc = curl_easy_send(curl_, line.data() + done, line.size() - done, &n);
      if (rc == CURLE_AGAIN) {
        if (!Wait(POLLOUT, 10000)) return Status::Unavailable("IMAP send timed out");
        if (woken_) return Status::Unavailable("interrupted", "interrupted");
        continue;
      }
      if (rc != CURLE_OK) return CurlStatus(rc, "IMAP send");
      done += n;
    }
    return Status::Ok();
  }

  // Next line (without CRLF); empty optional-like Result on timeout: NotFound("timeout").
  Result<std::string> ReadLine(std::chrono::steady_clock::time_point deadline) {
    while (true) {
      size_t nl = buffer_.find("\r\n");
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 2);
        return line;
      }
      char chunk[4096];
      size_t n = 0;
      CURLcode rc = curl_easy_recv(curl_, chunk, sizeof(chunk), &n);
      if (rc == CURLE_AGAIN) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !Wait(POLLIN, static_cast<int>(left.count()))) {
          return Status::NotFound("timeout", "timeout");
        }
        if (woken_) return Status::NotFound("interrupted", "timeout");
        continue;
      }
      if (rc != CURLE_OK) return CurlStatus(rc, "IMAP receive");
      if (n == 0) return Status::Unavailable("IMAP server closed the connection");
      buffer_.append(chunk, n);
      if (buffer_.size() > (1u << 20)) return Status::Unavailable("IMAP line too long");
    }
  }

  // Reads until the tagged completion of `tag`; Unavailable unless it is OK.
  Status Complete(std::string_view tag, std::chrono::steady_clock::time_point deadline) {
    while (true) {
      auto next = ReadLine(deadline);
      if (!next.ok()) return next.status();
      const std::string& line = next.value();
      if (line.rfind(std::string(tag) + " ", 0) == 0) {
        if (line.compare(tag.size() + 1, 2, "OK") == 0) return Status::Ok();
        return Status::Unavailable("IMAP command failed: " + line.substr(0, 200));
      }
    }
  }

 private:
  bool Wait(short events, int timeout_ms) {
    pollfd p[2] = {{static_cast<int>(sock_), events, 0}, {wake_fd_, POLLIN, 0}};
    int n = poll(p, wake_fd_ >= 0 ? 2 : 1, timeout_ms);
    if (n > 0 && wake_fd_ >= 0 && (p[1].revents & POLLIN) != 0) woken_ = true;
    return n > 0;
  }

  CURL* curl_;
  int wake_fd_ = -1;
  bool woken_ = false;
  curl_socket_t sock_ = CURL_SOCKET_BAD;
  std::string buffer_;
};

bool AnnouncesNewMail(std::string_view line) {
  std::string upper(line);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return upper.rfind("* ", 0) == 0 &&
         (upper.find(" EXISTS") != std::string::npos || upper.find(" RECENT") != std::string::npos);
}

}  // namespace

void ImapClient::Interrupt() {
  impl_->interrupted = true;
  char one = 1;
  if (write(impl_->wake_pipe[1], &one, 1) < 0) {
    // Already full: a wake-up is pending anyway.
  }
}

Result<bool> ImapClient::WaitForChange(long timeout_ms, const ImapState* known) {
  if (impl_->interrupted) return false;
  auto changed = impl_->Idle(timeout_ms, known);
  // Whatever an interrupt cut short (connect, login, EXAMINE, IDLE) is not an error.
  if (!changed.ok() && impl_->interrupted) return false;
  return changed;
}

Result<bool> ImapClient::Impl::Idle(long timeout_ms, const ImapState* known) {
  Impl& d = *this;
  CurlPtr idle_curl = NewCurl();
  if (!idle_curl) return Status::Internal("curl_easy_init failed");
  d.SetCommonInterruptible(idle_curl.get(), d.base);
  curl_easy_setopt(idle_curl.get(), CURLOPT_TIMEOUT_MS, 0L);
  curl_easy_setopt(idle_curl.get(), CURLOPT_CONNECT_ONLY, 1L);
  CURLcode rc = curl_easy_perform(idle_curl.get());
  if (rc != CURLE_OK) return CurlStatus(rc, "IMAP connect");
  RawImap imap(idle_curl.get(), d.wake_pipe[0]);
  auto command_deadline = [&] {
    return std::chrono::steady_clock::now() + std::chrono::milliseconds(d.config.timeout_ms);
  };
  // Select the mailbox (read-only) so IDLE watches it; its answer also says whether IDLE
  // exists via CAPABILITY.
  MERIDIAN_RETURN_IF_ERROR(imap.Send("M1 CAPABILITY\r\n"));
  bool has_idle = false;
  auto deadline = command_deadline();
  while (true) {
    auto next = imap.ReadLine(deadline);
    if (!next.ok()) return next.status();
    const std::string& line = next.value();
    if (line.rfind("* CAPABILITY", 0) == 0 && line.find(" IDLE") != std::string::npos) {
      has_idle = true;
    }
    if (line.rfind("M1 ", 0) == 0) break;
  }
  if (!has_idle) {
    return Status::Unavailable("the IMAP server does not support IDLE", "imap_idle_unsupported");
  }
  char* unescaped = curl_easy_unescape(idle_curl.get(), d.mailbox.c_str(),
                                       static_cast<int>(d.mailbox.size()), nullptr);
  std::string name = unescaped == nullptr ? d.mailbox : std::string(unescaped);
  curl_free(unescaped);
  if (name.find_first_of("\"\\\r\n") != std::string::npos) {
    return Status::InvalidArgument("mailbox name not supported for IDLE", "invalid_imap_url");
  }
  MERIDIAN_RETURN_IF_ERROR(imap.Send("M2 EXAMINE \"" + name + "\"\r\n"));
  uint64_t uidnext = 0;
  uint64_t uidvalidity = 0;
  deadline = command_deadline();
  while (true) {
    auto next = imap.ReadLine(deadline);
    if (!next.ok()) return next.status();
    const std::string& line = next.value();
    if (line.rfind("* OK [UIDNEXT", 0) == 0) uidnext = NumberAfter(line, "UIDNEXT");
    if (line.rfind("* OK [UIDVALIDITY", 0) == 0) uidvalidity = NumberAfter(line, "UIDVALIDITY");
    if (line.rfind("M2 ", 0) == 0) {
      if (line.compare(3, 2, "OK") != 0) {
        return Status::Unavailable("IMAP EXAMINE failed: " + line.substr(0, 200));
      }
      break;
    }
  }
  if (known != nullptr && ((uidvalidity != 0 && uidvalidity != known->uidvalidity) ||
                           (uidnext != 0 && uidnext > known->last_uid + 1))) {
    static_cast<void>(imap.Send("M4 LOGOUT\r\n"));
    return true;  // mail arrived between the last fetch and now
  }
  MERIDIAN_RETURN_IF_ERROR(imap.Send("M3 IDLE\r\n"));
  deadline = command_deadline();
  while (true) {
    auto next = imap.ReadLine(deadline);
    if (!next.ok()) return next.status();
    const std::string& line = next.value();
    if (line.rfind("+", 0) == 0) break;
    if (line.rfind("M3 ", 0) == 0) return Status::Unavailable("IMAP IDLE refused");
  }
  bool changed = false;
  auto idle_end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!changed) {
    auto line = imap.ReadLine(idle_end);
    if (!line.ok()) {
      if (line.status().reason() == "timeout") break;
      return line.status();
    }
    changed = AnnouncesNewMail(*line);
  }
  // Leave IDLE politely; the connection is closed either way.
  if (imap.Send("DONE\r\nM4 LOGOUT\r\n").ok()) {
    static_cast<void>(imap.Complete("M3", command_deadline()));
  }
  return changed;
}

Status ImapClient::Append(std::string_view raw, std::string_view mailbox) {
  Impl& d = *impl_;
  std::string url = d.base + (mailbox.empty() ? d.mailbox : std::string(mailbox));
  SetCommon(d.curl.get(), d.config, url);
  Upload up{raw};
  curl_easy_setopt(d.curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(d.curl.get(), CURLOPT_READFUNCTION, ReadFromUpload);
  curl_easy_setopt(d.curl.get(), CURLOPT_READDATA, &up);
  curl_easy_setopt(d.curl.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(raw.size()));
  return CurlStatus(curl_easy_perform(d.curl.get()), "IMAP APPEND");
}

struct SmtpClient::Impl {
  MailServerConfig config;
  CurlPtr curl;
};

SmtpClient::SmtpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SmtpClient::~SmtpClient() = default;

Result<std::unique_ptr<SmtpClient>> SmtpClient::Create(MailServerConfig config) {
  if (!HasScheme(config.url, {"smtp://", "smtps://"})) {
    return Status::InvalidArgument("SMTP URL must start with smtp:// or smtps://",
                                   "invalid_smtp_url");
  }
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  impl->curl = NewCurl();
  if (!impl->curl) return Status::Internal("curl_easy_init failed");
  return std::unique_ptr<SmtpClient>(new SmtpClient(std::move(impl)));
}

SendResult SmtpClient::Send(std::string_view envelope_from,
                            const std::vector<std::string>& recipients, std::string_view raw) {
  SendResult result;
  if (recipients.empty()) {
    result.outcome = DeliveryOutcome::kPermanentFailure;
    result.error = "no recipients";
    return result;
  }
  Impl& d = *impl_;
  CURL* c = d.curl.get();
  SetCommon(c, d.config, d.config.url);
  // Credentials only when configured: an unauthenticated relay must not see an empty AUTH.
  if (d.config.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, nullptr);
    curl_easy_setopt(c, CURLOPT_PASSWORD, nullptr);
  }
  std::string from = "<" + std::string(envelope_from) + ">";
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_slist* list = nullptr;
  for (const auto& r : recipients) {
    curl_slist* next = curl_slist_append(list, ("<" + r + ">").c_str());
    if (next == nullptr) {
      curl_slist_free_all(list);
      result.outcome = DeliveryOutcome::kRetry;
      result.error = "out of memory";
      return result;
    }
    list = next;
  }
  SlistPtr rcpts(list);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts.get());
  Upload up{raw};
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadFromUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(raw.size()));
  CURLcode rc = curl_easy_perform(c);
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  if (rc == CURLE_OK) return result;
  result.error =
      "SMTP " + (reply > 0 ? std::to_string(reply) + " " : std::string()) + curl_easy_strerror(rc);
  if (rc == CURLE_LOGIN_DENIED || (reply >= 500 && reply < 600) || rc == CURLE_URL_MALFORMAT ||
      rc == CURLE_UNSUPPORTED_PROTOCOL) {
    result.outcome = DeliveryOutcome::kPermanentFailure;
  } else {
    result.outcome = DeliveryOutcome::kRetry;
  }
  return result;
}

}  // namespace meridian::channels::email
