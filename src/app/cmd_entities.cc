// `meridian nlu entities`: one text per stdin line -> one JSON object per line with the
// entities found (see nlp/entities/entities.h).

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "core/clock.h"
#include "nlp/entities/entities.h"

namespace meridian::app {
namespace {

struct EntityOptions {
  std::string region = "US";
  std::string tz = "UTC";
  std::string now;  // RFC 3339; empty = the system clock
};

int Digits(std::string_view s, size_t pos, size_t n, bool* ok) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') {
      *ok = false;
      return 0;
    }
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// "2024-03-12T10:00:00Z", "2024-03-12T10:00:00.5+01:00", "2024-03-12 10:00:00-05:00".
Result<TimestampMs> ParseRfc3339(std::string_view s) {
  bool ok = s.size() >= 20 && s[4] == '-' && s[7] == '-' &&
            (s[10] == 'T' || s[10] == 't' || s[10] == ' ') && s[13] == ':' && s[16] == ':';
  int y = Digits(s, 0, 4, &ok), mo = Digits(s, 5, 2, &ok), d = Digits(s, 8, 2, &ok);
  int h = Digits(s, 11, 2, &ok), mi = Digits(s, 14, 2, &ok), se = Digits(s, 17, 2, &ok);
  if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) {
    return Status::InvalidArgument("--now must be RFC 3339, e.g. 2024-03-12T10:00:00Z", "bad_time");
  }
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    int64_t scale = 100;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, scale /= 10) {
      millis += (s[pos] - '0') * scale;
    }
  }
  int64_t offset_min = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh = Digits(s, pos + 1, 2, &ok), om = Digits(s, pos + 4, 2, &ok);
    offset_min = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
    pos += 6;
  } else {
    ok = false;
  }
  if (!ok || pos != s.size()) {
    return Status::InvalidArgument("--now must end in Z or +hh:mm", "bad_time");
  }
  // Days from civil (H. Hinnant).
  int64_t yy = y - (mo <= 2);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + doe - 719468;
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset_min * 60;
  return secs * 1000 + millis;
}

nlohmann::json EntityJson(const nlp::Entity& e) {
  nlohmann::json j = {{"type", nlp::EntityTypeName(e.type)},
                      {"text", e.text},
                      {"start", e.start},
                      {"end", e.end},
                      {"confidence", e.confidence},
                      {"normalized", e.normalized}};
  switch (e.type) {
    case nlp::EntityType::kTrackingNumber:
      j["carrier"] = e.carrier;
      if (!e.country.empty()) j["country"] = e.country;
      break;
    case nlp::EntityType::kPhone:
      j["e164"] = e.normalized;
      if (!e.country.empty()) j["country"] = e.country;
      break;
    case nlp::EntityType::kAmount:
      j["currency"] = e.currency;
      j["amount"] = e.normalized;
      break;
    case nlp::EntityType::kDate:
      j["date"] = e.normalized;
      j["relative"] = e.relative;
      j["day_start"] = FormatRfc3339(e.day_start_ms);
      break;
    default:
      break;
  }
  return j;
}

int RunEntities(const EntityOptions& opts) {
  auto extractor = nlp::EntityExtractor::Create(nlp::OrderNumberConfig::Default());
  if (!extractor.ok()) {
    std::cerr << "meridian: " << extractor.status().ToString() << "\n";
    return 1;
  }
  nlp::ExtractOptions options;
  options.region = opts.region;
  options.time_zone = opts.tz;
  options.now_ms = SystemClock::Get().NowMs();
  if (!opts.now.empty()) {
    auto now = ParseRfc3339(opts.now);
    if (!now.ok()) {
      std::cerr << "meridian: " << now.status().message() << "\n";
      return 2;
    }
    options.now_ms = *now;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    nlohmann::json entities = nlohmann::json::array();
    for (const nlp::Entity& e : (*extractor)->Extract(line, options)) {
      entities.push_back(EntityJson(e));
    }
    nlohmann::json out = {{"entities", std::move(entities)}};
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  std::cout.flush();
  return 0;
}

}  // namespace

void RegisterEntityCommands(CLI::App& root, CommandContext ctx) {
  CLI::App* nlu = NluGroup(root);
  CLI::App* cmd = nlu->add_subcommand(
      "entities", "Extract order/tracking numbers, emails, phones, amounts, dates (stdin lines)");
  auto opts = std::make_shared<EntityOptions>();
  cmd->add_option("--region", opts->region, "ISO country code: phone hint, date order")
      ->capture_default_str();
  cmd->add_option("--tz", opts->tz, "Customer's IANA time zone for relative dates")
      ->capture_default_str();
  cmd->add_option("--now", opts->now, "Reference time (RFC 3339) for relative dates");
  AddDataOption(*cmd, ctx.global);
  cmd->callback([opts, ctx] { *ctx.exit_code = RunEntities(*opts); });
}

}  // namespace meridian::app
