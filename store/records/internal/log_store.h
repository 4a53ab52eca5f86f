// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers (records, exchange): the rows of the device log (docs/FORMAT.md
// section 10), shared by records.cpp (which appends inside its own transaction), device_log.cpp
// and the bundle export.

#include <cstdint>
#include <vector>

#include "crypto/merkle.h"
#include "db.h"
#include "forms/log_leaf.h"

namespace svidok::store::detail {

/// The sequence number the next leaf gets (= the current log size).
[[nodiscard]] Result<std::uint64_t> next_sequence(Db& db);

/// Appends a leaf whose sequence must be next_sequence(). Call inside a transaction.
[[nodiscard]] Result<void> append_leaf(Db& db, const forms::LogLeaf& leaf);

/// Leaf hashes of leaves [0, size), in order, as stored.
[[nodiscard]] Result<std::vector<crypto::MerkleHash>> leaf_hashes(Db& db, std::uint64_t size);

}  // namespace svidok::store::detail
