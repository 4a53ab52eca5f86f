// SPDX-License-Identifier: GPL-3.0-or-later
// Delivery per recipient (docs/FORMAT.md 14.1): what each recipient still lacks, what its
// receipts confirmed, and who must confirm before a record may be purged.
#include <algorithm>

#include "bundle_internal.h"
#include "delivery.h"
#include "store/bundles.h"
#include "vault_layer.h"

namespace svidok::store {

Result<std::vector<RecordId>> Bundles::pending(std::string_view name) {
    auto who = recipient(name);
    if (!who) return std::unexpected(who.error());
    // A document sent to the recipient is not pending, whether or not its receipt came back:
    // `export --all` sends again. A purged record's content is gone and cannot be sent.
    auto st = detail::database(records_->vault())
                  .prepare(
                      "SELECT r.id FROM records r WHERE EXISTS (SELECT 1 FROM documents d WHERE"
                      " d.record_id = r.id AND length(d.bytes) > 0 AND NOT EXISTS (SELECT 1 FROM"
                      " export_documents x JOIN export_recipients e ON e.bundle = x.bundle WHERE "
                      "x.seq = d.seq"
                      " AND e.age_recipient = ?)) ORDER BY r.rowid");
    if (!st) return std::unexpected(st.error());
    st->bind(1, who->age.to_string());
    return collect_rows<RecordId>(
        *st, [](const Stmt& row) { return fixed_blob<RecordId>(row, 0, "record id"); });
}

Result<Bundles::RecordDelivery> Bundles::delivery(const RecordId& id) {
    Db& db = detail::database(records_->vault());
    RecordDelivery out;
    {
        auto st = db.prepare(
            "SELECT count(*), EXISTS (SELECT 1 FROM purged WHERE record_id = ?1),"
            " count(*) > 0 AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.record_id = ?1 AND"
            " NOT " +
            detail::confirmed_by_custodians("d.seq") + ") FROM documents WHERE record_id = ?1");
        if (!st) return std::unexpected(st.error());
        st->bind_blob(1, id);
        if (auto row = st->step(); !row) return std::unexpected(row.error());
        out.documents = static_cast<std::uint64_t>(st->column_int(0));
        out.purged = st->column_int(1) != 0;
        out.confirmed_by_custodians = st->column_int(2) != 0;
    }
    auto st = db.prepare(
        "SELECT cu.name, " + std::string(detail::kIsCustodian) +
        ", (SELECT count(DISTINCT x.seq) FROM export_documents x JOIN export_recipients e ON"
        " e.bundle = x.bundle JOIN documents d ON d.seq = x.seq WHERE d.record_id = ?1 AND"
        " e.age_recipient = cu.age_recipient),"
        " (SELECT count(*) FROM deliveries v JOIN documents d ON d.seq = v.seq WHERE"
        " d.record_id = ?1 AND v.age_recipient = cu.age_recipient)"
        " FROM recipients cu ORDER BY cu.name");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, id);
    auto rows =
        collect_rows<RecipientDelivery>(*st, [](const Stmt& row) -> Result<RecipientDelivery> {
            return RecipientDelivery{row.column_text(0), row.column_int(1) != 0,
                                     static_cast<std::uint64_t>(row.column_int(2)),
                                     static_cast<std::uint64_t>(row.column_int(3))};
        });
    if (!rows) return std::unexpected(rows.error());
    out.recipients = std::move(*rows);
    return out;
}

}  // namespace svidok::store
