// SPDX-License-Identifier: GPL-3.0-or-later
// Delivery per recipient (docs/FORMAT.md 14.1): what each recipient still lacks, what its
// receipts confirmed, and who must confirm before a record may be purged.
#include <algorithm>

#include "bundle_internal.h"
#include "delivery.h"
#include "record_index_store.h"
#include "store/bundles.h"

namespace svidok::store {

namespace detail {

std::string confirmed_by_custodians(std::string_view seq, bool seal_recipients_table) {
    // Aliases no caller's query uses, so that `seq` names the caller's row.
    std::string sql =
        "(EXISTS (SELECT 1 FROM recipients) AND NOT EXISTS (SELECT 1 FROM recipients cu WHERE ";
    sql += seal_recipients_table ? kIsCustodian : std::string_view("1");
    sql += " AND NOT EXISTS (SELECT 1 FROM deliveries dv WHERE dv.seq = ";
    sql += seq;
    sql += " AND dv.age_recipient = cu.age_recipient)))";
    return sql;
}

Result<> reindex_delivered(Db& db, const forms::FormRegistry& registry) {
    auto st = db.prepare(
        "SELECT DISTINCT d.record_id FROM documents d JOIN deliveries v ON v.seq = d.seq");
    if (!st) return std::unexpected(st.error());
    auto ids = collect_rows<RecordId>(
        *st, [](const Stmt& row) { return fixed_blob<RecordId>(row, 0, "record id"); });
    if (!ids) return std::unexpected(ids.error());
    for (const auto& id : *ids) {
        if (auto r = index_own_record(db, registry, id); !r) return r;
    }
    return {};
}

}  // namespace detail

Result<std::vector<RecordId>> Bundles::pending(std::string_view name) {
    auto who = recipient(name);
    if (!who) return std::unexpected(who.error());
    // A document sent to the recipient is not pending, whether or not its receipt came back:
    // `export --all` sends again. A purged record's content is gone and cannot be sent.
    auto st = records_->vault_->db().prepare(
        "SELECT r.id FROM records r WHERE EXISTS (SELECT 1 FROM documents d WHERE"
        " d.record_id = r.id AND length(d.bytes) > 0 AND NOT EXISTS (SELECT 1 FROM"
        " export_documents x JOIN export_recipients e ON e.bundle = x.bundle WHERE x.seq = d.seq"
        " AND e.age_recipient = ?)) ORDER BY r.rowid");
    if (!st) return std::unexpected(st.error());
    st->bind(1, who->age.to_string());
    return collect_rows<RecordId>(
        *st, [](const Stmt& row) { return fixed_blob<RecordId>(row, 0, "record id"); });
}

Result<Bundles::RecordDelivery> Bundles::delivery(const RecordId& id) {
    Db& db = records_->vault_->db();
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
