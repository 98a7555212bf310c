#pragma once
// Agents, passwords (Argon2id via libsodium), sessions and API tokens, login rate limiting.
// Tokens are random 256-bit values; only their SHA-256 is stored. Thread-safe.

#include <map>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/model.h"
#include "core/status.h"
#include "store/store.h"

namespace meridian::service {

struct Principal {
  Agent agent;
  store::Session session;
};

struct LoginResult {
  std::string token;
  std::string csrf_token;
  Agent agent;
  TimestampMs expires_at = 0;
};

class AuthService {
 public:
  AuthService(store::Store& store, const Clock& clock);

  // Validates and creates an agent. `actor` is recorded in the audit log ("cli", "agent:1").
  // Unprocessable naming the field for a bad email/name/role/short password; Conflict when the
  // email is taken.
  Result<Agent> CreateAgent(const std::string& email, const std::string& name,
                            const std::string& role, const std::string& password,
                            const std::string& actor);

  // Checks the password and opens a browser session. Unauthenticated for a wrong email or
  // password (the same message for both); RateLimited after too many failures per email or IP.
  // CPU-heavy (Argon2id): do not call on an I/O thread.
  Result<LoginResult> Login(const std::string& email, const std::string& password,
                            const std::string& remote_ip);

  // The principal behind a bearer token or session cookie value. Unauthenticated when unknown
  // or expired.
  Result<Principal> Authenticate(const std::string& token);
  Status Logout(const std::string& token);

  // A long-lived API token for integrations.
  Result<std::string> CreateApiToken(Id agent_id);

  static std::string HashToken(const std::string& token);

 private:
  bool Throttled(const std::string& key, TimestampMs now);
  void RecordFailure(const std::string& key, TimestampMs now);

  store::Store& store_;
  const Clock& clock_;
  std::mutex mu_;
  struct Failures {
    int count = 0;
    TimestampMs window_start = 0;
  };
  std::map<std::string, Failures> failures_;
};

}  // namespace meridian::service
