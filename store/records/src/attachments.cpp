// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/attachments.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "blob_files.h"
#include "crypto/blob_stream.h"
#include "db.h"
#include "file_io.h"
#include "forms/answers.h"
#include "forms/media.h"
#include "hash_pipeline.h"
#include "record_index_store.h"
#include "record_store.h"
#include "store/atomic_file.h"
#include "store/clock.h"
#include "vault_layer.h"

namespace svidok::store {

/// A stored attachment row with what reading it needs.
struct Attachments::Row {
    AttachmentInfo info;
    std::string blob;
    crypto::SecureBuffer key;
};

namespace {

using Row = Attachments::Row;

namespace fs = std::filesystem;
namespace blob = crypto::blob;

constexpr std::size_t kMinHashPrefix = 8;

crypto::ByteView blob_of(const RecordId& id) {
    return id;
}

constexpr const char* kRowColumns =
    "SELECT sha256, name, media_type, size, location, added_at, blob, key FROM attachments ";

Result<Row> read_row(const Stmt& st) {
    auto sha = fixed_blob<crypto::Sha256Digest>(st, 0, "attachment hash");
    if (!sha) return std::unexpected(sha.error());
    Row r;
    r.info.sha256 = *sha;
    r.info.name = st.column_text(1);
    r.info.media_type = st.column_text(2);
    r.info.size = static_cast<std::uint64_t>(st.column_int(3));
    r.info.location = st.column_int(4) != 0;
    r.info.added_at = st.column_text(5);
    r.blob = st.column_text(6);
    r.key = st.column_secret(7);
    if (r.key.size() != blob::kKeyBytes) {
        return fail(Errc::corrupt, "vault.db: attachment key has the wrong size");
    }
    return r;
}

Result<std::vector<Row>> load_rows(Db& db, const RecordId& id) {
    auto st = db.prepare(std::string(kRowColumns) + "WHERE record_id = ? ORDER BY added_at, name");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, blob_of(id));
    return collect_rows<Row>(*st, read_row);
}

Result<blob::BlobId> parse_blob_id(const std::string& name) {
    auto raw = crypto::from_hex(name);
    blob::BlobId id{};
    if (!raw || raw->size() != id.size()) {
        return fail(Errc::corrupt, "vault.db: attachment blob name is malformed");
    }
    std::ranges::copy(*raw, id.begin());
    return id;
}

Result<> cancelled() {
    return fail(Errc::usage, "cancelled; nothing was changed");
}

/// Removes a file when the operation that created it does not complete.
class RemoveOnFailure {
public:
    explicit RemoveOnFailure(fs::path path) : path_(std::move(path)) {}
    RemoveOnFailure(const RemoveOnFailure&) = delete;
    RemoveOnFailure& operator=(const RemoveOnFailure&) = delete;
    ~RemoveOnFailure() {
        if (armed_) ::unlink(path_.c_str());
    }
    void retarget(fs::path path) { path_ = std::move(path); }
    void disarm() noexcept { armed_ = false; }

private:
    fs::path path_;
    bool armed_ = true;
};

bool same_file(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool unchanged(const struct stat& a, const struct stat& b) {
    return same_file(a, b) && a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
           a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

Error open_error(const fs::path& path, int err) {
    if (err == ENOENT) {
        return Error{Errc::not_found, "there is no file " + path.string(), "check the path"};
    }
    if (err == EACCES || err == EPERM) {
        return Error{Errc::io, "cannot read " + path.string() + ": " + errno_text(err),
                     "check the file's permissions"};
    }
    return Error{Errc::io, "cannot open " + path.string() + ": " + errno_text(err), {}};
}

/// Opens a regular file for reading, refusing folders, devices, pipes and sockets without
/// blocking on them.
Result<Fd> open_source(const fs::path& path, struct stat& st) {
    struct stat pre {};
    if (::stat(path.c_str(), &pre) != 0) return std::unexpected(open_error(path, errno));
    if (S_ISDIR(pre.st_mode)) {
        return fail(Errc::usage, path.string() + " is a folder, not a file",
                    "attach the files inside it one by one");
    }
    if (S_ISCHR(pre.st_mode) || S_ISBLK(pre.st_mode)) {
        return fail(Errc::usage, path.string() + " is a device, not a file");
    }
    if (!S_ISREG(pre.st_mode)) {
        return fail(Errc::usage, path.string() + " is a pipe or socket, not a file");
    }
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (fd.get() < 0) return std::unexpected(open_error(path, errno));
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || !same_file(pre, st)) {
        return fail(Errc::io, path.string() + " was replaced while it was being opened",
                    "attach it again when nothing is changing it");
    }
    return fd;
}

}  // namespace

namespace detail {

Result<> read_blob_file(const fs::path& vault_dir, const std::string& what,
                        const std::string& blob_name, const crypto::SecureBuffer& key,
                        std::uint64_t size, const crypto::Sha256Digest& sha256,
                        const std::function<Result<>(crypto::ByteView)>& sink,
                        const std::function<bool(std::uint64_t, std::uint64_t)>& progress) {
    auto id = parse_blob_id(blob_name);
    if (!id) return std::unexpected(id.error());
    const fs::path path = detail::files_dir(vault_dir) / blob_name;
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) {
        if (errno == ENOENT) {
            return fail(Errc::integrity, what + ": its encrypted file is missing from the vault",
                        "restore the vault from a backup; the record's hash still identifies "
                        "the original");
        }
        return std::unexpected(open_error(path, errno));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return std::unexpected(open_error(path, errno));
    const std::uint64_t expected = blob::sealed_size(size);
    if (static_cast<std::uint64_t>(st.st_size) != expected) {
        return fail(Errc::integrity, what + ": its encrypted file has " +
                                         std::to_string(st.st_size) + " bytes, not " +
                                         std::to_string(expected) +
                                         ": it was truncated or extended");
    }
    std::vector<unsigned char> sealed(blob::kSealedChunkBytes);
    auto header = read_full(fd.get(), std::span(sealed).first(blob::kHeaderBytes), path);
    if (!header) return std::unexpected(header.error());
    auto reader = blob::Reader::open(key, *id, std::span(sealed).first(*header));
    if (!reader) return std::unexpected(std::move(reader.error()).wrap(what));
    detail::HashPipeline sha;
    std::uint64_t done = 0;
    while (!reader->finished()) {
        auto n = read_full(fd.get(), sealed, path);
        if (!n) return std::unexpected(n.error());
        if (*n == 0)
            return fail(Errc::integrity, what + ": its encrypted file ends before its final chunk");
        auto plain = sha.next_buffer();
        auto m = reader->pull(std::span(sealed).first(*n), plain);
        if (!m) return std::unexpected(std::move(m.error()).wrap(what));
        done += *m;
        if (done > size) {
            return fail(Errc::integrity, what + ": the stored content is longer than recorded");
        }
        sha.submit(*m);
        const crypto::ByteView chunk(plain.data(), *m);
        if (sink) {
            if (auto r = sink(chunk); !r) return r;
        }
        if (progress && !progress(done, size)) return cancelled();
    }
    unsigned char extra = 0;
    auto tail = read_full(fd.get(), std::span(&extra, 1), path);
    if (!tail) return std::unexpected(tail.error());
    if (*tail != 0)
        return fail(Errc::integrity, what + ": its encrypted file has bytes after the final chunk");
    if (done != size) {
        return fail(Errc::integrity, what + ": the stored content is shorter than recorded");
    }
    if (sha.finish() != sha256) {
        return fail(Errc::integrity,
                    what +
                        ": the SHA-256 of the stored content differs from the one recorded "
                        "at intake");
    }
    return {};
}

}  // namespace detail

namespace {

/// Reads, decrypts and checks one stored attachment (FORMAT.md 11.2).
Result<> read_blob(const fs::path& vault_dir, const Row& row,
                   const std::function<Result<>(crypto::ByteView)>& sink,
                   const ByteProgress& progress) {
    return detail::read_blob_file(vault_dir, "attachment " + row.info.name, row.blob, row.key,
                                  row.info.size, row.info.sha256, sink, progress);
}

/// Overwrites `path` (still the file `st` describes) with random bytes, syncs and removes it.
Result<> destroy_original(const fs::path& path, const struct stat& st) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY));
    if (fd.get() < 0) return std::unexpected(open_error(path, errno));
    struct stat now {};
    if (::fstat(fd.get(), &now) != 0 || !unchanged(st, now)) {
        return fail(Errc::io, path.string() + " changed after it was attached; it was not deleted");
    }
    std::vector<unsigned char> noise(blob::kChunkBytes);
    for (std::uint64_t left = static_cast<std::uint64_t>(st.st_size); left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, noise.size()));
        randombytes_buf(noise.data(), n);
        if (auto r = write_all(fd.get(), std::span(noise).first(n), path); !r) return r;
        left -= n;
    }
    if (auto r = sync_file(fd.get(), path); !r) return r;
    if (::unlink(path.c_str()) != 0) {
        return fail(Errc::io, "cannot remove " + path.string() + ": " + errno_text(errno));
    }
    return fsync_directory(path.has_parent_path() ? path.parent_path() : fs::path("."));
}

}  // namespace

Result<AttachResult> Attachments::attach(const RecordId& id, const fs::path& source,
                                         const AttachOptions& options) {
    Vault& vault = records_->vault();
    Db& db = detail::database(vault);
    auto form = records_->draft_form(id);
    if (!form) return std::unexpected(form.error());
    auto field = forms::attachment_field(**form, options.field);
    if (!field) return std::unexpected(field.error());
    const std::string name = options.name.empty() ? source.filename().string() : options.name;
    if (!forms::valid_attachment_name(name)) {
        return fail(Errc::usage, "\"" + name + "\" cannot name an attached file",
                    "a name has 1 to 255 bytes, no control characters, \"/\" or \"\\\"; give "
                    "another with --name");
    }

    struct stat st {};
    auto src = open_source(source, st);
    if (!src) return std::unexpected(src.error());
    // Read once: hash, sample, encrypt, write (FORMAT.md 11.3).
    auto out = detail::BlobFileWriter::create(vault.dir());
    if (!out) return std::unexpected(out.error());
    Row row;
    row.key = crypto::SecureBuffer::copy_of(out->key().span());
    row.blob = out->name();
    std::vector<unsigned char> sample;
    sample.reserve(forms::kMediaSampleBytes);
    detail::HashPipeline sha;
    const auto total = static_cast<std::uint64_t>(st.st_size);
    std::uint64_t done = 0;
    const auto changed = [&] {
        return fail(Errc::io, source.string() + " changed while it was being read",
                    "attach it again when nothing is writing to it; nothing was attached");
    };
    while (!out->finished()) {
        auto plain = sha.next_buffer();
        auto n = read_full(src->get(), plain, source);
        if (!n) return std::unexpected(n.error());
        done += *n;
        if (done > total) return std::unexpected(changed().error());
        sha.submit(*n);  // hashed on the worker while this thread encrypts the same bytes
        const crypto::ByteView chunk(plain.data(), *n);
        const std::size_t take = std::min(chunk.size(), sample.capacity() - sample.size());
        sample.insert(sample.end(), chunk.begin(),
                      chunk.begin() + static_cast<std::ptrdiff_t>(take));
        if (auto r = out->push(chunk, *n < blob::kChunkBytes); !r)
            return std::unexpected(r.error());
        if (options.progress && !options.progress(done, total)) {
            return std::unexpected(cancelled().error());
        }
    }
    struct stat after {};
    if (::fstat(src->get(), &after) != 0 || !unchanged(st, after) || done != total) {
        return std::unexpected(changed().error());
    }
    row.info.sha256 = sha.finish();
    row.info.name = name;
    row.info.size = total;
    const forms::MediaInspection media = forms::inspect_media(sample, name);
    row.info.media_type = media.media_type;
    row.info.location = media.location;
    row.info.added_at = utc_now();
    if (auto r = out->publish(); !r) return std::unexpected(r.error());
    if (options.delete_original) {
        // The source is destroyed only once the stored copy has been read back and matches.
        if (auto r = read_blob(vault.dir(), row, {}, {}); !r) {
            return std::unexpected(std::move(r.error()).wrap("checking the stored copy"));
        }
    }

    // Record it: the row and the draft's reference, in one transaction.
    AttachResult result;
    result.name_suggests = media.name_suggests;
    auto txn = Transaction::begin(db);
    if (!txn) return std::unexpected(txn.error());
    auto existing = db.prepare(std::string(kRowColumns) + "WHERE record_id = ? AND sha256 = ?");
    if (!existing) return std::unexpected(existing.error());
    existing->bind_blob(1, blob_of(id)).bind_blob(2, row.info.sha256);
    auto found = collect_rows<Row>(*existing, read_row);
    if (!found) return std::unexpected(found.error());
    result.already_attached = !found->empty();
    if (result.already_attached) {
        result.info = std::move(found->front().info);  // the blob just written is removed
    } else {
        auto ins = db.prepare(
            "INSERT INTO attachments (record_id, sha256, name, media_type, size, blob, key,"
            " location, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!ins) return std::unexpected(ins.error());
        ins->bind_blob(1, blob_of(id))
            .bind_blob(2, row.info.sha256)
            .bind(3, row.info.name)
            .bind(4, row.info.media_type)
            .bind(5, static_cast<std::int64_t>(row.info.size))
            .bind(6, row.blob)
            .bind_blob(7, row.key.span())
            .bind(8, std::int64_t{row.info.location ? 1 : 0})
            .bind(9, row.info.added_at);
        if (auto r = ins->run(); !r) return std::unexpected(r.error());
        result.info = row.info;
    }
    auto answers = records_->answers(id);
    if (!answers) return std::unexpected(answers.error());
    auto updated = forms::add_attachment_reference(**form, **field, *answers, result.info.name,
                                                   result.info.sha256);
    if (!updated) return std::unexpected(updated.error());
    if (*updated != *answers) {
        if (auto r = detail::write_draft(db, id, *updated); !r) return std::unexpected(r.error());
        if (auto r = detail::index_own_record(db, records_->registry(), id); !r) {
            return std::unexpected(r.error());
        }
    }
    if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    if (!result.already_attached) out->keep();
    result.info.in_draft = true;

    if (options.delete_original && !result.already_attached) {
        if (auto r = destroy_original(source, st); !r) {
            result.original_problem = r.error().message;
        } else {
            result.original_deleted = true;
        }
    }
    return result;
}

/// The record's rows with which sealed versions and whether the draft reference each.
Result<std::vector<Row>> Attachments::referenced_rows(const RecordId& id) {
    Db& db = detail::database(records_->vault());
    if (auto r = records_->info(id); !r) return std::unexpected(r.error());
    auto rows = load_rows(db, id);
    if (!rows) return std::unexpected(rows.error());
    auto sealed = detail::sealed_attachments(db, id);
    if (!sealed) return std::unexpected(sealed.error());
    std::vector<std::string> draft_refs;
    if (auto form = records_->draft_form(id)) {  // no draft: nothing is referenced by one
        auto answers = records_->answers(id);
        if (!answers) return std::unexpected(answers.error());
        for (const auto& ref : forms::attachment_references(**form, *answers)) {
            draft_refs.push_back(ref.sha256_hex);
        }
    }
    for (auto& row : *rows) {
        if (auto it = sealed->find(row.info.sha256); it != sealed->end())
            row.info.sealed_in = it->second;
        row.info.in_draft =
            std::ranges::find(draft_refs, crypto::to_hex(row.info.sha256)) != draft_refs.end();
    }
    return rows;
}

Result<std::vector<AttachmentInfo>> Attachments::list(const RecordId& id) {
    auto rows = referenced_rows(id);
    if (!rows) return std::unexpected(rows.error());
    std::vector<AttachmentInfo> out;
    for (auto& row : *rows) out.push_back(std::move(row.info));
    return out;
}

Result<std::vector<AttachmentCheck>> Attachments::verify(const RecordId& id,
                                                         const ByteProgress& progress) {
    auto rows = referenced_rows(id);
    if (!rows) return std::unexpected(rows.error());
    std::uint64_t total = 0;
    for (const auto& row : *rows) total += row.info.size;
    std::uint64_t base = 0;
    std::vector<AttachmentCheck> out;
    for (const Row& row : *rows) {
        ByteProgress each;
        if (progress) {
            each = [&](std::uint64_t done, std::uint64_t) { return progress(base + done, total); };
        }
        auto r = read_blob(records_->vault().dir(), row, {}, each);
        if (!r && r.error().code == Errc::usage) return std::unexpected(r.error());  // cancelled
        out.push_back({row.info, r ? std::nullopt : std::optional<Error>(r.error())});
        base += row.info.size;
    }
    return out;
}

Result<AttachmentInfo> Attachments::find(const RecordId& id, std::string_view name) {
    auto infos = list(id);
    if (!infos) return std::unexpected(infos.error());
    std::vector<const AttachmentInfo*> hits;
    for (const auto& a : *infos) {
        if (a.name == name) hits.push_back(&a);
    }
    if (hits.empty() && name.size() >= kMinHashPrefix) {
        for (const auto& a : *infos) {
            if (crypto::to_hex(a.sha256).starts_with(name)) hits.push_back(&a);
        }
    }
    if (hits.empty()) {
        return fail(
            Errc::not_found,
            "record " + forms::format_record_id(id) + " has no file " + std::string(name),
            "`svidok-cli attachment list " + forms::format_record_id(id) + "` shows its files");
    }
    if (hits.size() > 1) {
        return fail(Errc::usage, "several files of the record match " + std::string(name),
                    "name the file by its SHA-256 instead");
    }
    return *hits.front();
}

Result<> Attachments::read(const RecordId& id, const crypto::Sha256Digest& sha256,
                           const std::function<Result<>(crypto::ByteView)>& sink,
                           const ByteProgress& progress) {
    Db& db = detail::database(records_->vault());
    auto st = db.prepare(std::string(kRowColumns) + "WHERE record_id = ? AND sha256 = ?");
    if (!st) return std::unexpected(st.error());
    st->bind_blob(1, blob_of(id)).bind_blob(2, sha256);
    auto rows = collect_rows<Row>(*st, read_row);
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) {
        return fail(Errc::not_found, "record " + forms::format_record_id(id) +
                                         " has no file with SHA-256 " + crypto::to_hex(sha256));
    }
    return read_blob(records_->vault().dir(), rows->front(), sink, progress);
}

Result<> Attachments::extract(const RecordId& id, const crypto::Sha256Digest& sha256,
                              const fs::path& out, const ByteProgress& progress) {
    Fd fd(
        ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600));
    if (fd.get() < 0) {
        if (errno == EEXIST) {
            return fail(Errc::exists, out.string() + " already exists",
                        "Svidok never overwrites a file; choose another name");
        }
        return fail(Errc::io, "cannot create " + out.string() + ": " + errno_text(errno));
    }
    RemoveOnFailure guard(out);
    auto r = read(
        id, sha256, [&](crypto::ByteView chunk) { return write_all(fd.get(), chunk, out); },
        progress);
    if (!r) return r;
    if (auto s = sync_file(fd.get(), out); !s) return s;
    if (::close(fd.release()) != 0) {
        return fail(Errc::io, "cannot write " + out.string() + ": " + errno_text(errno));
    }
    guard.disarm();
    return {};
}

}  // namespace svidok::store
