// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers: a file descriptor owner and whole-buffer read/write loops with
// errors that name the file.

#include <unistd.h>

#include <filesystem>
#include <span>
#include <utility>

#include "crypto/encoding.h"
#include "crypto/error.h"

namespace svidok::store {

class Fd {
public:
    explicit Fd(int fd = -1) noexcept : fd_(fd) {}
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    [[nodiscard]] int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

/// Writes all of `bytes`. Errc::io naming `path`; disk full is said in plain words.
[[nodiscard]] Result<> write_all(int fd, crypto::ByteView bytes, const std::filesystem::path& path);

/// Reads until `buf` is full or the end of the file; returns the bytes read.
[[nodiscard]] Result<std::size_t> read_full(int fd, std::span<unsigned char> buf,
                                            const std::filesystem::path& path);

/// fsync, naming `path` on failure.
[[nodiscard]] Result<> sync_file(int fd, const std::filesystem::path& path);

}  // namespace svidok::store
