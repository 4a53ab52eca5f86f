// SPDX-License-Identifier: GPL-3.0-or-later
// Writing a bundle (docs/FORMAT.md 12): select records, gather their signed documents, proofs
// and files, stream them through tar and age into <bundle id>.age, sign it.
#include <algorithm>
#include <bit>
#include <map>
#include <set>

#include "bundle_internal.h"
#include "crypto/checkpoint.h"
#include "log_store.h"
#include "sealed_file.h"
#include "store/atomic_file.h"
#include "store/attachments.h"
#include "store/bundles.h"
#include "store/clock.h"
#include "vault_layer.h"

namespace svidok::store {
namespace {

namespace fs = std::filesystem;
using detail::bytes_of;

/// One small entry of the bundle, held in memory until written.
struct SmallFile {
    std::string path;
    std::string bytes;
};

struct FileRef {
    RecordId record{};
    std::uint64_t size = 0;
};

Result<std::vector<std::uint64_t>> documents_pending(Db& db, const RecordId& id,
                                                     const std::vector<std::string>& to) {
    // Documents neither confirmed by a receipt nor already sent to every chosen recipient.
    std::vector<std::uint64_t> pending;
    // One NOT EXISTS per recipient: SQLCipher's SQLite has no JSON functions to pass a list.
    std::string sql =
        "SELECT d.seq FROM documents d WHERE d.record_id = ? AND length(d.bytes) > 0"
        " AND NOT EXISTS (SELECT 1 FROM deliveries v WHERE v.seq = d.seq) AND (0";
    for (std::size_t i = 0; i < to.size(); ++i) {
        sql +=
            " OR NOT EXISTS (SELECT 1 FROM export_documents x JOIN export_recipients r"
            " ON r.bundle = x.bundle WHERE x.seq = d.seq AND r.age_recipient = ?)";
    }
    auto st = db.prepare(sql + ")");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, id);
    for (std::size_t i = 0; i < to.size(); ++i) st->bind(static_cast<int>(i) + 2, to[i]);
    return collect_rows<std::uint64_t>(*st, [](const Stmt& row) -> Result<std::uint64_t> {
        return static_cast<std::uint64_t>(row.column_int(0));
    });
}

}  // namespace

Result<Bundles::ExportResult> Bundles::export_bundle(const ExportOptions& options) {
    Vault& vault = records_->vault();
    Db& db = detail::database(vault);
    if (options.to.empty()) {
        return fail(Errc::usage, "no recipient given", "name one with --to NAME");
    }
    std::vector<crypto::X25519Recipient> to;
    std::vector<std::string> to_text;
    for (const auto& name : options.to) {
        auto r = recipient(name);
        if (!r) return std::unexpected(r.error());
        if (std::ranges::find(to, r->age) != to.end()) continue;
        to.push_back(r->age);
        to_text.push_back(r->age.to_string());
    }
    auto identity = vault.identity();
    if (!identity) return std::unexpected(identity.error());
    auto signing_key = identity->signing_key();
    if (!signing_key) return std::unexpected(signing_key.error());
    auto sender = detail::sender_keys_of(*identity);
    if (!sender) return std::unexpected(sender.error());

    // Which records.
    std::vector<RecordId> chosen;
    if (options.selection == Selection::records) {
        for (const auto& id : options.records) {
            auto info = records_->info(id);
            if (!info) return std::unexpected(info.error());
            if (info->versions == 0) {
                return fail(
                    Errc::invalid,
                    "record " + forms::format_record_id(id) + " has no sealed version to export",
                    "seal it first");
            }
            if (std::ranges::find(chosen, id) == chosen.end()) chosen.push_back(id);
        }
    } else {
        auto all = records_->list();
        if (!all) return std::unexpected(all.error());
        for (const auto& info : *all) {
            if (info.versions == 0) continue;
            if (options.selection == Selection::undelivered) {
                auto pending = documents_pending(db, info.id, to_text);
                if (!pending) return std::unexpected(pending.error());
                if (pending->empty()) continue;
            }
            chosen.push_back(info.id);
        }
    }
    if (chosen.empty()) {
        return fail(Errc::not_found, "there is nothing to export",
                    options.selection == Selection::undelivered
                        ? "every sealed document was delivered (a receipt confirmed it) or sent "
                          "to these recipients already; use --all to send everything again"
                        : "seal a record first");
    }

    // The checkpoint and the proofs against it.
    // The checkpoint is stored with the export record below, so a failed export changes
    // nothing. Ed25519 is deterministic: it is the same note `log checkpoint` gives.
    auto tree = detail::next_sequence(db);
    if (!tree) return std::unexpected(tree.error());
    const std::uint64_t tree_size = *tree;
    auto hashes = detail::leaf_hashes(db, tree_size);
    if (!hashes) return std::unexpected(hashes.error());
    // Proofs ask for subtree hashes; many proofs share them, so each is computed once
    // (otherwise every proof would rehash the whole tree: quadratic in the number of records).
    std::map<std::pair<std::uint64_t, std::uint64_t>, crypto::MerkleHash> subtrees;
    crypto::SubtreeHashFn subtree = [&](std::uint64_t begin,
                                        std::uint64_t end) -> Result<crypto::MerkleHash> {
        if (end - begin == 1) return (*hashes)[begin];
        if (auto it = subtrees.find({begin, end}); it != subtrees.end()) return it->second;
        const std::uint64_t split = std::bit_floor(end - begin - 1);
        auto left = subtree(begin, begin + split);
        auto right = subtree(begin + split, end);
        if (!left || !right) return fail(Errc::internal, "subtree hash");
        return subtrees[{begin, end}] = crypto::merkle_node_hash(*left, *right);
    };
    auto checkpoint = std::optional<crypto::Checkpoint>(
        crypto::Checkpoint{identity->log_origin(), tree_size, crypto::merkle_root(*hashes), {}});
    auto note = crypto::sign_checkpoint(*checkpoint, identity->log_sk);
    if (!note) return std::unexpected(note.error());

    std::vector<SmallFile> small;
    small.push_back({std::string(forms::kCheckpointPath), *note});
    {
        std::string sql =
            "SELECT DISTINCT e.checkpoint_size FROM exports e JOIN export_recipients r"
            " ON r.bundle = e.bundle WHERE e.checkpoint_size > 0 AND e.checkpoint_size < ?"
            " AND r.age_recipient IN (?";
        for (std::size_t i = 1; i < to_text.size(); ++i) sql += ",?";
        auto st = db.prepare(sql + ") ORDER BY 1");
        if (!st) return std::unexpected(st.error());
        st->bind(1, static_cast<std::int64_t>(tree_size));
        for (std::size_t i = 0; i < to_text.size(); ++i)
            st->bind(static_cast<int>(i) + 2, to_text[i]);
        auto sizes = collect_rows<std::uint64_t>(*st, [](const Stmt& row) -> Result<std::uint64_t> {
            return static_cast<std::uint64_t>(row.column_int(0));
        });
        if (!sizes) return std::unexpected(sizes.error());
        for (std::uint64_t from : *sizes) {
            auto proof = crypto::consistency_proof(from, tree_size, subtree);
            if (!proof) return std::unexpected(proof.error());
            auto text = forms::ConsistencyProof{from, tree_size, std::move(*proof)}.to_json();
            if (!text) return std::unexpected(text.error());
            small.push_back({forms::consistency_path(from), std::move(*text)});
        }
    }

    struct Doc {
        std::uint64_t sequence;
        SmallFile bytes, minisig, inclusion;
    };
    std::vector<Doc> docs;
    std::map<crypto::Sha256Digest, FileRef> files;
    std::vector<std::uint64_t> sequences;
    for (const auto& id : chosen) {
        auto documents = records_->documents(id);
        if (!documents) return std::unexpected(documents.error());
        for (auto& d : *documents) {
            if (d.bytes.empty()) continue;  // purged after delivery: the recipient holds it
            const std::string path = forms::document_path(id, d.kind, d.version);
            auto signature = forms::document_signature(d.minisig);
            if (!signature) return std::unexpected(signature.error());
            forms::LogLeaf l{d.kind, d.sequence, id, d.sha256, *signature};
            auto proof = crypto::inclusion_proof(d.sequence, tree_size, subtree);
            if (!proof) return std::unexpected(proof.error());
            auto inclusion =
                forms::InclusionProof{d.sequence, tree_size, l, std::move(*proof)}.to_json();
            if (!inclusion) return std::unexpected(inclusion.error());
            if (d.kind == forms::LeafKind::record_version) {
                auto doc = forms::parse_record(d.bytes);
                if (!doc) return std::unexpected(doc.error());
                for (const auto& a : doc->attachments) files.emplace(a.sha256, FileRef{id, a.size});
            }
            sequences.push_back(d.sequence);
            docs.push_back(
                Doc{d.sequence,
                    {path, std::move(d.bytes)},
                    {path + std::string(forms::kSignatureSuffix), std::move(d.minisig)},
                    {forms::inclusion_path(id, d.kind, d.version), std::move(*inclusion)}});
        }
    }
    if (docs.empty()) {
        return fail(Errc::not_found, "there is nothing to export",
                    "the chosen records were delivered and purged from this vault");
    }
    std::ranges::sort(docs, {}, &Doc::sequence);
    for (auto& d : docs) {
        small.push_back(std::move(d.bytes));
        small.push_back(std::move(d.minisig));
        small.push_back(std::move(d.inclusion));
    }

    // The manifest.
    forms::Manifest manifest;
    manifest.bundle = forms::new_bundle_id();
    manifest.created_at = utc_now();
    manifest.sender = *sender;
    manifest.recipients = to;
    manifest.checkpoint_size = tree_size;
    manifest.checkpoint_root = checkpoint->root;
    for (const auto& f : small) {
        manifest.files.push_back({f.path, f.bytes.size(), crypto::sha256(bytes_of(f.bytes))});
    }
    std::uint64_t total_bytes = 0;
    for (const auto& [sha, ref] : files) {
        manifest.files.push_back({forms::attachment_path(sha), ref.size, sha});
        total_bytes += ref.size;
    }
    auto manifest_json = manifest.to_json();
    if (!manifest_json) return std::unexpected(manifest_json.error());
    const std::string untrusted = detail::untrusted_comment_for(*identity);
    auto manifest_sig =
        crypto::minisign::sign(*signing_key, bytes_of(*manifest_json),
                               forms::manifest_trusted_comment(manifest.bundle), untrusted);
    if (!manifest_sig) return std::unexpected(manifest_sig.error());

    // Write.
    const std::string id_hex = forms::format_bundle_id(manifest.bundle);
    const std::string file_name = id_hex + std::string(forms::kBundleSuffix);
    auto out = detail::SealedFileWriter::create(options.out_dir, file_name, to);
    if (!out) return std::unexpected(out.error());
    BundleProgress progress{0, total_bytes, 0, docs.size()};
    const auto report = [&]() -> Result<> {
        if (options.progress && !options.progress(progress)) {
            return fail(Errc::usage, "cancelled; nothing was changed");
        }
        return {};
    };
    if (auto r = (*out)->add(forms::kManifestPath, *manifest_json); !r)
        return std::unexpected(r.error());
    if (auto r = (*out)->add(forms::kManifestSigPath, *manifest_sig); !r)
        return std::unexpected(r.error());
    for (const auto& f : small) {
        if (auto r = (*out)->add(f.path, f.bytes); !r) return std::unexpected(r.error());
        if (f.path.ends_with(".inclusion.json")) {
            ++progress.documents_done;
            if (auto r = report(); !r) return std::unexpected(r.error());
        }
    }
    Attachments attachments(*records_);
    for (const auto& [sha, ref] : files) {
        if (auto r = (*out)->tar().begin_file(forms::attachment_path(sha), ref.size); !r)
            return std::unexpected(r.error());
        auto r = attachments.read(ref.record, sha, [&](crypto::ByteView chunk) -> Result<> {
            if (auto w = (*out)->tar().write(chunk); !w) return w;
            progress.bytes_done += chunk.size();
            return report();
        });
        if (!r) return std::unexpected(r.error());
    }
    auto digests = (*out)->finish();
    if (!digests) return std::unexpected(digests.error());
    auto outer = crypto::minisign::sign_prehashed(
        *signing_key, digests->blake2b, forms::bundle_trusted_comment(manifest.bundle), untrusted);
    if (!outer) return std::unexpected(outer.error());
    // The signature goes under its final name first and the .age last (docs/FORMAT.md 12.1): a
    // crash in between leaves a lone .minisig that no reader takes, never a .age under its
    // final name without its signature.
    const fs::path sig_path = options.out_dir / (file_name + std::string(forms::kSignatureSuffix));
    if (auto r = write_file_atomic(sig_path, bytes_of(*outer)); !r) {
        // The name is this bundle's own: a failed directory sync after the rename must not
        // leave the signature behind (found by tests/store/test_faults).
        ::unlink(sig_path.c_str());
        return std::unexpected(r.error());
    }
    auto published = (*out)->publish();
    if (!published) {
        ::unlink(sig_path.c_str());
        return std::unexpected(published.error());
    }
    const auto remove_outputs = [&] {
        ::unlink(published->c_str());
        ::unlink(sig_path.c_str());
    };

    // Remember what went to whom, for --undelivered and later consistency proofs.
    auto remember = [&]() -> Result<> {
        auto txn = Transaction::begin(db);
        if (!txn) return std::unexpected(txn.error());
        if (auto r = detail::exec_bound(
                db, "INSERT OR IGNORE INTO checkpoints (size, note, created_at) VALUES (?,?,?)",
                [&](Stmt& st) {
                    st.bind(1, static_cast<std::int64_t>(tree_size))
                        .bind_blob(2, bytes_of(*note))
                        .bind(3, manifest.created_at);
                });
            !r)
            return r;
        if (auto r = detail::exec_bound(
                db, "INSERT INTO exports (bundle, checkpoint_size, created_at) VALUES (?,?,?)",
                [&](Stmt& st) {
                    st.bind_blob(1, manifest.bundle)
                        .bind(2, static_cast<std::int64_t>(tree_size))
                        .bind(3, manifest.created_at);
                });
            !r)
            return r;
        for (const auto& r : to_text) {
            if (auto ok = detail::exec_bound(
                    db, "INSERT INTO export_recipients (bundle, age_recipient) VALUES (?,?)",
                    [&](Stmt& st) { st.bind_blob(1, manifest.bundle).bind(2, r); });
                !ok)
                return ok;
        }
        for (std::uint64_t seq : sequences) {
            if (auto ok = detail::exec_bound(
                    db, "INSERT INTO export_documents (bundle, seq) VALUES (?,?)",
                    [&](Stmt& st) {
                        st.bind_blob(1, manifest.bundle).bind(2, static_cast<std::int64_t>(seq));
                    });
                !ok)
                return ok;
        }
        return txn->commit();
    };
    if (auto r = remember(); !r) {
        remove_outputs();
        return std::unexpected(r.error());
    }
    ExportResult result;
    result.bundle = manifest.bundle;
    result.file = *published;
    result.signature = sig_path;
    result.records = chosen.size();
    result.documents = docs.size();
    result.attachments = files.size();
    result.content_bytes = (*out)->content_bytes();
    result.file_bytes = digests->bytes;
    result.checkpoint_size = tree_size;
    return result;
}

}  // namespace svidok::store
