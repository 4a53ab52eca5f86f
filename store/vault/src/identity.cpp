// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/identity.h"

#include <sodium.h>

#include <cstring>

#include "crypto/checkpoint.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace svidok::store {

Identity Identity::generate() {
    Identity id;
    randombytes_buf(id.sign_key_id.data(), id.sign_key_id.size());
    randombytes_buf(id.device_id.data(), id.device_id.size());
    std::array<unsigned char, 32> pk{};
    id.sign_sk = crypto::SecureBuffer(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(pk.data(), id.sign_sk.data());
    id.log_sk = crypto::SecureBuffer(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(pk.data(), id.log_sk.data());
    id.x25519_sk = crypto::SecureBuffer(crypto_scalarmult_SCALARBYTES);
    randombytes_buf(id.x25519_sk.data(), id.x25519_sk.size());
    return id;
}

std::array<unsigned char, 32> Identity::sign_pk() const {
    std::array<unsigned char, 32> pk{};
    crypto_sign_ed25519_sk_to_pk(pk.data(), sign_sk.data());
    return pk;
}

std::array<unsigned char, 32> Identity::log_pk() const {
    std::array<unsigned char, 32> pk{};
    crypto_sign_ed25519_sk_to_pk(pk.data(), log_sk.data());
    return pk;
}

std::array<unsigned char, 32> Identity::x25519_pk() const {
    std::array<unsigned char, 32> pk{};
    crypto_scalarmult_base(pk.data(), x25519_sk.data());
    return pk;
}

Result<crypto::minisign::SigningKey> Identity::signing_key() const {
    auto raw = crypto::SecureBuffer(crypto::minisign::kSigningKeyRawBytes);
    std::memcpy(raw.data(), sign_key_id.data(), sign_key_id.size());
    std::memcpy(raw.data() + crypto::minisign::kKeyIdBytes, sign_sk.data(), sign_sk.size());
    return crypto::minisign::SigningKey::from_raw(raw.span());
}

crypto::minisign::PublicKey Identity::signing_public_key() const {
    return crypto::minisign::PublicKey{sign_key_id, sign_pk()};
}

Result<crypto::X25519Identity> Identity::x25519_identity() const {
    return crypto::X25519Identity::from_secret(x25519_sk.span());
}

std::string Identity::log_origin() const {
    return crypto::svidok_device_origin(device_id);
}

std::string Identity::fingerprint() const {
    return fingerprint_of(sign_key_id, sign_pk(), log_pk(), x25519_pk());
}

std::string fingerprint_of(const std::array<unsigned char, kKeyIdBytes>& sign_key_id,
                           const std::array<unsigned char, 32>& sign_pk,
                           const std::array<unsigned char, 32>& log_pk,
                           const std::array<unsigned char, 32>& x25519_pk) {
    crypto::Sha256 h;
    h.update(crypto::as_bytes("svidok fingerprint v1\n"));
    h.update(crypto::as_bytes("Ed"));
    h.update(sign_key_id);
    h.update(sign_pk);
    h.update(log_pk);
    h.update(x25519_pk);
    auto f = h.finish();
    std::string out;
    for (std::size_t g = 0; g < 5; ++g) {
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < 5; ++i) v = (v << 8) | f[5 * g + i];
        char buf[8];
        std::snprintf(buf, sizeof buf, "%05u", static_cast<unsigned>(v % 100000));
        if (g > 0) out += ' ';
        out += buf;
    }
    return out;
}

}  // namespace svidok::store
