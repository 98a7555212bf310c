#include "nlp/translate/apertium.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>

#include "core/resources.h"

namespace meridian::nlp::translate {
namespace {

constexpr std::string_view kOpen = "\xE2\x9F\xA6";   // ⟦
constexpr std::string_view kClose = "\xE2\x9F\xA7";  // ⟧

bool IsStreamReserved(char c) {
  switch (c) {
    case '\\':
    case '[':
    case ']':
    case '^':
    case '$':
    case '/':
    case '<':
    case '>':
    case '@':
    case '{':
    case '}':
      return true;
    default:
      return false;
  }
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) --e;
  return std::string(s.substr(b, e - b));
}

// Inserts -z after the program name of every stage of a mode's pipeline and fills in the
// arguments the `apertium` script would pass: $1 = -n (no unknown-word marks), $2 = "".
std::string NullFlushCommand(std::string_view mode_text) {
  std::string flat;
  for (char c : mode_text) flat.push_back(c == '\n' || c == '\r' ? ' ' : c);
  std::string out;
  size_t start = 0;
  while (start <= flat.size()) {
    size_t bar = flat.find('|', start);
    std::string stage = Trim(std::string_view(flat).substr(
        start, bar == std::string::npos ? std::string::npos : bar - start));
    if (!stage.empty()) {
      size_t sp = stage.find(' ');
      std::string program = stage.substr(0, sp);
      std::string args = sp == std::string::npos ? "" : stage.substr(sp);
      if (!out.empty()) out += " | ";
      out += program + " -z" + args;
    }
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  for (auto [var, value] : {std::pair{"$1", "-n"}, std::pair{"$2", ""}}) {
    for (size_t p = out.find(var); p != std::string::npos; p = out.find(var, p)) {
      out.replace(p, 2, value);
    }
  }
  return out;
}

void IgnoreSigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

}  // namespace

std::string_view PairKindName(PairKind kind) {
  switch (kind) {
    case PairKind::kDirect:
      return "direct";
    case PairKind::kPivot:
      return "pivot";
    case PairKind::kUnavailable:
      return "unavailable";
  }
  return "unavailable";
}

std::string Placeholder(size_t index) {
  return std::string(kOpen) + std::to_string(index) + std::string(kClose);
}

bool TranslationEngine::Supports(std::string_view from, std::string_view to) {
  for (const PairInfo& p : Pairs()) {
    if (p.from == from && p.to == to && p.kind != PairKind::kUnavailable) return true;
  }
  return false;
}

std::string ToApertiumStream(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, kOpen.size()) == kOpen) {
      size_t close = text.find(kClose, i + kOpen.size());
      if (close != std::string::npos && close > i + kOpen.size() && close - i < 16) {
        // A placeholder: a superblank, which Apertium copies through verbatim.
        out += '[';
        out += text.substr(i, close + kClose.size() - i);
        out += ']';
        i = close + kClose.size();
        continue;
      }
    }
    char c = text[i];
    if (c == '\0' || c == '\n' || c == '\r') {
      out += ' ';
    } else {
      if (IsStreamReserved(c)) out += '\\';
      out += c;
    }
    ++i;
  }
  return out;
}

std::string FromApertiumStream(std::string_view stream) {
  std::string out;
  out.reserve(stream.size());
  int depth = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    char c = stream[i];
    if (c == '\\' && i + 1 < stream.size()) {
      out += stream[++i];
    } else if (c == '[') {
      ++depth;
    } else if (c == ']' && depth > 0) {
      --depth;
    } else if (c == '\0') {
      continue;
    } else {
      out += c;
    }
  }
  // Superblanks were padded with spaces; collapse the runs that leaves.
  std::string collapsed;
  collapsed.reserve(out.size());
  for (char c : out) {
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    collapsed += c;
  }
  return Trim(collapsed);
}

std::string NormalizeApertiumCode(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> kCodes = {
      {"eng", "en"}, {"spa", "es"}, {"cat", "ca"}, {"fra", "fr"}, {"por", "pt"},  {"ita", "it"},
      {"ind", "id"}, {"zlm", "ms"}, {"msa", "ms"}, {"glg", "gl"}, {"ron", "ro"},  {"isl", "is"},
      {"swe", "sv"}, {"dan", "da"}, {"nor", "no"}, {"nob", "nb"}, {"nno", "nn"},  {"mkd", "mk"},
      {"bul", "bg"}, {"hbs", "sh"}, {"slv", "sl"}, {"eus", "eu"}, {"nld", "nl"},  {"afr", "af"},
      {"epo", "eo"}, {"oci", "oc"}, {"rus", "ru"}, {"ukr", "uk"}, {"bel", "be"},  {"pol", "pl"},
      {"deu", "de"}, {"urd", "ur"}, {"hin", "hi"}, {"arg", "an"}, {"ast", "ast"}, {"srd", "sc"},
  };
  auto it = kCodes.find(code);
  return it == kCodes.end() ? std::string(code) : it->second;
}

// ---------------------------------------------------------------------------------------------
// ApertiumPipeline

ApertiumPipeline::ApertiumPipeline(std::string command, int timeout_ms)
    : command_(std::move(command)), timeout_ms_(timeout_ms) {}

ApertiumPipeline::~ApertiumPipeline() {
  std::lock_guard<std::mutex> lock(mu_);
  StopLocked();
}

pid_t ApertiumPipeline::ProcessGroup() {
  std::lock_guard<std::mutex> lock(mu_);
  return pids_.empty() ? -1 : pids_.front();
}

namespace {

// Splits a mode's pipeline into stages and arguments ('...' and "..." quoting, as the modes
// use). nullopt when it holds other shell syntax; the caller then runs it through /bin/sh.
std::optional<std::vector<std::vector<std::string>>> SplitPipeline(std::string_view command) {
  std::vector<std::vector<std::string>> stages(1);
  std::string word;
  bool in_word = false;
  char quote = 0;
  auto end_word = [&] {
    if (in_word) stages.back().push_back(word);
    word.clear();
    in_word = false;
  };
  for (char c : command) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      end_word();
    } else if (c == '|') {
      end_word();
      stages.emplace_back();
    } else if (std::string_view("<>&;`$(){}\\*?~").find(c) != std::string_view::npos) {
      return std::nullopt;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != 0) return std::nullopt;
  end_word();
  for (const auto& stage : stages) {
    if (stage.empty()) return std::nullopt;
  }
  return stages;
}

// The program's path, looked up in $PATH before fork (execvp may allocate).
std::string FindProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    std::string dir =
        dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return name;
}

}  // namespace

Status ApertiumPipeline::StartLocked() {
  IgnoreSigpipe();
  auto split = SplitPipeline(command_);
  std::vector<std::vector<std::string>> stages =
      split ? *split : std::vector<std::vector<std::string>>{{"/bin/sh", "-c", command_}};
  int to_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0) return Status::Internal("apertium: pipe failed");
  in_fd_ = to_child[1];
  int prev_read = to_child[0];
  // Each stage is our own child (so every one is reaped), all in one process group.
  for (const auto& stage : stages) {
    int next[2];
    if (::pipe2(next, O_CLOEXEC) != 0) {
      ::close(prev_read);
      StopLocked();
      return Status::Internal("apertium: pipe failed");
    }
    std::string program = FindProgram(stage[0]);
    std::vector<const char*> argv;
    for (const std::string& arg : stage) argv.push_back(arg.c_str());
    argv[0] = program.c_str();
    argv.push_back(nullptr);
    pid_t group = pids_.empty() ? 0 : pids_.front();
    pid_t pid = ::fork();
    if (pid < 0) {
      for (int fd : {prev_read, next[0], next[1]}) ::close(fd);
      StopLocked();
      return Status::Unavailable("apertium: fork failed", "engine_unavailable");
    }
    if (pid == 0) {
      // Child: only async-signal-safe calls until exec.
      ::setpgid(0, group);
      ::dup2(prev_read, 0);
      ::dup2(next[1], 1);
      int devnull = ::open("/dev/null", O_WRONLY);
      if (devnull >= 0) ::dup2(devnull, 2);
      ::execv(argv[0], const_cast<char* const*>(argv.data()));  // NOLINT
      ::_exit(127);
    }
    ::setpgid(pid, group == 0 ? pid : group);
    pids_.push_back(pid);
    ::close(prev_read);
    ::close(next[1]);
    prev_read = next[0];
  }
  out_fd_ = prev_read;
  ::fcntl(in_fd_, F_SETFL, ::fcntl(in_fd_, F_GETFL) | O_NONBLOCK);
  pending_.clear();
  return Status::Ok();
}

void ApertiumPipeline::StopLocked() {
  if (in_fd_ >= 0) ::close(in_fd_);
  if (out_fd_ >= 0) ::close(out_fd_);
  in_fd_ = out_fd_ = -1;
  for (pid_t pid : pids_) ::kill(pid, SIGKILL);
  for (pid_t pid : pids_) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  pids_.clear();
  pending_.clear();
}

Result<std::string> ApertiumPipeline::Run(std::string_view stream) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int attempt = 0;; ++attempt) {
    if (pids_.empty()) MERIDIAN_RETURN_IF_ERROR(StartLocked());
    Result<std::string> out = RunLocked(stream);
    if (out.ok()) return out;
    StopLocked();
    // A pipeline that died (EOF, broken pipe) is restarted once; a timeout is not retried.
    if (attempt > 0 || out.status().reason() == "engine_timeout") return out;
  }
}

Result<std::string> ApertiumPipeline::RunLocked(std::string_view stream) {
  std::string input(stream);
  input.push_back('\0');
  size_t written = 0;
  std::string& out = pending_;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
  char buf[8192];
  for (;;) {
    size_t nul = out.find('\0');
    if (nul != std::string::npos && written == input.size()) {
      std::string result = out.substr(0, nul);
      out.erase(0, nul + 1);
      return result;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      return Status::Unavailable(
          "apertium: no answer within " + std::to_string(timeout_ms_) + " ms", "engine_timeout");
    }
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {in_fd_, POLLOUT, 0}};
    nfds_t n = written < input.size() ? 2 : 1;
    int r = ::poll(fds, n, static_cast<int>(left));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::Unavailable("apertium: poll failed", "engine_failed");
    }
    if (n == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      ssize_t w = ::write(in_fd_, input.data() + written, input.size() - written);
      if (w < 0 && errno != EAGAIN && errno != EINTR) {
        return Status::Unavailable("apertium: pipeline exited", "engine_failed");
      }
      if (w > 0) written += static_cast<size_t>(w);
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      ssize_t got = ::read(out_fd_, buf, sizeof buf);
      if (got == 0) return Status::Unavailable("apertium: pipeline exited", "engine_failed");
      if (got < 0 && errno != EAGAIN && errno != EINTR) {
        return Status::Unavailable("apertium: read failed", "engine_failed");
      }
      if (got > 0) out.append(buf, static_cast<size_t>(got));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// ApertiumEngine

Result<std::unique_ptr<ApertiumEngine>> ApertiumEngine::Create(ApertiumOptions options) {
  if (const char* env = std::getenv("MERIDIAN_APERTIUM_MODES"); env != nullptr && *env != 0) {
    options.modes_dir = env;
  }
  options.pipelines_per_pair = std::max(1, options.pipelines_per_pair);
  std::unique_ptr<ApertiumEngine> engine(new ApertiumEngine(options));
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(options.modes_dir, ec)) {
    if (entry.path().extension() == ".mode") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::string stem = path.stem().string();
    // Variants (eng-cat_valencia) and non-pair modes (eco-fr-es) are not offered.
    if (stem.find('_') != std::string::npos) continue;
    size_t dash = stem.find('-');
    if (dash == std::string::npos || stem.find('-', dash + 1) != std::string::npos) continue;
    std::string from = NormalizeApertiumCode(stem.substr(0, dash));
    std::string to = NormalizeApertiumCode(stem.substr(dash + 1));
    if (from == to || engine->modes_.count({from, to}) != 0) continue;
    std::optional<std::string> text = ReadFile(path);
    if (!text || Trim(*text).empty()) continue;
    Mode mode;
    mode.name = stem;
    mode.command = NullFlushCommand(*text);
    for (int i = 0; i < options.pipelines_per_pair; ++i) {
      mode.pool.push_back(std::make_unique<ApertiumPipeline>(mode.command, options.timeout_ms));
    }
    engine->modes_.emplace(std::pair{from, to}, std::move(mode));
  }
  if (engine->modes_.empty()) {
    return Status::NotFound("apertium: no language pair installed in " + options.modes_dir +
                                " (apt-get install apertium-eng-spa ...)",
                            "engine_unavailable");
  }
  return engine;
}

std::vector<std::string> ApertiumEngine::Route(std::string_view from, std::string_view to) const {
  std::string f(from);
  std::string t(to);
  if (f == t) return {};
  if (modes_.count({f, t}) != 0) return {f, t};
  std::vector<std::string> vias = {"es", "ca", "en"};
  for (const std::string& lang : Languages()) vias.push_back(lang);
  for (const std::string& via : vias) {
    if (via == f || via == t) continue;
    if (modes_.count({f, via}) != 0 && modes_.count({via, t}) != 0) return {f, via, t};
  }
  return {};
}

std::vector<std::string> ApertiumEngine::Languages() const {
  std::set<std::string> langs;
  for (const auto& [key, mode] : modes_) {
    langs.insert(key.first);
    langs.insert(key.second);
  }
  return {langs.begin(), langs.end()};
}

bool ApertiumEngine::Supports(std::string_view from, std::string_view to) {
  return !Route(from, to).empty();
}

std::string ApertiumEngine::PivotFor(std::string_view from, std::string_view to) const {
  std::vector<std::string> route = Route(from, to);
  return route.size() == 3 ? route[1] : "";
}

std::vector<PairInfo> ApertiumEngine::Pairs() {
  std::vector<PairInfo> pairs;
  std::vector<std::string> langs = Languages();
  for (const std::string& a : langs) {
    for (const std::string& b : langs) {
      std::vector<std::string> route = Route(a, b);
      if (route.empty()) continue;
      PairInfo info{a, b, "apertium", route.size() == 2 ? PairKind::kDirect : PairKind::kPivot,
                    route.size() == 3 ? route[1] : ""};
      pairs.push_back(std::move(info));
    }
  }
  return pairs;
}

Result<std::string> ApertiumEngine::RunLeg(Mode& mode, std::string_view stream) {
  // Take an idle pipeline when there is one; otherwise queue on the first.
  ApertiumPipeline* chosen = mode.pool.front().get();
  if (mode.pool.size() > 1) {
    static thread_local size_t next = 0;
    chosen = mode.pool[next++ % mode.pool.size()].get();
  }
  return chosen->Run(stream);
}

Result<std::vector<std::string>> ApertiumEngine::Translate(const std::vector<std::string>& segments,
                                                           std::string_view from,
                                                           std::string_view to) {
  std::vector<std::string> route = Route(from, to);
  if (route.empty()) {
    return Status::NotFound(
        "apertium: no pair or pivot for " + std::string(from) + "->" + std::string(to),
        "unsupported_pair");
  }
  std::vector<std::string> out;
  out.reserve(segments.size());
  for (const std::string& segment : segments) {
    std::string trimmed = Trim(segment);
    if (trimmed.empty()) {
      out.push_back(segment);
      continue;
    }
    std::string stream = ToApertiumStream(trimmed);
    for (size_t leg = 0; leg + 1 < route.size(); ++leg) {
      Mode& mode = modes_.at({route[leg], route[leg + 1]});
      // Apertium only flushes a segment that ends in a blank.
      MERIDIAN_ASSIGN_OR_RETURN(stream, RunLeg(mode, stream + " []"));
    }
    // Keep the segment's own leading and trailing whitespace.
    size_t lead = segment.find(trimmed);
    out.push_back(segment.substr(0, lead) + FromApertiumStream(stream) +
                  segment.substr(lead + trimmed.size()));
  }
  return out;
}

}  // namespace meridian::nlp::translate
