// SPDX-License-Identifier: GPL-3.0-or-later
// Reading what was received (docs/FORMAT.md 14.2): the signed documents of one sender's record.
#include "bundle_internal.h"
#include "db.h"
#include "store/bundles.h"

namespace svidok::store {

Result<std::vector<SignedDocument>> Bundles::received_documents(std::string_view origin,
                                                                const RecordId& id) {
    auto st = records_->vault_->db().prepare(
        "SELECT kind, version, seq, sha256, bytes, minisig FROM received_documents"
        " WHERE origin = ?1 AND record_id = ?2 ORDER BY seq");
    if (!st) return std::unexpected(st.error());
    st->bind(1, origin);
    st->bind_blob(2, id);
    return collect_rows<SignedDocument>(*st, [](const Stmt& row) -> Result<SignedDocument> {
        SignedDocument d;
        d.kind =
            row.column_int(0) == 2 ? forms::LeafKind::withdrawal : forms::LeafKind::record_version;
        d.version = row.column_int(1);
        d.sequence = static_cast<std::uint64_t>(row.column_int(2));
        auto sha = fixed_blob<crypto::Sha256Digest>(row, 3, "received document hash");
        if (!sha) return std::unexpected(sha.error());
        d.sha256 = *sha;
        d.bytes = row.column_text(4);
        d.minisig = row.column_text(5);
        return d;
    });
}

}  // namespace svidok::store
