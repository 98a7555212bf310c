#pragma once
// Remote engines over HTTP (core/http_client.h), each speaking its provider's documented API:
//   libretranslate  POST {base}/translate {"q":[...],"source","target","format":"text","api_key"}
//                   -> {"translatedText":[...]}; GET {base}/languages; POST {base}/detect
//   deepl           POST {base}/v2/translate, Authorization: DeepL-Auth-Key K,
//                   {"text":[...],"source_lang","target_lang"} -> {"translations":[{"text"}]}
//   google          POST {base}/language/translate/v2?key=K {"q":[...],"source","target",
//                   "format":"text"} -> {"data":{"translations":[{"translatedText"}]}}
//   openai          POST {base}/v1/chat/completions (Authorization: Bearer K when a key is set)
//                   with a strict translation prompt, one request per segment
// HTTP errors become Status: 429 and DeepL's 456 (quota) RateLimited, 401/403 Unauthenticated,
// 5xx and transport failures Unavailable, other 4xx InvalidArgument, an unparsable or
// inconsistent body Unavailable("bad_response"); the message names the engine and the HTTP
// status and quotes at most 200 bytes of the provider's error text (never the key).

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http_client.h"
#include "core/status.h"
#include "nlp/translate/engine.h"

namespace meridian::nlp::translate {

struct HttpEngineConfig {
  std::string base_url;  // "" = the provider's public endpoint (none for libretranslate/openai)
  std::string api_key;
  std::string model;  // openai: the model name sent in the request
  int timeout_ms = 15000;
};

// Makes "libretranslate", "deepl", "google" or "openai". `client` may be null (libcurl); when
// given it must outlive the engine.
Result<std::unique_ptr<TranslationEngine>> MakeHttpEngine(std::string_view name,
                                                          HttpEngineConfig config,
                                                          HttpClient* client);

// LibreTranslate's language detection: [(code, confidence 0..1)], best first.
Result<std::vector<std::pair<std::string, double>>> LibreTranslateDetect(
    const HttpEngineConfig& config, HttpClient& client, std::string_view text);

// The response parsers (also fuzzed): `expected` = how many translations the request asked for.
Result<std::vector<std::string>> ParseLibreTranslateResponse(std::string_view body,
                                                             size_t expected);
Result<std::vector<std::string>> ParseDeepLResponse(std::string_view body, size_t expected);
Result<std::vector<std::string>> ParseGoogleResponse(std::string_view body, size_t expected);
Result<std::string> ParseOpenAiResponse(std::string_view body);
Result<std::vector<PairInfo>> ParseLibreTranslateLanguages(std::string_view body);
Result<std::vector<std::pair<std::string, double>>> ParseLibreTranslateDetect(
    std::string_view body);

// The system prompt sent to OpenAI-compatible endpoints.
std::string OpenAiSystemPrompt(std::string_view from, std::string_view to);

}  // namespace meridian::nlp::translate
