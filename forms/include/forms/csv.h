// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RFC 4180 CSV output for the case export (docs/FORMAT.md 18): fields containing a quote, a
// comma, CR or LF are quoted with inner quotes doubled; every record ends in CRLF; UTF-8 with
// an optional byte-order mark for spreadsheet programs. No I/O.

#include <span>
#include <string>
#include <string_view>

namespace svidok::forms::csv {

/// The UTF-8 byte-order mark some spreadsheet programs need to read UTF-8.
inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

/// Whether `field` must be quoted: it holds `"`, `,`, CR or LF.
[[nodiscard]] bool needs_quotes(std::string_view field) noexcept;

/// Appends one field, quoted when needs_quotes() says so (bytes otherwise unchanged).
void append_field(std::string& out, std::string_view field);

/// Appends one record: its fields separated by commas, then CRLF. An empty record is written
/// as `""` so that it is not read as no field at all.
void append_record(std::string& out, std::span<const std::string> fields);

}  // namespace svidok::forms::csv
