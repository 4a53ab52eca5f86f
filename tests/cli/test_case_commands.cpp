// SPDX-License-Identifier: GPL-3.0-or-later
// `export-case` and `record print` (docs/FORMAT.md 18): the plaintext warning and refusal
// without --i-understand-plaintext (also through the real binary), the export of a device's
// own sealed records with their sealed answers marked, and a printout that never overwrites.

#include <algorithm>

#include "cli_fixture.h"
#include "csv_strict.h"
#include "process.h"

using namespace svidok;
using namespace svidok::test;

TEST_CASE("export-case says the output is plaintext and writes nothing without confirmation") {
    CliVault v;
    const std::string id = v.sealed();
    const fs::path out = v.tmp / "case";
    auto refused = v.run({"export-case", "--out", out.string()});
    CHECK(refused.code == 2);
    CHECK(refused.err.find("NOT encrypted") != std::string::npos);
    CHECK(refused.err.find("--i-understand-plaintext") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    for (const auto& e : fs::directory_iterator(v.tmp.path())) {
        CHECK_FALSE(e.path().filename().string().starts_with(".case"));
    }
    CHECK(
        v.run({"export-case", "--out", out.string(), "--format", "xml", "--i-understand-plaintext"})
            .code == 2);
    CHECK(v.run({"export-case", "--out", out.string(), "--lang", "de", "--i-understand-plaintext"})
              .code == 2);

    auto done = v.run({"export-case", "--out", out.string(), "--i-understand-plaintext", "--bom",
                       "--lang", "en"});
    REQUIRE_MESSAGE(done.code == 0, done.err);
    CHECK(done.out.find("PLAINTEXT") != std::string::npos);
    fs::path table;
    for (const auto& e : fs::directory_iterator(out)) {
        const auto name = e.path().filename().string();
        if (name.starts_with("forced-mobilization-v") && name.ends_with(".csv") &&
            name.find(".victims.") == std::string::npos) {
            table = e.path();
        }
    }
    REQUIRE_FALSE(table.empty());
    const std::string text = read_file(table);
    REQUIRE(text.starts_with("\xEF\xBB\xBF"));
    auto csv = parse_csv_strict(std::string_view(text).substr(3));
    REQUIRE_MESSAGE(csv.error.empty(), csv.error);
    REQUIRE(csv.records.size() == 2);
    CHECK(csv.records[1][0] == id);
    // The device cannot read its sealed answers: they say so, they are not empty.
    CHECK(std::ranges::count(csv.records[1], std::string("[sealed for the legal team]")) >= 3);
    // A second run into the same, now full, folder is refused.
    CHECK(v.run({"export-case", "--out", out.string(), "--i-understand-plaintext"}).code == 2);
}

TEST_CASE("record print writes one page and never overwrites") {
    CliVault v;
    const std::string id = v.sealed();
    const fs::path page = v.tmp / "print.html";
    auto r = v.run({"record", "print", id.substr(0, 8), "--out", page.string(), "--lang", "ru"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const std::string html = read_file(page);
    CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"ru\">"));
    CHECK(html.find("minisign -QHVm") != std::string::npos);
    CHECK(html.find("svidok-cli record export " + id) != std::string::npos);
    auto again = v.run({"record", "print", id, "--out", page.string()});
    CHECK(again.code == 2);
    CHECK(read_file(page) == html);
}

TEST_CASE("the real binary refuses a plaintext export without confirmation") {
    TempDir tmp;
    const fs::path out = tmp / "case";
    auto r = run_process(
        {SVIDOK_CLI_PATH, "--vault", (tmp / "none").string(), "export-case", "--out", out.string()},
        {}, tmp.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("NOT encrypted") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
}
