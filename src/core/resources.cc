#include "core/resources.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace meridian {

namespace fs = std::filesystem;

namespace {
fs::path ExecutableDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}
}  // namespace

fs::path ShareDir() {
  if (const char* env = std::getenv("MERIDIAN_SHARE"); env && *env) return env;
  fs::path beside = ExecutableDir() / "share" / "meridian";
  std::error_code ec;
  if (fs::is_directory(beside, ec)) return beside;
  return fs::path(MERIDIAN_BUILD_DIR) / "share" / "meridian";
}

fs::path DataDir() {
  if (const char* env = std::getenv("MERIDIAN_DATA"); env && *env) return env;
  return fs::path(MERIDIAN_SOURCE_DIR) / "data";
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace meridian
