// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/csv.h"

namespace svidok::forms::csv {

bool needs_quotes(std::string_view field) noexcept {
    return field.find_first_of("\",\r\n") != std::string_view::npos;
}

void append_field(std::string& out, std::string_view field) {
    if (!needs_quotes(field)) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
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
