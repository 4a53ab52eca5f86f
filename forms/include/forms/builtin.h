// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The form definitions compiled into the binary from forms/definitions/*.json, byte for byte.

#include <span>
#include <string_view>

namespace svidok::forms {

struct EmbeddedDefinition {
    const char* file_name;  // e.g. "child-recruitment.json"; nullptr ends the table
    std::string_view bytes;
};

/// Every built-in definition, sorted by file name.
[[nodiscard]] std::span<const EmbeddedDefinition> builtin_definitions() noexcept;

}  // namespace svidok::forms
