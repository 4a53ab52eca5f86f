// SPDX-License-Identifier: GPL-3.0-or-later
// form, record and log commands in-process: both forms in three languages, the draft-to-seal
// workflow, exported records checked with the real minisign tool (and failing after any
// one-byte change), and log verification from the command line.
#include "cli_fixture.h"
#include "forms/json.h"
#include "forms/log_leaf.h"
#include "process.h"

using namespace svidok;
using namespace svidok::test;
namespace json = svidok::forms::json;

namespace {

constexpr const char* kMinisign = "/usr/bin/minisign";

}  // namespace

TEST_CASE("form commands: both forms, in all three languages, need no vault") {
    for (auto lang : {"en", "uk", "ru"}) {
        auto list = cli_run({"form", "list", "--lang", lang});
        REQUIRE(list.code == 0);
        CHECK(list.out.find("forced-mobilization@1") != std::string::npos);
        CHECK(list.out.find("child-recruitment@1") != std::string::npos);
        for (auto id : {"forced-mobilization", "child-recruitment"}) {
            auto show = cli_run({"form", "show", id, "--lang", lang});
            REQUIRE_MESSAGE(show.code == 0, show.err);
            CHECK(show.out.find("sha256: ") != std::string::npos);
            CHECK(show.out.find("real_name (short_text, sensitive)") != std::string::npos);
        }
    }
    CHECK(cli_run({"form", "list", "--lang", "uk"}).out.find("Примусова мобілізація") !=
          std::string::npos);
    CHECK(cli_run({"form", "list", "--lang", "ru"}).out.find("Принудительная мобилизация") !=
          std::string::npos);
    CHECK(cli_run({"form", "list", "--lang", "de"}).code == 2);

    auto json_def = cli_run({"form", "show", "child-recruitment@1", "--json"});
    auto show = cli_run({"form", "show", "child-recruitment"});
    CHECK(show.out.find(crypto::to_hex(crypto::sha256(crypto::as_bytes(json_def.out)))) !=
          std::string::npos);

    auto tmpl = cli_run({"form", "template", "forced-mobilization"});
    REQUIRE(tmpl.code == 0);
    auto t = json::parse(tmpl.out);
    REQUIRE(t.has_value());
    CHECK(t->find("witness")->find("real_name")->is_null());
    CHECK(t->find("victims")->as_array().size() == 1);

    CHECK(cli_run({"form", "show", "no-such-form"}).code == 2);
    CHECK(cli_run({"form", "show", "child-recruitment@9"}).code == 2);
    auto unknown = cli_run({"form", "frobnicate"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("unknown command form frobnicate") != std::string::npos);
    CHECK(cli_run({"form"}).err.find("missing subcommand after form") != std::string::npos);
}

TEST_CASE("draft, check, seal, amend, withdraw and list from the command line") {
    CliVault v;
    v.seal_to_legal_team();
    auto empty = (v.tmp / "empty.json").string();
    write_file(empty, "{}");
    auto created = v.run({"record", "new", "--form", "child-recruitment", "--json", empty});
    REQUIRE_MESSAGE(created.code == 0, created.err);
    const std::string id = created.out.substr(0, 32);
    CHECK(created.err.find("fields need attention before sealing") != std::string::npos);

    auto check = v.run({"record", "check", id.substr(0, 8)});
    CHECK(check.code == 2);
    CHECK(check.out.find("consent.consent_interview") != std::string::npos);
    auto refused = v.run({"record", "seal", id});
    CHECK(refused.code == 2);
    CHECK(refused.err.find("cannot be sealed") != std::string::npos);
    CHECK(refused.err.find("nothing was signed") != std::string::npos);

    auto update = v.run({"record", "update", id, "--json", v.answers_file("child-recruitment")});
    REQUIRE_MESSAGE(update.code == 0, update.err);
    CHECK(update.err.empty());
    CHECK(v.run({"record", "check", id}).out == "Ready to seal.\n");
    auto seal = v.run({"record", "seal", id});
    REQUIRE_MESSAGE(seal.code == 0, seal.err);
    CHECK(seal.out.find("version 1 (log entry 0)") != std::string::npos);
    CHECK(v.run({"record", "update", id, "--json", empty}).err.find("record amend") !=
          std::string::npos);

    auto amend =
        v.run({"record", "amend", id, "--json", v.answers_file("child-recruitment", "b.json")});
    REQUIRE_MESSAGE(amend.code == 0, amend.err);
    CHECK(amend.out.find("version 2 (log entry 1)") != std::string::npos);
    auto withdraw = v.run({"record", "withdraw-consent", id});
    REQUIRE_MESSAGE(withdraw.code == 0, withdraw.err);

    auto list = v.run({"record", "list", "--json"});
    REQUIRE(list.code == 0);
    auto l = json::parse(list.out);
    REQUIRE(l.has_value());
    REQUIRE(l->as_array().size() == 1);
    CHECK(l->as_array()[0].find("status")->as_string() == "withdrawn");
    CHECK(l->as_array()[0].find("versions")->as_int() == 2);

    auto show = v.run({"record", "show", id, "--json"});
    REQUIRE(show.code == 0);
    auto s = json::parse(show.out);
    REQUIRE(s.has_value());
    CHECK(s->find("versions")->as_array().size() == 2);
    CHECK(s->find("withdrawal")->find("sequence")->as_int() == 2);
    CHECK(s->find("answers")->find("consent")->is_object());
    CHECK(v.run({"record", "show", id}).out.find("Consent withdrawn: ") != std::string::npos);

    auto draft = v.run({"record", "new", "--form", "child-recruitment", "--json", empty});
    auto draft_id = draft.out.substr(0, 32);
    CHECK(v.run({"record", "discard", draft_id}).code == 0);
    CHECK(v.run({"record", "discard", id}).code == 2);
    CHECK(v.run({"record", "show", "0123456789"}).code == 2);
    CHECK(v.run({"record", "new", "--form", "child-recruitment", "--json",
                 (v.tmp / "none.json").string()})
              .code == 2);
    write_file(v.tmp / "bad.json", "{\"consent\": 1.5}");
    auto bad = v.run(
        {"record", "new", "--form", "child-recruitment", "--json", (v.tmp / "bad.json").string()});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("bad.json: at byte") != std::string::npos);
}

TEST_CASE(
    "an exported record verifies with the real minisign and fails after any one-byte change") {
    if (!tool_available(kMinisign)) return;
    CliVault v;
    const std::string id = v.sealed();
    REQUIRE(
        v.run({"record", "amend", id, "--json", v.answers_file("forced-mobilization", "b.json")})
            .code == 0);
    auto out_dir = v.tmp / "out";
    auto exported = v.run({"record", "export", id.substr(0, 10), "--out", out_dir.string()});
    REQUIRE_MESSAGE(exported.code == 0, exported.err);
    CHECK(exported.err.find("plaintext") != std::string::npos);

    fs::path pub;
    for (const auto& e : fs::directory_iterator(out_dir)) {
        if (e.path().extension() == ".pub") pub = e.path();
    }
    REQUIRE_FALSE(pub.empty());
    auto minisign = [&](const fs::path& file) {
        return run_process({kMinisign, "-Vm", file.string(), "-p", pub.string()}, {}, v.tmp.path());
    };
    for (int version : {1, 2}) {
        auto file = out_dir / (id + "-v" + std::to_string(version) + ".json");
        auto r = minisign(file);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        CHECK(r.out.find("Trusted comment: svidok record " + id + " v" + std::to_string(version)) !=
              std::string::npos);
    }

    // Every one-byte change of version 1 makes minisign refuse it. Each position is tried in
    // our verifier (forms tests); the real tool gets an evenly spread sample of positions.
    const auto file = out_dir / (id + "-v1.json");
    const std::string original = read_file(file);
    const std::size_t step = original.size() / 40 + 1;
    for (std::size_t i = 0; i < original.size(); i += step) {
        std::string changed = original;
        changed[i] = static_cast<char>(changed[i] ^ 0x20);
        write_file(file, changed);
        CHECK_MESSAGE(minisign(file).exit_code != 0, "byte " << i);
    }
    write_file(file, original);
    CHECK(minisign(file).exit_code == 0);
    // The chain: version 2 names the SHA-256 of version 1's file.
    auto v2 = json::parse(read_file(out_dir / (id + "-v2.json")));
    CHECK(v2->find("previous")->as_string() ==
          crypto::to_hex(crypto::sha256(crypto::as_bytes(original))));
}

TEST_CASE("log checkpoint, proof and verify from the command line") {
    CliVault v;
    const std::string a = v.sealed(), b = v.sealed("child-recruitment");
    auto cp = v.run({"log", "checkpoint"});
    REQUIRE(cp.code == 0);
    CHECK(cp.out.find("\n2\n") != std::string::npos);
    write_file(v.tmp / "cp", cp.out);
    auto proof = v.run({"log", "proof", b});
    REQUIRE_MESSAGE(proof.code == 0, proof.err);
    auto p = forms::InclusionProof::parse(proof.out.substr(0, proof.out.size() - 1));
    REQUIRE(p.has_value());
    CHECK(p->leaf_index == 1);
    CHECK(p->tree_size == 2);
    CHECK(v.run({"log", "proof", a, "--version", "3"}).code == 2);

    auto ok = v.run({"log", "verify", "--checkpoint", (v.tmp / "cp").string()});
    CHECK_MESSAGE(ok.code == 0, (ok.out + ok.err));
    CHECK(ok.out.find("Log: 2 entries") != std::string::npos);
    CHECK(ok.out.find("OK: ") != std::string::npos);

    // A checkpoint from another vault is reported and the exit status is 1.
    CliVault other;
    other.sealed();
    write_file(v.tmp / "foreign", other.run({"log", "checkpoint"}).out);
    auto bad = v.run({"log", "verify", "--checkpoint", (v.tmp / "foreign").string()});
    CHECK(bad.code == 1);
    CHECK(bad.out.find("PROBLEM: given checkpoint") != std::string::npos);
    CHECK(bad.err.find("problems found in the device log") != std::string::npos);
}
