// SPDX-License-Identifier: GPL-3.0-or-later
// The failed-attempt limit (docs/FORMAT.md 15.2): off by default, exact, reset by a right
// secret, and a damaged counter blocks nothing and wipes nothing.

#include <sodium.h>

#include "store/guard.h"
#include "store/recovery_code.h"
#include "vault_fixture.h"

using namespace svidok;
using namespace svidok::test;
using store::GuardState;
using store::Vault;

namespace {

constexpr std::string_view kPass = "correct horse battery";

Result<Vault> wrong(const fs::path& dir) {
    return Vault::open(dir, pw("not the passphrase 1"), kTestPolicy);
}
Result<Vault> right(const fs::path& dir) {
    return Vault::open(dir, pw(kPass), kTestPolicy);
}

GuardState counter(const fs::path& dir) {
    auto g = Vault::failed_attempts(dir);
    REQUIRE_MESSAGE(g, g.error().message);
    return *g;
}

/// A vault with the given limit, closed.
void vault_with_limit(const fs::path& dir, unsigned limit) {
    auto c = make_vault(dir, kPass);
    REQUIRE(c.vault.set_wipe_after(limit));
    CHECK(c.vault.wipe_after() == limit);
}

std::vector<unsigned char> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}

std::vector<unsigned char> with_checksum(std::vector<unsigned char> b) {
    crypto_generichash(b.data() + 32, 32, b.data(), 32, nullptr, 0);
    return b;
}

}  // namespace

TEST_CASE("off by default: wrong passphrases count nothing and change nothing") {
    TempDir tmp;
    const auto dir = tmp / "v";
    { make_vault(dir, kPass); }
    CHECK(fs::file_size(dir / "vault.guard") == store::kGuardFileBytes);
    CHECK(counter(dir) == GuardState{0, 0});
    const auto before = snapshot(dir);
    for (int i = 0; i < 5; ++i) CHECK(wrong(dir).error().message == "wrong passphrase");
    CHECK(snapshot(dir) == before);
    CHECK(right(dir).has_value());
}

TEST_CASE("exactly N wrong passphrases in a row wipe the vault") {
    TempDir tmp;
    const auto dir = tmp / "v";
    vault_with_limit(dir, 3);
    CHECK(counter(dir) == GuardState{3, 0});
    CHECK(wrong(dir).error().code == Errc::auth_failed);
    CHECK(counter(dir) == GuardState{3, 1});
    CHECK(wrong(dir).error().code == Errc::auth_failed);
    CHECK(counter(dir) == GuardState{3, 2});
    CHECK(fs::exists(dir / "vault.keys"));
    auto third = wrong(dir);
    REQUIRE_FALSE(third);
    CHECK(third.error().code == Errc::auth_failed);
    CHECK(third.error().message ==
          "wrong passphrase; this was failed attempt 3 of 3, so the vault was wiped as its "
          "settings asked");
    CHECK_FALSE(fs::exists(dir));
    CHECK(right(dir).error().code == Errc::not_found);
}

TEST_CASE("N-1 wrong passphrases and then the right one: the vault opens and the count restarts") {
    TempDir tmp;
    const auto dir = tmp / "v";
    vault_with_limit(dir, 3);
    for (int round = 0; round < 3; ++round) {
        CHECK_FALSE(wrong(dir));
        CHECK_FALSE(wrong(dir));
        CHECK(counter(dir) == GuardState{3, 2});
        {
            auto v = right(dir);
            REQUIRE_MESSAGE(v, v.error().message);
            CHECK(v->notices().empty());
            CHECK(v->wipe_after() == 3);
        }
        CHECK(counter(dir) == GuardState{3, 0});
    }
    CHECK(fs::exists(dir / "vault.db"));
}

TEST_CASE("a limit of 1 wipes at the first wrong passphrase; off turns it off") {
    TempDir tmp;
    vault_with_limit(tmp / "one", 1);
    CHECK(wrong(tmp / "one").error().message.find("wiped") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp / "one"));

    vault_with_limit(tmp / "off", 2);
    {
        auto v = right(tmp / "off");
        REQUIRE(v);
        REQUIRE(v->set_wipe_after(0));
        CHECK(v->wipe_after() == 0);
        CHECK(v->set_wipe_after(100).error().code == Errc::invalid);
        CHECK(v->wipe_after() == 0);
    }
    for (int i = 0; i < 4; ++i) CHECK_FALSE(wrong(tmp / "off"));
    CHECK(counter(tmp / "off") == GuardState{0, 0});
}

TEST_CASE("wrong recovery codes count; mistyped ones and other errors do not") {
    TempDir tmp;
    const auto dir = tmp / "v";
    std::string code;
    {
        auto c = make_vault(dir, kPass);
        code = std::string(c.recovery_code.view());
        REQUIRE(c.vault.set_wipe_after(2));
    }
    std::string typo = code;
    typo[0] = typo[0] == 'A' ? 'B' : 'A';
    for (int i = 0; i < 3; ++i) {
        CHECK(Vault::open_with_recovery(dir, typo, kTestPolicy).error().code == Errc::invalid);
    }
    CHECK(counter(dir) == GuardState{2, 0});
    // A weak-KDF refusal (the shipped floor) is not a wrong secret either.
    CHECK(Vault::open(dir, pw("not the passphrase 1")).error().code == Errc::invalid);
    CHECK(counter(dir) == GuardState{2, 0});
    auto other = std::string(store::format_recovery_code(store::generate_recovery_secret()).view());
    CHECK(Vault::open_with_recovery(dir, other, kTestPolicy).error().code == Errc::auth_failed);
    CHECK(counter(dir) == GuardState{2, 1});
    CHECK(Vault::open_with_recovery(dir, code, kTestPolicy).has_value());
    CHECK(counter(dir) == GuardState{2, 0});
    CHECK_FALSE(Vault::open_with_recovery(dir, other, kTestPolicy));
    auto last = wrong(dir);
    CHECK(last.error().message.find("wiped") != std::string::npos);
    CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("a damaged counter blocks nothing, wipes nothing, and the next unlock restores it") {
    TempDir tmp;
    const auto dir = tmp / "v";
    vault_with_limit(dir, 2);
    write_file(dir / "vault.guard", "garbage");
    auto read = Vault::failed_attempts(dir);
    REQUIRE_FALSE(read);
    CHECK(read.error().code == Errc::corrupt);
    CHECK(read.error().hint.find("blocks nothing") != std::string::npos);
    for (int i = 0; i < 4; ++i) CHECK(wrong(dir).error().message == "wrong passphrase");
    CHECK(read_file(dir / "vault.guard") == "garbage");
    {
        auto v = right(dir);
        REQUIRE_MESSAGE(v, v.error().message);
        REQUIRE(v->notices().size() == 1);
        CHECK(v->notices()[0].find("vault.guard was unusable") == 0);
        CHECK(v->notices()[0].find("restored from the vault: wipe after 2 failed attempts") !=
              std::string::npos);
    }
    CHECK(counter(dir) == GuardState{2, 0});
}

TEST_CASE("an edited or deleted counter is restored from the vault at the next unlock") {
    TempDir tmp;
    const auto dir = tmp / "v";
    vault_with_limit(dir, 5);
    SUBCASE("turned off by editing the file") {
        REQUIRE(store::write_guard(dir, GuardState{0, 0}));
        CHECK_FALSE(wrong(dir));
        CHECK(counter(dir) == GuardState{0, 0});
        auto v = right(dir);
        REQUIRE(v);
        REQUIRE(v->notices().size() == 1);
        CHECK(v->notices()[0] ==
              "vault.guard said no failed-attempt limit, which is not the setting stored in the "
              "vault; it was restored from the vault: wipe after 5 failed attempts");
    }
    SUBCASE("deleted") {
        fs::remove(dir / "vault.guard");
        CHECK(counter(dir) == GuardState{0, 0});
        auto v = right(dir);
        REQUIRE(v);
        REQUIRE(v->notices().size() == 1);
        CHECK(v->notices()[0].find("vault.guard was missing") == 0);
    }
    CHECK(counter(dir) == GuardState{5, 0});
}

TEST_CASE("a vault without vault.guard (made before it existed) gets one at unlock, silently") {
    TempDir tmp;
    const auto dir = tmp / "v";
    { make_vault(dir, kPass); }
    fs::remove(dir / "vault.guard");
    {
        auto v = right(dir);
        REQUIRE(v);
        CHECK(v->notices().empty());
    }
    CHECK(fs::file_size(dir / "vault.guard") == store::kGuardFileBytes);
    CHECK(counter(dir) == GuardState{0, 0});
}

TEST_CASE("vault.guard bytes: layout, round trip, every damage reported") {
    const auto enc = store::encode_guard(GuardState{7, 3});
    const std::vector<unsigned char> b(enc.begin(), enc.end());
    CHECK(std::string(b.begin(), b.begin() + 8) == "SVIDOKGD");
    CHECK(b[8] == 1);
    CHECK(b[12] == 7);
    CHECK(b[16] == 3);
    CHECK(store::parse_guard(b).value() == GuardState{7, 3});
    for (std::size_t i = 0; i < b.size(); ++i) {
        auto bad = b;
        bad[i] ^= static_cast<unsigned char>(1u << (i % 8));
        auto r = store::parse_guard(bad);
        REQUIRE_FALSE(r);
        CHECK_MESSAGE(r.error().code == Errc::corrupt, "byte " << i);
    }
    for (std::size_t len : {0u, 1u, 32u, 63u}) {
        CHECK(store::parse_guard(std::span(b).first(len)).error().code == Errc::corrupt);
    }
    auto longer = b;
    longer.push_back(0);
    CHECK(store::parse_guard(longer).error().code == Errc::corrupt);
    // Well-formed files with values the format does not allow.
    auto patched = [&](std::size_t off, unsigned char v) {
        auto c = b;
        c[off] = v;
        return store::parse_guard(with_checksum(c));
    };
    CHECK(patched(8, 2).error().code == Errc::unsupported);
    CHECK(patched(12, 100).error().code == Errc::corrupt);  // limit 100
    CHECK(patched(16, 7).error().code == Errc::corrupt);    // failures = limit
    CHECK(patched(12, 0).error().code == Errc::corrupt);    // off with failures
    CHECK(patched(20, 1).error().code == Errc::corrupt);    // reserved
    CHECK(patched(10, 1).error().code == Errc::corrupt);    // reserved
    CHECK(store::parse_guard(bytes_of("")).error().code == Errc::corrupt);
    CHECK(store::parse_guard(store::encode_guard(GuardState{})).value() == GuardState{0, 0});
    CHECK(store::parse_guard(store::encode_guard(GuardState{99, 98})).value() ==
          GuardState{99, 98});
}
