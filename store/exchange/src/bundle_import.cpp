// SPDX-License-Identifier: GPL-3.0-or-later
// Importing a bundle (docs/FORMAT.md 12.7): one streaming pass decrypts, unpacks, hashes and
// stores received files under fresh keys; then every signature, proof and the consistency with
// what this vault already holds is checked; only then does one transaction store it all.
#include <algorithm>
#include <map>
#include <set>

#include "blob_files.h"
#include "bundle_internal.h"
#include "crypto/checkpoint.h"
#include "hash_pipeline.h"
#include "record_index_store.h"
#include "sealed_file.h"
#include "store/atomic_file.h"
#include "store/bundles.h"
#include "store/clock.h"
#include "vault_layer.h"

namespace svidok::store {
namespace {

namespace fs = std::filesystem;
namespace ms = crypto::minisign;
using detail::bytes_of;

constexpr std::size_t kMaxSignatureBytes = 16 * 1024;
constexpr std::string_view kShaDiffers = "its SHA-256 differs from the one the manifest states";

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
    auto st =
        db.prepare("SELECT minisign_key, log_key, age_recipient FROM senders WHERE origin = ?");
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
        return tampered(f.path + ": " + std::string(kShaDiffers));
    }
    if (out.blob) {
        if (auto r = out.blob->publish(); !r) return std::unexpected(r.error());
    }
    return out;
}

// --- the verification report (docs/FORMAT.md 17) ---

/// A report entry for a document of the bundle, from its bytes as they are (verification
/// sets its statuses later); `rid` gets its record id when the bytes parse.
ReportRecord report_entry(std::string_view path, std::string_view bytes,
                          const forms::SenderKeys& sender, const std::string& fingerprint,
                          RecordId& rid) {
    ReportRecord r;
    r.id = std::string(path);
    r.kind = path.ends_with("-withdrawal.json") ? "withdrawal" : "record";
    r.signer_key = sender.minisign.to_base64();
    r.signer_fingerprint = fingerprint;
    r.signature = "failed";
    r.inclusion = "not checked";
    r.sha256 = crypto::to_hex(crypto::sha256(bytes_of(bytes)));
    forms::SealStamp stamp;
    if (r.kind == "record") {
        if (auto d = forms::parse_record(bytes)) {
            rid = d->record;
            r.id = forms::format_record_id(d->record);
            r.version = d->version;
            r.form = d->form_id;
            r.form_version = d->form_version;
            stamp = d->stamp;
            for (const auto& a : d->attachments) {
                r.attachments.push_back({a.name, a.size, crypto::to_hex(a.sha256), "not checked"});
            }
        }
    } else if (auto w = forms::parse_withdrawal(bytes)) {
        rid = w->record;
        r.id = forms::format_record_id(w->record);
        r.version = w->version;
        stamp = w->stamp;
    }
    if (!stamp.device.empty()) {
        r.custody.push_back({stamp.sealed_at, "sealed on the device " + stamp.device +
                                                  " (local offset " + stamp.utc_offset +
                                                  "), log entry " +
                                                  std::to_string(stamp.sequence)});
    }
    return r;
}

/// "record <id> version <n>" for an entry, else the path.
std::string report_name(std::string_view path, std::optional<std::size_t> entry,
                        const Report* report) {
    if (!entry) return std::string(path);
    const ReportRecord& r = report->records[*entry];
    if (r.version == 0) return std::string(path);
    std::string out = r.kind == "withdrawal" ? "withdrawal of record " : "record ";
    out += r.id + " version " + std::to_string(r.version);
    return out;
}

/// After the checks: the custody events this vault can state, and the log entries of the
/// checkpoint that are in neither the bundle nor the vault.
Result<> finish_report(Db& db, const std::string& origin, std::uint64_t tree_size,
                       const std::vector<InDoc>& docs, const forms::Manifest& manifest,
                       Report& report) {
    std::set<std::uint64_t> present;
    for (const auto& d : docs) present.insert(d.leaf.sequence);
    for (const auto& r : report.records) {
        if (r.log_index) present.insert(*r.log_index);
    }
    auto st = db.prepare(
        "SELECT d.seq, d.sha256, b.imported_at, b.bundle FROM received_documents d"
        " LEFT JOIN imported_bundles b ON b.bundle = d.bundle WHERE d.origin = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, origin);
    std::map<std::string, std::pair<std::string, std::string>> held;  // sha hex -> when, bundle
    for (;;) {
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        present.insert(static_cast<std::uint64_t>(st->column_int(0)));
        const auto sha = st->column_blob(1);
        const auto bundle = st->column_blob(3);
        held[crypto::to_hex(crypto::ByteView(sha.data(), sha.size()))] = {
            st->column_text(2), crypto::to_hex(crypto::ByteView(bundle.data(), bundle.size()))};
    }
    for (std::uint64_t i = 0; i < tree_size; ++i) {
        if (!present.contains(i)) report.missing.push_back(i);
    }
    if (!report.missing.empty()) {
        std::string list;
        for (auto i : report.missing) list += (list.empty() ? "" : ", ") + std::to_string(i);
        report.findings.push_back(
            make_finding("log.missing", "log entries " + list + " of the sender's checkpoint (" +
                                            std::to_string(tree_size) +
                                            " entries) are in neither this bundle nor this vault"));
    }
    const std::string bundle_id = forms::format_bundle_id(manifest.bundle);
    for (auto& r : report.records) {
        r.custody.push_back({manifest.created_at, "exported in bundle " + bundle_id});
        if (auto it = held.find(r.sha256); it != held.end()) {
            r.custody.push_back({it->second.first, "received by this vault in bundle " +
                                                       it->second.second +
                                                       "; its receipt was written then"});
        } else {
            r.custody.push_back({report.generated_at,
                                 "checked from the bundle file by this report; not stored in "
                                 "this vault"});
        }
    }
    return {};
}

}  // namespace

Result<Report> Bundles::verify_bundle(const fs::path& bundle, const VerifyOptions& options) {
    Report report;
    report.source = "bundle";
    report.subject = bundle.filename().string();
    report.generated_at = utc_now();
    ImportOptions o;
    o.trust_fingerprint = options.trust_fingerprint;
    std::string stage;
    auto r = check_bundle(bundle, o, &report, stage);
    if (!r) {
        const Error& e = r.error();
        std::string code = stage;
        if (e.code == Errc::auth_failed && stage == "bundle.decrypt") {
            code = "bundle.not_addressed";
        } else if (stage == "bundle.entries" &&
                   e.message.find("the encrypted ") != std::string::npos) {
            code = "bundle.decrypt";  // the age layer's failures name the encrypted file
        } else if (e.code == Errc::corrupt &&
                   (stage == "bundle.decrypt" || stage == "bundle.entries")) {
            code = "bundle.malformed";
        } else if (stage == "bundle.entries") {
            code = "bundle.manifest";
        } else if (e.code == Errc::io || e.code == Errc::not_found) {
            code = stage == "bundle.signature" ? stage : "check.error";
        }
        report.findings.push_back(make_finding(code, e.message));
        report.bundle_failed = true;
    }
    return report;
}

Result<Bundles::ImportResult> Bundles::import_bundle(const fs::path& bundle,
                                                     const ImportOptions& options) {
    std::string stage;
    return check_bundle(bundle, options, nullptr, stage);
}

// The checks of 12.7 in order. An import (no report) stops at the first failure and stores
// nothing unless everything holds. A verification (docs/FORMAT.md 17) notes each document's
// failures on its report entry and goes on; a failure of the bundle as a whole ends it, and
// `stage` names the finding code for it. It stores nothing: no blob, no row, no receipt.
Result<Bundles::ImportResult> Bundles::check_bundle(const fs::path& bundle,
                                                    const ImportOptions& options, Report* report,
                                                    std::string& stage) {
    const bool collect = report != nullptr;
    stage = "bundle.signature";
    // Report entries of the bundle's documents, by path and by record.
    std::map<std::string, std::size_t, std::less<>> entry_of;
    std::map<RecordId, std::vector<std::size_t>> entries_of_record;
    auto add_finding = [&](std::optional<std::size_t> entry, std::string code, std::string what) {
        auto f = make_finding(std::move(code), std::move(what));
        if (entry) {
            report->records[*entry].findings.push_back(std::move(f));
        } else {
            report->findings.push_back(std::move(f));
        }
    };
    // A failure of one document: the import ends, a verification notes it and goes on.
    auto doc_problem = [&](std::string_view path, std::string code, std::string what,
                           std::string report_what = {}) -> std::optional<std::unexpected<Error>> {
        if (!collect) return tampered(std::move(what));
        auto it = entry_of.find(path);
        add_finding(it == entry_of.end() ? std::nullopt : std::optional(it->second),
                    std::move(code),
                    report_what.empty() ? std::move(what) : std::move(report_what));
        return std::nullopt;
    };
    auto record_problem = [&](const RecordId& rid, std::string code,
                              std::string what) -> std::optional<std::unexpected<Error>> {
        if (!collect) return tampered(std::move(what));
        auto it = entries_of_record.find(rid);
        add_finding(it == entries_of_record.end() ? std::nullopt : std::optional(it->second.back()),
                    std::move(code), std::move(what));
        return std::nullopt;
    };
    // A failure of the bundle as a whole that does not stop a verification from going on.
    auto bundle_problem = [&](std::string code,
                              std::string what) -> std::optional<std::unexpected<Error>> {
        if (!collect) return tampered(std::move(what));
        add_finding(std::nullopt, std::move(code), std::move(what));
        report->bundle_failed = true;
        return std::nullopt;
    };
    Vault& vault = records_->vault();
    Db& db = detail::database(vault);
    auto identity = vault.identity();
    if (!identity) return std::unexpected(identity.error());
    auto own = identity->x25519_identity();
    if (!own) return std::unexpected(own.error());
    const std::string origin_self = identity->log_origin();

    // 1. The outer signature names the bundle.
    const fs::path sig_path = fs::path(bundle.string() + std::string(forms::kSignatureSuffix));
    auto sig_raw = read_small_file(sig_path, kMaxSignatureBytes);
    if (!sig_raw) {
        return fail(sig_raw.error().code,
                    "the bundle's signature " + sig_path.string() +
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
            if (st->column_blob(0) !=
                std::vector<unsigned char>(outer->signature.begin(), outer->signature.end())) {
                return tampered("a different bundle with the id " +
                                forms::format_bundle_id(*bundle_id) + " was imported before");
            }
            result.already_imported = true;
            if (!collect) {
                auto pinned = pinned_sender(db, st->column_text(1));
                if (!pinned) return std::unexpected(pinned.error());
                if (*pinned) result.sender = **pinned;
                result.fingerprint = st->column_text(2);
                return result;
            }
        }
    }

    // 2-3. Decrypt and unpack in one pass.
    stage = "bundle.decrypt";
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
    stage = "bundle.manifest";
    if (collect) {
        report->bundle_id = forms::format_bundle_id(manifest->bundle);
        report->created_at = manifest->created_at;
        report->sender_origin = manifest->sender.origin;
    }

    // 4. The sender.
    const forms::SenderKeys& sender = manifest->sender;
    result.sender = sender;
    result.fingerprint = fingerprint_of(sender.minisign.key_id, sender.minisign.pk,
                                        sender.log_key.public_key, sender.age.pk);
    if (collect) report->sender_fingerprint = result.fingerprint;
    if (sender.origin == origin_self) {
        stage = "bundle.this_vault";
        return fail(Errc::invalid, "this bundle was made by this vault itself");
    }
    stage = "sender.keys";
    auto pinned = pinned_sender(db, sender.origin);
    if (!pinned) return std::unexpected(pinned.error());
    if (*pinned) {
        if (**pinned != sender) {
            return fail(Errc::integrity,
                        "the bundle claims to come from " + sender.origin +
                            " but is signed with other keys than the ones pinned for it "
                            "(this bundle's fingerprint: " +
                            result.fingerprint + ")",
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
        if (!options.trust_fingerprint && collect) {
            add_finding(std::nullopt, "sender.unconfirmed",
                        "the sender " + sender.origin +
                            " is not pinned in this vault; its fingerprint "
                            "is " +
                            result.fingerprint + ": compare it with the sender out of band");
            report->findings.back().severity = Finding::Severity::warn;
        } else if (!options.trust_fingerprint) {
            return fail(
                Errc::auth_failed,
                "unknown sender " + sender.origin + " with fingerprint " + result.fingerprint,
                "compare this fingerprint with the one the sender reads out from "
                "`svidok-cli identity`, then import again with --trust-fingerprint \"" +
                    result.fingerprint + "\"");
        } else if (digits_only(*options.trust_fingerprint) != digits_only(result.fingerprint) ||
                   digits_only(result.fingerprint).size() != 25) {
            return fail(
                Errc::auth_failed,
                "the fingerprint you confirmed does not match the sender's: " + result.fingerprint,
                "do not import this bundle unless the sender confirms this fingerprint");
        }
        result.newly_pinned = true;
    }
    stage = "bundle.signature";
    if (outer->key_id != sender.minisign.key_id) {
        return tampered("the bundle file is signed by key " + ms::format_key_id(outer->key_id) +
                        ", not by its sender's key " + ms::format_key_id(sender.minisign.key_id));
    }
    stage = "bundle.manifest";
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
    stage = "bundle.entries";
    if (std::ranges::find(manifest->recipients, own->recipient()) == manifest->recipients.end()) {
        return tampered("this vault is not among the bundle's stated recipients");
    }

    // The entries, in manifest order. Progress counts documents as their proofs arrive.
    progress.documents_total = static_cast<std::uint64_t>(std::ranges::count_if(
        manifest->files, [](const auto& f) { return f.path.ends_with(".inclusion.json"); }));
    std::map<std::string, std::string, std::less<>> small;
    std::map<crypto::Sha256Digest, InFile> received;
    std::set<crypto::Sha256Digest> altered_files;  // verification: attachments whose hash differs
    std::set<std::string> altered_entries;         // verification: other entries
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
            auto got = receive_file(**in, vault.dir(), f, !*held && !collect);
            if (!got && collect && got.error().message.ends_with(kShaDiffers)) {
                altered_files.insert(f.sha256);  // noted on the records that list it
                continue;
            }
            if (!got) return std::unexpected(got.error());
            received.emplace(f.sha256, std::move(*got));
        } else {
            auto bytes = (*in)->read_all(*e);
            if (!bytes) return std::unexpected(bytes.error());
            if (crypto::sha256(bytes_of(*bytes)) != f.sha256) {
                if (!collect) return tampered(f.path + ": " + std::string(kShaDiffers));
                altered_entries.insert(f.path);  // noted on its document below
            }
            if (f.path.ends_with(".inclusion.json")) ++progress.documents_done;
            small.emplace(f.path, std::move(*bytes));
        }
    }
    auto digests = (*in)->finish();
    if (!digests) return std::unexpected(digests.error());

    // 5. The outer signature over the whole file.
    stage = "bundle.signature";
    auto outer_ok = ms::verify_prehashed(sender.minisign, digests->blake2b, sig_text);
    if (!outer_ok)
        return tampered("the bundle file does not match its signature: " +
                        outer_ok.error().message);

    // 6. The checkpoint.
    stage = "checkpoint.invalid";
    auto note = small.find(forms::kCheckpointPath);
    if (note == small.end()) return tampered("the bundle has no log checkpoint");
    const std::array known{sender.log_key};
    auto cp = crypto::open_checkpoint(note->second, known);
    if (!cp) return tampered("log/checkpoint: " + cp.error().message);
    if (cp->checkpoint.origin != sender.origin ||
        cp->checkpoint.size != manifest->checkpoint_size ||
        cp->checkpoint.root != manifest->checkpoint_root) {
        return tampered("log/checkpoint differs from the checkpoint the manifest states");
    }
    const std::uint64_t tree_size = cp->checkpoint.size;
    result.checkpoint_size = tree_size;
    if (collect) {
        report->checkpoint_size = tree_size;
        report->checkpoint_root = crypto::to_base64(cp->checkpoint.root);
        report->checkpoint_signer = sender.log_key.name;
        report->checkpoint_note = note->second;
        for (const auto& c : cp->cosignatures) {
            report->cosignatures.push_back(
                c.name + (c.timestamp ? " at " + std::to_string(*c.timestamp) : std::string()));
        }
    }
    stage = "bundle.entries";

    // 7. Documents.
    std::vector<InDoc> docs;
    std::set<std::string> used{std::string(forms::kCheckpointPath)};
    std::set<std::string> unclaimed = altered_entries;  // verification: not noted on a document
    for (const auto& small_file : small) {
        // Named references, not a structured binding: the lambdas below use `path`, which
        // clang 14 (the fuzz build) cannot capture from a binding.
        const auto& path = small_file.first;
        const auto& bytes = small_file.second;
        if (!path.starts_with("records/") || !path.ends_with(".json") ||
            path.ends_with(".inclusion.json"))
            continue;
        InDoc d;
        d.bytes = bytes;
        d.sha256 = crypto::sha256(bytes_of(bytes));
        const std::string sig_name = path + std::string(forms::kSignatureSuffix);
        const std::string proof_name = path.substr(0, path.size() - 5) + ".inclusion.json";
        used.insert(path);
        used.insert(sig_name);
        used.insert(proof_name);
        std::optional<std::size_t> slot;
        if (collect) {
            slot = report->records.size();
            entry_of.emplace(path, *slot);
            RecordId rid{};
            report->records.push_back(report_entry(path, bytes, sender, result.fingerprint, rid));
            entries_of_record[rid].push_back(*slot);
            for (const std::string& part : {path, sig_name, proof_name}) {
                unclaimed.erase(part);
                if (altered_entries.contains(part)) {
                    (void)doc_problem(path, "record.hash", part + ": " + std::string(kShaDiffers));
                }
            }
        }
        auto sig = small.find(sig_name);
        auto proof_text = small.find(proof_name);
        if (sig == small.end() || proof_text == small.end()) {
            if (auto e = doc_problem(path, "record.malformed",
                                     path + " comes without its signature or inclusion proof"))
                return *e;
            continue;
        }
        d.minisig = sig->second;
        const bool withdrawal = path.ends_with("-withdrawal.json");
        forms::SealStamp stamp;
        // What a report says of a document whose signature does not verify.
        auto unsigned_doc = [&](const Error& e) {
            const bool bad_sig = e.code == Errc::integrity;
            return doc_problem(path, bad_sig ? "record.signature" : "record.malformed",
                               path + ": " + e.message,
                               bad_sig ? report_name(path, slot, report) +
                                             ": the signature does not match the sender's key " +
                                             sender.minisign.to_base64() + " (" + e.message + ")"
                                       : std::string());
        };
        if (withdrawal) {
            auto w = forms::verify_withdrawal(bytes, d.minisig, sender.minisign);
            if (!w) {
                if (auto e = unsigned_doc(w.error())) return *e;
                continue;
            }
            d.kind = forms::LeafKind::withdrawal;
            d.record = w->record;
            d.version = w->version;
            stamp = w->stamp;
            d.withdrawal = std::move(*w);
        } else {
            auto r = forms::verify_record(bytes, d.minisig, sender.minisign);
            if (!r) {
                if (auto e = unsigned_doc(r.error())) return *e;
                continue;
            }
            d.record = r->record;
            d.version = r->version;
            stamp = r->stamp;
            d.record_doc = std::move(*r);
        }
        if (forms::document_path(d.record, d.kind, d.version) != path) {
            if (auto e = doc_problem(path, "record.malformed",
                                     path + " holds the document of another record or version"))
                return *e;
            continue;
        }
        if (stamp.device != sender.origin) {
            if (auto e =
                    doc_problem(path, "record.signature",
                                path + " was sealed by " + stamp.device + ", not by the sender"))
                return *e;
            continue;
        }
        if (slot) report->records[*slot].signature = "verified";
        auto leaf = forms::leaf_for_document(d.kind, stamp, d.record, bytes, d.minisig);
        if (!leaf) return std::unexpected(leaf.error());
        d.leaf = *leaf;
        if (slot) report->records[*slot].log_index = leaf->sequence;
        auto proof = forms::InclusionProof::parse(proof_text->second);
        if (!proof) {
            if (auto e = doc_problem(path, "record.inclusion",
                                     proof_name + ": " + proof.error().message))
                return *e;
            continue;
        }
        if (auto ok = proof->verify(tree_size, cp->checkpoint.root); !ok) {
            if (auto e =
                    doc_problem(path, "record.inclusion", proof_name + ": " + ok.error().message))
                return *e;
            continue;
        }
        if (*leaf != proof->leaf) {
            if (auto e = doc_problem(path, "record.inclusion",
                                     proof_name + " proves another log entry than " + path))
                return *e;
            continue;
        }
        if (slot) report->records[*slot].inclusion = "verified";
        docs.push_back(std::move(d));
    }
    for (const std::string& path : unclaimed) {
        if (auto e = bundle_problem("bundle.manifest", path + ": " + std::string(kShaDiffers)))
            return *e;
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
        if (versions.empty()) {
            if (auto e =
                    record_problem(rid, "record.chain", name + ": a withdrawal without the record"))
                return *e;
            continue;
        }
        std::int64_t expected = 1;
        const Version* prev = nullptr;
        std::optional<std::string> broken;
        for (const auto& [v, version] : versions) {
            if (v != expected) {
                broken = name + ": version " + std::to_string(expected) +
                         " is neither in the bundle nor received before";
                break;
            }
            if (prev != nullptr) {
                auto link = forms::check_chain_link(prev->first, prev->second, version.first);
                if (!link) {
                    broken = name + ": " + link.error().message;
                    break;
                }
            }
            prev = &version;
            ++expected;
        }
        if (collect) {
            for (std::size_t i : entries_of_record[rid]) {
                for (const auto& [v, version] : versions) report->records[i].chain.push_back(v);
            }
        }
        if (broken) {
            if (auto e = record_problem(rid, "record.chain", *broken)) return *e;
            continue;
        }
        if (withdrawal && (withdrawal->version != prev->first.version ||
                           withdrawal->version_sha256 != prev->second)) {
            if (auto e = record_problem(rid, "record.chain",
                                        name + ": the withdrawal does not name the newest version"))
                return *e;
        }
    }

    // 9. Files: exactly those the documents list.
    std::set<crypto::Sha256Digest> listed;
    for (const auto& d : docs) {
        if (!d.record_doc) continue;
        const std::string path = forms::document_path(d.record, d.kind, d.version);
        auto status = [&](const forms::AttachmentRef& a, std::string s) {
            if (!collect) return;
            for (auto& att : report->records[entry_of.at(path)].attachments) {
                if (att.sha256 == crypto::to_hex(a.sha256)) att.status = s;
            }
        };
        for (const auto& a : d.record_doc->attachments) {
            listed.insert(a.sha256);
            const std::string what = "attachment " + a.name + ": ";
            auto it = received.find(a.sha256);
            if (it == received.end() && altered_files.contains(a.sha256)) {
                status(a, "hash differs");
                (void)doc_problem(path, "attachment.hash",
                                  what + "hash differs: the bytes of " +
                                      forms::attachment_path(a.sha256) +
                                      " in the bundle are not the file this record lists");
            } else if (it == received.end()) {
                auto held = file_held(db, a.sha256);
                if (!held) return std::unexpected(held.error());
                if (!*held) {
                    status(a, "missing");
                    if (auto e = doc_problem(
                            path, "attachment.missing",
                            "record " + forms::format_record_id(d.record) + " lists the file " +
                                crypto::to_hex(a.sha256) + ", which the bundle does not hold",
                            what + "missing: the file " + crypto::to_hex(a.sha256) +
                                " is neither in the bundle nor in this vault"))
                        return *e;
                } else {
                    status(a, "held before");
                }
            } else if (it->second.size != a.size) {
                status(a, "hash differs");
                if (auto e = doc_problem(path, "attachment.hash",
                                         "the file " + crypto::to_hex(a.sha256) +
                                             " has another size than its record states",
                                         what + "hash differs: its size is not the one the "
                                                "record states"))
                    return *e;
            } else {
                status(a, "verified");
            }
        }
    }
    for (const auto& [sha, file] : received) {
        if (!listed.contains(sha)) {
            if (auto e = bundle_problem("attachment.unlisted", "the bundle holds the file " +
                                                                   crypto::to_hex(sha) +
                                                                   ", which no record in it lists"))
                return *e;
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
                proof->proof.size() !=
                    crypto::consistency_proof_length(proof->from_size, tree_size)) {
                if (auto e = bundle_problem(
                        "checkpoint.invalid",
                        path + " is not a consistency proof to this bundle's checkpoint"))
                    return *e;
            }
        } else if (!used.contains(path)) {
            if (auto e = bundle_problem("bundle.manifest",
                                        path + " belongs to no document of the bundle"))
                return *e;
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
                if (auto e = doc_problem(
                        forms::document_path(d.record, d.kind, d.version), "record.rewritten",
                        "record " + forms::format_record_id(d.record) + " " +
                            std::string(forms::leaf_kind_name(d.kind)) + " " +
                            std::to_string(d.version) +
                            " was rewritten: it differs from the one received before"))
                    return *e;
                same = true;  // a verification: not new either
                break;
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
                if (auto e = bundle_problem(
                        "log.rollback",
                        "the sender's log was rolled back, or this is an older bundle "
                        "delivered late: its checkpoint has " +
                            std::to_string(tree_size) + " entries, one received before had " +
                            std::to_string(held_size)))
                    return *e;
            } else if (tree_size == held_size) {
                if (held->checkpoint.root != cp->checkpoint.root) {
                    if (auto e = bundle_problem(
                            "log.fork", "the sender's log was rewritten: two checkpoints of " +
                                            std::to_string(tree_size) + " entries differ"))
                        return *e;
                }
            } else {
                auto proof_text = small.find(forms::consistency_path(held_size));
                if (proof_text == small.end()) {
                    if (auto e = bundle_problem(
                            "log.unproven",
                            "the bundle cannot show that the sender's log still holds "
                            "everything received before: it has no consistency proof "
                            "from " +
                                std::to_string(held_size) + " entries"))
                        return *e;
                } else if (auto proof = forms::ConsistencyProof::parse(proof_text->second);
                           !proof || proof->from_size != held_size || proof->to_size != tree_size ||
                           !proof->verify(held->checkpoint.root, cp->checkpoint.root)) {
                    if (auto e = bundle_problem(
                            "log.fork",
                            "entries of the sender's log were deleted or rewritten: the log is not "
                            "an extension of the one received before (" +
                                std::to_string(held_size) + " entries)"))
                        return *e;
                } else {
                    store_note = note->second;
                }
            }
        } else {
            store_note = note->second;
        }
    }

    // 12. What the log holds that this vault never received.
    {
        auto st =
            db.prepare("SELECT count(*) FROM received_documents WHERE origin = ? AND seq < ?");
        if (!st) return std::unexpected(st.error());
        st->bind(1, sender.origin).bind(2, static_cast<std::int64_t>(tree_size));
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        const auto held = static_cast<std::uint64_t>(st->column_int(0));
        result.log_entries_missing = tree_size - std::min(tree_size, held + fresh.size());
    }
    if (collect) {
        if (auto r = finish_report(db, sender.origin, tree_size, docs, *manifest, *report); !r)
            return std::unexpected(r.error());
        return result;
    }

    // 13. Store it all at once.
    const std::string now = utc_now();
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
        if (auto r = detail::index_received_record(db, records_->registry(), sender.origin, rid);
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
    const fs::path receipt_dir = options.receipt_dir.empty()
                                     ? (bundle.has_parent_path() ? bundle.parent_path() : ".")
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
