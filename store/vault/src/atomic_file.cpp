// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/atomic_file.h"

#include "fault_injection.h"
#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

Result<> write_file_atomic(const std::filesystem::path& path,
                           std::span<const unsigned char> bytes) {
    auto tmp = path;
    tmp += ".tmp";
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) return io_fail("cannot create", tmp, errno);
    if (auto r = write_all(fd.get(), bytes, tmp); !r) {
        ::unlink(tmp.c_str());
        return r;
    }
    if (auto r = sync_file(fd.get(), tmp); !r) {
        ::unlink(tmp.c_str());
        return r;
    }
    if (::close(fd.release()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return io_fail("cannot close", tmp, err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return io_fail("cannot replace", path, err);
    }
    return fsync_directory(path.has_parent_path() ? path.parent_path() : ".");
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
