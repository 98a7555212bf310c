#include "app/runtime.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "channels/api/api_channel.h"
#include "channels/email/email_channel.h"
#include "channels/instagram/instagram_channel.h"
#include "channels/line/line_channel.h"
#include "channels/messenger/messenger_channel.h"
#include "channels/telegram/telegram_channel.h"
#include "channels/twilio/twilio_channel.h"
#include "channels/webchat/webchat_channel.h"
#include "channels/whatsapp/whatsapp_channel.h"
#include "core/crypto.h"
#include "core/thread_name.h"
#include "service/auth_service.h"

namespace meridian::app {

Result<std::unique_ptr<store::Store>> OpenDataDir(const std::string& dir, bool synchronous_full) {
  std::error_code ec;
  for (const char* sub : {"", "blobs", "logs", "index"}) {
    std::filesystem::create_directories(std::filesystem::path(dir) / sub, ec);
    if (ec)
      return Status::Unavailable(fmt::format("cannot create {}/{}: {}", dir, sub, ec.message()));
  }
  store::StoreOptions options;
  options.path = (std::filesystem::path(dir) / "meridian.db").string();
  options.synchronous_full = synchronous_full;
  MERIDIAN_ASSIGN_OR_RETURN(auto store, store::OpenSqliteStore(options));
  MERIDIAN_RETURN_IF_ERROR(store->Migrate().status());
  return store;
}

void RegisterChannels(channels::ChannelRegistry& registry, const ChannelSettings& settings) {
  registry.Register("api", channels::MakeApiChannelFactory());
  registry.Register("webchat", channels::MakeWebchatChannelFactory(
                                   {.max_upload_bytes = settings.webchat_max_upload_bytes}));
  registry.Register("whatsapp", channels::MakeWhatsAppChannelFactory());
  registry.Register("messenger", channels::MakeMessengerChannelFactory());
  registry.Register("instagram", channels::MakeInstagramChannelFactory());
  registry.Register("line", channels::MakeLineChannelFactory());
  registry.Register("telegram", channels::MakeTelegramChannelFactory());
  registry.Register("twilio", channels::MakeTwilioChannelFactory());
  registry.Register("email", channels::email::MakeEmailChannelFactory());
}

MailboxFleet::MailboxFleet(store::Store& store, channels::ChannelRegistry& registry,
                           store::BlobStore& blobs, service::ConversationService& conversations,
                           const Clock& clock, service::MailboxWorkerOptions options,
                           int64_t rescan_ms)
    : store_(store),
      registry_(registry),
      blobs_(blobs),
      conversations_(conversations),
      clock_(clock),
      options_(options),
      rescan_ms_(rescan_ms) {}

MailboxFleet::~MailboxFleet() { Stop(); }

void MailboxFleet::Start() {
  thread_ = std::thread([this] {
    NameThisThread("mailbox-fleet");
    while (true) {
      Rescan();
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(rescan_ms_), [&] { return stopping_; });
      if (stopping_) return;
    }
  });
}

void MailboxFleet::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Each stops promptly: an IDLE or transfer in progress is interrupted, not waited out.
  for (auto& [id, worker] : workers_) worker->Stop();
  workers_.clear();
}

void MailboxFleet::Rescan() {
  auto inboxes = store_.ListInboxes();
  if (!inboxes.ok()) {
    spdlog::error("mail workers: cannot list inboxes: {}", inboxes.status().ToString());
    return;
  }
  for (const Inbox& inbox : *inboxes) {
    if (inbox.channel != "email") continue;
    // An edited inbox (new password, server or folder) gets a new worker; an unchanged one
    // keeps its own, and one found invalid is not retried until it is edited.
    auto known = revisions_.find(inbox.id);
    if (known != revisions_.end() && known->second == inbox.revision) continue;
    revisions_[inbox.id] = inbox.revision;
    if (auto running = workers_.find(inbox.id); running != workers_.end()) {
      spdlog::info("inbox {}: settings changed, restarting its mailbox worker", inbox.id);
      running->second->Stop();
      workers_.erase(running);
    }
    auto channel = registry_.For(inbox);
    auto email = channel.ok()
                     ? std::dynamic_pointer_cast<const channels::email::EmailChannel>(*channel)
                     : nullptr;
    if (!email) {
      spdlog::error("inbox {}: email settings invalid, not polled", inbox.id);
      continue;
    }
    auto worker = std::make_unique<service::MailboxWorker>(options_, inbox, std::move(email),
                                                           store_, blobs_, conversations_, clock_);
    worker->Start();
    workers_.emplace(inbox.id, std::move(worker));
  }
}

Result<std::pair<std::string, std::string>> LoadDemoData(store::Store& store) {
  const std::string email = "demo@meridian.local";
  const std::string password = "meridian-demo";
  auto existing = store.FindAgentByEmail(email);
  if (existing.ok()) return std::make_pair(email, password);

  service::AuthService auth(store, SystemClock::Get());
  MERIDIAN_RETURN_IF_ERROR(
      auth.CreateAgent(email, "Demo Admin", "admin", password, "demo").status());
  MERIDIAN_RETURN_IF_ERROR(
      auth.CreateAgent("li.wei@meridian.local", "Li Wei", "agent", password, "demo").status());

  Inbox web;
  web.channel = "webchat";
  web.name = "Aurora Outdoor web chat";
  MERIDIAN_RETURN_IF_ERROR(store.CreateInbox(web).status());
  Inbox api;
  api.channel = "api";
  api.name = "Marketplace (API)";
  api.secret = crypto::RandomToken(32);
  MERIDIAN_ASSIGN_OR_RETURN(Inbox api_inbox, store.CreateInbox(api));

  MERIDIAN_RETURN_IF_ERROR(SeedDemoTemplates(store));

  struct Sample {
    const char* sender;
    const char* name;
    const char* text;
    const char* country;  // what the shop knows of the customer, for templates (LG6)
    const char* time_zone;
  };
  const Sample samples[] = {
      {"buyer-1001", "Sofia Rossi", "Buongiorno, il mio ordine #10234 non è ancora arrivato.", "IT",
       "Europe/Rome"},
      {"buyer-1002", "Tanaka Yui", "注文した商品はいつ届きますか？", "JP", "Asia/Tokyo"},
      {"buyer-1003", "Carlos Mendes", "Quero devolver a jaqueta, ficou pequena.", "BR",
       "America/Sao_Paulo"},
      {"buyer-1004", "Emma Schulz",
       "Hallo, wo ist meine Bestellung? Sendungsnummer 1Z999AA10123456784", "CH", "Europe/Zurich"},
      {"buyer-1005", "张伟", "你好，可以寄到上海吗？运费多少？", "CN", "Asia/Shanghai"},
  };
  TimestampMs now = SystemClock::Get().NowMs();
  int i = 0;
  for (const auto& s : samples) {
    store::InboundMessage m;
    m.inbox_id = api_inbox.id;
    m.external_sender_id = s.sender;
    m.sender_name = s.name;
    m.provider_message_id = fmt::format("demo-{}", i);
    m.text = s.text;
    m.received_at = now - (5 - i) * 60'000;
    MERIDIAN_ASSIGN_OR_RETURN(store::IngestResult ingested, store.IngestInbound(m));
    MERIDIAN_RETURN_IF_ERROR(
        store.SetContactLocale(ingested.conversation.contact_id, s.country, s.time_zone));
    ++i;
  }
  return std::make_pair(email, password);
}

}  // namespace meridian::app
