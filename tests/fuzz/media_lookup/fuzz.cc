// Fuzz target for the providers' answers about media (channels' FetchMedia): WhatsApp's media
// URL lookup (GET /{media-id}: url, mime_type, sha256, file_size) and Telegram's getFile
// (result.file_path, result.file_size). The answer is untrusted bytes; the first byte picks the
// provider, the rest is the answer, and a download after it answers "media bytes". Nothing may
// crash, at most the lookup and one download are requested, and no more bytes than allowed are
// ever returned.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../webhook_fuzz.h"
#include "core/http_client.h"

namespace {

class ScriptedHttp final : public meridian::HttpClient {
 public:
  explicit ScriptedHttp(std::string lookup) : lookup_(std::move(lookup)) {}
  meridian::Result<meridian::HttpClientResponse> Send(
      const meridian::HttpClientRequest& request) override {
    if (++calls > 2) std::abort();  // the lookup, then at most one download
    meridian::HttpClientResponse r;
    r.status = 200;
    r.body = calls == 1 ? lookup_ : std::string("media bytes");
    if (request.max_response_bytes > 0 &&
        static_cast<int64_t>(r.body.size()) > request.max_response_bytes) {
      r.oversize_bytes = static_cast<int64_t>(r.body.size());
      r.body.clear();
    }
    return r;
  }
  int calls = 0;

 private:
  std::string lookup_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::channels;
  if (size == 0) return 0;
  static const Channel& kWhatsApp = fuzz::ChannelFor("whatsapp");
  static const Channel& kTelegram = fuzz::ChannelFor("telegram");
  const Channel& channel = data[0] % 2 == 0 ? kWhatsApp : kTelegram;
  ScriptedHttp http(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  MediaSource source;
  source.id = "media-1";
  constexpr int64_t kMax = 8;  // below and above "media bytes" (11)
  for (int64_t max_bytes : {kMax, int64_t{1} << 20}) {
    http.calls = 0;
    auto fetched = channel.FetchMedia(source, http, max_bytes);
    if (!fetched.ok()) continue;
    if (static_cast<int64_t>(fetched->bytes.size()) > max_bytes) std::abort();
    if (!fetched->bytes.empty() && fetched->bytes != "media bytes") std::abort();
  }
  return 0;
}
