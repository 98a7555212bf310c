#pragma once
// OpenCC (libopencc) for Chinese scripts, offline. Language codes: zh-Hans (also zh, zh-CN,
// zh-SG), zh-Hant, zh-TW (Taiwan standard with Taiwanese phrases) and zh-HK (Hong Kong).
// Conversions: zh-Hans <-> zh-Hant (s2t / t2s), zh-Hans <-> zh-TW with phrases (s2twp / tw2sp),
// zh-Hans <-> zh-HK (s2hk / hk2s), zh-Hant <-> zh-TW / zh-HK (t2tw, tw2t, t2hk, hk2t).

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/status.h"
#include "nlp/translate/engine.h"

namespace meridian::nlp::translate {

class OpenCcEngine : public TranslationEngine {
 public:
  // `config_dir`: where the *.json configurations live ("" = libopencc's default).
  static Result<std::unique_ptr<OpenCcEngine>> Create(std::string config_dir = "");
  ~OpenCcEngine() override;

  std::string_view Name() const override { return "opencc"; }
  Result<std::vector<std::string>> Translate(const std::vector<std::string>& segments,
                                             std::string_view from, std::string_view to) override;
  std::vector<PairInfo> Pairs() override;
  bool Supports(std::string_view from, std::string_view to) override;

  // The OpenCC configuration for a pair ("s2twp"), "" when none.
  static std::string ConfigFor(std::string_view from, std::string_view to);

 private:
  explicit OpenCcEngine(std::string config_dir) : config_dir_(std::move(config_dir)) {}
  Result<std::string> Convert(const std::string& config, const std::string& text);

  std::string config_dir_;
  std::mutex mu_;
  std::map<std::string, void*> converters_;  // config -> opencc_t
};

}  // namespace meridian::nlp::translate
