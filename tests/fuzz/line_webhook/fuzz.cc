// Fuzz target for the line webhook parser (channels/line/); see ../webhook_fuzz.h.
#include "../webhook_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto& kChannel = meridian::channels::fuzz::ChannelFor("line");
  return meridian::channels::fuzz::FuzzWebhook(kChannel, data, size);
}
