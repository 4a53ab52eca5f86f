// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli_fixture.h"
#include "store/recovery_code.h"
#include "store/vault.h"

using namespace svidok;
using namespace svidok::test;

namespace {

std::string recovery_code_from(const std::string& init_out) {
    auto at = init_out.find("RECOVERY CODE");
    REQUIRE(at != std::string::npos);
    auto start = init_out.find("    ", at) + 4;
    return init_out.substr(start, store::kRecoveryCodeChars);
}

}  // namespace

TEST_CASE("init, then unlock-dependent commands with scripted prompts") {
    TempDir tmp;
    auto vault = (tmp / "v").string();
    ScriptedSecrets s{"correct horse battery"};
    auto init = cli_run({"--vault", vault, "init"}, &s);
    REQUIRE_MESSAGE(init.code == 0, init.err);
    CHECK(s.asked == std::vector{cli::SecretKind::new_passphrase});
    CHECK(init.out.find("Fingerprint: ") != std::string::npos);
    auto code = recovery_code_from(init.out);
    CHECK(code.size() == 44);

    SUBCASE("wrong passphrase: exit 3, vault unchanged") {
        auto before = read_file(tmp / "v" / "vault.keys");
        ScriptedSecrets bad{"not the passphrase"};
        auto r = cli_run({"--vault", vault, "passwd"}, &bad);
        CHECK(r.code == 3);
        CHECK(r.err.starts_with("svidok: error: wrong passphrase\n"));
        CHECK(r.err.find("svidok: hint: ") != std::string::npos);
        CHECK(read_file(tmp / "v" / "vault.keys") == before);
    }
    SUBCASE("passwd then recover") {
        ScriptedSecrets p{"correct horse battery", "second passphrase!"};
        auto r = cli_run({"--vault", vault, "passwd"}, &p);
        REQUIRE_MESSAGE(r.code == 0, r.err);
        CHECK(p.asked == std::vector{cli::SecretKind::passphrase, cli::SecretKind::new_passphrase});
        ScriptedSecrets old{"correct horse battery", "x"};
        CHECK(cli_run({"--vault", vault, "passwd"}, &old).code == 3);

        ScriptedSecrets rec{code, "third passphrase!!"};
        auto rr = cli_run({"--vault", vault, "recover"}, &rec);
        REQUIRE_MESSAGE(rr.code == 0, rr.err);
        CHECK(rec.asked == std::vector{cli::SecretKind::recovery_code,
                                       cli::SecretKind::new_passphrase});
        CHECK(store::Vault::open(tmp / "v", crypto::as_bytes("third passphrase!!"),
                                 {.enforce_kdf_floor = false})
                  .has_value());
    }
    SUBCASE("a mistyped recovery code is a usage error, a wrong one exit 3") {
        std::string typo = code;
        typo[1] = typo[1] == 'A' ? 'B' : 'A';
        ScriptedSecrets t{typo};
        auto r = cli_run({"--vault", vault, "recover"}, &t);
        CHECK(r.code == 2);
        CHECK(r.err.find("mistyped") != std::string::npos);
    }
    SUBCASE("a new passphrase that is too short changes nothing") {
        auto before = read_file(tmp / "v" / "vault.keys");
        ScriptedSecrets p{"correct horse battery", "short"};
        auto r = cli_run({"--vault", vault, "passwd"}, &p);
        CHECK(r.code == 2);
        CHECK(r.err.find("too short") != std::string::npos);
        CHECK(read_file(tmp / "v" / "vault.keys") == before);
    }
    SUBCASE("init on an existing vault") {
        ScriptedSecrets again{"another long passphrase"};
        auto r = cli_run({"--vault", vault, "init"}, &again);
        CHECK(r.code == 2);
        CHECK(r.err.find("already holds a vault") != std::string::npos);
    }
}

TEST_CASE("secrets come from files, never from arguments") {
    TempDir tmp;
    write_file(tmp / "pass", "file passphrase 1\n");
    write_file(tmp / "new", "file passphrase 2\r\n");
    auto vault = (tmp / "v").string();
    auto pass = (tmp / "pass").string();
    auto init = cli_run({"--vault", vault, "--passphrase-file", pass, "init"});
    REQUIRE_MESSAGE(init.code == 0, init.err);
    auto r = cli_run({"--vault", vault, "--passphrase-file", pass, "passwd",
                      "--new-passphrase-file", (tmp / "new").string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(store::Vault::open(tmp / "v", crypto::as_bytes("file passphrase 2"),
                             {.enforce_kdf_floor = false})
              .has_value());
    write_file(tmp / "empty", "");
    auto e = cli_run({"--vault", vault, "--passphrase-file", (tmp / "empty").string(), "passwd"});
    CHECK(e.code == 2);
    CHECK(e.err.find("is empty") != std::string::npos);
    auto missing = cli_run({"--vault", vault, "--passphrase-file", (tmp / "nope").string(), "passwd"});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("cannot open secret file") != std::string::npos);
    // There is no option that takes the secret itself.
    CHECK(cli_run({"--vault", vault, "passwd", "--passphrase", "x"}).code == 2);
}

TEST_CASE("usage errors and help") {
    CHECK(cli_run({}).code == 2);
    auto h = cli_run({"--help"});
    CHECK(h.code == 0);
    CHECK(h.out.find("identity") != std::string::npos);
    CHECK(cli_run({"frobnicate"}).err.find("unknown command frobnicate") != std::string::npos);
    auto ih = cli_run({"init", "--help"});
    CHECK(ih.code == 0);
    CHECK(ih.out.starts_with("usage: svidok-cli"));
    auto bad = cli_run({"identity", "--jsn"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("unknown option --jsn") != std::string::npos);
    CHECK(cli_run({"identity", "extra"}).err.find("unexpected argument extra") != std::string::npos);
    CHECK(cli_run({"--version"}).out.starts_with("svidok-cli "));
}

TEST_CASE("no vault: a clear message and exit 2") {
    TempDir tmp;
    ScriptedSecrets s{"correct horse battery"};
    auto r = cli_run({"--vault", (tmp / "none").string(), "passwd"}, &s);
    CHECK(r.code == 2);
    CHECK(r.err.find("no vault at") != std::string::npos);
    CHECK(r.err.find("svidok-cli init") != std::string::npos);
}
