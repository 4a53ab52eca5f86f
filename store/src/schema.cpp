// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema.h"

#include <array>
#include <string>

namespace svidok::store {
namespace {

// Ordered migrations: entry i brings user_version from i to i + 1. Append only; never edit a
// migration that has shipped.
constexpr std::array<const char*, 1> kMigrations{{
    // 1: vault metadata and the device identity (secret keys live only here, encrypted).
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE identity ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  sign_key_id BLOB NOT NULL CHECK (length(sign_key_id) = 8),"
    "  sign_sk BLOB NOT NULL CHECK (length(sign_sk) = 64),"
    "  log_sk BLOB NOT NULL CHECK (length(log_sk) = 64),"
    "  x25519_sk BLOB NOT NULL CHECK (length(x25519_sk) = 32),"
    "  device_id BLOB NOT NULL CHECK (length(device_id) = 8),"
    "  created_at TEXT NOT NULL);",
}};

}  // namespace

int schema_version() noexcept { return static_cast<int>(kMigrations.size()); }

Result<> migrate(Db& db) {
    auto st = db.prepare("PRAGMA user_version");
    if (!st) return std::unexpected(st.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    auto current = static_cast<int>(st->column_int(0));
    if (current > schema_version()) {
        return fail(Errc::unsupported,
                    "vault.db has schema version " + std::to_string(current) +
                        "; this build knows up to " + std::to_string(schema_version()),
                    "use a newer Svidok");
    }
    for (int v = current; v < schema_version(); ++v) {
        auto txn = Transaction::begin(db);
        if (!txn) return std::unexpected(txn.error());
        if (auto r = db.exec(kMigrations[static_cast<std::size_t>(v)]); !r) return r;
        std::string bump = "PRAGMA user_version = " + std::to_string(v + 1);
        if (auto r = db.exec(bump.c_str()); !r) return r;
        if (auto r = txn->commit(); !r) return r;
    }
    return {};
}

}  // namespace svidok::store
