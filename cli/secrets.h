// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Reading secrets: from a file (never from an argument), or from the terminal without echo.
// Secrets go straight from read(2) into sodium_malloc memory. Also typed confirmations, which
// are not secret.

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

/// Asks `question` on /dev/tty and reads one line with echo on. Errc::usage when there is no
/// terminal.
[[nodiscard]] Result<std::string> ask_on_terminal(std::string_view question);

}  // namespace svidok::cli
