// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/aead.h"

#include <cstdlib>

namespace svidok::crypto {

void xchacha_seal(std::span<unsigned char> out, std::span<const unsigned char> plaintext,
                  std::span<const unsigned char> ad,
                  std::span<const unsigned char, kXNonceBytes> nonce,
                  std::span<const unsigned char, 32> key) noexcept {
    if (out.size() != plaintext.size() + kAeadTagBytes) std::abort();
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &written, plaintext.data(),
                                               plaintext.size(), ad.data(), ad.size(), nullptr,
                                               nonce.data(), key.data());
}

Result<SecureBuffer> xchacha_open(std::span<const unsigned char> ciphertext,
                                  std::span<const unsigned char> ad,
                                  std::span<const unsigned char, kXNonceBytes> nonce,
                                  std::span<const unsigned char, 32> key) {
    if (ciphertext.size() < kAeadTagBytes) return fail(Errc::corrupt, "ciphertext too short");
    SecureBuffer out(ciphertext.size() - kAeadTagBytes);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &written, nullptr, ciphertext.data(),
                                                   ciphertext.size(), ad.data(), ad.size(),
                                                   nonce.data(), key.data()) != 0) {
        return fail(Errc::auth_failed, "decryption failed");
    }
    return out;
}

}  // namespace svidok::crypto
