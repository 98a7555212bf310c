#pragma once
// Store tests: a fresh, migrated SQLite store in a temporary folder named after the test.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

namespace meridian::store {

// DIR/prefix-PID-TESTNAME, emptied.
inline std::filesystem::path FreshTestDir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() /
             (prefix + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  return dir;
}

// Opens DIR/meridian.db and applies every migration.
inline Result<std::unique_ptr<Store>> OpenFreshStore(const std::filesystem::path& dir) {
  MERIDIAN_ASSIGN_OR_RETURN(auto store, OpenSqliteStore({.path = (dir / "meridian.db").string()}));
  MERIDIAN_RETURN_IF_ERROR(store->Migrate().status());
  return store;
}

}  // namespace meridian::store
