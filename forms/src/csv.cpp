// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/csv.h"

#include <algorithm>

namespace svidok::forms::csv {

namespace {

// The formula leads of docs/FORMAT.md 18.3 as UTF-8. Excel, LibreOffice and Google Sheets
// start a formula at `=`, `+`, `-` and `@` (Lotus style); some fold the compatibility forms
// (full-width input from an East Asian keyboard, small and super/subscript forms) to them, and
// Gnumeric reads `＋1` and `−5` as numbers, so those are leads too. Tab, CR and LF are OWASP's
// whitespace leads; the apostrophe is a lead so that removing one guard is always exact.
constexpr std::string_view kLeads[]{
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "'",
    "\xEF\xBC\x9D" /* U+FF1D ＝ */,
    "\xEF\xB9\xA6" /* U+FE66 ﹦ */,
    "\xE2\x81\xBC" /* U+207C ⁼ */,
    "\xE2\x82\x8C" /* U+208C ₌ */,
    "\xEF\xBC\x8B" /* U+FF0B ＋ */,
    "\xEF\xB9\xA2" /* U+FE62 ﹢ */,
    "\xEF\xAC\xA9" /* U+FB29 ﬩ */,
    "\xE2\x81\xBA" /* U+207A ⁺ */,
    "\xE2\x82\x8A" /* U+208A ₊ */,
    "\xEF\xBC\x8D" /* U+FF0D － */,
    "\xEF\xB9\xA3" /* U+FE63 ﹣ */,
    "\xE2\x88\x92" /* U+2212 − */,
    "\xE2\x81\xBB" /* U+207B ⁻ */,
    "\xE2\x82\x8B" /* U+208B ₋ */,
    "\xEF\xBC\xA0" /* U+FF20 ＠ */,
    "\xEF\xB9\xAB" /* U+FE6B ﹫ */,
};

bool is_digits(std::string_view s) noexcept {
    return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

// `-` digits [`.` digits]: what a spreadsheet reads as a negative number and never as a formula.
bool is_plain_negative_number(std::string_view field) noexcept {
    if (!field.starts_with('-')) return false;
    const std::string_view rest = field.substr(1);
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos) return is_digits(rest);
    return is_digits(rest.substr(0, dot)) && is_digits(rest.substr(dot + 1));
}

}  // namespace

bool needs_formula_guard(std::string_view field) noexcept {
    if (is_plain_negative_number(field)) return false;
    const std::string_view lead =
        field.substr(std::min(field.find_first_not_of(' '), field.size()));
    return std::ranges::any_of(kLeads, [&](std::string_view l) { return lead.starts_with(l); });
}

std::string cell_text(std::string_view field) {
    std::string cell;
    if (needs_formula_guard(field)) cell += kFormulaGuard;
    cell += field;
    return cell;
}

bool needs_quotes(std::string_view field) noexcept {
    return field.find_first_of("\",\r\n") != std::string_view::npos || needs_formula_guard(field);
}

void append_field(std::string& out, std::string_view field) {
    if (!needs_quotes(field)) {
        out += field;
        return;
    }
    out += '"';
    for (char c : cell_text(field)) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void append_record(std::string& out, std::span<const std::string> fields) {
    if (fields.size() == 1 && fields.front().empty()) {
        out += "\"\"";  // a lone empty field would be an empty line
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        append_field(out, fields[i]);
    }
    out += "\r\n";
}

}  // namespace svidok::forms::csv
