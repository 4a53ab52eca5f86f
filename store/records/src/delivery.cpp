// SPDX-License-Identifier: GPL-3.0-or-later
// Who must confirm a document before it counts as delivered (docs/FORMAT.md 14.1).
#include "delivery.h"

#include "record_index_store.h"

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
    auto ids = collect_rows<forms::RecordId>(
        *st, [](const Stmt& row) { return fixed_blob<forms::RecordId>(row, 0, "record id"); });
    if (!ids) return std::unexpected(ids.error());
    for (const auto& id : *ids) {
        if (auto r = index_own_record(db, registry, id); !r) return r;
    }
    return {};
}

}  // namespace detail

}  // namespace svidok::store
