// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/hash.h"

namespace svidok::crypto {

Sha256Digest sha256(ByteView data) noexcept {
    Sha256Digest out;
    crypto_hash_sha256(out.data(), data.data(), data.size());
    return out;
}

Sha256::Sha256() noexcept { crypto_hash_sha256_init(&state_); }
void Sha256::update(ByteView data) noexcept {
    crypto_hash_sha256_update(&state_, data.data(), data.size());
}
Sha256Digest Sha256::finish() noexcept {
    Sha256Digest out;
    crypto_hash_sha256_final(&state_, out.data());
    return out;
}

Blake2b512Digest blake2b512(ByteView data) noexcept {
    Blake2b512Digest out;
    crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
    return out;
}

Blake2b512::Blake2b512() noexcept {
    crypto_generichash_init(&state_, nullptr, 0, kBlake2b512Bytes);
}
void Blake2b512::update(ByteView data) noexcept {
    crypto_generichash_update(&state_, data.data(), data.size());
}
Blake2b512Digest Blake2b512::finish() noexcept {
    Blake2b512Digest out;
    crypto_generichash_final(&state_, out.data(), out.size());
    return out;
}

}  // namespace svidok::crypto
