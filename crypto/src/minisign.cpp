// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/minisign.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

namespace svidok::crypto::minisign {

namespace {

constexpr std::string_view kUntrustedPrefix = "untrusted comment: ";
constexpr std::string_view kTrustedPrefix = "trusted comment: ";
constexpr std::string_view kAlgEd = "Ed";  // key algorithm, and legacy signatures
constexpr std::string_view kAlgPrehashed = "ED";
// minisign reads these lines with fgets into 1024- and 8192-byte buffers: a longer line
// (terminator included) is rejected by minisign 0.11, so we reject it too and never write one.
constexpr std::size_t kMaxUntrustedLineBytes = 1023;
constexpr std::size_t kMaxTrustedLineBytes = 8191;
static_assert(kMaxUntrustedCommentBytes == kMaxUntrustedLineBytes - kUntrustedPrefix.size() - 1);
static_assert(kMaxTrustedCommentBytes == kMaxTrustedLineBytes - kTrustedPrefix.size() - 1);

struct Line {
    std::string_view text;  // without the line end
    std::size_t raw_size;   // with the line end ("\n" or "\r\n")
};

// Splits `text` into exactly N lines, each ended by "\n" or "\r\n". minisign on Windows writes
// "\r\n"; the "\r" is never part of a signed comment, so accepting it changes nothing signed.
template <std::size_t N>
Result<std::array<Line, N>> split_lines(std::string_view text, std::string_view what) {
    const std::string where(what);
    if (text.find('\0') != std::string_view::npos) {
        return fail(Errc::corrupt, where + ": contains a NUL byte");
    }
    std::array<Line, N> lines{};
    for (std::size_t i = 0; i < N; ++i) {
        const std::string line_no = "line " + std::to_string(i + 1);
        if (text.empty()) {
            return fail(Errc::corrupt, where + ": truncated, " + line_no + " is missing");
        }
        const std::size_t end = text.find('\n');
        if (end == std::string_view::npos) {
            return fail(Errc::corrupt, where + ": truncated, " + line_no + " has no line end");
        }
        std::string_view body = text.substr(0, end);
        if (body.ends_with('\r')) body.remove_suffix(1);
        if (body.find('\r') != std::string_view::npos) {
            return fail(Errc::corrupt, where + ": " + line_no + " contains a carriage return");
        }
        lines[i] = Line{body, end + 1};
        text.remove_prefix(end + 1);
    }
    if (!text.empty()) {
        return fail(Errc::corrupt, where + ": unexpected data after line " + std::to_string(N));
    }
    return lines;
}

// Returns the comment text after `prefix`, or an error naming the line.
Result<std::string_view> comment_line(const Line& line, std::string_view prefix,
                                      std::size_t max_line_bytes, std::string_view where,
                                      int line_no) {
    const std::string ctx = std::string(where) + ": line " + std::to_string(line_no);
    if (!line.text.starts_with(prefix)) {
        return fail(Errc::corrupt, ctx + " does not start with \"" + std::string(prefix) + "\"");
    }
    if (line.raw_size > max_line_bytes) {
        return fail(Errc::corrupt, ctx + " is longer than minisign accepts (" +
                                       std::to_string(max_line_bytes) + " bytes)");
    }
    return line.text.substr(prefix.size());
}

template <std::size_t N>
Result<std::array<unsigned char, N>> decode_fixed(std::string_view b64, std::string_view what) {
    auto bytes = from_base64(b64);
    if (!bytes) return fail(Errc::corrupt, std::string(what) + " is not valid base64");
    if (bytes->size() != N) {
        return fail(Errc::corrupt, std::string(what) + " is " + std::to_string(bytes->size()) +
                                       " bytes, expected " + std::to_string(N));
    }
    std::array<unsigned char, N> out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

bool algorithm_is(const unsigned char* at, std::string_view alg) {
    return std::memcmp(at, alg.data(), kAlgorithmBytes) == 0;
}

Result<void> check_comment_to_write(std::string_view comment, std::size_t max,
                                    std::string_view what) {
    if (comment.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos) {
        return fail(Errc::invalid, std::string(what) + " must be one line without NUL, CR or LF");
    }
    if (comment.size() > max) {
        return fail(Errc::invalid, std::string(what) + " is " + std::to_string(comment.size()) +
                                       " bytes, at most " + std::to_string(max) + " allowed");
    }
    return {};
}

Signature ed25519_sign(const unsigned char* secret_key, ByteView message) noexcept {
    Signature sig{};
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key);
    return sig;
}

bool ed25519_verify(const PublicKey& key, const Signature& sig, ByteView message) noexcept {
    return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), key.pk.data()) ==
           0;
}

// The global signature covers signature || trusted comment, binding the comment to the message
// signature without re-reading the message.
Bytes global_message(const Signature& sig, std::string_view trusted_comment) {
    Bytes m(sig.begin(), sig.end());
    const ByteView tc = as_bytes(trusted_comment);
    m.insert(m.end(), tc.begin(), tc.end());
    return m;
}

// `signed_message` is the BLAKE2b-512 prehash, or the whole message for a legacy signature.
Result<Verified> verify_parsed(const PublicKey& key, const SignatureFile& sf,
                               ByteView signed_message) {
    if (sf.key_id != key.key_id) {
        return fail(
            Errc::integrity,
            "signed by key " + format_key_id(sf.key_id) + ", expected " + format_key_id(key.key_id),
            "check that the public key belongs to whoever made this signature");
    }
    if (!ed25519_verify(key, sf.signature, signed_message)) {
        return fail(Errc::integrity, "signature does not match the signed data",
                    "the file was altered after signing, or this is not the signed file");
    }
    if (!ed25519_verify(key, sf.global_signature,
                        global_message(sf.signature, sf.trusted_comment))) {
        return fail(Errc::integrity,
                    "trusted comment signature does not match: the trusted comment was altered");
    }
    return Verified{sf.trusted_comment, sf.algorithm};
}

}  // namespace

std::string format_key_id(const KeyId& id) {
    char buf[2 * kKeyIdBytes];
    const auto res = std::to_chars(buf, buf + sizeof buf, load_le64(id.data()), 16);
    std::string out(buf, res.ptr);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    return out;
}

PublicKeyBlob PublicKey::blob() const noexcept {
    PublicKeyBlob b{};
    std::memcpy(b.data(), kAlgEd.data(), kAlgorithmBytes);
    std::copy(key_id.begin(), key_id.end(), b.begin() + kAlgorithmBytes);
    std::copy(pk.begin(), pk.end(), b.begin() + kAlgorithmBytes + kKeyIdBytes);
    return b;
}

std::string PublicKey::to_base64() const {
    return crypto::to_base64(blob());
}

std::string PublicKey::to_file() const {
    return std::string(kUntrustedPrefix) + "minisign public key " + format_key_id(key_id) + "\n" +
           to_base64() + "\n";
}

Result<PublicKey> PublicKey::parse(std::string_view text) {
    constexpr std::string_view where = "minisign public key";
    std::string_view b64 = text;
    if (text.starts_with(kUntrustedPrefix)) {
        auto lines = split_lines<2>(text, where);
        if (!lines) return std::unexpected(std::move(lines.error()));
        auto comment =
            comment_line((*lines)[0], kUntrustedPrefix, kMaxUntrustedLineBytes, where, 1);
        if (!comment) return std::unexpected(std::move(comment.error()));
        b64 = (*lines)[1].text;
    } else if (text.find_first_of("\r\n") != std::string_view::npos) {
        return fail(Errc::corrupt,
                    std::string(where) + ": expected a public key file or its single base64 line");
    }
    auto blob = decode_fixed<kPublicKeyBlobBytes>(b64, std::string(where) + " line");
    if (!blob) return std::unexpected(std::move(blob.error()));
    if (!algorithm_is(blob->data(), kAlgEd)) {
        return fail(Errc::unsupported,
                    std::string(where) + ": unsupported algorithm (not Ed25519)");
    }
    PublicKey key;
    std::copy_n(blob->begin() + kAlgorithmBytes, kKeyIdBytes, key.key_id.begin());
    std::copy_n(blob->begin() + kAlgorithmBytes + kKeyIdBytes, kPublicKeyBytes, key.pk.begin());
    return key;
}

SigningKey SigningKey::generate() {
    SecureBuffer raw(kSigningKeyRawBytes);
    randombytes_buf(raw.data(), kKeyIdBytes);
    std::array<unsigned char, kPublicKeyBytes> pk{};
    crypto_sign_keypair(pk.data(), raw.data() + kKeyIdBytes);
    return SigningKey(std::move(raw));
}

Result<SigningKey> SigningKey::from_raw(std::span<const unsigned char> raw) {
    if (raw.size() != kSigningKeyRawBytes) {
        return fail(Errc::corrupt, "signing key is " + std::to_string(raw.size()) +
                                       " bytes, expected " + std::to_string(kSigningKeyRawBytes));
    }
    // The libsodium secret key carries its public half; a mismatch would make every signature
    // fail to verify, so catch it when the key is loaded, not when an auditor checks.
    SecureBuffer derived_sk(kSecretKeyBytes);
    std::array<unsigned char, kPublicKeyBytes> derived_pk{};
    crypto_sign_seed_keypair(derived_pk.data(), derived_sk.data(), raw.data() + kKeyIdBytes);
    if (!derived_sk.equals(raw.subspan(kKeyIdBytes))) {
        return fail(Errc::corrupt, "signing key is inconsistent: public half does not match seed");
    }
    return SigningKey(SecureBuffer::copy_of(raw));
}

SecureBuffer SigningKey::to_raw() const {
    return SecureBuffer::copy_of(raw_.span());
}

KeyId SigningKey::key_id() const noexcept {
    if (raw_.size() != kSigningKeyRawBytes) std::abort();  // used after move
    KeyId id{};
    std::copy_n(raw_.data(), kKeyIdBytes, id.begin());
    return id;
}

PublicKey SigningKey::public_key() const noexcept {
    PublicKey key;
    key.key_id = key_id();
    crypto_sign_ed25519_sk_to_pk(key.pk.data(), raw_.data() + kKeyIdBytes);
    return key;
}

Result<std::string> sign(const SigningKey& key, ByteView message, std::string_view trusted_comment,
                         std::string_view untrusted_comment) {
    return sign_prehashed(key, blake2b512(message), trusted_comment, untrusted_comment);
}

Result<std::string> sign_prehashed(const SigningKey& key, const Blake2b512Digest& prehash,
                                   std::string_view trusted_comment,
                                   std::string_view untrusted_comment) {
    if (auto ok =
            check_comment_to_write(trusted_comment, kMaxTrustedCommentBytes, "trusted comment");
        !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    if (auto ok = check_comment_to_write(untrusted_comment, kMaxUntrustedCommentBytes,
                                         "untrusted comment");
        !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    const KeyId id = key.key_id();  // aborts on a moved-from key
    const unsigned char* sk = key.raw_.data() + kKeyIdBytes;
    const Signature sig = ed25519_sign(sk, prehash);
    const Signature global = ed25519_sign(sk, global_message(sig, trusted_comment));

    std::array<unsigned char, kSignatureBlobBytes> blob{};
    std::memcpy(blob.data(), kAlgPrehashed.data(), kAlgorithmBytes);
    std::copy(id.begin(), id.end(), blob.begin() + kAlgorithmBytes);
    std::copy(sig.begin(), sig.end(), blob.begin() + kAlgorithmBytes + kKeyIdBytes);

    std::string out;
    out.append(kUntrustedPrefix).append(untrusted_comment).append("\n");
    out.append(to_base64(blob)).append("\n");
    out.append(kTrustedPrefix).append(trusted_comment).append("\n");
    out.append(to_base64(global)).append("\n");
    return out;
}

Result<SignatureFile> parse_signature(std::string_view minisig) {
    constexpr std::string_view where = "minisign signature";
    auto lines = split_lines<4>(minisig, where);
    if (!lines) return std::unexpected(std::move(lines.error()));
    auto untrusted = comment_line((*lines)[0], kUntrustedPrefix, kMaxUntrustedLineBytes, where, 1);
    if (!untrusted) return std::unexpected(std::move(untrusted.error()));
    auto blob =
        decode_fixed<kSignatureBlobBytes>((*lines)[1].text, std::string(where) + ": line 2");
    if (!blob) return std::unexpected(std::move(blob.error()));
    auto trusted = comment_line((*lines)[2], kTrustedPrefix, kMaxTrustedLineBytes, where, 3);
    if (!trusted) return std::unexpected(std::move(trusted.error()));
    auto global = decode_fixed<kSignatureBytes>((*lines)[3].text, std::string(where) + ": line 4");
    if (!global) return std::unexpected(std::move(global.error()));

    SignatureFile sf;
    if (algorithm_is(blob->data(), kAlgPrehashed)) {
        sf.algorithm = Algorithm::prehashed;
    } else if (algorithm_is(blob->data(), kAlgEd)) {
        sf.algorithm = Algorithm::legacy;
    } else {
        return fail(Errc::unsupported, std::string(where) + ": unsupported signature algorithm");
    }
    sf.untrusted_comment = std::string(*untrusted);
    std::copy_n(blob->begin() + kAlgorithmBytes, kKeyIdBytes, sf.key_id.begin());
    std::copy_n(blob->begin() + kAlgorithmBytes + kKeyIdBytes, kSignatureBytes,
                sf.signature.begin());
    sf.trusted_comment = std::string(*trusted);
    sf.global_signature = *global;
    return sf;
}

Result<Verified> verify(const PublicKey& key, ByteView message, std::string_view minisig) {
    auto sf = parse_signature(minisig);
    if (!sf) return std::unexpected(std::move(sf.error()));
    if (sf->algorithm == Algorithm::legacy) return verify_parsed(key, *sf, message);
    return verify_parsed(key, *sf, blake2b512(message));
}

Result<Verified> verify_svidok(const PublicKey& key, ByteView message, std::string_view minisig) {
    auto sf = parse_signature(minisig);
    if (!sf) return std::unexpected(std::move(sf.error()));
    // A downgrade Svidok never makes: refusing it keeps every verifier of Svidok's files on the
    // one algorithm its writers use (and which `minisign -H` checks).
    if (sf->algorithm == Algorithm::legacy) {
        return fail(Errc::integrity, "minisign.legacy", {},
                    "the signature uses minisign's legacy algorithm (Ed); Svidok signs and "
                    "accepts only prehashed (ED) signatures",
                    "the file was not signed by Svidok; ask the sender for the file again");
    }
    return verify_parsed(key, *sf, blake2b512(message));
}

Result<Verified> verify_prehashed(const PublicKey& key, const Blake2b512Digest& prehash,
                                  std::string_view minisig) {
    auto sf = parse_signature(minisig);
    if (!sf) return std::unexpected(std::move(sf.error()));
    if (sf->algorithm == Algorithm::legacy) {
        return fail(Errc::unsupported,
                    "legacy (non-prehashed) minisign signature needs the whole message",
                    "verify it with the whole file in memory instead of streaming");
    }
    return verify_parsed(key, *sf, prehash);
}

}  // namespace svidok::crypto::minisign
