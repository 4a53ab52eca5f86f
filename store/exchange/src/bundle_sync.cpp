// SPDX-License-Identifier: GPL-3.0-or-later
// What every sync shares (store/remotes.h): the export of what is undelivered and the receipts
// this vault waits for.
#include <map>

#include "bundle_internal.h"
#include "store/bundles.h"
#include "vault_layer.h"

namespace svidok::store {

namespace fs = std::filesystem;

namespace detail {

Result<std::vector<AwaitedReceipt>> awaited_receipts(Db& db) {
    auto st = db.prepare(
        "SELECT r.bundle, r.age_recipient FROM export_recipients r WHERE NOT EXISTS"
        " (SELECT 1 FROM receipts c WHERE c.bundle = r.bundle AND c.age_recipient ="
        " r.age_recipient) ORDER BY r.bundle, r.age_recipient");
    if (!st) return std::unexpected(st.error());
    auto rows = collect_rows<std::optional<AwaitedReceipt>>(
        *st, [](const Stmt& row) -> Result<std::optional<AwaitedReceipt>> {
            auto id = fixed_blob<forms::BundleId>(row, 0, "bundle id");
            if (!id) return std::unexpected(id.error());
            auto age = crypto::X25519Recipient::parse(row.column_text(1));
            if (!age) return std::nullopt;  // a plain age key without receipts
            return AwaitedReceipt{*id, *age};
        });
    if (!rows) return std::unexpected(rows.error());
    std::vector<AwaitedReceipt> out;
    for (auto& r : *rows) {
        if (r) out.push_back(*r);
    }
    return out;
}

Result<std::vector<Bundles::ExportResult>> export_pending(Bundles& bundles,
                                                          std::vector<std::string> to,
                                                          const fs::path& out_dir,
                                                          const BundleProgressFn& progress) {
    if (to.empty()) {
        auto all = bundles.recipients();
        if (!all) return std::unexpected(all.error());
        for (const auto& r : *all) to.push_back(r.name);
    }
    // Each recipient what it lacks (FORMAT.md 14.1); recipients that lack the same records
    // share one bundle (normally all of them: one bundle).
    std::map<std::vector<RecordId>, std::vector<std::string>> groups;
    for (const auto& name : to) {
        auto lacking = bundles.pending(name);
        if (!lacking) return std::unexpected(lacking.error());
        if (!lacking->empty()) groups[std::move(*lacking)].push_back(name);
    }
    std::vector<Bundles::ExportResult> made;
    for (const auto& [records, names] : groups) {
        Bundles::ExportOptions ex;
        ex.to = names;
        ex.out_dir = out_dir;
        ex.selection = Bundles::Selection::records;
        ex.records = records;
        ex.progress = progress;
        auto one = bundles.export_bundle(ex);
        if (!one) return std::unexpected(one.error());
        made.push_back(std::move(*one));
    }
    return made;
}

}  // namespace detail

}  // namespace svidok::store
