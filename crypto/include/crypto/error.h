// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Expected failures are values: every fallible library function returns Result<T>. Bugs (API
// misuse, broken invariants) abort instead. The message is lowercase, says what failed with its
// context, and never contains a secret or user content.

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

/// One named value of an error (a record id, a file name, a limit), for a front end that words
/// the error itself. Never a secret; user content only where the person must see it.
struct ErrorArg {
    std::string name;
    std::string value;
};

/// What went wrong, as data. `code` is the class (and the CLI's exit status); `kind` is the
/// stable identifier of this failure, "<area>.<what>" (for example "seal.no_recipients"), which
/// the app words from its string tables with `args` in the interface language. `message` and
/// `hint` are the English wording the CLI prints (the hint may name commands and flags); the app
/// never shows them when it knows the kind. Errors without a kind yet are worded by code alone.
struct Error {
    Errc code;
    std::string message;
    std::string hint = {};  // optional: what the person can do about it, in the CLI's terms
    std::string kind = {};
    std::vector<ErrorArg> args = {};

    /// Prefixes context, age-style: wrap("reading vault.keys") gives
    /// "reading vault.keys: <message>".
    [[nodiscard]] Error wrap(std::string_view context) && {
        message = std::string(context) + ": " + message;
        return std::move(*this);
    }

    /// The value of argument `name`, or empty.
    [[nodiscard]] std::string_view arg(std::string_view name) const noexcept {
        for (const auto& a : args) {
            if (a.name == name) return a.value;
        }
        return {};
    }
};

template <class T = void>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(Errc code, std::string message,
                                                 std::string hint = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(hint)});
}

/// An error with its kind and arguments (see Error); `message` and `hint` are the CLI's words.
[[nodiscard]] inline std::unexpected<Error> fail(Errc code, std::string kind,
                                                 std::vector<ErrorArg> args, std::string message,
                                                 std::string hint = {}) {
    return std::unexpected(
        Error{code, std::move(message), std::move(hint), std::move(kind), std::move(args)});
}

/// Name of an error code, stable for JSON output and tests.
[[nodiscard]] const char* errc_name(Errc code) noexcept;

}  // namespace svidok
