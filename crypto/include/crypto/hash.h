// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// SHA-256 (records, attachments, Merkle leaves, manifests) and BLAKE2b-512 (minisign prehash),
// one-shot and streaming. SHA-256 runs on OpenSSL's libcrypto (SHA-NI / AVX2 code paths, about
// five times libsodium's portable C on attachment-sized input, docs/PERFORMANCE.md); libcrypto
// is loaded by SQLCipher in every Svidok process anyway. Everything else here is libsodium.

#include <sodium.h>
#include <array>
#include <memory>

#include "crypto/encoding.h"

namespace svidok::crypto {

inline constexpr std::size_t kSha256Bytes = crypto_hash_sha256_BYTES;
using Sha256Digest = std::array<unsigned char, kSha256Bytes>;

[[nodiscard]] Sha256Digest sha256(ByteView data) noexcept;

/// Incremental SHA-256 for streams of any length. finish() may be called once.
class Sha256 {
public:
    Sha256() noexcept;
    void update(ByteView data) noexcept;
    [[nodiscard]] Sha256Digest finish() noexcept;

private:
    struct Free {
        void operator()(void* ctx) const noexcept;
    };
    std::unique_ptr<void, Free> ctx_;  // an EVP_MD_CTX
};

inline constexpr std::size_t kBlake2b512Bytes = crypto_generichash_BYTES_MAX;
using Blake2b512Digest = std::array<unsigned char, kBlake2b512Bytes>;

[[nodiscard]] Blake2b512Digest blake2b512(ByteView data) noexcept;

/// Incremental BLAKE2b-512 (unkeyed).
class Blake2b512 {
public:
    Blake2b512() noexcept;
    void update(ByteView data) noexcept;
    [[nodiscard]] Blake2b512Digest finish() noexcept;

private:
    crypto_generichash_state state_;
};

}  // namespace svidok::crypto
