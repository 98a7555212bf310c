// CPU cost per inbound delivery of the channel layer (signature check + parse), API channel vs
// WhatsApp Cloud API format, and the E.164 normalization WhatsApp senders go through.
// Figures: bench/RESULTS.md, "Provider channels".
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "channels/api/api_channel.h"
#include "channels/common/provider.h"
#include "channels/whatsapp/whatsapp_channel.h"
#include "core/crypto.h"

namespace {

using namespace meridian;
using namespace meridian::channels;

const std::string kSecret = "0123456789abcdef0123456789abcdef";

std::unique_ptr<Channel> Make(const std::string& name) {
  Inbox inbox;
  inbox.id = 1;
  inbox.channel = name;
  if (name == "api") {
    inbox.secret = kSecret;
    return MakeApiChannelFactory()->Create(inbox).value();
  }
  inbox.config_json = R"({"phone_number_id":"106540352242922"})";
  inbox.secret =
      nlohmann::json({{"access_token", "t"}, {"app_secret", kSecret}, {"verify_token", "v"}})
          .dump();
  return MakeWhatsAppChannelFactory()->Create(inbox).value();
}

std::string ApiBody(int i) {
  return nlohmann::json({{"message_id", "bench-" + std::to_string(i)},
                         {"sender", {{"id", "contact-1"}, {"name", "Contact 1"}}},
                         {"text", "Hello, where is my order #100000? It was due yesterday."},
                         {"timestamp", 1764000000}})
      .dump();
}

std::string WhatsAppBody(int i) {
  nlohmann::json m = {
      {"from", "14155550001"},
      {"id", "wamid.bench" + std::to_string(i)},
      {"timestamp", "1764000000"},
      {"type", "text"},
      {"text", {{"body", "Hello, where is my order #100000? It was due yesterday."}}}};
  nlohmann::json value = {
      {"messaging_product", "whatsapp"},
      {"metadata",
       {{"display_phone_number", "15550783881"}, {"phone_number_id", "106540352242922"}}},
      {"contacts", {{{"profile", {{"name", "Contact 1"}}}, {"wa_id", "14155550001"}}}},
      {"messages", {m}}};
  return nlohmann::json(
             {{"object", "whatsapp_business_account"},
              {"entry", {{{"id", "1"}, {"changes", {{{"field", "messages"}, {"value", value}}}}}}}})
      .dump();
}

void VerifyAndParse(benchmark::State& state, const std::string& name) {
  auto channel = Make(name);
  std::string body = name == "api" ? ApiBody(1) : WhatsAppBody(1);
  std::string header = "sha256=" + crypto::HexEncode(crypto::HmacSha256(kSecret, body));
  HeaderLookup headers = [&header](std::string_view) { return std::string_view(header); };
  size_t events = 0;
  for (auto _ : state) {
    if (!channel->VerifyWebhook(headers, body).ok()) state.SkipWithError("signature");
    events += channel->ParseWebhook(body).value().size();
  }
  benchmark::DoNotOptimize(events);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK_CAPTURE(VerifyAndParse, api, std::string("api"));
BENCHMARK_CAPTURE(VerifyAndParse, whatsapp, std::string("whatsapp"));

void NormalizePhone(benchmark::State& state) {
  size_t n = 0;
  for (auto _ : state) n += NormalizeE164("14155550001").size();
  benchmark::DoNotOptimize(n);
}
BENCHMARK(NormalizePhone);

}  // namespace

BENCHMARK_MAIN();
