#pragma once
// Reply templates (LG6): validation before save, and rendering for a customer with the
// fallback order market variant -> language variant -> source variant machine-translated ->
// source variant untranslated.
//
// The store keeps templates (store::ReplyTemplateDef); the caller supplies the customer's
// locale and time zone (from the conversation) and the translation Router. Thread-safe when the
// Router is (it is, once configured).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace meridian::nlp::translate {
class Router;
}  // namespace meridian::nlp::translate

namespace meridian::templates {

// Limits of a template, checked by Validate.
inline constexpr size_t kMaxBodyBytes = 8192;
inline constexpr size_t kMaxVariants = 64;
inline constexpr size_t kMaxNameBytes = 200;

// Normalizes (canonical BCP 47 locales, key without a leading '/', lower case) and checks a
// template before it is saved: key of 1-64 [a-z0-9-_.], a name, a source locale with a variant
// of its own, unique variant locales, styles from {"", formal, informal, honorific}, and every
// body valid ICU MessageFormat. Unprocessable with reasons invalid_field / missing_field /
// invalid_message_format (message naming the variant and ICU's error).
Status Validate(store::ReplyTemplateDef& tmpl);

enum class Fallback { kExact, kLanguage, kTranslated, kSource };
std::string_view FallbackName(Fallback f);

struct RenderTarget {
  std::string locale;             // the customer's locale, e.g. "de-CH" or "de"
  std::string time_zone = "UTC";  // IANA
};

struct Rendered {
  std::string text;
  std::string locale;   // the locale the text is written and formatted in
  std::string variant;  // the variant used (its locale)
  std::string style;    // that variant's style
  Fallback fallback = Fallback::kExact;
  std::string engine;  // the translation engine for kTranslated
  std::string notice;  // why a translation was not possible (kSource)
};

// The variant for `locale`: exact market (case-insensitive), then the bare language, then any
// variant of the same language (for Chinese: of the same script). nullptr when none matches.
const store::TemplateVariant* PickVariant(const store::ReplyTemplateDef& tmpl,
                                          std::string_view locale, Fallback* how);

// Renders `tmpl` for `target` with `params`. `translator` may be null (no machine translation).
// Errors: the formatter's (missing_param, invalid_param, invalid_locale, invalid_time_zone).
Result<Rendered> Render(const store::ReplyTemplateDef& tmpl, const nlohmann::json& params,
                        const RenderTarget& target, nlp::translate::Router* translator);

// The language subtag of a BCP 47 locale: "pt-BR" -> "pt".
std::string LanguageOf(std::string_view locale);
// The translation Router's code for a Chinese locale's script and phrasing: zh-TW, zh-HK
// (also Macau), zh-Hant, or zh-Hans (zh, zh-CN, zh-SG, zh-Hans-*).
std::string ChineseCode(std::string_view locale);

}  // namespace meridian::templates
