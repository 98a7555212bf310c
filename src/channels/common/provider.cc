#include "channels/common/provider.h"

#include <fmt/format.h>
#include <phonenumbers/phonenumberutil.h>

#include <cctype>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/crypto.h"
#include "core/text.h"

namespace meridian::channels {

using nlohmann::json;

namespace {
Result<std::string> NonEmpty(const json& obj, std::string_view key, std::string_view what) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return Status::Unprocessable(fmt::format("{} '{}' is required", what, key), "invalid_field");
  }
  return it->get<std::string>();
}
const json& Null() {
  static const json kNull;
  return kNull;
}
}  // namespace

Result<std::string> ProviderSettings::Config(std::string_view key) const {
  return NonEmpty(config, key, "config");
}

Result<std::string> ProviderSettings::Secret(std::string_view key) const {
  return NonEmpty(secrets, key, "secret");
}

Result<std::string> ProviderSettings::ApiBase(std::string_view fallback) const {
  std::string base = JsonString(config, "api_base");
  if (base.empty()) base = fallback;
  if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0) {
    return Status::Unprocessable("api_base must be an http(s) URL", "invalid_field");
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

namespace {

// A header parameter value between quotes: '"', CR and LF cannot appear in it.
std::string QuotedParameter(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) out += (c == '"' || c == '\r' || c == '\n') ? '_' : c;
  return out;
}

}  // namespace

std::pair<std::string, std::string> EncodeMultipart(const std::vector<FormPart>& parts) {
  std::string boundary;
  bool clash = true;
  while (clash) {
    boundary = "meridian-" + crypto::RandomToken(24);
    clash = false;
    for (const FormPart& p : parts) clash = clash || p.data.find(boundary) != std::string::npos;
  }
  std::string body;
  for (const FormPart& p : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
            QuotedParameter(p.name) + "\"";
    if (!p.filename.empty()) body += "; filename=\"" + QuotedParameter(p.filename) + "\"";
    body += "\r\n";
    if (!p.content_type.empty())
      body += "Content-Type: " + QuotedParameter(p.content_type) + "\r\n";
    body += "\r\n";
    body += p.data;
    body += "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return {"multipart/form-data; boundary=" + boundary, std::move(body)};
}

Result<ProviderSettings> ReadProviderSettings(const Inbox& inbox) {
  ProviderSettings s;
  json config = json::parse(inbox.config_json.empty() ? "{}" : inbox.config_json, nullptr, false);
  if (!config.is_object()) return Status::Unprocessable("inbox config must be a JSON object");
  s.config = std::move(config);
  json secrets = json::parse(inbox.secret.empty() ? "{}" : inbox.secret, nullptr, false);
  if (!secrets.is_object()) {
    return Status::Unprocessable("inbox secrets must be a JSON object", "invalid_field");
  }
  s.secrets = std::move(secrets);
  return s;
}

Result<json> ParseJsonObjectBody(std::string_view raw_body) {
  if (!text::IsValidUtf8(raw_body)) {
    return Status::InvalidArgument("body is not valid UTF-8", "invalid_utf8");
  }
  json body = json::parse(raw_body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Status::InvalidArgument("body is not valid JSON", "invalid_json");
  if (!body.is_object()) {
    return Status::InvalidArgument("body must be a JSON object", "invalid_json");
  }
  return body;
}

Status VerifyHexHmacSha256(std::string_view header_name, std::string_view header_value,
                           std::string_view prefix, std::string_view secret,
                           std::string_view body) {
  if (header_value.empty()) {
    return Status::Unauthenticated(fmt::format("missing {} header", header_name),
                                   "invalid_signature");
  }
  std::string expected = std::string(prefix) + crypto::HexEncode(crypto::HmacSha256(secret, body));
  if (!crypto::ConstantTimeEquals(header_value, expected)) {
    return Status::Unauthenticated("signature does not match", "invalid_signature");
  }
  return Status::Ok();
}

void FinishEvents(std::vector<InboundEvent>& events) {
  constexpr size_t kMaxTextBytes = 16 * 1024 - 64;  // below the service's per-message limit
  for (InboundEvent& e : events) {
    if (e.kind != InboundKind::kMessage) continue;
    if (e.text.find_first_not_of(" \t\r\n") == std::string::npos) e.text = "[empty message]";
    if (e.text.size() > kMaxTextBytes)
      e.text = std::string(text::TruncateUtf8(e.text, kMaxTextBytes));
  }
}

std::string JsonString(const json& obj, std::string_view key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::string JsonId(const json& obj, std::string_view key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  return {};
}

const json& JsonObject(const json& obj, std::string_view key) {
  if (!obj.is_object()) return Null();
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? *it : Null();
}

const json& JsonArray(const json& obj, std::string_view key) {
  if (!obj.is_object()) return Null();
  auto it = obj.find(key);
  return it != obj.end() && it->is_array() ? *it : Null();
}

TimestampMs JsonSeconds(const json& obj, std::string_view key) {
  std::string s = JsonId(obj, key);
  if (s.empty() || s.size() > 12) return 0;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v * 1000;
}

namespace {
// libphonenumber's Parse costs about 10 us; customers write from the same numbers again and
// again. Bounded: cleared when full.
class E164Cache {
 public:
  std::optional<std::string> Get(std::string_view raw) {
    std::lock_guard lock(mu_);
    auto it = map_.find(std::string(raw));
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }
  void Put(std::string_view raw, const std::string& e164) {
    std::lock_guard lock(mu_);
    if (map_.size() >= kMaxEntries) map_.clear();
    map_.emplace(std::string(raw), e164);
  }

 private:
  static constexpr size_t kMaxEntries = 100'000;
  std::mutex mu_;
  std::unordered_map<std::string, std::string> map_;
};

std::string ParseE164(std::string_view raw) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  std::string input(raw);
  if (input.empty() || input.size() > 32) return {};
  if (input[0] != '+') input.insert(input.begin(), '+');
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(input, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return {};
  if (!util.IsPossibleNumber(number)) return {};
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  return out;
}
}  // namespace

std::string NormalizeEmail(std::string_view raw) {
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
  if (raw.empty() || raw.size() > 254) return {};
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return {};
    out.push_back(u < 0x80 ? static_cast<char>(std::tolower(u)) : c);
  }
  auto at = out.find('@');
  if (at == 0 || at == std::string::npos || out.find('@', at + 1) != std::string::npos) return {};
  auto dot = out.find('.', at + 1);
  if (dot == std::string::npos || dot == at + 1 || out.back() == '.') return {};
  return out;
}

std::string NormalizeE164(std::string_view raw) {
  static E164Cache* const cache = new E164Cache();  // never destroyed: used from any thread
  if (auto hit = cache->Get(raw)) return *hit;
  std::string e164 = ParseE164(raw);
  cache->Put(raw, e164);
  return e164;
}

SendResult SendAndClassify(HttpClient& http, const HttpClientRequest& request,
                           std::string_view id_pointer) {
  return ClassifyWithId(http.Send(request), id_pointer);
}

SendResult ClassifyWithId(const Result<HttpClientResponse>& response, std::string_view id_pointer) {
  SendResult out = ClassifyHttpResult(response);
  if (out.outcome == DeliveryOutcome::kDelivered && !id_pointer.empty()) {
    json body = json::parse(response->body, nullptr, false);
    if (!body.is_discarded()) {
      json::json_pointer ptr(std::string{id_pointer});
      if (body.contains(ptr)) {
        const json& id = body.at(ptr);
        if (id.is_string()) out.provider_message_id = id.get<std::string>();
        if (id.is_number_integer()) out.provider_message_id = std::to_string(id.get<int64_t>());
      }
    }
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body) {
  auto decode = [](std::string_view in) -> Result<std::string> {
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      char c = in[i];
      if (c == '+') {
        out.push_back(' ');
      } else if (c == '%') {
        auto hex = [](char h) -> int {
          if (h >= '0' && h <= '9') return h - '0';
          if (h >= 'a' && h <= 'f') return h - 'a' + 10;
          if (h >= 'A' && h <= 'F') return h - 'A' + 10;
          return -1;
        };
        if (i + 2 >= in.size()) {
          return Status::InvalidArgument("truncated %-escape in form body", "invalid_form");
        }
        int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
        if (hi < 0 || lo < 0) {
          return Status::InvalidArgument("bad %-escape in form body", "invalid_form");
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
      } else {
        out.push_back(c);
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < body.size()) {
    size_t amp = body.find('&', start);
    std::string_view part =
        body.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      MERIDIAN_ASSIGN_OR_RETURN(std::string key, decode(part.substr(0, eq)));
      std::string value;
      if (eq != std::string_view::npos) {
        MERIDIAN_ASSIGN_OR_RETURN(value, decode(part.substr(eq + 1)));
      }
      if (!text::IsValidUtf8(key) || !text::IsValidUtf8(value)) {
        return Status::InvalidArgument("form body is not valid UTF-8", "invalid_utf8");
      }
      out.emplace_back(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& pairs) {
  auto encode = [](std::string_view in) {
    std::string out;
    for (unsigned char c : in) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else {
        out += fmt::format("%{:02X}", c);
      }
    }
    return out;
  };
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out.push_back('&');
    out += encode(k) + "=" + encode(v);
  }
  return out;
}

json ParsePayload(std::string_view payload_json) {
  json p = json::parse(payload_json, nullptr, false);
  return p.is_object() ? p : json::object();
}

std::string FileCaption(const OutboundDelivery& d) {
  json payload = ParsePayload(d.payload_json);
  auto it = payload.find("file_only");
  bool file_only = it != payload.end() && it->is_boolean() && it->get<bool>();
  return file_only ? std::string() : d.message.text;
}

}  // namespace meridian::channels
