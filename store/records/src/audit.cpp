// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/audit.h"

#include "forms/record.h"

namespace svidok::store {

namespace {
// The log check is one pass over small documents; the attachments' bytes dominate.
constexpr double kLogShare = 0.2;

}  // namespace

Result<AuditReport> audit_vault(Vault& vault, Records& records, Attachments& attachments,
                                const AuditProgress& progress) {
    auto cancelled = [&](double f) { return progress && !progress(f); };
    AuditReport report;
    auto log = DeviceLog(vault).verify();
    if (!log) return std::unexpected(log.error());
    report.log = std::move(*log);
    if (cancelled(kLogShare)) return fail(Errc::usage, "cancelled");

    auto list = records.list();
    if (!list) return std::unexpected(list.error());
    report.records = list->size();
    std::uint64_t total = 0;
    for (const auto& r : *list) {
        auto files = attachments.list(r.id);
        if (!files) return std::unexpected(files.error());
        for (const auto& f : *files) total += f.size;
    }
    std::uint64_t done_before = 0;
    for (const auto& r : *list) {
        auto checks = attachments.verify(r.id, [&](std::uint64_t done, std::uint64_t) {
            double f = total == 0
                           ? 1.0
                           : static_cast<double>(done_before + done) / static_cast<double>(total);
            return !cancelled(kLogShare + (1.0 - kLogShare) * f);
        });
        if (!checks) return std::unexpected(checks.error());
        for (const auto& c : *checks) {
            ++report.attachments;
            report.attachment_bytes += c.info.size;
            done_before += c.info.size;
            if (c.problem) {
                report.attachment_problems.push_back("record " + forms::format_record_id(r.id) +
                                                     ": " + c.info.name + ": " +
                                                     c.problem->message);
            }
        }
    }
    if (cancelled(1.0)) return fail(Errc::usage, "cancelled");
    return report;
}

}  // namespace svidok::store
