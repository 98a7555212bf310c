// `meridian agent ...`, `meridian inbox ...`, `meridian token ...`: administration from the shell.

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/runtime.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "service/auth_service.h"
#include "service/inbox_service.h"

namespace meridian::app {

namespace {

using nlohmann::json;

int Fail(const Status& s) {
  std::cerr << "meridian: " << s.message() << "\n";
  return s.code() == StatusCode::kConflict ? 3 : 2;
}

struct AgentCreate {
  std::string email, name, role = "agent";
  bool json = false;
};

// One line from stdin without its line end: how passwords reach the CLI (never as arguments,
// which other users can read in the process list).
std::string ReadPasswordLine() {
  std::string password;
  std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  return password;
}

int CreateAgent(const GlobalOptions& g, const AgentCreate& a) {
  std::string password = ReadPasswordLine();
  auto store = OpenDataDir(g.data_dir, true);
  if (!store.ok()) return Fail(store.status());
  service::AuthService auth(**store, SystemClock::Get());
  auto agent = auth.CreateAgent(a.email, a.name, a.role, password, "cli");
  if (!agent.ok()) return Fail(agent.status());
  if (a.json) {
    std::cout << json({{"id", agent->id},
                       {"email", agent->email},
                       {"name", agent->name},
                       {"role", RoleName(agent->role)}})
                     .dump()
              << "\n";
  } else {
    std::cout << "created agent " << agent->id << " <" << agent->email << "> ("
              << RoleName(agent->role) << ")\n";
  }
  return 0;
}

struct InboxCreate {
  std::string channel, name, callback_url;
  bool json = false;
  // Provider inboxes: settings shown to admins, and secrets kept in the inbox's secret.
  std::map<std::string, std::string> config, secrets;
  std::vector<std::string> templates;  // WhatsApp: "name:lang1,lang2"
};

// One command-line option of a provider inbox.
struct ProviderOption {
  const char* flag;
  const char* key;
  bool secret;
  bool required;
  const char* help;
};

struct ProviderSpec {
  const char* channel;
  const char* description;
  std::vector<ProviderOption> options;
};

const std::vector<ProviderSpec>& ProviderSpecs() {
  static const std::vector<ProviderSpec> kSpecs = {
      {"whatsapp",
       "WhatsApp Business Cloud API inbox",
       {{"--phone-number-id", "phone_number_id", false, true, "The business phone number id"},
        {"--access-token", "access_token", true, true, "System user access token"},
        {"--app-secret", "app_secret", true, true, "App secret (X-Hub-Signature-256)"},
        {"--verify-token", "verify_token", true, true, "Webhook verify token"},
        {"--business-account-id", "business_account_id", false, false,
         "WhatsApp Business Account id: lets Meridian sync the approved message templates"}}},
      {"messenger",
       "Facebook Messenger inbox (a Page)",
       {{"--page-id", "page_id", false, true, "The Page id"},
        {"--page-access-token", "page_access_token", true, true, "Page access token"},
        {"--app-secret", "app_secret", true, true, "App secret (X-Hub-Signature-256)"},
        {"--verify-token", "verify_token", true, true, "Webhook verify token"}}},
      {"instagram",
       "Instagram Direct inbox (a professional account)",
       {{"--page-id", "page_id", false, true, "The Instagram account / Page id"},
        {"--page-access-token", "page_access_token", true, true, "Page access token"},
        {"--app-secret", "app_secret", true, true, "App secret (X-Hub-Signature-256)"},
        {"--verify-token", "verify_token", true, true, "Webhook verify token"}}},
      {"line",
       "LINE Official Account inbox",
       {{"--channel-secret", "channel_secret", true, true, "Channel secret (x-line-signature)"},
        {"--channel-access-token", "channel_access_token", true, true, "Channel access token"}}},
      {"telegram",
       "Telegram bot inbox",
       {{"--bot-token", "bot_token", true, true, "Bot token from @BotFather"},
        {"--secret-token", "secret_token", true, true,
         "secret_token given to setWebhook (X-Telegram-Bot-Api-Secret-Token)"}}},
      {"twilio",
       "SMS inbox through Twilio",
       {{"--account-sid", "account_sid", false, true, "Account SID"},
        {"--auth-token", "auth_token", true, true, "Auth token (X-Twilio-Signature)"},
        {"--from", "from", false, true, "The sending number (E.164) or messaging service"},
        {"--webhook-url", "webhook_url", false, false,
         "The exact public URL configured at Twilio, when it differs from the request's"}}},
      // The password is read from stdin (see CreateInbox); email has no webhook: mail is
      // fetched from the IMAP mailbox.
      {"email",
       "Email inbox (IMAP in, SMTP out); the password is read from stdin",
       {{"--address", "address", false, true, "The inbox's email address"},
        {"--imap-url", "imap_url", false, true, "imaps://host[:port]/INBOX (or imap://)"},
        {"--smtp-url", "smtp_url", false, true, "smtps://host[:port] (or smtp:// with STARTTLS)"},
        {"--username", "username", false, true, "Login for both IMAP and SMTP"},
        {"--display-name", "display_name", false, false, "Sender name on replies"},
        {"--signature", "signature", false, false, "Signature appended to replies"}}},
  };
  return kSpecs;
}

// "name:lang1,lang2" -> a template approved in those languages (parameter count not recorded;
// the API sets it: POST /api/v1/inboxes/{id}/templates).
Result<MessageTemplate> ParseTemplateOption(const std::string& spec) {
  auto colon = spec.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
    return Status::Unprocessable("--template must look like NAME:LANG[,LANG...]", "invalid_field");
  }
  MessageTemplate t;
  t.name = spec.substr(0, colon);
  std::string langs = spec.substr(colon + 1);
  size_t start = 0;
  while (start <= langs.size()) {
    size_t comma = langs.find(',', start);
    std::string l =
        langs.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!l.empty()) t.languages.push_back(l);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return t;
}

int CreateInbox(const GlobalOptions& g, const InboxCreate& c) {
  auto store = OpenDataDir(g.data_dir, true);
  if (!store.ok()) return Fail(store.status());
  channels::ChannelRegistry registry;
  RegisterChannels(registry);
  Inbox inbox;
  inbox.channel = c.channel;
  inbox.name = c.name;
  json config = json::object();
  if (!c.callback_url.empty()) config["callback_url"] = c.callback_url;
  for (const auto& [k, v] : c.config) {
    if (!v.empty()) config[k] = v;
  }
  std::vector<MessageTemplate> templates;
  for (const auto& t : c.templates) {
    auto parsed = ParseTemplateOption(t);
    if (!parsed.ok()) return Fail(parsed.status());
    templates.push_back(*parsed);
  }
  inbox.config_json = config.dump();
  if (c.channel == "email") {
    inbox.secret = ReadPasswordLine();
    if (inbox.secret.empty()) {
      return Fail(Status::Unprocessable("the mailbox password is read from stdin and was empty",
                                        "missing_field"));
    }
  } else if (c.secrets.empty()) {
    inbox.secret = crypto::RandomToken(32);
  } else {
    json secrets = json::object();
    for (const auto& [k, v] : c.secrets) {
      if (!v.empty()) secrets[k] = v;
    }
    inbox.secret = secrets.dump();
  }
  Status valid = registry.Validate(inbox);
  if (!valid.ok()) return Fail(valid);
  auto created = (*store)->CreateInbox(inbox);
  if (!created.ok()) return Fail(created.status());
  for (const auto& t : templates) {
    auto saved = (*store)->PutTemplate(created->id, t, SystemClock::Get().NowMs());
    if (!saved.ok()) return Fail(saved.status());
  }
  (void)(*store)->AppendAudit({"cli", "inbox.create", fmt::format("inbox:{}", created->id), "{}",
                               SystemClock::Get().NowMs()});
  std::string webhook = c.channel == "api" ? fmt::format("/api/v1/inboxes/{}/inbound", created->id)
                                           : fmt::format("/webhooks/{}/{}", c.channel, created->id);
  if (c.channel == "email") webhook.clear();  // mail is fetched over IMAP, nothing calls us
  // Absolute when the public base URL is known (what to paste into the provider's console).
  if (const char* base = std::getenv("MERIDIAN_PUBLIC_URL"); base != nullptr && *base != '\0') {
    std::string b = base;
    while (!b.empty() && b.back() == '/') b.pop_back();
    webhook = b + webhook;
  }
  if (c.json) {
    json out = {{"id", created->id},
                {"channel", created->channel},
                {"name", created->name},
                {"webhook_url", webhook.empty() ? json(nullptr) : json(webhook)}};
    if (c.channel == "api") out["secret"] = created->secret;
    std::cout << out.dump() << "\n";
  } else {
    std::cout << "created " << c.channel << " inbox " << created->id << "\n"
              << "inbound URL: " << (webhook.empty() ? "none (fetched over IMAP)" : webhook)
              << "\n";
    if (c.channel == "api") std::cout << "secret: " << created->secret << "\n";
  }
  return 0;
}

struct InboxUpdate {
  Id id = 0;
  std::string name, callback_url;
  std::vector<std::string> set, unset, secrets;
  bool password_stdin = false;
  bool json = false;
};

// "key=value" -> (key, value); Unprocessable naming `flag` when there is no '=' or no key.
Result<std::pair<std::string, std::string>> KeyValue(const std::string& spec, const char* flag) {
  size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::Unprocessable(fmt::format("{} must look like KEY=VALUE", flag), "invalid_field");
  }
  return std::make_pair(spec.substr(0, eq), spec.substr(eq + 1));
}

// `meridian inbox update ID ...`: the same change as PATCH /api/v1/inboxes/{id}. A server
// running on the same data directory picks it up within store::kInboxCacheMs.
int UpdateInbox(const GlobalOptions& g, const InboxUpdate& u) {
  service::InboxPatch patch;
  if (!u.name.empty()) patch.name = u.name;
  if (!u.callback_url.empty()) patch.config["callback_url"] = u.callback_url;
  for (const auto& spec : u.set) {
    auto kv = KeyValue(spec, "--set");
    if (!kv.ok()) return Fail(kv.status());
    patch.config[kv->first] = kv->second;
  }
  for (const auto& key : u.unset) patch.config[key] = nullptr;
  for (const auto& spec : u.secrets) {
    auto kv = KeyValue(spec, "--secret");
    if (!kv.ok()) return Fail(kv.status());
    if (kv->second.empty()) {
      return Fail(Status::Unprocessable("--secret needs a value", "invalid_field"));
    }
    patch.secrets[kv->first] = kv->second;
  }
  if (u.password_stdin) {
    patch.password = ReadPasswordLine();
    if (patch.password->empty()) {
      return Fail(
          Status::Unprocessable("the mailbox password read from stdin was empty", "missing_field"));
    }
  }
  // Checked through the same parser as the API, so both refuse the same things.
  json body = {{"config", patch.config}, {"secrets", patch.secrets}};
  if (patch.name) body["name"] = *patch.name;
  if (patch.password) body["password"] = *patch.password;
  auto parsed = service::InboxService::ParsePatch(body);
  if (!parsed.ok()) return Fail(parsed.status());
  auto store = OpenDataDir(g.data_dir, true);
  if (!store.ok()) return Fail(store.status());
  channels::ChannelRegistry registry;
  RegisterChannels(registry);
  service::InboxService inboxes(**store, registry, SystemClock::Get());
  auto updated = inboxes.Update(u.id, *parsed, "cli");
  if (!updated.ok()) return Fail(updated.status());
  if (u.json) {
    json config = json::parse(updated->config_json, nullptr, false);
    std::cout << json({{"id", updated->id},
                       {"channel", updated->channel},
                       {"name", updated->name},
                       {"config", config.is_object() ? config : json::object()},
                       {"revision", updated->revision}})
                     .dump()
              << "\n";
  } else {
    std::cout << "updated " << updated->channel << " inbox " << updated->id << " (revision "
              << updated->revision << ")\n";
  }
  return 0;
}

// `meridian inbox rotate-secret ID [--grace-seconds N]`.
int RotateSecret(const GlobalOptions& g, Id id, int64_t grace_seconds, bool as_json) {
  auto store = OpenDataDir(g.data_dir, true);
  if (!store.ok()) return Fail(store.status());
  channels::ChannelRegistry registry;
  RegisterChannels(registry);
  service::InboxService inboxes(**store, registry, SystemClock::Get());
  auto rotated = inboxes.RotateSecret(id, grace_seconds, "cli");
  if (!rotated.ok()) return Fail(rotated.status());
  json until = rotated->previous_secret_until > 0
                   ? json(FormatRfc3339(rotated->previous_secret_until))
                   : json(nullptr);
  if (as_json) {
    std::cout << json({{"id", rotated->id},
                       {"secret", rotated->secret},
                       {"previous_secret_valid_until", until}})
                     .dump()
              << "\n";
  } else {
    std::cout << "new secret: " << rotated->secret << "\n"
              << (until.is_null() ? std::string("the old secret no longer works")
                                  : "the old secret works until " + until.get<std::string>())
              << "\n";
  }
  return 0;
}

}  // namespace

void RegisterAdminCommands(CLI::App& root, CommandContext ctx) {
  CLI::App* agent = root.add_subcommand("agent", "Manage agents");
  agent->require_subcommand(1);
  auto ac = std::make_shared<AgentCreate>();
  CLI::App* create =
      agent->add_subcommand("create", "Create an agent; the password is read from stdin");
  AddDataOption(*create, ctx.global);
  create->add_option("--email", ac->email, "Login email")->required();
  create->add_option("--name", ac->name, "Display name")->required();
  create->add_option("--role", ac->role, "admin, supervisor or agent")->capture_default_str();
  create->add_flag("--json", ac->json, "Print the agent as JSON");
  create->callback([ctx, ac] { *ctx.exit_code = CreateAgent(*ctx.global, *ac); });

  CLI::App* inbox = root.add_subcommand("inbox", "Manage inboxes (channel instances)");
  inbox->require_subcommand(1);
  CLI::App* icreate = inbox->add_subcommand("create", "Create an inbox");
  icreate->require_subcommand(1);
  for (const char* channel : {"api", "webchat"}) {
    auto ic = std::make_shared<InboxCreate>();
    ic->channel = channel;
    CLI::App* sub = icreate->add_subcommand(
        channel, std::string(channel) == "api"
                     ? "Signed API inbox for marketplaces and custom sources"
                     : "Web chat widget inbox");
    AddDataOption(*sub, ctx.global);
    sub->add_option("--name", ic->name, "Inbox name")->required();
    if (std::string(channel) == "api") {
      sub->add_option("--callback-url", ic->callback_url,
                      "Where agent replies are POSTed, signed with the inbox secret");
    }
    sub->add_flag("--json", ic->json, "Print the inbox as JSON");
    sub->callback([ctx, ic] { *ctx.exit_code = CreateInbox(*ctx.global, *ic); });
  }
  for (const ProviderSpec& spec : ProviderSpecs()) {
    auto ic = std::make_shared<InboxCreate>();
    ic->channel = spec.channel;
    CLI::App* sub = icreate->add_subcommand(spec.channel, spec.description);
    AddDataOption(*sub, ctx.global);
    sub->add_option("--name", ic->name, "Inbox name")->required();
    for (const ProviderOption& o : spec.options) {
      std::string& target = o.secret ? ic->secrets[o.key] : ic->config[o.key];
      auto* opt = sub->add_option(o.flag, target, o.help);
      if (o.required) opt->required();
    }
    if (std::string(spec.channel) != "email") {
      sub->add_option("--api-base", ic->config["api_base"],
                      "The provider's API base URL (tests point it at a local stub)");
    }
    if (std::string(spec.channel) == "whatsapp") {
      sub->add_option("--template", ic->templates,
                      "An approved message template, NAME:LANG[,LANG...] (repeatable)");
    }
    sub->add_flag("--json", ic->json, "Print the inbox as JSON");
    sub->callback([ctx, ic] { *ctx.exit_code = CreateInbox(*ctx.global, *ic); });
  }
  auto iu = std::make_shared<InboxUpdate>();
  CLI::App* iupdate = inbox->add_subcommand(
      "update", "Change an inbox's name, settings or credentials (a running server follows)");
  AddDataOption(*iupdate, ctx.global);
  iupdate->add_option("id", iu->id, "The inbox id")->required();
  iupdate->add_option("--name", iu->name, "New name");
  iupdate->add_option("--callback-url", iu->callback_url,
                      "API inboxes: where agent replies are POSTed");
  iupdate->add_option("--set", iu->set, "A setting, KEY=VALUE (repeatable)");
  iupdate->add_option("--unset", iu->unset, "Remove a setting (repeatable)");
  iupdate->add_option("--secret", iu->secrets,
                      "Provider inboxes: a credential, KEY=VALUE, e.g. access_token=... "
                      "(repeatable)");
  iupdate->add_flag("--password-stdin", iu->password_stdin,
                    "Email inboxes: read the new mailbox password from stdin");
  iupdate->add_flag("--json", iu->json, "Print the inbox as JSON");
  iupdate->callback([ctx, iu] { *ctx.exit_code = UpdateInbox(*ctx.global, *iu); });

  auto rotate = std::make_shared<std::tuple<Id, int64_t, bool>>(
      0, service::kDefaultSecretGraceSeconds, false);
  CLI::App* irotate = inbox->add_subcommand(
      "rotate-secret", "API inboxes: a new signing secret; the old one works for a grace period");
  AddDataOption(*irotate, ctx.global);
  irotate->add_option("id", std::get<0>(*rotate), "The inbox id")->required();
  irotate
      ->add_option("--grace-seconds", std::get<1>(*rotate),
                   "How long the old secret still verifies inbound requests (0 to 604800)")
      ->capture_default_str();
  irotate->add_flag("--json", std::get<2>(*rotate), "Print the new secret as JSON");
  irotate->callback([ctx, rotate] {
    auto [id, grace, as_json] = *rotate;
    *ctx.exit_code = RotateSecret(*ctx.global, id, grace, as_json);
  });

  CLI::App* ilist = inbox->add_subcommand("list", "List inboxes as JSON lines");
  AddDataOption(*ilist, ctx.global);
  ilist->callback([ctx] {
    auto store = OpenDataDir(ctx.global->data_dir, true);
    if (!store.ok()) {
      *ctx.exit_code = Fail(store.status());
      return;
    }
    auto inboxes = (*store)->ListInboxes();
    if (!inboxes.ok()) {
      *ctx.exit_code = Fail(inboxes.status());
      return;
    }
    for (const Inbox& i : inboxes.value()) {
      std::cout << json({{"id", i.id}, {"channel", i.channel}, {"name", i.name}}).dump() << "\n";
    }
  });

  CLI::App* demo = root.add_subcommand("demo", "Demo and benchmark data");
  demo->require_subcommand(1);
  auto bulk = std::make_shared<std::pair<int, int>>(100000, 10);
  CLI::App* load = demo->add_subcommand(
      "load",
      "Load the demo shop, then N synthetic conversations with M messages each into an API inbox");
  AddDataOption(*load, ctx.global);
  load->add_option("--conversations", bulk->first, "Conversations to add")->capture_default_str();
  load->add_option("--messages", bulk->second, "Messages per conversation")->capture_default_str();
  load->callback([ctx, bulk] {
    auto store = OpenDataDir(ctx.global->data_dir, false);
    if (!store.ok()) {
      *ctx.exit_code = Fail(store.status());
      return;
    }
    auto login = LoadDemoData(**store);
    if (!login.ok()) {
      *ctx.exit_code = Fail(login.status());
      return;
    }
    auto inboxes = (*store)->ListInboxes();
    Id target = 0;
    if (inboxes.ok()) {
      for (const Inbox& i : inboxes.value()) {
        if (i.channel == "api") target = i.id;
      }
    }
    Status s = (*store)->BulkLoadDemo(target, bulk->first, bulk->second,
                                      SystemClock::Get().NowMs() - 86400000LL * 30);
    if (!s.ok()) {
      *ctx.exit_code = Fail(s);
      return;
    }
    std::cout << json({{"inbox_id", target},
                       {"conversations", bulk->first},
                       {"messages", static_cast<int64_t>(bulk->first) * bulk->second},
                       {"login", login->first}})
                     .dump()
              << "\n";
  });

  CLI::App* token = root.add_subcommand("token", "API tokens");
  token->require_subcommand(1);
  auto email = std::make_shared<std::string>();
  CLI::App* tcreate = token->add_subcommand("create", "Create an API token for an agent");
  AddDataOption(*tcreate, ctx.global);
  tcreate->add_option("--email", *email, "The agent's email")->required();
  tcreate->callback([ctx, email] {
    auto store = OpenDataDir(ctx.global->data_dir, true);
    if (!store.ok()) {
      *ctx.exit_code = Fail(store.status());
      return;
    }
    auto found = (*store)->FindAgentByEmail(*email);
    if (!found.ok()) {
      *ctx.exit_code = Fail(found.status());
      return;
    }
    service::AuthService auth(**store, SystemClock::Get());
    auto t = auth.CreateApiToken(found->agent.id);
    if (!t.ok()) {
      *ctx.exit_code = Fail(t.status());
      return;
    }
    std::cout << json({{"token", *t}}).dump() << "\n";
  });
}

}  // namespace meridian::app
