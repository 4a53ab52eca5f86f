// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A form's records as tables, for the case export and the court printout (docs/FORMAT.md 18):
// one main table with a row per record and a child table per repeating group with a row per
// item, keyed by record id and row number. Every cell is text in the chosen language: choice
// answers as their labels (with a second column of the machine values), multi-valued answers
// joined by a separator, sealed answers this vault could not open as an explicit text, never
// an empty cell. No I/O.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "forms/form.h"
#include "forms/json.h"
#include "forms/language.h"

namespace svidok::forms::case_table {

/// What replaces a "|" inside one value of a "|"-joined cell (U+FF5C FULLWIDTH VERTICAL LINE),
/// so that splitting the cell on "|" gives back every value.
inline constexpr std::string_view kPipeReplacement = "\xEF\xBD\x9C";

struct Column {
    std::string key;     // machine name: "witness.pseudonym", "witness.age_band#code"
    std::string header;  // in the chosen language: "Свідок / Вікова група (код)"
};

struct Table {
    std::size_t repeat = kNoField;  // the repeat field, or kNoField for the main table
    std::string key;                // "" for the main table, else the repeat's field key
    std::string title;              // the repeat's labels in the chosen language
    std::vector<Column> columns;
    std::vector<std::vector<std::string>> rows;  // each as long as `columns`
};

struct CellOptions {
    Language lang = Language::uk;
    /// Joins multi-valued answers. When it is "|", a "|" inside a value becomes
    /// kPipeReplacement.
    std::string separator = "|";
    /// The file name an attached file is exported under, from its SHA-256 hex; unset: the hex.
    std::function<std::string(std::string_view sha256_hex)> attachment_file;
    /// The cell of a sealed answer left unopened at `path` ("victims[0].victim_name"); unset:
    /// kSealedPlaceholder.
    std::function<std::string(std::string_view path)> sealed_cell;
};

/// Empty tables for `form`: [0] the main table, whose columns are `leading` then the form's
/// fields; then one per repeat in document order, whose columns are the record id, the row
/// ("1", or "2.1" for the first item of a repeat inside the second item of another) and the
/// repeat's fields.
[[nodiscard]] std::vector<Table> make_tables(const FormDefinition& form,
                                             std::span<const Column> leading,
                                             const CellOptions& options);

/// Adds one record's row to the main table (`leading` cells first, as many as the leading
/// columns) and its repeat items to the child tables. `answers` are a record's answers (an
/// object; markers not opened stay markers).
void add_record(std::vector<Table>& tables, const FormDefinition& form, const json::Value& answers,
                std::span<const std::string> leading, std::string_view record_id,
                const CellOptions& options);

/// The words of fixed headers, in `lang` ("record id", "row", ...). `what` is one of:
/// record_id, row, version, origin, sealed_at, sha256, verification, code, rows.
[[nodiscard]] std::string_view word(std::string_view what, Language lang);

}  // namespace svidok::forms::case_table
