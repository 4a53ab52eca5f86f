// SPDX-License-Identifier: GPL-3.0-or-later
#include "sealed_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "forms/bundle_documents.h"
#include "store/atomic_file.h"

namespace svidok::store::detail {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kIoBytes = 256 * 1024;

crypto::ByteView bytes_of(std::string_view s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

}  // namespace

Error explain_age_error(Error e, crypto::AgeFailure failure) {
    using F = crypto::AgeFailure;
    switch (failure) {
        case F::no_match:
            e.message = std::string(kNotAddressedMessage);
            e.hint =
                "check that it is meant for this vault: `svidok-cli identity` shows the age "
                "recipient it must be encrypted to";
            break;
        case F::header_mac:
            e.message = "the encrypted file's header was altered: " + e.message;
            break;
        case F::payload:
            e.message = "the encrypted content was altered, truncated or extended: " + e.message;
            break;
        case F::armor:
        case F::header:
            e.message = "not a well-formed age file: " + e.message;
            break;
        default:
            break;
    }
    return e;
}

Result<std::unique_ptr<SealedFileWriter>> SealedFileWriter::create(
    const fs::path& dir, const std::string& final_name,
    std::span<const crypto::X25519Recipient> recipients) {
    std::unique_ptr<SealedFileWriter> w(new SealedFileWriter());
    w->dir_ = dir;
    w->final_name_ = final_name;
    w->temp_ = dir / (final_name + ".tmp");
    const auto create_temp = [&] {
        return Fd(
            ::open(w->temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    };
    w->fd_ = create_temp();
    if (w->fd_.get() < 0 && errno == EEXIST) {
        // A temporary file left by a crash: it was never published, so it is ours to replace.
        ::unlink(w->temp_.c_str());
        w->fd_ = create_temp();
    }
    if (w->fd_.get() < 0) {
        const int err = errno;
        w->temp_.clear();  // not ours: never remove it
        return fail(err == ENOENT ? Errc::not_found : Errc::io,
                    "cannot create a file in " + dir.string() + ": " + errno_text(err),
                    err == ENOENT ? "the folder does not exist" : "");
    }
    SealedFileWriter* self = w.get();
    auto age = crypto::AgeEncryptor::create(
        recipients, [self](crypto::ByteView b) { return self->write_out(b); });
    if (!age) return std::unexpected(age.error());
    w->age_ = std::make_unique<crypto::AgeEncryptor>(std::move(*age));
    auto t = tar::Writer::create([self](crypto::ByteView b) { return self->age_->write(b); });
    if (!t) return std::unexpected(t.error());
    w->tar_ = std::make_unique<tar::Writer>(std::move(*t));
    return w;
}

SealedFileWriter::~SealedFileWriter() {
    if (!published_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Result<> SealedFileWriter::write_out(crypto::ByteView bytes) {
    blake_.update(bytes);
    bytes_ += bytes.size();
    return write_all(fd_.get(), bytes, temp_);
}

Result<> SealedFileWriter::add(std::string_view path, std::string_view bytes) {
    if (auto r = tar_->begin_file(path, bytes.size()); !r) return r;
    return tar_->write(bytes_of(bytes));
}

Result<FileDigests> SealedFileWriter::finish() {
    content_bytes_ = tar_->bytes_written() + tar::entry_bytes(0) + tar::kEndOfArchiveBytes;
    const std::uint64_t padded = forms::padme(content_bytes_);
    const std::uint64_t pad = padded - content_bytes_;
    if (auto r = tar_->begin_file(forms::kPaddingPath, pad); !r) return std::unexpected(r.error());
    const std::vector<unsigned char> zeros(kIoBytes, 0);
    for (std::uint64_t left = pad; left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
        if (auto r = tar_->write(std::span(zeros).first(n)); !r) return std::unexpected(r.error());
        left -= n;
    }
    if (auto r = tar_->finish(); !r) return std::unexpected(r.error());
    if (tar_->bytes_written() != padded) {
        return fail(Errc::internal, "the padded tar stream has " +
                                        std::to_string(tar_->bytes_written()) + " bytes, not " +
                                        std::to_string(padded));
    }
    if (auto r = age_->finish(); !r) return std::unexpected(r.error());
    if (auto r = sync_file(fd_.get(), temp_); !r) return std::unexpected(r.error());
    if (::close(fd_.release()) != 0) {
        return fail(Errc::io, "cannot write " + temp_.string() + ": " + errno_text(errno));
    }
    return FileDigests{blake_.finish(), {}, bytes_};
}

Result<fs::path> SealedFileWriter::publish() {
    const fs::path final_path = dir_ / final_name_;
    // link() + unlink() instead of rename(): never replaces a file that already has the name.
    // File systems without hard links (FAT and exFAT USB sticks) fall back to rename() after
    // checking that the name is free.
    if (::link(temp_.c_str(), final_path.c_str()) == 0) {
        published_ = true;
        ::unlink(temp_.c_str());
    } else {
        int err = errno;
        if (err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == ENOSYS) {
            struct stat st {};
            if (::lstat(final_path.c_str(), &st) == 0) {
                err = EEXIST;
            } else if (::rename(temp_.c_str(), final_path.c_str()) == 0) {
                published_ = true;
            } else {
                err = errno;
            }
        }
        if (!published_) {
            return fail(err == EEXIST ? Errc::exists : Errc::io,
                        "cannot create " + final_path.string() + ": " + errno_text(err));
        }
    }
    // A name that may not survive a crash is not a published file: the caller reports the
    // failure, so nothing may be left under the final name (found by tests/store/test_faults).
    if (auto r = fsync_directory(dir_); !r) {
        ::unlink(final_path.c_str());
        return std::unexpected(r.error());
    }
    return final_path;
}

Result<std::unique_ptr<SealedFileReader>> SealedFileReader::open(
    const fs::path& path, std::span<const crypto::X25519Identity> identities,
    FileProgress progress) {
    std::unique_ptr<SealedFileReader> r(new SealedFileReader());
    r->path_ = path;
    r->fd_ = Fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (r->fd_.get() < 0) {
        const int err = errno;
        return fail(err == ENOENT ? Errc::not_found : Errc::io,
                    "cannot open " + path.string() + ": " + errno_text(err));
    }
    struct stat st {};
    if (::fstat(r->fd_.get(), &st) != 0) {
        return fail(Errc::io, "cannot read " + path.string() + ": " + errno_text(errno));
    }
    if (!S_ISREG(st.st_mode)) return fail(Errc::usage, path.string() + " is not a regular file");
    r->size_ = static_cast<std::uint64_t>(st.st_size);
    r->progress_ = std::move(progress);
    r->in_.resize(kIoBytes);
    SealedFileReader* self = r.get();
    r->age_ = std::make_unique<crypto::AgeDecryptor>(
        crypto::AgeIdentities{identities, nullptr},
        [self](crypto::ByteView b) -> Result<> {
            self->pending_.insert(self->pending_.end(), b.begin(), b.end());
            return {};
        },
        crypto::AgeInput::binary);
    r->tar_ = std::make_unique<tar::Reader>([self] { return self->pull(); });
    return r;
}

SealedFileReader::~SealedFileReader() {
    // The plaintext buffers held testimony content: clear them before freeing.
    sodium_memzero(pending_.data(), pending_.size());
    sodium_memzero(current_.data(), current_.size());
}

Result<crypto::ByteView> SealedFileReader::pull() {
    sodium_memzero(current_.data(), current_.size());
    current_.clear();
    while (pending_.empty() && !input_done_) {
        auto n = read_full(fd_.get(), in_, path_);
        if (!n) return std::unexpected(n.error());
        const crypto::ByteView chunk(in_.data(), *n);
        blake_.update(chunk);
        sha_.update(chunk);
        read_ += *n;
        if (read_ > size_) return fail(Errc::io, path_.string() + " grew while it was read");
        Result<> fed = *n > 0 ? age_->feed(chunk) : age_->finish();
        if (!fed)
            return std::unexpected(explain_age_error(std::move(fed.error()), age_->failure()));
        if (*n == 0) input_done_ = true;
        if (progress_ && !progress_(read_, size_)) {
            return fail(Errc::usage, "cancelled; nothing was changed");
        }
    }
    std::swap(current_, pending_);
    plaintext_ += current_.size();
    return crypto::ByteView(current_);
}

Result<tar::Reader::Entry> SealedFileReader::expect(std::string_view path, std::uint64_t max_size) {
    auto e = tar_->next();
    if (!e) return std::unexpected(e.error());
    if (!*e) {
        return fail(Errc::integrity,
                    "the bundle ends where " +
                        (path.empty() ? std::string("more entries") : std::string(path)) +
                        " should follow");
    }
    if (!path.empty() && (*e)->path != path) {
        return fail(Errc::integrity, "the bundle holds " + (*e)->path + " where " +
                                         std::string(path) + " should be");
    }
    if ((*e)->size > max_size) {
        return fail(Errc::invalid, (*e)->path + " has " + std::to_string((*e)->size) +
                                       " bytes, more than the " + std::to_string(max_size) +
                                       " allowed");
    }
    return std::move(**e);
}

Result<std::string> SealedFileReader::read_all(const tar::Reader::Entry& entry) {
    std::string out(static_cast<std::size_t>(entry.size), '\0');
    std::size_t at = 0;
    while (at < out.size()) {
        auto n = tar_->read(
            std::span(reinterpret_cast<unsigned char*>(out.data()) + at, out.size() - at));
        if (!n) return std::unexpected(n.error());
        if (*n == 0) return fail(Errc::corrupt, entry.path + " is shorter than its header says");
        at += *n;
    }
    return out;
}

Result<FileDigests> SealedFileReader::finish() {
    auto pad = expect(forms::kPaddingPath, ~std::uint64_t{0});
    if (!pad) return std::unexpected(pad.error());
    std::vector<unsigned char> buf(kIoBytes);
    for (;;) {
        auto n = tar_->read(buf);
        if (!n) return std::unexpected(n.error());
        if (*n == 0) break;
        if (std::any_of(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(*n),
                        [](unsigned char c) { return c != 0; })) {
            return fail(Errc::integrity, "the padding holds bytes other than zero");
        }
    }
    auto end = tar_->next();
    if (!end) return std::unexpected(end.error());
    if (*end)
        return fail(Errc::integrity, "the bundle has an entry after its padding: " + (*end)->path);
    // Drain the rest: the age file must end correctly, and nothing may follow the tar end.
    for (;;) {
        auto more = pull();
        if (!more) return std::unexpected(more.error());
        if (more->empty()) break;
    }
    if (tar_->end_offset() != plaintext_) {
        return fail(Errc::integrity,
                    "the bundle has " +
                        std::to_string(plaintext_ - tar_->end_offset().value_or(0)) +
                        " bytes after the end of its tar stream");
    }
    return FileDigests{blake_.finish(), sha_.finish(), read_};
}

}  // namespace svidok::store::detail
