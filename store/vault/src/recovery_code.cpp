// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/recovery_code.h"

#include <sodium.h>

#include <array>

namespace svidok::store {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kSecretSymbols = 32;  // 160 bits / 5
constexpr std::size_t kCheckSymbols = 4;    // 20 bits
constexpr std::size_t kSymbols = kSecretSymbols + kCheckSymbols;

// First 20 bits of BLAKE2b-256("svidok recovery check v1" || secret), as 4 symbols.
std::array<unsigned char, kCheckSymbols> check_symbols(const unsigned char* secret) {
    static constexpr std::string_view kDomain = "svidok recovery check v1";
    crypto_generichash_state st;
    std::array<unsigned char, 32> h{};
    crypto_generichash_init(&st, nullptr, 0, h.size());
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kDomain.data()),
                              kDomain.size());
    crypto_generichash_update(&st, secret, kRecoverySecretBytes);
    crypto_generichash_final(&st, h.data(), h.size());
    std::uint32_t bits = (std::uint32_t{h[0]} << 12) | (std::uint32_t{h[1]} << 4) | (h[2] >> 4);
    std::array<unsigned char, kCheckSymbols> out{};
    for (std::size_t i = 0; i < kCheckSymbols; ++i) {
        out[i] = static_cast<unsigned char>((bits >> (5 * (kCheckSymbols - 1 - i))) & 31);
    }
    return out;
}

int symbol_value(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    auto pos = kAlphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

crypto::SecureBuffer generate_recovery_secret() {
    crypto::SecureBuffer s(kRecoverySecretBytes);
    randombytes_buf(s.data(), s.size());
    return s;
}

crypto::SecureBuffer format_recovery_code(const crypto::SecureBuffer& secret) {
    crypto::SecureBuffer symbols(kSymbols);
    // 160 bits, most significant first, 5 bits per symbol.
    for (std::size_t i = 0; i < kSecretSymbols; ++i) {
        std::size_t bit = i * 5;
        unsigned v = 0;
        for (std::size_t b = 0; b < 5; ++b, ++bit) {
            v = (v << 1) | ((secret.data()[bit / 8] >> (7 - bit % 8)) & 1u);
        }
        symbols.data()[i] = static_cast<unsigned char>(v);
    }
    auto check = check_symbols(secret.data());
    for (std::size_t i = 0; i < kCheckSymbols; ++i) symbols.data()[kSecretSymbols + i] = check[i];
    crypto::SecureBuffer text(kRecoveryCodeChars);
    std::size_t o = 0;
    for (std::size_t i = 0; i < kSymbols; ++i) {
        if (i > 0 && i % 4 == 0) text.data()[o++] = '-';
        text.data()[o++] = static_cast<unsigned char>(kAlphabet[symbols.data()[i]]);
    }
    return text;
}

Result<crypto::SecureBuffer> parse_recovery_code(std::string_view text) {
    crypto::SecureBuffer symbols(kSymbols);
    std::size_t n = 0;
    for (char c : text) {
        if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        int v = symbol_value(c);
        if (v < 0) {
            return fail(Errc::invalid, "the recovery code contains a character it cannot have",
                        "a recovery code uses digits and the letters A-Z except I, L, O, U");
        }
        if (n < kSymbols) symbols.data()[n] = static_cast<unsigned char>(v);
        ++n;
    }
    if (n != kSymbols) {
        return fail(Errc::invalid, "the recovery code has " + std::to_string(n) +
                                       " characters, it should have 36 (nine groups of four)");
    }
    crypto::SecureBuffer secret(kRecoverySecretBytes);
    for (std::size_t i = 0; i < kSecretSymbols; ++i) {
        for (std::size_t b = 0; b < 5; ++b) {
            std::size_t bit = i * 5 + b;
            unsigned v = (symbols.data()[i] >> (4 - b)) & 1u;
            secret.data()[bit / 8] =
                static_cast<unsigned char>(secret.data()[bit / 8] | (v << (7 - bit % 8)));
        }
    }
    auto check = check_symbols(secret.data());
    if (sodium_memcmp(check.data(), symbols.data() + kSecretSymbols, kCheckSymbols) != 0) {
        return fail(Errc::invalid, "the recovery code is mistyped (its check group does not match)",
                    "compare each group with the paper copy");
    }
    return secret;
}

}  // namespace svidok::store
