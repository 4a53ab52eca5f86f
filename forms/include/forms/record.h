// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Signed documents of a testimony (docs/FORMAT.md section 9): the record version and the
// withdrawal of consent, their canonical bytes, their minisign signatures and their checks.
// No I/O: storage is store/records.h.

#include <array>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/error.h"
#include "crypto/hash.h"
#include "crypto/minisign.h"
#include "forms/json.h"

namespace svidok::forms {

inline constexpr std::size_t kRecordIdBytes = 16;
using RecordId = std::array<unsigned char, kRecordIdBytes>;

inline constexpr std::string_view kRecordSchema = "svidok-record/1";
/// The largest canonical answers a vault stores or seals (docs/FORMAT.md 9.1).
inline constexpr std::size_t kMaxAnswersBytes = 16u << 20;
inline constexpr std::string_view kWithdrawalSchema = "svidok-withdrawal/1";

/// A fresh random record id.
[[nodiscard]] RecordId random_record_id();
/// 32 lowercase hex digits.
[[nodiscard]] std::string format_record_id(const RecordId& id);
/// Exactly 32 hex digits (either case). Errc::invalid otherwise.
[[nodiscard]] Result<RecordId> parse_record_id(std::string_view text);

/// Who signed a document, where in the log it sits, and the device clock when it was signed
/// (the members shared by every document of section 9).
struct SealStamp {
    std::string device;  // log origin "svidok.device/<16 hex>"
    crypto::minisign::KeyId signer{};
    std::uint64_t sequence = 0;
    std::string sealed_at;   // "YYYY-MM-DDThh:mm:ssZ"
    std::string utc_offset;  // "+hh:mm" / "-hh:mm"

    friend bool operator==(const SealStamp&, const SealStamp&) = default;
};

/// The device clock now: UTC time and the local zone offset.
[[nodiscard]] std::pair<std::string, std::string> device_clock_now();

/// The same for the time `t`: "YYYY-MM-DDThh:mm:ssZ" and the local zone's offset then.
[[nodiscard]] std::pair<std::string, std::string> device_clock_at(std::time_t t);

struct AttachmentRef {
    std::string name;
    std::string media_type;
    std::uint64_t size = 0;
    crypto::Sha256Digest sha256{};

    friend bool operator==(const AttachmentRef&, const AttachmentRef&) = default;
};

struct RecordDocument {
    RecordId record{};
    std::int64_t version = 1;
    std::optional<crypto::Sha256Digest> previous;  // nullopt exactly for version 1
    std::string form_id;
    std::int64_t form_version = 0;
    crypto::Sha256Digest form_sha256{};
    SealStamp stamp;
    json::Value answers;                     // an object
    std::vector<AttachmentRef> attachments;  // ascending by sha256, distinct

    friend bool operator==(const RecordDocument&, const RecordDocument&) = default;
};

struct WithdrawalDocument {
    RecordId record{};
    std::int64_t version = 1;  // the latest sealed version when consent was withdrawn
    crypto::Sha256Digest version_sha256{};
    SealStamp stamp;

    friend bool operator==(const WithdrawalDocument&, const WithdrawalDocument&) = default;
};

/// The canonical bytes (docs/FORMAT.md 9.1, 9.2). Errc::invalid when a value breaks the
/// format (the message names the member).
[[nodiscard]] Result<std::string> encode_record(const RecordDocument& doc);
[[nodiscard]] Result<std::string> encode_withdrawal(const WithdrawalDocument& doc);

/// Reads a document: the bytes must be exactly canonical and follow 9.1 / 9.2.
/// Errc::corrupt for malformed JSON, Errc::invalid for anything else, naming the member.
[[nodiscard]] Result<RecordDocument> parse_record(std::string_view bytes);
[[nodiscard]] Result<WithdrawalDocument> parse_withdrawal(std::string_view bytes);

/// The trusted comments of docs/FORMAT.md 9.3.
[[nodiscard]] std::string record_trusted_comment(const RecordId& id, std::int64_t version);
[[nodiscard]] std::string withdrawal_trusted_comment(const RecordId& id, std::int64_t version);

/// Signs canonical document bytes (prehashed minisign, 9.3); returns the .minisig text.
[[nodiscard]] Result<std::string> sign_document(const crypto::minisign::SigningKey& key,
                                                std::string_view bytes,
                                                std::string_view trusted_comment);

/// The Ed25519 signature inside a .minisig (what a log leaf carries).
[[nodiscard]] Result<crypto::minisign::Signature> document_signature(std::string_view minisig);

/// Verifies one record version (docs/FORMAT.md 9.5): canonical, well formed, signed by `key`
/// with the prehashed algorithm and the exact trusted comment. Errc::integrity when the
/// signature or comment does not verify, else as parse_record.
[[nodiscard]] Result<RecordDocument> verify_record(std::string_view bytes, std::string_view minisig,
                                                   const crypto::minisign::PublicKey& key);
[[nodiscard]] Result<WithdrawalDocument> verify_withdrawal(std::string_view bytes,
                                                           std::string_view minisig,
                                                           const crypto::minisign::PublicKey& key);

/// Checks that `next` directly follows `prev` (whose canonical bytes hash to `prev_sha256`):
/// same record, form id and device; version + 1; `previous` = prev_sha256. Errc::integrity.
[[nodiscard]] Result<void> check_chain_link(const RecordDocument& prev,
                                            const crypto::Sha256Digest& prev_sha256,
                                            const RecordDocument& next);

}  // namespace svidok::forms
