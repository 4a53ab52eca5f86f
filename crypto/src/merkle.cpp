// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/merkle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>

namespace svidok::crypto {

namespace {

// The subtrees a proof names, deepest first, as [begin, end) leaf ranges. Generation and the
// length functions share this walk so they cannot disagree about what a proof contains.
struct Ranges {
    struct Range {
        std::uint64_t begin;
        std::uint64_t end;
    };
    std::array<Range, kMaxMerkleProofHashes> items{};
    std::size_t count = 0;

    void push(std::uint64_t begin, std::uint64_t end) noexcept { items[count++] = {begin, end}; }
    void reverse() noexcept { std::reverse(items.begin(), items.begin() + count); }
};

// The largest power of two strictly below n (n >= 2): where RFC 6962 splits a tree of n leaves.
std::uint64_t split_point(std::uint64_t n) noexcept {
    return std::bit_floor(n - 1);
}

// RFC 9162 2.1.3.1, unrolled from the top: PATH(m, D[n]) lists the deeper path first and the
// sibling of this level last, so siblings are collected top-down and then reversed.
Ranges inclusion_ranges(std::uint64_t index, std::uint64_t size) noexcept {
    Ranges out;
    std::uint64_t begin = 0;
    std::uint64_t end = size;
    while (end - begin > 1) {
        std::uint64_t k = split_point(end - begin);
        if (index < begin + k) {
            out.push(begin + k, end);
            end = begin + k;
        } else {
            out.push(begin, begin + k);
            begin += k;
        }
    }
    out.reverse();
    return out;
}

// RFC 9162 2.1.4.1 SUBPROOF(m, D[n], b), unrolled the same way. When the walk ends on a
// subtree that the old tree only partly shared (b false), its own hash is the deepest entry.
Ranges consistency_ranges(std::uint64_t size1, std::uint64_t size2) noexcept {
    Ranges out;
    std::uint64_t begin = 0;
    std::uint64_t end = size2;
    bool whole_old_tree = true;
    while (size1 != end) {
        std::uint64_t k = split_point(end - begin);
        if (size1 - begin <= k) {
            out.push(begin + k, end);
            end = begin + k;
        } else {
            out.push(begin, begin + k);
            begin += k;
            whole_old_tree = false;
        }
    }
    if (!whole_old_tree) out.push(begin, end);
    out.reverse();
    return out;
}

Result<MerkleProof> hashes_of(const Ranges& ranges, const SubtreeHashFn& subtree) {
    MerkleProof proof;
    proof.reserve(ranges.count);
    for (std::size_t i = 0; i < ranges.count; ++i) {
        auto h = subtree(ranges.items[i].begin, ranges.items[i].end);
        if (!h) return std::unexpected(std::move(h.error()));
        proof.push_back(*h);
    }
    return proof;
}

SubtreeHashFn in_memory(std::span<const MerkleHash> leaves) {
    return [leaves](std::uint64_t begin, std::uint64_t end) -> Result<MerkleHash> {
        return merkle_root(leaves.subspan(begin, end - begin));
    };
}

std::string dec(std::uint64_t v) {
    return std::to_string(v);
}

Result<void> wrong_length(std::string what, std::size_t got, std::size_t want) {
    return fail(Errc::corrupt, what + " has " + dec(got) + " hashes, expected " + dec(want));
}

// RFC 9162 2.1.3.2 steps 4b-4c and 2.1.4.2 steps 6b-6c for one proof hash: whether it is the
// left sibling, moving fn and sn up to the level of the next proof hash. A left sibling can
// only be followed by levels on which the node is a right-most child without a sibling, which
// are skipped.
bool next_level(std::uint64_t& fn, std::uint64_t& sn) noexcept {
    const bool left = (fn & 1) != 0 || fn == sn;
    if (left) {
        while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
        }
    }
    fn >>= 1;
    sn >>= 1;
    return left;
}

}  // namespace

MerkleHash merkle_leaf_hash(ByteView data) noexcept {
    Sha256 h;
    const unsigned char prefix = kMerkleLeafPrefix;
    h.update({&prefix, 1});
    h.update(data);
    return h.finish();
}

MerkleHash merkle_node_hash(const MerkleHash& left, const MerkleHash& right) noexcept {
    std::array<unsigned char, 1 + 2 * kMerkleHashBytes> buf;
    buf[0] = kMerkleNodePrefix;
    std::copy(left.begin(), left.end(), buf.begin() + 1);
    std::copy(right.begin(), right.end(), buf.begin() + 1 + kMerkleHashBytes);
    return sha256(buf);
}

MerkleHash merkle_empty_root() noexcept {
    return sha256({});
}

MerkleHash merkle_root(std::span<const MerkleHash> leaf_hashes) noexcept {
    if (leaf_hashes.empty()) return merkle_empty_root();
    if (leaf_hashes.size() == 1) return leaf_hashes[0];
    std::size_t k = split_point(leaf_hashes.size());
    return merkle_node_hash(merkle_root(leaf_hashes.first(k)), merkle_root(leaf_hashes.subspan(k)));
}

Result<MerkleProof> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                    const SubtreeHashFn& subtree) {
    if (index >= size) {
        return fail(Errc::usage, "no inclusion proof for leaf " + dec(index) + " in a tree of " +
                                     dec(size) + " leaves");
    }
    return hashes_of(inclusion_ranges(index, size), subtree);
}

Result<MerkleProof> inclusion_proof(std::span<const MerkleHash> leaf_hashes, std::uint64_t index) {
    return inclusion_proof(index, leaf_hashes.size(), in_memory(leaf_hashes));
}

Result<MerkleProof> consistency_proof(std::uint64_t size1, std::uint64_t size2,
                                      const SubtreeHashFn& subtree) {
    if (size1 == 0 || size1 > size2) {
        return fail(Errc::usage, "no consistency proof from tree size " + dec(size1) + " to " +
                                     dec(size2) + " (needs 0 < old size <= new size)");
    }
    return hashes_of(consistency_ranges(size1, size2), subtree);
}

Result<MerkleProof> consistency_proof(std::span<const MerkleHash> leaf_hashes,
                                      std::uint64_t size1) {
    return consistency_proof(size1, leaf_hashes.size(), in_memory(leaf_hashes));
}

std::size_t inclusion_proof_length(std::uint64_t index, std::uint64_t size) noexcept {
    return index < size ? inclusion_ranges(index, size).count : 0;
}

std::size_t consistency_proof_length(std::uint64_t size1, std::uint64_t size2) noexcept {
    return size1 != 0 && size1 <= size2 ? consistency_ranges(size1, size2).count : 0;
}

Result<void> verify_inclusion(std::uint64_t index, std::uint64_t size, const MerkleHash& leaf_hash,
                              std::span<const MerkleHash> proof, const MerkleHash& root) {
    // Step 1.
    if (index >= size) {
        return fail(Errc::corrupt,
                    "inclusion proof names leaf " + dec(index) + ", beyond tree size " + dec(size));
    }
    const std::string what = "inclusion proof for leaf " + dec(index) + " of " + dec(size);
    const std::size_t want = inclusion_proof_length(index, size);
    // Steps 2-3.
    std::uint64_t fn = index;
    std::uint64_t sn = size - 1;
    MerkleHash r = leaf_hash;
    // Step 4.
    for (const MerkleHash& p : proof) {
        if (sn == 0) return wrong_length(what, proof.size(), want);
        r = next_level(fn, sn) ? merkle_node_hash(p, r) : merkle_node_hash(r, p);
    }
    // Step 5.
    if (sn != 0) return wrong_length(what, proof.size(), want);
    if (r != root) {
        return fail(Errc::integrity, what + " does not lead to the expected root hash",
                    "the entry, the proof or the checkpoint was altered");
    }
    return {};
}

Result<void> verify_consistency(std::uint64_t size1, std::uint64_t size2,
                                std::span<const MerkleHash> proof, const MerkleHash& root1,
                                const MerkleHash& root2) {
    if (size2 < size1) {
        return fail(Errc::integrity,
                    "log shrank from " + dec(size1) + " to " + dec(size2) + " entries",
                    "the device's log was rolled back or entries were removed");
    }
    if (size1 == 0) {
        return fail(Errc::usage,
                    "consistency with an empty tree proves nothing; compare with a "
                    "non-empty earlier checkpoint");
    }
    const std::string what = "consistency proof from size " + dec(size1) + " to " + dec(size2);
    if (size1 == size2) {
        if (!proof.empty()) return wrong_length(what, proof.size(), 0);
        if (root1 != root2) {
            return fail(Errc::integrity,
                        "two different root hashes for the same tree size " + dec(size1),
                        "the log was forked or rewritten");
        }
        return {};
    }
    const std::size_t want = consistency_proof_length(size1, size2);
    // Step 1.
    if (proof.empty()) return wrong_length(what, 0, want);
    // Step 2: a power-of-two old tree is itself a complete subtree, so its root is the seed
    // and the proof omits it.
    const bool seed_is_root1 = std::has_single_bit(size1);
    auto path_at = [&](std::size_t i) -> const MerkleHash& {
        return seed_is_root1 ? (i == 0 ? root1 : proof[i - 1]) : proof[i];
    };
    const std::size_t path_size = proof.size() + (seed_is_root1 ? 1 : 0);
    // Steps 3-4.
    std::uint64_t fn = size1 - 1;
    std::uint64_t sn = size2 - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    // Step 5.
    MerkleHash fr = path_at(0);
    MerkleHash sr = fr;
    // Step 6.
    for (std::size_t i = 1; i < path_size; ++i) {
        const MerkleHash& c = path_at(i);
        if (sn == 0) return wrong_length(what, proof.size(), want);
        if (next_level(fn, sn)) {
            fr = merkle_node_hash(c, fr);
            sr = merkle_node_hash(c, sr);
        } else {
            sr = merkle_node_hash(sr, c);
        }
    }
    // Step 7.
    if (sn != 0) return wrong_length(what, proof.size(), want);
    if (fr != root1) {
        return fail(Errc::integrity, what + " does not match the earlier root hash",
                    "the log was rewritten: earlier entries were changed, reordered or removed");
    }
    if (sr != root2) {
        return fail(Errc::integrity, what + " does not match the new root hash",
                    "the new checkpoint or the proof was altered");
    }
    return {};
}

std::string merkle_hash_to_base64(const MerkleHash& hash) {
    return to_base64(hash);
}

Result<MerkleHash> merkle_hash_from_base64(std::string_view text) {
    auto bytes = from_base64(text);
    if (!bytes) return std::unexpected(std::move(bytes.error()).wrap("merkle hash"));
    if (bytes->size() != kMerkleHashBytes) {
        return fail(Errc::corrupt, "merkle hash has " + dec(bytes->size()) + " bytes, expected " +
                                       dec(kMerkleHashBytes));
    }
    MerkleHash h;
    std::copy(bytes->begin(), bytes->end(), h.begin());
    return h;
}

std::vector<std::string> merkle_proof_to_base64(std::span<const MerkleHash> proof) {
    std::vector<std::string> out;
    out.reserve(proof.size());
    for (const MerkleHash& h : proof) out.push_back(merkle_hash_to_base64(h));
    return out;
}

Result<MerkleProof> merkle_proof_from_base64(std::span<const std::string> hashes) {
    if (hashes.size() > kMaxMerkleProofHashes) {
        return fail(Errc::corrupt, "proof has " + dec(hashes.size()) + " hashes, more than any " +
                                       "valid proof (" + dec(kMaxMerkleProofHashes) + ")");
    }
    MerkleProof proof;
    proof.reserve(hashes.size());
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        auto h = merkle_hash_from_base64(hashes[i]);
        if (!h) return std::unexpected(std::move(h.error()).wrap("proof hash " + dec(i)));
        proof.push_back(*h);
    }
    return proof;
}

}  // namespace svidok::crypto
