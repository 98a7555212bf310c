#include "nlp/translate/opencc.h"

#include <opencc/opencc.h>

#include <filesystem>

namespace meridian::nlp::translate {
namespace {

std::string Canonical(std::string_view lang) {
  if (lang == "zh" || lang == "zh-Hans" || lang == "zh-CN" || lang == "zh-SG" ||
      lang == "zh-hans" || lang == "zh-cn") {
    return "zh-Hans";
  }
  if (lang == "zh-Hant" || lang == "zh-hant") return "zh-Hant";
  if (lang == "zh-TW" || lang == "zh-tw") return "zh-TW";
  if (lang == "zh-HK" || lang == "zh-hk" || lang == "zh-MO") return "zh-HK";
  return "";
}

bool IsHandle(void* h) { return h != nullptr && h != reinterpret_cast<void*>(-1); }

}  // namespace

std::string OpenCcEngine::ConfigFor(std::string_view from, std::string_view to) {
  static const std::map<std::pair<std::string, std::string>, std::string> kConfigs = {
      {{"zh-Hans", "zh-Hant"}, "s2t"}, {{"zh-Hant", "zh-Hans"}, "t2s"},
      {{"zh-Hans", "zh-TW"}, "s2twp"}, {{"zh-TW", "zh-Hans"}, "tw2sp"},
      {{"zh-Hans", "zh-HK"}, "s2hk"},  {{"zh-HK", "zh-Hans"}, "hk2s"},
      {{"zh-Hant", "zh-TW"}, "t2tw"},  {{"zh-TW", "zh-Hant"}, "tw2t"},
      {{"zh-Hant", "zh-HK"}, "t2hk"},  {{"zh-HK", "zh-Hant"}, "hk2t"},
  };
  auto it = kConfigs.find({Canonical(from), Canonical(to)});
  return it == kConfigs.end() ? "" : it->second;
}

Result<std::unique_ptr<OpenCcEngine>> OpenCcEngine::Create(std::string config_dir) {
  std::unique_ptr<OpenCcEngine> engine(new OpenCcEngine(std::move(config_dir)));
  // Fail early when the data is missing: open the most common conversion now.
  MERIDIAN_RETURN_IF_ERROR(engine->Convert("s2t", "").status());
  return engine;
}

OpenCcEngine::~OpenCcEngine() {
  for (auto& [name, handle] : converters_) {
    if (IsHandle(handle)) opencc_close(static_cast<opencc_t>(handle));
  }
}

Result<std::string> OpenCcEngine::Convert(const std::string& config, const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  void*& handle = converters_[config];
  if (!IsHandle(handle)) {
    std::string file = config + ".json";
    if (!config_dir_.empty()) file = (std::filesystem::path(config_dir_) / file).string();
    handle = opencc_open(file.c_str());
    if (!IsHandle(handle)) {
      handle = nullptr;
      return Status::Unavailable(
          "opencc: cannot open configuration " + file + " (is libopencc-data installed?)",
          "engine_unavailable");
    }
  }
  char* out = opencc_convert_utf8(static_cast<opencc_t>(handle), text.data(), text.size());
  if (out == nullptr) {
    const char* err = opencc_error();
    return Status::Internal(std::string("opencc: ") + (err != nullptr ? err : "conversion failed"));
  }
  std::string result(out);
  opencc_convert_utf8_free(out);
  return result;
}

bool OpenCcEngine::Supports(std::string_view from, std::string_view to) {
  return !ConfigFor(from, to).empty();
}

std::vector<PairInfo> OpenCcEngine::Pairs() {
  std::vector<PairInfo> out;
  for (const char* a : {"zh", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK"}) {
    for (const char* b : {"zh", "zh-Hans", "zh-Hant", "zh-TW", "zh-HK"}) {
      if (!ConfigFor(a, b).empty()) out.push_back({a, b, "opencc", PairKind::kDirect, ""});
    }
  }
  return out;
}

Result<std::vector<std::string>> OpenCcEngine::Translate(const std::vector<std::string>& segments,
                                                         std::string_view from,
                                                         std::string_view to) {
  std::string config = ConfigFor(from, to);
  if (config.empty()) {
    return Status::NotFound(
        "opencc: converts only between zh-Hans, zh-Hant, zh-TW and zh-HK, not " +
            std::string(from) + "->" + std::string(to),
        "unsupported_pair");
  }
  std::vector<std::string> out;
  out.reserve(segments.size());
  for (const std::string& s : segments) {
    MERIDIAN_ASSIGN_OR_RETURN(std::string converted, Convert(config, s));
    out.push_back(std::move(converted));
  }
  return out;
}

}  // namespace meridian::nlp::translate
