// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// vault.guard: the optional limit on wrong secrets, after which the vault wipes itself. Byte
// layout and rules: docs/FORMAT.md 15.2. It is read before anything is unlocked, so it is
// plaintext and unauthenticated: its checksum detects damage, not an edit.

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>

#include "crypto/error.h"

namespace svidok::store {

inline constexpr const char* kVaultGuardName = "vault.guard";
inline constexpr std::size_t kGuardFileBytes = 64;
inline constexpr std::uint16_t kGuardVersion = 1;
/// The largest limit a person can choose.
inline constexpr std::uint32_t kMaxWipeAfter = 99;

/// The counter's content: `limit` 0 means off.
struct GuardState {
    std::uint32_t limit = 0;
    std::uint32_t failures = 0;
    friend bool operator==(const GuardState&, const GuardState&) = default;
};

/// The file's bytes. Aborts on a state the format does not allow (limit above 99, failures not
/// below a non-zero limit, failures with limit 0).
[[nodiscard]] std::array<unsigned char, kGuardFileBytes> encode_guard(const GuardState& state);

/// Parses a file's bytes. Errc::corrupt for any damage (size, magic, checksum, reserved bytes,
/// out-of-range values); Errc::unsupported for another version.
[[nodiscard]] Result<GuardState> parse_guard(std::span<const unsigned char> bytes);

/// Reads DIR/vault.guard. A missing file is {0, 0} (off); damage as parse_guard, naming the
/// file; Errc::io when it cannot be read.
[[nodiscard]] Result<GuardState> read_guard(const std::filesystem::path& vault_dir);

/// Replaces DIR/vault.guard atomically (vault.guard.tmp, fsync, rename, fsync the directory).
[[nodiscard]] Result<> write_guard(const std::filesystem::path& vault_dir, const GuardState& state);

}  // namespace svidok::store
