// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The panic wipe (docs/FORMAT.md 15.1): destroy the key slots first, so the vault is
// unrecoverable within milliseconds whatever its size, then remove every file. Needs no secret
// and no lock: the window and the CLI call it when a laptop is about to be taken.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/error.h"

namespace svidok::store {

struct WipeReport {
    /// From the call until the key file was overwritten, synced and removed (step 1).
    std::chrono::nanoseconds unrecoverable_after{};
    /// From the call until the last removal.
    std::chrono::nanoseconds total{};
    /// What step 2 could not remove, one message per file; the data is unrecoverable anyway.
    std::vector<std::string> not_removed;
    /// False when the directory stays: it holds files Svidok does not write, or something
    /// could not be removed.
    bool directory_removed = false;
};

/// Whether `dir` holds what wipe_vault() accepts: vault.keys, vault.keys.tmp, vault.db or
/// vault.alt.db (the last three: a wipe interrupted after step 1). For asking before wiping.
[[nodiscard]] bool holds_vault(const std::filesystem::path& dir);

/// Wipes the vault in `dir`. Errc::not_found (nothing deleted) for a directory that holds
/// none of vault.keys, vault.keys.tmp, vault.db, vault.alt.db, or no directory at all. Errc::io
/// when the key file cannot be overwritten or synced: the rest is removed all the same, but
/// the key slots may remain readable on the disk. Any other failure is in the report.
[[nodiscard]] Result<WipeReport> wipe_vault(const std::filesystem::path& dir);

/// Step 1 of wipe_vault alone: overwrites vault.keys and vault.keys.tmp in place with random
/// bytes, syncs them, unlinks them and syncs the directory. Once it returns, nothing opens the
/// vault. Errc::not_found when there is no vault.keys (or .tmp) to destroy.
[[nodiscard]] Result<> destroy_key_file(const std::filesystem::path& dir);

}  // namespace svidok::store
