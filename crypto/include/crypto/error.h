// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Expected failures are values: every fallible library function returns Result<T>. Bugs (API
// misuse, broken invariants) abort instead. The message is lowercase, says what failed with its
// context, and never contains a secret or user content.

#include <expected>
#include <string>
#include <utility>

namespace svidok {

enum class Errc {
    usage,        // the caller asked for something malformed or impossible
    io,           // the operating system refused (missing path, permissions, disk full)
    auth_failed,  // wrong passphrase, wrong recovery code, wrong key
    integrity,    // a signature, MAC or hash does not match: data was altered or is not ours
    corrupt,      // bytes do not parse as the format they claim to be
    unsupported,  // a well-formed input of a version or kind this build does not handle
    not_found,    // a named thing (record, vault, recipient) does not exist
    exists,       // refusing to overwrite something that exists
    invalid,      // well-formed input that breaks a rule (validation, policy, limits)
    internal,     // a self-test or library call failed where it must not
};

struct Error {
    Errc code;
    std::string message;
    std::string hint;  // optional: what the person can do about it

    /// Prefixes context, age-style: wrap("reading vault.keys") gives
    /// "reading vault.keys: <message>".
    [[nodiscard]] Error wrap(std::string_view context) && {
        message = std::string(context) + ": " + message;
        return std::move(*this);
    }
};

template <class T = void>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(Errc code, std::string message,
                                                 std::string hint = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(hint)});
}

/// Name of an error code, stable for JSON output and tests.
[[nodiscard]] const char* errc_name(Errc code) noexcept;

}  // namespace svidok
