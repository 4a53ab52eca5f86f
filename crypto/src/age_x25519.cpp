// SPDX-License-Identifier: GPL-3.0-or-later
// The X25519 recipient type: keys, their Bech32 forms, identity files, and stanza wrap/unwrap.
#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "age_recipients.h"
#include "crypto/bech32.h"
#include "crypto/hkdf.h"

namespace svidok::crypto {

namespace {

static_assert(crypto_scalarmult_curve25519_BYTES == kX25519KeyBytes);
static_assert(crypto_scalarmult_curve25519_SCALARBYTES == kX25519KeyBytes);

constexpr std::string_view kIdentityFilePublicKeyComment = "# public key: ";

X25519Recipient public_key_of(std::span<const unsigned char> secret) noexcept {
    X25519Recipient r;
    crypto_scalarmult_curve25519_base(r.pk.data(), secret.data());
    return r;
}

// Other age identity kinds share the "AGE-" prefix; name them rather than report a bad key.
bool is_other_identity_type(std::string_view text) noexcept {
    return text.starts_with("AGE-SECRET-KEY-PQ-") || text.starts_with("AGE-PLUGIN-");
}

}  // namespace

Result<X25519Recipient> X25519Recipient::parse(std::string_view text) {
    X25519Recipient r;
    auto n = bech32_decode_into(text, kAgeRecipientHrp, r.pk);
    if (!n) return std::unexpected(std::move(n.error()).wrap("invalid age recipient"));
    if (*n != kX25519KeyBytes)
        return fail(Errc::corrupt, "invalid age recipient: wrong key length");
    return r;
}

std::string X25519Recipient::to_string() const {
    return bech32_encode(kAgeRecipientHrp, pk);
}

X25519Identity X25519Identity::generate() {
    SecureBuffer sk(kX25519KeyBytes);
    randombytes_buf(sk.data(), sk.size());
    const auto r = public_key_of(sk.span());
    return X25519Identity(std::move(sk), r);
}

Result<X25519Identity> X25519Identity::parse(std::string_view text) {
    if (is_other_identity_type(text)) {
        return fail(Errc::unsupported,
                    "unsupported age identity type (only X25519 keys are supported)");
    }
    SecureBuffer sk(kX25519KeyBytes);
    auto n = bech32_decode_into(text, kAgeIdentityHrp, sk.span());
    if (!n) return std::unexpected(std::move(n.error()).wrap("invalid age identity"));
    if (*n != kX25519KeyBytes) return fail(Errc::corrupt, "invalid age identity: wrong key length");
    const auto r = public_key_of(sk.span());
    return X25519Identity(std::move(sk), r);
}

Result<X25519Identity> X25519Identity::from_secret(std::span<const unsigned char> secret) {
    if (secret.size() != kX25519KeyBytes)
        return fail(Errc::usage, "x25519 secret must be 32 bytes");
    auto sk = SecureBuffer::copy_of(secret);
    const auto r = public_key_of(sk.span());
    return X25519Identity(std::move(sk), r);
}

SecureBuffer X25519Identity::to_string() const {
    SecureBuffer out(bech32_encoded_size(kAgeIdentityHrp.size(), kX25519KeyBytes));
    bech32_encode_into({reinterpret_cast<char*>(out.data()), out.size()}, kAgeIdentityHrp,
                       sk_.span());
    return out;
}

Result<std::vector<X25519Identity>> parse_identity_file(std::string_view text) {
    std::vector<X25519Identity> ids;
    std::size_t number = 0;
    while (!text.empty()) {
        ++number;
        const auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (line.empty() || line.starts_with('#')) continue;
        auto id = X25519Identity::parse(line);
        if (!id) {
            return std::unexpected(
                std::move(id.error()).wrap("identity file line " + std::to_string(number)));
        }
        ids.push_back(std::move(*id));
    }
    if (ids.empty()) return fail(Errc::not_found, "identity file holds no identities");
    return ids;
}

SecureBuffer identity_file_text(const X25519Identity& id) {
    const std::string recipient = id.recipient().to_string();
    const SecureBuffer secret = id.to_string();
    SecureBuffer out(kIdentityFilePublicKeyComment.size() + recipient.size() + 1 + secret.size() +
                     1);
    unsigned char* p = out.data();
    auto put = [&p](const void* data, std::size_t n) {
        std::memcpy(p, data, n);
        p += n;
    };
    put(kIdentityFilePublicKeyComment.data(), kIdentityFilePublicKeyComment.size());
    put(recipient.data(), recipient.size());
    put("\n", 1);
    put(secret.data(), secret.size());
    put("\n", 1);
    return out;
}

namespace age {

namespace {

constexpr std::string_view kX25519Info = "age-encryption.org/v1/X25519";
// Each wrap key is used for exactly one message, so a fixed nonce is safe.
constexpr std::array<unsigned char, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> kZeroNonce{};

std::unexpected<Error> stanza_error(std::string message) {
    return fail(Errc::corrupt, "age header: malformed X25519 stanza: " + message);
}

SecureBuffer wrap_key(const SecureBuffer& shared, ByteView share, ByteView recipient) {
    std::array<unsigned char, 2 * kX25519KeyBytes> salt{};
    std::memcpy(salt.data(), share.data(), kX25519KeyBytes);
    std::memcpy(salt.data() + kX25519KeyBytes, recipient.data(), kX25519KeyBytes);
    SecureBuffer key(crypto_aead_chacha20poly1305_ietf_KEYBYTES);
    hkdf_sha256(key.span(), shared.span(), salt, as_bytes(kX25519Info));
    return key;
}

}  // namespace

void seal_file_key(const SecureBuffer& wrap_key, ByteView file_key,
                   std::span<unsigned char> body) noexcept {
    if (body.size() != file_key.size() + kAgeTagBytes) std::abort();
    crypto_aead_chacha20poly1305_ietf_encrypt(body.data(), nullptr, file_key.data(),
                                              file_key.size(), nullptr, 0, nullptr,
                                              kZeroNonce.data(), wrap_key.data());
}

bool open_file_key(const SecureBuffer& wrap_key, ByteView body,
                   std::span<unsigned char> file_key) noexcept {
    if (body.size() != kWrappedKeyBytes || file_key.size() != kAgeFileKeyBytes) std::abort();
    return crypto_aead_chacha20poly1305_ietf_decrypt(file_key.data(), nullptr, nullptr, body.data(),
                                                     body.size(), nullptr, 0, kZeroNonce.data(),
                                                     wrap_key.data()) == 0;
}

Result<Stanza> x25519_wrap(const X25519Recipient& recipient, ByteView file_key) {
    SecureBuffer ephemeral(kX25519KeyBytes);
    randombytes_buf(ephemeral.data(), ephemeral.size());
    std::array<unsigned char, kX25519KeyBytes> share{};
    crypto_scalarmult_curve25519_base(share.data(), ephemeral.data());
    SecureBuffer shared(kX25519KeyBytes);
    // libsodium refuses low-order points (an all-zero shared secret).
    if (crypto_scalarmult_curve25519(shared.data(), ephemeral.data(), recipient.pk.data()) != 0) {
        return fail(Errc::invalid, "age recipient is a low-order point, refusing to encrypt to it");
    }
    const SecureBuffer key = wrap_key(shared, share, recipient.pk);
    Stanza s{std::string(kX25519Type), {to_base64_unpadded(share)}, Bytes(kWrappedKeyBytes)};
    seal_file_key(key, file_key, s.body);
    return s;
}

Result<> x25519_check(const Stanza& stanza) {
    if (stanza.args.size() != 1)
        return stanza_error("expected exactly one argument after the type");
    auto share = from_base64_unpadded(stanza.args[0]);
    if (!share || share->size() != kX25519KeyBytes) {
        return stanza_error("the share is not canonical base64 of 32 bytes");
    }
    if (stanza.body.size() != kWrappedKeyBytes) return stanza_error("the body is not 32 bytes");
    return {};
}

Result<bool> x25519_unwrap(const X25519Identity& identity, const Stanza& stanza,
                           std::span<unsigned char> file_key) {
    const auto share = from_base64_unpadded(stanza.args[0]);
    if (!share || share->size() != kX25519KeyBytes) std::abort();  // x25519_check passed
    SecureBuffer shared(kX25519KeyBytes);
    if (crypto_scalarmult_curve25519(shared.data(), identity.secret().data(), share->data()) != 0) {
        return fail(Errc::corrupt,
                    "age header: X25519 share is a low-order point (all-zero shared secret)");
    }
    const SecureBuffer key = wrap_key(shared, *share, identity.recipient().pk);
    return open_file_key(key, stanza.body, file_key);
}

}  // namespace age

}  // namespace svidok::crypto
