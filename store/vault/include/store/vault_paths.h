// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where a vault lives: --vault DIR, else $SVIDOK_VAULT, else $XDG_DATA_HOME/svidok, else
// ~/.local/share/svidok.

#include <filesystem>
#include <optional>

#include "crypto/error.h"

namespace svidok::store {

inline constexpr const char* kVaultDbName = "vault.db";
inline constexpr const char* kVaultKeysName = "vault.keys";
/// The decoy database (docs/FORMAT.md 16).
inline constexpr const char* kVaultAltDbName = "vault.alt.db";
inline constexpr const char* kVaultLockName = "vault.lock";

/// Resolves the vault directory. `explicit_dir` is the --vault option when given.
[[nodiscard]] Result<std::filesystem::path> resolve_vault_dir(
    const std::optional<std::filesystem::path>& explicit_dir);

}  // namespace svidok::store
