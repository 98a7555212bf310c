// Untrusted bytes the spine parses: API channel webhook bodies and signatures, web chat visitor
// tokens, URL components, cookies, text normalization at the edge, inbox patches (PATCH
// /api/v1/inboxes/{id}) and outbox payloads. None may crash, hang or read out of bounds, whatever
// the input. A multipart body built around the input never contains its boundary inside a part.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "channels/api/api_channel.h"
#include "channels/common/provider.h"
#include "channels/webchat/webchat_channel.h"
#include "core/text.h"
#include "http/server.h"
#include "service/inbox_service.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  static const auto channel = [] {
    meridian::Inbox inbox;
    inbox.id = 1;
    inbox.channel = "api";
    inbox.secret = "fuzz-secret-fuzz-secret-0123456789";
    inbox.config_json = R"({"callback_url":"http://127.0.0.1:9/cb"})";
    return meridian::channels::MakeApiChannelFactory()->Create(inbox).value().release();
  }();
  auto headers = [&](std::string_view) { return input.substr(0, size / 3); };
  (void)channel->VerifyWebhook(headers, input);
  auto events = channel->ParseWebhook(input);
  if (events.ok()) {
    for (const auto& e : *events) (void)meridian::text::NormalizeNfc(e.text);
  }
  (void)meridian::channels::VerifyVisitorToken("secret", input);
  (void)meridian::http::UrlDecode(input, true);
  (void)meridian::text::NormalizeNfc(input);
  (void)meridian::text::TruncateUtf8(input, size / 2);
  meridian::http::Request request;
  request.headers.emplace_back("cookie", std::string(input));
  (void)request.Cookie("meridian_session");

  auto body = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) (void)meridian::service::InboxService::ParsePatch(body);
  meridian::channels::OutboundDelivery delivery;
  delivery.payload_json = std::string(input);
  delivery.message.text = "caption";
  (void)meridian::channels::FileCaption(delivery);
  auto [type, multipart] = meridian::channels::EncodeMultipart(
      {{std::string(input.substr(0, size / 4)), std::string(input),
        std::string(input.substr(size / 2)), "application/pdf"}});
  std::string boundary = "--" + type.substr(type.find("boundary=") + 9);
  // The first delimiter opens the body, the last one closes it, none is in between.
  if (multipart.find(boundary, 1) != multipart.rfind(boundary)) __builtin_trap();
  return 0;
}
