// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Self-contained HTML documents for the legal outputs (verification report, court printout):
// escaping, and one page skeleton with an inline stylesheet that prints on A4. No external
// resources, no scripts: a report opened years later on an offline machine shows the same.

#include <string>
#include <string_view>

namespace svidok::forms::html {

/// Appends `text` with & < > " ' escaped, safe in element content and quoted attributes.
/// Invalid UTF-8 is passed through byte for byte (the caller checked its text already).
void append_escaped(std::string& out, std::string_view text);
[[nodiscard]] std::string escaped(std::string_view text);

/// Opens a document: <!DOCTYPE html>, <html lang=...>, charset, the title (escaped) and the
/// shared stylesheet (A4 page, readable type, tables that break between rows, .ok/.fail/.warn
/// status colours, .mono for hashes and keys, .meaning for what a finding means).
void begin_document(std::string& out, std::string_view title, std::string_view lang);
/// Closes what begin_document opened.
void end_document(std::string& out);

}  // namespace svidok::forms::html
