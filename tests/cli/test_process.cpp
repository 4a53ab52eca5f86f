// SPDX-License-Identifier: GPL-3.0-or-later
// svidok-cli as a real subprocess: the shipped policy applies (Argon2id at or above the floor,
// calibrated), so these tests are fewer and slower than the in-process ones.

#include <random>

#include "crypto/age.h"
#include "crypto/encoding.h"
#include "process.h"
#include "store/vault.h"

using namespace svidok;
using namespace svidok::test;

namespace {

ProcessResult cli(const TempDir& tmp, std::vector<std::string> args) {
    args.insert(args.begin(), SVIDOK_CLI_PATH);
    return run_process(args, {"SVIDOK_PASSPHRASE_FILE=", "SVIDOK_VAULT="}, tmp.path());
}

bool opens_with(const fs::path& dir, std::string_view pass) {
    return store::Vault::open(dir, crypto::as_bytes(pass)).has_value();
}

}  // namespace

TEST_CASE("init, identity and a wrong passphrase through the real binary") {
    TempDir tmp;
    const std::string canary = "CANARY passphrase Zq81x";
    write_file(tmp / "pass", canary + "\n");
    write_file(tmp / "wrong", "wrong passphrase here\n");
    auto vault = (tmp / "v").string();
    auto init = cli(tmp, {"--vault", vault, "--passphrase-file", (tmp / "pass").string(), "init"});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    CHECK(init.out.find("Argon2id, t=") != std::string::npos);
    auto keys = store::Vault::read_keys(tmp / "v");
    REQUIRE(keys);
    CHECK_FALSE(crypto::below_floor(keys->kdf()));

    auto before = read_file(tmp / "v" / "vault.keys");
    auto bad =
        cli(tmp, {"--vault", vault, "--passphrase-file", (tmp / "wrong").string(), "identity"});
    CHECK(bad.exit_code == 3);
    CHECK(bad.err.find("svidok: error: wrong passphrase") == 0);
    CHECK(read_file(tmp / "v" / "vault.keys") == before);

    auto id =
        cli(tmp, {"--vault", vault, "--passphrase-file", (tmp / "pass").string(), "identity"});
    REQUIRE_MESSAGE(id.exit_code == 0, id.err);
    CHECK(id.out.find("untrusted comment: minisign public key") != std::string::npos);
    CHECK(id.out.find("age1") != std::string::npos);

    for (const auto& e : fs::recursive_directory_iterator(tmp / "v")) {
        if (!e.is_regular_file()) continue;
        CHECK_MESSAGE(read_file(e.path()).find(canary) == std::string::npos, e.path());
    }
    CHECK(init.out.find(canary) == std::string::npos);
    CHECK(init.err.find(canary) == std::string::npos);
}

TEST_CASE("a testimony from example to a minisign-checked file through the real binary") {
    TempDir tmp;
    write_file(tmp / "pass", "correct horse battery\n");
    const std::string vault = (tmp / "v").string(), pass = (tmp / "pass").string();
    auto with_vault = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--vault", vault, "--passphrase-file", pass});
        return cli(tmp, std::move(args));
    };
    REQUIRE(with_vault({"init"}).exit_code == 0);
    auto example = cli(tmp, {"form", "example", "child-recruitment"});
    REQUIRE(example.exit_code == 0);
    // Nothing is attached in this vault: drop the example's file references.
    auto answers = example.out;
    const auto at = answers.find("\"attachments\": [");
    REQUIRE(at != std::string::npos);
    answers.replace(at, answers.find(']', at) - at + 1, "\"attachments\": []");
    write_file(tmp / "answers.json", answers);

    auto created = with_vault({"record", "new", "--form", "child-recruitment", "--json",
                               (tmp / "answers.json").string()});
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    const std::string id = created.out.substr(0, 32);
    // Sensitive answers are sealed to a legal team (docs/FORMAT.md 9.6): an age key here.
    const std::string legal = crypto::X25519Identity::generate().recipient().to_string();
    REQUIRE(with_vault({"recipient", "add", "legal", "--age", legal}).exit_code == 0);
    REQUIRE(with_vault({"recipient", "seal", "legal"}).exit_code == 0);
    auto sealed = with_vault({"record", "seal", id});
    REQUIRE_MESSAGE(sealed.exit_code == 0, sealed.err);
    auto exported = with_vault({"record", "export", id, "--out", (tmp / "out").string()});
    REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
    auto verify = with_vault({"log", "verify"});
    CHECK_MESSAGE(verify.exit_code == 0, verify.out);
    if (tool_available("/usr/bin/minisign")) {
        fs::path pub;
        for (const auto& e : fs::directory_iterator(tmp / "out")) {
            if (e.path().extension() == ".pub") pub = e.path();
        }
        auto r = run_process({"/usr/bin/minisign", "-Vm",
                              (tmp / "out" / (id + "-v1.json")).string(), "-p", pub.string()},
                             {}, tmp.path());
        CHECK_MESSAGE(r.exit_code == 0, r.err);
    }
}

TEST_CASE("corrupt vault.keys and a foreign vault.db give exit 1 and their own message") {
    TempDir tmp;
    write_file(tmp / "pass", "correct horse battery\n");
    auto pass = (tmp / "pass").string();
    REQUIRE(
        cli(tmp, {"--vault", (tmp / "a").string(), "--passphrase-file", pass, "init"}).exit_code ==
        0);
    REQUIRE(
        cli(tmp, {"--vault", (tmp / "b").string(), "--passphrase-file", pass, "init"}).exit_code ==
        0);
    auto keys = read_file(tmp / "a" / "vault.keys");
    write_file(tmp / "a" / "vault.keys", keys.substr(0, 100));
    auto r = cli(tmp, {"--vault", (tmp / "a").string(), "--passphrase-file", pass, "identity"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("truncated") != std::string::npos);
    write_file(tmp / "a" / "vault.keys", keys);
    write_file(tmp / "a" / "vault.db", read_file(tmp / "b" / "vault.db"));
    auto m = cli(tmp, {"--vault", (tmp / "a").string(), "--passphrase-file", pass, "identity"});
    CHECK(m.exit_code == 1);
    CHECK(m.err.find("does not belong to this vault.keys") != std::string::npos);
}

TEST_CASE("killed at random points during passwd, the vault opens with one of the passphrases") {
    TempDir tmp;
    write_file(tmp / "old", "the old passphrase\n");
    write_file(tmp / "new", "the new passphrase\n");
    auto vault = (tmp / "v").string();
    REQUIRE(cli(tmp, {"--vault", vault, "--passphrase-file", (tmp / "old").string(), "init"})
                .exit_code == 0);
    // One passwd runs Argon2id twice (about two seconds); kill across and beyond that window.
    std::mt19937 rng(20261121);
    std::uniform_int_distribution<int> delay_ms(0, 2600);
    int old_ok = 0, new_ok = 0;
    std::string current = "old";
    for (int i = 0; i < 8; ++i) {
        std::string next = current == "old" ? "new" : "old";
        Process p({SVIDOK_CLI_PATH, "--vault", vault, "--passphrase-file", (tmp / current).string(),
                   "passwd", "--new-passphrase-file", (tmp / next).string()},
                  {}, tmp.path());
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
        p.kill();
        (void)p.wait();
        bool is_new =
            opens_with(tmp / "v", next == "old" ? "the old passphrase" : "the new passphrase");
        bool is_old = !is_new && opens_with(tmp / "v", current == "old" ? "the old passphrase"
                                                                        : "the new passphrase");
        REQUIRE_MESSAGE((is_new || is_old), "after kill " << i << " neither passphrase opens");
        (is_new ? new_ok : old_ok)++;
        if (is_new) current = next;
    }
    MESSAGE("kills leaving the old passphrase: " << old_ok << ", the new one: " << new_ok);
}

TEST_CASE("binaries link SQLCipher and never plain SQLite") {
    TempDir tmp;
    std::vector<std::string> bins{SVIDOK_CLI_PATH};
    if (std::string(SVIDOK_APP_PATH).size() > 0) bins.emplace_back(SVIDOK_APP_PATH);
    for (const auto& bin : bins) {
        auto r = run_process({"/usr/bin/ldd", bin}, {}, tmp.path());
        REQUIRE(r.exit_code == 0);
        CHECK_MESSAGE(r.out.find("libsqlcipher.so") != std::string::npos, bin);
        CHECK_MESSAGE(r.out.find("libsqlite3.so") == std::string::npos, bin);
    }
}
