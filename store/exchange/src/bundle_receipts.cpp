// SPDX-License-Identifier: GPL-3.0-or-later
// Receipts (docs/FORMAT.md 13): written by the receiving vault after an import, verified by the
// sending vault, which then marks documents delivered and may purge their content.
#include <algorithm>
#include <ctime>
#include <set>

#include "blob_files.h"
#include "bundle_internal.h"
#include "crypto/checkpoint.h"
#include "record_index_store.h"
#include "sealed_file.h"
#include "store/bundles.h"
#include "store/clock.h"
#include "vault_layer.h"

namespace svidok::store {

namespace fs = std::filesystem;
namespace ms = crypto::minisign;
using detail::bytes_of;

namespace {

constexpr std::size_t kMaxReceiptBytes = 64u << 20;
constexpr std::size_t kMaxSignatureBytes = 16 * 1024;

std::unexpected<Error> bad_receipt(std::string what) {
    return fail(Errc::integrity, "the receipt " + std::move(what),
                "do not rely on it; nothing was marked delivered");
}

}  // namespace

namespace detail {

Result<fs::path> write_receipt(const Identity& self, const forms::Manifest& manifest,
                               const crypto::Sha256Digest& file_sha256,
                               std::string_view checkpoint_note,
                               std::vector<forms::ReceivedDocument> documents,
                               const fs::path& dir) {
    const auto now = static_cast<std::uint64_t>(clock_now());
    auto cosigned = crypto::cosign_checkpoint(checkpoint_note, self.log_origin(), self.log_sk, now);
    if (!cosigned) return std::unexpected(cosigned.error());
    auto cosigner =
        crypto::note_verifier_for(self.log_origin(), crypto::kNoteTypeCosignatureV1, self.log_sk);
    if (!cosigner) return std::unexpected(cosigner.error());
    forms::Receipt receipt{
        manifest.bundle,
        file_sha256,
        manifest.sender.origin,
        {self.signing_public_key(), *cosigner, crypto::X25519Recipient{self.x25519_pk()}},
        utc_now(),
        std::move(documents),
        *cosigned};
    auto text = receipt.to_json();
    if (!text) return std::unexpected(text.error());
    auto key = self.signing_key();
    if (!key) return std::unexpected(key.error());
    auto sig = ms::sign(*key, bytes_of(*text), forms::receipt_trusted_comment(manifest.bundle),
                        untrusted_comment_for(self));
    if (!sig) return std::unexpected(sig.error());
    const std::array to{manifest.sender.age};
    auto out = SealedFileWriter::create(
        dir, forms::receipt_file_name(manifest.bundle, crypto::X25519Recipient{self.x25519_pk()}),
        to);
    if (!out) return std::unexpected(out.error());
    if (auto r = (*out)->add(forms::kReceiptPath, *text); !r) return std::unexpected(r.error());
    if (auto r = (*out)->add(forms::kReceiptSigPath, *sig); !r) return std::unexpected(r.error());
    if (auto r = (*out)->finish(); !r) return std::unexpected(r.error());
    return (*out)->publish();
}

}  // namespace detail

Result<Bundles::ReceiptResult> Bundles::import_receipt(const fs::path& file) {
    Vault& vault = records_->vault();
    Db& db = detail::database(vault);
    auto identity = vault.identity();
    if (!identity) return std::unexpected(identity.error());
    auto own = identity->x25519_identity();
    if (!own) return std::unexpected(own.error());

    auto in = detail::SealedFileReader::open(file, std::span(&*own, 1));
    if (!in) return std::unexpected(in.error());
    auto entry = (*in)->expect(forms::kReceiptPath, kMaxReceiptBytes);
    if (!entry) return std::unexpected(std::move(entry.error()).wrap(file.string()));
    auto text = (*in)->read_all(*entry);
    if (!text) return std::unexpected(text.error());
    entry = (*in)->expect(forms::kReceiptSigPath, kMaxSignatureBytes);
    if (!entry) return std::unexpected(std::move(entry.error()).wrap(file.string()));
    auto sig = (*in)->read_all(*entry);
    if (!sig) return std::unexpected(sig.error());
    if (auto d = (*in)->finish(); !d)
        return std::unexpected(std::move(d.error()).wrap(file.string()));
    auto receipt = forms::Receipt::parse(*text);
    if (!receipt) return std::unexpected(std::move(receipt.error()).wrap("receipt.json"));

    // Who signed it: a recipient this vault holds, with that minisign key.
    ReceiptResult result;
    result.bundle = receipt->bundle;
    const std::string age_text = receipt->receiver.age.to_string();
    auto recipients_held = recipients();
    if (!recipients_held) return std::unexpected(recipients_held.error());
    auto who = std::ranges::find(*recipients_held, receipt->receiver.age, &Recipient::age);
    if (who == recipients_held->end()) {
        return bad_receipt("comes from " + age_text +
                           ", which is not one of this vault's recipients");
    }
    result.recipient = who->name;
    if (!who->minisign) {
        return fail(Errc::invalid,
                    "the recipient " + who->name +
                        " has no minisign key, so its receipts cannot "
                        "be checked",
                    "remove it and add it again with --minisign RW...");
    }
    if (*who->minisign != receipt->receiver.minisign) {
        return bad_receipt("is signed with another key than the one held for " + who->name);
    }
    auto verified = ms::verify(*who->minisign, bytes_of(*text), *sig);
    if (!verified) return bad_receipt("signature does not verify: " + verified.error().message);
    if (verified->trusted_comment != forms::receipt_trusted_comment(receipt->bundle)) {
        return bad_receipt("signature is for another bundle");
    }
    if (receipt->sender != identity->log_origin()) {
        return bad_receipt("is for bundles of another device, " + receipt->sender);
    }

    // For a bundle this vault exported to that recipient.
    auto exported = db.prepare(
        "SELECT e.checkpoint_size FROM exports e JOIN export_recipients r ON r.bundle = e.bundle"
        " WHERE e.bundle = ? AND r.age_recipient = ?");
    if (!exported) return std::unexpected(exported.error());
    exported->bind_blob(1, receipt->bundle).bind(2, age_text);
    auto row = exported->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) {
        return bad_receipt("names bundle " + forms::format_bundle_id(receipt->bundle) +
                           ", which this vault never exported to " + who->name);
    }
    const auto exported_size = static_cast<std::uint64_t>(exported->column_int(0));

    // The cosigned checkpoint: one this device issued, cosigned by the recipient.
    auto self = detail::sender_keys_of(*identity);
    if (!self) return std::unexpected(self.error());
    const std::array known{self->log_key, receipt->receiver.cosigner};
    auto cp = crypto::open_checkpoint(receipt->checkpoint, known);
    if (!cp) return bad_receipt("checkpoint does not open: " + cp.error().message);
    const bool cosigned = std::ranges::any_of(
        cp->cosignatures, [&](const auto& c) { return c.name == receipt->receiver.cosigner.name; });
    if (!cosigned) return bad_receipt("checkpoint carries no cosignature by the recipient");
    if (cp->checkpoint.size != exported_size) {
        return bad_receipt("cosigns a checkpoint of " + std::to_string(cp->checkpoint.size) +
                           " entries; the bundle carried " + std::to_string(exported_size));
    }
    result.checkpoint_size = exported_size;

    // Every document acknowledged is one this vault sent in that bundle.
    for (const auto& d : receipt->documents) {
        auto st = db.prepare(
            "SELECT d.record_id, d.kind, d.version, d.sha256 FROM documents d JOIN"
            " export_documents x ON x.seq = d.seq WHERE d.seq = ? AND x.bundle = ?");
        if (!st) return std::unexpected(st.error());
        st->bind(1, static_cast<std::int64_t>(d.sequence)).bind_blob(2, receipt->bundle);
        auto found = st->step();
        if (!found) return std::unexpected(found.error());
        if (!*found ||
            st->column_blob(0) != std::vector<unsigned char>(d.record.begin(), d.record.end()) ||
            st->column_int(1) != static_cast<std::int64_t>(d.kind) ||
            st->column_int(2) != d.version ||
            st->column_blob(3) != std::vector<unsigned char>(d.sha256.begin(), d.sha256.end())) {
            return bad_receipt("acknowledges log entry " + std::to_string(d.sequence) +
                               " as something this vault did not send in that bundle");
        }
    }
    result.documents = receipt->documents.size();

    auto already = db.prepare("SELECT 1 FROM receipts WHERE bundle = ? AND age_recipient = ?");
    if (!already) return std::unexpected(already.error());
    already->bind_blob(1, receipt->bundle).bind(2, age_text);
    auto seen = already->step();
    if (!seen) return std::unexpected(seen.error());
    if (*seen) {
        result.already_imported = true;
        return result;
    }
    const std::string now = utc_now();
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = detail::exec_bound(
            db,
            "INSERT INTO receipts (bundle, age_recipient, checkpoint, received_at, imported_at)"
            " VALUES (?,?,?,?,?)",
            [&](Stmt& st) {
                st.bind_blob(1, receipt->bundle)
                    .bind(2, age_text)
                    .bind_blob(3, bytes_of(receipt->checkpoint))
                    .bind(4, receipt->received_at)
                    .bind(5, now);
            });
        !r)
        return std::unexpected(r.error());
    for (const auto& d : receipt->documents) {
        auto st = db.prepare(
            "INSERT OR IGNORE INTO deliveries (seq, age_recipient, bundle, delivered_at)"
            " VALUES (?,?,?,?)");
        if (!st) return std::unexpected(st.error());
        st->bind(1, static_cast<std::int64_t>(d.sequence))
            .bind(2, age_text)
            .bind_blob(3, receipt->bundle)
            .bind(4, now);
        if (auto r = st->run(); !r) return std::unexpected(r.error());
        if (db.changes() > 0) ++result.newly_delivered;
    }
    // A record whose latest version a receipt acknowledged is listed as delivered.
    std::set<RecordId> acknowledged;
    for (const auto& d : receipt->documents) acknowledged.insert(d.record);
    for (const auto& id : acknowledged) {
        if (auto r = detail::index_own_record(db, records_->registry(), id); !r)
            return std::unexpected(r.error());
    }
    if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    return result;
}

Result<std::vector<RecordId>> Bundles::purgeable() {
    auto st =
        detail::database(records_->vault())
            .prepare(
                "SELECT r.id FROM records r WHERE"
                " EXISTS (SELECT 1 FROM documents d WHERE d.record_id = r.id)"
                " AND NOT EXISTS (SELECT 1 FROM drafts f WHERE f.record_id = r.id)"
                " AND NOT EXISTS (SELECT 1 FROM purged p WHERE p.record_id = r.id)"
                " AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.record_id = r.id AND NOT EXISTS"
                "   (SELECT 1 FROM deliveries v WHERE v.seq = d.seq))"
                " ORDER BY r.rowid");
    if (!st) return std::unexpected(st.error());
    return collect_rows<RecordId>(
        *st, [](const Stmt& row) { return fixed_blob<RecordId>(row, 0, "record id"); });
}

Result<std::uint64_t> Bundles::purge_delivered() {
    auto ids = purgeable();
    if (!ids) return std::unexpected(ids.error());
    Vault& vault = records_->vault();
    Db& db = detail::database(vault);
    std::vector<std::string> blobs;
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    const std::string now = utc_now();
    for (const auto& id : *ids) {
        auto st = db.prepare("SELECT blob FROM attachments WHERE record_id = ?");
        if (!st) return std::unexpected(st.error());
        st->bind_blob(1, id);
        auto names = collect_rows<std::string>(
            *st, [](const Stmt& row) -> Result<std::string> { return row.column_text(0); });
        if (!names) return std::unexpected(names.error());
        blobs.insert(blobs.end(), names->begin(), names->end());
        for (const char* sql : {
                 "DELETE FROM attachments WHERE record_id = ?",
                 // The answers go; the hash, signature and log leaf stay (docs/FORMAT.md 14.1).
                 "UPDATE documents SET bytes = X'' WHERE record_id = ? AND kind = 1",
             }) {
            if (auto r = detail::exec_bound(db, sql, [&](Stmt& s) { s.bind_blob(1, id); }); !r)
                return std::unexpected(r.error());
        }
        if (auto r =
                detail::exec_bound(db, "INSERT INTO purged (record_id, purged_at) VALUES (?,?)",
                                   [&](Stmt& s) { s.bind_blob(1, id).bind(2, now); });
            !r)
            return std::unexpected(r.error());
        // Its answers leave the list and the full-text index with it.
        if (auto r = detail::index_own_record(db, records_->registry(), id); !r)
            return std::unexpected(r.error());
    }
    // Deleted text stays in the index's older segments until they merge: merge them now.
    if (!ids->empty()) {
        if (auto r = detail::compact_index_text(db); !r) return std::unexpected(r.error());
    }
    if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    detail::remove_blobs(vault.dir(), blobs);
    return ids->size();
}

}  // namespace svidok::store
