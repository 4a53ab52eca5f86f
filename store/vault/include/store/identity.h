// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The device identity created at `init` (docs/FORMAT.md section 4): a record-signing Ed25519
// key with an 8-byte key id, a separate Ed25519 log key for checkpoints, an X25519 encryption
// identity, and a random device id used in the pseudonymous log origin.

#include <array>
#include <string>

#include "crypto/age.h"
#include "crypto/error.h"
#include "crypto/minisign.h"
#include "crypto/secure_buffer.h"

namespace svidok::store {

inline constexpr std::size_t kKeyIdBytes = 8;
inline constexpr std::size_t kDeviceIdBytes = 8;

struct Identity {
    std::array<unsigned char, kKeyIdBytes> sign_key_id{};
    crypto::SecureBuffer sign_sk;    // libsodium Ed25519 secret key, 64 bytes
    crypto::SecureBuffer log_sk;     // libsodium Ed25519 secret key, 64 bytes
    crypto::SecureBuffer x25519_sk;  // 32 bytes
    std::array<unsigned char, kDeviceIdBytes> device_id{};

    /// Fresh random keys.
    [[nodiscard]] static Identity generate();

    [[nodiscard]] std::array<unsigned char, 32> sign_pk() const;
    [[nodiscard]] std::array<unsigned char, 32> log_pk() const;
    [[nodiscard]] std::array<unsigned char, 32> x25519_pk() const;
    /// The record-signing key in the form crypto/minisign.h signs with.
    [[nodiscard]] Result<crypto::minisign::SigningKey> signing_key() const;
    [[nodiscard]] crypto::minisign::PublicKey signing_public_key() const;
    /// The encryption identity in the form crypto/age.h decrypts with.
    [[nodiscard]] Result<crypto::X25519Identity> x25519_identity() const;
    /// "svidok.device/<16 hex>": the checkpoint origin; names no person and no place.
    [[nodiscard]] std::string log_origin() const;
    /// Five groups of five digits (docs/FORMAT.md section 4).
    [[nodiscard]] std::string fingerprint() const;
};

/// The readable fingerprint from public parts, for keys received from others.
[[nodiscard]] std::string fingerprint_of(const std::array<unsigned char, kKeyIdBytes>& sign_key_id,
                                         const std::array<unsigned char, 32>& sign_pk,
                                         const std::array<unsigned char, 32>& log_pk,
                                         const std::array<unsigned char, 32>& x25519_pk);

}  // namespace svidok::store
