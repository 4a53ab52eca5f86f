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

/// write_file_atomic for a file that holds key material (vault.keys): the file it replaces is
/// opened before the rename and, once the new one is durable under `path`, its blocks are
/// overwritten in place with random bytes and synced before the descriptor is closed, so the
/// old content does not stay in blocks the file system frees. A leftover `<name>.tmp` is
/// overwritten the same way before anything is written. Errc::io when the old content could
/// not be overwritten: the new content is in place all the same (docs/FORMAT.md 2).
[[nodiscard]] Result<> replace_secret_file(const std::filesystem::path& path,
                                           std::span<const unsigned char> bytes);

/// Overwrites a leftover `<path>.tmp` (an interrupted replace_secret_file) with random bytes,
/// syncs it and removes it. Nothing to do when there is none. A `.tmp` that is another name of
/// `path` itself is only unlinked.
[[nodiscard]] Result<> scrub_leftover_tmp(const std::filesystem::path& path);

/// Moves `from` over `to` (same directory) and overwrites the blocks of the file `to` named
/// before (if any) through a descriptor opened before the rename, as replace_secret_file does.
/// For replacing a database with a re-keyed copy.
[[nodiscard]] Result<> rename_scrubbing_old(const std::filesystem::path& from,
                                            const std::filesystem::path& to);

/// Overwrites every byte of `path` in place with random bytes, syncs it and unlinks it, without
/// following a symbolic link. For files whose content must not stay in freed blocks.
[[nodiscard]] Result<> scrub_and_remove(const std::filesystem::path& path);

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
