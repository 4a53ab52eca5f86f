// SPDX-License-Identifier: GPL-3.0-or-later
#include "blob_files.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/atomic_file.h"

namespace svidok::store::detail {
namespace fs = std::filesystem;

Result<std::vector<std::string>> blob_names(Db& db) {
    auto st = db.prepare("SELECT blob FROM attachments UNION ALL SELECT blob FROM received_files");
    if (!st) return std::unexpected(st.error());
    return collect_rows<std::string>(
        *st, [](const Stmt& row) -> Result<std::string> { return row.column_text(0); });
}

Result<> remove_orphan_blobs(const fs::path& vault_dir, const std::set<std::string>* known) {
    const fs::path dir = files_dir(vault_dir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return {};
    bool removed = false;
    fs::directory_iterator it(dir, ec);
    if (ec) return fail(Errc::io, "cannot list " + dir.string() + ": " + ec.message());
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        const bool partial = name.ends_with(kPartialSuffix);
        const bool blob =
            name.size() == 32 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
        if (!partial && !(blob && known != nullptr && !known->contains(name))) continue;
        if (::unlink(entry.path().c_str()) != 0) {
            return fail(Errc::io, "cannot remove the leftover " + entry.path().string() + ": " +
                                      errno_text(errno));
        }
        removed = true;
    }
    return removed ? fsync_directory(dir) : Result<>{};
}

void remove_blobs(const fs::path& vault_dir, const std::vector<std::string>& names) {
    if (names.empty()) return;
    const fs::path dir = files_dir(vault_dir);
    for (const auto& name : names) ::unlink((dir / name).c_str());
    (void)fsync_directory(dir);
}

namespace blob = crypto::blob;

Result<BlobFileWriter> BlobFileWriter::create(const fs::path& vault_dir) {
    if (auto r = ensure_files_dir(vault_dir); !r) return std::unexpected(r.error());
    const fs::path dir = files_dir(vault_dir);
    blob::BlobId id{};
    randombytes_buf(id.data(), id.size());
    std::string name = crypto::to_hex(id);
    const fs::path partial = dir / (name + std::string(kPartialSuffix));
    Fd fd(::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
        return fail(Errc::io, "cannot create " + partial.string() + ": " + errno_text(errno));
    }
    BlobFileWriter w(dir, std::move(name), blob::new_key(), id, std::move(fd));
    if (auto r = write_all(w.fd_.get(), w.writer_->header(), w.path_); !r) {
        return std::unexpected(r.error());
    }
    return w;
}

BlobFileWriter::BlobFileWriter(fs::path dir, std::string name, crypto::SecureBuffer key,
                               const blob::BlobId& id, Fd fd)
    : dir_(std::move(dir)),
      name_(std::move(name)),
      key_(std::move(key)),
      writer_(std::make_unique<blob::Writer>(key_, id)),
      fd_(std::move(fd)),
      path_(dir_ / (name_ + std::string(kPartialSuffix))),
      sealed_(blob::kSealedChunkBytes) {}

BlobFileWriter::BlobFileWriter(BlobFileWriter&& o) noexcept
    : dir_(std::move(o.dir_)),
      name_(std::move(o.name_)),
      key_(std::move(o.key_)),
      writer_(std::move(o.writer_)),
      fd_(std::move(o.fd_)),
      path_(std::move(o.path_)),
      sealed_(std::move(o.sealed_)),
      keep_(std::exchange(o.keep_, true)) {}

BlobFileWriter::~BlobFileWriter() {
    if (!keep_ && !path_.empty()) ::unlink(path_.c_str());
}

Result<> BlobFileWriter::push(crypto::ByteView chunk, bool last) {
    const std::size_t m =
        writer_->push(chunk, last, std::span<unsigned char, blob::kSealedChunkBytes>(sealed_));
    return write_all(fd_.get(), std::span(sealed_).first(m), path_);
}

Result<> BlobFileWriter::publish() {
    if (auto r = sync_file(fd_.get(), path_); !r) return r;
    if (::close(fd_.release()) != 0) {
        return fail(Errc::io, "cannot write " + path_.string() + ": " + errno_text(errno));
    }
    const fs::path final_path = dir_ / name_;
    if (::rename(path_.c_str(), final_path.c_str()) != 0) {
        return fail(Errc::io, "cannot rename " + path_.string() + ": " + errno_text(errno));
    }
    path_ = final_path;
    return fsync_directory(dir_);
}

}  // namespace svidok::store::detail
