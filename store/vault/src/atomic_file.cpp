// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/atomic_file.h"

#include "fault_injection.h"
#include "file_io.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace svidok::store {

std::string errno_text(int err) {
    std::string s = std::strerror(err);
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

namespace {

Result<> io_fail(const std::string& what, const std::filesystem::path& p, int err) {
    return fail(Errc::io, what + " " + p.string() + ": " + errno_text(err));
}

/// A failed write or fsync; a full disk is said in plain words.
Result<> write_fail(const char* what, const std::filesystem::path& p, int err) {
    if (err == ENOSPC || err == EDQUOT || err == EFBIG) {
        return fail(Errc::io,
                    "the disk is full (or the file size limit was reached) while "
                    "writing " +
                        p.string() + ": " + errno_text(err),
                    "free some space on the disk, then try again");
    }
    return io_fail(what, p, err);
}

// The system calls, behind the tests' fault seam (fault_injection.h).
ssize_t do_write(int fd, const void* p, std::size_t n, const std::filesystem::path& path) {
    if (const int err = fault::injected(fault::Op::write, path.c_str()); err != 0) {
        errno = err;
        return -1;
    }
    return ::write(fd, p, n);
}

ssize_t do_read(int fd, void* p, std::size_t n, const std::filesystem::path& path) {
    if (const int err = fault::injected(fault::Op::read, path.c_str()); err != 0) {
        errno = err;
        return -1;
    }
    return ::read(fd, p, n);
}

int do_fsync(int fd, const std::filesystem::path& path) {
    if (const int err = fault::injected(fault::Op::sync, path.c_str()); err != 0) {
        errno = err;
        return -1;
    }
    return ::fsync(fd);
}

}  // namespace

Result<> write_all(int fd, crypto::ByteView bytes, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = do_write(fd, bytes.data() + done, bytes.size() - done, path);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return write_fail("cannot write", path, errno);
        done += static_cast<std::size_t>(n);
    }
    return {};
}

Result<std::size_t> read_full(int fd, std::span<unsigned char> buf,
                              const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < buf.size()) {
        ssize_t n = do_read(fd, buf.data() + done, buf.size() - done, path);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::unexpected(io_fail("cannot read", path, errno).error());
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

Result<> sync_file(int fd, const std::filesystem::path& path) {
    if (do_fsync(fd, path) != 0) return write_fail("cannot sync", path, errno);
    return {};
}

Result<> fsync_directory(const std::filesystem::path& dir) {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return io_fail("cannot open directory", dir, errno);
    if (do_fsync(fd.get(), dir) != 0) return write_fail("cannot sync directory", dir, errno);
    return {};
}

// The old key slots must not survive in blocks the file system still owns. (On flash or
// copy-on-write storage the drive or file system may keep old blocks all the same:
// docs/SECURITY.md.)
Result<> overwrite_file(int fd, const std::filesystem::path& p) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        return fail(Errc::io, p.string() + " is not a regular file");
    }
    std::array<unsigned char, 4096> noise{};
    for (off_t off = 0; off < st.st_size;) {
        const auto n = static_cast<std::size_t>(
            std::min<off_t>(st.st_size - off, static_cast<off_t>(noise.size())));
        randombytes_buf(noise.data(), n);
        const int injected = fault::injected(fault::Op::write, p.c_str());
        if (injected != 0) errno = injected;
        const ssize_t w = injected != 0 ? -1 : ::pwrite(fd, noise.data(), n, off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return write_fail("cannot overwrite", p, w == 0 ? EIO : errno);
        off += w;
    }
    sodium_memzero(noise.data(), noise.size());
    return sync_file(fd, p);
}

Result<> scrub_and_remove(const std::filesystem::path& p) {
    // Every step runs even when an earlier one fails: the less is left, the better.
    Result<> first{};
    Fd fd(::open(p.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) {
        first =
            fail(Errc::io, "cannot open " + p.string() + " to overwrite it: " + errno_text(errno));
    } else if (auto r = overwrite_file(fd.get(), p); !r) {
        first = std::move(r);
    }
    if (fd.get() >= 0 && ::close(fd.release()) != 0 && first) {
        first = fail(Errc::io, "cannot overwrite " + p.string() + ": " + errno_text(errno));
    }
    if (::unlink(p.c_str()) != 0 && errno != ENOENT && first) {
        first = fail(Errc::io, "cannot remove " + p.string() + ": " + errno_text(errno));
    }
    return first;
}

namespace {

std::filesystem::path tmp_of(const std::filesystem::path& path) {
    auto tmp = path;
    tmp += ".tmp";
    return tmp;
}

std::filesystem::path dir_of(const std::filesystem::path& path) {
    return path.has_parent_path() ? path.parent_path() : ".";
}

// Writes `bytes` to a new `tmp`, synced and closed. On failure `tmp` is gone (scrubbed first
// when `secret`).
Result<> write_synced(const std::filesystem::path& tmp, std::span<const unsigned char> bytes,
                      bool secret) {
    const auto drop = [&](Result<> r) {
        if (secret) {
            (void)scrub_and_remove(tmp);
        } else {
            ::unlink(tmp.c_str());
        }
        return r;
    };
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return io_fail("cannot create", tmp, errno);
    if (auto r = write_all(fd.get(), bytes, tmp); !r) return drop(std::move(r));
    if (auto r = sync_file(fd.get(), tmp); !r) return drop(std::move(r));
    if (::close(fd.release()) != 0) return drop(io_fail("cannot close", tmp, errno));
    return {};
}

bool same_file(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

Result<> write_file_atomic(const std::filesystem::path& path,
                           std::span<const unsigned char> bytes) {
    const auto tmp = tmp_of(path);
    if (auto r = write_synced(tmp, bytes, false); !r) return r;
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return io_fail("cannot replace", path, err);
    }
    return fsync_directory(dir_of(path));
}

Result<> scrub_leftover_tmp(const std::filesystem::path& path) {
    const auto tmp = tmp_of(path);
    struct stat st {
    }, target{};
    if (::lstat(tmp.c_str(), &st) != 0) {
        if (errno == ENOENT) return {};
        return io_fail("cannot inspect", tmp, errno);
    }
    // A .tmp that is a hard link to the file itself holds nothing stale: overwriting it would
    // destroy the current content.
    const bool is_target = ::lstat(path.c_str(), &target) == 0 && same_file(st, target);
    if (S_ISREG(st.st_mode) && !is_target) {
        if (auto r = scrub_and_remove(tmp); !r) return r;
    } else if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) {
        return io_fail("cannot remove", tmp, errno);
    }
    return fsync_directory(dir_of(path));
}

Result<> rename_scrubbing_old(const std::filesystem::path& from, const std::filesystem::path& to) {
    // Opened before the rename: afterwards the name leads to the new file and the old one's
    // blocks are only reachable through this descriptor.
    Fd old(::open(to.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (old.get() < 0 && errno != ENOENT) return io_fail("cannot open", to, errno);
    struct stat from_st {};
    if (::lstat(from.c_str(), &from_st) != 0) return io_fail("cannot inspect", from, errno);
    if (::rename(from.c_str(), to.c_str()) != 0) return io_fail("cannot replace", to, errno);
    // Only once the rename is durable: a crash must never find the old content overwritten and
    // the new one not yet under the name.
    if (auto r = fsync_directory(dir_of(to)); !r) return r;
    if (old.get() < 0) return {};
    struct stat old_st {};
    if (::fstat(old.get(), &old_st) != 0) return io_fail("cannot inspect", to, errno);
    if (same_file(old_st, from_st)) return {};
    if (auto r = overwrite_file(old.get(), to); !r) {
        return fail(Errc::io, "the new " + to.filename().string() +
                                  " is in place, but the old one could not be overwritten (" +
                                  r.error().message + ")");
    }
    if (::close(old.release()) != 0) return io_fail("cannot overwrite", to, errno);
    return {};
}

Result<> replace_secret_file(const std::filesystem::path& path,
                             std::span<const unsigned char> bytes) {
    if (auto r = scrub_leftover_tmp(path); !r) return r;
    const auto tmp = tmp_of(path);
    if (auto r = write_synced(tmp, bytes, true); !r) return r;
    auto r = rename_scrubbing_old(tmp, path);
    if (!r && ::access(tmp.c_str(), F_OK) == 0) (void)scrub_and_remove(tmp);
    return r;
}

Result<> write_new_file(const std::filesystem::path& path, std::span<const unsigned char> bytes) {
    const auto taken = [&] {
        return fail(Errc::exists, path.string() + " already exists",
                    "choose another name or folder; nothing was overwritten");
    };
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) return taken();
    auto partial = path;
    partial += ".partial";
    if (auto r = write_file_atomic(partial, bytes); !r) return r;
    // RENAME_NOREPLACE is atomic; file systems without it (vfat on older kernels) get a
    // check-then-rename, racy only against another writer of the same name.
    int moved = ::renameat2(AT_FDCWD, partial.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
    if (moved != 0 && errno == EINVAL) {
        moved = ::lstat(path.c_str(), &st) == 0 ? (errno = EEXIST, -1)
                                                : ::rename(partial.c_str(), path.c_str());
    }
    if (moved != 0) {
        const int err = errno;
        ::unlink(partial.c_str());
        if (err == EEXIST) return taken();
        return io_fail("cannot create", path, err);
    }
    return fsync_directory(path.has_parent_path() ? path.parent_path() : ".");
}

Result<std::vector<unsigned char>> read_small_file(const std::filesystem::path& path,
                                                   std::size_t max_bytes) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        int err = errno;
        return fail(err == ENOENT ? Errc::not_found : Errc::io,
                    "cannot open " + path.string() + ": " + errno_text(err));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail(Errc::io, "cannot stat " + path.string());
    if (!S_ISREG(st.st_mode)) return fail(Errc::io, path.string() + " is not a regular file");
    if (static_cast<std::size_t>(st.st_size) > max_bytes) {
        return fail(Errc::corrupt, path.string() + " is " + std::to_string(st.st_size) +
                                       " bytes, more than the " + std::to_string(max_bytes) +
                                       " allowed");
    }
    std::vector<unsigned char> out(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < out.size()) {
        ssize_t n = do_read(fd.get(), out.data() + done, out.size() - done, path);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(Errc::io, "cannot read " + path.string() + ": " + errno_text(errno));
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

}  // namespace svidok::store
