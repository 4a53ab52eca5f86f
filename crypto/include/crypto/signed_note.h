// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 signatures, type 0x01, and
// Ed25519 cosignature/v1 (https://c2sp.org/tlog-cosignature), type 0x04: FORMAT.md section 7.
//
//   <text ending in \n>
//   \n
//   — <key name> base64(key id (4 bytes, big-endian) || signature)\n     (one or more lines)
//
// The key id is SHA-256(key name || "\n" || type || 32-byte public key)[:4]. A verifier key is
// the text "<key name>+<key id, 8 lowercase hex digits>+base64(type || public key)".

#include <sodium.h>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::crypto {

inline constexpr unsigned char kNoteTypeEd25519 = 0x01;
inline constexpr unsigned char kNoteTypeCosignatureV1 = 0x04;
inline constexpr std::size_t kNoteKeyIdBytes = 4;
inline constexpr std::size_t kNotePublicKeyBytes = crypto_sign_PUBLICKEYBYTES;  // 32
/// libsodium's Ed25519 secret key: 32-byte seed || 32-byte public key.
inline constexpr std::size_t kNoteSecretKeyBytes = crypto_sign_SECRETKEYBYTES;  // 64
inline constexpr std::size_t kNoteEd25519SignatureBytes = crypto_sign_BYTES;    // 64
/// A cosignature is an 8-byte big-endian POSIX timestamp followed by the Ed25519 signature.
inline constexpr std::size_t kCosignatureBytes = 8 + kNoteEd25519SignatureBytes;
inline constexpr std::uint64_t kMaxCosignatureTimestamp = (std::uint64_t{1} << 63) - 1;
/// The spec asks verifiers to accept at least 16 signatures and to bound the work; Svidok
/// writes at most a log signature and a few cosignatures.
inline constexpr std::size_t kMaxNoteSignatures = 100;
inline constexpr std::size_t kMaxNoteBytes = std::size_t{1} << 20;
/// U+2014 EM DASH and a space open every signature line.
inline constexpr std::string_view kNoteSignaturePrefix = "\xE2\x80\x94 ";

using NotePublicKey = std::array<unsigned char, kNotePublicKeyBytes>;

/// A key whose signatures count: a pinned device log key (type 0x01) or a legal team's
/// cosigning key (type 0x04). The same Ed25519 key has a different key id under each type.
struct NoteVerifier {
    std::string name;
    unsigned char type = kNoteTypeEd25519;
    NotePublicKey public_key{};

    friend bool operator==(const NoteVerifier&, const NoteVerifier&) = default;
};

/// One signature line. `signature` excludes the 4-byte key id.
struct NoteSignature {
    std::string name;
    std::uint32_t key_id = 0;
    Bytes signature;

    friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

/// A note split into its parts, signatures not yet checked.
struct Note {
    std::string text;  // includes the final newline, not the blank separator line
    std::vector<NoteSignature> signatures;
};

/// A signature by a known key that verified.
struct VerifiedNoteSignature {
    std::string name;
    std::uint32_t key_id = 0;
    unsigned char type = kNoteTypeEd25519;
    std::optional<std::uint64_t> timestamp;  // cosignatures only: when the cosigner signed
};

/// The text of a note that a known key signed.
struct OpenedNote {
    std::string text;
    std::vector<VerifiedNoteSignature> verified;  // one per key, in note order
    std::vector<NoteSignature> unknown;           // signatures by keys not in the known list
};

/// Key names must be non-empty UTF-8 without Unicode spaces, '+' or control characters.
/// Errors: invalid, naming the offending byte offset.
[[nodiscard]] Result<void> check_note_key_name(std::string_view name);

/// Note text must be non-empty UTF-8 ending in \n, without control characters other than \n,
/// at most kMaxNoteBytes. Errors: invalid, naming the offending byte offset.
[[nodiscard]] Result<void> check_note_text(std::string_view text);

/// SHA-256(name || "\n" || type || public_key) read as a big-endian uint32.
[[nodiscard]] std::uint32_t note_key_id(std::string_view name, unsigned char type,
                                        const NotePublicKey& public_key) noexcept;

/// The verifier for the public half of a 64-byte libsodium Ed25519 secret key.
/// Errors: invalid name; usage if the key is not 64 bytes or `type` is not 0x01 or 0x04.
[[nodiscard]] Result<NoteVerifier> note_verifier_for(std::string_view name, unsigned char type,
                                                     const SecureBuffer& secret_key);

/// "<name>+<key id hex>+<base64(type || public key)>". Errors: invalid name, usage type.
[[nodiscard]] Result<std::string> format_verifier_key(const NoteVerifier& verifier);
/// Strict inverse of format_verifier_key. Errors: corrupt (shape, hex, Base64, length),
/// invalid (name), unsupported (a type other than 0x01 and 0x04), integrity (the key id does
/// not match the name and key: a mistyped or tampered key).
[[nodiscard]] Result<NoteVerifier> parse_verifier_key(std::string_view text);

/// Splits a signed note into text and signature lines without verifying anything, enforcing
/// the format: valid UTF-8, no control characters but \n, at most kMaxNoteBytes, text ending
/// in \n, the last blank line separating one or more well-formed signature lines, at most
/// kMaxNoteSignatures of them. Errors: corrupt, with what and where.
[[nodiscard]] Result<Note> parse_note(std::string_view note);
/// The exact bytes of a note; parse_note gives the same Note back. Errors: invalid (text, key
/// names, no or empty signatures, too many signatures, too large).
[[nodiscard]] Result<std::string> format_note(const Note& note);

/// A note with one Ed25519 (type 0x01) signature over `text` (which must end in \n).
/// Errors: invalid text or name; usage if the key is not 64 bytes; internal if the key's two
/// halves do not belong together (the fresh signature does not verify).
[[nodiscard]] Result<std::string> sign_note(std::string_view text, std::string_view name,
                                            const SecureBuffer& secret_key);

/// The cosignature/v1 message: "cosignature/v1\ntime <decimal>\n" || text.
[[nodiscard]] std::string cosignature_message(std::uint64_t timestamp, std::string_view text);

/// Appends a cosignature/v1 (type 0x04) line for `name` to a signed note, replacing an earlier
/// line by the same name and key id. It does not verify the existing signatures: open the
/// note first. Errors: as parse_note and sign_note; usage if timestamp > 2^63-1.
[[nodiscard]] Result<std::string> cosign_note(std::string_view note, std::string_view name,
                                              const SecureBuffer& secret_key,
                                              std::uint64_t timestamp);

/// Checks one cosignature line over `text` with a type 0x04 verifier whose name and key id
/// match the line, and returns its timestamp. Errors: usage if the verifier does not match
/// the line or is not type 0x04; integrity if the signature is malformed or does not verify.
[[nodiscard]] Result<std::uint64_t> verify_cosignature(std::string_view text,
                                                       const NoteSignature& signature,
                                                       const NoteVerifier& cosigner);

/// Parses a note and checks every signature made by a known key (same name and key id).
/// Signatures by other keys are ignored and listed in `unknown`, as the spec requires.
/// Errors: corrupt (as parse_note); integrity if any signature by a known key fails;
/// usage if two known keys share a name and key id; auth_failed if no known key signed.
[[nodiscard]] Result<OpenedNote> open_note(std::string_view note,
                                           std::span<const NoteVerifier> known);

}  // namespace svidok::crypto
