// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A small, strict option parser: every command declares its options; unknown options,
// missing values and stray arguments are usage errors that name the offender.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"

namespace svidok::cli {

struct OptionSpec {
    std::string_view name;  // "--vault"
    bool takes_value;
    bool repeatable = false;
};

struct ParsedArgs {
    std::map<std::string, std::vector<std::string>, std::less<>> options;
    std::vector<std::string> positional;

    [[nodiscard]] bool has(std::string_view name) const { return options.contains(name); }
    [[nodiscard]] std::optional<std::string> value(std::string_view name) const;
    [[nodiscard]] std::vector<std::string> values(std::string_view name) const;
};

/// Parses `args` against `specs`. Accepts "--opt value" and "--opt=value"; "--" ends options.
/// `max_positional` bounds the positional arguments.
[[nodiscard]] Result<ParsedArgs> parse_args(std::span<const std::string_view> args,
                                            std::span<const OptionSpec> specs,
                                            std::size_t max_positional);

}  // namespace svidok::cli
