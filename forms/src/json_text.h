// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the forms library: the text rules shared by the JSON reader (json.cpp) and the
// canonical writer (json_writer.cpp) of docs/FORMAT.md section 6.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace svidok::forms::json::text {

[[nodiscard]] inline bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

struct Utf8Status {
    std::size_t length;  // of the well-formed sequence, 0 when malformed
    const char* reason;  // why it is malformed
};

/// Measures the UTF-8 sequence starting at s[i], strictly per Unicode Table 3-7: no overlong
/// forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
[[nodiscard]] Utf8Status utf8_sequence(std::string_view s, std::size_t i) noexcept;

/// The reason `s` is not valid UTF-8, or nullptr when it is.
[[nodiscard]] const char* utf8_problem(std::string_view s) noexcept;

[[nodiscard]] bool is_ascii(std::string_view s) noexcept;

/// "'x'" for a printable ASCII byte, "byte 0x1f" otherwise: never raw bytes in a message.
[[nodiscard]] std::string describe_byte(char c);

/// JCS / ECMAScript JSON.stringify string escaping; `s` must be valid UTF-8.
void append_quoted(std::string& out, std::string_view s);

/// Shortest decimal form, as ECMAScript prints a safe integer.
void append_integer(std::string& out, std::int64_t i);

/// Path segments for error messages: ".name" for identifier-like keys, otherwise
/// ["escaped key"] (only ASCII keys reach a path); "[i]" for an array index.
void append_key_segment(std::string& path, std::string_view key);
void append_index_segment(std::string& path, std::size_t index);

}  // namespace svidok::forms::json::text
