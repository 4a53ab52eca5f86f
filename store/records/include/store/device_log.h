// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The device log kept in a vault (docs/FORMAT.md section 10): an append-only Merkle tree of
// one leaf per signed document, signed checkpoints, proofs, and the whole-log check.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "crypto/error.h"
#include "crypto/merkle.h"
#include "forms/log_leaf.h"
#include "store/vault.h"

namespace svidok::store {

/// The result of DeviceLog::verify: what was checked and every problem found.
struct LogReport {
    std::uint64_t size = 0;
    crypto::MerkleHash root{};
    std::uint64_t records = 0;
    std::uint64_t versions = 0;
    std::uint64_t withdrawals = 0;
    std::uint64_t checkpoints = 0;  // stored and given checkpoints checked for consistency
    std::vector<std::string> problems;

    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

class DeviceLog {
public:
    /// The vault must outlive the log object.
    explicit DeviceLog(Vault& vault) noexcept : vault_(&vault) {}

    /// Number of leaves.
    [[nodiscard]] Result<std::uint64_t> size();
    /// Root hash over the first `size` leaves.
    [[nodiscard]] Result<crypto::MerkleHash> root(std::uint64_t size);
    [[nodiscard]] Result<forms::LogLeaf> leaf(std::uint64_t index);

    /// A signed checkpoint of the current tree (docs/FORMAT.md 10.2), stored in the vault;
    /// the stored one when this size already has one.
    [[nodiscard]] Result<std::string> checkpoint();
    /// Every checkpoint issued, oldest first.
    [[nodiscard]] Result<std::vector<std::string>> checkpoints();

    [[nodiscard]] Result<forms::InclusionProof> prove_inclusion(std::uint64_t index,
                                                                std::uint64_t tree_size);
    [[nodiscard]] Result<forms::ConsistencyProof> prove_consistency(std::uint64_t from_size,
                                                                    std::uint64_t to_size);

    /// Checks the whole log and every document against it (docs/FORMAT.md 10.4), and its
    /// consistency with each stored checkpoint and each of `given_checkpoints` (signed notes).
    /// Errors only when the vault cannot be read; problems found go in the report.
    [[nodiscard]] Result<LogReport> verify(std::span<const std::string> given_checkpoints = {});

private:
    Vault* vault_;
};

}  // namespace svidok::store
