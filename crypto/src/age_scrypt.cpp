// SPDX-License-Identifier: GPL-3.0-or-later
// The scrypt recipient type, decryption only: Svidok never writes passphrase-encrypted files.
#include <sodium.h>

#include <array>
#include <cstdlib>
#include <cstring>

#include "age_recipients.h"

namespace svidok::crypto::age {

namespace {

constexpr std::string_view kScryptSaltLabel = "age-encryption.org/v1/scrypt";
constexpr std::uint32_t kScryptR = 8;
constexpr std::uint32_t kScryptP = 1;

std::unexpected<Error> stanza_error(std::string message) {
    return fail(Errc::corrupt, "age header: malformed scrypt stanza: " + message);
}

// Digits already checked; anything longer than two digits is above the limit anyway.
unsigned work_factor_value(std::string_view digits) noexcept {
    if (digits.size() > 2) return kAgeMaxScryptLog2N + 1;
    unsigned v = 0;
    for (char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
    return v;
}

}  // namespace

Result<> scrypt_check(const Stanza& stanza) {
    if (stanza.args.size() != 2) return stanza_error("expected a salt and a work factor");
    auto salt = from_base64_unpadded(stanza.args[0]);
    if (!salt || salt->size() != kScryptSaltBytes) {
        return stanza_error("the salt is not canonical base64 of 16 bytes");
    }
    const auto& factor = stanza.args[1];
    const bool digits = !factor.empty() && factor[0] >= '1' && factor[0] <= '9' &&
                        factor.find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
        return stanza_error("the work factor is not a decimal number without leading zeros");
    if (work_factor_value(factor) > kAgeMaxScryptLog2N) {
        return fail(
            Errc::invalid,
            "age header: scrypt work factor above the limit of 2^" +
                std::to_string(kAgeMaxScryptLog2N),
            "the file was encrypted with a passphrase setting too slow to open safely here");
    }
    if (stanza.body.size() != kWrappedKeyBytes) return stanza_error("the body is not 32 bytes");
    return {};
}

Result<bool> scrypt_unwrap(const SecureBuffer& passphrase, const Stanza& stanza,
                           std::span<unsigned char> file_key) {
    const auto salt = from_base64_unpadded(stanza.args[0]);
    if (!salt || salt->size() != kScryptSaltBytes) std::abort();  // scrypt_check passed
    std::array<unsigned char, kScryptSaltLabel.size() + kScryptSaltBytes> full_salt{};
    std::memcpy(full_salt.data(), kScryptSaltLabel.data(), kScryptSaltLabel.size());
    std::memcpy(full_salt.data() + kScryptSaltLabel.size(), salt->data(), kScryptSaltBytes);
    const std::uint64_t n = std::uint64_t{1} << work_factor_value(stanza.args[1]);
    SecureBuffer key(crypto_aead_chacha20poly1305_ietf_KEYBYTES);
    if (crypto_pwhash_scryptsalsa208sha256_ll(passphrase.data(), passphrase.size(),
                                              full_salt.data(), full_salt.size(), n, kScryptR,
                                              kScryptP, key.data(), key.size()) != 0) {
        return fail(Errc::internal, "scrypt failed (out of memory?)");
    }
    return open_file_key(key, stanza.body, file_key);
}

}  // namespace svidok::crypto::age
