// SPDX-License-Identifier: GPL-3.0-or-later
#include "json_text.h"

#include <algorithm>
#include <charconv>

namespace svidok::forms::json::text {

Utf8Status utf8_sequence(std::string_view s, std::size_t i) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return {1, ""};
    if (b0 < 0xC0) return {0, "invalid UTF-8: unexpected continuation byte"};
    if (b0 < 0xC2) return {0, "invalid UTF-8: overlong encoding"};
    if (b0 > 0xF4) return {0, "invalid UTF-8: byte that never appears in UTF-8"};
    std::size_t n = 2;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    const char* out_of_range = "";
    if (b0 >= 0xF0) {
        n = 4;
        if (b0 == 0xF0) {
            lo = 0x90;
            out_of_range = "invalid UTF-8: overlong encoding";
        } else if (b0 == 0xF4) {
            hi = 0x8F;
            out_of_range = "invalid UTF-8: code point above U+10FFFF";
        }
    } else if (b0 >= 0xE0) {
        n = 3;
        if (b0 == 0xE0) {
            lo = 0xA0;
            out_of_range = "invalid UTF-8: overlong encoding";
        } else if (b0 == 0xED) {
            hi = 0x9F;
            out_of_range = "invalid UTF-8: UTF-16 surrogate (U+D800..U+DFFF) encoded in UTF-8";
        }
    }
    for (std::size_t k = 1; k < n; ++k) {
        if (i + k >= s.size()) return {0, "invalid UTF-8: truncated multi-byte sequence"};
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < 0x80 || b > 0xBF) return {0, "invalid UTF-8: truncated multi-byte sequence"};
        if (k == 1 && (b < lo || b > hi)) return {0, out_of_range};
    }
    return {n, ""};
}

const char* utf8_problem(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const Utf8Status st = utf8_sequence(s, i);
        if (st.length == 0) return st.reason;
        i += st.length;
    }
    return nullptr;
}

bool is_ascii(std::string_view s) noexcept {
    return std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string describe_byte(char c) {
    const auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7F) return std::string("'") + c + "'";
    constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[b >> 4] + kHex[b & 0xF];
}

void append_quoted(std::string& out, std::string_view s) {
    constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x20 && b != '"' && b != '\\') continue;
        out.append(s, run, i - run);
        run = i + 1;
        switch (b) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += "\\u00";
                out += kHex[b >> 4];
                out += kHex[b & 0xF];
        }
    }
    out.append(s, run, s.size() - run);
    out += '"';
}

void append_integer(std::string& out, std::int64_t i) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, r.ptr);
}

// Keys longer than this are shortened in error paths.
constexpr std::size_t kMaxPathKeyBytes = 64;

void append_key_segment(std::string& path, std::string_view key) {
    auto ident_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    };
    const bool identifier = !key.empty() && key.size() <= kMaxPathKeyBytes && !is_digit(key[0]) &&
                            std::ranges::all_of(key, ident_char);
    if (identifier) {
        path += '.';
        path += key;
        return;
    }
    path += '[';
    if (key.size() > kMaxPathKeyBytes) {
        append_quoted(path, key.substr(0, kMaxPathKeyBytes));
        path += "...";
    } else {
        append_quoted(path, key);
    }
    path += ']';
}

void append_index_segment(std::string& path, std::size_t index) {
    path += '[';
    path += std::to_string(index);
    path += ']';
}

}  // namespace svidok::forms::json::text
