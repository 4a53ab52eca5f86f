// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/kdf.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace svidok::crypto {

Result<SecureBuffer> argon2id(std::span<const unsigned char> passphrase,
                              std::span<const unsigned char, kKdfSaltBytes> salt,
                              const KdfParams& params) {
    static_assert(kKdfSaltBytes == crypto_pwhash_SALTBYTES);
    if (params.opslimit < 1 || params.opslimit > kKdfMaxOps || params.memlimit < kKdfMinMem ||
        params.memlimit > kKdfMaxMem) {
        return fail(Errc::usage, "argon2id parameters out of bounds");
    }
    SecureBuffer key(kKeyBytes);
    if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(passphrase.data()),
                      passphrase.size(), salt.data(), params.opslimit,
                      static_cast<std::size_t>(params.memlimit),
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return fail(Errc::internal, "argon2id failed (not enough memory?)",
                    "close other programs and try again");
    }
    return key;
}

Result<KdfParams> calibrate_argon2id(std::chrono::milliseconds target) {
    std::array<unsigned char, kKdfSaltBytes> salt{};
    randombytes_buf(salt.data(), salt.size());
    std::array<unsigned char, 16> probe{};
    randombytes_buf(probe.data(), probe.size());
    KdfParams p = kKdfFloor;
    auto start = std::chrono::steady_clock::now();
    auto key = argon2id(probe, salt, p);
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (!key) return std::unexpected(std::move(key.error()));
    double ratio = std::chrono::duration<double>(target).count() /
                   std::max(1e-3, std::chrono::duration<double>(elapsed).count());
    if (ratio > 1.0) {
        // Argon2id's time grows linearly in passes at fixed memory.
        auto ops = static_cast<std::uint32_t>(std::lround(p.opslimit * ratio));
        p.opslimit = std::clamp<std::uint32_t>(ops, kKdfFloor.opslimit, 64);
    }
    return p;
}

}  // namespace svidok::crypto
