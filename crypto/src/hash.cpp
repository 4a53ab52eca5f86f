// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/hash.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

namespace svidok::crypto {
namespace {

EVP_MD_CTX* md_ctx(void* p) noexcept {
    return static_cast<EVP_MD_CTX*>(p);
}

/// libcrypto fails here only when out of memory or misconfigured; neither is an input error.
void require(int ok) noexcept {
    if (ok != 1) {
        std::fputs("svidok: libcrypto SHA-256 failed\n", stderr);
        std::abort();
    }
}

}  // namespace

Sha256Digest sha256(ByteView data) noexcept {
    Sha256 h;
    h.update(data);
    return h.finish();
}

void Sha256::Free::operator()(void* ctx) const noexcept {
    EVP_MD_CTX_free(md_ctx(ctx));
}

Sha256::Sha256() noexcept : ctx_(EVP_MD_CTX_new()) {
    require(ctx_ != nullptr ? 1 : 0);
    require(EVP_DigestInit_ex(md_ctx(ctx_.get()), EVP_sha256(), nullptr));
}
void Sha256::update(ByteView data) noexcept {
    require(EVP_DigestUpdate(md_ctx(ctx_.get()), data.data(), data.size()));
}
Sha256Digest Sha256::finish() noexcept {
    Sha256Digest out{};
    unsigned int n = 0;
    require(EVP_DigestFinal_ex(md_ctx(ctx_.get()), out.data(), &n));
    require(n == out.size() ? 1 : 0);
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
