// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Streaming tar for encrypted bundles: the writer's bytes go straight into a sink (an age
// encryptor) and the reader pulls plaintext from a source (an age decryptor), so no temporary
// file exists and memory stays constant whatever the file sizes. Only regular files with short
// ASCII paths are written or accepted; no compression. Built on libarchive, which only this
// file's implementation sees.
//
// Output is POSIX ustar (pax restricted): one 512-byte header per file, the data padded to a
// multiple of 512, and a pax extended header only for a file of 8 GiB or more, whose size does
// not fit the ustar size field.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "crypto/age.h"
#include "crypto/encoding.h"
#include "crypto/error.h"

namespace svidok::store::tar {

inline constexpr std::size_t kBlockBytes = 512;
inline constexpr std::uint64_t kEndOfArchiveBytes = 1024;  // two zero blocks
inline constexpr std::size_t kMaxPathBytes = 100;          // fits the ustar name field alone
/// From this size on the ustar size field (11 octal digits) is too small and a pax extended
/// header carries the size.
inline constexpr std::uint64_t kPaxSizeThreshold = std::uint64_t{1} << 33;
/// That pax extended header: its own 512-byte header plus one data block holding the single
/// record "NN size=N\n" (at most 28 bytes), padded to 512.
inline constexpr std::uint64_t kPaxSizeHeaderBytes = 1024;
/// The largest file Writer accepts: libarchive sizes are signed 64-bit.
inline constexpr std::uint64_t kMaxFileBytes =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

/// Bytes an entry of `size` data bytes occupies when written by Writer: 512 for the header,
/// the data rounded up to a multiple of 512, and kPaxSizeHeaderBytes more when
/// size >= kPaxSizeThreshold. Saturates at UINT64_MAX for sizes above kMaxFileBytes (which
/// Writer refuses).
[[nodiscard]] std::uint64_t entry_bytes(std::uint64_t size) noexcept;

/// Whether Writer writes and Reader accepts `path`: 1..kMaxPathBytes bytes of [A-Za-z0-9._/-],
/// components separated by single '/', none empty, "." or ".." (so no leading or trailing '/').
[[nodiscard]] bool valid_path(std::string_view path) noexcept;

/// Writes a tar stream entry by entry. Output is deterministic: the same files in the same
/// order give the same bytes. A usage error changes nothing; after any other failure (the sink
/// failed, or libarchive did) every call returns that error again.
class Writer {
public:
    /// Every output byte goes to `sink`, in order and unbuffered (libarchive's blocking is
    /// turned off), so bytes_written() is exact after each call. Errors: Errc::usage for an
    /// empty sink, Errc::internal when libarchive cannot be set up.
    [[nodiscard]] static Result<Writer> create(crypto::ByteSink sink);

    /// Starts a regular file: mode 0600, mtime 0, uid/gid 0, no user or group names, no other
    /// metadata. Writes its header (and completes an empty file at once). Errors: Errc::usage
    /// for a path valid_path() refuses, a size above kMaxFileBytes, when the previous file got
    /// fewer bytes than declared or after finish(); the sink's error.
    [[nodiscard]] Result<> begin_file(std::string_view path, std::uint64_t size);
    /// More data of the current file; once it has all its declared bytes the padding follows
    /// at once. Errors: Errc::usage without a current file or when `data` would exceed the
    /// declared size (then nothing of `data` is written); the sink's error.
    [[nodiscard]] Result<> write(crypto::ByteView data);
    /// Writes the end-of-archive marker (two zero blocks) and nothing after it. Errors:
    /// Errc::usage when the current file is incomplete or on a second call; the sink's error.
    [[nodiscard]] Result<> finish();

    /// Bytes the sink has accepted so far.
    [[nodiscard]] std::uint64_t bytes_written() const noexcept;

    Writer(Writer&&) noexcept;
    Writer& operator=(Writer&&) noexcept;
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    /// An unfinished writer writes nothing more: no end marker reaches the sink.
    ~Writer();

private:
    struct State;
    explicit Writer(std::unique_ptr<State> state) noexcept;
    std::unique_ptr<State> s_;
};

/// Reads a tar stream strictly: only the tar format (ustar, pax, GNU headers), no compression,
/// and only regular files with paths valid_path() accepts. After a failure other than a usage
/// error every call returns it again.
class Reader {
public:
    /// Returns the next input bytes; an empty view means end of input. The view stays valid
    /// until the next call. Not called again after it returned the end or an error.
    using Source = std::function<Result<crypto::ByteView>()>;

    /// Nothing is read until the first next().
    explicit Reader(Source source);

    struct Entry {
        std::string path;
        std::uint64_t size = 0;
    };

    /// The next entry's header, or nullopt once the end-of-archive marker was read (and again
    /// on later calls). Unread data of the previous entry is skipped first. Errors:
    /// Errc::corrupt, naming the entry when known, for an entry that is not a regular file
    /// (directory, symbolic or hard link, device, fifo, sparse file), a path valid_path()
    /// refuses, a damaged or truncated header, truncated data, input that is not tar, or an
    /// archive that ends without both zero blocks; the source's error unchanged.
    [[nodiscard]] Result<std::optional<Entry>> next();
    /// Up to out.size() bytes of the current entry's data; 0 at the end of the entry (or for
    /// an empty `out`). Errors: Errc::usage without a current entry; Errc::corrupt when the
    /// archive is truncated inside the data; the source's error unchanged.
    [[nodiscard]] Result<std::size_t> read(std::span<unsigned char> out);

    /// The offset in the tar stream just after the end-of-archive marker, once next() returned
    /// nullopt; before that, nullopt. libarchive reads ahead, so the source may have been
    /// asked for bytes past this offset (GNU tar, for one, pads archives with zero blocks).
    [[nodiscard]] std::optional<std::uint64_t> end_offset() const noexcept;

    Reader(Reader&&) noexcept;
    Reader& operator=(Reader&&) noexcept;
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    ~Reader();

private:
    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace svidok::store::tar
