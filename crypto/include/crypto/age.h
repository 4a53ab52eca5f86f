// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// age v1 file encryption (age-encryption.org/v1, the C2SP age spec), docs/FORMAT.md section 8.
// Svidok writes files to X25519 recipients ("age1..."), binary by default, optionally in the
// ASCII armor; it reads binary or armored files with X25519 identities ("AGE-SECRET-KEY-1...")
// or, for scrypt stanzas, a passphrase. Encryption and decryption stream in constant memory:
// one 64 KiB chunk is buffered at a time, and the decryptor releases only authenticated chunks.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::crypto {

inline constexpr std::size_t kAgeFileKeyBytes = 16;
inline constexpr std::size_t kAgePayloadNonceBytes = 16;
inline constexpr std::size_t kAgeChunkBytes = 64 * 1024;  // plaintext bytes per STREAM chunk
inline constexpr std::size_t kAgeTagBytes = 16;           // Poly1305 tag per chunk
/// Limits on what the decryptor accepts (documented in FORMAT.md section 8).
inline constexpr std::size_t kAgeMaxHeaderBytes = 1024 * 1024;
inline constexpr std::size_t kAgeMaxStanzas = 1024;
inline constexpr unsigned kAgeMaxScryptLog2N = 22;           // scrypt N <= 2^22 (4 GiB of memory)
inline constexpr std::size_t kAgeMaxArmorWhitespace = 1024;  // before and after the armor
inline constexpr std::size_t kX25519KeyBytes = 32;
inline constexpr std::string_view kAgeRecipientHrp = "age";
inline constexpr std::string_view kAgeIdentityHrp = "AGE-SECRET-KEY-";

/// An X25519 public key that files are encrypted to.
struct X25519Recipient {
    std::array<unsigned char, kX25519KeyBytes> pk{};

    /// Parses "age1..." (lowercase Bech32, hrp "age", 32 bytes). Errors: Errc::corrupt with
    /// the Bech32 or length problem.
    [[nodiscard]] static Result<X25519Recipient> parse(std::string_view text);
    /// The "age1..." form.
    [[nodiscard]] std::string to_string() const;
    friend bool operator==(const X25519Recipient&, const X25519Recipient&) = default;
};

/// An X25519 secret key that opens files encrypted to its recipient. Move-only; the secret
/// lives in a SecureBuffer.
class X25519Identity {
public:
    /// A fresh random identity.
    [[nodiscard]] static X25519Identity generate();
    /// Parses "AGE-SECRET-KEY-1..." (uppercase Bech32, 32 bytes). Errors: Errc::corrupt
    /// (the message never quotes the key), Errc::unsupported for other age identity types
    /// ("AGE-SECRET-KEY-PQ-1...", "AGE-PLUGIN-...").
    [[nodiscard]] static Result<X25519Identity> parse(std::string_view text);
    /// Wraps 32 raw secret bytes (as stored in the vault). Errors: Errc::usage on a wrong size.
    [[nodiscard]] static Result<X25519Identity> from_secret(std::span<const unsigned char> secret);

    [[nodiscard]] const X25519Recipient& recipient() const noexcept { return recipient_; }
    /// The "AGE-SECRET-KEY-1..." form, in secure memory.
    [[nodiscard]] SecureBuffer to_string() const;
    /// The 32 raw secret bytes.
    [[nodiscard]] std::span<const unsigned char> secret() const noexcept { return sk_.span(); }

private:
    X25519Identity(SecureBuffer sk, const X25519Recipient& recipient)
        : sk_(std::move(sk)), recipient_(recipient) {}
    SecureBuffer sk_;
    X25519Recipient recipient_;
};

/// Parses an identity file as age-keygen writes it: one "AGE-SECRET-KEY-1..." per line, lines
/// starting with '#' and empty lines ignored, LF or CRLF line ends. Errors: Errc::corrupt or
/// Errc::unsupported naming the line number (never its content), Errc::not_found when the file
/// holds no identity.
[[nodiscard]] Result<std::vector<X25519Identity>> parse_identity_file(std::string_view text);

/// The age-keygen file format for `id`: "# public key: age1...\nAGE-SECRET-KEY-1...\n".
[[nodiscard]] SecureBuffer identity_file_text(const X25519Identity& id);

/// Receives output bytes in order. An error stops the operation and is passed back unchanged.
using ByteSink = std::function<Result<>(ByteView)>;

enum class AgeOutput { binary, armored };
/// `detect` treats input starting with '-' or whitespace as armored, anything else as binary.
enum class AgeInput { detect, binary, armored };

/// Starts an age file: draws a fresh 16-byte file key and payload nonce, wraps the file key for
/// every recipient and writes the header to the sink. Feed the plaintext with write(), then
/// call finish(); output is complete only after finish() succeeds.
class AgeEncryptor {
public:
    /// Errors: Errc::usage when `recipients` is empty, Errc::invalid for a recipient that is a
    /// low-order point, or the sink's error.
    [[nodiscard]] static Result<AgeEncryptor> create(std::span<const X25519Recipient> recipients,
                                                     ByteSink sink,
                                                     AgeOutput output = AgeOutput::binary);
    /// Encrypts more plaintext; each 64 KiB chunk is emitted once later input shows it is not
    /// the last. Errors: the sink's error; Errc::usage after finish() or an earlier error.
    [[nodiscard]] Result<> write(ByteView plaintext);
    /// Encrypts the final chunk (empty only when the whole payload is) and closes the armor.
    /// Errors as write().
    [[nodiscard]] Result<> finish();

    AgeEncryptor(AgeEncryptor&&) noexcept;
    AgeEncryptor& operator=(AgeEncryptor&&) noexcept;
    ~AgeEncryptor();

private:
    struct State;
    explicit AgeEncryptor(std::unique_ptr<State> state);
    std::unique_ptr<State> s_;
};

/// Which step of decryption failed, age testkit terms. The Errc of the error says the same in
/// general terms: armor and header -> corrupt (unsupported for another age version, invalid for
/// a limit), no_match -> auth_failed, header_mac and payload -> integrity.
enum class AgeFailure {
    none,
    armor,       // the ASCII armor is malformed
    header,      // the header does not parse or a stanza addressed to us is malformed
    no_match,    // the file is not addressed to any identity we hold
    header_mac,  // the header was altered (or the file key is wrong)
    payload,     // the payload was altered, truncated or extended
    sink,        // the output sink failed (its own error is returned)
};
[[nodiscard]] const char* age_failure_name(AgeFailure failure) noexcept;

/// What may open a file. Both are referenced, not copied, and must outlive the decryptor.
struct AgeIdentities {
    std::span<const X25519Identity> x25519{};
    const SecureBuffer* passphrase = nullptr;  // tried only on a file with one scrypt stanza
};

/// Decrypts an age file fed in pieces of any size. Plaintext goes to the sink one authenticated
/// chunk at a time, so a failure can come after some plaintext was released: the output is
/// trustworthy only once finish() succeeds. After the first error every call returns it again.
class AgeDecryptor {
public:
    AgeDecryptor(AgeIdentities identities, ByteSink sink, AgeInput input = AgeInput::detect);

    /// Consumes more of the file. Errors: see AgeFailure and failure().
    [[nodiscard]] Result<> feed(ByteView data);
    /// Declares the end of the file and checks it ends where the format says. Errors as feed().
    [[nodiscard]] Result<> finish();
    /// Plaintext bytes handed to the sink so far.
    [[nodiscard]] std::uint64_t released() const noexcept;
    /// The step that failed, or none.
    [[nodiscard]] AgeFailure failure() const noexcept;

    AgeDecryptor(AgeDecryptor&&) noexcept;
    AgeDecryptor& operator=(AgeDecryptor&&) noexcept;
    ~AgeDecryptor();

private:
    struct State;
    std::unique_ptr<State> s_;
};

/// One-shot AgeEncryptor.
[[nodiscard]] Result<Bytes> age_encrypt(std::span<const X25519Recipient> recipients,
                                        ByteView plaintext, AgeOutput output = AgeOutput::binary);
/// One-shot AgeDecryptor; the plaintext is returned in secure memory.
[[nodiscard]] Result<SecureBuffer> age_decrypt(AgeIdentities identities, ByteView file,
                                               AgeInput input = AgeInput::detect);

}  // namespace svidok::crypto
