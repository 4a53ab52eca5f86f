// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema.h"

#include <string>
#include <vector>

#include "vault_layer.h"

namespace svidok::store {
namespace {

// The vault layer's own step. The other steps belong to the layers above, which register them
// (vault_layer.h); entry N brings user_version from N - 1 to N. Append only; never edit a
// migration that has shipped.
constexpr detail::Migration kVaultMigrations[] = {
    // 1: vault metadata and the device identity (secret keys live only here, encrypted).
    {1,
     "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
     "CREATE TABLE identity ("
     "  id INTEGER PRIMARY KEY CHECK (id = 1),"
     "  sign_key_id BLOB NOT NULL CHECK (length(sign_key_id) = 8),"
     "  sign_sk BLOB NOT NULL CHECK (length(sign_sk) = 64),"
     "  log_sk BLOB NOT NULL CHECK (length(log_sk) = 64),"
     "  x25519_sk BLOB NOT NULL CHECK (length(x25519_sk) = 32),"
     "  device_id BLOB NOT NULL CHECK (length(device_id) = 8),"
     "  created_at TEXT NOT NULL);"},
};

constexpr detail::LayerHooks kVaultLayer{"vault", kVaultMigrations};

// Function-local, so registration from any translation unit's static initializer finds it.
std::vector<const detail::LayerHooks*>& layers() {
    static std::vector<const detail::LayerHooks*> all{&kVaultLayer};
    return all;
}

// Every registered step in version order, or the version no linked layer provides (a program
// that links a layer without the layers below it, which CMake's link graph rules out).
struct Schema {
    std::vector<const detail::Migration*> steps;
    int missing = 0;
};

Schema schema() {
    Schema out;
    for (const detail::LayerHooks* layer : layers()) {
        for (const detail::Migration& m : layer->migrations) {
            const auto at = static_cast<std::size_t>(m.version - 1);
            if (out.steps.size() <= at) out.steps.resize(at + 1, nullptr);
            out.steps[at] = &m;
        }
    }
    for (std::size_t i = 0; i < out.steps.size(); ++i) {
        if (out.steps[i] == nullptr) {
            out.missing = static_cast<int>(i + 1);
            break;
        }
    }
    return out;
}

}  // namespace

namespace detail {

RegisterLayer::RegisterLayer(const LayerHooks& hooks) noexcept {
    layers().push_back(&hooks);
}

std::span<const LayerHooks* const> registered_layers() noexcept {
    return layers();
}

}  // namespace detail

Result<> migrate(Db& db) {
    const Schema all = schema();
    if (all.missing != 0) {
        return fail(
            Errc::internal, "schema.step_missing", {{"version", std::to_string(all.missing)}},
            "schema step " + std::to_string(all.missing) + " is not linked into this program",
            "link every store layer library the program uses");
    }
    const int latest = static_cast<int>(all.steps.size());
    int current = 0;
    {
        // Finalized before migrating: a pending statement would keep DROP TABLE from running.
        auto st = db.prepare("PRAGMA user_version");
        if (!st) return std::unexpected(st.error());
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        current = static_cast<int>(st->column_int(0));
    }
    if (current > latest) {
        return fail(Errc::unsupported,
                    "vault.db has schema version " + std::to_string(current) +
                        "; this build knows up to " + std::to_string(latest),
                    "use a newer Svidok");
    }
    for (int v = current; v < latest; ++v) {
        auto txn = Transaction::begin(db);
        if (!txn) return std::unexpected(txn.error());
        const detail::Migration& m = *all.steps[static_cast<std::size_t>(v)];
        if (auto r = db.exec(m.sql); !r) return r;
        if (m.fill != nullptr) {
            if (auto r = m.fill(db); !r) return r;
        }
        std::string bump = "PRAGMA user_version = " + std::to_string(v + 1);
        if (auto r = db.exec(bump.c_str()); !r) return r;
        if (auto r = txn->commit(); !r) return r;
    }
    return {};
}

}  // namespace svidok::store
