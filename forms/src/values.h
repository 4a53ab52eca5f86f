// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the forms library: the lexical rules of docs/FORMS.md shared by the definition
// reader and validation (identifiers, text, calendar strings, date-times, coordinates, hashes).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "forms/json.h"

namespace svidok::forms::detail {

/// Number of Unicode code points; `utf8` is valid UTF-8 (the JSON reader guarantees it).
[[nodiscard]] std::size_t code_points(std::string_view utf8) noexcept;

/// Only space, tab, LF and CR (or nothing).
[[nodiscard]] bool is_blank(std::string_view text) noexcept;

/// Contains U+0000..U+001F or U+007F..U+009F, except LF and tab when `allow_lf_tab`.
[[nodiscard]] bool has_control(std::string_view utf8, bool allow_lf_tab) noexcept;

/// `[a-z][a-z0-9_]*` (or with `-` instead of `_` for form ids), at most 64 characters.
[[nodiscard]] bool is_identifier(std::string_view id) noexcept;
[[nodiscard]] bool is_form_id(std::string_view id) noexcept;

/// A string for messages: quoted, at most 64 bytes, bytes outside printable ASCII as \xNN.
[[nodiscard]] std::string quoted(std::string_view text);

/// "a.b", "a[3]" style path joining ("" + "x" gives "x").
[[nodiscard]] std::string member_path(const std::string& path, std::string_view member);
[[nodiscard]] std::string index_path(const std::string& path, std::size_t index);

/// A calendar string's span of days, as yyyymmdd integers, and its form.
struct CalendarSpan {
    enum class Form { year, month, day };
    Form form = Form::day;
    int first = 0;  // yyyymmdd of the first day it can denote
    int last = 0;   // yyyymmdd of the last day it can denote
};

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (years kMinYear..kMaxYear, real Gregorian days).
[[nodiscard]] std::optional<CalendarSpan> parse_calendar(std::string_view text) noexcept;

/// `YYYY-MM-DDThh:mm:ss` followed by `Z` or `+hh:mm` / `-hh:mm` (docs/FORMS.md 3.2).
[[nodiscard]] bool is_datetime(std::string_view text) noexcept;

/// A decimal string `-?(0|[1-9][0-9]{0,2})(\.[0-9]{1,8})?` whose value is within +/-limit.
[[nodiscard]] bool is_coordinate(std::string_view text, int limit) noexcept;

/// 64 lowercase hex digits.
[[nodiscard]] bool is_sha256_hex(std::string_view text) noexcept;

/// A JSON type's name for messages ("an integer", "a string", ...).
[[nodiscard]] std::string_view type_name(const json::Value& value) noexcept;

}  // namespace svidok::forms::detail
