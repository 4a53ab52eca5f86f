// SPDX-License-Identifier: GPL-3.0-or-later
// OpenSSH key encodings (PROTOCOL.key and RFC 8709): the public key blob is
// string "ssh-ed25519" || string pk, the private file "openssh-key-v1" unencrypted.
#include "transport/ssh_key.h"

#include <sodium.h>

#include <cstring>

#include "crypto/encoding.h"

namespace svidok::transport {
namespace {

constexpr std::string_view kKeyType = "ssh-ed25519";

/// Appends to a secure buffer whose capacity was sized in advance.
class SecureWriter {
public:
    explicit SecureWriter(crypto::SecureBuffer& out) noexcept : out_(out) {}
    void bytes(const void* p, std::size_t n) {
        if (pos_ + n > out_.size()) std::abort();  // sized below: a bug, never input
        std::memcpy(out_.data() + pos_, p, n);
        pos_ += n;
    }
    void u32(std::uint32_t v) {
        const unsigned char b[4] = {
            static_cast<unsigned char>(v >> 24), static_cast<unsigned char>(v >> 16),
            static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v)};
        bytes(b, 4);
    }
    void string(const void* p, std::size_t n) {
        u32(static_cast<std::uint32_t>(n));
        bytes(p, n);
    }
    void string(std::string_view s) { string(s.data(), s.size()); }
    [[nodiscard]] std::size_t size() const noexcept { return pos_; }

private:
    crypto::SecureBuffer& out_;
    std::size_t pos_ = 0;
};

/// string "ssh-ed25519" || string pk: 4 + 11 + 4 + 32 bytes.
crypto::Bytes public_blob(const unsigned char (&pk)[crypto_sign_PUBLICKEYBYTES]) {
    crypto::Bytes blob(4 + kKeyType.size() + 4 + sizeof pk);
    blob[3] = static_cast<unsigned char>(kKeyType.size());
    std::memcpy(blob.data() + 4, kKeyType.data(), kKeyType.size());
    blob[4 + kKeyType.size() + 3] = static_cast<unsigned char>(sizeof pk);
    std::memcpy(blob.data() + 8 + kKeyType.size(), pk, sizeof pk);
    return blob;
}

Result<> check_seed(const crypto::SecureBuffer& seed) {
    if (seed.size() != kSshSeedBytes) {
        return fail(Errc::usage, "transport.bad_ssh_key", {{"bytes", std::to_string(seed.size())}},
                    "the stored SSH key is " + std::to_string(seed.size()) +
                        " bytes, not the 32 of an Ed25519 seed");
    }
    return {};
}

}  // namespace

crypto::SecureBuffer new_ssh_seed() {
    crypto::SecureBuffer seed(kSshSeedBytes);
    randombytes_buf(seed.data(), seed.size());
    return seed;
}

Result<std::string> ssh_public_key_line(const crypto::SecureBuffer& seed,
                                        std::string_view comment) {
    if (auto ok = check_seed(seed); !ok) return std::unexpected(ok.error());
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto::SecureBuffer sk(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(pk, sk.data(), seed.data());
    return std::string(kKeyType) + " " + crypto::to_base64(public_blob(pk)) + " " +
           std::string(comment);
}

Result<crypto::SecureBuffer> ssh_private_key_file(const crypto::SecureBuffer& seed) {
    if (auto ok = check_seed(seed); !ok) return std::unexpected(ok.error());
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto::SecureBuffer sk(crypto_sign_SECRETKEYBYTES);
    crypto_sign_seed_keypair(pk, sk.data(), seed.data());
    const crypto::Bytes blob = public_blob(pk);

    // The private section: two equal check words, the key, an empty comment, then padding
    // 1, 2, 3, ... to a multiple of the "none" cipher's block size, 8.
    const std::size_t section_raw =
        8 + (4 + kKeyType.size()) + (4 + sizeof pk) + (4 + sk.size()) + 4;
    const std::size_t section_len = (section_raw + 7) / 8 * 8;
    constexpr std::string_view kMagic{"openssh-key-v1\0", 15};
    const std::size_t raw_len =
        kMagic.size() + (4 + 4) + (4 + 4) + 4 + 4 + (4 + blob.size()) + (4 + section_len);
    crypto::SecureBuffer raw(raw_len);
    SecureWriter w(raw);
    w.bytes(kMagic.data(), kMagic.size());
    w.string("none");
    w.string("none");
    w.string("");
    w.u32(1);
    w.string(blob.data(), blob.size());
    w.u32(static_cast<std::uint32_t>(section_len));
    std::uint32_t check = 0;
    randombytes_buf(&check, sizeof check);
    w.u32(check);
    w.u32(check);
    w.string(kKeyType);
    w.string(pk, sizeof pk);
    w.string(sk.data(), sk.size());
    w.string("");
    for (unsigned char pad = 1; w.size() < raw_len; ++pad) w.bytes(&pad, 1);

    // PEM-style armour, Base64 wrapped at 70 columns as ssh-keygen writes it.
    constexpr std::string_view kBegin = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
    constexpr std::string_view kEnd = "-----END OPENSSH PRIVATE KEY-----\n";
    const std::size_t b64_len =
        sodium_base64_ENCODED_LEN(raw_len, sodium_base64_VARIANT_ORIGINAL);  // with its NUL
    crypto::SecureBuffer b64(b64_len);
    sodium_bin2base64(reinterpret_cast<char*>(b64.data()), b64_len, raw.data(), raw_len,
                      sodium_base64_VARIANT_ORIGINAL);
    const std::size_t text_len = b64_len - 1;
    const std::size_t lines = (text_len + 69) / 70;
    crypto::SecureBuffer file(kBegin.size() + text_len + lines + kEnd.size());
    SecureWriter f(file);
    f.bytes(kBegin.data(), kBegin.size());
    for (std::size_t i = 0; i < text_len; i += 70) {
        f.bytes(b64.data() + i, std::min<std::size_t>(70, text_len - i));
        f.bytes("\n", 1);
    }
    f.bytes(kEnd.data(), kEnd.size());
    return file;
}

}  // namespace svidok::transport
