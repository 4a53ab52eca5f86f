// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading secrets: from a file (never from an argument), or from the terminal without echo.
// Secrets go straight from read(2) into sodium_malloc memory.

#include <filesystem>

#include "cli.h"

namespace svidok::cli {

inline constexpr std::size_t kMaxSecretBytes = 1024;

/// Reads a secret file; one trailing "\n" or "\r\n" is removed. Errc::io / Errc::invalid
/// (empty, too long).
[[nodiscard]] Result<crypto::SecureBuffer> read_secret_file(const std::filesystem::path& path);

/// Prompts on /dev/tty with echo off; asks twice for a new passphrase. Errc::usage when there is
/// no terminal.
[[nodiscard]] Result<crypto::SecureBuffer> prompt_on_terminal(SecretKind kind);

}  // namespace svidok::cli
