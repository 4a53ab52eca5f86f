// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/runtime.h"

#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <array>
#include <string_view>

#include "crypto/aead.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"

namespace svidok::crypto {
namespace {

// Known answers come from the primitives' specifications, not from libsodium's own output,
// so a miscompiled or substituted library is caught.

bool hex_equals(ByteView got, std::string_view want_hex) {
    return to_hex(got) == want_hex;
}

Bytes unhex(std::string_view h) {
    return from_hex(h).value();
}

bool kat_sha256() {  // FIPS 180-2, "abc"
    return hex_equals(sha256(as_bytes("abc")),
                      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

bool kat_blake2b() {  // RFC 7693 appendix A, BLAKE2b-512("abc")
    return hex_equals(blake2b512(as_bytes("abc")),
                      "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                      "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

bool kat_hmac_sha256() {  // RFC 4231 test case 2
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_state st;
    auto key = as_bytes("Jefe");
    auto msg = as_bytes("what do ya want for nothing?");
    crypto_auth_hmacsha256_init(&st, key.data(), key.size());
    crypto_auth_hmacsha256_update(&st, msg.data(), msg.size());
    crypto_auth_hmacsha256_final(&st, mac.data());
    return hex_equals(mac, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

bool kat_ed25519() {  // RFC 8032 section 7.1, test 1
    auto seed = unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    SecureBuffer sk(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
    std::array<unsigned char, crypto_sign_BYTES> sig{};
    crypto_sign_detached(sig.data(), nullptr, nullptr, 0, sk.data());
    bool ok = hex_equals(pk, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a") &&
              hex_equals(sig,
                         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb88215"
                         "90a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    ok = ok && crypto_sign_verify_detached(sig.data(), nullptr, 0, pk.data()) == 0;
    sig[0] ^= 1;
    return ok && crypto_sign_verify_detached(sig.data(), nullptr, 0, pk.data()) != 0;
}

bool kat_x25519() {  // RFC 7748 section 6.1
    auto alice_sk = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    auto bob_pk = unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    std::array<unsigned char, 32> pk{}, shared{};
    crypto_scalarmult_base(pk.data(), alice_sk.data());
    if (crypto_scalarmult(shared.data(), alice_sk.data(), bob_pk.data()) != 0) return false;
    return hex_equals(pk, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a") &&
           hex_equals(shared, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
}

bool kat_xchacha20poly1305() {  // draft-irtf-cfrg-xchacha-03 appendix A.3.1
    auto key = unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    auto nonce = unhex("404142434445464748494a4b4c4d4e4f5051525354555657");
    auto ad = unhex("50515253c0c1c2c3c4c5c6c7");
    std::string_view pt =
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
        "future, sunscreen would be it.";
    Bytes ct(pt.size() + kAeadTagBytes);
    xchacha_seal(ct, as_bytes(pt), ad, std::span<const unsigned char, kXNonceBytes>(nonce),
                 std::span<const unsigned char, 32>(key));
    bool ok = hex_equals(ct,
                         "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
                         "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
                         "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                         "21f9664c97637da9768812f615c68b13b52e"
                         "c0875924c1c7987947deafd8780acf49");
    auto back = xchacha_open(ct, ad, std::span<const unsigned char, kXNonceBytes>(nonce),
                             std::span<const unsigned char, 32>(key));
    ok = ok && back && back->view() == pt;
    ct[5] ^= 0x40;
    return ok && !xchacha_open(ct, ad, std::span<const unsigned char, kXNonceBytes>(nonce),
                               std::span<const unsigned char, 32>(key));
}

bool kat_argon2id() {
    // Expected value from the reference implementation (Debian's argon2 CLI):
    // echo -n "svidok self-test passphrase" | argon2 "svidok-kat-salt!" -id -t 2 -k 64 -p 1 -l 32
    auto salt = as_bytes("svidok-kat-salt!");
    auto key = argon2id(as_bytes("svidok self-test passphrase"),
                        std::span<const unsigned char, kKdfSaltBytes>(salt.data(), kKdfSaltBytes),
                        KdfParams{2, 64u << 10});
    return key && hex_equals(key->span(),
                             "3fa8c5493eae540d16c1d85580b230f5db63796c07d21771f0262866d1658614");
}

}  // namespace

Result<> init_and_self_test() {
    if (sodium_init() < 0) return fail(Errc::internal, "libsodium failed to initialise");
    struct Kat {
        const char* name;
        bool (*run)();
    };
    static constexpr std::array<Kat, 7> kats{{{"sha-256", kat_sha256},
                                              {"blake2b-512", kat_blake2b},
                                              {"hmac-sha-256", kat_hmac_sha256},
                                              {"ed25519", kat_ed25519},
                                              {"x25519", kat_x25519},
                                              {"xchacha20-poly1305", kat_xchacha20poly1305},
                                              {"argon2id", kat_argon2id}}};
    for (const auto& k : kats) {
        if (!k.run()) {
            return fail(Errc::internal, std::string("self-test failed: ") + k.name,
                        "the cryptographic library is broken or was replaced; do not use this "
                        "installation");
        }
    }
    return {};
}

Result<> disable_core_dumps() {
    rlimit none{0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return fail(Errc::internal, "cannot disable core dumps");
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return fail(Errc::internal, "cannot mark the process non-dumpable");
    }
    return {};
}

Result<> harden_process() {
    if (!zeroing_heap_linked()) return fail(Errc::internal, "the zeroing heap is not linked");
    // Whatever a library creates (SQLite's databases and journals, files the app or the CLI
    // write) is the owner's alone; the vault's own files are also fixed on every open.
    ::umask(077);
    if (auto r = disable_core_dumps(); !r) return r;
    return init_and_self_test();
}

}  // namespace svidok::crypto
