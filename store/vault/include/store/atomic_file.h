// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Crash-safe file replacement: write a temporary file in the same directory, fsync it, rename
// it over the target, fsync the directory. After a crash at any point the target holds either
// the old or the new content, never neither and never a mix.

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "crypto/error.h"

namespace svidok::store {

/// Atomically replaces (or creates) `path` with `bytes`, mode 0600. The temporary file is
/// `<name>.tmp` beside it; a stale one from an earlier crash is overwritten.
[[nodiscard]] Result<> write_file_atomic(const std::filesystem::path& path,
                                         std::span<const unsigned char> bytes);

/// Creates `path` with `bytes`, mode 0600, never replacing anything: Errc::exists when the
/// name is taken. Written under a temporary name and moved into place once synced, so an
/// interrupted write leaves nothing under `path`. For files the user asked for by name
/// (reports, printouts).
[[nodiscard]] Result<> write_new_file(const std::filesystem::path& path,
                                      std::span<const unsigned char> bytes);

/// fsyncs a directory so a rename or unlink in it is durable.
[[nodiscard]] Result<> fsync_directory(const std::filesystem::path& dir);

/// Reads a whole small file (at most `max_bytes`; larger is Errc::corrupt).
[[nodiscard]] Result<std::vector<unsigned char>> read_small_file(const std::filesystem::path& path,
                                                                 std::size_t max_bytes);

/// The text of errno for messages ("permission denied").
[[nodiscard]] std::string errno_text(int err);

}  // namespace svidok::store
