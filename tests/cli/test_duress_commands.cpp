// SPDX-License-Identifier: GPL-3.0-or-later
// `duress set|clear|status` and the global --decoy, in-process and through the real binary.

#include "cli_fixture.h"
#include "crypto/age.h"
#include "process.h"
#include "store/vault.h"

using namespace svidok;
using namespace svidok::test;

namespace {

constexpr std::string_view kDuress = "a duress passphrase";

/// A CliVault with a duress passphrase file beside it.
struct DuressVault : CliVault {
    std::string duress = (tmp / "duress").string();
    DuressVault() { write_file(duress, std::string(kDuress) + "\n"); }
    CliRun as_duress(std::vector<std::string> args) {
        args.insert(args.begin(), {"--vault", dir, "--passphrase-file", duress});
        return cli_run(std::move(args));
    }
    std::vector<std::string> listed(CliRun r) {
        REQUIRE_MESSAGE(r.code == 0, r.err);
        std::vector<std::string> ids;
        std::istringstream in(r.out);
        for (std::string line; std::getline(in, line);) {
            if (line.size() >= 32 && line.find_first_not_of("0123456789abcdef") >= 32) {
                ids.push_back(line.substr(0, 32));
            }
        }
        return ids;
    }
};

}  // namespace

TEST_CASE("duress set, status and --decoy: the duress passphrase shows only the decoy's records") {
    DuressVault v;
    const std::string real_id = v.sealed();
    CHECK(v.run({"duress", "status"}).out == "No duress passphrase is set.\n");
    auto set = v.run({"duress", "set", "--duress-passphrase-file", v.duress});
    REQUIRE_MESSAGE(set.code == 0, set.err);
    CHECK(set.out.find("Duress passphrase set.") == 0);
    CHECK(set.out.find("this vault stays as it is") != std::string::npos);
    CHECK(set.out.find("svidok-cli --decoy record new") != std::string::npos);
    CHECK(v.run({"duress", "status"}).out ==
          "A duress passphrase is set: it opens the decoy vault; this vault stays as it is.\n");

    // Preparing the decoy: any command that unlocks, with --decoy.
    auto made = v.run({"--decoy", "record", "new", "--form", "forced-mobilization", "--json",
                       v.answers_file("forced-mobilization")});
    REQUIRE_MESSAGE(made.code == 0, made.err);
    CHECK(made.err.find("svidok: note: working in the decoy vault") != std::string::npos);
    const std::string decoy_id = made.out.substr(0, 32);
    // The decoy seals sensitive answers too, to a legal team of its own.
    const auto decoy_team = crypto::X25519Identity::generate().recipient().to_string();
    REQUIRE(v.run({"--decoy", "recipient", "add", "legal-team", "--age", decoy_team}).code == 0);
    REQUIRE(v.run({"--decoy", "recipient", "seal", "legal-team"}).code == 0);
    auto decoy_sealed = v.run({"--decoy", "record", "seal", decoy_id});
    REQUIRE_MESSAGE(decoy_sealed.code == 0, decoy_sealed.err);

    CHECK(v.listed(v.run({"record", "list"})) == std::vector{real_id});
    CHECK(v.listed(v.run({"--decoy", "record", "list"})) == std::vector{decoy_id});
    auto as_duress = v.as_duress({"record", "list"});
    CHECK(as_duress.err.empty());  // no note, no warning: an ordinary unlock
    CHECK(v.listed(as_duress) == std::vector{decoy_id});
    CHECK(v.as_duress({"duress", "status"}).out == "No duress passphrase is set.\n");
    // The identities differ: the decoy never signs as the real device.
    auto real_identity = v.run({"identity", "--json"});
    auto decoy_identity = v.as_duress({"identity", "--json"});
    REQUIRE(real_identity.code == 0);
    REQUIRE(decoy_identity.code == 0);
    CHECK(real_identity.out != decoy_identity.out);
    CHECK(v.listed(v.run({"record", "list"})) == std::vector{real_id});

    auto cleared = v.run({"duress", "clear"});
    REQUIRE_MESSAGE(cleared.code == 0, cleared.err);
    CHECK(v.run({"duress", "status"}).out == "No duress passphrase is set.\n");
    CHECK(v.as_duress({"record", "list"}).code == 3);
}

TEST_CASE("duress set --destroy-real: after one duress unlock the real vault opens no more") {
    DuressVault v;
    v.sealed();
    auto set = v.run({"duress", "set", "--destroy-real", "--duress-passphrase-file", v.duress});
    REQUIRE_MESSAGE(set.code == 0, set.err);
    CHECK(set.out.find("after destroying this vault's key slots") != std::string::npos);
    CHECK(v.run({"duress", "status"}).out.find("after destroying") != std::string::npos);
    CHECK(v.as_duress({"record", "list"}).code == 0);
    auto real = v.run({"record", "list"});
    CHECK(real.code == 3);
    CHECK(real.err.find("svidok: error: wrong passphrase") == 0);
    CHECK(v.as_duress({"record", "list"}).code == 0);
}

TEST_CASE("duress set asks twice on the terminal and refuses the real passphrase") {
    DuressVault v;
    ScriptedSecrets s{"correct horse battery", "correct horse battery"};
    auto same = v.run({"duress", "set"}, &s);
    CHECK(same.code == 2);
    CHECK(same.err.find("the duress passphrase must differ from the vault's passphrase") !=
          std::string::npos);
    CHECK(s.asked ==
          std::vector{cli::SecretKind::new_duress_passphrase});  // the vault's from its file
    ScriptedSecrets ok{std::string(kDuress)};
    REQUIRE(v.run({"duress", "set"}, &ok).code == 0);
    CHECK(v.as_duress({"record", "list"}).code == 0);
    // The passphrase cannot become the duress passphrase.
    ScriptedSecrets clash{std::string(kDuress)};
    auto passwd = v.run({"passwd"}, &clash);
    CHECK(passwd.code == 2);
    CHECK(passwd.err.find("the new passphrase is the duress passphrase") != std::string::npos);
}

TEST_CASE("--decoy applies only to commands that work inside one database") {
    DuressVault v;
    for (std::vector<std::string> args : {std::vector<std::string>{"passwd"},
                                          {"recover"},
                                          {"duress", "set"},
                                          {"duress", "clear"},
                                          {"duress", "status"},
                                          {"settings", "wipe-after", "3"},
                                          {"wipe", "--yes"}}) {
        args.insert(args.begin(), "--decoy");
        auto r = v.run(args);
        CHECK_MESSAGE(r.code == 2, args[1]);
        CHECK(r.err.find("--decoy does not apply here") != std::string::npos);
    }
    CHECK(v.run({"--decoy", "identity"}).code == 0);
    auto init = cli_run(
        {"--vault", (v.tmp / "new").string(), "--passphrase-file", v.pass, "--decoy", "init"});
    CHECK(init.code == 2);
    CHECK_FALSE(fs::exists(v.tmp / "new"));
}

TEST_CASE("the duress passphrase through the real binary, with the shipped key derivation") {
    TempDir tmp;
    const auto dir = tmp / "v";
    {
        // At the floor the shipped binary enforces (t=3, 256 MiB), without calibrating up.
        auto c = store::Vault::create(dir, crypto::as_bytes("correct horse battery"),
                                      {crypto::KdfParams{3, 256u << 20}, {}});
        REQUIRE_MESSAGE(c, c.error().message);
    }
    write_file(tmp / "pass", "correct horse battery\n");
    write_file(tmp / "duress", std::string(kDuress) + "\n");
    auto cli = [&](const char* pass, std::vector<std::string> args) {
        args.insert(args.begin(), {SVIDOK_CLI_PATH, "--vault", dir.string(), "--passphrase-file",
                                   (tmp / pass).string()});
        return run_process(args, {"SVIDOK_PASSPHRASE_FILE=", "SVIDOK_VAULT="}, tmp.path());
    };
    auto set = cli("pass", {"duress", "set", "--destroy-real", "--duress-passphrase-file",
                            (tmp / "duress").string()});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
    auto status = cli("pass", {"duress", "status"});
    CHECK(status.out.find("A duress passphrase is set") == 0);
    auto decoy_identity = cli("pass", {"--decoy", "identity", "--json"});
    REQUIRE_MESSAGE(decoy_identity.exit_code == 0, decoy_identity.err);
    auto opened = cli("duress", {"identity", "--json"});
    REQUIRE_MESSAGE(opened.exit_code == 0, opened.err);
    CHECK(opened.out == decoy_identity.out);
    CHECK(opened.err.empty());
    auto real = cli("pass", {"identity"});
    CHECK(real.exit_code == 3);
    CHECK(real.err.find("svidok: error: wrong passphrase") == 0);
}
