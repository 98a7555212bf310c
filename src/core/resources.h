#pragma once
// Finding files the product ships (data/) and files the build generates (trained models, the
// built web front end) at run time.

#include <filesystem>
#include <optional>
#include <string>

namespace meridian {

// The directory of generated resources: $MERIDIAN_SHARE if set, else <dir of the running
// executable>/share/meridian (the build folder layout), else the compiled-in build folder.
std::filesystem::path ShareDir();

// The source data/ directory: $MERIDIAN_DATA if set, else the compiled-in source folder's data/.
std::filesystem::path DataDir();

// Reads a whole file; nullopt if it cannot be read.
std::optional<std::string> ReadFile(const std::filesystem::path& path);

}  // namespace meridian
