// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli_fixture.h"
#include "crypto/age.h"
#include "crypto/minisign.h"
#include "crypto/signed_note.h"
#include "forms/json.h"
#include "process.h"
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
        CHECK(rec.asked ==
              std::vector{cli::SecretKind::recovery_code, cli::SecretKind::new_passphrase});
        CHECK(store::Vault::open(tmp / "v", crypto::as_bytes("third passphrase!!"),
                                 {.enforce_kdf_floor = false})
                  .has_value());
    }
    SUBCASE("passwd --rekey and recover --new-code print a new code; the old one stops working") {
        ScriptedSecrets p{"correct horse battery", "second passphrase!"};
        auto r = cli_run({"--vault", vault, "passwd", "--rekey"}, &p);
        REQUIRE_MESSAGE(r.code == 0, r.err);
        CHECK(p.asked == std::vector{cli::SecretKind::passphrase, cli::SecretKind::new_passphrase});
        const auto rekeyed = recovery_code_from(r.out);
        CHECK(rekeyed != code);
        CHECK_FALSE(fs::exists(tmp / "v" / "vault.db.next"));
        ScriptedSecrets old{code, "third passphrase!!"};
        CHECK(cli_run({"--vault", vault, "recover"}, &old).code == 3);

        ScriptedSecrets n{"second passphrase!"};
        auto again = cli_run({"--vault", vault, "recover", "--new-code"}, &n);
        REQUIRE_MESSAGE(again.code == 0, again.err);
        const auto rotated = recovery_code_from(again.out);
        CHECK(rotated != rekeyed);
        ScriptedSecrets stale{rekeyed, "third passphrase!!"};
        CHECK(cli_run({"--vault", vault, "recover"}, &stale).code == 3);
        ScriptedSecrets rec{rotated, "third passphrase!!"};
        auto rr = cli_run({"--vault", vault, "recover"}, &rec);
        REQUIRE_MESSAGE(rr.code == 0, rr.err);
        ScriptedSecrets misuse{"third passphrase!!"};
        CHECK(cli_run({"--vault", vault, "passwd", "--clear-duress"}, &misuse).code == 2);
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
    ScriptedSecrets never{"a prompt answer that must not be used"};
    auto init = cli_run({"--vault", vault, "--passphrase-file", pass, "init"}, &never);
    REQUIRE_MESSAGE(init.code == 0, init.err);
    CHECK(never.asked.empty());  // the file is the passphrase; the terminal is not asked
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
    auto missing =
        cli_run({"--vault", vault, "--passphrase-file", (tmp / "nope").string(), "passwd"});
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
    CHECK(cli_run({"identity", "extra"}).err.find("unexpected argument extra") !=
          std::string::npos);
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

TEST_CASE("identity prints public keys that parse back and match the vault") {
    TempDir tmp;
    auto vault = (tmp / "v").string();
    ScriptedSecrets s{"correct horse battery"};
    auto init = cli_run({"--vault", vault, "init"}, &s);
    REQUIRE(init.code == 0);
    ScriptedSecrets s2{"correct horse battery"};
    auto text = cli_run({"--vault", vault, "identity"}, &s2);
    REQUIRE_MESSAGE(text.code == 0, text.err);
    auto fpr_at = init.out.find("Fingerprint: ");
    CHECK(text.out.starts_with(init.out.substr(fpr_at, 13 + 29)));

    std::optional<store::Identity> id;
    {
        auto v = store::Vault::open(tmp / "v", crypto::as_bytes("correct horse battery"),
                                    {.enforce_kdf_floor = false});
        REQUIRE(v);
        auto got = v->identity();
        REQUIRE(got);
        id.emplace(std::move(*got));
    }  // closed again, so the CLI below can open it
    // The minisign public key file, exactly.
    auto file_at = text.out.find("untrusted comment: minisign public key ");
    REQUIRE(file_at != std::string::npos);
    auto file_end = text.out.find('\n', text.out.find('\n', file_at) + 1) + 1;
    auto pub = crypto::minisign::PublicKey::parse(text.out.substr(file_at, file_end - file_at));
    REQUIRE(pub);
    CHECK(pub->key_id == id->sign_key_id);
    CHECK(pub->pk == id->sign_pk());
    // The age recipient.
    auto age_at = text.out.find("age1");
    REQUIRE(age_at != std::string::npos);
    auto rcpt = crypto::X25519Recipient::parse(
        text.out.substr(age_at, text.out.find('\n', age_at) - age_at));
    REQUIRE(rcpt);
    CHECK(rcpt->pk == id->x25519_pk());
    // The signed-note verifier key names the pseudonymous origin.
    auto vk_at = text.out.find("svidok.device/");
    REQUIRE(vk_at != std::string::npos);
    auto vk =
        crypto::parse_verifier_key(text.out.substr(vk_at, text.out.find('\n', vk_at) - vk_at));
    REQUIRE(vk);
    CHECK(vk->name == id->log_origin());

    ScriptedSecrets s3{"correct horse battery"};
    auto json = cli_run({"--vault", vault, "identity", "--json"}, &s3);
    REQUIRE(json.code == 0);
    auto parsed = forms::json::parse(json.out);
    REQUIRE_MESSAGE(parsed, json.out);
    CHECK(parsed->find("age_recipient")->as_string() == rcpt->to_string());
    CHECK(parsed->find("minisign_public_key")->as_string() == pub->to_base64());
    CHECK(parsed->find("fingerprint")->as_string() == id->fingerprint());
}

TEST_CASE("a file the real age tool encrypts to the vault's recipient opens with the vault's key") {
    if (!tool_available("/usr/bin/age")) return;
    TempDir tmp;
    auto created =
        store::Vault::create(tmp / "v", crypto::as_bytes("correct horse battery"),
                             {crypto::KdfParams{1, 64u << 10}, {.enforce_kdf_floor = false}});
    REQUIRE(created);
    auto id = created->vault.identity();
    REQUIRE(id);
    auto recipient = crypto::X25519Recipient{id->x25519_pk()}.to_string();
    write_file(tmp / "msg", "свідчення: test message\n");
    auto enc = run_process(
        {"/usr/bin/age", "-r", recipient, "-o", (tmp / "msg.age").string(), (tmp / "msg").string()},
        {}, tmp.path());
    REQUIRE_MESSAGE(enc.exit_code == 0, enc.err);
    auto identity = crypto::X25519Identity::from_secret(id->x25519_sk.span());
    REQUIRE(identity);
    std::array<crypto::X25519Identity, 1> ids{std::move(*identity)};
    auto plain = crypto::age_decrypt(crypto::AgeIdentities{ids, nullptr},
                                     crypto::as_bytes(read_file(tmp / "msg.age")));
    REQUIRE(plain);
    CHECK(plain->view() == "свідчення: test message\n");
}
