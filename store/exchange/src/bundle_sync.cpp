// SPDX-License-Identifier: GPL-3.0-or-later
// What every sync shares (store/remotes.h): the export of what is undelivered and the receipts
// this vault waits for.
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

Result<std::optional<Bundles::ExportResult>> export_pending(Bundles& bundles,
                                                            std::vector<std::string> to,
                                                            const fs::path& out_dir,
                                                            const BundleProgressFn& progress) {
    if (to.empty()) {
        auto all = bundles.recipients();
        if (!all) return std::unexpected(all.error());
        for (const auto& r : *all) to.push_back(r.name);
    }
    if (to.empty()) return std::nullopt;
    Bundles::ExportOptions ex;
    ex.to = std::move(to);
    ex.out_dir = out_dir;
    ex.selection = Bundles::Selection::undelivered;
    ex.progress = progress;
    auto made = bundles.export_bundle(ex);
    if (made) return *made;
    if (made.error().code == Errc::not_found) return std::nullopt;
    return std::unexpected(made.error());
}

}  // namespace detail

}  // namespace svidok::store
