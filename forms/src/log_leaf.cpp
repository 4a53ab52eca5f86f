// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/log_leaf.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "document_reader.h"

namespace svidok::forms {
namespace {

constexpr std::size_t kKindAt = 1, kSequenceAt = 2, kRecordAt = 10, kHashAt = 26, kSignatureAt = 58;
static_assert(kSignatureAt + crypto::minisign::kSignatureBytes == kLogLeafBytes);

}  // namespace

std::string_view leaf_kind_name(LeafKind kind) noexcept {
    switch (kind) {
        case LeafKind::record_version:
            return "record version";
        case LeafKind::withdrawal:
            return "withdrawal";
    }
    return "unknown";
}

std::array<unsigned char, kLogLeafBytes> LogLeaf::encode() const noexcept {
    std::array<unsigned char, kLogLeafBytes> out{};
    out[0] = kLogLeafVersion;
    out[kKindAt] = static_cast<unsigned char>(kind);
    crypto::store_be64(out.data() + kSequenceAt, sequence);
    std::ranges::copy(record, out.begin() + kRecordAt);
    std::ranges::copy(document_sha256, out.begin() + kHashAt);
    std::ranges::copy(signature, out.begin() + kSignatureAt);
    return out;
}

Result<LogLeaf> LogLeaf::decode(crypto::ByteView bytes) {
    if (bytes.size() != kLogLeafBytes) {
        return fail(Errc::corrupt, "a log leaf is " + std::to_string(kLogLeafBytes) +
                                       " bytes, not " + std::to_string(bytes.size()));
    }
    if (bytes[0] != kLogLeafVersion) {
        return fail(Errc::corrupt, "log leaf version " + std::to_string(bytes[0]) + " is unknown");
    }
    auto kind = static_cast<LeafKind>(bytes[kKindAt]);
    if (kind != LeafKind::record_version && kind != LeafKind::withdrawal) {
        return fail(Errc::corrupt,
                    "log leaf kind " + std::to_string(bytes[kKindAt]) + " is unknown");
    }
    LogLeaf leaf;
    leaf.kind = kind;
    leaf.sequence = crypto::load_be64(bytes.data() + kSequenceAt);
    std::copy_n(bytes.begin() + kRecordAt, leaf.record.size(), leaf.record.begin());
    std::copy_n(bytes.begin() + kHashAt, leaf.document_sha256.size(), leaf.document_sha256.begin());
    std::copy_n(bytes.begin() + kSignatureAt, leaf.signature.size(), leaf.signature.begin());
    return leaf;
}

Result<LogLeaf> leaf_for_document(LeafKind kind, const SealStamp& stamp, const RecordId& record,
                                  std::string_view bytes, std::string_view minisig) {
    auto sig = document_signature(minisig);
    if (!sig) return std::unexpected(sig.error());
    return LogLeaf{kind, stamp.sequence, record, crypto::sha256(crypto::as_bytes(bytes)), *sig};
}

namespace {

json::Value proof_json(std::span<const crypto::MerkleHash> proof) {
    json::Array out;
    for (auto& h : crypto::merkle_proof_to_base64(proof)) out.emplace_back(std::move(h));
    return out;
}

Result<crypto::MerkleProof> read_proof(const detail::DocumentReader& r) {
    const json::Value& v = r.member("proof");
    if (!v.is_array() || v.as_array().size() > crypto::kMaxMerkleProofHashes) {
        return detail::bad(r.schema(), "proof",
                           "must be an array of at most " +
                               std::to_string(crypto::kMaxMerkleProofHashes) + " hashes");
    }
    std::vector<std::string> hashes;
    for (const auto& h : v.as_array()) {
        if (!h.is_string()) return detail::bad(r.schema(), "proof", "must hold Base64 strings");
        hashes.push_back(h.as_string());
    }
    auto proof = crypto::merkle_proof_from_base64(hashes);
    if (!proof)
        return std::unexpected(std::move(proof.error()).wrap(std::string(r.schema()) + ": proof"));
    return proof;
}

}  // namespace

Result<std::string> InclusionProof::to_json() const {
    auto bytes = leaf.encode();
    return json::canonicalize(json::Object{
        {"schema", kInclusionSchema},
        {"leaf_index", static_cast<std::int64_t>(leaf_index)},
        {"tree_size", static_cast<std::int64_t>(tree_size)},
        {"leaf", crypto::to_base64(bytes)},
        {"proof", proof_json(proof)},
    });
}

Result<InclusionProof> InclusionProof::parse(std::string_view text) {
    auto v = detail::read_canonical(kInclusionSchema, text);
    if (!v) return std::unexpected(v.error());
    detail::DocumentReader r(kInclusionSchema, *v);
    if (auto ok = r.expect_members({"schema", "leaf_index", "tree_size", "leaf", "proof"}); !ok) {
        return std::unexpected(ok.error());
    }
    auto index = r.integer("leaf_index", 0);
    auto size = r.integer("tree_size", 1);
    auto leaf_text = r.string("leaf");
    if (!index) return std::unexpected(index.error());
    if (!size) return std::unexpected(size.error());
    if (!leaf_text) return std::unexpected(leaf_text.error());
    auto raw = crypto::from_base64(*leaf_text);
    if (!raw) return detail::bad(kInclusionSchema, "leaf", "must be Base64");
    auto leaf = LogLeaf::decode(*raw);
    if (!leaf) return std::unexpected(std::move(leaf.error()).wrap("svidok-inclusion/1: leaf"));
    auto proof = read_proof(r);
    if (!proof) return std::unexpected(proof.error());
    if (leaf->sequence != static_cast<std::uint64_t>(*index)) {
        return detail::bad(kInclusionSchema, "leaf", "its sequence is not leaf_index");
    }
    return InclusionProof{static_cast<std::uint64_t>(*index), static_cast<std::uint64_t>(*size),
                          *leaf, std::move(*proof)};
}

Result<void> InclusionProof::verify(std::uint64_t checkpoint_size,
                                    const crypto::MerkleHash& checkpoint_root) const {
    if (tree_size != checkpoint_size) {
        return fail(Errc::integrity, "the proof is for a tree of " + std::to_string(tree_size) +
                                         " leaves, the checkpoint has " +
                                         std::to_string(checkpoint_size));
    }
    if (leaf.sequence != leaf_index) {
        return fail(Errc::integrity, "the leaf's sequence is not its index");
    }
    auto bytes = leaf.encode();
    return crypto::verify_inclusion(leaf_index, tree_size, crypto::merkle_leaf_hash(bytes), proof,
                                    checkpoint_root);
}

Result<std::string> ConsistencyProof::to_json() const {
    return json::canonicalize(json::Object{
        {"schema", kConsistencySchema},
        {"from_size", static_cast<std::int64_t>(from_size)},
        {"to_size", static_cast<std::int64_t>(to_size)},
        {"proof", proof_json(proof)},
    });
}

Result<ConsistencyProof> ConsistencyProof::parse(std::string_view text) {
    auto v = detail::read_canonical(kConsistencySchema, text);
    if (!v) return std::unexpected(v.error());
    detail::DocumentReader r(kConsistencySchema, *v);
    if (auto ok = r.expect_members({"schema", "from_size", "to_size", "proof"}); !ok) {
        return std::unexpected(ok.error());
    }
    auto from = r.integer("from_size", 1);
    auto to = r.integer("to_size", 1);
    if (!from) return std::unexpected(from.error());
    if (!to) return std::unexpected(to.error());
    auto proof = read_proof(r);
    if (!proof) return std::unexpected(proof.error());
    return ConsistencyProof{static_cast<std::uint64_t>(*from), static_cast<std::uint64_t>(*to),
                            std::move(*proof)};
}

Result<void> ConsistencyProof::verify(const crypto::MerkleHash& from_root,
                                      const crypto::MerkleHash& to_root) const {
    return crypto::verify_consistency(from_size, to_size, proof, from_root, to_root);
}

}  // namespace svidok::forms
