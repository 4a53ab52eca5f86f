// SPDX-License-Identifier: GPL-3.0-or-later
// The panic wipe (docs/FORMAT.md 15.1): keys first, then every file; a non-vault refused.

#include <unistd.h>

#include "session_fixture.h"
#include "store/keyslots.h"
#include "store/wipe.h"

using namespace svidok;
using namespace svidok::test;
using store::Vault;

namespace {

constexpr std::string_view kPass = "correct horse battery";
constexpr std::string_view kDuress = "a duress passphrase";

/// A vault with a sealed record and a draft with a file in the real database, a record with a
/// file in the decoy, and a duress passphrase. Returns the recovery code.
std::string full_vault(const fs::path& scratch, const fs::path& dir) {
    std::string code;
    {
        auto created = make_vault(dir, kPass);
        code = std::string(created.recovery_code.view());
        Session s(std::move(created.vault));
        s.sealed();
        s.attach(s.draft(), scratch, "real.bin", random_bytes(100000, 1));
        REQUIRE(s.vault.set_duress(pw(kDuress), false));
    }
    Session decoy(Vault::open_decoy(dir, pw(kPass), kTestPolicy));
    decoy.attach(decoy.draft(), scratch, "decoy.bin", random_bytes(5000, 2));
    return code;
}

}  // namespace

TEST_CASE("a wipe removes every file of a vault: records, attachments, decoy, guard, lock") {
    TempDir tmp;
    const auto dir = tmp / "v";
    full_vault(tmp.path(), dir);
    REQUIRE(fs::exists(dir / "vault.alt.db"));
    REQUIRE(fs::exists(dir / "vault.guard"));
    REQUIRE(std::distance(fs::directory_iterator(dir / "attachments"), {}) == 2);
    // A hard link shares the key file's blocks: what it reads afterwards is what the wipe left
    // in them.
    const auto keys_before = read_file(dir / "vault.keys");
    fs::create_hard_link(dir / "vault.keys", tmp / "keys-link");

    auto report = store::wipe_vault(dir);
    REQUIRE_MESSAGE(report, report.error().message);
    CHECK(report->not_removed.empty());
    CHECK(report->directory_removed);
    CHECK(report->unrecoverable_after <= report->total);
    CHECK_FALSE(fs::exists(dir));

    const auto overwritten = read_file(tmp / "keys-link");
    CHECK(overwritten.size() == store::kKeysFileBytes);
    CHECK(overwritten != keys_before);
    std::size_t same = 0;
    for (std::size_t i = 0; i < overwritten.size(); ++i) same += overwritten[i] == keys_before[i];
    CHECK(same < 16);  // random bytes: about 416 / 256 coincide
    auto parsed =
        store::KeysFile::parse(std::vector<unsigned char>(overwritten.begin(), overwritten.end()));
    CHECK(parsed.error().code == Errc::corrupt);

    // Nothing is left to open.
    CHECK(Vault::open(dir, pw(kPass), kTestPolicy).error().code == Errc::not_found);
}

TEST_CASE(
    "a wipe stopped after the key file leaves a directory nothing opens, and finishes later") {
    TempDir tmp;
    const auto dir = tmp / "v";
    const std::string code = full_vault(tmp.path(), dir);
    // The keys are overwritten and gone, and nothing else was touched.
    REQUIRE(store::destroy_key_file(dir));
    CHECK_FALSE(fs::exists(dir / "vault.keys"));
    CHECK(fs::exists(dir / "vault.db"));
    CHECK(fs::exists(dir / "vault.alt.db"));
    auto missing_keys = [](const Result<Vault>& r) {
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::corrupt);
        CHECK(r.error().message.find("vault.keys is missing") != std::string::npos);
    };
    missing_keys(Vault::open(dir, pw(kPass), kTestPolicy));
    missing_keys(Vault::open(dir, pw(kDuress), kTestPolicy));
    missing_keys(Vault::open_with_recovery(dir, code, kTestPolicy));
    missing_keys(Vault::open_decoy(dir, pw(kPass), kTestPolicy));
    CHECK(store::destroy_key_file(dir).error().code == Errc::not_found);
    // A second wipe finishes the job.
    CHECK(store::holds_vault(dir));
    auto report = store::wipe_vault(dir);
    REQUIRE_MESSAGE(report, report.error().message);
    CHECK(report->directory_removed);
    CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("a directory that is not a vault is refused and nothing in it is deleted") {
    TempDir tmp;
    fs::create_directories(tmp / "docs" / "attachments");
    write_file(tmp / "docs" / "notes.txt", "not a vault");
    write_file(tmp / "docs" / "vault.guard", "a file named like ours");
    write_file(tmp / "docs" / "attachments" / "x", "keep me");
    const auto before = snapshot(tmp / "docs");
    CHECK_FALSE(store::holds_vault(tmp / "docs"));
    auto r = store::wipe_vault(tmp / "docs");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::not_found);
    CHECK(r.error().message.find("nothing was deleted") != std::string::npos);
    CHECK(snapshot(tmp / "docs") == before);
    CHECK(store::wipe_vault(tmp / "missing").error().code == Errc::not_found);
    write_file(tmp / "file", "x");
    CHECK(store::wipe_vault(tmp / "file").error().code == Errc::not_found);
    CHECK(fs::exists(tmp / "file"));
}

TEST_CASE("files Svidok did not write stay, and so does their directory") {
    TempDir tmp;
    const auto dir = tmp / "v";
    { make_vault(dir); }
    write_file(dir / "my-notes.txt", "someone else's file");
    auto report = store::wipe_vault(dir);
    REQUIRE(report);
    CHECK_FALSE(report->directory_removed);
    CHECK(report->not_removed.empty());
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(dir)) left.push_back(e.path().filename());
    CHECK(left == std::vector<std::string>{"my-notes.txt"});
}

TEST_CASE("a wipe works while the vault is open, without its passphrase") {
    TempDir tmp;
    const auto dir = tmp / "v";
    auto created = make_vault(dir);
    Session s(std::move(created.vault));
    s.sealed();
    auto report = store::wipe_vault(dir);
    REQUIRE_MESSAGE(report, report.error().message);
    CHECK(report->directory_removed);
    CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("leftovers of an interrupted write are wiped too") {
    TempDir tmp;
    const auto dir = tmp / "v";
    { make_vault(dir); }
    for (const char* name :
         {"vault.keys.tmp", "vault.guard.tmp", "vault.db-journal", "vault.alt.db.partial",
          "attachments/0123456789abcdef0123456789abcdef.partial"}) {
        write_file(dir / name, "leftover");
    }
    fs::path keys_tmp = dir / "vault.keys.tmp";
    fs::create_hard_link(keys_tmp, tmp / "tmp-link");
    auto report = store::wipe_vault(dir);
    REQUIRE(report);
    CHECK(report->directory_removed);
    CHECK(read_file(tmp / "tmp-link") != "leftover");  // overwritten in place as well
}
