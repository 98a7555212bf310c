#include "templates/renderer.h"

#include <algorithm>
#include <set>

#include "nlp/translate/router.h"
#include "templates/formatter.h"

namespace meridian::templates {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ValidKey(const std::string& key) {
  if (key.empty() || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

Status Invalid(std::string message, std::string reason = "invalid_field") {
  return Status::Unprocessable(std::move(message), std::move(reason));
}

}  // namespace

std::string_view FallbackName(Fallback f) {
  switch (f) {
    case Fallback::kExact:
      return "exact";
    case Fallback::kLanguage:
      return "language";
    case Fallback::kTranslated:
      return "translated";
    case Fallback::kSource:
      return "source";
  }
  return "source";
}

std::string LanguageOf(std::string_view locale) {
  size_t dash = locale.find_first_of("-_");
  return Lower(locale.substr(0, dash));
}

Status Validate(store::ReplyTemplateDef& t) {
  if (!t.key.empty() && t.key.front() == '/') t.key.erase(0, 1);
  t.key = Lower(t.key);
  if (!ValidKey(t.key)) {
    return Invalid(
        "key must be 1-64 characters of a-z, 0-9, '-', '_' or '.' (e.g. where-is-order)");
  }
  if (t.name.empty()) return Invalid("field 'name' is required", "missing_field");
  if (t.name.size() > kMaxNameBytes) return Invalid("name is longer than 200 bytes");
  std::string source = CanonicalLocale(t.source_locale);
  if (source.empty()) return Invalid("source_locale must be a BCP 47 locale such as en or de-CH");
  t.source_locale = source;
  if (t.variants.empty()) return Invalid("a template needs at least one variant", "missing_field");
  if (t.variants.size() > kMaxVariants) return Invalid("a template has at most 64 variants");
  std::set<std::string> seen;
  bool has_source = false;
  for (auto& v : t.variants) {
    std::string locale = CanonicalLocale(v.locale);
    if (locale.empty()) {
      return Invalid("variant locale '" + v.locale + "' is not a BCP 47 locale");
    }
    v.locale = locale;
    if (!seen.insert(Lower(locale)).second) {
      return Invalid("two variants have the locale " + locale);
    }
    if (v.style != "" && v.style != "formal" && v.style != "informal" && v.style != "honorific") {
      return Invalid("variant " + locale + ": style must be formal, informal or honorific");
    }
    if (v.body.empty()) return Invalid("variant " + locale + ": body is empty", "missing_field");
    if (v.body.size() > kMaxBodyBytes) {
      return Invalid("variant " + locale + ": body is longer than 8192 bytes");
    }
    auto parsed = ParsePattern(v.body);
    if (!parsed.ok()) {
      return Status::Unprocessable("variant " + locale + ": " + parsed.status().message(),
                                   parsed.status().reason());
    }
    if (Lower(locale) == Lower(source)) has_source = true;
  }
  if (!has_source) {
    return Invalid("the source locale " + source + " needs a variant of its own", "missing_field");
  }
  return Status::Ok();
}

std::string ChineseCode(std::string_view locale) {
  std::set<std::string> subtags;
  std::string l = Lower(locale);
  size_t begin = 0;
  while (begin <= l.size()) {
    size_t end = l.find_first_of("-_", begin);
    if (end == std::string::npos) end = l.size();
    subtags.insert(l.substr(begin, end - begin));
    begin = end + 1;
  }
  if (subtags.count("tw")) return "zh-TW";
  if (subtags.count("hk") || subtags.count("mo")) return "zh-HK";
  if (subtags.count("hant")) return "zh-Hant";
  return "zh-Hans";
}

namespace {

// Same language, and for Chinese the same script: Simplified text is no answer for Taiwan.
bool SameLanguage(std::string_view a, std::string_view b) {
  std::string lang = LanguageOf(a);
  if (lang != LanguageOf(b)) return false;
  if (lang != "zh") return true;
  return (ChineseCode(a) == "zh-Hans") == (ChineseCode(b) == "zh-Hans");
}

}  // namespace

const store::TemplateVariant* PickVariant(const store::ReplyTemplateDef& t, std::string_view locale,
                                          Fallback* how) {
  std::string want = Lower(locale);
  std::string lang = LanguageOf(locale);
  for (const auto& v : t.variants) {
    if (Lower(v.locale) == want) {
      *how = Fallback::kExact;
      return &v;
    }
  }
  for (const auto& v : t.variants) {
    if (Lower(v.locale) == lang && SameLanguage(v.locale, locale)) {
      *how = Fallback::kLanguage;
      return &v;
    }
  }
  for (const auto& v : t.variants) {
    if (SameLanguage(v.locale, locale)) {
      *how = Fallback::kLanguage;
      return &v;
    }
  }
  return nullptr;
}

Result<Rendered> Render(const store::ReplyTemplateDef& t, const nlohmann::json& params,
                        const RenderTarget& target, nlp::translate::Router* translator) {
  std::string locale = CanonicalLocale(target.locale);
  if (locale.empty()) {
    return Status::Unprocessable("'" + target.locale + "' is not a BCP 47 locale",
                                 "invalid_locale");
  }
  Rendered out;
  if (const auto* v = PickVariant(t, locale, &out.fallback)) {
    // A language variant is formatted in the customer's locale: de for a de-CH customer still
    // writes numbers and dates the Swiss way.
    MERIDIAN_ASSIGN_OR_RETURN(out.text, Format(v->body, params, {locale, target.time_zone}));
    out.locale = locale;
    out.variant = v->locale;
    out.style = v->style;
    return out;
  }
  Fallback ignored;
  const store::TemplateVariant* source = PickVariant(t, t.source_locale, &ignored);
  if (source == nullptr) return Status::Internal("template has no source variant");
  std::string from = LanguageOf(source->locale);
  std::string to = LanguageOf(locale);
  if (to == "zh") {
    // Chinese in the other script: convert that variant (OpenCC, with Taiwan and Hong Kong
    // phrases) rather than translate the source from another language.
    for (const auto& v : t.variants) {
      if (LanguageOf(v.locale) == "zh") {
        source = &v;
        from = ChineseCode(v.locale);
        to = ChineseCode(locale);
        break;
      }
    }
  }
  out.variant = source->locale;
  out.style = source->style;
  if (translator != nullptr) {
    // Formatted in the customer's locale first (numbers, dates), then translated: the router
    // protects amounts and other spans, and ICU syntax never reaches an engine.
    MERIDIAN_ASSIGN_OR_RETURN(std::string text,
                              Format(source->body, params, {locale, target.time_zone}));
    auto translated = translator->Translate(text, from, to);
    if (translated.ok()) {
      out.text = translated->text;
      out.locale = locale;
      out.fallback = Fallback::kTranslated;
      out.engine = translated->engine;
      return out;
    }
    out.notice = translated.status().message();
  } else {
    out.notice = "no translation engine is configured";
  }
  MERIDIAN_ASSIGN_OR_RETURN(out.text,
                            Format(source->body, params, {source->locale, target.time_zone}));
  out.locale = source->locale;
  out.fallback = Fallback::kSource;
  return out;
}

}  // namespace meridian::templates
