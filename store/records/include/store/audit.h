// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The whole-vault audit behind the app's Audit page: the device log with every signed document
// in it (DeviceLog::verify, docs/FORMAT.md 10.4), then every stored attachment decrypted and
// hashed (Attachments::verify).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "crypto/error.h"
#include "store/attachments.h"
#include "store/device_log.h"
#include "store/records.h"

namespace svidok::store {

struct AuditReport {
    LogReport log;  // signatures, hashes, chains, log and checkpoints
    std::uint64_t records = 0;
    std::uint64_t attachments = 0;  // files checked
    std::uint64_t attachment_bytes = 0;
    /// One line per attachment that failed: "record <id>: <name>: <what>".
    std::vector<std::string> attachment_problems;

    [[nodiscard]] bool ok() const noexcept { return log.ok() && attachment_problems.empty(); }
};

/// Called with the fraction done in [0, 1]; returning false cancels (Errc::usage "cancelled").
using AuditProgress = std::function<bool(double fraction)>;

/// Reads everything, changes nothing. Errors only when the vault cannot be read or the audit
/// is cancelled; what fails to verify goes in the report.
[[nodiscard]] Result<AuditReport> audit_vault(Vault& vault, Records& records,
                                              Attachments& attachments,
                                              const AuditProgress& progress = {});

}  // namespace svidok::store
