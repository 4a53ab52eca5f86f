// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The signed documents that travel with bundles (docs/FORMAT.md sections 12 and 13): the bundle
// manifest and the receipt, as canonical JSON; the entry names inside a bundle; the padding
// rule. No I/O: store/bundles.h reads and writes the files.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/age.h"
#include "crypto/error.h"
#include "crypto/hash.h"
#include "crypto/merkle.h"
#include "crypto/minisign.h"
#include "crypto/signed_note.h"
#include "forms/log_leaf.h"
#include "forms/record.h"

namespace svidok::forms {

inline constexpr std::string_view kBundleSchema = "svidok-bundle/1";
inline constexpr std::string_view kReceiptSchema = "svidok-receipt/1";
inline constexpr std::size_t kBundleIdBytes = 16;
using BundleId = std::array<unsigned char, kBundleIdBytes>;

/// Fixed entry names (docs/FORMAT.md 12.4 and 13).
inline constexpr std::string_view kManifestPath = "manifest.json";
inline constexpr std::string_view kManifestSigPath = "manifest.json.minisig";
inline constexpr std::string_view kCheckpointPath = "log/checkpoint";
inline constexpr std::string_view kPaddingPath = "padding";
inline constexpr std::string_view kReceiptPath = "receipt.json";
inline constexpr std::string_view kReceiptSigPath = "receipt.json.minisig";
inline constexpr std::string_view kBundleSuffix = ".age";
inline constexpr std::string_view kSignatureSuffix = ".minisig";
inline constexpr std::string_view kReceiptSuffix = ".receipt.age";
/// Limits a reader applies (docs/FORMAT.md 12.7).
inline constexpr std::uint64_t kMaxManifestBytes = 16u << 20;
inline constexpr std::uint64_t kMaxJsonEntryBytes = 64u << 20;
/// All the JSON entries of one bundle together (documents, signatures, proofs, checkpoint):
/// what an import or a verification holds in memory at once (docs/FORMAT.md 12.7). About
/// 35,000 documents with their proofs, as many as a 16 MiB manifest can list.
inline constexpr std::uint64_t kMaxJsonTotalBytes = 160u << 20;
inline constexpr std::size_t kMaxBundleFiles = 1'000'000;
/// Bundles and receipts are padded to at least this many tar bytes (12.6).
inline constexpr std::uint64_t kMinPaddedBytes = 1u << 20;

[[nodiscard]] BundleId new_bundle_id();
[[nodiscard]] std::string format_bundle_id(const BundleId& id);
/// Exactly 32 lowercase hex digits. Errc::invalid otherwise.
[[nodiscard]] Result<BundleId> parse_bundle_id(std::string_view text);

/// Padmé (docs/FORMAT.md 12.6): the smallest bucket >= max(length, kMinPaddedBytes).
[[nodiscard]] std::uint64_t padme(std::uint64_t length) noexcept;

/// "svidok bundle <id>" (outer signature), "svidok bundle manifest <id>", "svidok receipt <id>".
[[nodiscard]] std::string bundle_trusted_comment(const BundleId& id);
[[nodiscard]] std::string manifest_trusted_comment(const BundleId& id);
[[nodiscard]] std::string receipt_trusted_comment(const BundleId& id);

/// "records/<record id>-v<N>.json" or "records/<record id>-withdrawal.json".
[[nodiscard]] std::string document_path(const RecordId& record, LeafKind kind,
                                        std::int64_t version);
/// The document's path with ".json" replaced by ".inclusion.json".
[[nodiscard]] std::string inclusion_path(const RecordId& record, LeafKind kind,
                                         std::int64_t version);
/// "log/consistency-<size>.json".
[[nodiscard]] std::string consistency_path(std::uint64_t from_size);
/// "attachments/<sha256 hex>".
[[nodiscard]] std::string attachment_path(const crypto::Sha256Digest& sha256);

/// "<32 hex>.receipt.age": the receipt of `bundle` from the recipient with X25519 public key
/// `recipient` (docs/FORMAT.md 13).
[[nodiscard]] std::string receipt_file_name(const BundleId& bundle,
                                            const crypto::X25519Recipient& recipient);

/// The sender's public keys as a manifest carries them.
struct SenderKeys {
    std::string origin;  // "svidok.device/<16 hex>"
    crypto::minisign::PublicKey minisign;
    crypto::NoteVerifier log_key;  // type 0x01, name = origin
    crypto::X25519Recipient age;

    friend bool operator==(const SenderKeys&, const SenderKeys&) = default;
};

struct ManifestFile {
    std::string path;
    std::uint64_t size = 0;
    crypto::Sha256Digest sha256{};

    friend bool operator==(const ManifestFile&, const ManifestFile&) = default;
};

/// docs/FORMAT.md 12.5.
struct Manifest {
    BundleId bundle{};
    std::string created_at;
    SenderKeys sender;
    std::vector<crypto::X25519Recipient> recipients;
    std::uint64_t checkpoint_size = 0;
    crypto::MerkleHash checkpoint_root{};
    std::vector<ManifestFile> files;

    /// Canonical JSON. Errc::invalid for a value the format does not allow.
    [[nodiscard]] Result<std::string> to_json() const;
    /// Strict: exactly canonical, every member and value as 12.5 says, file paths of the
    /// kinds 12.4 allows, each once. Errc::corrupt / invalid naming the member.
    [[nodiscard]] static Result<Manifest> parse(std::string_view json);

    friend bool operator==(const Manifest&, const Manifest&) = default;
};

/// One document a receipt acknowledges.
struct ReceivedDocument {
    RecordId record{};
    LeafKind kind = LeafKind::record_version;
    std::int64_t version = 1;
    std::uint64_t sequence = 0;
    crypto::Sha256Digest sha256{};

    friend bool operator==(const ReceivedDocument&, const ReceivedDocument&) = default;
};

struct ReceiverKeys {
    crypto::minisign::PublicKey minisign;
    crypto::NoteVerifier cosigner;  // type 0x04, name = the receiving vault's origin
    crypto::X25519Recipient age;

    friend bool operator==(const ReceiverKeys&, const ReceiverKeys&) = default;
};

/// docs/FORMAT.md 13.
struct Receipt {
    BundleId bundle{};
    crypto::Sha256Digest bundle_sha256{};
    std::string sender;  // the sender's origin
    ReceiverKeys receiver;
    std::string received_at;
    std::vector<ReceivedDocument> documents;  // log order
    std::string checkpoint;                   // the cosigned checkpoint note

    [[nodiscard]] Result<std::string> to_json() const;
    [[nodiscard]] static Result<Receipt> parse(std::string_view json);

    friend bool operator==(const Receipt&, const Receipt&) = default;
};

}  // namespace svidok::forms
