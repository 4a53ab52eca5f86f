// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/records.h"

#include <algorithm>
#include <map>

#include "blob_files.h"
#include "crypto/encoding.h"
#include "crypto/minisign.h"
#include "db.h"
#include "forms/answers.h"
#include "log_store.h"
#include "record_index_store.h"
#include "record_store.h"
#include "seal_store.h"
#include "store/clock.h"
#include "vault_layer.h"

namespace svidok::store {
namespace {

namespace json = forms::json;
using forms::LeafKind;

constexpr std::size_t kMinIdPrefix = 6;
constexpr std::size_t kMaxIssuesInMessage = 20;

crypto::ByteView blob_of(const RecordId& id) {
    return id;
}

/// The record's row, or not_found naming the id.
struct RecordRow {
    RecordId id{};
    crypto::Sha256Digest form_sha256{};
    bool has_draft = false;
    std::int64_t versions = 0;
    bool withdrawn = false;
    std::string created_at, updated_at;
    bool purged = false;  // delivered; its answers and files were removed (bundles.h)
};

// A record's row with what its status derives from. Columns as read_row() expects them.
constexpr const char* kRowSelect =
    "SELECT id, form_sha256, created_at, updated_at,"
    " EXISTS (SELECT 1 FROM drafts WHERE record_id = r.id),"
    " (SELECT COUNT(*) FROM documents WHERE record_id = r.id AND kind = 1),"
    " EXISTS (SELECT 1 FROM documents WHERE record_id = r.id AND kind = 2),"
    " EXISTS (SELECT 1 FROM purged WHERE record_id = r.id)"
    " FROM records r ";

Result<RecordRow> read_row(const Stmt& st) {
    auto id = fixed_blob<RecordId>(st, 0, "record id");
    if (!id) return std::unexpected(id.error());
    auto sha = fixed_blob<crypto::Sha256Digest>(st, 1, "form hash");
    if (!sha) return std::unexpected(sha.error());
    return RecordRow{*id,
                     *sha,
                     st.column_int(4) != 0,
                     st.column_int(5),
                     st.column_int(6) != 0,
                     st.column_text(2),
                     st.column_text(3),
                     st.column_int(7) != 0};
}

Result<RecordRow> load_row(Db& db, const RecordId& id) {
    auto st = db.prepare(std::string(kRowSelect) + "WHERE id = ?");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, blob_of(id));
    auto rows = collect_rows<RecordRow>(*st, read_row);
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) {
        return fail(Errc::not_found, "no record " + forms::format_record_id(id),
                    "`svidok-cli record list` shows the records of this vault");
    }
    return std::move(rows->front());
}

RecordStatus status_of(const RecordRow& r) {
    if (r.withdrawn) return RecordStatus::withdrawn;
    if (r.versions == 0) return RecordStatus::draft;
    return r.versions == 1 ? RecordStatus::sealed : RecordStatus::amended;
}

Result<const forms::FormDefinition*> form_by_hash(const forms::FormRegistry& registry,
                                                  const crypto::Sha256Digest& sha) {
    const auto* form = registry.find(sha);
    if (form == nullptr) {
        return fail(Errc::not_found,
                    "the form definition " + crypto::to_hex(sha) + " is not available",
                    "load the definition's file with --forms DIR");
    }
    return form;
}

Result<RecordInfo> info_of(const forms::FormRegistry& registry, const RecordRow& row) {
    auto form = form_by_hash(registry, row.form_sha256);
    if (!form) return std::unexpected(form.error());
    return RecordInfo{row.id,       *form,          status_of(row), row.has_draft,
                      row.versions, row.created_at, row.updated_at};
}

Result<json::Value> parse_answers(std::string_view text) {
    auto v = json::parse(text);
    if (!v) return std::unexpected(std::move(v.error()).wrap("vault.db: draft answers"));
    return v;
}

Result<std::string> canonical_answers(const json::Value& answers) {
    if (!answers.is_object()) {
        return fail(Errc::invalid, "the answers must be a JSON object keyed by field id",
                    "`svidok-cli form template ID` shows the shape");
    }
    const auto too_large = [](std::size_t bytes) {
        return fail(Errc::invalid,
                    "the answers are larger than the " + std::to_string(forms::kMaxAnswersBytes) +
                        " bytes allowed (at least " + std::to_string(bytes) +
                        " bytes as canonical JSON)",
                    "shorten the longest answers; put long material in attached files");
    };
    // Checked before canonicalizing, so an oversized value costs no second copy.
    if (const auto at_least = json::canonical_size_at_least(answers, forms::kMaxAnswersBytes);
        at_least > forms::kMaxAnswersBytes)
        return too_large(at_least);
    auto text = json::canonicalize(answers);
    if (text && text->size() > forms::kMaxAnswersBytes) return too_large(text->size());
    return text;
}

Result<void> store_form(Db& db, const forms::FormDefinition& form) {
    auto st = db.prepare("INSERT OR IGNORE INTO forms (sha256, file_name, bytes) VALUES (?, ?, ?)");
    if (!st) return std::unexpected(st.error());
    return st->bind_blob(1, form.sha256())
        .bind(2, form.file_name())
        .bind_blob(3, crypto::as_bytes(form.bytes()))
        .run();
}

Result<void> touch(Db& db, const RecordId& id) {
    auto st = db.prepare("UPDATE records SET updated_at = ? WHERE id = ?");
    if (!st) return std::unexpected(st.error());
    return st->bind(1, utc_now()).bind_blob(2, blob_of(id)).run();
}

Result<SignedDocument> read_document(const Stmt& st) {
    // Columns: kind, version, seq, sha256, bytes, minisig.
    SignedDocument d;
    d.kind = static_cast<LeafKind>(st.column_int(0));
    d.version = st.column_int(1);
    d.sequence = static_cast<std::uint64_t>(st.column_int(2));
    auto sha = fixed_blob<crypto::Sha256Digest>(st, 3, "document hash");
    if (!sha) return std::unexpected(sha.error());
    d.sha256 = *sha;
    d.bytes = st.column_text(4);
    d.minisig = st.column_text(5);
    return d;
}

/// The latest sealed version's document.
Result<SignedDocument> latest_version(Db& db, const RecordId& id) {
    auto st = db.prepare(
        "SELECT kind, version, seq, sha256, bytes, minisig FROM documents"
        " WHERE record_id = ? AND kind = 1 ORDER BY version DESC LIMIT 1");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, blob_of(id));
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row)
        return fail(Errc::invalid, "record " + forms::format_record_id(id) + " is not sealed");
    return read_document(*st);
}

std::string issues_message(const std::vector<forms::FieldIssue>& issues) {
    std::string msg = "the record cannot be sealed: " + std::to_string(issues.size()) +
                      (issues.size() == 1 ? " problem" : " problems");
    for (std::size_t i = 0; i < issues.size() && i < kMaxIssuesInMessage; ++i) {
        msg += "\n  " + (issues[i].path.empty() ? std::string("(answers)") : issues[i].path) +
               ": " + issues[i].message;
    }
    if (issues.size() > kMaxIssuesInMessage) msg += "\n  ...";
    return msg;
}

/// Signs `bytes`, appends the leaf and stores the document; inside the caller's transaction.
Result<SignedDocument> append_document(Db& db, const Identity& identity, LeafKind kind,
                                       const RecordId& id, std::int64_t version,
                                       const forms::SealStamp& stamp, std::string bytes,
                                       const std::string& trusted_comment) {
    auto key = identity.signing_key();
    if (!key) return std::unexpected(key.error());
    auto minisig = forms::sign_document(*key, bytes, trusted_comment);
    if (!minisig) return std::unexpected(minisig.error());
    auto leaf = forms::leaf_for_document(kind, stamp, id, bytes, *minisig);
    if (!leaf) return std::unexpected(leaf.error());
    if (auto r = detail::append_leaf(db, *leaf); !r) return std::unexpected(r.error());
    auto st = db.prepare(
        "INSERT INTO documents (seq, record_id, kind, version, bytes, minisig, sha256)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!st) return std::unexpected(st.error());
    st->bind(1, static_cast<std::int64_t>(stamp.sequence))
        .bind_blob(2, blob_of(id))
        .bind(3, static_cast<std::int64_t>(kind))
        .bind(4, version)
        .bind_blob(5, crypto::as_bytes(bytes))
        .bind_blob(6, crypto::as_bytes(*minisig))
        .bind_blob(7, leaf->document_sha256);
    if (auto r = st->run(); !r) return std::unexpected(r.error());
    if (auto r = touch(db, id); !r) return std::unexpected(r.error());
    return SignedDocument{kind,
                          version,
                          stamp.sequence,
                          leaf->document_sha256,
                          std::move(bytes),
                          std::move(*minisig)};
}

/// Whether a new version may be sealed: the record is sealed and consent was not withdrawn.
Result<void> amendable(const RecordRow& row) {
    if (row.versions == 0) {
        return fail(Errc::invalid, "record " + forms::format_record_id(row.id) + " is a draft",
                    "edit the draft with `record update`, then seal it");
    }
    if (row.withdrawn) {
        return fail(Errc::invalid,
                    "the witness withdrew consent for record " + forms::format_record_id(row.id),
                    "a record is not amended after consent was withdrawn");
    }
    if (row.purged) {
        return fail(Errc::invalid,
                    "record " + forms::format_record_id(row.id) +
                        " was delivered and its answers were purged from this vault",
                    "the legal team holds it; consent can still be withdrawn here");
    }
    return {};
}

/// Inserts the record's draft row. Inside a transaction.
Result<void> insert_draft(Db& db, const RecordId& id, const std::string& canonical,
                          const std::string& now) {
    auto st = db.prepare("INSERT INTO drafts (record_id, answers, updated_at) VALUES (?, ?, ?)");
    if (!st) return std::unexpected(st.error());
    return st->bind_blob(1, blob_of(id))
        .bind_blob(2, crypto::as_bytes(canonical))
        .bind(3, now)
        .run();
}

Result<forms::SealStamp> stamp_for(Db& db, const Identity& identity) {
    auto seq = detail::next_sequence(db);
    if (!seq) return std::unexpected(seq.error());
    auto [at, offset] = stamp_now();
    return forms::SealStamp{identity.log_origin(), identity.sign_key_id, *seq, at, offset};
}

}  // namespace

namespace detail {

Result<std::string> record_id_prefix(std::string_view text) {
    std::string prefix(text);
    const bool hex = std::ranges::all_of(prefix, [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
    if (!hex || prefix.size() < kMinIdPrefix || prefix.size() > 2 * forms::kRecordIdBytes) {
        return fail(Errc::usage, "a record id is 32 hex digits (or a unique prefix of at least " +
                                     std::to_string(kMinIdPrefix) + ")");
    }
    std::ranges::transform(prefix, prefix.begin(), [](char c) {
        return (c >= 'a' && c <= 'f') ? static_cast<char>(c - 'a' + 'A') : c;
    });
    return prefix;
}

Result<> write_draft(Db& db, const RecordId& id, const json::Value& answers) {
    auto text = canonical_answers(answers);
    if (!text) return std::unexpected(text.error());
    auto st = db.prepare("UPDATE drafts SET answers = ?, updated_at = ? WHERE record_id = ?");
    if (!st) return std::unexpected(st.error());
    if (auto r = st->bind_blob(1, crypto::as_bytes(*text))
                     .bind(2, utc_now())
                     .bind_blob(3, blob_of(id))
                     .run();
        !r) {
        return r;
    }
    return touch(db, id);
}

Result<std::map<crypto::Sha256Digest, std::vector<std::int64_t>>> sealed_attachments(
    Db& db, const RecordId& id) {
    auto st = db.prepare(
        "SELECT version, bytes FROM documents WHERE record_id = ? AND kind = 1 ORDER BY version");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, blob_of(id));
    std::map<crypto::Sha256Digest, std::vector<std::int64_t>> out;
    for (;;) {
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) return out;
        auto doc = forms::parse_record(st->column_text(1));
        if (!doc) return std::unexpected(std::move(doc.error()).wrap("vault.db: stored record"));
        for (const auto& a : doc->attachments) out[a.sha256].push_back(st->column_int(0));
    }
}

}  // namespace detail

std::string_view record_status_name(RecordStatus status) noexcept {
    switch (status) {
        case RecordStatus::draft:
            return "draft";
        case RecordStatus::sealed:
            return "sealed";
        case RecordStatus::amended:
            return "amended";
        case RecordStatus::withdrawn:
            return "withdrawn";
    }
    return "unknown";
}

Result<Records> Records::open(Vault& vault, forms::FormRegistry& registry) {
    auto st = detail::database(vault).prepare("SELECT file_name, bytes FROM forms");
    if (!st) return std::unexpected(st.error());
    for (;;) {
        auto row = st->step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        auto name = st->column_text(0);
        auto form = forms::parse_definition(name, st->column_text(1));
        if (!form) return std::unexpected(std::move(form.error()).wrap("vault.db: stored form"));
        // Errc::exists: another definition with this id and version was loaded first (from a
        // forms directory); records filled with the stored one then report it as unavailable.
        if (auto r = registry.add(std::move(*form)); !r && r.error().code != Errc::exists) {
            return std::unexpected(r.error());
        }
    }
    return Records(vault, registry);
}

Result<const forms::FormDefinition*> Records::draft_form(const RecordId& id) {
    auto row = load_row(detail::database(*vault_), id);
    if (!row) return std::unexpected(row.error());
    if (!row->has_draft) {
        return fail(Errc::invalid,
                    "record " + forms::format_record_id(id) +
                        " is sealed; its answers and files are covered by its signature",
                    "start an amendment with `svidok-cli record amend " +
                        forms::format_record_id(id) +
                        "`, change it, then seal it as the next version");
    }
    return form_by_hash(*registry_, row->form_sha256);
}

Result<RecordId> Records::create_draft(const forms::FormDefinition& form,
                                       const json::Value& answers) {
    auto text = canonical_answers(answers);
    if (!text) return std::unexpected(text.error());
    Db& db = detail::database(*vault_);
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = store_form(db, form); !r) return std::unexpected(r.error());
    const RecordId id = forms::random_record_id();
    const std::string now = utc_now();
    auto rec = db.prepare(
        "INSERT INTO records (id, form_sha256, created_at, updated_at) VALUES (?, ?, ?, ?)");
    if (!rec) return std::unexpected(rec.error());
    if (auto r = rec->bind_blob(1, blob_of(id))
                     .bind_blob(2, form.sha256())
                     .bind(3, now)
                     .bind(4, now)
                     .run();
        !r) {
        return std::unexpected(r.error());
    }
    if (auto r = insert_draft(db, id, *text, now); !r) return std::unexpected(r.error());
    if (auto r = detail::index_own_record(db, *registry_, id); !r)
        return std::unexpected(r.error());
    if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    return id;
}

Result<std::vector<forms::FieldIssue>> Records::update_draft(const RecordId& id,
                                                             const json::Value& answers) {
    Db& db = detail::database(*vault_);
    auto form = draft_form(id);
    if (!form) return std::unexpected(form.error());
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = detail::write_draft(db, id, answers); !r) return std::unexpected(r.error());
    if (auto r = detail::index_own_record(db, *registry_, id); !r)
        return std::unexpected(r.error());
    if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    auto check = check_answers(id, **form, answers);
    if (!check) return std::unexpected(check.error());
    return std::move(check->issues);
}

Result<void> Records::begin_amendment(const RecordId& id) {
    Db& db = detail::database(*vault_);
    auto row = load_row(db, id);
    if (!row) return std::unexpected(row.error());
    if (auto r = amendable(*row); !r) return r;
    if (row->has_draft) {
        return fail(Errc::exists,
                    "record " + forms::format_record_id(id) + " already has an amendment draft",
                    "change it with `record update`, then `record seal`; or drop it with "
                    "`record discard`");
    }
    auto latest = answers(id);
    if (!latest) return std::unexpected(latest.error());
    auto text = canonical_answers(*latest);
    if (!text) return std::unexpected(text.error());
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = insert_draft(db, id, *text, utc_now()); !r) return r;
    if (auto r = touch(db, id); !r) return r;
    if (auto r = detail::index_own_record(db, *registry_, id); !r) return r;
    return txn->commit();
}

Result<void> Records::discard_draft(const RecordId& id) {
    Db& db = detail::database(*vault_);
    auto row = load_row(db, id);
    if (!row) return std::unexpected(row.error());
    if (!row->has_draft) {
        return fail(Errc::invalid,
                    "record " + forms::format_record_id(id) + " is sealed and is never deleted",
                    "to record that the witness withdrew consent, use `record withdraw-consent`");
    }
    // Files no sealed version references go with the draft; the rest stay with the record.
    auto sealed = detail::sealed_attachments(db, id);
    if (!sealed) return std::unexpected(sealed.error());
    auto files = db.prepare("SELECT sha256, blob FROM attachments WHERE record_id = ?");
    if (!files) return std::unexpected(files.error());
    files->bind_blob(1, blob_of(id));
    std::vector<std::string> blobs;
    std::vector<crypto::Sha256Digest> hashes;
    for (;;) {
        auto next = files->step();
        if (!next) return std::unexpected(next.error());
        if (!*next) break;
        auto sha = fixed_blob<crypto::Sha256Digest>(*files, 0, "attachment hash");
        if (!sha) return std::unexpected(sha.error());
        if (sealed->contains(*sha)) continue;
        hashes.push_back(*sha);
        blobs.push_back(files->column_text(1));
    }
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    auto del = db.prepare("DELETE FROM attachments WHERE record_id = ? AND sha256 = ?");
    if (!del) return std::unexpected(del.error());
    for (const auto& sha : hashes) {
        del->reset();
        if (auto r = del->bind_blob(1, blob_of(id)).bind_blob(2, sha).run(); !r) return r;
    }
    std::vector<const char*> statements{"DELETE FROM drafts WHERE record_id = ?"};
    if (row->versions == 0) statements.push_back("DELETE FROM records WHERE id = ?");
    for (const char* sql : statements) {
        auto st = db.prepare(sql);
        if (!st) return std::unexpected(st.error());
        if (auto r = st->bind_blob(1, blob_of(id)).run(); !r) return r;
    }
    if (auto r = detail::index_own_record(db, *registry_, id); !r) return r;
    if (auto r = txn->commit(); !r) return r;
    detail::remove_blobs(vault_->dir(), blobs);
    return {};
}

Result<Records::AnswersCheck> Records::check_answers(const RecordId& id,
                                                     const forms::FormDefinition& form,
                                                     const json::Value& answers) {
    AnswersCheck out{forms::validate(form, answers), {}};
    // One entry per distinct attached file, ascending by SHA-256 (docs/FORMAT.md 9.1).
    std::map<crypto::Sha256Digest, forms::AttachmentRef> files;
    auto st = detail::database(*vault_).prepare(
        "SELECT name, media_type, size FROM attachments WHERE record_id = ? AND sha256 = ?");
    if (!st) return std::unexpected(st.error());
    for (const auto& ref : forms::attachment_references(form, answers)) {
        auto raw = crypto::from_hex(ref.sha256_hex);
        if (!raw || raw->size() != crypto::kSha256Bytes) continue;  // validation reported it
        crypto::Sha256Digest sha{};
        std::ranges::copy(*raw, sha.begin());
        st->reset();
        st->bind_blob(1, blob_of(id)).bind_blob(2, sha);
        auto found = st->step();
        if (!found) return std::unexpected(found.error());
        if (*found) {
            files[sha] = forms::AttachmentRef{st->column_text(0), st->column_text(1),
                                              static_cast<std::uint64_t>(st->column_int(2)), sha};
        } else {
            out.issues.push_back({ref.path, forms::IssueCode::bad_attachment,
                                  "this file is not attached to the record; attach it or remove "
                                  "the reference"});
        }
    }
    for (auto& [sha, ref] : files) out.attachments.push_back(std::move(ref));
    return out;
}

Result<std::vector<forms::FieldIssue>> Records::check_draft(const RecordId& id) {
    auto row = load_row(detail::database(*vault_), id);
    if (!row) return std::unexpected(row.error());
    if (!row->has_draft) return std::vector<forms::FieldIssue>{};
    auto form = form_by_hash(*registry_, row->form_sha256);
    if (!form) return std::unexpected(form.error());
    auto a = answers(id);
    if (!a) return std::unexpected(a.error());
    auto check = check_answers(id, **form, *a);
    if (!check) return std::unexpected(check.error());
    return std::move(check->issues);
}

Result<SignedDocument> Records::seal_version(const RecordId& id, const forms::FormDefinition& form,
                                             const json::Value& answers, bool from_draft) {
    Db& db = detail::database(*vault_);
    auto check = check_answers(id, form, answers);
    if (!check) return std::unexpected(check.error());
    if (!check->issues.empty()) {
        return fail(Errc::invalid, issues_message(check->issues),
                    "fix these fields, then seal again; nothing was signed");
    }
    auto identity = vault_->identity();
    if (!identity) return std::unexpected(identity.error());

    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    auto row = load_row(db, id);
    if (!row) return std::unexpected(row.error());
    if (row->versions > 0) {
        if (auto r = amendable(*row); !r) return std::unexpected(r.error());
    }
    forms::RecordDocument doc;
    doc.record = id;
    if (row->versions > 0) {
        auto prev = latest_version(db, id);
        if (!prev) return std::unexpected(prev.error());
        doc.version = prev->version + 1;
        doc.previous = prev->sha256;
    }
    doc.form_id = form.id();
    doc.form_version = form.version();
    doc.form_sha256 = form.sha256();
    // docs/FORMAT.md 9.6: the signed document holds sensitive answers only sealed; the draft
    // that held them in plaintext is deleted below, in this transaction.
    auto sealed = detail::seal_sensitive_answers(db, form, id, answers);
    if (!sealed) return std::unexpected(sealed.error());
    doc.answers = std::move(*sealed);

    doc.attachments = std::move(check->attachments);

    auto stamp = stamp_for(db, *identity);
    if (!stamp) return std::unexpected(stamp.error());
    doc.stamp = *stamp;
    auto bytes = forms::encode_record(doc);
    if (!bytes) return std::unexpected(bytes.error());
    auto signed_doc =
        append_document(db, *identity, LeafKind::record_version, id, doc.version, doc.stamp,
                        std::move(*bytes), forms::record_trusted_comment(id, doc.version));
    if (!signed_doc) return std::unexpected(signed_doc.error());
    if (from_draft) {
        auto del = db.prepare("DELETE FROM drafts WHERE record_id = ?");
        if (!del) return std::unexpected(del.error());
        if (auto r = del->bind_blob(1, blob_of(id)).run(); !r) return std::unexpected(r.error());
    }
    if (auto r = detail::index_own_record(db, *registry_, id); !r)
        return std::unexpected(r.error());
    if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    return signed_doc;
}

Result<SignedDocument> Records::seal(const RecordId& id) {
    auto form = draft_form(id);
    if (!form) return std::unexpected(form.error());
    auto a = answers(id);
    if (!a) return std::unexpected(a.error());
    return seal_version(id, **form, *a, true);
}

Result<SignedDocument> Records::amend(const RecordId& id, const json::Value& answers) {
    auto row = load_row(detail::database(*vault_), id);
    if (!row) return std::unexpected(row.error());
    if (auto r = amendable(*row); !r) return std::unexpected(r.error());
    if (row->has_draft) {
        return fail(Errc::exists,
                    "record " + forms::format_record_id(id) + " has an amendment draft",
                    "seal it with `record seal`, or drop it with `record discard` first");
    }
    if (!answers.is_object()) return std::unexpected(canonical_answers(answers).error());
    auto form = form_by_hash(*registry_, row->form_sha256);
    if (!form) return std::unexpected(form.error());
    return seal_version(id, **form, answers, false);
}

Result<SignedDocument> Records::withdraw_consent(const RecordId& id) {
    Db& db = detail::database(*vault_);
    auto row = load_row(db, id);
    if (!row) return std::unexpected(row.error());
    if (row->versions == 0) {
        return fail(Errc::invalid,
                    "record " + forms::format_record_id(id) + " is a draft and was never signed",
                    "delete the draft with `record discard` instead");
    }
    if (row->withdrawn) {
        return fail(Errc::exists,
                    "consent for record " + forms::format_record_id(id) + " was already withdrawn");
    }
    auto identity = vault_->identity();
    if (!identity) return std::unexpected(identity.error());
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    auto latest = latest_version(db, id);
    if (!latest) return std::unexpected(latest.error());
    auto stamp = stamp_for(db, *identity);
    if (!stamp) return std::unexpected(stamp.error());
    forms::WithdrawalDocument doc{id, latest->version, latest->sha256, *stamp};
    auto bytes = forms::encode_withdrawal(doc);
    if (!bytes) return std::unexpected(bytes.error());
    auto signed_doc =
        append_document(db, *identity, LeafKind::withdrawal, id, doc.version, doc.stamp,
                        std::move(*bytes), forms::withdrawal_trusted_comment(id, doc.version));
    if (!signed_doc) return std::unexpected(signed_doc.error());
    if (auto r = detail::index_own_record(db, *registry_, id); !r)
        return std::unexpected(r.error());
    if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    return signed_doc;
}

Result<RecordInfo> Records::info(const RecordId& id) {
    auto row = load_row(detail::database(*vault_), id);
    if (!row) return std::unexpected(row.error());
    return info_of(*registry_, *row);
}

Result<std::vector<RecordInfo>> Records::list() {
    auto st = detail::database(*vault_).prepare(std::string(kRowSelect) + "ORDER BY rowid");
    if (!st) return std::unexpected(st.error());
    return collect_rows<RecordInfo>(*st, [this](const Stmt& row) -> Result<RecordInfo> {
        auto r = read_row(row);
        if (!r) return std::unexpected(r.error());
        return info_of(*registry_, *r);
    });
}

Result<json::Value> Records::answers(const RecordId& id) {
    Db& db = detail::database(*vault_);
    auto st = db.prepare("SELECT answers FROM drafts WHERE record_id = ?");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, blob_of(id));
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (*row) return parse_answers(st->column_text(0));
    auto record = load_row(db, id);
    if (!record) return std::unexpected(record.error());
    if (record->purged) {
        return fail(Errc::invalid,
                    "record " + forms::format_record_id(id) +
                        " was delivered and its answers were purged from this vault",
                    "the legal team holds it");
    }
    auto latest = latest_version(db, id);
    if (!latest) return std::unexpected(latest.error());
    auto doc = forms::parse_record(latest->bytes);
    if (!doc) return std::unexpected(std::move(doc.error()).wrap("vault.db: stored record"));
    return std::move(doc->answers);
}

Result<std::vector<SignedDocument>> Records::documents(const RecordId& id) {
    if (auto r = load_row(detail::database(*vault_), id); !r) return std::unexpected(r.error());
    auto st = detail::database(*vault_).prepare(
        "SELECT kind, version, seq, sha256, bytes, minisig FROM documents"
        " WHERE record_id = ? ORDER BY seq");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, blob_of(id));
    return collect_rows<SignedDocument>(*st, read_document);
}

Result<RecordId> Records::resolve(std::string_view text) {
    auto prefix = detail::record_id_prefix(text);
    if (!prefix) return std::unexpected(prefix.error());
    auto st = detail::database(*vault_).prepare(
        "SELECT id FROM records WHERE substr(hex(id), 1, ?) = ? LIMIT 2");
    if (!st) return std::unexpected(st.error());
    st->bind(1, static_cast<std::int64_t>(prefix->size())).bind(2, *prefix);
    auto found = collect_rows<RecordId>(
        *st, [](const Stmt& row) { return fixed_blob<RecordId>(row, 0, "record id"); });
    if (!found) return std::unexpected(found.error());
    if (found->empty()) {
        return fail(Errc::not_found, "no record " + std::string(text),
                    "`svidok-cli record list` shows the records of this vault");
    }
    if (found->size() > 1) {
        return fail(Errc::usage, "several records start with " + std::string(text),
                    "give more digits of the id");
    }
    return found->front();
}

}  // namespace svidok::store
