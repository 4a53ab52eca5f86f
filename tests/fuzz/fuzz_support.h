// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the libFuzzer targets (tests/fuzz/fuzz_*.cpp) and the seed generator
// (tests/fuzz/seeds/make_seeds.cpp): fixed, public test keys, so that the seeds the generator
// writes are addressed to, signed by and cosigned by keys the targets hold, and mutations reach
// the decryption and verification paths. Never used outside tests/fuzz.

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "crypto/age.h"
#include "crypto/checkpoint.h"
#include "crypto/minisign.h"
#include "crypto/runtime.h"
#include "crypto/secure_buffer.h"
#include "crypto/signed_note.h"

// Each target's entry point: LLVMFuzzerTestOneInput in the fuzz build; with SVIDOK_FUZZ_REPLAY
// (the g++ test build, tests/store/test_fuzz_regressions.cpp) a function of its own per target,
// so the doctest suite feeds the regression inputs and seeds to the very same code.
#ifdef SVIDOK_FUZZ_REPLAY
#define SVIDOK_FUZZ_TARGET(name) \
    int svidok::fuzz::replay_##name(const std::uint8_t* data, std::size_t size)
#else
#define SVIDOK_FUZZ_TARGET(name) \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#endif

namespace svidok::fuzz {

#ifdef SVIDOK_FUZZ_REPLAY
int replay_age(const std::uint8_t* data, std::size_t size);
int replay_form(const std::uint8_t* data, std::size_t size);
int replay_json(const std::uint8_t* data, std::size_t size);
int replay_keyslots(const std::uint8_t* data, std::size_t size);
int replay_note(const std::uint8_t* data, std::size_t size);
int replay_receipt(const std::uint8_t* data, std::size_t size);
int replay_tar(const std::uint8_t* data, std::size_t size);
#endif

/// Aborts (a finding) when an invariant of the code under test breaks.
inline void require(bool ok) {
    if (!ok) std::abort();
}

inline std::span<const unsigned char> bytes(const std::uint8_t* data, std::size_t size) {
    return {data, size};
}
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

inline void init() {
    static const bool ok = crypto::init_and_self_test().has_value();
    require(ok);
}

/// 32 bytes counting up from `first`.
inline std::array<unsigned char, 32> seed(unsigned char first) {
    std::array<unsigned char, 32> s{};
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<unsigned char>(first + i);
    return s;
}

/// A libsodium Ed25519 secret key (64 bytes) from a fixed seed.
inline crypto::SecureBuffer ed25519_secret(unsigned char first) {
    const auto s = seed(first);
    crypto::SecureBuffer sk(crypto_sign_SECRETKEYBYTES);
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    crypto_sign_seed_keypair(pk.data(), sk.data(), s.data());
    return sk;
}

/// The age identity every age, bundle and receipt seed is encrypted to.
inline const crypto::X25519Identity& age_identity() {
    static const crypto::X25519Identity id = [] {
        const auto s = seed(0x01);
        auto r = crypto::X25519Identity::from_secret(s);
        require(r.has_value());
        return std::move(*r);
    }();
    return id;
}

/// The device whose log signs the checkpoints, and the legal team that cosigns them.
inline constexpr crypto::DeviceId kDevice{1, 2, 3, 4, 5, 6, 7, 8};
inline constexpr std::string_view kCosignerName = "svidok.device/0807060504030201";
inline std::string device_origin() {
    return crypto::svidok_device_origin(kDevice);
}
inline const crypto::SecureBuffer& log_secret() {
    static const crypto::SecureBuffer sk = ed25519_secret(0x21);
    return sk;
}
inline const crypto::SecureBuffer& cosigner_secret() {
    static const crypto::SecureBuffer sk = ed25519_secret(0x41);
    return sk;
}
/// The log key (type 0x01) and the cosigner (type 0x04): what a receiving vault has pinned.
inline const std::array<crypto::NoteVerifier, 2>& note_verifiers() {
    static const std::array<crypto::NoteVerifier, 2> v = [] {
        auto log =
            crypto::note_verifier_for(device_origin(), crypto::kNoteTypeEd25519, log_secret());
        auto co = crypto::note_verifier_for(kCosignerName, crypto::kNoteTypeCosignatureV1,
                                            cosigner_secret());
        require(log.has_value() && co.has_value());
        return std::array<crypto::NoteVerifier, 2>{*log, *co};
    }();
    return v;
}

/// The minisign key that signs record documents, manifests and receipts.
inline const crypto::minisign::SigningKey& minisign_key() {
    static const crypto::minisign::SigningKey key = [] {
        auto sk = ed25519_secret(0x61);
        crypto::SecureBuffer raw(8 + sk.size());
        for (std::size_t i = 0; i < 8; ++i) raw.data()[i] = static_cast<unsigned char>(0xA0 + i);
        for (std::size_t i = 0; i < sk.size(); ++i) raw.data()[8 + i] = sk.data()[i];
        auto k = crypto::minisign::SigningKey::from_raw(raw.span());
        require(k.has_value());
        return std::move(*k);
    }();
    return key;
}

/// The recovery secret whose slot the vault.keys seeds hold (opened with BLAKE2b, no Argon2id).
inline crypto::SecureBuffer recovery_secret() {
    const auto s = seed(0x81);
    return crypto::SecureBuffer::copy_of(std::span<const unsigned char>(s));
}

}  // namespace svidok::fuzz
