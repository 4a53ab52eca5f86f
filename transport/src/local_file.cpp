// SPDX-License-Identifier: GPL-3.0-or-later
#include "local_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace svidok::transport {

namespace fs = std::filesystem;

namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

Result<> transfer(const fs::path& from, std::uint64_t offset, std::uint64_t length,
                  const fs::path& to, int flags, const ChunkFn& chunk) {
    Fd in{::open(from.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) return io_error("open", from, errno);
    Fd out{::open(to.c_str(), flags | O_WRONLY | O_CREAT | O_CLOEXEC, 0600)};
    if (out.fd < 0) return io_error("create", to, errno);
    std::array<unsigned char, 1 << 16> buf{};
    while (length > 0) {
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), length));
        const ssize_t n = ::pread(in.fd, buf.data(), want, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return io_error("read", from, errno);
        if (n == 0) return io_error("read", from, EIO);  // shorter than the caller said
        for (ssize_t done = 0; done < n;) {
            const ssize_t w =
                ::write(out.fd, buf.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) return io_error("write", to, errno);
            done += w;
        }
        offset += static_cast<std::uint64_t>(n);
        length -= static_cast<std::uint64_t>(n);
        if (chunk && !chunk(static_cast<std::uint64_t>(n))) return cancelled();
    }
    if (::fsync(out.fd) != 0) return io_error("write", to, errno);
    return {};
}

}  // namespace

std::unexpected<Error> io_error(const char* what, const fs::path& path, int err) {
    return fail(Errc::io, "transport.local_io",
                {{"operation", what}, {"path", path.string()}, {"reason", std::strerror(err)}},
                std::string("cannot ") + what + " " + path.string() + ": " + std::strerror(err),
                "check that the folder exists, is writable and has space");
}

Result<> copy_range(const fs::path& from, std::uint64_t offset, std::uint64_t length,
                    const fs::path& to, const ChunkFn& chunk) {
    return transfer(from, offset, length, to, O_TRUNC, chunk);
}

Result<> append_range(const fs::path& from, std::uint64_t offset, std::uint64_t length,
                      const fs::path& to, const ChunkFn& chunk) {
    return transfer(from, offset, length, to, O_APPEND, chunk);
}

Result<> sync_dir(const fs::path& dir) {
    Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (d.fd < 0 || ::fsync(d.fd) != 0) return io_error("sync", dir, errno);
    return {};
}

std::uint64_t file_size_or_zero(const fs::path& path) noexcept {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

std::unexpected<Error> too_large(std::string_view path, std::uint64_t limit) {
    return fail(Errc::invalid, "transport.too_large",
                {{"file", std::string(path)}, {"limit", std::to_string(limit)}},
                std::string(path) + " on the server is larger than the " + std::to_string(limit) +
                    " bytes it can be; it was not taken",
                "the server's copy is damaged or not Svidok's; it was left there");
}

std::unexpected<Error> cancelled() {
    return fail(Errc::usage, "transport.cancelled", {}, "cancelled");
}

}  // namespace svidok::transport
