// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/vault_paths.h"

#include <cstdlib>

namespace svidok::store {

Result<std::filesystem::path> resolve_vault_dir(
    const std::optional<std::filesystem::path>& explicit_dir) {
    if (explicit_dir && !explicit_dir->empty()) return *explicit_dir;
    if (const char* v = std::getenv("SVIDOK_VAULT"); v != nullptr && *v != '\0') {
        return std::filesystem::path(v);
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg == '/') {
        return std::filesystem::path(xdg) / "svidok";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
        return std::filesystem::path(home) / ".local" / "share" / "svidok";
    }
    return fail(Errc::usage, "cannot find a place for the vault: HOME is not set",
                "pass --vault DIR or set SVIDOK_VAULT");
}

}  // namespace svidok::store
