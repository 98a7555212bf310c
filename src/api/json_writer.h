#pragma once
// JSON text written straight into a string, for the documents built for every message (live
// event frames): building an nlohmann::json tree of std::maps and then dumping it cost more than
// the rest of an ingest (bench/RESULTS.md). Strings are escaped as nlohmann::json escapes them
// (control characters, quote, backslash; UTF-8 as it is); invalid UTF-8 becomes U+FFFD.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meridian::api {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);  // a key of the enclosing object
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Raw(std::string_view json);  // a value that is already JSON text
  // Shorthands: a key and its value.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  void Separate();  // the comma before a value or key that is not the first of its container
  void Escaped(std::string_view s);

  std::string& out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace meridian::api
