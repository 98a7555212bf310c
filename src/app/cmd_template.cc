// `meridian template time-zone ZONE` sets the account's default time zone for templates.
// `meridian template render`: formats an ICU MessageFormat body read from stdin for a locale and
// time zone, the way reply templates are rendered (LG6). Handy for template authors and tests:
//   echo '{n, plural, one {# Paket} other {# Pakete}}' |
//     meridian template render --locale de-CH --tz Europe/Zurich --params '{"n":3}'

#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/runtime.h"
#include "templates/formatter.h"

namespace meridian::app {

namespace {

struct RenderOptions {
  std::string locale = "en";
  std::string time_zone = "UTC";
  std::string params = "{}";
  bool json = false;
};

int Render(const RenderOptions& opts) {
  std::string body((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  // A trailing newline from `echo` is not part of the template.
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  nlohmann::json params = nlohmann::json::parse(opts.params, nullptr, false);
  if (params.is_discarded() || !params.is_object()) {
    std::cerr << "meridian: --params must be a JSON object\n";
    return 2;
  }
  auto text = templates::Format(body, params, {opts.locale, opts.time_zone});
  if (!text.ok()) {
    if (opts.json) {
      std::cout << nlohmann::json{{"error",
                                   {{"code", text.status().reason()},
                                    {"message", text.status().message()}}}}
                       .dump()
                << "\n";
    } else {
      std::cerr << "meridian: " << text.status().reason() << ": " << text.status().message()
                << "\n";
    }
    return 1;
  }
  if (opts.json) {
    std::cout << nlohmann::json{{"text", *text},
                                {"locale", templates::CanonicalLocale(opts.locale)},
                                {"time_zone", opts.time_zone}}
                     .dump()
              << "\n";
  } else {
    std::cout << *text << "\n";
  }
  return 0;
}

// The account's default time zone: templates format dates in it when a contact's is unknown.
int SetTimeZone(const GlobalOptions& global, const std::string& zone) {
  if (!templates::IsKnownTimeZone(zone)) {
    std::cerr << "meridian: '" << zone << "' is not an IANA time zone\n";
    return 2;
  }
  auto store = OpenDataDir(global.data_dir, true);
  Status set = store.ok() ? (*store)->SetDefaultTimeZone(zone) : store.status();
  if (!set.ok()) {
    std::cerr << "meridian: " << set.message() << "\n";
    return 1;
  }
  std::cout << "default time zone " << zone << "\n";
  return 0;
}

}  // namespace

void RegisterTemplateCommands(CLI::App& root, CommandContext ctx) {
  CLI::App* group = root.add_subcommand("template", "Reply templates (ICU MessageFormat)");
  group->require_subcommand(1);
  auto opts = std::make_shared<RenderOptions>();
  CLI::App* render = group->add_subcommand(
      "render", "Format the ICU MessageFormat body on stdin for a locale and time zone");
  render->add_option("--locale", opts->locale, "BCP 47 locale (de-CH, pt-BR, ja-JP)")
      ->capture_default_str();
  render->add_option("--tz", opts->time_zone, "IANA time zone for dates and times")
      ->capture_default_str();
  render->add_option("--params", opts->params, "Arguments as a JSON object")->capture_default_str();
  render->add_flag("--json", opts->json, "Print {\"text\",\"locale\",\"time_zone\"} or an error");
  render->callback([ctx, opts] { *ctx.exit_code = Render(*opts); });

  auto zone = std::make_shared<std::string>();
  CLI::App* tz = group->add_subcommand(
      "time-zone", "Set the account's default time zone (used when a contact's is unknown)");
  AddDataOption(*tz, ctx.global);
  tz->add_option("zone", *zone, "IANA time zone, e.g. Europe/Berlin")->required();
  tz->callback([ctx, zone] { *ctx.exit_code = SetTimeZone(*ctx.global, *zone); });
}

}  // namespace meridian::app
