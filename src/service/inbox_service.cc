#include "service/inbox_service.h"

#include <fmt/format.h>

#include "core/crypto.h"

namespace meridian::service {

using nlohmann::json;

namespace {

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxConfigBytes = size_t{64} * 1024;
constexpr int kUpdateAttempts = 3;

// Inboxes whose secret is a JSON object of named provider credentials.
bool HasNamedSecrets(const Inbox& inbox) {
  return inbox.channel != "api" && inbox.channel != "webchat" && inbox.channel != "email";
}

std::string_view TrimSpace(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

Status Invalid(std::string message) {
  return Status::Unprocessable(std::move(message), "invalid_field");
}

json ParseObject(const std::string& text) {
  json parsed = json::parse(text.empty() ? "{}" : text, nullptr, false);
  return parsed.is_object() ? parsed : json::object();
}

// Applies key -> value (null removes) to `target`, recording "prefix.key" in `changed` for
// every key whose value actually changes.
void Merge(json& target, const json& patch, std::string_view prefix,
           std::vector<std::string>& changed) {
  for (const auto& [key, value] : patch.items()) {
    auto it = target.find(key);
    if (value.is_null()) {
      if (it == target.end()) continue;
      target.erase(it);
    } else {
      if (it != target.end() && *it == value) continue;
      target[key] = value;
    }
    changed.push_back(fmt::format("{}.{}", prefix, key));
  }
}

}  // namespace

Result<InboxPatch> InboxService::ParsePatch(const json& body) {
  InboxPatch patch;
  if (auto it = body.find("name"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) return Invalid("field 'name' must be a string");
    std::string name(TrimSpace(it->get_ref<const std::string&>()));
    if (name.empty()) return Invalid("field 'name' must not be empty");
    if (name.size() > kMaxNameBytes) {
      return Invalid(fmt::format("field 'name' must be at most {} bytes", kMaxNameBytes));
    }
    patch.name = std::move(name);
  }
  if (auto it = body.find("config"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return Invalid("field 'config' must be an object");
    patch.config = *it;
  }
  if (auto it = body.find("secrets"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return Invalid("field 'secrets' must be an object");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_null() && (!value.is_string() || value.get_ref<const std::string&>().empty())) {
        return Invalid(fmt::format("field 'secrets.{}' must be a non-empty string or null", key));
      }
    }
    patch.secrets = *it;
  }
  if (auto it = body.find("password"); it != body.end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      return Invalid("field 'password' must be a non-empty string");
    }
    patch.password = it->get<std::string>();
  }
  return patch;
}

Result<Inbox> InboxService::Update(Id id, const InboxPatch& patch, const std::string& actor) {
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    MERIDIAN_ASSIGN_OR_RETURN(Inbox inbox, ReadFresh(id));
    Inbox changed = inbox;
    std::vector<std::string> fields;  // names only: values may be secrets
    if (patch.name && *patch.name != inbox.name) {
      changed.name = *patch.name;
      fields.emplace_back("name");
    }
    if (!patch.config.empty()) {
      json config = ParseObject(inbox.config_json);
      Merge(config, patch.config, "config", fields);
      changed.config_json = config.dump();
      if (changed.config_json.size() > kMaxConfigBytes) {
        return Invalid(fmt::format("inbox settings must be at most {} bytes", kMaxConfigBytes));
      }
    }
    if (!patch.secrets.empty()) {
      if (!HasNamedSecrets(inbox)) {
        return Invalid(fmt::format("a {} inbox has no provider credentials{}", inbox.channel,
                                   inbox.channel == "email"
                                       ? " (its mailbox password is 'password')"
                                   : inbox.channel == "api" ? " (rotate its signing secret instead)"
                                                            : ""));
      }
      json secrets = ParseObject(inbox.secret);
      Merge(secrets, patch.secrets, "secrets", fields);
      changed.secret = secrets.dump();
    }
    if (patch.password) {
      if (inbox.channel != "email") {
        return Invalid(fmt::format("{} inboxes have no mailbox password", inbox.channel));
      }
      if (*patch.password != inbox.secret) {
        changed.secret = *patch.password;
        fields.emplace_back("password");
      }
    }
    if (fields.empty()) return inbox;
    auto stored = Store(changed);
    if (!stored.ok() && stored.status().is_conflict()) continue;  // read again, apply again
    if (stored.ok()) {
      (void)store_.AppendAudit({actor, "inbox.update", fmt::format("inbox:{}", id),
                                json{{"changed", fields}}.dump(), clock_.NowMs()});
    }
    return stored;
  }
  return Status::Conflict(fmt::format("inbox {} keeps changing; try again", id));
}

Result<Inbox> InboxService::RotateSecret(Id id, int64_t grace_seconds, const std::string& actor) {
  if (grace_seconds < 0 || grace_seconds > kMaxSecretGraceSeconds) {
    return Invalid(fmt::format("grace_seconds must be between 0 and {}", kMaxSecretGraceSeconds));
  }
  const int64_t grace_ms = grace_seconds * 1000;
  for (int attempt = 0; attempt < kUpdateAttempts; ++attempt) {
    MERIDIAN_ASSIGN_OR_RETURN(Inbox inbox, ReadFresh(id));
    if (inbox.channel != "api") {
      return Invalid(
          fmt::format("only API inboxes have a signing secret to rotate; a {} inbox's "
                      "credentials are changed with 'secrets'",
                      inbox.channel));
    }
    Inbox changed = inbox;
    changed.secret = crypto::RandomToken(32);
    changed.previous_secret = grace_ms > 0 ? inbox.secret : std::string();
    changed.previous_secret_until = grace_ms > 0 ? clock_.NowMs() + grace_ms : 0;
    auto stored = Store(changed);
    if (!stored.ok() && stored.status().is_conflict()) continue;
    if (stored.ok()) {
      (void)store_.AppendAudit({actor, "inbox.rotate_secret", fmt::format("inbox:{}", id),
                                json{{"grace_seconds", grace_seconds}}.dump(), clock_.NowMs()});
    }
    return stored;
  }
  return Status::Conflict(fmt::format("inbox {} keeps changing; try again", id));
}

Result<Inbox> InboxService::ReadFresh(Id id) {
  MERIDIAN_ASSIGN_OR_RETURN(std::vector<Inbox> all, store_.ListInboxes());
  for (auto& inbox : all) {
    if (inbox.id == id) return std::move(inbox);
  }
  return Status::NotFound(fmt::format("inbox {} does not exist", id));
}

Result<Inbox> InboxService::Store(const Inbox& changed) {
  MERIDIAN_RETURN_IF_ERROR(channels_.Validate(changed));
  return store_.UpdateInbox(changed);
}

}  // namespace meridian::service
