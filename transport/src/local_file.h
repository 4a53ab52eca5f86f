// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Local file plumbing of the transport layer (the store's helpers are above it in the graph).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "crypto/error.h"

namespace svidok::transport {

/// Errc::io "transport.local_io" naming the operation, the path and errno's text.
[[nodiscard]] std::unexpected<Error> io_error(const char* what, const std::filesystem::path& path,
                                              int err);
/// Called with the bytes just moved; false cancels.
using ChunkFn = std::function<bool(std::uint64_t)>;
/// Writes bytes [offset, offset + length) of `from` to `to` (replaced, 0600), fsynced.
[[nodiscard]] Result<> copy_range(const std::filesystem::path& from, std::uint64_t offset,
                                  std::uint64_t length, const std::filesystem::path& to,
                                  const ChunkFn& chunk);
/// Appends bytes [offset, offset + length) of `from` to `to` (created 0600), fsynced.
[[nodiscard]] Result<> append_range(const std::filesystem::path& from, std::uint64_t offset,
                                    std::uint64_t length, const std::filesystem::path& to,
                                    const ChunkFn& chunk);
/// fsyncs a directory so a rename in it is durable.
[[nodiscard]] Result<> sync_dir(const std::filesystem::path& dir);
/// The size of a file, or 0 when it does not exist.
[[nodiscard]] std::uint64_t file_size_or_zero(const std::filesystem::path& path) noexcept;
/// Errc::invalid "transport.too_large": the server sent more than `limit` bytes of `path`.
[[nodiscard]] std::unexpected<Error> too_large(std::string_view path, std::uint64_t limit);
/// "cancelled" (Errc::usage), as the store's operations say it.
[[nodiscard]] std::unexpected<Error> cancelled();

}  // namespace svidok::transport
