// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A strict RFC 4180 reader for the tests of the case export: it accepts exactly the grammar
// (fields separated by commas, every record ending in CRLF, quotes only around a whole field
// and doubled inside it, every record with the same number of fields) and rejects anything
// else with the offset of the first fault, so a writer that is merely "usually readable"
// fails.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace svidok::test {

struct StrictCsv {
    std::vector<std::vector<std::string>> records;
    std::string error;  // empty when the text is valid
};

inline StrictCsv parse_csv_strict(std::string_view text) {
    StrictCsv out;
    auto bad = [&](std::size_t at, std::string_view why) {
        out.records.clear();
        out.error = std::string(why) + " at byte " + std::to_string(at);
        return out;
    };
    std::size_t i = 0;
    std::vector<std::string> record;
    while (i < text.size()) {
        std::string field;
        if (text[i] == '"') {
            ++i;
            for (;;) {
                if (i >= text.size()) return bad(i, "unterminated quoted field");
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text[i++];
            }
        } else {
            while (i < text.size() && text[i] != ',' && text[i] != '\r') {
                if (text[i] == '"') return bad(i, "quote inside an unquoted field");
                if (text[i] == '\n') return bad(i, "bare LF");
                field += text[i++];
            }
        }
        record.push_back(std::move(field));
        if (i >= text.size()) return bad(i, "the last record does not end in CRLF");
        if (text[i] == ',') {
            ++i;
            continue;
        }
        if (text[i] != '\r' || i + 1 >= text.size() || text[i + 1] != '\n') {
            return bad(i, "a field is followed by something other than a comma or CRLF");
        }
        i += 2;
        if (!out.records.empty() && record.size() != out.records.front().size()) {
            return bad(i, "a record has a different number of fields");
        }
        out.records.push_back(std::move(record));
        record.clear();
    }
    return out;
}

}  // namespace svidok::test
