// SPDX-License-Identifier: GPL-3.0-or-later
// Sealed witness identities from the command line (docs/FORMAT.md 9.6, 14.1): `recipient seal`
// and `recipient list`; `record seal` refused without a seal recipient, saying what to set and
// changing nothing; `record show` on the device (a placeholder, the marker in --json) and on the
// receiving side (the value with its verdict; another vault's key: not opened; a marker moved to
// another field by the device: damaged, exit 1); the same through the real binary with three
// vaults; and the stock-tool recipe of docs/VERIFYING.md step 11, run as written.
#include <memory>

#include "cli_fixture.h"
#include "field_and_legal.h"
#include "forms/sealed.h"
#include "process.h"
#include "store/vault_fixture.h"

using namespace svidok;
using namespace svidok::test;
namespace json = forms::json;

namespace {

struct Keys {
    std::string fingerprint, minisign, age, origin;
};

Keys keys_of(const std::string& identity_json) {
    auto v = json::parse(identity_json);
    REQUIRE_MESSAGE(v.has_value(), identity_json);
    return {v->find("fingerprint")->as_string(), v->find("minisign_public_key")->as_string(),
            v->find("age_recipient")->as_string(), v->find("log_origin")->as_string()};
}

Keys keys_of(CliVault& v) {
    auto r = v.run({"identity", "--json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return keys_of(r.out);
}

std::string fresh_age_key() {
    return crypto::X25519Identity::generate().recipient().to_string();
}

/// The child-recruitment example's witness details (docs/FORMS.md 6), sealed in these tests.
const std::string kRealName = "Олена Приклад";
const std::string kContact = "через координаторку організації (вигаданий контакт)";

/// A field vault sealing to `legal`, also sending to `third`; both import.
struct ThreeVaults {
    CliVault field, legal, third;
    Keys field_id = keys_of(field), legal_id = keys_of(legal), third_id = keys_of(third);
    ThreeVaults() {
        for (auto [name, k] : {std::pair{"legal", &legal_id}, std::pair{"third", &third_id}}) {
            auto add =
                field.run({"recipient", "add", name, "--age", k->age, "--minisign", k->minisign});
            REQUIRE_MESSAGE(add.code == 0, add.err);
        }
        auto seal = field.run({"recipient", "seal", "legal"});
        REQUIRE_MESSAGE(seal.code == 0, seal.err);
        field.seal_recipient_set = true;
    }
    /// Exports everything undelivered to legal and third; both import it.
    void deliver(const std::string& folder) {
        const fs::path dir = field.tmp / folder;
        fs::create_directories(dir);
        auto ex = field.run({"export", "--to", "legal", "--to", "third", "--out", dir.string()});
        REQUIRE_MESSAGE(ex.code == 0, ex.err);
        for (CliVault* v : {&legal, &third}) {
            auto im = v->run(
                {"import", only_bundle(dir).string(), "--trust-fingerprint", field_id.fingerprint});
            REQUIRE_MESSAGE(im.code == 0, im.err);
        }
    }
};

/// The Python script of docs/VERIFYING.md step 11, as printed there.
std::string open_sealed_script() {
    const std::string doc = read_file(fs::path(SVIDOK_SOURCE_DIR) / "docs" / "VERIFYING.md");
    const auto section = doc.find("## 11. Sealed answers");
    REQUIRE(section != std::string::npos);
    const std::string open = "```python\n";
    const auto start = doc.find(open, section);
    REQUIRE(start != std::string::npos);
    const auto end = doc.find("\n```\n", start + open.size());
    REQUIRE(end != std::string::npos);
    return doc.substr(start + open.size(), end - start - open.size() + 1);
}

}  // namespace

TEST_CASE("recipient seal chooses who sensitive answers are sealed to; list marks them") {
    CliVault v;
    REQUIRE(v.run({"recipient", "add", "legal", "--age", fresh_age_key()}).code == 0);
    REQUIRE(v.run({"recipient", "add", "archive", "--age", fresh_age_key()}).code == 0);

    auto nothing = v.run({"recipient", "seal"});
    CHECK(nothing.code == 2);
    CHECK(has(nothing.err, "give the names of the seal recipients, or --none"));
    auto both = v.run({"recipient", "seal", "legal", "--none"});
    CHECK(both.code == 2);
    auto unknown = v.run({"recipient", "seal", "legal", "nobody"});
    CHECK(unknown.code == 2);
    CHECK(has(unknown.err, "there is no recipient named nobody"));
    auto twice = v.run({"recipient", "seal", "legal", "legal"});
    CHECK(twice.code == 2);
    CHECK(has(twice.err, "named twice"));
    CHECK_FALSE(has(v.run({"recipient", "list"}).out, "seal"));

    auto set = v.run({"recipient", "seal", "legal", "archive"});
    REQUIRE_MESSAGE(set.code == 0, set.err);
    CHECK(has(set.out, "Sensitive answers are now sealed to: legal archive\n"));
    auto list = v.run({"recipient", "list"});
    CHECK(has(list.out, "no receipts  seal\n"));
    CHECK(list.out.find("  seal\n") != list.out.rfind("  seal\n"));  // both lines

    auto remove = v.run({"recipient", "remove", "legal"});
    CHECK(remove.code == 2);
    CHECK(has(remove.err,
              "svidok: error: the recipient legal is one that sensitive answers are "
              "sealed to"));
    CHECK(has(remove.err, "svidok: hint: change the seal recipients first"));

    REQUIRE(v.run({"recipient", "seal", "archive"}).code == 0);
    CHECK(v.run({"recipient", "remove", "legal"}).code == 0);
    auto none = v.run({"recipient", "seal", "--none"});
    REQUIRE(none.code == 0);
    CHECK(has(none.out, "No seal recipients"));
    CHECK_FALSE(has(v.run({"recipient", "list"}).out, "seal"));
    CHECK(has(v.run({"recipient", "seal", "--help"}).out, "recipient seal NAME... | --none"));
}

TEST_CASE("record seal without a seal recipient says what to set and changes nothing") {
    CliVault v;
    const std::string id = v.draft("child-recruitment");
    const auto before = snapshot(v.dir);
    auto refused = v.run({"record", "seal", id});
    CHECK(refused.code == 2);
    CHECK(refused.out.empty());
    CHECK(refused.err ==
          "svidok: error: this record has sensitive answers and no legal team to seal them to\n"
          "svidok: hint: choose the seal recipients: `svidok-cli recipient seal NAME...`\n");
    CHECK(snapshot(v.dir) == before);
    CHECK(has(v.run({"record", "show", id}).out, "Status:  draft"));
}

TEST_CASE("record show: the device shows a placeholder, the legal team the verified value") {
    ThreeVaults t;
    const std::string id = t.field.sealed("child-recruitment");

    // The device: no readable copy, in text or JSON.
    auto mine = t.field.run({"record", "show", id});
    REQUIRE_MESSAGE(mine.code == 0, mine.err);
    CHECK(has(mine.out, "\"real_name\": \"[sealed for the legal team]\""));
    CHECK(has(mine.out, "Sealed for the legal team: 5 answers; this device cannot show them.\n"));
    CHECK_FALSE(has(mine.out, kRealName));
    CHECK_FALSE(has(mine.out, kContact));
    auto mine_json = t.field.run({"record", "show", id, "--json"});
    REQUIRE(mine_json.code == 0);
    auto mj = json::parse(mine_json.out);
    REQUIRE(mj.has_value());
    const json::Value* marker = mj->find("answers")->find("witness")->find("real_name");
    REQUIRE(marker != nullptr);
    CHECK(forms::parse_sealed_marker(*marker).has_value());
    CHECK_FALSE(has(mine_json.out, kRealName));

    t.deliver("out1");

    // The legal team: opened and verified, shown.
    auto legal = t.legal.run({"record", "show", id.substr(0, 12)});
    REQUIRE_MESSAGE(legal.code == 0, legal.err);
    CHECK(has(legal.out, "Received from: " + t.field_id.origin + "\n"));
    CHECK(has(legal.out, "Status:  received\n"));
    // In the order they stand in the signed answers: canonical JSON sorts the members.
    CHECK(has(legal.out,
              "Sealed answers, opened with this vault's key:\n"
              "  victims[0].school: opened and verified\n"
              "  victims[1].school: opened and verified\n"
              "  witness.contact: opened and verified\n"
              "  witness.protection_notes: opened and verified\n"
              "  witness.real_name: opened and verified\n"));
    CHECK(has(legal.out, "\"real_name\": \"" + kRealName + "\""));
    CHECK_FALSE(has(legal.out, "[sealed"));
    auto legal_json = t.legal.run({"record", "show", id, "--json"});
    REQUIRE(legal_json.code == 0);
    auto lj = json::parse(legal_json.out);
    REQUIRE(lj.has_value());
    CHECK(lj->find("answers")->find("witness")->find("real_name")->as_string() == kRealName);
    CHECK(lj->find("origin")->as_string() == t.field_id.origin);
    const auto& sealed = lj->find("sealed")->as_array();
    REQUIRE(sealed.size() == 5);
    CHECK(sealed[1].find("path")->as_string() == "victims[1].school");
    CHECK(sealed[1].find("field")->as_string() == "victims.school");
    CHECK(sealed[4].find("path")->as_string() == "witness.real_name");
    CHECK(sealed[4].find("field")->as_string() == "witness.real_name");
    for (const auto& u : sealed) CHECK(u.find("status")->as_string() == "opened");

    // A third vault that received the same bundle reads the record but not the sealed answers.
    auto third = t.third.run({"record", "show", id});
    REQUIRE_MESSAGE(third.code == 0, third.err);
    CHECK(has(third.out, "  witness.real_name: not opened: not sealed to this vault's key\n"));
    CHECK(has(third.out, "\"real_name\": \"[sealed for the legal team]\""));
    CHECK_FALSE(has(third.out, kRealName));
    auto third_json = t.third.run({"record", "show", id, "--json"});
    auto tj = json::parse(third_json.out);
    REQUIRE(tj.has_value());
    for (const auto& u : tj->find("sealed")->as_array()) {
        CHECK(u.find("status")->as_string() == "not_a_recipient");
    }
    CHECK(forms::is_sealed_marker(*tj->find("answers")->find("witness")->find("real_name")));

    // A device that moves a marker to another field in an amendment signs it, but the legal
    // team sees it is not the value sealed for that field: DAMAGED, exit 1.
    REQUIRE(t.field.run({"record", "amend", id}).code == 0);
    json::Value draft =
        *json::parse(t.field.run({"record", "show", id, "--json"}).out)->find("answers");
    json::Value witness = *draft.find("witness");
    const json::Value contact = *witness.find("contact");
    witness.set("contact", *witness.find("real_name"));
    witness.set("real_name", contact);
    draft.set("witness", witness);
    write_file(t.field.tmp / "swapped.json", json::pretty(draft));
    auto update =
        t.field.run({"record", "update", id, "--json", (t.field.tmp / "swapped.json").string()});
    REQUIRE_MESSAGE(update.code == 0, update.err);
    CHECK(update.err.empty());  // well-formed markers at sensitive fields: valid
    REQUIRE(t.field.run({"record", "seal", id}).code == 0);
    t.deliver("out2");
    auto damaged = t.legal.run({"record", "show", id});
    CHECK(damaged.code == 1);
    CHECK(has(damaged.out,
              "  witness.real_name: DAMAGED: sealed for another field (witness.contact)\n"));
    CHECK(has(damaged.out,
              "  witness.contact: DAMAGED: sealed for another field (witness.real_name)\n"));
    CHECK(has(damaged.out, "  witness.protection_notes: opened and verified\n"));
    CHECK(has(damaged.err, "svidok: error: 2 sealed answers are damaged"));
    CHECK_FALSE(has(damaged.out, kRealName));
    auto damaged_json = t.legal.run({"record", "show", id, "--json"});
    CHECK(damaged_json.code == 1);
    auto dj = json::parse(damaged_json.out);
    REQUIRE(dj.has_value());
    const auto& reports = dj->find("sealed")->as_array();
    REQUIRE(reports.size() == 5);
    CHECK(reports[4].find("path")->as_string() == "witness.real_name");
    CHECK(reports[4].find("status")->as_string() == "damaged");
    CHECK(reports[4].find("problem")->as_string() == "sealed for another field (witness.contact)");
    CHECK(reports[3].find("problem") == nullptr);
}

TEST_CASE("the stock-tool recipe of VERIFYING.md step 11 opens and checks every sealed answer") {
    const fs::path age = "/usr/bin/age", keygen = "/usr/bin/age-keygen",
                   python = "/usr/bin/python3";
    if (!tool_available(age) || !tool_available(keygen) || !tool_available(python)) return;
    CliVault v;
    const fs::path key = v.tmp / "key.txt";
    REQUIRE(run_process({keygen.string(), "-o", key.string()}, {}, v.tmp.path()).exit_code == 0);
    auto pub = run_process({keygen.string(), "-y", key.string()}, {}, v.tmp.path());
    REQUIRE(pub.exit_code == 0);
    const std::string auditor = pub.out.substr(0, pub.out.find('\n'));
    REQUIRE(v.run({"recipient", "add", "auditor", "--age", auditor}).code == 0);
    REQUIRE(v.run({"recipient", "seal", "auditor"}).code == 0);
    v.seal_recipient_set = true;
    const std::string id = v.sealed("forced-mobilization");
    const fs::path out = v.tmp / "out";
    REQUIRE(v.run({"record", "export", id, "--out", out.string()}).code == 0);
    const fs::path record = out / (id + "-v1.json");

    // The hand recipe for one marker: Base64 of the age file, `age -d`.
    const fs::path sh = "/bin/sh";
    const std::string one =
        "python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[\"answers\"][\"witness\"]"
        "[\"real_name\"][\"$sealed\"][\"age\"])' \"$1\" | base64 -d > real_name.age && "
        "age -d -i \"$2\" real_name.age";
    // In the scratch folder: the recipe writes real_name.age where it runs.
    auto by_hand = run_process({sh.string(), "-c", std::string("cd \"$3\" && ") + one, "sh",
                                record.string(), key.string(), v.tmp.path().string()},
                               {}, v.tmp.path());
    REQUIRE_MESSAGE(by_hand.exit_code == 0, by_hand.err);
    CHECK(by_hand.out.starts_with("{\"field\":\"witness.real_name\",\"pad\":\"   "));
    CHECK(has(by_hand.out, "\"record\":\"" + id + "\""));
    CHECK(has(by_hand.out, "\"value\":\"Ганна Приклад\"}"));
    CHECK(by_hand.out.size() % 256 == 0);

    // The script, exactly as the page prints it.
    write_file(v.tmp / "open_sealed.py", open_sealed_script());
    const auto script = [&](const fs::path& file) {
        return run_process(
            {python.string(), (v.tmp / "open_sealed.py").string(), file.string(), key.string()},
            {"PATH=/usr/bin:/bin"}, v.tmp.path());
    };
    auto ok = script(record);
    CHECK_MESSAGE(ok.exit_code == 0, ok.out << ok.err);
    CHECK(ok.out ==
          "victims[0].victim_name: opened and verified: \"Андрій Приклад\"\n"
          "witness.address: opened and verified: \"м. Дніпро, вул. Прикладна, 1 (вигадана "
          "адреса)\"\n"
          "witness.contact: opened and verified: \"+380 00 000 00 00 (вигаданий номер)\"\n"
          "witness.protection_notes: opened and verified: \"Чоловік свідка залишається в "
          "Брянці; телефонує їй раз на тиждень.\"\n"
          "witness.real_name: opened and verified: \"Ганна Приклад\"\n");

    // The same record with two markers swapped, and one commitment changed: both caught.
    json::Value doc = *json::parse(read_file(record));
    json::Value answers = *doc.find("answers");
    json::Value w = *answers.find("witness");
    const json::Value name = *w.find("real_name");
    w.set("real_name", *w.find("address"));
    w.set("address", name);
    json::Value notes = *w.find("protection_notes");
    json::Value inner = *notes.find("$sealed");
    std::string c = inner.find("commitment")->as_string();
    c[0] = c[0] == '0' ? '1' : '0';
    inner.set("commitment", c);
    notes.set("$sealed", inner);
    w.set("protection_notes", notes);
    answers.set("witness", w);
    doc.set("answers", answers);
    write_file(v.tmp / "altered.json", *json::canonicalize(doc));
    auto bad = script(v.tmp / "altered.json");
    CHECK(bad.exit_code == 1);
    CHECK(has(bad.out, "witness.real_name: FAILED: sealed for another field: witness.address\n"));
    CHECK(has(bad.out, "witness.address: FAILED: sealed for another field: witness.real_name\n"));
    CHECK(has(bad.out, "witness.protection_notes: FAILED: the commitment does not match\n"));
    CHECK(has(bad.out, "witness.contact: opened and verified"));

    // A key the answers were not sealed to.
    const fs::path other = v.tmp / "other.txt";
    REQUIRE(run_process({keygen.string(), "-o", other.string()}, {}, v.tmp.path()).exit_code == 0);
    auto stranger = run_process(
        {python.string(), (v.tmp / "open_sealed.py").string(), record.string(), other.string()},
        {"PATH=/usr/bin:/bin"}, v.tmp.path());
    CHECK(stranger.exit_code == 1);
    CHECK(has(stranger.out, "witness.real_name: FAILED: "));
    CHECK(has(stranger.out, "no identity matched any of the recipients"));
}

TEST_CASE("three vaults through the real binary: the legal team reads the witness's name") {
    RealVaults real;
    auto& tmp = real.tmp;
    {
        auto f = real.start("field", {"init"});
        auto l = real.start("legal", {"init"});
        auto t = real.start("third", {"init"});
        REQUIRE(f->wait().exit_code == 0);
        REQUIRE(l->wait().exit_code == 0);
        REQUIRE(t->wait().exit_code == 0);
    }
    const std::string answers = real.answers_file("child-recruitment");

    Keys field_id, legal_id, third_id;
    {
        auto f = real.start("field", {"identity", "--json"});
        auto l = real.start("legal", {"identity", "--json"});
        auto t = real.start("third", {"identity", "--json"});
        field_id = keys_of(f->wait().out);
        legal_id = keys_of(l->wait().out);
        third_id = keys_of(t->wait().out);
    }
    REQUIRE(real.run("field", {"recipient", "add", "legal", "--age", legal_id.age, "--minisign",
                               legal_id.minisign})
                .exit_code == 0);
    REQUIRE(real.run("field", {"recipient", "add", "third", "--age", third_id.age}).exit_code == 0);
    auto created =
        real.run("field", {"record", "new", "--form", "child-recruitment", "--json", answers});
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    const std::string id = created.out.substr(0, 32);
    auto refused = real.run("field", {"record", "seal", id});
    CHECK(refused.exit_code == 2);
    CHECK(has(refused.err, "no legal team to seal them to"));
    REQUIRE(real.run("field", {"recipient", "seal", "legal"}).exit_code == 0);
    auto sealed = real.run("field", {"record", "seal", id});
    REQUIRE_MESSAGE(sealed.exit_code == 0, sealed.err);
    fs::create_directories(tmp / "stick");
    auto ex = real.run(
        "field", {"export", "--to", "legal", "--to", "third", "--out", (tmp / "stick").string()});
    REQUIRE_MESSAGE(ex.exit_code == 0, ex.err);
    const fs::path bundle = only_bundle(tmp / "stick");
    {
        auto l = real.start(
            "legal", {"import", bundle.string(), "--trust-fingerprint", field_id.fingerprint});
        auto t = real.start(
            "third", {"import", bundle.string(), "--trust-fingerprint", field_id.fingerprint});
        auto lr = l->wait();
        auto tr = t->wait();
        REQUIRE_MESSAGE(lr.exit_code == 0, lr.err);
        REQUIRE_MESSAGE(tr.exit_code == 0, tr.err);
    }
    auto f = real.start("field", {"record", "show", id});
    auto l = real.start("legal", {"record", "show", id});
    auto t = real.start("third", {"record", "show", id});
    auto fr = f->wait(), lr = l->wait(), tr = t->wait();
    REQUIRE_MESSAGE(fr.exit_code == 0, fr.err);
    REQUIRE_MESSAGE(lr.exit_code == 0, lr.err);
    REQUIRE_MESSAGE(tr.exit_code == 0, tr.err);
    CHECK_FALSE(has(fr.out, kRealName));
    CHECK(has(fr.out, "[sealed for the legal team]"));
    CHECK(has(lr.out, "witness.real_name: opened and verified\n"));
    CHECK(has(lr.out, "\"real_name\": \"" + kRealName + "\""));
    CHECK(has(tr.out, "witness.real_name: not opened: not sealed to this vault's key\n"));
    CHECK_FALSE(has(tr.out, kRealName));
}
