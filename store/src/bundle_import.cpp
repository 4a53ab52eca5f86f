// SPDX-License-Identifier: GPL-3.0-or-later
// Importing a bundle (docs/FORMAT.md 12.7): one streaming pass decrypts, unpacks, hashes and
// stores received files under fresh keys; then every signature, proof and the consistency with
// what this vault already holds is checked; only then does one transaction store it all.
#include <algorithm>
#include <map>
#include <set>

#include "bundle_internal.h"
#include "crypto/checkpoint.h"
#include "blob_files.h"
#include "hash_pipeline.h"
#include "record_index_store.h"
#include "sealed_file.h"
#include "store/atomic_file.h"
#include "store/bundles.h"

namespace svidok::store {
namespace {

namespace fs = std::filesystem;
namespace ms = crypto::minisign;
using detail::bytes_of;

constexpr std::size_t kMaxSignatureBytes = 16 * 1024;

std::unexpected<Error> tampered(std::string what) {
    return fail(Errc::integrity, std::move(what),
                "do not use this bundle; ask the sender for a new one and compare the sender's "
                "fingerprint out of band");
}

std::string digits_only(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c >= '0' && c <= '9') out += c;
    }
    return out;
}

/// A document of the bundle with its verified parts.
struct InDoc {
    forms::LeafKind kind = forms::LeafKind::record_version;
    RecordId record{};
    std::int64_t version = 0;
    std::string bytes;
    std::string minisig;
    crypto::Sha256Digest sha256{};
    forms::LogLeaf leaf;
    std::optional<forms::RecordDocument> record_doc;
    std::optional<forms::WithdrawalDocument> withdrawal;
};

/// A received attachment stored into the vault during the pass, not yet committed.
struct InFile {
    std::uint64_t size = 0;
    std::optional<detail::BlobFileWriter> blob;  // nullopt: the vault held it already
};

Result<std::optional<forms::SenderKeys>> pinned_sender(Db& db, const std::string& origin) {
    auto st = db.prepare("SELECT minisign_key, log_key, age_recipient FROM senders WHERE origin = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, origin);
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<forms::SenderKeys>{};
    auto blob = fixed_blob<ms::PublicKeyBlob>(*st, 0, "sender minisign key");
    if (!blob) return std::unexpected(blob.error());
    auto key = ms::PublicKey::parse(crypto::to_base64(*blob));
    auto log_key = crypto::parse_verifier_key(st->column_text(1));
    auto age = crypto::X25519Recipient::parse(st->column_text(2));
    if (!key || !log_key || !age) {
        return fail(Errc::corrupt, "vault.db: the pinned keys of " + origin + " are malformed");
    }
    return std::optional<forms::SenderKeys>(forms::SenderKeys{origin, *key, *log_key, *age});
}

Result<bool> file_held(Db& db, const crypto::Sha256Digest& sha) {
    auto st = db.prepare("SELECT 1 FROM received_files WHERE sha256 = ?");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, sha);
    return st->step();
}

/// Streams one attachment entry into a new blob file, checking its size and SHA-256.
Result<InFile> receive_file(detail::SealedFileReader& in, const fs::path& vault_dir,
                            const forms::ManifestFile& f, bool store) {
    InFile out{f.size, std::nullopt};
    if (store) {
        auto blob = detail::BlobFileWriter::create(vault_dir);
        if (!blob) return std::unexpected(blob.error());
        out.blob.emplace(std::move(*blob));
    }
    detail::HashPipeline sha;
    std::uint64_t done = 0;
    bool last = false;
    while (!last) {
        auto buf = sha.next_buffer();
        std::size_t n = 0;
        while (n < buf.size()) {
            auto got = in.tar().read(buf.subspan(n));
            if (!got) return std::unexpected(got.error());
            if (*got == 0) break;
            n += *got;
        }
        last = n < buf.size();
        done += n;
        sha.submit(n);
        if (out.blob) {
            if (auto r = out.blob->push(crypto::ByteView(buf.data(), n), last); !r)
                return std::unexpected(r.error());
        }
    }
    if (done != f.size) return tampered(f.path + " has another size than the manifest says");
    if (sha.finish() != f.sha256) {
        return tampered(f.path + ": its SHA-256 differs from the one the manifest states");
    }
    if (out.blob) {
        if (auto r = out.blob->publish(); !r) return std::unexpected(r.error());
    }
    return out;
}

}  // namespace

Result<Bundles::ImportResult> Bundles::import_bundle(const fs::path& bundle,
                                                     const ImportOptions& options) {
    Vault& vault = *records_->vault_;
    Db& db = vault.db();
    auto identity = vault.identity();
    if (!identity) return std::unexpected(identity.error());
    auto own = identity->x25519_identity();
    if (!own) return std::unexpected(own.error());
    const std::string origin_self = identity->log_origin();

    // 1. The outer signature names the bundle.
    const fs::path sig_path = fs::path(bundle.string() + std::string(forms::kSignatureSuffix));
    auto sig_raw = read_small_file(sig_path, kMaxSignatureBytes);
    if (!sig_raw) {
        return fail(sig_raw.error().code, "the bundle's signature " + sig_path.string() +
                                              " cannot be read: " + sig_raw.error().message,
                    "copy the .minisig file together with the bundle");
    }
    const std::string sig_text(sig_raw->begin(), sig_raw->end());
    auto outer = ms::parse_signature(sig_text);
    if (!outer) return std::unexpected(std::move(outer.error()).wrap(sig_path.string()));
    constexpr std::string_view kPrefix = "svidok bundle ";
    if (!outer->trusted_comment.starts_with(kPrefix)) {
        return fail(Errc::corrupt, sig_path.string() + " is not the signature of a Svidok bundle");
    }
    auto bundle_id = forms::parse_bundle_id(outer->trusted_comment.substr(kPrefix.size()));
    if (!bundle_id) {
        return fail(Errc::corrupt, sig_path.string() + ": its trusted comment names no bundle id");
    }
    ImportResult result;
    result.bundle = *bundle_id;
    {
        auto st = db.prepare(
            "SELECT b.outer_signature, b.origin, s.fingerprint FROM imported_bundles b"
            " JOIN senders s ON s.origin = b.origin WHERE b.bundle = ?");
        if (!st) return std::unexpected(st.error());
        st->bind_blob(1, *bundle_id);
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (*row) {
            if (st->column_blob(0) != std::vector<unsigned char>(outer->signature.begin(),
                                                                 outer->signature.end())) {
                return tampered("a different bundle with the id " +
                                forms::format_bundle_id(*bundle_id) + " was imported before");
            }
            result.already_imported = true;
            auto pinned = pinned_sender(db, st->column_text(1));
            if (!pinned) return std::unexpected(pinned.error());
            if (*pinned) result.sender = **pinned;
            result.fingerprint = st->column_text(2);
            return result;
        }
    }

    // 2-3. Decrypt and unpack in one pass.
    BundleProgress progress;
    auto in = detail::SealedFileReader::open(
        bundle, std::span(&*own, 1), [&](std::uint64_t done, std::uint64_t total) {
            progress.bytes_done = done;
            progress.bytes_total = total;
            return !options.progress || options.progress(progress);
        });
    if (!in) return std::unexpected(in.error());
    auto entry = (*in)->expect(forms::kManifestPath, forms::kMaxManifestBytes);
    if (!entry) return std::unexpected(entry.error());
    auto manifest_text = (*in)->read_all(*entry);
    if (!manifest_text) return std::unexpected(manifest_text.error());
    auto manifest = forms::Manifest::parse(*manifest_text);
    if (!manifest) return std::unexpected(std::move(manifest.error()).wrap("manifest.json"));
    entry = (*in)->expect(forms::kManifestSigPath, kMaxSignatureBytes);
    if (!entry) return std::unexpected(entry.error());
    auto manifest_sig = (*in)->read_all(*entry);
    if (!manifest_sig) return std::unexpected(manifest_sig.error());

    // 4. The sender.
    const forms::SenderKeys& sender = manifest->sender;
    result.sender = sender;
    result.fingerprint = fingerprint_of(sender.minisign.key_id, sender.minisign.pk,
                                        sender.log_key.public_key, sender.age.pk);
    if (sender.origin == origin_self) {
        return fail(Errc::invalid, "this bundle was made by this vault itself");
    }
    auto pinned = pinned_sender(db, sender.origin);
    if (!pinned) return std::unexpected(pinned.error());
    if (*pinned) {
        if (**pinned != sender) {
            return fail(Errc::integrity,
                        "the bundle claims to come from " + sender.origin +
                            " but is signed with other keys than the ones pinned for it "
                            "(this bundle's fingerprint: " + result.fingerprint + ")",
                        "the sender's device may be compromised or impersonated; do not trust "
                        "this bundle and contact the sender out of band");
        }
    } else {
        auto other = db.prepare("SELECT origin FROM senders WHERE minisign_key = ?");
        if (!other) return std::unexpected(other.error());
        other->bind_blob(1, sender.minisign.blob());
        auto row = other->step();
        if (!row) return std::unexpected(row.error());
        if (*row) {
            return fail(Errc::integrity, "the bundle's signing key is pinned for another sender, " +
                                             other->column_text(0));
        }
        if (!options.trust_fingerprint) {
            return fail(Errc::auth_failed,
                        "unknown sender " + sender.origin + " with fingerprint " +
                            result.fingerprint,
                        "compare this fingerprint with the one the sender reads out from "
                        "`svidok-cli identity`, then import again with --trust-fingerprint \"" +
                            result.fingerprint + "\"");
        }
        if (digits_only(*options.trust_fingerprint) != digits_only(result.fingerprint) ||
            digits_only(result.fingerprint).size() != 25) {
            return fail(Errc::auth_failed,
                        "the fingerprint you confirmed does not match the sender's: " +
                            result.fingerprint,
                        "do not import this bundle unless the sender confirms this fingerprint");
        }
        result.newly_pinned = true;
    }
    if (outer->key_id != sender.minisign.key_id) {
        return tampered("the bundle file is signed by key " + ms::format_key_id(outer->key_id) +
                        ", not by its sender's key " + ms::format_key_id(sender.minisign.key_id));
    }
    auto verified = ms::verify(sender.minisign, bytes_of(*manifest_text), *manifest_sig);
    if (!verified) {
        return tampered("manifest.json is not signed by the sender: " + verified.error().message);
    }
    if (verified->trusted_comment != forms::manifest_trusted_comment(manifest->bundle)) {
        return tampered("manifest.json's signature is for another bundle");
    }
    if (manifest->bundle != *bundle_id) {
        return tampered("the manifest names bundle " + forms::format_bundle_id(manifest->bundle) +
                        ", the file's signature " + forms::format_bundle_id(*bundle_id));
    }
    if (std::ranges::find(manifest->recipients, own->recipient()) == manifest->recipients.end()) {
        return tampered("this vault is not among the bundle's stated recipients");
    }

    // The entries, in manifest order. Progress counts documents as their proofs arrive.
    progress.documents_total = static_cast<std::uint64_t>(std::ranges::count_if(
        manifest->files, [](const auto& f) { return f.path.ends_with(".inclusion.json"); }));
    std::map<std::string, std::string, std::less<>> small;
    std::map<crypto::Sha256Digest, InFile> received;
    for (const auto& f : manifest->files) {
        const bool is_file = f.path.starts_with("attachments/");
        auto e = (*in)->expect(f.path, is_file ? ~std::uint64_t{0} : forms::kMaxJsonEntryBytes);
        if (!e) return std::unexpected(e.error());
        if (e->size != f.size) {
            return tampered(f.path + " has " + std::to_string(e->size) +
                            " bytes, the manifest says " + std::to_string(f.size));
        }
        if (is_file) {
            auto held = file_held(db, f.sha256);
            if (!held) return std::unexpected(held.error());
            auto got = receive_file(**in, vault.dir(), f, !*held);
            if (!got) return std::unexpected(got.error());
            received.emplace(f.sha256, std::move(*got));
        } else {
            auto bytes = (*in)->read_all(*e);
            if (!bytes) return std::unexpected(bytes.error());
            if (crypto::sha256(bytes_of(*bytes)) != f.sha256) {
                return tampered(f.path + ": its SHA-256 differs from the one the manifest states");
            }
            if (f.path.ends_with(".inclusion.json")) ++progress.documents_done;
            small.emplace(f.path, std::move(*bytes));
        }
    }
    auto digests = (*in)->finish();
    if (!digests) return std::unexpected(digests.error());

    // 5. The outer signature over the whole file.
    auto outer_ok = ms::verify_prehashed(sender.minisign, digests->blake2b, sig_text);
    if (!outer_ok) return tampered("the bundle file does not match its signature: " +
                                   outer_ok.error().message);

    // 6. The checkpoint.
    auto note = small.find(forms::kCheckpointPath);
    if (note == small.end()) return tampered("the bundle has no log checkpoint");
    const std::array known{sender.log_key};
    auto cp = crypto::open_checkpoint(note->second, known);
    if (!cp) return tampered("log/checkpoint: " + cp.error().message);
    if (cp->checkpoint.origin != sender.origin || cp->checkpoint.size != manifest->checkpoint_size ||
        cp->checkpoint.root != manifest->checkpoint_root) {
        return tampered("log/checkpoint differs from the checkpoint the manifest states");
    }
    const std::uint64_t tree_size = cp->checkpoint.size;
    result.checkpoint_size = tree_size;

    // 7. Documents.
    std::vector<InDoc> docs;
    std::set<std::string> used{std::string(forms::kCheckpointPath)};
    for (const auto& [path, bytes] : small) {
        if (!path.starts_with("records/") || !path.ends_with(".json") ||
            path.ends_with(".inclusion.json"))
            continue;
        InDoc d;
        d.bytes = bytes;
        d.sha256 = crypto::sha256(bytes_of(bytes));
        const std::string sig_name = path + std::string(forms::kSignatureSuffix);
        const std::string proof_name = path.substr(0, path.size() - 5) + ".inclusion.json";
        auto sig = small.find(sig_name);
        auto proof_text = small.find(proof_name);
        if (sig == small.end() || proof_text == small.end()) {
            return tampered(path + " comes without its signature or inclusion proof");
        }
        d.minisig = sig->second;
        const bool withdrawal = path.ends_with("-withdrawal.json");
        forms::SealStamp stamp;
        if (withdrawal) {
            auto w = forms::verify_withdrawal(bytes, d.minisig, sender.minisign);
            if (!w) return tampered(path + ": " + w.error().message);
            d.kind = forms::LeafKind::withdrawal;
            d.record = w->record;
            d.version = w->version;
            stamp = w->stamp;
            d.withdrawal = std::move(*w);
        } else {
            auto r = forms::verify_record(bytes, d.minisig, sender.minisign);
            if (!r) return tampered(path + ": " + r.error().message);
            d.record = r->record;
            d.version = r->version;
            stamp = r->stamp;
            d.record_doc = std::move(*r);
        }
        if (forms::document_path(d.record, d.kind, d.version) != path) {
            return tampered(path + " holds the document of another record or version");
        }
        if (stamp.device != sender.origin) {
            return tampered(path + " was sealed by " + stamp.device + ", not by the sender");
        }
        auto proof = forms::InclusionProof::parse(proof_text->second);
        if (!proof) return tampered(proof_name + ": " + proof.error().message);
        if (auto ok = proof->verify(tree_size, cp->checkpoint.root); !ok) {
            return tampered(proof_name + ": " + ok.error().message);
        }
        auto leaf = forms::leaf_for_document(d.kind, stamp, d.record, bytes, d.minisig);
        if (!leaf) return std::unexpected(leaf.error());
        if (*leaf != proof->leaf) {
            return tampered(proof_name + " proves another log entry than " + path);
        }
        d.leaf = *leaf;
        used.insert(path);
        used.insert(sig_name);
        used.insert(proof_name);
        docs.push_back(std::move(d));
    }
    std::ranges::sort(docs, {}, [](const InDoc& d) { return d.leaf.sequence; });
    result.documents = docs.size();

    // 8. Chains: versions 1..newest, from the bundle or already held; a withdrawal names the
    // newest. (A record purged by the sender after delivery comes back with only its new
    // documents, a withdrawal for one: the rest is held here.)
    std::map<RecordId, std::vector<const InDoc*>> by_record;
    for (const auto& d : docs) by_record[d.record].push_back(&d);
    result.records = by_record.size();
    for (auto& [rid, list] : by_record) {
        const std::string name = "record " + forms::format_record_id(rid);
        using Version = std::pair<forms::RecordDocument, crypto::Sha256Digest>;
        std::map<std::int64_t, Version> versions;
        std::optional<forms::WithdrawalDocument> withdrawal;
        auto held = db.prepare(
            "SELECT kind, bytes, sha256 FROM received_documents WHERE origin = ? AND"
            " record_id = ?");
        if (!held) return std::unexpected(held.error());
        held->bind(1, sender.origin).bind_blob(2, rid);
        for (;;) {
            auto row = held->step();
            if (!row) return std::unexpected(row.error());
            if (!*row) break;
            const std::string bytes = held->column_text(1);
            auto sha = fixed_blob<crypto::Sha256Digest>(*held, 2, "document hash");
            if (!sha) return std::unexpected(sha.error());
            if (held->column_int(0) == static_cast<std::int64_t>(forms::LeafKind::withdrawal)) {
                auto w = forms::parse_withdrawal(bytes);
                if (!w) return std::unexpected(std::move(w.error()).wrap("vault.db: received"));
                withdrawal = std::move(*w);
            } else {
                auto r = forms::parse_record(bytes);
                if (!r) return std::unexpected(std::move(r.error()).wrap("vault.db: received"));
                const std::int64_t v = r->version;
                versions.insert_or_assign(v, Version{std::move(*r), *sha});
            }
        }
        for (const InDoc* d : list) {
            if (d->withdrawal) {
                withdrawal = *d->withdrawal;
            } else {
                versions.insert_or_assign(d->version, Version{*d->record_doc, d->sha256});
            }
        }
        if (versions.empty()) return tampered(name + ": a withdrawal without the record");
        std::int64_t expected = 1;
        const Version* prev = nullptr;
        for (const auto& [v, version] : versions) {
            if (v != expected) {
                return tampered(name + ": version " + std::to_string(expected) +
                                " is neither in the bundle nor received before");
            }
            if (prev != nullptr) {
                auto link = forms::check_chain_link(prev->first, prev->second, version.first);
                if (!link) return tampered(name + ": " + link.error().message);
            }
            prev = &version;
            ++expected;
        }
        if (withdrawal && (withdrawal->version != prev->first.version ||
                           withdrawal->version_sha256 != prev->second)) {
            return tampered(name + ": the withdrawal does not name the newest version");
        }
    }

    // 9. Files: exactly those the documents list.
    std::set<crypto::Sha256Digest> listed;
    for (const auto& d : docs) {
        if (!d.record_doc) continue;
        for (const auto& a : d.record_doc->attachments) {
            listed.insert(a.sha256);
            auto it = received.find(a.sha256);
            if (it == received.end()) {
                auto held = file_held(db, a.sha256);
                if (!held) return std::unexpected(held.error());
                if (!*held) {
                    return tampered("record " + forms::format_record_id(d.record) +
                                    " lists the file " + crypto::to_hex(a.sha256) +
                                    ", which the bundle does not hold");
                }
            } else if (it->second.size != a.size) {
                return tampered("the file " + crypto::to_hex(a.sha256) +
                                " has another size than its record states");
            }
        }
    }
    for (const auto& [sha, file] : received) {
        if (!listed.contains(sha)) {
            return tampered("the bundle holds the file " + crypto::to_hex(sha) +
                            ", which no record in it lists");
        }
    }
    result.attachments = received.size();
    for (const auto& [path, bytes] : small) {
        if (path.starts_with("log/consistency-")) {
            // Only the one from the last checkpoint held is checked against roots (step 11);
            // every one must still be a well-formed proof to this bundle's checkpoint.
            auto proof = forms::ConsistencyProof::parse(bytes);
            if (!proof || forms::consistency_path(proof->from_size) != path ||
                proof->to_size != tree_size || proof->from_size >= tree_size ||
                proof->proof.size() != crypto::consistency_proof_length(proof->from_size, tree_size)) {
                return tampered(path + " is not a consistency proof to this bundle's checkpoint");
            }
        } else if (!used.contains(path)) {
            return tampered(path + " belongs to no document of the bundle");
        }
    }

    // 10. Against what is held: no document rewritten.
    std::vector<const InDoc*> fresh;
    for (const auto& d : docs) {
        auto st = db.prepare(
            "SELECT sha256, seq FROM received_documents WHERE origin = ? AND ((record_id = ? AND"
            " kind = ? AND version = ?) OR seq = ?)");
        if (!st) return std::unexpected(st.error());
        st->bind(1, sender.origin)
            .bind_blob(2, d.record)
            .bind(3, static_cast<std::int64_t>(d.kind))
            .bind(4, d.version)
            .bind(5, static_cast<std::int64_t>(d.leaf.sequence));
        bool same = false;
        for (;;) {
            auto row = st->step();
            if (!row) return std::unexpected(row.error());
            if (!*row) break;
            const auto held = st->column_blob(0);
            if (held != std::vector<unsigned char>(d.sha256.begin(), d.sha256.end()) ||
                static_cast<std::uint64_t>(st->column_int(1)) != d.leaf.sequence) {
                return tampered("record " + forms::format_record_id(d.record) + " " +
                                std::string(forms::leaf_kind_name(d.kind)) + " " +
                                std::to_string(d.version) +
                                " was rewritten: it differs from the one received before");
            }
            same = true;
        }
        if (!same) fresh.push_back(&d);
    }
    result.new_documents = fresh.size();

    // 11. Consistency with the checkpoints held from this sender.
    std::optional<std::string> store_note;
    {
        auto st = db.prepare(
            "SELECT size, note FROM received_checkpoints WHERE origin = ? ORDER BY size DESC"
            " LIMIT 1");
        if (!st) return std::unexpected(st.error());
        st->bind(1, sender.origin);
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (*row) {
            const auto held_size = static_cast<std::uint64_t>(st->column_int(0));
            auto held = crypto::open_checkpoint(st->column_text(1), known);
            if (!held) return std::unexpected(std::move(held.error()).wrap("vault.db: checkpoint"));
            result.previous_checkpoint_size = held_size;
            if (tree_size < held_size) {
                return tampered("the sender's log was rolled back, or this is an older bundle "
                                "delivered late: its checkpoint has " +
                                std::to_string(tree_size) + " entries, one received before had " +
                                std::to_string(held_size));
            }
            if (tree_size == held_size) {
                if (held->checkpoint.root != cp->checkpoint.root) {
                    return tampered("the sender's log was rewritten: two checkpoints of " +
                                    std::to_string(tree_size) + " entries differ");
                }
            } else {
                auto proof_text = small.find(forms::consistency_path(held_size));
                if (proof_text == small.end()) {
                    return tampered("the bundle cannot show that the sender's log still holds "
                                    "everything received before: it has no consistency proof "
                                    "from " + std::to_string(held_size) + " entries");
                }
                auto proof = forms::ConsistencyProof::parse(proof_text->second);
                if (!proof || proof->from_size != held_size || proof->to_size != tree_size ||
                    !proof->verify(held->checkpoint.root, cp->checkpoint.root)) {
                    return tampered("entries of the sender's log were deleted or rewritten: the "
                                    "log is not an extension of the one received before (" +
                                    std::to_string(held_size) + " entries)");
                }
                store_note = note->second;
            }
        } else {
            store_note = note->second;
        }
    }

    // 12. What the log holds that this vault never received.
    {
        auto st = db.prepare("SELECT count(*) FROM received_documents WHERE origin = ? AND seq < ?");
        if (!st) return std::unexpected(st.error());
        st->bind(1, sender.origin).bind(2, static_cast<std::int64_t>(tree_size));
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        const auto held = static_cast<std::uint64_t>(st->column_int(0));
        result.log_entries_missing = tree_size - std::min(tree_size, held + fresh.size());
    }

    // 13. Store it all at once.
    const std::string now = detail::utc_now();
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    if (result.newly_pinned) {
        auto log_key = crypto::format_verifier_key(sender.log_key);
        if (!log_key) return std::unexpected(log_key.error());
        if (auto r = detail::exec_bound(
                db,
                "INSERT INTO senders (origin, minisign_key, log_key, age_recipient, fingerprint,"
                " pinned_at) VALUES (?,?,?,?,?,?)",
                [&](Stmt& st) {
                    st.bind(1, sender.origin)
                        .bind_blob(2, sender.minisign.blob())
                        .bind(3, *log_key)
                        .bind(4, sender.age.to_string())
                        .bind(5, result.fingerprint)
                        .bind(6, now);
                });
            !r)
            return std::unexpected(r.error());
    }
    if (auto r = detail::exec_bound(
            db,
            "INSERT INTO imported_bundles (bundle, origin, outer_signature, file_sha256,"
            " created_at, imported_at) VALUES (?,?,?,?,?,?)",
            [&](Stmt& st) {
                st.bind_blob(1, manifest->bundle)
                    .bind(2, sender.origin)
                    .bind_blob(3, outer->signature)
                    .bind_blob(4, digests->sha256)
                    .bind(5, manifest->created_at)
                    .bind(6, now);
            });
        !r)
        return std::unexpected(r.error());
    for (const InDoc* d : fresh) {
        if (auto r = detail::exec_bound(
                db,
                "INSERT INTO received_documents (origin, seq, record_id, kind, version, bytes,"
                " minisig, sha256, bundle) VALUES (?,?,?,?,?,?,?,?,?)",
                [&](Stmt& st) {
                    st.bind(1, sender.origin)
                        .bind(2, static_cast<std::int64_t>(d->leaf.sequence))
                        .bind_blob(3, d->record)
                        .bind(4, static_cast<std::int64_t>(d->kind))
                        .bind(5, d->version)
                        .bind_blob(6, bytes_of(d->bytes))
                        .bind_blob(7, bytes_of(d->minisig))
                        .bind_blob(8, d->sha256)
                        .bind_blob(9, manifest->bundle);
                });
            !r)
            return std::unexpected(r.error());
    }
    // Named, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    for (const auto& held : received) {
        const crypto::Sha256Digest& sha = held.first;
        const InFile& file = held.second;
        if (!file.blob) continue;
        if (auto r = detail::exec_bound(
                db,
                "INSERT INTO received_files (sha256, size, blob, key, bundle) VALUES (?,?,?,?,?)",
                [&](Stmt& st) {
                    st.bind_blob(1, sha)
                        .bind(2, static_cast<std::int64_t>(file.size))
                        .bind(3, file.blob->name())
                        .bind_blob(4, file.blob->key().span())
                        .bind_blob(5, manifest->bundle);
                });
            !r)
            return std::unexpected(r.error());
    }
    if (store_note) {
        if (auto r = detail::exec_bound(
                db,
                "INSERT INTO received_checkpoints (origin, size, note, bundle) VALUES (?,?,?,?)",
                [&](Stmt& st) {
                    st.bind(1, sender.origin)
                        .bind(2, static_cast<std::int64_t>(tree_size))
                        .bind_blob(3, bytes_of(*store_note))
                        .bind_blob(4, manifest->bundle);
                });
            !r)
            return std::unexpected(r.error());
    }
    // Each record in the bundle is listed from its latest version now held.
    for (const auto& [rid, list] : by_record) {
        if (auto r = detail::index_received_record(db, *records_->registry_, sender.origin, rid);
            !r)
            return std::unexpected(r.error());
    }
    if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    for (auto& [sha, file] : received) {
        if (file.blob) file.blob->keep();
    }

    // The receipt.
    std::vector<forms::ReceivedDocument> acknowledged;
    for (const auto& d : docs) {
        acknowledged.push_back({d.record, d.kind, d.version, d.leaf.sequence, d.sha256});
    }
    const fs::path receipt_dir =
        options.receipt_dir.empty() ? (bundle.has_parent_path() ? bundle.parent_path() : ".")
                                    : options.receipt_dir;
    auto receipt = detail::write_receipt(*identity, *manifest, digests->sha256, note->second,
                                 acknowledged, receipt_dir);
    if (receipt) {
        result.receipt = *receipt;
    } else {
        result.receipt_problem = receipt.error().message;
    }
    return result;
}

}  // namespace svidok::store
