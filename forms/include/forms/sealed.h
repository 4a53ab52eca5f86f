// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sealed answers (docs/FORMAT.md 9.6, docs/FORMS.md 3.8). At sealing, the answer of every
// outermost sensitive field (the witness's real name, contact, address, ...) is encrypted with
// age to the legal team and replaced by a marker holding the ciphertext and a salted
// commitment bound to the record and the field; the device then holds no readable copy. The
// legal team opens the markers with its key and checks each value against its commitment.
// No I/O: the store supplies the recipients and the identity.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/age.h"
#include "crypto/encoding.h"
#include "crypto/error.h"
#include "crypto/hash.h"
#include "forms/form.h"
#include "forms/json.h"
#include "forms/record.h"

namespace svidok::forms {

inline constexpr std::string_view kSealedSchema = "svidok-sealed/1";
/// The member that makes an object a marker; `$` cannot start a field id.
inline constexpr std::string_view kSealedMember = "$sealed";
inline constexpr std::string_view kSealedCommitmentContext = "svidok sealed answer v1\n";
inline constexpr std::size_t kSealedSaltBytes = 32;
/// The plaintext's length is a multiple of this, so a ciphertext's length hides a name's.
inline constexpr std::size_t kSealedPadBlock = 256;
/// What the device shows instead of a sealed answer.
inline constexpr std::string_view kSealedPlaceholder = "[sealed for the legal team]";

/// What a well-formed marker holds.
struct SealedMarker {
    crypto::Bytes age;  // a binary age v1 file
    crypto::Sha256Digest commitment{};
};

/// True when `value` is an object with a "$sealed" member, well formed or not.
[[nodiscard]] bool is_sealed_marker(const json::Value& value) noexcept;

/// Reads a marker (docs/FORMS.md 3.8): exactly {"$sealed": {"age", "commitment"}}, `age`
/// canonical padded Base64 of at least one byte, `commitment` 64 lowercase hex digits.
/// Errc::invalid saying what is wrong (never quoting the content).
[[nodiscard]] Result<SealedMarker> parse_sealed_marker(const json::Value& value);

/// The marker object for `marker`.
[[nodiscard]] json::Value sealed_marker_value(const SealedMarker& marker);

/// A sensitive field whose parent is not sensitive: where answers are sealed.
[[nodiscard]] bool is_outermost_sensitive(const FormDefinition& form, std::size_t field) noexcept;

/// The field key of docs/FORMAT.md 9.6: the ids from the top down to `field`, joined by '.',
/// without repeat indexes ("witness.real_name", "victims.victim_name").
[[nodiscard]] std::string field_key(const FormDefinition& form, std::size_t field);

/// SHA-256("svidok sealed answer v1\n" || record || u32le(len key) || key || salt ||
/// canonical_value), docs/FORMAT.md 9.6.
[[nodiscard]] crypto::Sha256Digest sealed_commitment(const RecordId& record,
                                                     std::string_view field_key,
                                                     crypto::ByteView salt,
                                                     std::string_view canonical_value);

/// How many answers seal_answers() would encrypt: outermost sensitive fields that are visible
/// and hold a value (not null, not absent) that is not a marker yet.
[[nodiscard]] std::size_t answers_to_seal(const FormDefinition& form, const json::Value& answers);

/// `answers` with every answer answers_to_seal() counts replaced by a fresh marker sealed to
/// `recipients` (in the order given, one age stanza each); markers already present are kept
/// byte for byte. Meant for answers that validate (docs/FORMS.md 3.7). Errors: Errc::usage
/// when something is to be sealed and `recipients` is empty; Errc::invalid when a value is
/// outside the JSON profile; the age encryptor's errors.
[[nodiscard]] Result<json::Value> seal_answers(const FormDefinition& form, const RecordId& record,
                                               const json::Value& answers,
                                               std::span<const crypto::X25519Recipient> recipients);

enum class SealedStatus {
    opened,           // decrypted and checked against its commitment: the value is shown
    not_a_recipient,  // the identity is not among the age recipients
    damaged,          // malformed, sealed for another record or field, or commitment mismatch
};

/// "opened", "not_a_recipient", "damaged".
[[nodiscard]] std::string_view sealed_status_name(SealedStatus status) noexcept;

/// What became of one marker.
struct SealedReport {
    std::string path;       // where it stands: "victims[0].victim_name"
    std::string field_key;  // "victims.victim_name"
    SealedStatus status = SealedStatus::damaged;
    std::string problem;  // damaged: which check failed, in English, never quoting the content
};

struct OpenedAnswers {
    /// The answers with every opened marker replaced by its verified value; the others as they
    /// were.
    json::Value answers;
    /// One per marker, in the order they stand in the answers (for a signed document, the
    /// canonical order of its members).
    std::vector<SealedReport> units;
};

/// Opens every marker in `answers` (any object with a "$sealed" member, at any depth) with
/// `identity` and checks it as docs/FORMAT.md 9.6 says, against `record` and the field key of
/// the marker's place. Never fails: each marker gets its status.
[[nodiscard]] OpenedAnswers open_sealed_answers(const RecordId& record, const json::Value& answers,
                                                const crypto::X25519Identity& identity);

/// How many markers `answers` holds, at any depth.
[[nodiscard]] std::size_t count_sealed_markers(const json::Value& answers) noexcept;

/// A copy of `answers` with every marker replaced by the string kSealedPlaceholder, for
/// display on the device.
[[nodiscard]] json::Value with_sealed_placeholders(const json::Value& answers);

}  // namespace svidok::forms
