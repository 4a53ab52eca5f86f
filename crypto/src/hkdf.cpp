// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/hkdf.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdlib>

namespace svidok::crypto {

namespace {

// libsodium declares its pointers non-null even for zero lengths.
const unsigned char* nonnull(ByteView b) noexcept {
    static constexpr unsigned char kNothing = 0;
    return b.data() != nullptr ? b.data() : &kNothing;
}

}  // namespace

void hkdf_sha256(std::span<unsigned char> out, ByteView ikm, ByteView salt,
                 ByteView info) noexcept {
    if (out.empty() || out.size() > kHkdfSha256MaxOutputBytes) std::abort();

    // Extract. HMAC pads a short key with zeros, so an empty salt already equals the RFC's
    // HashLen zero bytes.
    std::array<unsigned char, kHkdfSha256HashBytes> prk{};
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, nonnull(salt), salt.size());
    crypto_auth_hmacsha256_update(&st, nonnull(ikm), ikm.size());
    crypto_auth_hmacsha256_final(&st, prk.data());

    // Expand: T(i) = HMAC(PRK, T(i-1) || info || i).
    std::array<unsigned char, kHkdfSha256HashBytes> block{};
    std::size_t done = 0;
    for (unsigned char counter = 1; done < out.size(); ++counter) {
        crypto_auth_hmacsha256_init(&st, prk.data(), prk.size());
        if (counter > 1) crypto_auth_hmacsha256_update(&st, block.data(), block.size());
        crypto_auth_hmacsha256_update(&st, nonnull(info), info.size());
        crypto_auth_hmacsha256_update(&st, &counter, 1);
        crypto_auth_hmacsha256_final(&st, block.data());
        const std::size_t n = std::min(block.size(), out.size() - done);
        std::copy_n(block.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(done));
        done += n;
    }
    sodium_memzero(&st, sizeof st);
    sodium_memzero(prk.data(), prk.size());
    sodium_memzero(block.data(), block.size());
}

}  // namespace svidok::crypto
