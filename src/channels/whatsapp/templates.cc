#include "channels/whatsapp/templates.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "channels/common/provider.h"

namespace meridian::channels::whatsapp {

using nlohmann::json;

int CountPlaceholders(std::string_view text) {
  std::set<std::string_view> names;
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    size_t end = text.find("}}", pos + 2);
    if (end == std::string_view::npos) break;
    names.insert(text.substr(pos + 2, end - pos - 2));
    pos = end + 2;
  }
  return static_cast<int>(names.size());
}

namespace {

// Why a template cannot be sent the way Meridian sends templates (body parameters only), or "".
std::string UnsendableReason(const json& components) {
  for (const json& c : components) {
    std::string type = JsonString(c, "type");
    if (type == "HEADER") {
      std::string format = JsonString(c, "format");
      if (!format.empty() && format != "TEXT") {
        return fmt::format("its {} header needs a media parameter", format);
      }
      if (CountPlaceholders(JsonString(c, "text")) > 0) return "its header has parameters";
    }
    if (type == "BUTTONS") {
      for (const json& b : JsonArray(c, "buttons")) {
        if (CountPlaceholders(JsonString(b, "url")) > 0) return "a button URL has parameters";
      }
    }
  }
  return {};
}

}  // namespace

Result<std::string> AddTemplatePage(std::string_view body, TemplateCatalog& catalog) {
  json page = json::parse(body, nullptr, false);
  if (!page.is_object() || !page.contains("data") || !page["data"].is_array()) {
    return Status::InvalidArgument("the template list is not the documented shape");
  }
  for (const json& t : page["data"]) {
    std::string name = JsonString(t, "name");
    std::string language = JsonString(t, "language");
    if (name.empty() || language.empty()) continue;
    ++catalog.listed;
    std::string status = JsonString(t, "status");
    if (status != "APPROVED") {
      catalog.skipped.push_back({name, language, fmt::format("status {}", status)});
      continue;
    }
    const json& components = JsonArray(t, "components");
    if (std::string why = UnsendableReason(components); !why.empty()) {
      catalog.skipped.push_back({name, language, why});
      continue;
    }
    std::string text;
    for (const json& c : components) {
      if (JsonString(c, "type") == "BODY") text = JsonString(c, "text");
    }
    auto same = std::find_if(catalog.approved.begin(), catalog.approved.end(),
                             [&](const MessageTemplate& m) { return m.name == name; });
    if (same == catalog.approved.end()) {
      MessageTemplate m;
      m.name = name;
      m.parameter_count = CountPlaceholders(text);
      m.body = text;
      catalog.approved.push_back(std::move(m));
      same = catalog.approved.end() - 1;
    }
    same->languages.push_back(language);
  }
  const json& paging = JsonObject(page, "paging");
  if (JsonString(paging, "next").empty()) return std::string();
  std::string after = JsonString(JsonObject(paging, "cursors"), "after");
  if (after.empty())
    return Status::InvalidArgument("the template list has a next page but no cursor");
  return after;
}

}  // namespace meridian::channels::whatsapp
