#pragma once
// Apertium, the offline default engine. Each installed language pair (a Debian apertium-* package
// drops /usr/share/apertium/modes/<from>-<to>.mode) is run as a warm pipeline: the mode's
// programs are started once, every one with -z (null flush), and each segment is written
// followed by '\0' and read back up to the next '\0'. A pipeline that dies is restarted on the
// next call; one that hangs past the timeout is killed. Pairs without a mode are pivoted through
// a third language (Spanish first, then Catalan, then English) when both legs exist.
//
// Text is put into Apertium's stream format by this file (no apertium-destxt process): the
// stream's reserved characters are escaped, and placeholders "⟦N⟧" become superblanks "[⟦N⟧]",
// which every Apertium program copies through untouched.

#include <sys/types.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "nlp/translate/engine.h"

namespace meridian::nlp::translate {

struct ApertiumOptions {
  std::string modes_dir = "/usr/share/apertium/modes";  // or $MERIDIAN_APERTIUM_MODES
  int timeout_ms = 15000;                               // per segment and pipeline
  int pipelines_per_pair = 1;  // >1 lets that many threads translate one pair at once
};

// One warm Apertium pipeline: the mode's programs, each with -z, started as our own children
// connected by pipes (through /bin/sh only if the mode uses other shell syntax). Thread-safe:
// calls are serialized by a mutex.
class ApertiumPipeline {
 public:
  ApertiumPipeline(std::string command, int timeout_ms);
  ~ApertiumPipeline();
  ApertiumPipeline(const ApertiumPipeline&) = delete;
  ApertiumPipeline& operator=(const ApertiumPipeline&) = delete;

  // Sends one segment in stream format and returns the pipeline's output for it (stream
  // format). Starts the pipeline when needed and retries once on a fresh one if it died.
  Result<std::string> Run(std::string_view stream);
  // The process group of the running pipeline, -1 when stopped (tests kill it to check restart).
  pid_t ProcessGroup();

 private:
  Status StartLocked();
  void StopLocked();
  Result<std::string> RunLocked(std::string_view stream);

  const std::string command_;
  const int timeout_ms_;
  std::mutex mu_;
  std::vector<pid_t> pids_;  // one per stage, the first is the process group
  int in_fd_ = -1;
  int out_fd_ = -1;
  std::string pending_;  // bytes read past the last '\0'
};

// Plain text (one line, placeholders "⟦N⟧") to Apertium stream format and back.
std::string ToApertiumStream(std::string_view text);
std::string FromApertiumStream(std::string_view stream);

// ISO 639-1 code for an Apertium (ISO 639-3 or 639-1) language code; the input when unknown.
std::string NormalizeApertiumCode(std::string_view code);

class ApertiumEngine : public TranslationEngine {
 public:
  // Finds the installed modes; fails (NotFound) when the directory has none.
  static Result<std::unique_ptr<ApertiumEngine>> Create(ApertiumOptions options = {});

  std::string_view Name() const override { return "apertium"; }
  Result<std::vector<std::string>> Translate(const std::vector<std::string>& segments,
                                             std::string_view from, std::string_view to) override;
  std::vector<PairInfo> Pairs() override;
  bool Supports(std::string_view from, std::string_view to) override;
  std::string PivotFor(std::string_view from, std::string_view to) const override;

  // The route for a pair: {from, to} when direct, {from, via, to} when pivoted, empty if none.
  std::vector<std::string> Route(std::string_view from, std::string_view to) const;
  // Every language code appearing in an installed mode.
  std::vector<std::string> Languages() const;

 private:
  struct Mode {
    std::string name;
    std::string command;
    std::vector<std::unique_ptr<ApertiumPipeline>> pool;
  };
  explicit ApertiumEngine(ApertiumOptions options) : options_(std::move(options)) {}
  Result<std::string> RunLeg(Mode& mode, std::string_view stream);

  ApertiumOptions options_;
  std::map<std::pair<std::string, std::string>, Mode> modes_;  // (from, to) -> mode
};

}  // namespace meridian::nlp::translate
