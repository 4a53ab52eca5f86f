// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Every UI string is a key resolved from per-language tables (en, uk, ru). A test checks that
// each language has exactly the English key set and that format placeholders agree.

#include <span>
#include <string>
#include <string_view>

#include "forms/language.h"

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

/// The current interface language as the forms layer names it (labels of form definitions).
[[nodiscard]] forms::Language content_language() noexcept;

/// The text of `key` in the current language (NUL-terminated, static). An unknown key is a
/// bug: it aborts in tests and shows the key itself in release builds.
[[nodiscard]] const char* tr(std::string_view key) noexcept;

}  // namespace svidok::app

namespace svidok::app {

/// A date as the chosen language writes it: "2024-03-05" -> "5 March 2024" / "5 березня 2024",
/// "2024-03" -> "March 2024" / "березень 2024", "2024" as is, "A/B" ranges as "A – B", and an
/// RFC 3339 time "2024-03-05T14:02:11Z" as the date and "14:02 UTC". Anything else unchanged.
[[nodiscard]] std::string format_date(std::string_view iso, Lang lang);

}  // namespace svidok::app
