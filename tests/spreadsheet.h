// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Opening a CSV file the way a lawyer's spreadsheet does: Debian's Gnumeric (`ssconvert`)
// imports it with its ordinary CSV importer, which evaluates formulas as Excel and LibreOffice
// do, and saves its workbook as Gnumeric XML; this reads the cells back from that XML with
// their value types, so a test sees which cells became formulas, numbers or text.

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "process.h"

namespace svidok::test {

inline constexpr const char* kSsconvert = "/usr/bin/ssconvert";

/// One cell of the imported sheet: its text in the workbook (the value, or for a formula the
/// expression), and whether Gnumeric stored it as a formula, a number or a string.
struct SheetCell {
    enum class Kind { formula, number, string, other } kind = Kind::other;
    std::string text;
};

/// (row, column) from 0 -> cell, for every non-empty cell of the first sheet.
using Sheet = std::map<std::pair<int, int>, SheetCell>;

namespace detail {

inline std::string xml_unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        const auto semi = s.find(';', i);
        REQUIRE(semi != std::string_view::npos);
        const std::string_view name = s.substr(i + 1, semi - i - 1);
        if (name == "amp")
            out += '&';
        else if (name == "lt")
            out += '<';
        else if (name == "gt")
            out += '>';
        else if (name == "quot")
            out += '"';
        else if (name == "apos")
            out += '\'';
        else {
            REQUIRE_MESSAGE(name.starts_with('#'), "unknown XML entity " << name);
            const bool hex = name.size() > 1 && name[1] == 'x';
            std::uint32_t cp = static_cast<std::uint32_t>(
                std::stoul(std::string(name.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10));
            REQUIRE(cp < 0x80);  // Gnumeric writes other characters as UTF-8
            out += static_cast<char>(cp);
        }
        i = semi;
    }
    return out;
}

inline std::string attribute(std::string_view tag, std::string_view name) {
    const std::string key = " " + std::string(name) + "=\"";
    const auto at = tag.find(key);
    if (at == std::string_view::npos) return {};
    const auto start = at + key.size();
    return std::string(tag.substr(start, tag.find('"', start) - start));
}

}  // namespace detail

/// Imports `csv` with Gnumeric and returns its cells; fails the test if ssconvert fails.
inline Sheet open_in_spreadsheet(const fs::path& csv, const fs::path& scratch) {
    const fs::path book = scratch / "sheet.gnumeric";
    auto conv = run_process({kSsconvert, "--import-type=Gnumeric_stf:stf_csvtab",
                             "--export-type=Gnumeric_XmlIO:sax", csv.string(), book.string()},
                            {"HOME=" + scratch.string()}, scratch);
    REQUIRE_MESSAGE(conv.exit_code == 0, "ssconvert failed: " << conv.err);
    auto xml = run_process({"/usr/bin/gzip", "-dc", book.string()}, {}, scratch);
    REQUIRE_MESSAGE(xml.exit_code == 0, "not a gzip workbook: " << xml.err);
    Sheet sheet;
    const std::string_view text = xml.out;
    const std::string_view open = "<gnm:Cell ", close = "</gnm:Cell>";
    for (auto at = text.find(open); at != std::string_view::npos; at = text.find(open, at + 1)) {
        const auto tag_end = text.find('>', at);
        REQUIRE(tag_end != std::string_view::npos);
        const std::string_view tag = text.substr(at, tag_end - at);
        SheetCell cell;
        if (!tag.ends_with('/')) {
            const auto end = text.find(close, tag_end);
            REQUIRE(end != std::string_view::npos);
            cell.text = detail::xml_unescape(text.substr(tag_end + 1, end - tag_end - 1));
        }
        // Gnumeric's value types: 40 float, 60 string; a formula has an expression and no
        // ValueType (or an ExprID when it shares one).
        const std::string type = detail::attribute(tag, "ValueType");
        if (type.empty() || !detail::attribute(tag, "ExprID").empty()) {
            cell.kind = SheetCell::Kind::formula;
        } else if (type == "40" || type == "30") {
            cell.kind = SheetCell::Kind::number;
        } else if (type == "60") {
            cell.kind = SheetCell::Kind::string;
        }
        sheet[{std::stoi(detail::attribute(tag, "Row")),
               std::stoi(detail::attribute(tag, "Col"))}] = std::move(cell);
    }
    return sheet;
}

}  // namespace svidok::test
