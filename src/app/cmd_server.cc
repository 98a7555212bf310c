// `meridian serve` and `meridian migrate`.

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "api/api.h"
#include "app/commands.h"
#include "app/runtime.h"
#include "app/translation_config.h"
#include "core/http_client.h"
#include "core/resources.h"
#include "nlp/translate/apertium.h"
#include "nlp/translate/opencc.h"
#include "nlp/translate/router.h"
#include "service/enrichment_worker.h"
#include "service/media_worker.h"
#include "service/outbox_worker.h"
#include "service/upload_service.h"

namespace meridian::app {

namespace {

struct ServeOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 2;
  bool demo = false;
  bool sync_normal = false;
  std::string web_root;
  size_t max_body = 1 << 20;
  int outbox_attempts = 8;
  int64_t outbox_base_delay_ms = 1000;
  std::string working_language = "en";
  int64_t mail_poll_ms = 20'000;
  int64_t mail_rescan_ms = 10'000;
  int media_attempts = 5;
  int enrichment_threads = 2;
  int64_t media_base_delay_ms = 2000;
  int64_t media_max_bytes = 0;
  int64_t webchat_max_upload_bytes = 10 << 20;
  int64_t template_sync_minutes = 60;
  std::string translation_config;
};

// Structured logs: one JSON object per line (UTC), to stderr and DATA/logs/meridian.log.
// Messages never carry PII or secrets: ids and counts only.
void SetUpLogging(const std::string& data_dir) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  try {
    sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(
        (std::filesystem::path(data_dir) / "logs" / "meridian.log").string()));
  } catch (const spdlog::spdlog_ex& e) {
    std::cerr << "meridian: cannot open the log file: " << e.what() << "\n";
  }
  auto logger = std::make_shared<spdlog::logger>("meridian", sinks.begin(), sinks.end());
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","thread":%t,"msg":"%v"})",
                      spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

// Every connection (and WebSocket) is a file descriptor: the soft limit is often 1,024 while the
// hard limit allows far more. Raise the soft limit as far as allowed; returns the limit in force.
rlim_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) return raised.rlim_cur;
  }
  return limit.rlim_cur;
}

int Serve(const GlobalOptions& global, const ServeOptions& opts) {
  http::Server::BlockShutdownSignals();  // before any thread starts
  rlim_t files = RaiseFileLimit();
  auto store = OpenDataDir(global.data_dir, !opts.sync_normal);
  if (!store.ok()) {
    std::cerr << "meridian: " << store.status().ToString() << "\n";
    return 1;
  }
  SetUpLogging(global.data_dir);
  if (opts.demo) {
    auto demo = LoadDemoData(**store);
    if (!demo.ok()) {
      std::cerr << "meridian: demo data: " << demo.status().ToString() << "\n";
      return 1;
    }
    std::cout << "demo login: " << demo->first << " / " << demo->second << std::endl;
  }
  auto secret = (*store)->InstallationSecret();
  if (!secret.ok()) {
    std::cerr << "meridian: " << secret.status().ToString() << "\n";
    return 1;
  }

  channels::ChannelRegistry registry;
  RegisterChannels(registry, {.webchat_max_upload_bytes = opts.webchat_max_upload_bytes});
  http::Hub hub;
  const Clock& clock = SystemClock::Get();
  api::HubEventSink sink(hub, *secret, clock);
  service::AuthService auth(**store, clock);
  service::ConversationService conversations(**store, registry, sink, clock);
  service::ContactService contacts(**store, sink, clock);
  auto http_client = MakeCurlHttpClient();
  auto blobs = store::BlobStore::Open(std::filesystem::path(global.data_dir) / "blobs");
  if (!blobs.ok()) {
    std::cerr << "meridian: " << blobs.status().ToString() << "\n";
    return 1;
  }
  service::OutboxOptions outbox_options;
  outbox_options.max_attempts = opts.outbox_attempts;
  outbox_options.base_delay_ms = opts.outbox_base_delay_ms;
  service::OutboxWorker outbox(outbox_options, **store, registry, *http_client, conversations,
                               clock, blobs->get());
  conversations.SetOutboxWaker([&outbox] { outbox.Wake(); });
  // The NLU pipeline after the store. Without its models Meridian still serves every message,
  // unenriched; they are enriched once a build with models starts on the same data.
  // Offline translation engines for the pipeline's translation stage (pipelines start lazily,
  // on a pair's first message, and stay warm). Declared first: outlives the worker using it.
  // Remote engines from --translation-config come after them (per pair first when configured
  // so). The same router serves agents: reply previews, messages in each agent's language, and
  // reply templates that lack the customer's language (LG6).
  nlp::translate::Router translator;
  auto apertium = nlp::translate::ApertiumEngine::Create();
  if (apertium.ok()) translator.AddEngine(std::move(apertium).value());
  auto opencc = nlp::translate::OpenCcEngine::Create();
  if (opencc.ok()) translator.AddEngine(std::move(opencc).value());
  if (!opts.translation_config.empty()) {
    auto text = ReadFile(opts.translation_config);
    if (!text) {
      std::cerr << "meridian: cannot read " << opts.translation_config << "\n";
      return 1;
    }
    auto engines = ParseTranslationConfig(*text, [](const std::string& name) {
      const char* v = std::getenv(name.c_str());
      return v == nullptr ? std::string() : std::string(v);
    });
    auto added = engines.ok() ? AddRemoteEngines(translator, *engines)
                              : Result<std::vector<std::string>>(engines.status());
    if (!added.ok()) {
      std::cerr << "meridian: " << added.status().ToString() << "\n";
      return 1;
    }
    spdlog::info("translation: {} remote engine(s) configured", added->size());
  }
  std::string working_language = opts.working_language.empty() ? "en" : opts.working_language;
  service::TranslationService translations(**store, translator, clock,
                                           {.working_language = working_language});
  if (Status loaded = translations.Load(); !loaded.ok()) {
    std::cerr << "meridian: translation memory: " << loaded.ToString() << "\n";
    return 1;
  }
  auto enricher = service::Enricher::Load(service::EnricherPaths::Defaults());
  std::unique_ptr<service::EnrichmentWorker> enrichment;
  if (enricher.ok() && !opts.working_language.empty()) {
    (*enricher)->SetTranslator(&translator, opts.working_language,
                               translations.RouteOptionsFor().account);
  }
  if (enricher.ok()) {
    enrichment = std::make_unique<service::EnrichmentWorker>(
        service::EnrichmentOptions{.threads = opts.enrichment_threads}, **store, **enricher, sink,
        clock);
    conversations.SetEnrichmentWaker([w = enrichment.get()] { w->Wake(); });
  } else {
    spdlog::error("enrichment disabled: {}", enricher.status().ToString());
  }
  // Inbound mail: one worker per email inbox (IMAP IDLE, else polling).
  service::MailboxWorkerOptions mail_options;
  mail_options.poll_ms = opts.mail_poll_ms;
  MailboxFleet mail_workers(**store, registry, **blobs, conversations, clock, mail_options,
                            opts.mail_rescan_ms);
  // Provider media (WhatsApp, Telegram, LINE, Meta, Twilio), downloaded after the webhook's 200.
  service::MediaWorkerOptions media_options;
  media_options.max_attempts = opts.media_attempts;
  media_options.base_delay_ms = opts.media_base_delay_ms;
  media_options.max_bytes = opts.media_max_bytes;
  service::MediaWorker media(media_options, **store, registry, *http_client, **blobs, conversations,
                             clock);
  // Files sent in web chat, both ways (CH9).
  service::UploadService uploads(**store, **blobs, registry, conversations);
  // WhatsApp message templates, listed at the provider now and then (and on request).
  service::TemplateSync template_sync(**store, registry, *http_client, clock);
  ThreadPool blocking(4);
  std::atomic<bool> ready{false};

  api::ApiContext ctx;
  ctx.store = store->get();
  ctx.auth = &auth;
  ctx.conversations = &conversations;
  ctx.translations = &translations;
  ctx.contacts = &contacts;
  ctx.channels = &registry;
  ctx.hub = &hub;
  ctx.clock = &clock;
  ctx.blocking = &blocking;
  ctx.translator = &translator;
  ctx.web_root = opts.web_root.empty() ? ShareDir() / "web" : std::filesystem::path(opts.web_root);
  ctx.visitor_secret = *secret;
  ctx.ready = &ready;
  ctx.blobs = blobs->get();
  ctx.media_waker = [&media] { media.Wake(); };
  ctx.uploads = &uploads;
  service::UploadQuota upload_quota;
  ctx.upload_quota = &upload_quota;
  ctx.max_upload_bytes = static_cast<size_t>(opts.webchat_max_upload_bytes);
  ctx.template_sync = &template_sync;

  http::ServerOptions server_options;
  server_options.address = opts.address;
  server_options.port = opts.port;
  server_options.threads = opts.threads;
  server_options.max_body_bytes = opts.max_body;
  http::Server server(server_options, api::BuildRouter(ctx));
  auto port = server.Start();
  if (!port.ok()) {
    std::cerr << "meridian: " << port.status().ToString() << "\n";
    return 1;
  }
  outbox.Start();
  if (enrichment) enrichment->Start();
  mail_workers.Start();
  media.Start();
  template_sync.Start(opts.template_sync_minutes * 60'000);
  ready = true;
  std::cout << "Meridian listening on http://" << opts.address << ":" << *port << std::endl;
  spdlog::info("serving on {}:{} with {} threads, data in {}, up to {} open files", opts.address,
               *port, opts.threads, global.data_dir, static_cast<uint64_t>(files));

  http::Server::WaitForShutdownSignal();
  spdlog::info("shutting down: finishing in-flight requests");
  ready = false;
  server.Stop();
  mail_workers.Stop();  // interrupts IDLE: no wait for its timeout
  media.Stop();
  template_sync.Stop();
  outbox.Stop();
  if (enrichment) enrichment->Stop();
  spdlog::info("stopped cleanly");
  return 0;  // the store's writer drains and closes as `store` goes out of scope
}

}  // namespace

void RegisterServerCommands(CLI::App& root, CommandContext ctx) {
  auto opts = std::make_shared<ServeOptions>();
  CLI::App* serve = root.add_subcommand("serve", "Serve the API, the workspace and the widget");
  AddDataOption(*serve, ctx.global);
  serve->add_option("--port", opts->port, "TCP port (0: any free port)")->capture_default_str();
  serve->add_option("--address", opts->address, "Listen address")->capture_default_str();
  serve->add_option("--threads", opts->threads, "I/O threads")->capture_default_str();
  serve->add_flag("--demo", opts->demo, "Load demo data on first start");
  serve->add_flag("--sync-normal", opts->sync_normal,
                  "SQLite synchronous=NORMAL instead of FULL (faster, may lose the last commits "
                  "on power loss)");
  serve->add_option("--web-root", opts->web_root, "Directory of the built web front end");
  serve->add_option("--max-body", opts->max_body, "Largest request body in bytes")
      ->capture_default_str();
  serve
      ->add_option("--outbox-attempts", opts->outbox_attempts,
                   "Delivery attempts before an outbound message is dead-lettered")
      ->capture_default_str();
  serve
      ->add_option("--outbox-base-delay-ms", opts->outbox_base_delay_ms,
                   "First retry delay; doubles per attempt")
      ->capture_default_str();
  serve
      ->add_option("--media-attempts", opts->media_attempts,
                   "Download attempts for provider media before it is recorded as failed")
      ->capture_default_str();
  serve
      ->add_option("--media-base-delay-ms", opts->media_base_delay_ms,
                   "First media download retry delay; doubles per attempt")
      ->capture_default_str();
  serve
      ->add_option("--media-max-bytes", opts->media_max_bytes,
                   "Largest provider media stored, below each channel's own limit (0: the "
                   "channel's limit)")
      ->capture_default_str();
  serve
      ->add_option("--webchat-max-upload-bytes", opts->webchat_max_upload_bytes,
                   "Largest file a web chat visitor or an agent may send in web chat (CH9)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  serve
      ->add_option("--template-sync-minutes", opts->template_sync_minutes,
                   "Sync every WhatsApp inbox's approved message templates from the provider "
                   "at start and then every N minutes (0: only on request)")
      ->capture_default_str();
  serve
      ->add_option("--working-language", opts->working_language,
                   "The language agents read: inbound messages in other languages are translated "
                   "into it by the offline engines (Apertium, OpenCC); empty turns this off")
      ->capture_default_str();
  serve
      ->add_option("--enrichment-threads", opts->enrichment_threads,
                   "Threads that run the NLU pipeline over stored messages (at SCHED_IDLE, "
                   "so request handling comes first)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve
      ->add_option("--mail-poll-ms", opts->mail_poll_ms,
                   "How often email inboxes are polled when the IMAP server has no IDLE")
      ->capture_default_str();
  serve
      ->add_option("--mail-rescan-ms", opts->mail_rescan_ms,
                   "How often the list of email inboxes is read again: new or edited inboxes get "
                   "their mailbox worker within this time")
      ->check(CLI::Range(int64_t{50}, int64_t{3'600'000}))
      ->capture_default_str();
  serve
      ->add_option("--translation-config", opts->translation_config,
                   "JSON file of remote translation engines (LibreTranslate, DeepL, Google, "
                   "OpenAI-compatible) per language pair; keys from the environment or files "
                   "(docs/translation.md)")
      ->check(CLI::ExistingFile);
  serve->callback([ctx, opts] { *ctx.exit_code = Serve(*ctx.global, *opts); });

  CLI::App* migrate = root.add_subcommand("migrate", "Apply database migrations and exit");
  AddDataOption(*migrate, ctx.global);
  migrate->callback([ctx] {
    auto store = OpenDataDir(ctx.global->data_dir, true);
    if (!store.ok()) {
      std::cerr << "meridian: " << store.status().ToString() << "\n";
      *ctx.exit_code = 1;
      return;
    }
    std::cout << "schema version " << *(*store)->SchemaVersion() << "\n";
  });
}

}  // namespace meridian::app
