// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RFC 4180 CSV output for the case export (docs/FORMAT.md 18.3): fields containing a quote, a
// comma, CR or LF are quoted with inner quotes doubled; every record ends in CRLF; UTF-8 with
// an optional byte-order mark for spreadsheet programs. A cell a spreadsheet would read as a
// formula is written with a leading apostrophe, always quoted (OWASP's CSV injection
// guidance). No I/O.

#include <span>
#include <string>
#include <string_view>

namespace svidok::forms::csv {

/// The UTF-8 byte-order mark some spreadsheet programs need to read UTF-8.
inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// What a cell that could be read as a formula is prefixed with.
inline constexpr char kFormulaGuard = '\'';

/// Whether `field` gets kFormulaGuard before it: its first character after leading spaces is a
/// formula lead of docs/FORMAT.md 18.3 (`=`, `+`, `-`, `@`, their full-width and other
/// compatibility forms, the minus sign, tab, CR, LF, or the apostrophe itself), unless the
/// whole field is a plain negative decimal number (`-5`, `-0.25`).
[[nodiscard]] bool needs_formula_guard(std::string_view field) noexcept;

/// The cell text a reader of the CSV gets back after unquoting: `field` itself, or
/// kFormulaGuard followed by `field` when needs_formula_guard() says so. Removing one leading
/// apostrophe from a cell that starts with one gives `field` back exactly.
[[nodiscard]] std::string cell_text(std::string_view field);

/// Whether the cell of `field` must be quoted: it holds `"`, `,`, CR or LF, or is guarded.
[[nodiscard]] bool needs_quotes(std::string_view field) noexcept;

/// Appends one field: cell_text(field), quoted when needs_quotes() says so.
void append_field(std::string& out, std::string_view field);

/// Appends one record: its fields separated by commas, then CRLF. An empty record is written
/// as `""` so that it is not read as no field at all.
void append_record(std::string& out, std::span<const std::string> fields);

}  // namespace svidok::forms::csv
