// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The leaf bytes of the device log (docs/FORMAT.md 10.1): one fixed-size entry per signed
// document, holding identifiers, the document's hash and its signature, never content.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/error.h"
#include "crypto/hash.h"
#include "crypto/merkle.h"
#include "crypto/minisign.h"
#include "forms/record.h"

namespace svidok::forms {

inline constexpr std::size_t kLogLeafBytes = 122;
inline constexpr unsigned char kLogLeafVersion = 1;

enum class LeafKind : unsigned char { record_version = 1, withdrawal = 2 };

/// The kind's name for messages and JSON ("record version", "withdrawal").
[[nodiscard]] std::string_view leaf_kind_name(LeafKind kind) noexcept;

struct LogLeaf {
    LeafKind kind = LeafKind::record_version;
    std::uint64_t sequence = 0;
    RecordId record{};
    crypto::Sha256Digest document_sha256{};
    crypto::minisign::Signature signature{};

    [[nodiscard]] std::array<unsigned char, kLogLeafBytes> encode() const noexcept;
    /// Strict: exact size, version 1, a known kind. Errc::corrupt otherwise.
    [[nodiscard]] static Result<LogLeaf> decode(crypto::ByteView bytes);

    friend bool operator==(const LogLeaf&, const LogLeaf&) = default;
};

/// The leaf a signed document stands for: its kind, sequence, record, SHA-256 of `bytes` and
/// the signature inside `minisig`.
[[nodiscard]] Result<LogLeaf> leaf_for_document(LeafKind kind, const SealStamp& stamp,
                                                const RecordId& record, std::string_view bytes,
                                                std::string_view minisig);

}  // namespace svidok::forms

namespace svidok::forms {

inline constexpr std::string_view kInclusionSchema = "svidok-inclusion/1";
inline constexpr std::string_view kConsistencySchema = "svidok-consistency/1";

/// docs/FORMAT.md 10.3.
struct InclusionProof {
    std::uint64_t leaf_index = 0;
    std::uint64_t tree_size = 0;
    LogLeaf leaf;
    crypto::MerkleProof proof;

    /// Canonical JSON.
    [[nodiscard]] Result<std::string> to_json() const;
    /// Strict; Errc::corrupt / invalid naming the member.
    [[nodiscard]] static Result<InclusionProof> parse(std::string_view json);
    /// Checks the proof against a checkpoint's size and root (taken from a verified
    /// checkpoint). Errc::integrity on mismatch.
    [[nodiscard]] Result<void> verify(std::uint64_t checkpoint_size,
                                      const crypto::MerkleHash& checkpoint_root) const;
};

struct ConsistencyProof {
    std::uint64_t from_size = 0;
    std::uint64_t to_size = 0;
    crypto::MerkleProof proof;

    [[nodiscard]] Result<std::string> to_json() const;
    [[nodiscard]] static Result<ConsistencyProof> parse(std::string_view json);
    /// Checks the proof between two verified checkpoints. Errc::integrity on mismatch.
    [[nodiscard]] Result<void> verify(const crypto::MerkleHash& from_root,
                                      const crypto::MerkleHash& to_root) const;
};

}  // namespace svidok::forms
