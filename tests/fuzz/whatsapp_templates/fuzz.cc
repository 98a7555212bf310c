// Fuzz target for the WhatsApp Business Management API's template list pages
// (channels/whatsapp/templates.h): the provider's answer is untrusted bytes. Nothing may crash, an
// approved template always has a name and at least one language, and counts are never negative.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "channels/whatsapp/templates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace meridian::channels;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  TemplateCatalog catalog;
  auto after = whatsapp::AddTemplatePage(body, catalog);
  // The same page twice folds into the same names (a provider repeating a page).
  if (after.ok()) (void)whatsapp::AddTemplatePage(body, catalog);
  for (const auto& t : catalog.approved) {
    if (t.name.empty() || t.languages.empty()) std::abort();
    if (t.parameter_count && *t.parameter_count < 0) std::abort();
  }
  if (catalog.listed < 0) std::abort();
  if (whatsapp::CountPlaceholders(body) < 0) std::abort();
  return 0;
}
