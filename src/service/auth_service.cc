#include "service/auth_service.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

#include "core/crypto.h"
#include "core/text.h"

namespace meridian::service {

namespace {
constexpr TimestampMs kSessionLifetimeMs = 12LL * 3600 * 1000;
constexpr TimestampMs kApiTokenLifetimeMs = 365LL * 24 * 3600 * 1000;
constexpr TimestampMs kFailureWindowMs = 15LL * 60 * 1000;
constexpr int kMaxFailures = 10;
constexpr size_t kMinPasswordLength = 8;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool LooksLikeEmail(const std::string& e) {
  size_t at = e.find('@');
  return at != std::string::npos && at > 0 && at == e.rfind('@') &&
         e.find('.', at) != std::string::npos && e.size() <= 254 &&
         e.find_first_of(" \t\r\n") == std::string::npos;
}
}  // namespace

AuthService::AuthService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {
  if (sodium_init() < 0) std::abort();  // cannot run without a working crypto library
}

std::string AuthService::HashToken(const std::string& token) {
  return crypto::HexEncode(crypto::Sha256(token));
}

Result<Agent> AuthService::CreateAgent(const std::string& email_in, const std::string& name,
                                       const std::string& role_name, const std::string& password,
                                       const std::string& actor) {
  std::string email = Lower(email_in);
  if (!LooksLikeEmail(email)) {
    return Status::Unprocessable("field 'email' must be an email address", "invalid_field");
  }
  if (name.empty() || name.size() > 200 || !text::IsValidUtf8(name)) {
    return Status::Unprocessable("field 'name' must be 1 to 200 bytes of UTF-8", "invalid_field");
  }
  auto role = ParseRole(role_name);
  if (!role) {
    return Status::Unprocessable("field 'role' must be admin, supervisor or agent",
                                 "invalid_field");
  }
  if (password.size() < kMinPasswordLength) {
    return Status::Unprocessable(
        fmt::format("field 'password' must have at least {} characters", kMinPasswordLength),
        "invalid_field");
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Unavailable("out of memory while hashing the password");
  }
  MERIDIAN_ASSIGN_OR_RETURN(Agent agent,
                            store_.CreateAgent({email, name, *role, std::string(hash), "en"}));
  (void)store_.AppendAudit({actor, "agent.create", fmt::format("agent:{}", agent.id),
                            fmt::format(R"({{"role":"{}"}})", RoleName(*role)), clock_.NowMs()});
  return agent;
}

bool AuthService::Throttled(const std::string& key, TimestampMs now) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return false;
  if (now - it->second.window_start > kFailureWindowMs) {
    failures_.erase(it);
    return false;
  }
  return it->second.count >= kMaxFailures;
}

void AuthService::RecordFailure(const std::string& key, TimestampMs now) {
  std::lock_guard lock(mu_);
  if (failures_.size() > 100000) failures_.clear();  // bounded memory under a spray attack
  Failures& f = failures_[key];
  if (now - f.window_start > kFailureWindowMs) f = Failures{0, now};
  ++f.count;
}

Result<LoginResult> AuthService::Login(const std::string& email_in, const std::string& password,
                                       const std::string& remote_ip) {
  std::string email = Lower(email_in);
  TimestampMs now = clock_.NowMs();
  std::string email_key = "email:" + email;
  std::string ip_key = "ip:" + remote_ip;
  if (Throttled(email_key, now) || Throttled(ip_key, now)) {
    return Status::RateLimited("too many failed logins; try again in 15 minutes");
  }
  auto creds = store_.FindAgentByEmail(email);
  bool ok = creds.ok() && crypto_pwhash_str_verify(creds->password_hash.c_str(), password.data(),
                                                   password.size()) == 0;
  if (!ok) {
    RecordFailure(email_key, now);
    RecordFailure(ip_key, now);
    (void)store_.AppendAudit({"anonymous", "auth.login_failed", "email", "{}", now});
    return Status::Unauthenticated("wrong email or password", "invalid_credentials");
  }
  LoginResult out;
  out.token = crypto::RandomToken(32);
  out.csrf_token = crypto::RandomToken(24);
  out.agent = creds->agent;
  out.expires_at = now + kSessionLifetimeMs;
  MERIDIAN_RETURN_IF_ERROR(
      store_.CreateSession({HashToken(out.token), out.agent.id, store::SessionKind::kBrowser,
                            out.csrf_token, now, out.expires_at}));
  (void)store_.AppendAudit({fmt::format("agent:{}", out.agent.id), "auth.login",
                            fmt::format("agent:{}", out.agent.id), "{}", now});
  return out;
}

Result<Principal> AuthService::Authenticate(const std::string& token) {
  if (token.empty() || token.size() > 256) {
    return Status::Unauthenticated("authentication required");
  }
  auto session = store_.FindSession(HashToken(token), clock_.NowMs());
  if (!session.ok()) return Status::Unauthenticated("session is invalid or expired");
  MERIDIAN_ASSIGN_OR_RETURN(Agent agent, store_.GetAgent(session->agent_id));
  return Principal{std::move(agent), std::move(session).value()};
}

Status AuthService::Logout(const std::string& token) {
  return store_.DeleteSession(HashToken(token));
}

Result<std::string> AuthService::CreateApiToken(Id agent_id) {
  TimestampMs now = clock_.NowMs();
  std::string token = crypto::RandomToken(32);
  MERIDIAN_RETURN_IF_ERROR(
      store_.CreateSession({HashToken(token), agent_id, store::SessionKind::kApiToken, "", now,
                            now + kApiTokenLifetimeMs}));
  (void)store_.AppendAudit(
      {"cli", "api_token.create", fmt::format("agent:{}", agent_id), "{}", now});
  return token;
}

}  // namespace meridian::service
