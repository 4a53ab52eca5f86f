// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 19, vault.keys on disk: every replacement overwrites the replaced file's blocks, a
// leftover vault.keys.tmp is overwritten at the next unlock, unused slots are re-randomised on
// every write, and a vault.keys swapped in while the vault is open is refused (FORMAT.md 2).

#include <sodium.h>
#include <sys/stat.h>

#include <functional>

#include "session_fixture.h"
#include "store/keyslots.h"
#include "store/vault_paths.h"

using namespace svidok;
using namespace svidok::test;
using store::Vault;

namespace {

constexpr std::string_view kPass = "correct horse battery";
constexpr std::string_view kNew = "a brand new passphrase";
constexpr std::string_view kDuress = "a duress passphrase";

std::vector<unsigned char> bytes_of(const fs::path& p) {
    const std::string s = read_file(p);
    return {s.begin(), s.end()};
}

/// How many positions of two equally long buffers hold the same byte: about size / 256 for
/// unrelated random bytes.
std::size_t coinciding(std::span<const unsigned char> a, std::span<const unsigned char> b) {
    REQUIRE(a.size() == b.size());
    std::size_t same = 0;
    for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
    return same;
}

/// True when `bytes` do not parse as a key file at all (not merely a wrong passphrase).
bool not_a_key_file(const std::vector<unsigned char>& bytes) {
    auto parsed = store::KeysFile::parse(bytes);
    return !parsed && parsed.error().code == Errc::corrupt;
}

/// What a hard link to the key file taken before `op` reads afterwards is noise: no slot of the
/// old file, no header, nothing that parses. A hard link shares the inode, so it reads what
/// is left in the blocks the old file occupied.
void old_keys_destroyed_by(const fs::path& dir, const std::function<void()>& op) {
    const fs::path link = dir.parent_path() / "old-keys-link";
    fs::remove(link);
    const auto before = bytes_of(dir / "vault.keys");
    fs::create_hard_link(dir / "vault.keys", link);
    op();
    const auto left = bytes_of(link);
    REQUIRE(left.size() == store::kKeysFileBytes);
    CHECK(coinciding(left, before) < 16);
    CHECK(not_a_key_file(left));
    // The name leads to a new file, which differs from the old one.
    CHECK(bytes_of(dir / "vault.keys") != before);
    fs::remove(link);
}

std::span<const unsigned char> slot(const std::vector<unsigned char>& file, std::size_t i) {
    return std::span<const unsigned char>(file).subspan(
        store::kKeysHeaderBytes + i * store::kSlotBytes, store::kSlotBytes);
}

/// Rewrites the header of vault.keys (and its checksum, so it still parses) as one who swaps
/// the file would.
void rewrite_header(const fs::path& dir, const std::function<void(unsigned char*)>& edit) {
    auto b = bytes_of(dir / "vault.keys");
    edit(b.data());
    const std::size_t sum_at = store::kKeysFileBytes - store::kKeysChecksumBytes;
    crypto_generichash(b.data() + sum_at, store::kKeysChecksumBytes, b.data(), sum_at, nullptr, 0);
    REQUIRE(store::KeysFile::parse(b));
    write_file(dir / "vault.keys", std::string(b.begin(), b.end()));
}

}  // namespace

TEST_CASE("every replacement of vault.keys overwrites the blocks of the file it replaces") {
    TempDir tmp;
    const auto dir = tmp / "v";
    auto created = make_vault(dir, kPass);
    const std::string code(created.recovery_code.view());
    {
        Vault v = std::move(created.vault);
        old_keys_destroyed_by(dir, [&] { REQUIRE(v.set_duress(pw(kDuress), false)); });
        old_keys_destroyed_by(dir, [&] { REQUIRE(v.clear_duress()); });
        old_keys_destroyed_by(dir, [&] { REQUIRE(v.change_passphrase(pw(kNew))); });
        old_keys_destroyed_by(dir, [&] { REQUIRE(v.set_duress(pw(kDuress), true)); });
    }
    // recover: the recovery code opens, a new passphrase is set.
    {
        auto v = Vault::open_with_recovery(dir, code, kTestPolicy);
        REQUIRE(v);
        old_keys_destroyed_by(dir, [&] { REQUIRE(v->change_passphrase(pw(kPass))); });
    }
    // The duress passphrase that destroys the real vault's slots on unlock.
    old_keys_destroyed_by(dir, [&] { REQUIRE(Vault::open(dir, pw(kDuress), kTestPolicy)); });
    CHECK(Vault::open(dir, pw(kPass), kTestPolicy).error().code == Errc::auth_failed);
}

TEST_CASE("a leftover vault.keys.tmp is overwritten and removed at the next unlock") {
    TempDir tmp;
    const auto dir = tmp / "v";
    make_vault(dir, kPass);
    // An interrupted replacement: the new key file was written but never renamed.
    const auto keys = read_file(dir / "vault.keys");
    write_file(dir / "vault.keys.tmp", keys);
    fs::create_hard_link(dir / "vault.keys.tmp", tmp / "tmp-link");

    REQUIRE(Vault::open(dir, pw(kPass), kTestPolicy));
    CHECK_FALSE(fs::exists(dir / "vault.keys.tmp"));
    const auto left = bytes_of(tmp / "tmp-link");
    REQUIRE(left.size() == store::kKeysFileBytes);
    CHECK(coinciding(left, bytes_of(dir / "vault.keys")) < 16);
    CHECK(not_a_key_file(left));
    // A .tmp that is the key file itself under a second name is unlinked, never overwritten.
    fs::create_hard_link(dir / "vault.keys", dir / "vault.keys.tmp");
    REQUIRE(Vault::open(dir, pw(kPass), kTestPolicy));
    CHECK_FALSE(fs::exists(dir / "vault.keys.tmp"));
    CHECK(read_file(dir / "vault.keys") == keys);
}

TEST_CASE("unused key slots are re-randomised on every write of vault.keys") {
    TempDir tmp;
    const auto dir = tmp / "v";
    auto created = make_vault(dir, kPass);
    const std::string code(created.recovery_code.view());
    std::vector<std::vector<unsigned char>> snaps{bytes_of(dir / "vault.keys")};
    {
        Vault v = std::move(created.vault);
        REQUIRE(v.set_duress(pw(kDuress), false));
        snaps.push_back(bytes_of(dir / "vault.keys"));
        REQUIRE(v.clear_duress());
        snaps.push_back(bytes_of(dir / "vault.keys"));
        // A change of passphrase with no duress passphrase set changes the unused slots too.
        REQUIRE(v.change_passphrase(pw(kNew)));
        snaps.push_back(bytes_of(dir / "vault.keys"));
    }
    const auto& [s0, s1, s2, s3] = std::tie(snaps[0], snaps[1], snaps[2], snaps[3]);
    // The slot that held the duress passphrase differs from both earlier snapshots, and looks
    // random: nothing tells "set, then cleared" from "never set".
    CHECK(coinciding(slot(s2, store::kDuressSlot), slot(s0, store::kDuressSlot)) < 8);
    CHECK(coinciding(slot(s2, store::kDuressSlot), slot(s1, store::kDuressSlot)) < 8);
    const auto cleared = slot(s2, store::kDuressSlot);
    CHECK(std::set<unsigned char>(cleared.begin(), cleared.end()).size() > 50);  // about 68
    CHECK(coinciding(slot(s3, store::kDuressSlot), slot(s2, store::kDuressSlot)) < 8);
    // The spare slot changes on every write.
    for (std::size_t i = 1; i < snaps.size(); ++i) {
        CHECK(coinciding(slot(snaps[i], store::kSpareSlot), slot(snaps[i - 1], store::kSpareSlot)) <
              8);
    }
    // The slots in use still open.
    CHECK(Vault::open(dir, pw(kNew), kTestPolicy));
    CHECK(Vault::open_with_recovery(dir, code, kTestPolicy));
    CHECK(Vault::open(dir, pw(kDuress), kTestPolicy).error().code == Errc::auth_failed);
}

TEST_CASE("passwd and duress set/clear refuse a vault.keys swapped in while the vault is open") {
    TempDir tmp;
    const auto dir = tmp / "v";
    auto created = make_vault(dir, kPass);
    Vault v = std::move(created.vault);
    // Other Argon2id parameters (a cheaper derivation for whoever wants to guess the next
    // passphrase), or another salt (one someone precomputed for), same vault id.
    const std::vector<std::function<void(unsigned char*)>> swaps{
        [](unsigned char* h) { h[16] = 2; },   // opslimit
        [](unsigned char* h) { h[28] ^= 1; },  // salt
    };
    for (const auto& swap : swaps) {
        rewrite_header(dir, swap);
        const auto swapped = read_file(dir / "vault.keys");
        for (auto r :
             {v.change_passphrase(pw(kNew)), v.set_duress(pw(kDuress), true), v.clear_duress()}) {
            REQUIRE_FALSE(r);
            CHECK(r.error().code == Errc::integrity);
            CHECK(r.error().kind == "keys.replaced_on_disk");
        }
        CHECK(read_file(dir / "vault.keys") == swapped);
        CHECK_FALSE(fs::exists(dir / "vault.keys.tmp"));
    }
}

namespace {

/// Hard links to vault.keys, vault.db and vault.alt.db, with their bytes, before an operation.
struct OldInodes {
    std::map<std::string, std::vector<unsigned char>> bytes;
    fs::path links;
    OldInodes(const fs::path& dir, const fs::path& links_dir) : links(links_dir) {
        fs::create_directories(links);
        for (const char* name : {"vault.keys", "vault.db", "vault.alt.db"}) {
            bytes[name] = bytes_of(dir / name);
            fs::create_hard_link(dir / name, links / name);
        }
    }
    /// Each old file's blocks hold other bytes now: about 1 in 256 coincide.
    void check_overwritten() const {
        for (const auto& [name, old] : bytes) {
            INFO(name);
            const auto left = bytes_of(links / name);
            REQUIRE(left.size() == old.size());
            CHECK(coinciding(left, old) < old.size() / 64);
        }
    }
};

std::size_t record_count(Session& s) {
    return s.ids().size();
}

}  // namespace

TEST_CASE(
    "rekey: new keys for both databases; old key files, old databases and old code open "
    "nothing") {
    TempDir tmp;
    const auto dir = tmp / "v";
    auto created = make_vault(dir, kPass);
    const std::string old_code(created.recovery_code.view());
    std::size_t real_records = 0;
    std::string blob_content = random_bytes(70000, 7);
    {
        Session s(std::move(created.vault));
        s.sealed();
        s.attach(s.draft(), tmp.path(), "real.bin", blob_content);
        REQUIRE(s.vault.set_duress(pw(kDuress), false));
        real_records = record_count(s);
    }
    {
        Session decoy(Vault::open_decoy(dir, pw(kPass), kTestPolicy));
        decoy.draft();
    }
    const auto old_keys = read_file(dir / "vault.keys");
    // What someone copied before the re-key: the whole directory.
    fs::copy(dir, tmp / "copied-before", fs::copy_options::recursive);

    std::string new_code;
    {
        Session s(Vault::open(dir, pw(kPass), kTestPolicy));
        OldInodes old(dir, tmp / "links");
        auto code = s.vault.rekey(pw(kNew), pw(kDuress));
        REQUIRE_MESSAGE(code, code.error().message);
        new_code = std::string(code->view());
        CHECK(s.vault.notices().empty());
        old.check_overwritten();
        // The session goes on, on the re-keyed database.
        CHECK(record_count(s) == real_records);
        s.draft();
        ++real_records;
    }
    CHECK_FALSE(fs::exists(dir / "vault.db.next"));
    CHECK_FALSE(fs::exists(dir / "vault.alt.db.next"));
    CHECK(new_code != old_code);

    // The new secrets open everything; the records and their files are intact.
    {
        Session s(Vault::open(dir, pw(kNew), kTestPolicy));
        CHECK(record_count(s) == real_records);
        CHECK(s.vault.duress_status().value().set);
    }
    CHECK(Vault::open_with_recovery(dir, new_code, kTestPolicy));
    {
        Session d(Vault::open(dir, pw(kDuress), kTestPolicy));
        CHECK(record_count(d) == 1);
    }
    // The old passphrase and the old recovery code open nothing.
    CHECK(Vault::open(dir, pw(kPass), kTestPolicy).error().code == Errc::auth_failed);
    CHECK(Vault::open_with_recovery(dir, old_code, kTestPolicy).error().code == Errc::auth_failed);
    // The old vault.keys with the old passphrase or code: the current databases do not decrypt.
    const auto with_old_keys = tmp / "old-keys";
    fs::copy(dir, with_old_keys, fs::copy_options::recursive);
    write_file(with_old_keys / "vault.keys", old_keys);
    CHECK(Vault::open(with_old_keys, pw(kPass), kTestPolicy).error().code == Errc::integrity);
    CHECK(Vault::open_with_recovery(with_old_keys, old_code, kTestPolicy).error().code ==
          Errc::integrity);
    CHECK(Vault::open(with_old_keys, pw(kDuress), kTestPolicy).error().code == Errc::integrity);
    // And the new vault.keys does not open the copy taken before.
    write_file(tmp / "copied-before" / "vault.keys", read_file(dir / "vault.keys"));
    CHECK(Vault::open(tmp / "copied-before", pw(kNew), kTestPolicy).error().code ==
          Errc::integrity);
}

TEST_CASE("rekey without the duress passphrase clears it; a wrong one changes nothing") {
    TempDir tmp;
    const auto dir = tmp / "v";
    {
        auto created = make_vault(dir, kPass);
        REQUIRE(created.vault.set_duress(pw(kDuress), true));
    }
    const auto before = snapshot(dir);
    {
        auto v = Vault::open(dir, pw(kPass), kTestPolicy);
        REQUIRE(v);
        auto wrong = v->rekey(pw(kNew), pw("not the duress passphrase"));
        REQUIRE_FALSE(wrong);
        CHECK(wrong.error().kind == "rekey.wrong_duress");
        auto same = v->rekey(pw(kDuress), pw(kDuress));
        REQUIRE_FALSE(same);
        CHECK(same.error().kind == "rekey.same_as_duress");
    }
    auto after = snapshot(dir);
    after.erase("vault.guard");
    auto expected = before;
    expected.erase("vault.guard");
    CHECK(after == expected);
    {
        auto v = Vault::open(dir, pw(kPass), kTestPolicy);
        REQUIRE(v);
        auto r = v->rekey(pw(kNew));
        REQUIRE_MESSAGE(r, r.error().message);
        CHECK_FALSE(v->duress_status().value().set);
    }
    CHECK(Vault::open(dir, pw(kDuress), kTestPolicy).error().code == Errc::auth_failed);
    CHECK(Vault::open(dir, pw(kNew), kTestPolicy));
}

TEST_CASE("rekey and a new recovery code only in a session on the real database") {
    TempDir tmp;
    const auto dir = tmp / "v";
    {
        auto created = make_vault(dir, kPass);
        REQUIRE(created.vault.set_duress(pw(kDuress), false));
    }
    for (bool decoy : {false, true}) {
        auto v = decoy ? Vault::open_decoy(dir, pw(kPass), kTestPolicy)
                       : Vault::open(dir, pw(kDuress), kTestPolicy);
        REQUIRE(v);
        CHECK(v->rekey(pw(kNew)).error().code == Errc::usage);
        CHECK(v->new_recovery_code().error().code == Errc::usage);
    }
}

TEST_CASE("a new recovery code: the old one opens nothing, the old key file is overwritten") {
    TempDir tmp;
    const auto dir = tmp / "v";
    auto created = make_vault(dir, kPass);
    const std::string old_code(created.recovery_code.view());
    std::string new_code;
    old_keys_destroyed_by(dir, [&] {
        auto code = created.vault.new_recovery_code();
        REQUIRE(code);
        new_code = std::string(code->view());
    });
    { Vault closing = std::move(created.vault); }
    CHECK(Vault::open_with_recovery(dir, old_code, kTestPolicy).error().code == Errc::auth_failed);
    CHECK(Vault::open_with_recovery(dir, new_code, kTestPolicy));
    CHECK(Vault::open(dir, pw(kPass), kTestPolicy));
}

TEST_CASE("an unlock removes a re-key copy no slot's key opens, and finishes one that opens") {
    TempDir tmp;
    const auto dir = tmp / "v";
    make_vault(dir, kPass);
    // A copy under a key no slot holds (a re-key interrupted before its commit point).
    fs::copy_file(dir / "vault.alt.db", dir / "vault.db.next");
    fs::copy_file(dir / "vault.db", dir / "vault.alt.db.next");
    const auto db = read_file(dir / "vault.db");
    REQUIRE(Vault::open(dir, pw(kPass), kTestPolicy));
    CHECK_FALSE(fs::exists(dir / "vault.db.next"));
    CHECK_FALSE(fs::exists(dir / "vault.alt.db.next"));
    CHECK(read_file(dir / "vault.db") == db);
    // A copy under the slot's key (interrupted after it): it replaces vault.db.
    fs::copy_file(dir / "vault.db", dir / "vault.db.next");
    fs::create_hard_link(dir / "vault.db", tmp / "old-db");
    REQUIRE(Vault::open(dir, pw(kPass), kTestPolicy));
    CHECK_FALSE(fs::exists(dir / "vault.db.next"));
    CHECK(read_file(dir / "vault.db") == db);
    CHECK(read_file(tmp / "old-db") != db);  // the replaced file was overwritten
}

TEST_CASE(
    "the vault directory is 0700 and every file in it 0600, whatever the umask, on every "
    "open") {
    TempDir tmp;
    const auto dir = tmp / "v";
    const mode_t old_umask = ::umask(022);
    const auto modes_ok = [&] {
        CHECK((fs::status(dir).permissions() & fs::perms::all) == fs::perms::owner_all);
        for (const auto& e : fs::recursive_directory_iterator(dir)) {
            INFO(e.path().string());
            const auto want = e.is_directory() ? fs::perms::owner_all
                                               : fs::perms::owner_read | fs::perms::owner_write;
            CHECK((e.status().permissions() & fs::perms::all) == want);
        }
    };
    // init into an existing directory others can read.
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
    {
        Session s(std::move(make_vault(dir, kPass).vault));
        s.attach(s.draft(), tmp.path(), "f.bin", random_bytes(1000, 3));
    }
    modes_ok();
    // Loosened behind Svidok's back (a copy, a backup tool): the next unlock makes them private.
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        fs::permissions(e.path(), fs::perms::group_read | fs::perms::others_read,
                        fs::perm_options::add);
    }
    fs::permissions(dir, fs::perms::others_exec, fs::perm_options::add);
    REQUIRE(Vault::open(dir, pw(kPass), kTestPolicy));
    modes_ok();
    ::umask(old_umask);
}
