// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private: the native recipient types. Stanza checks are header failures; an unwrap returns
// true with the file key, false when the stanza is not for this identity (no match), or an
// error that aborts decryption (header failure).

#include "age_format.h"

namespace svidok::crypto::age {

inline constexpr std::string_view kX25519Type = "X25519";
inline constexpr std::string_view kScryptType = "scrypt";
inline constexpr std::size_t kWrappedKeyBytes = kAgeFileKeyBytes + kAgeTagBytes;
inline constexpr std::size_t kScryptSaltBytes = 16;

/// body = ChaCha20-Poly1305(wrap key, nonce = 12 zero bytes, file key): how both native types
/// wrap the file key. `body` must be kWrappedKeyBytes long.
void seal_file_key(const SecureBuffer& wrap_key, ByteView file_key,
                   std::span<unsigned char> body) noexcept;
/// Opens a kWrappedKeyBytes body into `file_key`; false when it does not authenticate.
[[nodiscard]] bool open_file_key(const SecureBuffer& wrap_key, ByteView body,
                                 std::span<unsigned char> file_key) noexcept;

/// Wraps the file key for one recipient. Errors: Errc::invalid for a low-order recipient.
[[nodiscard]] Result<Stanza> x25519_wrap(const X25519Recipient& recipient, ByteView file_key);
/// Checks the X25519 stanza rules: two arguments, a canonical 32-byte share, a 32-byte body.
[[nodiscard]] Result<> x25519_check(const Stanza& stanza);
/// Tries `identity` on a checked X25519 stanza. Errors: the shared secret is all zero.
[[nodiscard]] Result<bool> x25519_unwrap(const X25519Identity& identity, const Stanza& stanza,
                                         std::span<unsigned char> file_key);

/// Checks the scrypt stanza rules: three arguments, a canonical 16-byte salt, a decimal work
/// factor without leading zeros within 1..kAgeMaxScryptLog2N, a 32-byte body.
[[nodiscard]] Result<> scrypt_check(const Stanza& stanza);
/// Tries the passphrase on a checked scrypt stanza.
[[nodiscard]] Result<bool> scrypt_unwrap(const SecureBuffer& passphrase, const Stanza& stanza,
                                         std::span<unsigned char> file_key);

}  // namespace svidok::crypto::age
