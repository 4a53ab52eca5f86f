// SPDX-License-Identifier: GPL-3.0-or-later
// Reading what was received (docs/FORMAT.md 14.2): the signed documents of one sender's record,
// and its latest version with the sealed answers opened with this vault's key (9.6).
#include "blob_files.h"
#include "bundle_internal.h"
#include "db.h"
#include "record_store.h"
#include "store/bundles.h"
#include "vault_layer.h"

namespace svidok::store {

Result<std::vector<SignedDocument>> Bundles::received_documents(std::string_view origin,
                                                                const RecordId& id) {
    auto st = detail::database(records_->vault())
                  .prepare(
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

Result<Bundles::ReceivedRecord> Bundles::open_received(std::string_view origin,
                                                       const RecordId& id) {
    auto docs = received_documents(origin, id);
    if (!docs) return std::unexpected(docs.error());
    ReceivedRecord out;
    out.origin = std::string(origin);
    const SignedDocument* latest = nullptr;
    for (const auto& d : *docs) {
        if (d.kind == forms::LeafKind::withdrawal) {
            out.withdrawn = true;
        } else if (latest == nullptr || d.version > latest->version) {
            latest = &d;
        }
    }
    if (latest == nullptr) {
        return fail(Errc::not_found, "no version of record " + forms::format_record_id(id) +
                                         " was received from " + std::string(origin));
    }
    auto doc = forms::parse_record(latest->bytes);
    if (!doc) return std::unexpected(std::move(doc.error()).wrap("vault.db: received record"));
    out.latest = std::move(*doc);
    auto self = records_->vault().identity();
    if (!self) return std::unexpected(self.error());
    auto key = self->x25519_identity();
    if (!key) return std::unexpected(key.error());
    out.opened = forms::open_sealed_answers(id, out.latest.answers, *key);
    out.documents = std::move(*docs);
    return out;
}

Result<> Bundles::read_received_file(const crypto::Sha256Digest& sha256,
                                     const std::function<Result<>(crypto::ByteView)>& sink) {
    auto st = detail::database(records_->vault())
                  .prepare("SELECT size, blob, key FROM received_files WHERE sha256 = ?");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, sha256);
    struct Row {
        std::uint64_t size = 0;
        std::string blob;
        crypto::SecureBuffer key;
    };
    auto rows = collect_rows<Row>(*st, [](const Stmt& row) -> Result<Row> {
        return Row{static_cast<std::uint64_t>(row.column_int(0)), row.column_text(1),
                   row.column_secret(2)};
    });
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) {
        return fail(Errc::not_found,
                    "no bundle brought a file with SHA-256 " + crypto::to_hex(sha256));
    }
    const Row& r = rows->front();
    return detail::read_blob_file(records_->vault().dir(),
                                  "received file " + crypto::to_hex(sha256), r.blob, r.key, r.size,
                                  sha256, sink, {});
}

Result<std::vector<std::pair<std::string, RecordId>>> Bundles::find_received(
    std::string_view text) {
    auto prefix = detail::record_id_prefix(text);
    if (!prefix) return std::unexpected(prefix.error());
    auto st = detail::database(records_->vault())
                  .prepare(
                      "SELECT DISTINCT origin, record_id FROM received_documents"
                      " WHERE substr(hex(record_id), 1, ?) = ? ORDER BY origin, record_id LIMIT 2");
    if (!st) return std::unexpected(st.error());
    st->bind(1, static_cast<std::int64_t>(prefix->size())).bind(2, *prefix);
    return collect_rows<std::pair<std::string, RecordId>>(
        *st, [](const Stmt& row) -> Result<std::pair<std::string, RecordId>> {
            auto id = fixed_blob<RecordId>(row, 1, "received record id");
            if (!id) return std::unexpected(id.error());
            return std::pair{row.column_text(0), *id};
        });
}

}  // namespace svidok::store
