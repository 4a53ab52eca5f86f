// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile inputs through the library's front doors (issue 9): oversized values, deep nesting,
// huge signatures and notes, vault.keys of wrong sizes. Each case runs in a forked child
// (tests/bounded.h) and must be refused with its Errc and a message naming the limit, adding
// less than 256 MiB to the resident set and taking less than 5 s; the vault stays unchanged.

#include <fcntl.h>

#include "bounded.h"
#include "crypto/checkpoint.h"
#include "crypto/minisign.h"
#include "crypto/signed_note.h"
#include "forms/bundle_documents.h"
#include "forms/form.h"
#include "forms/json.h"
#include "records_fixture.h"
#include "store/bundles.h"

using namespace svidok;
using namespace svidok::test;
namespace json = forms::json;

namespace {

std::string nested_arrays(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}
std::string nested_objects(std::size_t depth) {
    std::string s;
    s.reserve(depth * 7);
    for (std::size_t i = 0; i < depth; ++i) s += "{\"a\":";
    s += "1";
    s.append(depth, '}');
    return s;
}

}  // namespace

TEST_CASE("deeply nested JSON is refused at depth 64, whatever the depth") {
    for (const std::size_t depth : {65u, 100'000u, 1'000'000u}) {
        CAPTURE(depth);
        const std::string arrays = nested_arrays(depth);
        check_refused(run_bounded([&] { return json::parse(arrays); }), Errc::invalid,
                      "nesting deeper than 64 levels");
        const std::string objects = nested_objects(depth);
        check_refused(run_bounded([&] { return json::parse(objects); }), Errc::invalid,
                      "nesting deeper than 64 levels");
        // The same through the readers built on the parser: a manifest, a receipt, a form.
        check_refused(run_bounded([&] { return forms::Manifest::parse(objects); }), Errc::invalid,
                      "nesting deeper than 64 levels");
        check_refused(run_bounded([&] { return forms::Receipt::parse(arrays); }), Errc::invalid,
                      "nesting deeper than 64 levels");
        if (objects.size() <= forms::kMaxDefinitionBytes) {
            check_refused(
                run_bounded([&] { return forms::parse_definition("deep.json", objects); }),
                Errc::invalid, "nesting deeper than 64 levels");
        }
    }
}

TEST_CASE("oversized JSON documents, strings, numbers and value counts are refused") {
    SUBCASE("a 100 MB document") {
        std::string text = "{\"narrative\":\"";
        text.append(100u << 20, 'x');
        text += "\"}";
        check_refused(run_bounded([&] { return json::parse(text); }), Errc::invalid,
                      "over the limit of 67108864");
    }
    SUBCASE("a 17 MiB string") {
        std::string text = "[\"";
        text.append(17u << 20, 'x');
        text += "\"]";
        check_refused(run_bounded([&] { return json::parse(text); }), Errc::invalid,
                      "string longer than 16777216 bytes");
    }
    SUBCASE("a 100 000-digit integer and an exponent") {
        const std::string digits = "[" + std::string(100'000, '9') + "]";
        check_refused(run_bounded([&] { return json::parse(digits); }), Errc::invalid,
                      "integer out of range");
        check_refused(run_bounded([] { return json::parse("[1e999999999]"); }), Errc::invalid,
                      "fraction or exponent");
    }
    SUBCASE("more than 2^20 values") {
        std::string text = "[";
        for (std::size_t i = 0; i <= (1u << 20); ++i) text += i == 0 ? "0" : ",0";
        text += "]";
        check_refused(run_bounded([&] { return json::parse(text); }), Errc::invalid,
                      "more than 1048576 values");
    }
}

TEST_CASE("a 100 MB narrative is refused by validation and the vault does not change") {
    RecordsFixture f;
    json::Value answers = f.example();
    json::Value incident = *answers.find("incident");
    incident.set("narrative", std::string(100u << 20, 'x'));
    answers.set("incident", std::move(incident));
    const auto before = snapshot(f.vault.dir());
    const auto b = run_bounded([&] { return f.records.create_draft(f.form(), answers); });
    check_refused(b, Errc::invalid, "larger than the 16777216 bytes allowed");
    CHECK(snapshot(f.vault.dir()) == before);
    // The same for a draft's update, and a narrative just over the field's limit is an issue
    // that stops sealing, not a refusal.
    json::Value small = f.example();
    auto id = f.records.create_draft(f.form(), small);
    REQUIRE(id);
    const auto before_update = snapshot(f.vault.dir());
    check_refused(run_bounded([&] { return f.records.update_draft(*id, answers); }), Errc::invalid,
                  "larger than the 16777216 bytes allowed");
    CHECK(snapshot(f.vault.dir()) == before_update);
    json::Value over = *small.find("incident");
    over.set("narrative", std::string(forms::kMaxLongTextLength + 1, 'x'));
    small.set("incident", std::move(over));
    auto issues = f.records.update_draft(*id, small);
    REQUIRE(issues);
    CHECK_FALSE(issues->empty());
    CHECK_FALSE(f.records.seal(*id).has_value());
}

TEST_CASE("oversized form definitions are refused, naming the limit") {
    std::string big = "{\"schema\":\"svidok-form/1\",\"title\":\"";
    big.append(forms::kMaxDefinitionBytes, 'x');
    big += "\"}";
    check_refused(run_bounded([&] { return forms::parse_definition("big.json", big); }),
                  Errc::invalid, "definition is larger than 1048576 bytes");
    // Within the size limit: a label of 900 000 characters.
    const forms::FormRegistry registry = *forms::load_builtin();
    auto def = json::parse(registry.find("forced-mobilization")->bytes());
    REQUIRE(def);
    def->set("title", json::Object{{"en", std::string(900'000, 'x')}});
    auto text = json::canonicalize(*def);
    REQUIRE(text);
    check_refused(run_bounded([&] { return forms::parse_definition("long.json", *text); }),
                  Errc::invalid, std::to_string(forms::kMaxLabelLength));
}

TEST_CASE("huge minisign signatures and signed notes with very long lines are refused") {
    SUBCASE("a signature whose base64 line is 10 MB") {
        std::string sig = "untrusted comment: x\n" + std::string(10u << 20, 'A') +
                          "\ntrusted comment: y\n" + std::string(88, 'A') + "\n";
        check_refused(run_bounded([&] { return crypto::minisign::parse_signature(sig); }),
                      Errc::corrupt, "");
    }
    SUBCASE("a checkpoint with a 2 MB line") {
        std::string note = "svidok.device/0123456789abcdef\n1\n" + std::string(2u << 20, 'A') +
                           "\n\n\xe2\x80\x94 x AAAA\n";
        check_refused(run_bounded([&] { return crypto::parse_note(note); }), Errc::corrupt,
                      "larger than 1048576 bytes");
    }
    SUBCASE("a checkpoint with a line just under the note limit") {
        std::string note = "svidok.device/0123456789abcdef\n1\n" +
                           std::string(crypto::kMaxNoteBytes - 200, 'A') +
                           "\n\n\xe2\x80\x94 x AAAA\n";
        check_refused(run_bounded([&] { return crypto::parse_note(note); }), Errc::corrupt, "");
    }
    SUBCASE("a note with more signature lines than allowed") {
        std::string note = "svidok.device/0123456789abcdef\n1\nAAAA\n\n";
        for (std::size_t i = 0; i <= crypto::kMaxNoteSignatures; ++i)
            note += "\xe2\x80\x94 x AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";
        check_refused(run_bounded([&] { return crypto::parse_note(note); }), Errc::corrupt,
                      "more than 100 signatures");
    }
}

TEST_CASE("vault.keys of wrong sizes is refused and nothing changes") {
    TempDir tmp;
    const fs::path dir = tmp / "v";
    { make_vault(dir); }
    const fs::path keys = dir / "vault.keys";
    const std::string real = read_file(keys);
    const auto before = snapshot(dir);
    std::size_t cases = 0;
    for (const std::size_t size : {std::size_t{0}, std::size_t{1}, real.size() - 1, real.size() + 1,
                                   std::size_t{4096}, std::size_t{4097}, std::size_t{100u << 20}}) {
        CAPTURE(size);
        {
            // A sparse file for the large sizes: the reader must not read it to refuse it.
            std::string content = real.substr(0, std::min(size, real.size()));
            write_file(keys, content);
            REQUIRE(::truncate(keys.c_str(), static_cast<off_t>(size)) == 0);
        }
        const auto b = run_bounded(
            [&] { return store::Vault::open(dir, pw("correct horse battery"), kTestPolicy); });
        INFO(b.message);
        CHECK(b.signal == 0);
        CHECK_FALSE(b.ok);
        CHECK(b.code == Errc::corrupt);
        CHECK(b.message.find("vault.keys") != std::string::npos);
        CHECK(b.rss_growth_kib < kMaxRssGrowthKib);
        CHECK(b.seconds < kMaxCaseSeconds);
        if (size > 4096) CHECK(b.message.find("more than the 4096 allowed") != std::string::npos);
        ++cases;
    }
    write_file(keys, real);
    CHECK(snapshot(dir) == before);
    CHECK(store::Vault::open(dir, pw("correct horse battery"), kTestPolicy).has_value());
    MESSAGE(cases << " vault.keys sizes refused");
}

TEST_CASE("a bundle whose .minisig is 100 MB is refused before the bundle is read") {
    RecordsFixture f;
    store::Bundles bundles(f.records);
    const fs::path bundle = f.tmp / "0123456789abcdef0123456789abcdef.age";
    write_file(bundle, "not read");
    write_file(f.tmp / "0123456789abcdef0123456789abcdef.age.minisig", "");
    REQUIRE(::truncate((f.tmp / "0123456789abcdef0123456789abcdef.age.minisig").c_str(),
                       100 << 20) == 0);
    const auto before = snapshot(f.vault.dir());
    check_refused(run_bounded([&] { return bundles.import_bundle(bundle, {}); }), Errc::corrupt,
                  "more than the 16384 allowed");
    CHECK(snapshot(f.vault.dir()) == before);
}
