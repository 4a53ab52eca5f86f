// SPDX-License-Identifier: GPL-3.0-or-later
#include "values.h"

#include "forms/form.h"
#include "forms/validate.h"

namespace svidok::forms::detail {
namespace {

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

bool is_lower_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || is_digit(c);
}

// Reads exactly `n` ASCII digits at `pos`.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) noexcept {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!is_digit(s[i])) return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool is_leap(int year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) noexcept {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

bool identifier_with(std::string_view id, char joiner) noexcept {
    if (id.empty() || id.size() > kMaxIdLength || id[0] < 'a' || id[0] > 'z') return false;
    for (char c : id) {
        if (!is_lower_alnum(c) && c != joiner) return false;
    }
    return true;
}

}  // namespace

std::size_t code_points(std::string_view utf8) noexcept {
    std::size_t n = 0;
    for (char c : utf8) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    }
    return n;
}

bool is_blank(std::string_view text) noexcept {
    return text.find_first_not_of(" \t\n\r") == std::string_view::npos;
}

bool has_control(std::string_view utf8, bool allow_lf_tab) noexcept {
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        if (b < 0x20) {
            if (allow_lf_tab && (b == '\n' || b == '\t')) continue;
            return true;
        }
        if (b == 0x7F) return true;
        // U+0080..U+009F are encoded as C2 80..C2 9F.
        if (b == 0xC2 && i + 1 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) < 0xA0) {
            return true;
        }
    }
    return false;
}

bool is_identifier(std::string_view id) noexcept {
    return identifier_with(id, '_');
}

bool is_form_id(std::string_view id) noexcept {
    return identifier_with(id, '-');
}

std::string quoted(std::string_view text) {
    static constexpr std::size_t kMaxQuoted = 64;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < kMaxQuoted; ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
            out += static_cast<char>(b);
        } else {
            out += "\\x";
            out += kHex[b >> 4];
            out += kHex[b & 0xF];
        }
    }
    if (text.size() > kMaxQuoted) out += "...";
    out += '"';
    return out;
}

std::string member_path(const std::string& path, std::string_view member) {
    if (path.empty()) return std::string(member);
    std::string out = path;
    out += '.';
    out += member;
    return out;
}

std::string index_path(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::optional<CalendarSpan> parse_calendar(std::string_view text) noexcept {
    static constexpr std::size_t kYearLen = 4, kMonthLen = 7, kDayLen = 10;
    const auto year = digits(text, 0, 4);
    if (!year || *year < kMinYear || *year > kMaxYear) return std::nullopt;
    CalendarSpan span;
    if (text.size() == kYearLen) {
        span.form = CalendarSpan::Form::year;
        span.first = *year * 10000 + 101;
        span.last = *year * 10000 + 1231;
        return span;
    }
    if (text.size() < kMonthLen || text[4] != '-') return std::nullopt;
    const auto month = digits(text, 5, 2);
    if (!month || *month < 1 || *month > 12) return std::nullopt;
    const int ym = *year * 10000 + *month * 100;
    if (text.size() == kMonthLen) {
        span.form = CalendarSpan::Form::month;
        span.first = ym + 1;
        span.last = ym + days_in_month(*year, *month);
        return span;
    }
    if (text.size() != kDayLen || text[7] != '-') return std::nullopt;
    const auto day = digits(text, 8, 2);
    if (!day || *day < 1 || *day > days_in_month(*year, *month)) return std::nullopt;
    span.form = CalendarSpan::Form::day;
    span.first = span.last = ym + *day;
    return span;
}

bool is_datetime(std::string_view text) noexcept {
    // 2024-05-14T10:30:00Z (20) or 2024-05-14T10:30:00+03:00 (25)
    static constexpr std::size_t kDateLen = 10, kUtcLen = 20, kOffsetLen = 25;
    if (text.size() != kUtcLen && text.size() != kOffsetLen) return false;
    const auto date = parse_calendar(text.substr(0, kDateLen));
    if (!date || date->form != CalendarSpan::Form::day || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':') {
        return false;
    }
    const auto hh = digits(text, 11, 2), mm = digits(text, 14, 2), ss = digits(text, 17, 2);
    if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 59) return false;
    if (text.size() == kUtcLen) return text[19] == 'Z';
    if ((text[19] != '+' && text[19] != '-') || text[22] != ':') return false;
    const auto oh = digits(text, 20, 2), om = digits(text, 23, 2);
    return oh && om && *oh <= 23 && *om <= 59;
}

bool is_coordinate(std::string_view text, int limit) noexcept {
    static constexpr std::size_t kMaxIntDigits = 3;
    std::size_t i = 0;
    if (i < text.size() && text[i] == '-') ++i;
    const std::size_t int_start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    const std::size_t int_len = i - int_start;
    if (int_len == 0 || int_len > kMaxIntDigits) return false;
    if (int_len > 1 && text[int_start] == '0') return false;
    bool fraction_nonzero = false;
    if (i < text.size()) {
        if (text[i] != '.') return false;
        const std::size_t frac_start = ++i;
        while (i < text.size() && is_digit(text[i])) {
            fraction_nonzero = fraction_nonzero || text[i] != '0';
            ++i;
        }
        const std::size_t frac_len = i - frac_start;
        if (frac_len == 0 || frac_len > kMaxCoordinateDecimals || i != text.size()) return false;
    }
    int whole = 0;
    for (std::size_t k = int_start; k < int_start + int_len; ++k)
        whole = whole * 10 + (text[k] - '0');
    // Exact decimal comparison: |value| <= limit iff whole < limit, or whole == limit with a
    // zero fraction.
    return whole < limit || (whole == limit && !fraction_nonzero);
}

bool is_sha256_hex(std::string_view text) noexcept {
    static constexpr std::size_t kHexLen = 64;
    if (text.size() != kHexLen) return false;
    for (char c : text) {
        if (!is_digit(c) && (c < 'a' || c > 'f')) return false;
    }
    return true;
}

std::string_view type_name(const json::Value& value) noexcept {
    switch (value.type()) {
        case json::Type::null:
            return "null";
        case json::Type::boolean:
            return "a boolean";
        case json::Type::integer:
            return "an integer";
        case json::Type::string:
            return "a string";
        case json::Type::array:
            return "an array";
        case json::Type::object:
            return "an object";
    }
    return "a value";
}

}  // namespace svidok::forms::detail
