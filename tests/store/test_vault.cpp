// SPDX-License-Identifier: GPL-3.0-or-later
#include <sodium.h>

#include "crypto/hash.h"
#include "store/atomic_file.h"
#include "store/keyslots.h"
#include "store/recovery_code.h"
#include "store/vault_paths.h"
#include "vault_fixture.h"

using namespace svidok;
using namespace svidok::test;
using store::Vault;

namespace {

std::string fresh_code() {
    auto code = store::format_recovery_code(store::generate_recovery_secret());
    return std::string(code.view());
}

}  // namespace

TEST_CASE("create, lock and unlock keep the same identity") {
    TempDir tmp;
    auto dir = tmp / "vault";
    std::string fpr;
    {
        auto created = make_vault(dir);
        CHECK(created.recovery_code.size() == store::kRecoveryCodeChars);
        auto id = created.vault.identity();
        REQUIRE(id);
        fpr = id->fingerprint();
        CHECK(fpr.size() == 29);
        CHECK(fs::exists(dir / "vault.keys"));
        CHECK(fs::exists(dir / "vault.db"));
        CHECK(fs::file_size(dir / "vault.keys") == store::kKeysFileBytes);
        CHECK((fs::status(dir).permissions() & fs::perms::group_all) == fs::perms::none);
    }  // locked: the vault object is gone
    auto opened = Vault::open(dir, pw("correct horse battery"), kTestPolicy);
    REQUIRE_MESSAGE(opened, opened.error().message);
    CHECK(opened->opened_with() == store::SlotKind::passphrase);
    CHECK(opened->identity()->fingerprint() == fpr);
}

TEST_CASE("wrong passphrase is auth_failed and changes nothing") {
    TempDir tmp;
    auto dir = tmp / "v";
    { make_vault(dir); }
    auto before = snapshot(dir);
    auto r = Vault::open(dir, pw("correct horse batterx"), kTestPolicy);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::auth_failed);
    CHECK(r.error().message == "wrong passphrase");
    CHECK(snapshot(dir) == before);
}

TEST_CASE("passphrase rules") {
    TempDir tmp;
    auto r = Vault::create(tmp / "a", pw("short pass"), {kFastKdf, kTestPolicy});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::invalid);
    CHECK(r.error().message.find("too short") != std::string::npos);
    // 12 Cyrillic letters are 24 bytes but 12 characters: accepted; 11 are refused.
    CHECK(Vault::create(tmp / "b", pw("свідоксвідок"), {kFastKdf, kTestPolicy}).has_value());
    CHECK_FALSE(Vault::create(tmp / "c", pw("свідоксвідо"), {kFastKdf, kTestPolicy}).has_value());
    CHECK(Vault::create(tmp / "d", pw("abcdefghijk\xff"), {kFastKdf, kTestPolicy}).error().code ==
          Errc::invalid);
    CHECK_FALSE(fs::exists(tmp / "a"));
}

TEST_CASE("init refuses a directory that already holds a vault") {
    TempDir tmp;
    { make_vault(tmp / "v"); }
    auto before = snapshot(tmp / "v");
    auto r = Vault::create(tmp / "v", pw("another passphrase"), {kFastKdf, kTestPolicy});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::exists);
    CHECK(snapshot(tmp / "v") == before);
}

TEST_CASE("the shipped floor is enforced unless a test relaxes it through the API") {
    TempDir tmp;
    auto weak = Vault::create(tmp / "v", pw("correct horse battery"), {kFastKdf, {}});
    REQUIRE_FALSE(weak);
    CHECK(weak.error().code == Errc::invalid);
    { make_vault(tmp / "v"); }
    auto r = Vault::open(tmp / "v", pw("correct horse battery"));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::invalid);
    CHECK(r.error().message.find("weaker than the minimum") != std::string::npos);
}

TEST_CASE("passphrase change rewraps only the key slot") {
    TempDir tmp;
    auto dir = tmp / "v";
    std::string fpr;
    {
        auto c = make_vault(dir);
        fpr = c.vault.identity()->fingerprint();
        auto db_before = read_file(dir / "vault.db");
        REQUIRE(c.vault.change_passphrase(pw("a brand new passphrase")));
        CHECK(read_file(dir / "vault.db") == db_before);
        CHECK_FALSE(fs::exists(dir / "vault.keys.tmp"));
        CHECK(c.vault.change_passphrase(pw("too short")).error().code == Errc::invalid);
    }
    CHECK(Vault::open(dir, pw("correct horse battery"), kTestPolicy).error().code ==
          Errc::auth_failed);
    auto v = Vault::open(dir, pw("a brand new passphrase"), kTestPolicy);
    REQUIRE(v);
    CHECK(v->identity()->fingerprint() == fpr);
}

TEST_CASE("recovery code opens the vault and sets a new passphrase") {
    TempDir tmp;
    auto dir = tmp / "v";
    std::string code;
    {
        auto c = make_vault(dir);
        code = std::string(c.recovery_code.view());
    }
    CHECK(code[4] == '-');
    // Typed sloppily: lowercase, spaces instead of dashes.
    std::string typed = code;
    for (auto& ch : typed) ch = ch == '-' ? ' ' : static_cast<char>(std::tolower(ch));
    {
        auto v = Vault::open_with_recovery(dir, typed, kTestPolicy);
        REQUIRE_MESSAGE(v, v.error().message);
        CHECK(v->opened_with() == store::SlotKind::recovery);
        REQUIRE(v->change_passphrase(pw("recovered passphrase 1")));
    }
    CHECK(Vault::open(dir, pw("recovered passphrase 1"), kTestPolicy).has_value());
    CHECK(Vault::open_with_recovery(dir, code, kTestPolicy).has_value());

    SUBCASE("a mistyped code is told apart from a wrong code") {
        std::string typo = code;
        typo[0] = typo[0] == 'A' ? 'B' : 'A';
        auto r = Vault::open_with_recovery(dir, typo, kTestPolicy);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::invalid);
        CHECK(r.error().message.find("mistyped") != std::string::npos);
        auto other = Vault::open_with_recovery(dir, fresh_code(), kTestPolicy);
        REQUIRE_FALSE(other);
        CHECK(other.error().code == Errc::auth_failed);
        CHECK(Vault::open_with_recovery(dir, code.substr(0, 30), kTestPolicy).error().code ==
              Errc::invalid);
    }
    SUBCASE("the passphrase does not open the recovery slot and vice versa") {
        CHECK(Vault::open_with_recovery(dir, "recovered passphrase 1", kTestPolicy).error().code ==
              Errc::invalid);
        CHECK(Vault::open(dir, pw(code), kTestPolicy).error().code == Errc::auth_failed);
    }
}

TEST_CASE("recovery code text round trip, ambiguity folding") {
    for (int i = 0; i < 50; ++i) {
        auto secret = store::generate_recovery_secret();
        auto text = store::format_recovery_code(secret);
        auto back = store::parse_recovery_code(text.view());
        REQUIRE(back);
        CHECK(back->equals(secret.span()));
    }
    auto secret = crypto::SecureBuffer(store::kRecoverySecretBytes);  // all zero: "0000..."
    auto text = std::string(store::format_recovery_code(secret).view());
    for (auto& c : text) c = c == '0' ? 'O' : c;
    CHECK(store::parse_recovery_code(text).has_value());
    CHECK(store::parse_recovery_code("U000-0000").error().code == Errc::invalid);
}

TEST_CASE("every single-byte corruption or truncation of vault.keys is reported as such") {
    TempDir tmp;
    auto dir = tmp / "v";
    { make_vault(dir); }
    const auto original = read_file(dir / "vault.keys");
    const auto db = read_file(dir / "vault.db");
    for (std::size_t i = 0; i < original.size(); ++i) {
        auto bad = original;
        bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
        write_file(dir / "vault.keys", bad);
        auto r = Vault::open(dir, pw("correct horse battery"), kTestPolicy);
        REQUIRE_FALSE(r);
        CHECK_MESSAGE(r.error().code == Errc::corrupt, "byte " << i << ": " << r.error().message);
        CHECK(read_file(dir / "vault.keys") == bad);
        CHECK(read_file(dir / "vault.db") == db);
    }
    for (std::size_t len :
         {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{415}}) {
        write_file(dir / "vault.keys", original.substr(0, len));
        auto r = Vault::open(dir, pw("correct horse battery"), kTestPolicy);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::corrupt);
        CHECK(r.error().message.find("truncated") != std::string::npos);
    }
    write_file(dir / "vault.keys", original + "x");
    CHECK(Vault::open(dir, pw("correct horse battery"), kTestPolicy).error().code == Errc::corrupt);
    write_file(dir / "vault.keys", original);
    CHECK(Vault::open(dir, pw("correct horse battery"), kTestPolicy).has_value());
}

TEST_CASE("a tampered header with a recomputed checksum opens no slot") {
    TempDir tmp;
    auto dir = tmp / "v";
    { make_vault(dir); }
    auto bytes = read_file(dir / "vault.keys");
    bytes[30] ^= 1;  // inside the salt
    std::array<unsigned char, 32> sum{};
    crypto_generichash(sum.data(), sum.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                       384, nullptr, 0);
    std::copy(sum.begin(), sum.end(), bytes.begin() + 384);
    write_file(dir / "vault.keys", bytes);
    CHECK(Vault::open(dir, pw("correct horse battery"), kTestPolicy).error().code ==
          Errc::auth_failed);
}

TEST_CASE("unsupported version and unknown kdf are told apart from damage") {
    auto keys = store::KeysFile::create(kFastKdf, store::VaultId{});
    auto patch = [&](std::size_t off, unsigned char v) {
        std::vector<unsigned char> b(keys.bytes().begin(), keys.bytes().end());
        b[off] = v;
        crypto_generichash(b.data() + 384, 32, b.data(), 384, nullptr, 0);
        return store::KeysFile::parse(b);
    };
    CHECK(patch(8, 2).error().code == Errc::unsupported);
    CHECK(patch(12, 7).error().code == Errc::unsupported);
    CHECK(patch(10, 5).error().code == Errc::corrupt);
    CHECK(patch(14, 1).error().code == Errc::corrupt);
    CHECK(patch(25, 0x01).error().code == Errc::corrupt);  // memlimit far above 4 GiB
}

TEST_CASE("a vault.db that does not match vault.keys is rejected cleanly") {
    TempDir tmp;
    { make_vault(tmp / "a"); }
    { make_vault(tmp / "b"); }
    const auto a_db = read_file(tmp / "a" / "vault.db");
    SUBCASE("another vault's database") {
        write_file(tmp / "a" / "vault.db", read_file(tmp / "b" / "vault.db"));
        auto before = snapshot(tmp / "a");
        auto r = Vault::open(tmp / "a", pw("correct horse battery"), kTestPolicy);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::integrity);
        CHECK(r.error().message.find("does not belong") != std::string::npos);
        CHECK(snapshot(tmp / "a") == before);
    }
    SUBCASE("a damaged database") {
        auto bad = a_db;
        for (std::size_t i = 0; i < 64; ++i) bad[i] = static_cast<char>(~bad[i]);
        write_file(tmp / "a" / "vault.db", bad);
        CHECK(Vault::open(tmp / "a", pw("correct horse battery"), kTestPolicy).error().code ==
              Errc::integrity);
    }
    SUBCASE("a missing database or key file") {
        fs::remove(tmp / "a" / "vault.db");
        auto r = Vault::open(tmp / "a", pw("correct horse battery"), kTestPolicy);
        CHECK(r.error().code == Errc::corrupt);
        CHECK(r.error().message.find("vault.db is missing") != std::string::npos);
        fs::remove(tmp / "b" / "vault.keys");
        auto k = Vault::open(tmp / "b", pw("correct horse battery"), kTestPolicy);
        CHECK(k.error().code == Errc::corrupt);
        CHECK(k.error().message.find("vault.keys is missing") != std::string::npos);
    }
    SUBCASE("no vault at all") {
        auto r = Vault::open(tmp / "nothing", pw("correct horse battery"), kTestPolicy);
        CHECK(r.error().code == Errc::not_found);
        CHECK_FALSE(fs::exists(tmp / "nothing"));
    }
}

TEST_CASE("a second open of the same vault is refused while the first holds it") {
    TempDir tmp;
    auto c = make_vault(tmp / "v");
    auto r = Vault::open(tmp / "v", pw("correct horse battery"), kTestPolicy);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io);
    CHECK(r.error().message.find("another Svidok process") != std::string::npos);
}

TEST_CASE("neither the passphrase nor the data key appears anywhere in the vault directory") {
    TempDir tmp;
    auto dir = tmp / "v";
    const std::string canary = "CANARY-passphrase-7f3a9c";
    { make_vault(dir, canary); }
    auto keys = Vault::read_keys(dir);
    REQUIRE(keys);
    auto kek = keys->passphrase_kek(pw(canary));
    REQUIRE(kek);
    static constexpr std::array kinds{store::SlotKind::passphrase};
    auto slot = keys->open(*kek, kinds);
    REQUIRE(slot);
    std::string raw(slot->data_key.view());
    std::string hex = crypto::to_hex(slot->data_key.span());
    std::string upper = hex;
    for (auto& c : upper) c = static_cast<char>(std::toupper(c));
    CHECK_FALSE(occurs_in_tree(dir, canary));
    CHECK_FALSE(occurs_in_tree(dir, raw.substr(0, 16)));
    CHECK_FALSE(occurs_in_tree(dir, hex.substr(0, 16)));
    CHECK_FALSE(occurs_in_tree(dir, upper.substr(0, 16)));
    CHECK_FALSE(occurs_in_tree(dir, std::string(kek->view()).substr(0, 16)));
}

TEST_CASE("vault directory resolution") {
    CHECK(store::resolve_vault_dir(fs::path("/x/y")).value() == fs::path("/x/y"));
    setenv("SVIDOK_VAULT", "/from/env", 1);
    CHECK(store::resolve_vault_dir(std::nullopt).value() == fs::path("/from/env"));
    unsetenv("SVIDOK_VAULT");
    setenv("XDG_DATA_HOME", "/xdg", 1);
    CHECK(store::resolve_vault_dir(std::nullopt).value() == fs::path("/xdg/svidok"));
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/u", 1);
    CHECK(store::resolve_vault_dir(std::nullopt).value() ==
          fs::path("/home/u/.local/share/svidok"));
}
