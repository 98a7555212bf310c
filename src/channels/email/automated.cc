// Recognizing mail that must never be answered automatically, so automation cannot start a
// mail loop. RFC 3834 section 2 (Auto-Submitted), section 3.1.8 (do not reply to null senders,
// lists or bulk), RFC 3464 (DSNs), plus the de-facto headers large senders use: Precedence
// (bulk/junk/list/auto_reply), X-Autoreply, X-Autorespond, X-Auto-Response-Suppress-less
// Exchange auto-replies carry "Auto-Submitted" or "X-Autoreply".

#include <algorithm>
#include <cctype>
#include <string>

#include "channels/email/internal.h"

namespace meridian::channels::email {

std::string_view AutomatedKindName(AutomatedKind kind) {
  switch (kind) {
    case AutomatedKind::kNone:
      return "none";
    case AutomatedKind::kAutoReply:
      return "auto_reply";
    case AutomatedKind::kBulk:
      return "bulk";
    case AutomatedKind::kBounce:
      return "bounce";
  }
  return "none";
}

namespace internal {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string TrimWhitespace(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

namespace {

// First token of a header value: "auto-replied; owner-email=..." -> "auto-replied".
std::string FirstToken(std::string_view value) {
  std::string v = AsciiLower(TrimWhitespace(value));
  size_t end = v.find_first_of(" ;\t(");
  return end == std::string::npos ? v : v.substr(0, end);
}

void Set(ParsedEmail& email, AutomatedKind kind, std::string reason) {
  // A bounce outranks an auto-reply, which outranks bulk.
  auto rank = [](AutomatedKind k) {
    return k == AutomatedKind::kBounce      ? 3
           : k == AutomatedKind::kAutoReply ? 2
           : k == AutomatedKind::kBulk      ? 1
                                            : 0;
  };
  if (rank(kind) > rank(email.automated)) {
    email.automated = kind;
    email.automated_reason = std::move(reason);
  }
}

}  // namespace

void ClassifyAutomated(const HeaderFn& header, bool has_delivery_status, ParsedEmail& email) {
  if (has_delivery_status) Set(email, AutomatedKind::kBounce, "multipart/report delivery-status");
  std::string local = AsciiLower(email.from.address.substr(0, email.from.address.find('@')));
  if (local == "mailer-daemon" || local == "postmaster") {
    Set(email, AutomatedKind::kBounce, "From: " + local);
  }
  std::string auto_submitted = FirstToken(header("Auto-Submitted"));
  if (!auto_submitted.empty() && auto_submitted != "no") {
    Set(email, AutomatedKind::kAutoReply, "Auto-Submitted: " + auto_submitted);
  }
  if (!TrimWhitespace(header("X-Autoreply")).empty())
    Set(email, AutomatedKind::kAutoReply, "X-Autoreply");
  if (!TrimWhitespace(header("X-Autorespond")).empty()) {
    Set(email, AutomatedKind::kAutoReply, "X-Autorespond");
  }
  std::string precedence = FirstToken(header("Precedence"));
  if (precedence == "auto_reply") Set(email, AutomatedKind::kAutoReply, "Precedence: auto_reply");
  if (precedence == "bulk" || precedence == "junk" || precedence == "list") {
    Set(email, AutomatedKind::kBulk, "Precedence: " + precedence);
  }
  if (!TrimWhitespace(header("List-Id")).empty()) Set(email, AutomatedKind::kBulk, "List-Id");
  std::string return_path = TrimWhitespace(header("Return-Path"));
  if (return_path == "<>") Set(email, AutomatedKind::kAutoReply, "Return-Path: <>");
}

void ParseDeliveryStatus(std::string_view body, BounceInfo& info) {
  // Unfold and walk "Name: value" lines; blocks are separated by blank lines, the first block
  // is per-message, the following ones per-recipient.
  bool have_recipient = false;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    std::string_view line = body.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? body.size() : nl + 1;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name = AsciiLower(TrimWhitespace(line.substr(0, colon)));
    std::string value = TrimWhitespace(line.substr(colon + 1));
    if (name == "final-recipient" || name == "original-recipient") {
      size_t semi = value.find(';');
      std::string addr = TrimWhitespace(semi == std::string::npos ? value : value.substr(semi + 1));
      if (name == "final-recipient") {
        if (have_recipient && !info.action.empty()) break;  // first recipient block is enough
        info.failed_recipients.push_back(addr);
        have_recipient = true;
      }
    } else if (name == "action" && info.action.empty()) {
      info.action = AsciiLower(value);
    } else if (name == "status" && info.status.empty()) {
      info.status = value.substr(0, value.find_first_of(" \t("));
    }
  }
  info.permanent = info.action == "failed" || (!info.status.empty() && info.status[0] == '5');
}

std::vector<std::string> ParseMessageIdList(std::string_view value) {
  std::vector<std::string> ids;
  size_t i = 0;
  bool saw_bracket = false;
  while (i < value.size()) {
    size_t lt = value.find('<', i);
    if (lt == std::string_view::npos) break;
    size_t gt = value.find('>', lt + 1);
    if (gt == std::string_view::npos) break;
    saw_bracket = true;
    std::string id = TrimWhitespace(value.substr(lt + 1, gt - lt - 1));
    if (!id.empty() && id.find_first_of(" \t<") == std::string::npos) ids.push_back(id);
    i = gt + 1;
  }
  if (!saw_bracket) {
    // Broken senders omit the brackets: split on whitespace and commas.
    std::string token;
    for (char c : value) {
      if (c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n') {
        if (token.find('@') != std::string::npos) ids.push_back(token);
        token.clear();
      } else {
        token += c;
      }
    }
    if (token.find('@') != std::string::npos) ids.push_back(token);
  }
  return ids;
}

std::string MessageIdFromHeaders(std::string_view headers) {
  std::string lower = AsciiLower(headers);
  size_t pos = 0;
  while ((pos = lower.find("message-id:", pos)) != std::string::npos) {
    if (pos == 0 || lower[pos - 1] == '\n') {
      size_t end = lower.find('\n', pos);
      // Allow one folded continuation line.
      if (end != std::string::npos && end + 1 < lower.size() &&
          (lower[end + 1] == ' ' || lower[end + 1] == '\t')) {
        end = lower.find('\n', end + 1);
      }
      std::string_view value = headers.substr(
          pos + 11, end == std::string::npos ? std::string_view::npos : end - pos - 11);
      auto ids = ParseMessageIdList(value);
      if (!ids.empty()) return ids.front();
    }
    pos += 11;
  }
  return {};
}

}  // namespace internal
}  // namespace meridian::channels::email
