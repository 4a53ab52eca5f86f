// SPDX-License-Identifier: GPL-3.0-or-later
// `wipe` and `settings wipe-after`, in-process and through the real binary (a typed
// confirmation on a pseudo-terminal).

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli_fixture.h"
#include "process.h"
#include "store/vault.h"
#include "store/vault_fixture.h"

using namespace svidok;
using namespace svidok::test;

namespace {

std::map<std::string, std::string> tree(const std::string& dir) {
    return snapshot(fs::path(dir));
}

/// A pseudo-terminal: the child gets the slave as its stdin and controlling terminal; the
/// test types into the master and reads what the child wrote to its terminal.
class Pty {
public:
    Pty() {
        master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
        REQUIRE(master_ >= 0);
        REQUIRE(::grantpt(master_) == 0);
        REQUIRE(::unlockpt(master_) == 0);
        slave_path_ = ::ptsname(master_);
        // Held open so what is typed before the child opens it is kept, and reads never EIO.
        slave_ = ::open(slave_path_.c_str(), O_RDWR | O_NOCTTY);
        REQUIRE(slave_ >= 0);
    }
    ~Pty() {
        ::close(slave_);
        ::close(master_);
    }
    Pty(const Pty&) = delete;
    Pty& operator=(const Pty&) = delete;
    [[nodiscard]] const std::string& slave_path() const { return slave_path_; }
    void type(std::string_view s) const {
        REQUIRE(::write(master_, s.data(), s.size()) == static_cast<ssize_t>(s.size()));
    }
    /// What the child wrote to its terminal (prompts, echo), without waiting for more.
    [[nodiscard]] std::string shown() const {
        std::string out;
        char buf[512];
        pollfd p{master_, POLLIN, 0};
        while (::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0) {
            ssize_t n = ::read(master_, buf, sizeof buf);
            if (n <= 0) break;
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }

private:
    int master_ = -1, slave_ = -1;
    std::string slave_path_;
};

ProcessResult cli_process(const TempDir& tmp, std::vector<std::string> args,
                          const std::string& stdin_path = "/dev/null") {
    args.insert(args.begin(), SVIDOK_CLI_PATH);
    Process p(args, {"SVIDOK_PASSPHRASE_FILE=", "SVIDOK_VAULT="}, tmp.path(), stdin_path);
    return p.wait();
}

}  // namespace

TEST_CASE("wipe --yes destroys the vault and says how fast") {
    CliVault v;
    v.sealed();
    auto r = v.run({"wipe", "--yes"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("Wiped " + v.dir + ". Nothing could open it after ") == 0);
    CHECK(r.out.find("ms; its files were removed after ") != std::string::npos);
    CHECK_FALSE(fs::exists(v.dir));
    auto after = v.run({"record", "list"});
    CHECK(after.code == 2);
    CHECK(after.err.find("no vault at") != std::string::npos);
}

TEST_CASE("wipe asks for the typed word; any other answer deletes nothing") {
    CliVault v;
    v.sealed();
    const auto before = tree(v.dir);
    for (std::string answer : {"yes", "WIPE", "wip", ""}) {
        ScriptedSecrets s;
        s.lines = {answer};
        auto r = v.run({"wipe"}, &s);
        CHECK(r.code == 2);
        CHECK(r.err.find("not wiped: the answer was not `wipe`; nothing was deleted") !=
              std::string::npos);
        REQUIRE(s.questions.size() == 1);
        CHECK(s.questions[0].find("This destroys the vault in " + v.dir) == 0);
        CHECK(s.questions[0].ends_with("Type wipe to destroy it: "));
        CHECK(tree(v.dir) == before);
    }
    SUBCASE("no terminal to ask on: refused, with the hint") {
        auto r = v.run({"wipe"});
        CHECK(r.code == 2);
        CHECK(r.err.find("nothing was deleted") != std::string::npos);
        CHECK(r.err.find("pass --yes") != std::string::npos);
        CHECK(tree(v.dir) == before);
    }
    SUBCASE("the word, typed with spaces around it") {
        ScriptedSecrets s;
        s.lines = {"  wipe "};
        auto r = v.run({"wipe"}, &s);
        REQUIRE_MESSAGE(r.code == 0, r.err);
        CHECK_FALSE(fs::exists(v.dir));
    }
}

TEST_CASE("wipe refuses what is not a vault before asking anything, and --decoy") {
    TempDir tmp;
    fs::create_directories(tmp / "d");
    write_file(tmp / "d" / "notes.txt", "mine");
    ScriptedSecrets s;
    s.lines = {"wipe"};
    auto r = cli_run({"--vault", (tmp / "d").string(), "wipe"}, &s);
    CHECK(r.code == 2);
    CHECK(r.err.find("no vault at " + (tmp / "d").string() + "; nothing was deleted") !=
          std::string::npos);
    CHECK(s.questions.empty());
    CHECK(fs::exists(tmp / "d" / "notes.txt"));
    CliVault v;
    auto decoy = v.run({"--decoy", "wipe", "--yes"});
    CHECK(decoy.code == 2);
    CHECK(decoy.err.find("--decoy does not apply here") != std::string::npos);
    CHECK(fs::exists(v.dir));
}

TEST_CASE("settings wipe-after: set, shown without a passphrase, enforced, off") {
    CliVault v;
    write_file(v.tmp / "wrong", "not the passphrase at all");
    auto wrong = [&] {
        return cli_run(
            {"--vault", v.dir, "--passphrase-file", (v.tmp / "wrong").string(), "record", "list"});
    };
    auto shown = cli_run({"--vault", v.dir, "settings", "wipe-after"});
    REQUIRE_MESSAGE(shown.code == 0, shown.err);
    CHECK(shown.out == "Wipe after failed attempts: off.\n");
    CHECK(v.run({"settings", "wipe-after", "100"}).code == 2);
    CHECK(v.run({"settings", "wipe-after", "three"}).code == 2);
    CHECK(v.run({"settings", "wipe-after", "-1"}).code == 2);
    CHECK(v.run({"--decoy", "settings", "wipe-after", "3"}).code == 2);

    auto set = v.run({"settings", "wipe-after", "3"});
    REQUIRE_MESSAGE(set.code == 0, set.err);
    CHECK(set.out.find("Wipe after failed attempts: 3.") == 0);
    CHECK(wrong().code == 3);
    CHECK(wrong().code == 3);
    CHECK(cli_run({"--vault", v.dir, "settings", "wipe-after"}).out ==
          "Wipe after failed attempts: 3 (2 since the last unlock).\n");
    SUBCASE("the right passphrase restarts the count") {
        CHECK(v.run({"record", "list"}).code == 0);
        CHECK(cli_run({"--vault", v.dir, "settings", "wipe-after"}).out ==
              "Wipe after failed attempts: 3 (0 since the last unlock).\n");
        CHECK(v.run({"settings", "wipe-after", "off"}).code == 0);
        for (int i = 0; i < 4; ++i) CHECK(wrong().code == 3);
        CHECK(fs::exists(v.dir));
    }
    SUBCASE("the third wrong one wipes") {
        auto third = wrong();
        CHECK(third.code == 3);
        CHECK(third.err.find("this was failed attempt 3 of 3, so the vault was wiped") !=
              std::string::npos);
        CHECK_FALSE(fs::exists(v.dir));
    }
    SUBCASE("a damaged counter is reported and restored at the next unlock") {
        write_file(fs::path(v.dir) / "vault.guard", "damaged");
        auto status = cli_run({"--vault", v.dir, "settings", "wipe-after"});
        CHECK(status.code == 1);
        CHECK(status.err.find("vault.guard") != std::string::npos);
        for (int i = 0; i < 4; ++i) CHECK(wrong().code == 3);
        auto ok = v.run({"record", "list"});
        CHECK(ok.code == 0);
        CHECK(ok.err.find("svidok: warning: vault.guard was unusable") == 0);
        CHECK(cli_run({"--vault", v.dir, "settings", "wipe-after"}).out ==
              "Wipe after failed attempts: 3 (0 since the last unlock).\n");
    }
}

TEST_CASE(
    "wipe through the real binary: --yes, the typed word on a terminal, a wrong word, no "
    "terminal") {
    TempDir tmp;
    auto make = [&](const std::string& name) {
        auto dir = tmp / name;
        auto c =
            store::Vault::create(dir, crypto::as_bytes("correct horse battery"),
                                 {crypto::KdfParams{1, 64u << 10}, {.enforce_kdf_floor = false}});
        REQUIRE(c);
        return dir.string();
    };
    SUBCASE("--yes") {
        auto dir = make("a");
        auto r = cli_process(tmp, {"--vault", dir, "wipe", "--yes"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK(r.out.find("Wiped ") == 0);
        CHECK_FALSE(fs::exists(dir));
    }
    SUBCASE("no terminal") {
        auto dir = make("b");
        const auto before = tree(dir);
        auto r = cli_process(tmp, {"--vault", dir, "wipe"});
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("no terminal to ask on; nothing was deleted") != std::string::npos);
        CHECK(tree(dir) == before);
    }
    SUBCASE("typed on the terminal") {
        auto dir = make("c");
        Pty pty;
        pty.type("wipe\n");
        auto r = cli_process(tmp, {"--vault", dir, "wipe"}, pty.slave_path());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK_FALSE(fs::exists(dir));
        CHECK(pty.shown().find("Type wipe to destroy it:") != std::string::npos);
    }
    SUBCASE("a wrong word on the terminal") {
        auto dir = make("d");
        const auto before = tree(dir);
        Pty pty;
        pty.type("no\n");
        auto r = cli_process(tmp, {"--vault", dir, "wipe"}, pty.slave_path());
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("not wiped") != std::string::npos);
        CHECK(tree(dir) == before);
    }
}
