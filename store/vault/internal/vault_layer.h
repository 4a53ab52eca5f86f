// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers (records, exchange and legal link the vault layer's internal
// interface target; app/ and cli/ never do): what the vault layer offers the layers above it.
// A session's database handle, the directory the vault keeps for their files, and the
// registration of their schema migrations and of their tidy-up when a vault opens. The vault
// layer calls up only through what is registered here, so it never names a table or a file of
// a higher layer (docs/ARCHITECTURE.md, "The store layers").

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "crypto/error.h"
#include "db.h"
#include "store/vault.h"

namespace svidok::store::detail {

/// The open database of `vault`'s session (vault.db, or vault.alt.db in a duress or decoy
/// session). Valid as long as the vault.
[[nodiscard]] Db& database(Vault& vault) noexcept;

/// The directory inside the vault that holds the files of the layers above (attachments/,
/// FORMAT.md 11.1). The vault layer creates it (mode 0700) when it creates or opens a vault and
/// the panic wipe empties and removes it, without knowing what the files in it are.
[[nodiscard]] std::filesystem::path files_dir(const std::filesystem::path& vault_dir);

/// Creates files_dir() when missing, so that no later operation that fails has to undo
/// creating it.
[[nodiscard]] Result<> ensure_files_dir(const std::filesystem::path& vault_dir);

/// One step of the schema (FORMAT.md 3): brings PRAGMA user_version from `version - 1` to
/// `version` with `sql`, then (when set) `fill` fills what the SQL created from what the vault
/// already holds, in the same transaction.
struct Migration {
    int version;
    const char* sql;
    Result<> (*fill)(Db&) = nullptr;
};

/// What a vault whose database just opened asks of a layer: remove what a crash left in its
/// files. `real` and `decoy` are the two databases of a session on the real vault (`decoy` as
/// the attempt to open it, which may have failed); both are null in a duress or decoy session,
/// which must not remove anything the other database may name. Notices are for the person.
using TidyAtOpen = Result<> (*)(const std::filesystem::path& vault_dir, Db* real, Result<Db>* decoy,
                                std::vector<std::string>& notices);

/// A store layer above the vault: its migrations (each version owned by exactly one layer) and
/// its tidy-up at open (may be null).
struct LayerHooks {
    const char* layer;
    std::span<const Migration> migrations;
    TidyAtOpen tidy_at_open = nullptr;
};

/// Registers a layer during static initialization: each layer library defines one
/// RegisterLayer object, and its CMake target makes every program that links it keep that
/// object (a linker -u of `anchor`), so a program that links a layer always has its
/// migrations. Not for use after main() starts.
class RegisterLayer {
public:
    explicit RegisterLayer(const LayerHooks& hooks) noexcept;
};

/// Every registered layer, in registration order.
[[nodiscard]] std::span<const LayerHooks* const> registered_layers() noexcept;

}  // namespace svidok::store::detail
