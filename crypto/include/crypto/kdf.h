// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Passphrase key derivation: Argon2id (libsodium crypto_pwhash, ALG_ARGON2ID13).

#include <chrono>
#include <cstdint>

#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::crypto {

struct KdfParams {
    std::uint32_t opslimit = 0;  // passes (t)
    std::uint64_t memlimit = 0;  // bytes

    friend bool operator==(const KdfParams&, const KdfParams&) = default;
};

/// The documented floor (docs/FORMAT.md, docs/SECURITY.md): t = 3, 256 MiB. The shipped
/// binaries never create or unlock a vault below it; only tests, through the library API, use
/// smaller parameters to stay fast.
inline constexpr KdfParams kKdfFloor{3, 256ull << 20};
/// Sanity bounds for parameters read from a file (anything outside is corruption).
inline constexpr std::uint32_t kKdfMaxOps = 1u << 20;
inline constexpr std::uint64_t kKdfMinMem = 8ull << 10;
inline constexpr std::uint64_t kKdfMaxMem = 4ull << 30;
inline constexpr std::size_t kKdfSaltBytes = 16;
inline constexpr std::size_t kKeyBytes = 32;

[[nodiscard]] inline bool below_floor(const KdfParams& p) noexcept {
    return p.opslimit < kKdfFloor.opslimit || p.memlimit < kKdfFloor.memlimit;
}

/// Derives a 32-byte key from a passphrase. Errc::internal if libsodium refuses (out of
/// memory for memlimit); Errc::usage for parameters outside the sanity bounds.
[[nodiscard]] Result<SecureBuffer> argon2id(std::span<const unsigned char> passphrase,
                                            std::span<const unsigned char, kKdfSaltBytes> salt,
                                            const KdfParams& params);

/// Picks parameters at or above the floor so one derivation takes about `target` on this
/// machine: memory stays at the floor's 256 MiB (old laptops), passes grow.
[[nodiscard]] Result<KdfParams> calibrate_argon2id(std::chrono::milliseconds target);

}  // namespace svidok::crypto
