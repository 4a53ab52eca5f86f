// SPDX-License-Identifier: GPL-3.0-or-later
// The case export and the court printout (docs/FORMAT.md 18) on a legal team's vault that
// received a real bundle: CSV read back with a strict RFC 4180 parser, repeats in linked
// files, files decrypted and named by hash, withdrawn records left out, a damaged file named
// in its record's verification cell, JSON, the byte-order mark, the verifier seam; the
// printout rendered by Chromium and its stock-tool commands run for real; the CSV opened in
// Gnumeric, where no answer became a formula.

#include <algorithm>

#include "bundle_fixture.h"
#include "csv_strict.h"
#include "forms/case_table.h"
#include "forms/csv.h"
#include "forms/html.h"
#include "forms/json.h"
#include "forms/record_print.h"
#include "html_render.h"
#include "process.h"
#include "spreadsheet.h"
#include "store/case_export.h"

using namespace svidok;
using namespace svidok::test;

namespace {

const std::string kHostile = "Він сказав: \"Іди\", потім\nпішов;\t|x| <script>alert(1)</script>";

/// A field vault with three sealed records (one with a file, one amended with hostile text,
/// one withdrawn) delivered in one bundle to a legal vault.
struct Exchange {
    TempDir tmp;
    Party field{tmp / "field"};
    Party legal{tmp / "legal"};
    crypto::Sha256Digest file_sha{};
    store::RecordId with_file{}, amended{}, withdrawn{};
    store::Bundles::ExportResult bundle;

    Exchange() {
        field.add_recipient("legal", legal);
        with_file = field.sealed_with_file(tmp.path(), 70000, 3, &file_sha);
        amended = field.sealed();
        field.amend(amended, kHostile);
        withdrawn = field.sealed();
        field.withdraw(withdrawn);
        bundle = field.export_to({"legal"}, tmp / "out");
        legal.import_ok(bundle.file, field, tmp / "receipts");
    }
    Result<store::CaseExportResult> run(store::CaseExportOptions o) {
        store::CaseExport ce(legal.records);
        return ce.write(o);
    }
};

std::size_t col(const std::vector<std::string>& headers, std::string_view header) {
    auto it = std::ranges::find(headers, header);
    REQUIRE_MESSAGE(it != headers.end(), "no column " << header);
    return static_cast<std::size_t>(it - headers.begin());
}

const std::vector<std::string>& row_of(const StrictCsv& csv, const store::RecordId& id) {
    const std::string hex = forms::format_record_id(id);
    for (const auto& r : csv.records) {
        if (r.front() == hex) return r;
    }
    FAIL("no row for " << hex);
    return csv.records.front();
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::ranges::sort(out);
    return out;
}

std::string form_base(Party& p) {
    return "forced-mobilization-v" + std::to_string(p.form().version());
}

}  // namespace

TEST_CASE("a legal vault exports what it received: strict CSV, linked repeats, files by hash") {
    Exchange x;
    store::CaseExportOptions o;
    o.out = x.tmp / "case";
    auto r = x.run(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    CHECK(r->records == 2);
    CHECK(r->withdrawn_left_out == 1);
    CHECK(r->attachments == 1);
    CHECK(r->failed_verification == 0);
    CHECK(r->sealed_cells == 0);  // the legal team opens every sealed answer
    const std::string base = form_base(x.field);
    const std::string hex = crypto::to_hex(x.file_sha);
    CHECK(names_in(o.out) ==
          std::vector<std::string>{"attachments", base + ".csv", base + ".victims.csv"});
    // Nothing else was left beside it.
    for (const auto& name : names_in(x.tmp.path())) CHECK_FALSE(name.starts_with(".case"));
    // The file, decrypted and named by its hash.
    CHECK(names_in(o.out / "attachments") == std::vector<std::string>{hex});
    CHECK(read_file(o.out / "attachments" / hex) == random_bytes(70000, 3));
    CHECK((fs::status(o.out / (base + ".csv")).permissions() & fs::perms::group_all) ==
          fs::perms::none);

    const std::string text = read_file(o.out / (base + ".csv"));
    CHECK_FALSE(text.starts_with(forms::csv::kBom));
    auto csv = parse_csv_strict(text);
    REQUIRE_MESSAGE(csv.error.empty(), csv.error);
    REQUIRE(csv.records.size() == 3);
    const auto& headers = csv.records[0];
    using forms::Language;
    namespace ct = forms::case_table;
    CHECK(headers[0] == ct::word("record_id", Language::uk));
    const auto& f = x.field.form();
    auto header = [&](std::string_view group, std::string_view field) {
        return f.find_field(group)->label.in(Language::uk) + " / " +
               f.find_field(field)->label.in(Language::uk);
    };
    const auto& amended = row_of(csv, x.amended);
    CHECK(amended[col(headers, header("reliability", "credibility_notes"))] == kHostile);
    CHECK(amended[col(headers, header("witness", "real_name"))] == "Ганна Приклад");
    CHECK(amended[col(headers, ct::word("version", Language::uk))] == "2");
    auto docs = x.legal.bundles.received_documents(x.field.id.log_origin(), x.amended);
    REQUIRE(docs.has_value());
    CHECK(amended[col(headers, ct::word("sha256", Language::uk))] ==
          crypto::to_hex(docs->at(1).sha256));
    CHECK(amended[col(headers, ct::word("verification", Language::uk))].starts_with(
        "verified at import"));
    const auto& with_file = row_of(csv, x.with_file);
    const std::string files_header = header("evidence", "attachments") + " (" +
                                     std::string(ct::word("files", Language::uk)) + ")";
    CHECK(with_file[col(headers, files_header)] == "attachments/" + hex);
    CHECK(amended[col(headers, files_header)].empty());

    auto victims = parse_csv_strict(read_file(o.out / (base + ".victims.csv")));
    REQUIRE_MESSAGE(victims.error.empty(), victims.error);
    REQUIRE(victims.records.size() == 3);
    CHECK(victims.records[0][1] == ct::word("row", Language::uk));
    std::vector<std::string> ids{victims.records[1][0], victims.records[2][0]};
    std::ranges::sort(ids);
    std::vector<std::string> want{forms::format_record_id(x.with_file),
                                  forms::format_record_id(x.amended)};
    std::ranges::sort(want);
    CHECK(ids == want);
    CHECK(victims.records[1][1] == "1");
}

TEST_CASE("JSON, the byte-order mark, English headers, the verifier seam, a refused folder") {
    Exchange x;
    const std::string base = form_base(x.field);
    {
        store::CaseExportOptions o;
        o.out = x.tmp / "json";
        o.format = store::CaseFormat::json;
        auto r = x.run(o);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        auto doc = forms::json::parse(read_file(o.out / (base + ".json")));
        REQUIRE(doc.has_value());
        const auto& recs = doc->find("records")->as_array();
        REQUIRE(recs.size() == 2);
        bool found = false;
        for (const auto& rec : recs) {
            if (rec.find("record_id")->as_string() != forms::format_record_id(x.amended)) continue;
            found = true;
            CHECK(rec.find("reliability.credibility_notes")->as_string() == kHostile);
            CHECK(rec.find("victims")->as_array().size() == 1);
        }
        CHECK(found);
    }
    {
        store::CaseExportOptions o;
        o.out = x.tmp / "bom";
        o.bom = true;
        o.lang = forms::Language::en;
        int calls = 0;
        o.verify = [&](const store::CaseRecord& rec) {
            ++calls;
            CHECK(rec.received);
            return store::CaseVerdict{false, "report: FAILED"};
        };
        fs::create_directories(o.out);  // an empty folder is accepted
        auto r = x.run(o);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        CHECK(calls == 2);
        CHECK(r->failed_verification == 2);
        const std::string text = read_file(o.out / (base + ".csv"));
        REQUIRE(text.starts_with(forms::csv::kBom));
        auto csv = parse_csv_strict(std::string_view(text).substr(forms::csv::kBom.size()));
        REQUIRE_MESSAGE(csv.error.empty(), csv.error);
        CHECK(csv.records[0][0] == "Record id");
        CHECK(csv.records[1][col(csv.records[0], "Verification")] == "report: FAILED");
    }
    {
        // A folder that is not empty is refused and left as it was; nothing beside it.
        store::CaseExportOptions o;
        o.out = x.tmp / "busy";
        fs::create_directories(o.out);
        write_file(o.out / "keep.txt", "mine");
        auto r = x.run(o);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::exists);
        CHECK(names_in(o.out) == std::vector<std::string>{"keep.txt"});
        for (const auto& name : names_in(x.tmp.path())) CHECK_FALSE(name.starts_with(".busy"));
        // Only this form: another id exports nothing.
        o.out = x.tmp / "none";
        o.form = "child-recruitment";
        auto none = x.run(o);
        REQUIRE_FALSE(none.has_value());
        CHECK(none.error().code == Errc::not_found);
        CHECK_FALSE(fs::exists(o.out));
    }
}

TEST_CASE("a received file that no longer matches its hash is named in its record's cell") {
    Exchange x;
    // The legal vault holds one blob file: the received attachment. Flip a byte of it.
    std::vector<fs::path> blobs;
    for (const auto& e : fs::directory_iterator(x.legal.dir / "attachments"))
        blobs.push_back(e.path());
    REQUIRE(blobs.size() == 1);
    std::string bytes = read_file(blobs[0]);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
    write_file(blobs[0], bytes);
    store::CaseExportOptions o;
    o.out = x.tmp / "case";
    auto r = x.run(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    CHECK(r->attachments == 0);
    CHECK(r->failed_verification == 1);
    CHECK_FALSE(fs::exists(o.out / "attachments" / crypto::to_hex(x.file_sha)));
    auto csv = parse_csv_strict(read_file(o.out / (form_base(x.field) + ".csv")));
    REQUIRE_MESSAGE(csv.error.empty(), csv.error);
    const auto& row = row_of(csv, x.with_file);
    const std::string cell =
        row[col(csv.records[0], forms::case_table::word("verification", forms::Language::uk))];
    CHECK(cell.find("FAILED file ") != std::string::npos);
}

TEST_CASE("answers that look like formulas stay text when a spreadsheet opens the CSV") {
    // The finding of issue 19: `=HYPERLINK(...)` in an answer was a live formula in Excel,
    // LibreOffice and Google Sheets. Gnumeric imports the export as they do.
    if (!tool_available(kSsconvert)) return;
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    const std::vector<std::string> hostile{
        "=1+1",
        "=HYPERLINK(\"https://example.org/?\"&H2&I2,\"open\")",
        "@SUM(1)",
        "+1",
        "-1+2",
        "\xEF\xBC\x9D"
        "1+1",  // full-width =
        "\xEF\xBC\x8B"
        "1",  // full-width +, a number in Gnumeric
        "\xE2\x88\x92"
        "5",  // the minus sign, a number in Gnumeric
        "  =1+1",
        "\t=1+1",
        "=cmd|' /C calc'!A0",
        "'=1+1",
        "+380 00 000 00 00",
    };
    const std::string negative = "-5";  // a plain negative number stays one
    for (const auto& notes : hostile) field.amend(field.sealed(), notes);
    field.amend(field.sealed(), negative);
    store::CaseExportOptions o;
    o.out = tmp / "case";
    store::CaseExport ce(field.records);
    auto r = ce.write(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    REQUIRE(r->records == hostile.size() + 1);
    const fs::path file = o.out / (form_base(field) + ".csv");
    auto csv = parse_csv_strict(read_file(file));
    REQUIRE_MESSAGE(csv.error.empty(), csv.error);

    const Sheet sheet = open_in_spreadsheet(file, tmp.path());
    const auto& f = field.form();
    const std::string notes_header =
        f.find_field("reliability")->label.in(forms::Language::uk) + " / " +
        f.find_field("credibility_notes")->label.in(forms::Language::uk);
    const int notes = static_cast<int>(col(csv.records[0], notes_header));
    // The sheet has the CSV's shape (the importer split the columns as the CSV says).
    REQUIRE(sheet.contains({0, static_cast<int>(csv.records[0].size()) - 1}));
    CHECK(sheet.at({0, notes}).text == notes_header);
    std::vector<std::string> texts, numbers;
    for (const auto& [at, cell] : sheet) {
        CAPTURE(at.first);
        CAPTURE(at.second);
        CHECK_MESSAGE(cell.kind != SheetCell::Kind::formula, "a formula: " << cell.text);
        CHECK(static_cast<std::size_t>(at.first) < csv.records.size());
        CHECK(static_cast<std::size_t>(at.second) < csv.records[0].size());
        if (at.first == 0 || at.second != notes) continue;
        (cell.kind == SheetCell::Kind::string ? texts : numbers).push_back(cell.text);
    }
    // Every answer is the exact text in its cell, with the apostrophe gone.
    std::vector<std::string> want = hostile;
    std::ranges::sort(want);
    std::ranges::sort(texts);
    CHECK(texts == want);
    CHECK(numbers == std::vector<std::string>{negative});

    // The JSON keeps the exact text, with no apostrophe.
    o.out = tmp / "json";
    o.format = store::CaseFormat::json;
    REQUIRE(ce.write(o).has_value());
    auto doc = forms::json::parse(read_file(o.out / (form_base(field) + ".json")));
    REQUIRE(doc.has_value());
    std::vector<std::string> in_json;
    for (const auto& rec : doc->find("records")->as_array()) {
        in_json.push_back(rec.find("reliability.credibility_notes")->as_string());
    }
    want.push_back(negative);
    std::ranges::sort(want);
    std::ranges::sort(in_json);
    CHECK(in_json == want);
}

TEST_CASE("the court printout renders, escapes, and its stock-tool commands verify") {
    Exchange x;
    store::CaseExport ce(x.legal.records);
    auto rec = ce.find(forms::format_record_id(x.amended).substr(0, 8));
    REQUIRE_MESSAGE(rec.has_value(), (rec ? "" : rec.error().message));
    CHECK(rec->received);
    auto html = ce.printout(*rec, forms::Language::uk);
    REQUIRE_MESSAGE(html.has_value(), (html ? "" : html.error().message));
    CHECK(html->find("<script>") == std::string::npos);
    CHECK(html->find("&lt;script&gt;alert(1)") != std::string::npos);
    CHECK(html->find("Ганна Приклад") != std::string::npos);  // opened sealed answer
    CHECK(html->find(x.field.minisign_key()) != std::string::npos);
    for (const auto& d : rec->documents) {
        CHECK(html->find(crypto::to_hex(d.sha256)) != std::string::npos);
    }

    // Rendered by Chromium: a real page, not blank.
    if (tool_available(kChromium)) {
        const fs::path page = x.tmp / "print.html";
        write_file(page, *html);
        fs::create_directories("screenshots");
        const fs::path png = fs::absolute("screenshots/record-print.png");
        const int colours = render_html(page, png, x.tmp / "chromium");
        CHECK(colours > 8);
    }

    // The commands, run as printed in the folder the stock age and tar unpack the bundle into.
    if (!tool_available("/usr/bin/age") || !tool_available("/usr/bin/minisign")) return;
    const fs::path key = x.legal.write_age_identity(x.tmp / "key.txt");
    const fs::path unpacked = x.tmp / "unpacked";
    fs::create_directories(unpacked);
    auto un =
        run_process({"/bin/sh", "-c",
                     "set -e; age -d -i \"$1\" -o \"$3.tar\" \"$2\"; tar -xf \"$3.tar\" -C \"$3\"",
                     "sh", key.string(), x.bundle.file.string(), unpacked.string()},
                    {}, x.tmp.path());
    REQUIRE_MESSAGE(un.exit_code == 0, un.err);
    auto p = ce.printed(*rec, forms::Language::uk);
    REQUIRE(p.has_value());
    const auto steps = forms::verification_steps(*p);
    std::size_t printed = 0;
    for (const auto& s : steps) {
        CAPTURE(s.command);
        // Every command is on the page as written (escaped).
        if (html->find(forms::html::escaped(s.command)) != std::string::npos) ++printed;
        auto run =
            run_process({"/bin/sh", "-c", "cd \"$1\" && " + s.command, "sh", unpacked.string()}, {},
                        x.tmp.path());
        CHECK_MESSAGE(run.exit_code == 0, run.err);
        CHECK(run.out == s.expect + "\n");
    }
    CHECK(steps.size() == 5);  // two versions: signature and hash each, and the link
    CHECK(printed == steps.size());
    CHECK(html->find("[\"previous\"]") == std::string::npos);  // quotes are escaped on the page
    CHECK(html->find("[&quot;previous&quot;]") != std::string::npos);
}
