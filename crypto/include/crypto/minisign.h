// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Ed25519 signatures in the minisign 0.11 formats (docs/FORMAT.md section 5), so that records,
// manifests and bundle files verify with the stock tool: `minisign -Vm FILE -p key.pub`.
// Svidok writes only prehashed ("ED") signatures. verify() accepts legacy ("Ed") ones as
// minisign does; Svidok's own checks use verify_svidok(), which refuses them.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "crypto/encoding.h"
#include "crypto/error.h"
#include "crypto/hash.h"
#include "crypto/secure_buffer.h"

namespace svidok::crypto::minisign {

inline constexpr std::size_t kKeyIdBytes = 8;
inline constexpr std::size_t kPublicKeyBytes = crypto_sign_PUBLICKEYBYTES;  // 32
inline constexpr std::size_t kSecretKeyBytes = crypto_sign_SECRETKEYBYTES;  // 64: seed || pk
inline constexpr std::size_t kSignatureBytes = crypto_sign_BYTES;           // 64
inline constexpr std::size_t kAlgorithmBytes = 2;
/// "Ed" || key id || public key: the bytes behind the public key's Base64 line.
inline constexpr std::size_t kPublicKeyBlobBytes = kAlgorithmBytes + kKeyIdBytes + kPublicKeyBytes;
/// Algorithm || key id || signature: the bytes behind a signature file's second line.
inline constexpr std::size_t kSignatureBlobBytes = kAlgorithmBytes + kKeyIdBytes + kSignatureBytes;
/// key id || libsodium secret key: the raw form stored inside the vault database.
inline constexpr std::size_t kSigningKeyRawBytes = kKeyIdBytes + kSecretKeyBytes;
/// Longest comments minisign 0.11 reads back (its line buffers are 1024 and 8192 bytes).
inline constexpr std::size_t kMaxUntrustedCommentBytes = 1003;
inline constexpr std::size_t kMaxTrustedCommentBytes = 8173;

/// Key id bytes in stored (little-endian) order.
using KeyId = std::array<unsigned char, kKeyIdBytes>;
using PublicKeyBlob = std::array<unsigned char, kPublicKeyBlobBytes>;
using Signature = std::array<unsigned char, kSignatureBytes>;

/// The key id as minisign 0.11 prints it: the bytes as a little-endian uint64 in uppercase hex
/// without leading zeros ("%lX"), e.g. bytes 01 00 .. 00 give "1".
[[nodiscard]] std::string format_key_id(const KeyId& id);

/// An Ed25519 public key with its minisign key id.
struct PublicKey {
    KeyId key_id{};
    std::array<unsigned char, kPublicKeyBytes> pk{};

    /// "Ed" || key id || pk (42 bytes), as hashed into the vault fingerprint.
    [[nodiscard]] PublicKeyBlob blob() const noexcept;
    /// The one-line Base64 form that `minisign -P` takes (no line end).
    [[nodiscard]] std::string to_base64() const;
    /// Exactly the content of a minisign public key file, both lines ending in "\n".
    [[nodiscard]] std::string to_file() const;
    /// Accepts the whole public key file or the bare Base64 line, nothing else. Errors:
    /// Errc::corrupt for a malformed file (missing or extra lines, bad Base64, wrong length),
    /// Errc::unsupported for an algorithm other than "Ed".
    [[nodiscard]] static Result<PublicKey> parse(std::string_view text);

    friend bool operator==(const PublicKey&, const PublicKey&) = default;
};

/// An Ed25519 secret key with its random key id; the secret lives in a SecureBuffer.
class SigningKey {
public:
    /// A fresh key pair and a fresh random key id.
    [[nodiscard]] static SigningKey generate();
    /// Parses the raw form written by to_raw(). Errors: Errc::corrupt if the size is not
    /// kSigningKeyRawBytes or the public half does not belong to the seed.
    [[nodiscard]] static Result<SigningKey> from_raw(std::span<const unsigned char> raw);

    /// key id (8) || libsodium secret key (64), for storage inside the encrypted vault only.
    [[nodiscard]] SecureBuffer to_raw() const;
    [[nodiscard]] KeyId key_id() const noexcept;
    [[nodiscard]] PublicKey public_key() const noexcept;

private:
    explicit SigningKey(SecureBuffer raw) noexcept : raw_(std::move(raw)) {}
    friend Result<std::string> sign_prehashed(const SigningKey&, const Blake2b512Digest&,
                                              std::string_view, std::string_view);
    SecureBuffer raw_;  // kSigningKeyRawBytes, laid out as to_raw() returns it
};

/// Signs `message` in minisign's prehashed format and returns the exact .minisig text.
/// The trusted comment is signed and shown by `minisign -V`; the untrusted comment is not
/// covered by any signature. Errors: Errc::invalid if a comment contains NUL, CR or LF or is
/// longer than kMaxTrustedCommentBytes / kMaxUntrustedCommentBytes.
[[nodiscard]] Result<std::string> sign(const SigningKey& key, ByteView message,
                                       std::string_view trusted_comment,
                                       std::string_view untrusted_comment);

/// As sign(), for input of any size: `prehash` is Blake2b512::finish() after feeding the whole
/// message in chunks. sign_prehashed(k, blake2b512(m), ...) == sign(k, m, ...).
[[nodiscard]] Result<std::string> sign_prehashed(const SigningKey& key,
                                                 const Blake2b512Digest& prehash,
                                                 std::string_view trusted_comment,
                                                 std::string_view untrusted_comment);

enum class Algorithm { prehashed, legacy };  // "ED" and "Ed"

/// A parsed .minisig file; nothing in it is checked against a key yet.
struct SignatureFile {
    std::string untrusted_comment;
    Algorithm algorithm = Algorithm::prehashed;
    KeyId key_id{};
    Signature signature{};
    std::string trusted_comment;
    Signature global_signature{};
};

/// Parses .minisig text strictly (docs/FORMAT.md section 5). Errors: Errc::corrupt for any
/// malformed line, Errc::unsupported for an algorithm other than "ED" or "Ed".
[[nodiscard]] Result<SignatureFile> parse_signature(std::string_view minisig);

/// What a successful verification vouches for.
struct Verified {
    std::string trusted_comment;
    Algorithm algorithm = Algorithm::prehashed;
};

/// Verifies .minisig text against `message` and `key`, as `minisign -V` does. Errors:
/// Errc::corrupt / Errc::unsupported from parse_signature; Errc::integrity for a key id
/// mismatch ("signed by key X, expected Y"), a signature that does not match the message, or a
/// global signature that does not match (the trusted comment was altered).
[[nodiscard]] Result<Verified> verify(const PublicKey& key, ByteView message,
                                      std::string_view minisig);

/// As verify(), refusing a legacy ("Ed") signature as `minisign -H` does: how Svidok checks its
/// own signatures (records, manifests, receipts; docs/FORMAT.md 5), which it only ever makes
/// prehashed. A legacy signature is Errc::integrity, kind "minisign.legacy", before any key
/// operation.
[[nodiscard]] Result<Verified> verify_svidok(const PublicKey& key, ByteView message,
                                             std::string_view minisig);

/// As verify(), from the BLAKE2b-512 of a message fed in chunks. A legacy ("Ed") signature
/// cannot be checked from a prehash: Errc::unsupported.
[[nodiscard]] Result<Verified> verify_prehashed(const PublicKey& key,
                                                const Blake2b512Digest& prehash,
                                                std::string_view minisig);

}  // namespace svidok::crypto::minisign
