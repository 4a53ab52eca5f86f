// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RFC 6962 / RFC 9162 Merkle tree hashing, proof generation and proof verification (FORMAT.md
// section 7). Pure functions over hashes: storing leaves is the log's business, not this one.
//
// Complexity. With the leaf hashes of the whole tree in memory, merkle_root costs n-1 node
// hashes, and each inclusion or consistency proof costs at most n-1 node hashes (the sibling
// subtrees it names are disjoint), so one proof for a log of 1e6 leaves is about 1e6 SHA-256
// calls and O(log n) stack; nothing is quadratic. The SubtreeHashFn overloads ask a callback for
// the O(log n) subtree hashes a proof names, so a log that caches subtree hashes can answer in
// O(log n) work. Verification is O(log n) hashes.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/hash.h"

namespace svidok::crypto {

inline constexpr std::size_t kMerkleHashBytes = kSha256Bytes;
inline constexpr unsigned char kMerkleLeafPrefix = 0x00;
inline constexpr unsigned char kMerkleNodePrefix = 0x01;
/// No valid proof for a tree of up to 2^64-1 leaves is longer: an inclusion proof has at most
/// 64 hashes, a consistency proof at most 64 plus the one seed hash. Decoders reject longer
/// lists before looking at them.
inline constexpr std::size_t kMaxMerkleProofHashes = 65;

using MerkleHash = Sha256Digest;
/// An inclusion or consistency proof: the hashes in RFC 9162 order.
using MerkleProof = std::vector<MerkleHash>;

/// SHA-256(0x00 || data): the hash of one log entry.
[[nodiscard]] MerkleHash merkle_leaf_hash(ByteView data) noexcept;
/// SHA-256(0x01 || left || right): an interior node.
[[nodiscard]] MerkleHash merkle_node_hash(const MerkleHash& left, const MerkleHash& right) noexcept;
/// SHA-256 of the empty string: the root of the tree with no leaves.
[[nodiscard]] MerkleHash merkle_empty_root() noexcept;

/// MTH(D[n]) of RFC 6962 section 2.1 over leaf hashes (not leaf data), for any n including 0.
[[nodiscard]] MerkleHash merkle_root(std::span<const MerkleHash> leaf_hashes) noexcept;

/// The hash of the subtree holding leaves [begin, end) of the tree (begin < end). It may fail
/// (for example when it reads from storage), and its error is passed on unchanged.
using SubtreeHashFn = std::function<Result<MerkleHash>(std::uint64_t begin, std::uint64_t end)>;

/// PATH(index, D[size]) of RFC 9162 section 2.1.3.1. Errors: usage if index >= size.
[[nodiscard]] Result<MerkleProof> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                                  const SubtreeHashFn& subtree);
/// The same over an in-memory array; size is leaf_hashes.size().
[[nodiscard]] Result<MerkleProof> inclusion_proof(std::span<const MerkleHash> leaf_hashes,
                                                  std::uint64_t index);

/// PROOF(size1, D[size2]) of RFC 9162 section 2.1.4.1; empty when size1 == size2.
/// Errors: usage unless 0 < size1 <= size2.
[[nodiscard]] Result<MerkleProof> consistency_proof(std::uint64_t size1, std::uint64_t size2,
                                                    const SubtreeHashFn& subtree);
/// The same over an in-memory array; size2 is leaf_hashes.size().
[[nodiscard]] Result<MerkleProof> consistency_proof(std::span<const MerkleHash> leaf_hashes,
                                                    std::uint64_t size1);

/// How many hashes a correct proof has (0 for arguments a proof does not exist for).
[[nodiscard]] std::size_t inclusion_proof_length(std::uint64_t index, std::uint64_t size) noexcept;
[[nodiscard]] std::size_t consistency_proof_length(std::uint64_t size1,
                                                   std::uint64_t size2) noexcept;

/// RFC 9162 section 2.1.3.2: does `proof` show that `leaf_hash` is leaf `index` of the tree of
/// `size` leaves whose root is `root`? Errors: corrupt if index >= size or the proof has the
/// wrong number of hashes; integrity if the proof leads to a different root.
[[nodiscard]] Result<void> verify_inclusion(std::uint64_t index, std::uint64_t size,
                                            const MerkleHash& leaf_hash,
                                            std::span<const MerkleHash> proof,
                                            const MerkleHash& root);

/// RFC 9162 section 2.1.4.2: is the tree (size2, root2) an append-only extension of
/// (size1, root1)? When size1 == size2 the proof must be empty and the roots equal.
/// Errors: usage if size1 == 0 (every tree extends the empty one; there is nothing to prove);
/// integrity if size2 < size1 (the log shrank), if equal sizes have different roots, or if
/// the proof does not lead to root1 and root2; corrupt if the proof has the wrong length.
[[nodiscard]] Result<void> verify_consistency(std::uint64_t size1, std::uint64_t size2,
                                              std::span<const MerkleHash> proof,
                                              const MerkleHash& root1, const MerkleHash& root2);

/// A hash in the Base64 text form Svidok writes (FORMAT.md section 7).
[[nodiscard]] std::string merkle_hash_to_base64(const MerkleHash& hash);
/// Strict: canonical padded Base64 of exactly 32 bytes. Errors: corrupt.
[[nodiscard]] Result<MerkleHash> merkle_hash_from_base64(std::string_view text);
/// A proof as its JSON form's elements (an array of Base64 hashes), and back. Decoding is
/// strict per element and rejects more than kMaxMerkleProofHashes elements. Errors: corrupt.
[[nodiscard]] std::vector<std::string> merkle_proof_to_base64(std::span<const MerkleHash> proof);
[[nodiscard]] Result<MerkleProof> merkle_proof_from_base64(std::span<const std::string> hashes);

}  // namespace svidok::crypto
