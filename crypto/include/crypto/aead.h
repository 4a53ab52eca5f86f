// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// XChaCha20-Poly1305-IETF for small secrets at rest (key slots). Random 24-byte nonces are safe
// with this construction.

#include <sodium.h>

#include "crypto/encoding.h"
#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::crypto {

inline constexpr std::size_t kXNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
inline constexpr std::size_t kAeadTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

/// Encrypts `plaintext` under `key` with `nonce` and associated data; writes
/// plaintext.size() + kAeadTagBytes bytes to `out`.
void xchacha_seal(std::span<unsigned char> out, std::span<const unsigned char> plaintext,
                  std::span<const unsigned char> ad,
                  std::span<const unsigned char, kXNonceBytes> nonce,
                  std::span<const unsigned char, 32> key) noexcept;

/// Decrypts into a secure buffer. Errc::auth_failed when the tag does not verify (wrong key or
/// altered bytes: indistinguishable by design).
[[nodiscard]] Result<SecureBuffer> xchacha_open(std::span<const unsigned char> ciphertext,
                                                std::span<const unsigned char> ad,
                                                std::span<const unsigned char, kXNonceBytes> nonce,
                                                std::span<const unsigned char, 32> key);

}  // namespace svidok::crypto
