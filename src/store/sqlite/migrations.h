#pragma once
// Versioned schema migrations for the SQLite backend. Migration N brings the schema from
// version N-1 to N; applied versions are recorded in schema_migrations. Never edit a released
// migration: add a new one.

#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/sqlite/db.h"

namespace meridian::store::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  // Runs after `sql`, in the same transaction, for what SQL alone cannot say.
  Status (*code)(Db& db) = nullptr;
};

const std::vector<Migration>& Migrations();

}  // namespace meridian::store::sqlite
