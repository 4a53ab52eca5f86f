// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Every UI string is a key resolved from per-language tables (en, uk, ru). A test checks that
// each language has exactly the English key set and that format placeholders agree.

#include <span>
#include <string_view>

namespace svidok::app {

enum class Lang { en, uk, ru };

struct StringEntry {
    std::string_view key;
    std::string_view en, uk, ru;
};

/// The whole table (for tests and for switching languages).
[[nodiscard]] std::span<const StringEntry> string_table() noexcept;

void set_language(Lang lang) noexcept;
[[nodiscard]] Lang language() noexcept;

/// The text of `key` in the current language (NUL-terminated, static). An unknown key is a
/// bug: it aborts in tests and shows the key itself in release builds.
[[nodiscard]] const char* tr(std::string_view key) noexcept;

}  // namespace svidok::app
