// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// svidok-cli as a library: run() takes the arguments and an Io struct and returns the exit
// code, so tests drive every command in-process. Only cli/main.cpp exits.
//
// Exit codes: 0 success, 1 verification or integrity failure, 2 usage or I/O error,
// 3 authentication failed.

#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "crypto/error.h"
#include "crypto/kdf.h"
#include "crypto/secure_buffer.h"
#include "store/vault.h"

namespace svidok::cli {

enum ExitCode : int { kOk = 0, kVerifyFailed = 1, kUsageOrIo = 2, kAuthFailed = 3 };

/// What a secret is asked for; prompts are worded from it. The new_* kinds are asked twice.
enum class SecretKind {
    passphrase,
    new_passphrase,
    recovery_code,
    new_duress_passphrase,
    duress_passphrase,  // the one set, typed again to keep it through a re-key
    server_password     // a WebDAV account's, asked once
};

/// Where secrets come from. The shipped binary reads --passphrase-file,
/// SVIDOK_PASSPHRASE_FILE, or prompts on the terminal without echo; tests supply their own.
using SecretSource = std::function<Result<crypto::SecureBuffer>(SecretKind)>;

/// Asks the person a question that is not a secret (a typed confirmation) and returns the
/// line typed, without its line end. The shipped binary asks on the terminal; tests script it.
using LineSource = std::function<Result<std::string>(std::string_view question)>;

struct Io {
    std::ostream& out;
    std::ostream& err;
    /// Used when no file option names the secret.
    SecretSource prompt;
    /// The shipped binary keeps the defaults. Tests relax the Argon2id floor and fix fast
    /// parameters for `init` through these fields; no environment variable reaches them.
    store::VaultPolicy policy{};
    std::optional<crypto::KdfParams> init_kdf{};
    /// Used for typed confirmations (`wipe`); when empty, they need their --yes option.
    LineSource ask{};
};

/// Runs `svidok-cli ARGS...` (args excludes the program name).
[[nodiscard]] int run(std::span<const std::string_view> args, Io& io);

/// The exit code for an error value.
[[nodiscard]] int exit_code_for(const Error& e) noexcept;

}  // namespace svidok::cli
