// SPDX-License-Identifier: GPL-3.0-or-later
// The duress passphrase and the decoy database (docs/FORMAT.md 2 and 16).

#include <sodium.h>

#include "crypto/aead.h"
#include "session_fixture.h"
#include "store/keyslots.h"
#include "store/recovery_code.h"
#include "vault_layer.h"  // private: one test makes a vault as old builds left it, without the decoy's key

using namespace svidok;
using namespace svidok::test;
using store::SlotKind;
using store::Vault;

namespace {

constexpr std::string_view kPass = "correct horse battery";
constexpr std::string_view kDuress = "a duress passphrase";

Result<Vault> real(const fs::path& dir) {
    return Vault::open(dir, pw(kPass), kTestPolicy);
}
Result<Vault> duress(const fs::path& dir) {
    return Vault::open(dir, pw(kDuress), kTestPolicy);
}
Result<Vault> prepare(const fs::path& dir) {
    return Vault::open_decoy(dir, pw(kPass), kTestPolicy);
}

std::string slot(const std::string& keys, std::size_t i) {
    return keys.substr(store::kKeysHeaderBytes + i * store::kSlotBytes, store::kSlotBytes);
}

std::string fingerprint(Vault& v) {
    auto id = v.identity();
    REQUIRE(id);
    return id->fingerprint();
}

/// A vault with one sealed record in the real database and one in the decoy; returns
/// {real record, decoy record, recovery code}.
struct Prepared {
    store::RecordId real_record{}, decoy_record{};
    std::string code, real_fpr, decoy_fpr;
};

Prepared prepared_vault(const fs::path& dir, bool destroy) {
    Prepared p;
    {
        auto c = make_vault(dir, kPass);
        p.code = std::string(c.recovery_code.view());
        Session s(std::move(c.vault));
        p.real_record = s.sealed();
        p.real_fpr = fingerprint(s.vault);
        REQUIRE(s.vault.set_duress(pw(kDuress), destroy));
    }
    Session d(prepare(dir));
    CHECK(d.vault.is_decoy_session());
    CHECK(d.vault.opened_with() == SlotKind::passphrase);
    p.decoy_record = d.sealed();
    p.decoy_fpr = fingerprint(d.vault);
    return p;
}

}  // namespace

TEST_CASE("set and clear rewrite slot 2 only; the file's size and header never change") {
    TempDir tmp;
    const auto dir = tmp / "v";
    auto c = make_vault(dir, kPass);
    const auto none = read_file(dir / "vault.keys");
    REQUIRE(c.vault.set_duress(pw(kDuress), false));
    const auto set = read_file(dir / "vault.keys");
    REQUIRE(c.vault.set_duress(pw(kDuress), true));
    const auto set_destroy = read_file(dir / "vault.keys");
    REQUIRE(c.vault.clear_duress());
    const auto cleared = read_file(dir / "vault.keys");
    const std::string header = none.substr(0, store::kKeysHeaderBytes);
    for (const auto* k : {&set, &set_destroy, &cleared}) {
        CHECK(k->size() == store::kKeysFileBytes);
        CHECK(k->substr(0, store::kKeysHeaderBytes) == header);
        for (std::size_t i : {0u, 1u, 3u}) CHECK(slot(*k, i) == slot(none, i));
    }
    CHECK(slot(set, 2) != slot(none, 2));
    CHECK(slot(set_destroy, 2) != slot(set, 2));
    CHECK(slot(cleared, 2) != slot(set_destroy, 2));
    CHECK(slot(cleared, 2) != slot(none, 2));
    CHECK_FALSE(fs::exists(dir / "vault.keys.tmp"));
    // Every vault holds both databases and a counter, with a duress passphrase or without.
    CHECK(fs::exists(dir / "vault.alt.db"));
    CHECK(fs::exists(dir / "vault.guard"));
    CHECK(c.vault.duress_status().value().set == false);
}

TEST_CASE("the duress passphrase is checked: rules, not the real one, only in a real session") {
    TempDir tmp;
    const auto dir = tmp / "v";
    std::string code;
    {
        auto c = make_vault(dir, kPass);
        code = std::string(c.recovery_code.view());
        const auto before = read_file(dir / "vault.keys");
        auto same = c.vault.set_duress(pw(kPass), true);
        REQUIRE_FALSE(same);
        CHECK(same.error().code == Errc::invalid);
        CHECK(same.error().message ==
              "the duress passphrase must differ from the vault's passphrase");
        CHECK(c.vault.set_duress(pw("too short"), false).error().code == Errc::invalid);
        CHECK(read_file(dir / "vault.keys") == before);
        CHECK(c.vault.duress_status().value().set == false);
        REQUIRE(c.vault.set_duress(pw(kDuress), false));
        auto status = c.vault.duress_status();
        CHECK(status.value().set);
        CHECK_FALSE(status.value().destroys_real);
        // The passphrase can no longer become the duress passphrase.
        auto clash = c.vault.change_passphrase(pw(kDuress));
        REQUIRE_FALSE(clash);
        CHECK(clash.error().message == "the new passphrase is the duress passphrase");
    }
    {
        auto d = duress(dir);
        REQUIRE(d);
        CHECK(d->set_duress(pw("another duress one"), false).error().code == Errc::usage);
        CHECK(d->clear_duress().error().code == Errc::usage);
        CHECK(d->duress_status().value().set == false);  // the decoy knows of none
    }
    {
        auto p = prepare(dir);
        REQUIRE(p);
        CHECK(p->set_duress(pw("another duress one"), false).error().code == Errc::usage);
        CHECK(p->change_passphrase(pw("another passphrase 1")).error().code == Errc::usage);
        CHECK(p->set_wipe_after(3).error().code == Errc::usage);
    }
    {
        auto r = Vault::open_with_recovery(dir, code, kTestPolicy);
        REQUIRE(r);
        REQUIRE(r->set_duress(pw(kDuress), true));
        CHECK(r->duress_status().value().destroys_real);
    }
}

TEST_CASE(
    "the duress passphrase opens the decoy, looking like a normal unlock; the real vault stays") {
    TempDir tmp;
    const auto dir = tmp / "v";
    const auto p = prepared_vault(dir, /*destroy=*/false);
    CHECK(p.real_fpr != p.decoy_fpr);
    const auto keys_before = read_file(dir / "vault.keys");
    {
        Session d(duress(dir));
        CHECK(d.vault.opened_with() == SlotKind::passphrase);
        CHECK_FALSE(d.vault.is_decoy_session());
        CHECK(d.vault.notices().empty());
        CHECK(d.ids() == std::vector{p.decoy_record});
        CHECK(fingerprint(d.vault) == p.decoy_fpr);
        CHECK(real(dir).error().code == Errc::io);  // one session at a time
    }
    CHECK(read_file(dir / "vault.keys") == keys_before);
    Session r(real(dir));
    CHECK(r.ids() == std::vector{p.real_record});
    CHECK(fingerprint(r.vault) == p.real_fpr);
    CHECK(r.vault.duress_status().value().set);
}

TEST_CASE(
    "with destroy: after one duress unlock neither the passphrase nor the recovery code opens") {
    TempDir tmp;
    const auto dir = tmp / "v";
    const auto p = prepared_vault(dir, /*destroy=*/true);
    const auto before = read_file(dir / "vault.keys");
    // A hard link keeps the replaced file's blocks reachable: they must be random afterwards.
    fs::create_hard_link(dir / "vault.keys", tmp / "old-keys");
    {
        Session d(duress(dir));
        CHECK(d.ids() == std::vector{p.decoy_record});
        CHECK(d.vault.opened_with() == SlotKind::passphrase);
    }
    const auto after = read_file(dir / "vault.keys");
    CHECK(after.size() == before.size());
    CHECK(after.substr(0, store::kKeysHeaderBytes) == before.substr(0, store::kKeysHeaderBytes));
    CHECK(slot(after, 2) == slot(before, 2));
    for (std::size_t i : {0u, 1u, 3u}) CHECK(slot(after, i) != slot(before, i));
    const auto old_blocks = read_file(tmp / "old-keys");
    CHECK(old_blocks.size() == before.size());
    CHECK(old_blocks.substr(0, 8) != "SVIDOKKS");
    CHECK(slot(old_blocks, 0) != slot(before, 0));

    auto r = real(dir);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::auth_failed);
    CHECK(r.error().message == "wrong passphrase");
    CHECK(Vault::open_with_recovery(dir, p.code, kTestPolicy).error().code == Errc::auth_failed);
    CHECK(prepare(dir).error().code == Errc::auth_failed);
    // The real database is still there, as ciphertext nobody can open; the decoy still opens.
    CHECK(fs::exists(dir / "vault.db"));
    Session again(duress(dir));
    CHECK(again.ids() == std::vector{p.decoy_record});
}

TEST_CASE("preparing the decoy takes only the real passphrase and never triggers the duress") {
    TempDir tmp;
    const auto dir = tmp / "v";
    prepared_vault(dir, /*destroy=*/true);
    const auto before = read_file(dir / "vault.keys");
    auto p = Vault::open_decoy(dir, pw(kDuress), kTestPolicy);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == Errc::auth_failed);
    CHECK(read_file(dir / "vault.keys") == before);
    CHECK(real(dir).has_value());
}

TEST_CASE("a passphrase change in a duress session rewraps the duress slot with its flags") {
    TempDir tmp;
    const auto dir = tmp / "v";
    const auto p = prepared_vault(dir, /*destroy=*/false);
    {
        auto d = duress(dir);
        REQUIRE(d);
        CHECK(d->change_passphrase(pw(kPass)).error().code == Errc::invalid);  // the real one
        REQUIRE(d->change_passphrase(pw("the new duress phrase")));
    }
    CHECK(duress(dir).error().code == Errc::auth_failed);
    {
        Session d(Vault::open(dir, pw("the new duress phrase"), kTestPolicy));
        CHECK(d.ids() == std::vector{p.decoy_record});
    }
    Session r(real(dir));
    CHECK(r.ids() == std::vector{p.real_record});
    // Kind and flags kept: the slot still opens as a duress slot without the destroy flag.
    auto keys = Vault::read_keys(dir);
    REQUIRE(keys);
    static constexpr std::array kinds{SlotKind::duress};
    auto opened = keys->open(*keys->passphrase_kek(pw("the new duress phrase")), kinds);
    REQUIRE(opened);
    CHECK(opened->index == store::kDuressSlot);
    CHECK(opened->flags == 0);
}

TEST_CASE("the destroy flag survives a passphrase change in the duress session") {
    TempDir tmp;
    const auto dir = tmp / "v";
    prepared_vault(dir, /*destroy=*/true);
    {
        auto d = duress(dir);  // destroys the real slots now
        REQUIRE(d);
        REQUIRE(d->change_passphrase(pw("the new duress phrase")));
    }
    auto keys = Vault::read_keys(dir);
    static constexpr std::array kinds{SlotKind::duress};
    auto opened = keys->open(*keys->passphrase_kek(pw("the new duress phrase")), kinds);
    REQUIRE(opened);
    CHECK(opened->flags == store::kFlagDestroyOthers);
}

TEST_CASE("opening either database never deletes the other's attachment files") {
    TempDir tmp;
    const auto dir = tmp / "v";
    std::string real_blob, decoy_blob;
    store::RecordId real_id{}, decoy_id{};
    const std::string real_content = random_bytes(70000, 7), decoy_content = random_bytes(3000, 8);
    {
        auto c = make_vault(dir, kPass);
        Session s(std::move(c.vault));
        real_id = s.draft();
        real_blob = s.attach(real_id, tmp.path(), "real.bin", real_content);
        REQUIRE(s.vault.set_duress(pw(kDuress), false));
    }
    {
        Session d(prepare(dir));
        decoy_id = d.draft();
        decoy_blob = d.attach(decoy_id, tmp.path(), "decoy.bin", decoy_content);
        CHECK(d.blobs() == std::set{real_blob, decoy_blob});
    }
    const std::string orphan = "00112233445566778899aabbccddeeff";
    auto leftovers = [&] {
        write_file(dir / "attachments" / orphan, "a blob no database names");
        write_file(dir / "attachments" / "ffeeddccbbaa99887766554433221100.partial", "crash");
    };
    auto extracts = [&](Session& s, const store::RecordId& id, const std::string& content,
                        const std::string& name) {
        auto files = s.attachments.list(id);
        REQUIRE(files);
        REQUIRE(files->size() == 1);
        const auto out = tmp / ("out-" + name);
        fs::remove(out);
        REQUIRE(s.attachments.extract(id, (*files)[0].sha256, out));
        CHECK(read_file(out) == content);
    };
    SUBCASE("the decoy, prepared or behind the duress passphrase, removes only partial files") {
        for (int i = 0; i < 2; ++i) {
            leftovers();
            Session d(i == 0 ? prepare(dir) : duress(dir));
            CHECK(d.blobs() == std::set{real_blob, decoy_blob, orphan});
            extracts(d, decoy_id, decoy_content, "decoy");
        }
    }
    SUBCASE("the real database keeps the decoy's files and removes true orphans") {
        leftovers();
        Session r(real(dir));
        CHECK(r.blobs() == std::set{real_blob, decoy_blob});
        extracts(r, real_id, real_content, "real");
    }
    SUBCASE("with the decoy unreadable, the real database keeps every unknown file") {
        leftovers();
        write_file(dir / "vault.alt.db", random_bytes(8192, 9));
        Session r(real(dir));
        CHECK(r.blobs() == std::set{real_blob, decoy_blob, orphan});
        REQUIRE(r.vault.notices().size() == 1);
        CHECK(r.vault.notices()[0].find("the decoy database could not be read") == 0);
    }
}

TEST_CASE("a vault from before the decoy gets one at its first unlock, with a key of its own") {
    TempDir tmp;
    const auto dir = tmp / "v";
    std::string code;
    {
        auto c = make_vault(dir, kPass);
        code = std::string(c.recovery_code.view());
        REQUIRE(store::detail::database(c.vault).exec("DELETE FROM meta WHERE key = 'alt_key'"));
    }
    fs::remove(dir / "vault.alt.db");
    SUBCASE("with the passphrase") {
        CHECK(real(dir).has_value());
    }
    SUBCASE("with the recovery code") {
        CHECK(Vault::open_with_recovery(dir, code, kTestPolicy).has_value());
    }
    CHECK(fs::exists(dir / "vault.alt.db"));
    {
        auto r = real(dir);
        REQUIRE(r);
        REQUIRE(r->set_duress(pw(kDuress), false));
    }
    Session d(duress(dir));
    CHECK(d.ids().empty());
}

TEST_CASE("a decoy database lost from the directory is rebuilt, empty, under the same key") {
    TempDir tmp;
    const auto dir = tmp / "v";
    prepared_vault(dir, false);
    fs::remove(dir / "vault.alt.db");
    { CHECK(real(dir).has_value()); }
    Session d(duress(dir));
    CHECK(d.ids().empty());
}

TEST_CASE("the duress passphrase resets the failed-attempt count like any right secret") {
    TempDir tmp;
    const auto dir = tmp / "v";
    prepared_vault(dir, false);
    {
        auto r = real(dir);
        REQUIRE(r->set_wipe_after(3));
    }
    CHECK_FALSE(Vault::open(dir, pw("not the passphrase 1"), kTestPolicy));
    CHECK_FALSE(Vault::open(dir, pw("not the passphrase 1"), kTestPolicy));
    CHECK(Vault::failed_attempts(dir).value() == store::GuardState{3, 2});
    {
        auto d = duress(dir);
        REQUIRE(d);
        CHECK(d->wipe_after() == 3);
    }
    CHECK(Vault::failed_attempts(dir).value() == store::GuardState{3, 0});
}

TEST_CASE("a slot that opens with unknown flags or reserved bytes is refused, not skipped") {
    const std::array<unsigned char, 32> kek_bytes{1, 2, 3};
    const auto kek = crypto::SecureBuffer::copy_of(kek_bytes);
    const auto key = crypto::SecureBuffer::copy_of(std::array<unsigned char, 32>{9});
    auto keys = store::KeysFile::create(kFastKdf, store::VaultId{});
    static constexpr std::array kinds{SlotKind::passphrase, SlotKind::duress};
    keys.seal(2, SlotKind::duress, kek, key, store::kFlagDestroyOthers);
    auto ok = keys.open(kek, kinds);
    REQUIRE(ok);
    CHECK(ok->kind == SlotKind::duress);
    CHECK(ok->flags == store::kFlagDestroyOthers);
    CHECK(ok->data_key.equals(key.span()));

    // Hand-made slots: the same AEAD as the writer, with plaintexts it refuses to write.
    auto forged = [&](std::array<unsigned char, 8> prefix) {
        std::vector<unsigned char> b(keys.bytes().begin(), keys.bytes().end());
        std::array<unsigned char, store::kSlotPlaintextBytes> pt{};
        std::copy(prefix.begin(), prefix.end(), pt.begin());
        unsigned char* slot = b.data() + store::kKeysHeaderBytes + 1 * store::kSlotBytes;
        randombytes_buf(slot, crypto::kXNonceBytes);
        std::array<unsigned char, store::kKeysHeaderBytes + 1> ad{};
        std::copy(b.begin(), b.begin() + store::kKeysHeaderBytes, ad.begin());
        ad[store::kKeysHeaderBytes] = 1;
        crypto::xchacha_seal(
            std::span(slot + crypto::kXNonceBytes, store::kSlotBytes - crypto::kXNonceBytes), pt,
            ad, std::span<const unsigned char, crypto::kXNonceBytes>(slot, crypto::kXNonceBytes),
            std::span<const unsigned char, 32>(kek.data(), 32));
        crypto_generichash(b.data() + 384, 32, b.data(), 384, nullptr, 0);
        auto parsed = store::KeysFile::parse(b);
        REQUIRE(parsed);
        return parsed->open(kek, kinds);
    };
    keys.clear(2);
    CHECK(forged({1, 0, 0, 0, 0, 0, 0, 0}).value().kind == SlotKind::passphrase);
    CHECK(forged({3, 2, 0, 0, 0, 0, 0, 0}).error().code == Errc::unsupported);  // unknown flag
    CHECK(forged({1, 1, 0, 0, 0, 0, 0, 0}).error().code == Errc::unsupported);  // flag of kind 3
    CHECK(forged({1, 0, 0, 0, 0, 0, 0, 5}).error().code == Errc::unsupported);  // reserved byte
    CHECK(forged({4, 0, 0, 0, 0, 0, 0, 0}).error().code == Errc::unsupported);  // unknown kind
    CHECK(forged({3, 1, 0, 0, 0, 0, 0, 0}).value().flags == store::kFlagDestroyOthers);
}
