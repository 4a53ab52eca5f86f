// SPDX-License-Identifier: GPL-3.0-or-later
// The case export and the court printout (docs/FORMAT.md 18): gathering the records, writing
// the tables and the decrypted files into a temporary folder renamed at the end.
#include "store/case_export.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>

#include "db.h"
#include "file_io.h"
#include "forms/case_table.h"
#include "forms/csv.h"
#include "forms/json.h"
#include "forms/media.h"
#include "forms/record_print.h"
#include "store/atomic_file.h"
#include "store/attachments.h"
#include "store/bundles.h"
#include "vault_layer.h"

namespace svidok::store {
namespace {

namespace fs = std::filesystem;
namespace ct = forms::case_table;
namespace json = forms::json;

/// Points `latest` at the latest version in `documents` (again, after a move).
void point_latest(CaseRecord& r) {
    r.latest = nullptr;
    for (const auto& d : r.documents) {
        if (d.kind == forms::LeafKind::record_version &&
            (r.latest == nullptr || d.version > r.latest->version)) {
            r.latest = &d;
        }
    }
}

/// The latest version among `docs`, whether any is a withdrawal.
Result<void> fill_latest(CaseRecord& r) {
    for (const auto& d : r.documents) {
        if (d.kind == forms::LeafKind::withdrawal) {
            r.withdrawn = true;
        } else if (r.latest == nullptr || d.version > r.latest->version) {
            r.latest = &d;
        }
    }
    if (r.latest == nullptr) {
        return fail(Errc::not_found,
                    "record " + forms::format_record_id(r.id) + " has no sealed version");
    }
    auto doc = forms::parse_record(r.latest->bytes);
    if (!doc) return std::unexpected(std::move(doc.error()).wrap("vault.db: record"));
    r.latest_doc = std::move(*doc);
    return {};
}

Result<const forms::FormDefinition*> form_of(const forms::FormRegistry& registry,
                                             const forms::RecordDocument& doc) {
    const auto* form = registry.find(doc.form_sha256);
    if (form == nullptr) form = registry.find(doc.form_id, doc.form_version);
    if (form == nullptr) {
        return fail(Errc::not_found,
                    "the form " + doc.form_id + " v" + std::to_string(doc.form_version) +
                        " of record " + forms::format_record_id(doc.record) + " is not known",
                    "give its definition with --forms DIR");
    }
    return form;
}

std::string attachment_file_name(const forms::AttachmentRef& a) {
    std::string name = crypto::to_hex(a.sha256);
    const auto ext = forms::extension_for(a.media_type);
    if (!ext.empty()) {
        name += '.';
        name += ext;
    }
    return name;
}

std::string sealed_text(const CaseRecord& r, std::string_view path) {
    if (!r.received) return std::string(forms::kSealedPlaceholder);
    for (const auto& u : r.opened.units) {
        if (u.path != path) continue;
        if (u.status == forms::SealedStatus::damaged) return "[sealed: damaged]";
        if (u.status == forms::SealedStatus::not_a_recipient) {
            return "[sealed: not readable with this vault's key]";
        }
    }
    return "[sealed]";
}

std::vector<ct::Column> leading_columns(forms::Language lang) {
    std::vector<ct::Column> out;
    for (std::string_view k :
         {"record_id", "version", "origin", "sealed_at", "sha256", "verification"}) {
        out.push_back({std::string(k), std::string(ct::word(k, lang))});
    }
    return out;
}

/// Creates `path` (which must not exist) mode 0600 and streams into it.
class OutFile {
public:
    static Result<OutFile> create(const fs::path& path) {
        Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (fd.get() < 0) {
            return fail(Errc::io, "cannot create " + path.string() + ": " + errno_text(errno));
        }
        return OutFile(path, std::move(fd));
    }
    Result<> write(crypto::ByteView bytes) { return write_all(fd_.get(), bytes, path_); }
    Result<> finish() {
        if (auto r = sync_file(fd_.get(), path_); !r) return r;
        if (::close(fd_.release()) != 0) {
            return fail(Errc::io, "cannot write " + path_.string() + ": " + errno_text(errno));
        }
        return {};
    }

private:
    OutFile(fs::path path, Fd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
    fs::path path_;
    Fd fd_;
};

Result<> write_text(const fs::path& path, std::string_view text) {
    auto f = OutFile::create(path);
    if (!f) return std::unexpected(f.error());
    if (auto r = f->write(crypto::as_bytes(text)); !r) return r;
    return f->finish();
}

/// Removes the temporary folder unless the export completed.
class TempTree {
public:
    explicit TempTree(fs::path p) : path_(std::move(p)) {}
    TempTree(const TempTree&) = delete;
    TempTree& operator=(const TempTree&) = delete;
    ~TempTree() {
        if (!armed_) return;
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    void disarm() noexcept { armed_ = false; }

private:
    fs::path path_;
    bool armed_ = true;
};

std::string table_file(const forms::FormDefinition& form, const ct::Table& t,
                       std::string_view ext) {
    std::string name = form.id() + "-v" + std::to_string(form.version());
    if (!t.key.empty()) {
        name += '.';
        name += t.key;
    }
    name += '.';
    name += ext;
    return name;
}

json::Value columns_json(const ct::Table& t) {
    json::Array cols;
    for (const auto& c : t.columns) {
        json::Object o;
        o.emplace_back("key", json::Value(c.key));
        o.emplace_back("header", json::Value(c.header));
        cols.emplace_back(std::move(o));
    }
    return json::Value(std::move(cols));
}

json::Object row_json(const ct::Table& t, const std::vector<std::string>& row, std::size_t from) {
    json::Object o;
    for (std::size_t c = from; c < t.columns.size(); ++c) {
        o.emplace_back(t.columns[c].key, json::Value(row[c]));
    }
    return o;
}

}  // namespace

CaseVerdict stored_verdict(const CaseRecord& r) {
    if (r.latest == nullptr) return {false, "no signed version"};
    if (crypto::sha256(crypto::as_bytes(r.latest->bytes)) != r.latest->sha256) {
        return {false, "FAILED: the document's SHA-256 differs from the one recorded"};
    }
    auto v = forms::verify_record(r.latest->bytes, r.latest->minisig, r.signer);
    if (!v) return {false, "FAILED: " + v.error().message};
    return {true, r.received ? "verified at import; signature and SHA-256 checked again"
                             : "signed on this device; signature and SHA-256 checked again"};
}

Result<std::vector<CaseRecord>> CaseExport::collect(const std::optional<std::string>& form) {
    Bundles bundles(*records_);
    std::vector<CaseRecord> out;
    // Received records, by sender and id.
    auto senders = bundles.senders();
    if (!senders) return std::unexpected(senders.error());
    auto st = detail::database(records_->vault())
                  .prepare(
                      "SELECT DISTINCT origin, record_id FROM received_documents ORDER BY origin, "
                      "record_id");
    if (!st) return std::unexpected(st.error());
    auto ids = collect_rows<std::pair<std::string, RecordId>>(
        *st, [](const Stmt& row) -> Result<std::pair<std::string, RecordId>> {
            auto id = fixed_blob<RecordId>(row, 1, "received record id");
            if (!id) return std::unexpected(id.error());
            return std::pair{row.column_text(0), *id};
        });
    if (!ids) return std::unexpected(ids.error());
    for (const auto& [origin, id] : *ids) {
        auto rec = bundles.open_received(origin, id);
        if (!rec) return std::unexpected(rec.error());
        CaseRecord r;
        r.received = true;
        r.origin = origin;
        r.id = id;
        r.documents = std::move(rec->documents);
        if (auto f = fill_latest(r); !f) return std::unexpected(f.error());
        r.opened = std::move(rec->opened);
        for (const auto& s : *senders) {
            if (s.keys.origin == origin) r.signer = s.keys.minisign;
        }
        auto f = form_of(records_->registry(), r.latest_doc);
        if (!f) return std::unexpected(f.error());
        r.form = *f;
        if (form && r.form->id() != *form) continue;
        out.push_back(std::move(r));
    }
    // This vault's own sealed records.
    auto identity = records_->vault().identity();
    if (!identity) return std::unexpected(identity.error());
    auto list = records_->list();
    if (!list) return std::unexpected(list.error());
    for (const auto& info : *list) {
        if (info.versions == 0) continue;
        if (form && info.form->id() != *form) continue;
        CaseRecord r;
        r.origin = identity->log_origin();
        r.id = info.id;
        r.signer = identity->signing_public_key();
        auto docs = records_->documents(info.id);
        if (!docs) return std::unexpected(docs.error());
        r.documents = std::move(*docs);
        if (auto f = fill_latest(r); !f) return std::unexpected(f.error());
        r.opened.answers = r.latest_doc.answers;
        auto f = form_of(records_->registry(), r.latest_doc);
        if (!f) return std::unexpected(f.error());
        r.form = *f;
        out.push_back(std::move(r));
    }
    // `latest` points into `documents`, whose buffer moved with the record: point again.
    for (auto& r : out) point_latest(r);
    return out;
}

Result<CaseRecord> CaseExport::find(std::string_view id_or_prefix) {
    std::optional<RecordId> own;
    if (auto id = records_->resolve(id_or_prefix)) {
        own = *id;
    } else if (id.error().code != Errc::not_found) {
        return std::unexpected(id.error());
    }
    std::optional<std::pair<std::string, RecordId>> received;
    if (!own) {
        Bundles bundles(*records_);
        auto found = bundles.find_received(id_or_prefix);
        if (!found) return std::unexpected(found.error());
        if (found->empty()) {
            return fail(Errc::not_found, "no record " + std::string(id_or_prefix) +
                                             " in this vault, received or its own");
        }
        if (found->size() > 1) {
            return fail(Errc::usage,
                        "several received records start with " + std::string(id_or_prefix),
                        "give more digits of the id");
        }
        received = found->front();
    }
    auto all = collect(std::nullopt);
    if (!all) return std::unexpected(all.error());
    for (auto& r : *all) {
        const bool match =
            own ? (!r.received && r.id == *own)
                : (r.received && r.origin == received->first && r.id == received->second);
        if (!match) continue;
        CaseRecord out = std::move(r);
        point_latest(out);
        return out;
    }
    return fail(Errc::not_found, "record " + std::string(id_or_prefix) + " has no sealed version",
                "seal it first; only signed versions are printed");
}

Result<CaseExportResult> CaseExport::write(const CaseExportOptions& o) {
    std::error_code ec;
    const fs::path out = o.out.has_filename() ? o.out : o.out.parent_path();
    if (fs::exists(fs::symlink_status(out, ec))) {
        if (!fs::is_directory(fs::symlink_status(out, ec)) || !fs::is_empty(out, ec)) {
            return fail(Errc::exists, out.string() + " exists and is not an empty folder",
                        "choose a new folder; an export never mixes with other files");
        }
    }
    const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec)) {
        return fail(Errc::not_found, "there is no folder " + parent.string());
    }
    auto all = collect(o.form);
    if (!all) return std::unexpected(all.error());
    CaseExportResult result;
    std::vector<const CaseRecord*> chosen;
    for (const auto& r : *all) {
        if (r.withdrawn) {
            ++result.withdrawn_left_out;
        } else {
            chosen.push_back(&r);
        }
    }
    if (chosen.empty()) {
        return fail(Errc::not_found, result.withdrawn_left_out > 0
                                         ? "every record's consent was withdrawn: nothing to export"
                                         : "there is no sealed or received record to export");
    }
    const forms::Language lang = o.lang.value_or(forms::Language::uk);
    const CaseVerifier verify = o.verify ? o.verify : CaseVerifier(stored_verdict);

    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    const fs::path tmp = parent / ("." + out.filename().string() + ".partial-" +
                                   crypto::to_hex(crypto::ByteView(rnd, sizeof rnd)));
    if (::mkdir(tmp.c_str(), 0700) != 0) {
        return fail(Errc::io, "cannot create " + tmp.string() + ": " + errno_text(errno));
    }
    TempTree guard(tmp);

    // Files first: a record whose file fails its hash says so in its verification cell.
    Bundles bundles(*records_);
    Attachments attachments(*records_);
    std::set<std::string> written;
    std::map<const CaseRecord*, std::vector<std::string>> problems;
    for (const CaseRecord* r : chosen) {
        for (const auto& a : r->latest_doc.attachments) {
            const std::string name = attachment_file_name(a);
            if (written.contains(name)) continue;
            if (written.empty() && ::mkdir((tmp / "attachments").c_str(), 0700) != 0) {
                return fail(Errc::io,
                            "cannot create a folder in " + tmp.string() + ": " + errno_text(errno));
            }
            const fs::path path = tmp / "attachments" / name;
            auto f = OutFile::create(path);
            if (!f) return std::unexpected(f.error());
            auto sink = [&](crypto::ByteView chunk) { return f->write(chunk); };
            Result<> copied = r->received ? bundles.read_received_file(a.sha256, sink)
                                          : attachments.read(r->id, a.sha256, sink);
            if (copied) copied = f->finish();
            if (!copied) {
                if (copied.error().code == Errc::io) return std::unexpected(copied.error());
                fs::remove(path, ec);
                problems[r].push_back("file " + a.name + ": " + copied.error().message);
                continue;
            }
            written.insert(name);
            ++result.attachments;
            result.attachment_bytes += a.size;
        }
    }

    // One set of tables per form definition, in the order records come.
    std::vector<const forms::FormDefinition*> forms_seen;
    for (const CaseRecord* r : chosen) {
        if (std::ranges::find(forms_seen, r->form) == forms_seen.end())
            forms_seen.push_back(r->form);
    }
    const auto leading = leading_columns(lang);
    for (const forms::FormDefinition* form : forms_seen) {
        ct::CellOptions cells;
        cells.lang = lang;
        std::map<std::string, std::string> file_of;  // sha256 hex -> exported name
        const CaseRecord* current = nullptr;
        cells.attachment_file = [&](std::string_view hex) {
            auto it = file_of.find(std::string(hex));
            return it == file_of.end() ? std::string("[missing]") : "attachments/" + it->second;
        };
        cells.sealed_cell = [&](std::string_view path) {
            ++result.sealed_cells;
            return sealed_text(*current, path);
        };
        auto tables = ct::make_tables(*form, leading, cells);
        for (const CaseRecord* r : chosen) {
            if (r->form != form) continue;
            current = r;
            file_of.clear();
            for (const auto& a : r->latest_doc.attachments) {
                const std::string name = attachment_file_name(a);
                if (written.contains(name)) file_of[crypto::to_hex(a.sha256)] = name;
            }
            CaseVerdict verdict = verify(*r);
            for (const auto& p : problems[r]) {
                verdict.ok = false;
                verdict.text += "; FAILED " + p;
            }
            for (const auto& u : r->opened.units) {
                if (u.status == forms::SealedStatus::damaged) {
                    verdict.ok = false;
                    verdict.text += "; FAILED sealed answer " + u.path + ": " + u.problem;
                }
            }
            if (!verdict.ok) ++result.failed_verification;
            const std::string rid = forms::format_record_id(r->id);
            const std::vector<std::string> lead{rid,
                                                std::to_string(r->latest->version),
                                                r->origin,
                                                r->latest_doc.stamp.sealed_at,
                                                crypto::to_hex(r->latest->sha256),
                                                verdict.text};
            ct::add_record(tables, *form, r->opened.answers, lead, rid, cells);
            ++result.records;
        }
        if (o.format == CaseFormat::csv) {
            for (const auto& t : tables) {
                std::string text = o.bom ? std::string(forms::csv::kBom) : std::string();
                std::vector<std::string> headers;
                for (const auto& c : t.columns) headers.push_back(c.header);
                forms::csv::append_record(text, headers);
                for (const auto& row : t.rows) forms::csv::append_record(text, row);
                const std::string name = table_file(*form, t, "csv");
                if (auto w = write_text(tmp / name, text); !w) return std::unexpected(w.error());
                result.files.emplace_back(name);
            }
        } else {
            json::Object doc;
            doc.emplace_back("form", json::Value(form->id()));
            doc.emplace_back("form_version", json::Value(form->version()));
            doc.emplace_back("form_sha256", json::Value(form->sha256_hex()));
            doc.emplace_back("language", json::Value(forms::language_code(lang)));
            doc.emplace_back("columns", columns_json(tables[0]));
            json::Object repeat_columns;
            for (std::size_t i = 1; i < tables.size(); ++i) {
                repeat_columns.emplace_back(tables[i].key, columns_json(tables[i]));
            }
            doc.emplace_back("repeat_columns", json::Value(std::move(repeat_columns)));
            json::Array recs;
            for (const auto& row : tables[0].rows) {
                json::Object rec = row_json(tables[0], row, 0);
                for (std::size_t i = 1; i < tables.size(); ++i) {
                    json::Array items;
                    for (const auto& item : tables[i].rows) {
                        if (item[0] == row[0]) items.emplace_back(row_json(tables[i], item, 1));
                    }
                    rec.emplace_back(tables[i].key, json::Value(std::move(items)));
                }
                recs.emplace_back(std::move(rec));
            }
            doc.emplace_back("records", json::Value(std::move(recs)));
            const std::string name = table_file(*form, tables[0], "json");
            if (auto w = write_text(tmp / name, json::pretty(json::Value(std::move(doc))) + "\n");
                !w) {
                return std::unexpected(w.error());
            }
            result.files.emplace_back(name);
        }
    }

    if (auto s = fsync_directory(tmp); !s) return std::unexpected(s.error());
    if (fs::exists(fs::symlink_status(out, ec)) && ::rmdir(out.c_str()) != 0) {
        return fail(Errc::exists, out.string() + " is no longer an empty folder");
    }
    if (::rename(tmp.c_str(), out.c_str()) != 0) {
        return fail(Errc::io,
                    "cannot rename the export to " + out.string() + ": " + errno_text(errno));
    }
    guard.disarm();
    if (auto s = fsync_directory(parent); !s) return std::unexpected(s.error());
    return result;
}

Result<std::string> CaseExport::printout(const CaseRecord& record, forms::Language lang) {
    auto p = printed(record, lang);
    if (!p) return std::unexpected(p.error());
    return forms::record_printout(*p);
}

Result<forms::PrintedRecord> CaseExport::printed(const CaseRecord& r, forms::Language lang) {
    forms::PrintedRecord p;
    p.form = r.form;
    p.lang = lang;
    p.record_id = forms::format_record_id(r.id);
    p.origin = r.origin;
    p.minisign_key = r.signer.to_base64();
    p.minisign_key_id = crypto::minisign::format_key_id(r.signer.key_id);
    p.received = r.received;
    p.withdrawn = r.withdrawn;
    p.sealed = r.opened.units;
    const std::string prefix = r.received ? "records/" : "";
    for (const auto& d : r.documents) {
        forms::PrintedDocument pd;
        pd.withdrawal = d.kind == forms::LeafKind::withdrawal;
        pd.version = d.version;
        pd.sequence = d.sequence;
        pd.sha256_hex = crypto::to_hex(d.sha256);
        pd.minisig = d.minisig;
        pd.file = prefix + p.record_id +
                  (pd.withdrawal ? std::string("-withdrawal.json")
                                 : "-v" + std::to_string(d.version) + ".json");
        if (pd.withdrawal) {
            auto w = forms::parse_withdrawal(d.bytes);
            if (!w) return std::unexpected(std::move(w.error()).wrap("vault.db: withdrawal"));
            pd.sealed_at = w->stamp.sealed_at;
        } else {
            auto doc = forms::parse_record(d.bytes);
            if (!doc) return std::unexpected(std::move(doc.error()).wrap("vault.db: record"));
            pd.sealed_at = doc->stamp.sealed_at;
            if (doc->previous) pd.previous_hex = crypto::to_hex(*doc->previous);
        }
        p.documents.push_back(std::move(pd));
    }
    if (r.received) {
        Bundles bundles(*records_);
        auto senders = bundles.senders();
        if (!senders) return std::unexpected(senders.error());
        std::uint64_t size = 0;
        for (const auto& s : *senders) {
            if (s.keys.origin == r.origin) size = s.checkpoint_size;
        }
        p.log_note =
            "Each document is an entry of the sender's device log (the entry number "
            "is below). The import checked each entry's inclusion proof and that the "
            "log is consistent with every earlier bundle; the largest checkpoint held "
            "has " +
            std::to_string(size) + " entries.";
    } else {
        p.log_note =
            "Each document is an entry of this device's log (the entry number is "
            "below); `svidok-cli log verify` re-checks them and `svidok-cli log proof " +
            p.record_id + "` prints an inclusion proof.";
    }
    ct::CellOptions cells;
    cells.lang = lang;
    cells.separator = "; ";
    cells.sealed_cell = [&](std::string_view path) { return sealed_text(r, path); };
    cells.attachment_file = [&](std::string_view hex) {
        for (const auto& a : r.latest_doc.attachments) {
            if (crypto::to_hex(a.sha256) == hex)
                return a.name + " (SHA-256 " + std::string(hex) + ")";
        }
        return std::string(hex);
    };
    p.tables = ct::make_tables(*r.form, {}, cells);
    ct::add_record(p.tables, *r.form, r.opened.answers, {}, p.record_id, cells);
    return p;
}

}  // namespace svidok::store
