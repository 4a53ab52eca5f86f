// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Golden files of Svidok's own formats (tests/fixtures/golden, docs/FORMAT.md 19): fixed
// inputs, the exact bytes the library must build from them, read back by the tests. The
// inputs are fixed seeds and a reproducible stand-in for libsodium's random numbers.

#include <sodium.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/secure_buffer.h"
#include "test_support.h"

namespace svidok::test {

inline fs::path golden_dir() {
    return fs::path(SVIDOK_FIXTURES_DIR) / "golden";
}

/// The stored golden file.
inline std::string golden(std::string_view name) {
    return read_file(golden_dir() / name);
}

/// Checks that `built` is byte for byte the golden file `name`. With SVIDOK_GOLDEN_WRITE=1 in
/// the environment it writes the file instead: only together with the docs/FORMAT.md change
/// that explains the new bytes.
inline void check_golden(std::string_view name, std::string_view built) {
    CAPTURE(name);
    if (const char* w = std::getenv("SVIDOK_GOLDEN_WRITE"); w != nullptr && std::string(w) == "1") {
        write_file(golden_dir() / name, built);
        return;
    }
    const std::string stored = golden(name);
    if (stored == built) return;
    std::size_t at = 0;
    while (at < stored.size() && at < built.size() && stored[at] == built[at]) ++at;
    FAIL_CHECK(name << " differs from the library's bytes at offset " << at << " (stored "
                    << stored.size() << " bytes, built " << built.size()
                    << "): a format change needs docs/FORMAT.md first");
}

/// `n` bytes: `first`, `first` + 1, ... (mod 256). The seeds and keys of the vectors.
template <std::size_t N>
std::array<unsigned char, N> counting_bytes(unsigned char first) {
    std::array<unsigned char, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<unsigned char>(first + i);
    return out;
}

/// A libsodium Ed25519 secret key (seed || public key) from a 32-byte seed.
inline crypto::SecureBuffer ed25519_from_seed(const std::array<unsigned char, 32>& seed) {
    crypto::SecureBuffer sk(crypto_sign_SECRETKEYBYTES);
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
    return sk;
}

/// While alive, libsodium's random numbers (every randombytes_buf of the library, age's file
/// keys and ephemeral keys, secretstream headers, salts, nonces) come from a reproducible
/// stream: call i (from 0) of `n` bytes gets randombytes_buf_deterministic(n, seed_i) with
/// seed_i = SHA-256(label || u64le(i)). Test-only: it replaces libsodium's implementation
/// process-wide through libsodium's own randombytes_set_implementation(), so no seam exists in
/// the library; the destructor restores the system generator. Not thread-safe: the vectors
/// run on one thread.
class DeterministicRandom {
public:
    explicit DeterministicRandom(std::string label) {
        state().label = std::move(label);
        state().calls = 0;
        randombytes_set_implementation(&kImplementation);
    }
    ~DeterministicRandom() {
        randombytes_set_implementation(&randombytes_sysrandom_implementation);
    }
    DeterministicRandom(const DeterministicRandom&) = delete;
    DeterministicRandom& operator=(const DeterministicRandom&) = delete;

private:
    struct State {
        std::string label;
        std::uint64_t calls = 0;
    };
    static State& state() {
        static State s;
        return s;
    }
    static void buf(void* const out, const size_t size) {
        std::string input = state().label;
        unsigned char counter[8];
        crypto::store_le64(counter, state().calls++);
        input.append(reinterpret_cast<const char*>(counter), sizeof counter);
        const auto seed = crypto::sha256(crypto::as_bytes(input));
        static_assert(sizeof seed == randombytes_SEEDBYTES);
        randombytes_buf_deterministic(out, size, seed.data());
    }
    static uint32_t random() {
        uint32_t r = 0;
        buf(&r, sizeof r);
        return r;
    }
    static const char* name() { return "svidok-golden-deterministic"; }
    static void stir() {}
    static int close() { return 0; }
    static inline randombytes_implementation kImplementation{&name,   &random, &stir,
                                                             nullptr, &buf,    &close};
};

}  // namespace svidok::test
