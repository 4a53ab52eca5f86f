// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed statement "the log named
// <origin> has <size> entries and this root hash" (FORMAT.md section 7). The body is a signed
// note text:
//
//   <origin>\n<tree size, decimal>\n<base64 root hash>\n[<extension line>\n ...]
//
// Svidok's origin is "svidok.device/<16 lowercase hex digits>": a random device id that
// names no person and no place. The log key signs with key name = origin.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/merkle.h"
#include "crypto/secure_buffer.h"
#include "crypto/signed_note.h"

namespace svidok::crypto {

inline constexpr std::string_view kSvidokOriginPrefix = "svidok.device/";
inline constexpr std::size_t kDeviceIdBytes = 8;

using DeviceId = std::array<unsigned char, kDeviceIdBytes>;

struct Checkpoint {
    std::string origin;
    std::uint64_t size = 0;
    MerkleHash root{};
    std::vector<std::string> extensions;  // opaque; Svidok writes none

    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

/// A checkpoint whose log signature verified, with the cosignatures by known keys.
struct OpenedCheckpoint {
    Checkpoint checkpoint;
    std::vector<VerifiedNoteSignature> cosignatures;  // type 0x04 only, with timestamps
};

/// "svidok.device/" followed by the id in lowercase hex.
[[nodiscard]] std::string svidok_device_origin(const DeviceId& device_id);
/// The device id of a Svidok origin. Errors: invalid if the origin is not exactly
/// "svidok.device/" and 16 lowercase hex digits.
[[nodiscard]] Result<DeviceId> parse_svidok_device_origin(std::string_view origin);

/// The note text of a checkpoint. Errors: invalid if the origin is not a valid key name (so
/// the log can sign under it) or an extension line is empty or holds a newline or control
/// character.
[[nodiscard]] Result<std::string> format_checkpoint(const Checkpoint& checkpoint);
/// Strict: at least three lines each ending in \n; non-empty origin; size in decimal without
/// sign, spaces or leading zeros (except "0") that fits 64 bits; root the canonical Base64 of
/// 32 bytes; non-empty extension lines. Errors: corrupt, naming the line.
[[nodiscard]] Result<Checkpoint> parse_checkpoint(std::string_view text);

/// A signed note of the checkpoint, signed with Ed25519 (type 0x01) by the log key under the
/// key name = origin. Errors: as format_checkpoint and sign_note.
[[nodiscard]] Result<std::string> sign_checkpoint(const Checkpoint& checkpoint,
                                                  const SecureBuffer& log_secret_key);

/// Adds a cosignature/v1 line to a signed checkpoint, after checking that its text is a
/// checkpoint. Open and check the checkpoint (its signature, its consistency with what was
/// seen before) first: the cosignature states exactly that. Errors: as parse_checkpoint and
/// cosign_note.
[[nodiscard]] Result<std::string> cosign_checkpoint(std::string_view signed_checkpoint,
                                                    std::string_view cosigner_name,
                                                    const SecureBuffer& cosigner_secret_key,
                                                    std::uint64_t timestamp);

/// Verifies a signed checkpoint with `known` keys and parses its body. It must carry a valid
/// Ed25519 (type 0x01) signature by a known key whose name is the checkpoint's origin: a
/// cosignature alone, or a log key vouching for another origin, does not open it. Errors: as
/// open_note and parse_checkpoint; auth_failed if no known key of that origin signed.
[[nodiscard]] Result<OpenedCheckpoint> open_checkpoint(std::string_view signed_checkpoint,
                                                       std::span<const NoteVerifier> known);

}  // namespace svidok::crypto
