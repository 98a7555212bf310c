// `meridian agent ...`, `meridian inbox ...`, `meridian token ...`: administration from the shell.

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/runtime.h"
#include "core/crypto.h"
#include "service/auth_service.h"

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

int CreateAgent(const GlobalOptions& g, const AgentCreate& a) {
  std::string password;
  std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
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
};

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
  inbox.config_json = config.dump();
  inbox.secret = crypto::RandomToken(32);
  Status valid = registry.Validate(inbox);
  if (!valid.ok()) return Fail(valid);
  auto created = (*store)->CreateInbox(inbox);
  if (!created.ok()) return Fail(created.status());
  (void)(*store)->AppendAudit({"cli", "inbox.create", fmt::format("inbox:{}", created->id), "{}",
                               SystemClock::Get().NowMs()});
  std::string webhook = c.channel == "api" ? fmt::format("/api/v1/inboxes/{}/inbound", created->id)
                                           : fmt::format("/webhooks/{}/{}", c.channel, created->id);
  if (c.json) {
    json out = {{"id", created->id},
                {"channel", created->channel},
                {"name", created->name},
                {"webhook_url", webhook}};
    if (c.channel == "api") out["secret"] = created->secret;
    std::cout << out.dump() << "\n";
  } else {
    std::cout << "created " << c.channel << " inbox " << created->id << "\n"
              << "inbound URL: " << webhook << "\n";
    if (c.channel == "api") std::cout << "secret: " << created->secret << "\n";
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
