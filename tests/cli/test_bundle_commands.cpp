// SPDX-License-Identifier: GPL-3.0-or-later
// recipient add/list/remove, sender list, export, import, receipt import, purge and sync
// (docs/FORMAT.md sections 12-14) in-process between a field vault and a legal vault: what each
// prints, exit codes for bad input, an unconfirmed or wrong fingerprint and a tampered bundle,
// progress on stderr; then export and import through the real binary.
#include <memory>

#include "cli_fixture.h"
#include "field_and_legal.h"
#include "process.h"
#include "store/vault_fixture.h"

using namespace svidok;
using namespace svidok::test;

namespace {

/// A plain `age-keygen` recipient (FORMAT.md 14.1), not a Svidok vault.
const std::string kPlainAge = "age1wq3qhv2y7lu4ynnhl3wt32gq8hy4ahrmkdt500mscfwz2ftt4umsfqmx6k";

}  // namespace

TEST_CASE("recipient add, list and remove, with bad names and keys refused") {
    CliVault field, legal;
    const IdentityJson legal_id = identity_of(legal);
    const IdentityJson field_id = identity_of(field);
    CHECK(legal_id.age.starts_with("age1"));
    CHECK(legal_id.minisign.starts_with("RW"));
    CHECK(legal_id.fingerprint.size() == 29);

    auto none = field.run({"recipient", "list"});
    CHECK(none.code == 0);
    CHECK(has(none.out, "No recipients"));

    auto add = field.run(
        {"recipient", "add", "legal", "--age", legal_id.age, "--minisign", legal_id.minisign});
    REQUIRE_MESSAGE(add.code == 0, add.err);
    CHECK(has(add.out, "Added recipient legal (" + legal_id.age + ")"));
    CHECK_FALSE(has(add.out, "no minisign key"));

    auto same_name = field.run({"recipient", "add", "legal", "--age", kPlainAge});
    CHECK(same_name.code == 2);
    CHECK(has(same_name.err, "a recipient named legal exists already"));
    auto same_key = field.run({"recipient", "add", "legal2", "--age", legal_id.age});
    CHECK(same_key.code == 2);
    CHECK(has(same_key.err, "belongs to the recipient legal already"));

    auto bad_age = field.run({"recipient", "add", "x", "--age", "age1notakey"});
    CHECK(bad_age.code == 2);
    CHECK(has(bad_age.err, "the age recipient is malformed"));
    auto bad_minisign =
        field.run({"recipient", "add", "x", "--age", kPlainAge, "--minisign", "RWnotakey"});
    CHECK(bad_minisign.code == 2);
    CHECK(has(bad_minisign.err, "the minisign public key is malformed"));
    auto bad_name = field.run({"recipient", "add", "bad name", "--age", legal_id.age});
    CHECK(bad_name.code == 2);
    CHECK(has(bad_name.err, "cannot name a recipient"));
    auto no_age = field.run({"recipient", "add", "x"});
    CHECK(no_age.code == 2);
    CHECK(has(no_age.err, "--age"));
    auto own = field.run({"recipient", "add", "me", "--age", field_id.age});
    CHECK(own.code == 2);
    CHECK(has(own.err, "this vault's own key"));

    auto plain = field.run({"recipient", "add", "archive", "--age", kPlainAge});
    REQUIRE_MESSAGE(plain.code == 0, plain.err);
    CHECK(has(plain.out, "no minisign key: its receipts cannot be checked"));

    auto list = field.run({"recipient", "list"});
    REQUIRE(list.code == 0);
    CHECK(has(list.out, "archive  " + kPlainAge + "  no receipts\n"));
    CHECK(has(list.out, "legal  " + legal_id.age + "  minisign "));
    CHECK(list.out.find("archive") < list.out.find("legal"));

    auto removed = field.run({"recipient", "remove", "archive"});
    CHECK(removed.code == 0);
    CHECK(has(removed.out, "Removed recipient archive"));
    auto gone = field.run({"recipient", "remove", "archive"});
    CHECK(gone.code == 2);
    CHECK(has(gone.err, "there is no recipient named archive"));
    CHECK_FALSE(has(field.run({"recipient", "list"}).out, "archive"));
}

TEST_CASE("export, import with a confirmed fingerprint, receipt, purge and sync") {
    FieldAndLegal v;
    auto& field = v.field;
    auto& legal = v.legal;
    const std::string id = field.sealed();

    auto senders_before = legal.run({"sender", "list"});
    CHECK(senders_before.code == 0);
    CHECK(has(senders_before.out, "No senders pinned yet."));

    // Export: the two files, their paths printed, progress on stderr only.
    const fs::path out_dir = field.tmp / "stick";
    fs::create_directories(out_dir);
    auto no_to = field.run({"export", "--out", out_dir.string()});
    CHECK(no_to.code == 2);
    CHECK(has(no_to.err, "no recipient given"));
    auto unknown = field.run({"export", "--to", "nobody", "--out", out_dir.string()});
    CHECK(unknown.code == 2);
    CHECK(has(unknown.err, "there is no recipient named nobody"));
    auto no_out = field.run({"export", "--to", "legal"});
    CHECK(no_out.code == 2);
    CHECK(has(no_out.err, "--out"));
    auto two_modes =
        field.run({"export", "--to", "legal", "--out", out_dir.string(), "--all", "--record", id});
    CHECK(two_modes.code == 2);
    CHECK(fs::is_empty(out_dir));

    auto ex = field.run({"export", "--to", "legal", "--out", out_dir.string()});
    REQUIRE_MESSAGE(ex.code == 0, ex.err);
    const fs::path bundle = only_bundle(out_dir);
    const fs::path signature = bundle.string() + ".minisig";
    CHECK(fs::exists(signature));
    CHECK(has(ex.out, "Wrote bundle " + bundle.string() + "\n"));
    CHECK(has(ex.out, "  signature   " + signature.string() + "\n"));
    CHECK(has(ex.out, "records     1 (1 signed documents)"));
    CHECK(has(ex.out, "checkpoint  1 log entries"));
    CHECK(has(ex.err, "exporting: "));
    CHECK_FALSE(has(ex.out, "\r"));
    CHECK_FALSE(has(ex.out, "exporting"));
    CHECK(fs::file_size(bundle) >= (1u << 20));  // padded (FORMAT.md 12.6)

    // Import without a confirmed fingerprint: refused, showing the fingerprint and what to do.
    auto unconfirmed = legal.run({"import", bundle.string()});
    CHECK(unconfirmed.code == 3);
    // The fingerprint is never printed before the person typed it (issue 19): they must hear
    // it from the sender, not copy it from the screen.
    CHECK(has(unconfirmed.err,
              "unknown sender " + v.field_id.origin + ": its fingerprint was not confirmed"));
    CHECK(has(unconfirmed.err, "svidok: hint: "));
    CHECK(has(unconfirmed.err, "--trust-fingerprint \"DIGITS\""));
    CHECK_FALSE(has(unconfirmed.err, v.field_id.fingerprint));
    CHECK(unconfirmed.out.empty());

    auto wrong = legal.run(
        {"import", bundle.string(), "--trust-fingerprint", "11111 22222 33333 44444 55555"});
    CHECK(wrong.code == 3);
    CHECK(has(wrong.err, "the fingerprint you typed does not match the sender's"));
    CHECK_FALSE(has(wrong.err, v.field_id.fingerprint));
    CHECK(has(legal.run({"sender", "list"}).out, "No senders pinned yet."));

    auto imported =
        legal.run({"import", bundle.string(), "--trust-fingerprint", v.field_id.fingerprint});
    REQUIRE_MESSAGE(imported.code == 0, imported.err);
    CHECK(has(imported.out,
              "Imported bundle " + bundle.stem().string() + " from " + v.field_id.origin));
    CHECK(has(imported.out, "fingerprint  " + v.field_id.fingerprint + "  (now pinned)"));
    CHECK(has(imported.out, "records      1 (1 signed documents, 1 new)"));
    CHECK(has(imported.out, "Every signature, hash and log proof verified."));
    CHECK(has(imported.err, "importing: "));
    CHECK_FALSE(has(imported.out, "importing"));
    const fs::path receipt = value_after(imported.out, "Receipt for the sender: ");
    CHECK(receipt.parent_path() == out_dir);
    CHECK(receipt.string().ends_with(".receipt.age"));
    REQUIRE(fs::exists(receipt));

    auto again = legal.run({"import", bundle.string()});
    CHECK(again.code == 0);
    CHECK(has(again.out, "was imported before from " + v.field_id.origin + "; nothing changed."));

    auto senders = legal.run({"sender", "list"});
    CHECK(senders.code == 0);
    CHECK(has(senders.out, v.field_id.origin + "  fingerprint " + v.field_id.fingerprint +
                               "  1 documents, checkpoint 1, pinned "));

    // The field side: nothing is purgeable before the receipt.
    auto early = field.run({"purge", "--delivered", "--yes"});
    CHECK(early.code == 0);
    CHECK(has(early.out, "nothing to purge"));
    auto no_flag = field.run({"purge"});
    CHECK(no_flag.code == 2);
    CHECK(has(no_flag.err, "--delivered"));

    auto got = field.run({"receipt", "import", receipt.string()});
    REQUIRE_MESSAGE(got.code == 0, got.err);
    CHECK(has(got.out, "Receipt from legal for bundle " + bundle.stem().string() +
                           ": 1 documents received (1 newly marked delivered); checkpoint of 1 "
                           "entries cosigned."));
    auto got_again = field.run({"receipt", "import", receipt.string()});
    CHECK(got_again.code == 0);
    CHECK(has(got_again.out, "was imported before; nothing changed."));

    // Purge asks for --yes and changes nothing without it.
    const std::string shown = field.run({"record", "show", id, "--json"}).out;
    auto unconfirmed_purge = field.run({"purge", "--delivered"});
    CHECK(unconfirmed_purge.code == 2);
    CHECK(has(unconfirmed_purge.out,
              "1 records were confirmed received by every recipient that must confirm them"));
    CHECK(has(unconfirmed_purge.err, "not purged: confirm with --yes"));
    CHECK(field.run({"record", "show", id, "--json"}).out == shown);
    auto purged = field.run({"purge", "--delivered", "--yes"});
    REQUIRE_MESSAGE(purged.code == 0, purged.err);
    CHECK(has(purged.out, "Purged 1 records."));
    CHECK(has(field.run({"purge", "--delivered"}).out, "nothing to purge"));
    auto verify = field.run({"log", "verify"});
    CHECK_MESSAGE(verify.code == 0, verify.out << verify.err);

    const fs::path later = field.tmp / "later";
    fs::create_directories(later);
    auto nothing = field.run({"export", "--to", "legal", "--out", later.string()});
    CHECK(nothing.code == 2);
    CHECK(has(nothing.err, "there is nothing to export"));
    auto nothing_all = field.run({"export", "--to", "legal", "--out", later.string(), "--all"});
    CHECK(nothing_all.code == 2);
    CHECK(has(nothing_all.err, "there is nothing to export"));
    CHECK(fs::is_empty(later));

    // Sync through a shared folder: field writes, legal imports and answers, field takes the
    // receipt; then nothing is new on either side.
    field.sealed();
    const fs::path shared = field.tmp / "shared";
    fs::create_directories(shared);
    auto missing = field.run({"sync", "--folder", (field.tmp / "nope").string()});
    CHECK(missing.code == 2);
    CHECK(has(missing.err, "there is no folder"));
    auto s1 = field.run({"sync", "--folder", shared.string()});
    REQUIRE_MESSAGE(s1.code == 0, s1.err);
    CHECK(has(s1.out, "(1 records)"));
    CHECK(has(s1.out, "Sent bundle "));
    const std::string device = v.field_id.origin.substr(std::string("svidok.device/").size());
    const fs::path sent = only_bundle(shared / "outbox" / device);
    auto s2 = legal.run({"sync", "--folder", shared.string()});
    REQUIRE_MESSAGE(s2.code == 0, s2.err);
    CHECK(has(s2.out, "Imported bundle " + sent.stem().string()));
    CHECK(has(s2.out, "records      1 (1 signed documents, 1 new)"));
    CHECK(has(s2.out, "consistent with the 1 received before"));
    CHECK(has(s2.out, "Sent 1 receipts to the folder; their bundles were archived there."));
    CHECK(fs::exists(shared / "archive" / device / sent.filename()));
    CHECK(!fs::exists(sent));
    auto s3 = field.run({"sync", "--folder", shared.string()});
    REQUIRE_MESSAGE(s3.code == 0, s3.err);
    CHECK(has(s3.out, "Receipt from legal: 1 documents newly delivered"));
    auto s4 = field.run({"sync", "--folder", shared.string()});
    CHECK(s4.code == 0);
    CHECK(s4.out == "Nothing new.\n");
    auto s5 = legal.run({"sync", "--folder", shared.string()});
    CHECK(s5.code == 0);
    CHECK(s5.out == "Nothing new.\n");
    CHECK(has(legal.run({"sender", "list"}).out, "2 documents, checkpoint 2"));
    CHECK(has(field.run({"purge", "--delivered"}).out, "1 records were confirmed received"));
}

TEST_CASE("a tampered bundle fails with exit 1 and changes nothing") {
    FieldAndLegal v;
    v.field.sealed();
    const fs::path bundle = v.export_to_legal("out");
    const fs::path bad_dir = v.field.tmp / "bad";
    fs::create_directories(bad_dir);
    const fs::path bad = bad_dir / bundle.filename();
    std::string bytes = read_file(bundle);
    const std::size_t middle = bytes.size() / 2;
    bytes[middle] = static_cast<char>(bytes[middle] ^ 0x01);
    write_file(bad, bytes);
    fs::copy_file(bundle.string() + ".minisig", bad.string() + ".minisig");

    auto r = v.legal.run({"import", bad.string(), "--trust-fingerprint", v.field_id.fingerprint});
    CHECK(r.code == 1);
    CHECK(has(r.err, "svidok: error: "));
    CHECK(has(r.err, "altered"));
    CHECK(r.out.empty());
    CHECK(has(v.legal.run({"sender", "list"}).out, "No senders pinned yet."));
    for (const auto& e : fs::directory_iterator(bad_dir)) {
        CHECK_MESSAGE(!e.path().string().ends_with(".receipt.age"), e.path());
    }

    // A bundle whose signature file is missing, or a bundle for another vault.
    const fs::path unsigned_dir = v.field.tmp / "unsigned";
    fs::create_directories(unsigned_dir);
    fs::copy_file(bundle, unsigned_dir / bundle.filename());
    auto no_sig = v.legal.run({"import", (unsigned_dir / bundle.filename()).string()});
    CHECK(no_sig.code == 2);
    CHECK(has(no_sig.err, "copy the .minisig file together with the bundle"));
    CliVault other;
    auto foreign =
        other.run({"import", bundle.string(), "--trust-fingerprint", v.field_id.fingerprint});
    CHECK(foreign.code == 3);
    CHECK(has(foreign.err, "not addressed to this vault"));

    // The untouched bundle still imports: the failed attempts recorded nothing.
    auto ok =
        v.legal.run({"import", bundle.string(), "--trust-fingerprint", v.field_id.fingerprint});
    CHECK_MESSAGE(ok.code == 0, ok.err);
    CHECK(has(ok.out, "(now pinned)"));
}

TEST_CASE("verify BUNDLE: a summary, the reports, exit 1 on a tampered bundle, nothing stored") {
    FieldAndLegal v;
    v.field.sealed();
    const fs::path bundle = v.export_to_legal("out");
    const auto before = snapshot(v.legal.dir);

    // An unknown sender: nothing past the manifest is read unless asked (issue 19), and its
    // fingerprint is not shown.
    auto unknown = v.legal.run({"verify", bundle.string()});
    CHECK(unknown.code == 1);
    CHECK(has(unknown.out, "sender.unknown"));
    CHECK_FALSE(has(unknown.out + unknown.err, v.field_id.fingerprint));
    CHECK(v.legal
              .run({"verify", bundle.string(), "--unknown-sender", "--trust-fingerprint",
                    v.field_id.fingerprint})
              .code == 2);
    auto ok = v.legal.run({"verify", bundle.string(), "--unknown-sender"});
    CHECK_MESSAGE(ok.code == 0, ok.err);
    CHECK(has(ok.out, "verified: 1 records verified, 0 failed, 0 missing"));
    CHECK(has(ok.out, "sender.unconfirmed"));
    CHECK_FALSE(has(ok.out, v.field_id.fingerprint));
    auto heard =
        v.legal.run({"verify", bundle.string(), "--trust-fingerprint", v.field_id.fingerprint});
    CHECK_MESSAGE(heard.code == 0, heard.err);
    CHECK_FALSE(has(heard.out, "sender.unconfirmed"));
    const fs::path html = v.legal.tmp / "report.html";
    auto page = v.legal.run({"verify", bundle.string(), "--unknown-sender", "--report", "html",
                             "--out", html.string()});
    CHECK_MESSAGE(page.code == 0, page.err);
    CHECK(has(read_file(html), "<!DOCTYPE html>"));
    CHECK(has(read_file(html), "Everything verified."));
    const fs::path json = v.legal.tmp / "report.json";
    auto j = v.legal.run({"verify", bundle.string(), "--unknown-sender", "--report", "json",
                          "--out", json.string()});
    CHECK_MESSAGE(j.code == 0, j.err);
    auto doc = forms::json::parse(read_file(json));
    REQUIRE(doc);
    CHECK(doc->find("format")->as_string() == "svidok verification report");
    CHECK(doc->find("summary")->find("verified")->as_int() == 1);

    // Never over an existing file; the options go together; only html or json.
    const std::string kept = read_file(json);
    auto again =
        v.legal.run({"verify", bundle.string(), "--report", "json", "--out", json.string()});
    CHECK(again.code == 2);
    CHECK(has(again.err, "never written over a file"));
    CHECK(read_file(json) == kept);
    CHECK(v.legal.run({"verify", bundle.string(), "--report", "pdf", "--out", "x"}).code == 2);
    CHECK(v.legal.run({"verify", bundle.string(), "--out", "x"}).code == 2);
    CHECK(v.legal.run({"verify"}).code == 2);

    // A tampered bundle: exit 1, the failure named with what it means.
    const fs::path bad_dir = v.field.tmp / "bad";
    fs::create_directories(bad_dir);
    std::string bytes = read_file(bundle);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    write_file(bad_dir / bundle.filename(), bytes);
    fs::copy_file(bundle.string() + ".minisig",
                  (bad_dir / bundle.filename()).string() + ".minisig");
    auto bad = v.legal.run({"verify", (bad_dir / bundle.filename()).string(), "--unknown-sender"});
    CHECK(bad.code == 1);
    CHECK(has(bad.out, "FAILED"));
    CHECK(has(bad.out, "bundle.decrypt"));
    CHECK(has(bad.out, "cannot be trusted"));
    CHECK(has(bad.err, "the bundle did not verify"));

    // Nothing was stored: the vault is as it was, and the bundle still imports as new.
    CHECK(snapshot(v.legal.dir) == before);
    auto im =
        v.legal.run({"import", bundle.string(), "--trust-fingerprint", v.field_id.fingerprint});
    CHECK_MESSAGE(im.code == 0, im.err);
    CHECK(has(im.out, "(now pinned)"));
}

// The progress line says "N of M documents" on both sides: a record with two sealed versions is
// two documents (export once counted records here).
TEST_CASE("export progress counts the documents it reports") {
    FieldAndLegal v;
    const std::string id = v.field.sealed();
    REQUIRE(
        v.field.run({"record", "amend", id, "--json", v.field.answers_file("forced-mobilization")})
            .code == 0);
    const fs::path dir = v.field.tmp / "out";
    fs::create_directories(dir);
    auto ex = v.field.run({"export", "--to", "legal", "--out", dir.string()});
    REQUIRE_MESSAGE(ex.code == 0, ex.err);
    CHECK(has(ex.out, "records     1 (2 signed documents)"));
    CHECK_MESSAGE(has(ex.err, "2 of 2 documents"), ex.err);
    auto im = v.legal.run(
        {"import", only_bundle(dir).string(), "--trust-fingerprint", v.field_id.fingerprint});
    REQUIRE_MESSAGE(im.code == 0, im.err);
    CHECK_MESSAGE(has(im.err, "2 of 2 documents"), im.err);
}

TEST_CASE("export and import through the real binary") {
    RealVaults real;
    auto& tmp = real.tmp;
    {
        auto field = real.start("field", {"init"});
        auto legal = real.start("legal", {"init"});
        REQUIRE(field->wait().exit_code == 0);
        REQUIRE(legal->wait().exit_code == 0);
    }

    const std::string answers = real.answers_file("child-recruitment");
    auto legal_identity = real.start("legal", {"identity", "--json"});
    auto created =
        real.run("field", {"record", "new", "--form", "child-recruitment", "--json", answers});
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    auto legal_json = legal_identity->wait();
    REQUIRE_MESSAGE(legal_json.exit_code == 0, legal_json.err);
    const IdentityJson legal_id = identity_of(legal_json.out);

    auto add = real.run("field", {"recipient", "add", "legal", "--age", legal_id.age, "--minisign",
                                  legal_id.minisign});
    REQUIRE_MESSAGE(add.exit_code == 0, add.err);
    auto seal_to = real.run("field", {"recipient", "seal", "legal"});
    REQUIRE_MESSAGE(seal_to.exit_code == 0, seal_to.err);
    auto sealed = real.run("field", {"record", "seal", created.out.substr(0, 32)});
    REQUIRE_MESSAGE(sealed.exit_code == 0, sealed.err);
    fs::create_directories(tmp / "stick");
    auto ex = real.run("field", {"export", "--to", "legal", "--out", (tmp / "stick").string()});
    REQUIRE_MESSAGE(ex.exit_code == 0, ex.err);
    const fs::path bundle = only_bundle(tmp / "stick");
    CHECK(has(ex.out, "Wrote bundle " + bundle.string()));
    CHECK(has(ex.err, "exporting: "));

    auto refused = real.run("legal", {"import", bundle.string()});
    CHECK(refused.exit_code == 3);
    // The fingerprint as the sender reads it out from its own device.
    auto field_json = real.run("field", {"identity", "--json"});
    REQUIRE_MESSAGE(field_json.exit_code == 0, field_json.err);
    const std::string fingerprint = identity_of(field_json.out).fingerprint;
    CHECK(fingerprint.size() == 29);
    CHECK_FALSE(has(refused.err, fingerprint));
    auto imported =
        real.run("legal", {"import", bundle.string(), "--trust-fingerprint", fingerprint});
    CHECK_MESSAGE(imported.exit_code == 0, imported.err);
    CHECK(has(imported.out, "Imported bundle " + bundle.stem().string()));
    CHECK(has(imported.out, "(now pinned)"));
    CHECK(has(imported.err, "importing: "));
    CHECK(fs::exists(value_after(imported.out, "Receipt for the sender: ")));
    auto verified = real.run("legal", {"verify", bundle.string(), "--report", "html", "--out",
                                       (tmp / "report.html").string()});
    CHECK_MESSAGE(verified.exit_code == 0, verified.err);
    CHECK(has(verified.out, "verified: 1 records verified"));
    CHECK(has(read_file(tmp / "report.html"), "Everything verified."));
}

TEST_CASE("sync: a new sender needs its fingerprint; receipts only open for their sender") {
    FieldAndLegal v;
    v.field.sealed();
    const fs::path shared = v.field.tmp / "shared";
    fs::create_directories(shared);
    auto wrote = v.field.run({"sync", "--folder", shared.string()});
    REQUIRE_MESSAGE(wrote.code == 0, wrote.err);
    const std::string device = v.field_id.origin.substr(std::string("svidok.device/").size());
    const fs::path bundle = only_bundle(shared / "outbox" / device);

    // The sender's own bundle is not addressed to it, and sync skips it silently.
    auto own = v.field.run({"import", bundle.string()});
    CHECK(own.code == 3);
    CHECK(has(own.err, "not addressed to this vault"));

    auto unconfirmed = v.legal.run({"sync", "--folder", shared.string()});
    CHECK(unconfirmed.code == 1);
    CHECK(has(unconfirmed.err, "svidok: warning: " + device + "/" + bundle.filename().string() +
                                   ": unknown sender " + v.field_id.origin +
                                   ": its fingerprint was not confirmed"));
    CHECK_FALSE(has(unconfirmed.err, v.field_id.fingerprint));
    CHECK(has(unconfirmed.err, "1 files in the folder could not be used"));
    const bool no_receipt =
        !fs::exists(shared / "receipts" / device) || fs::is_empty(shared / "receipts" / device);
    CHECK(no_receipt);
    auto confirmed = v.legal.run(
        {"sync", "--folder", shared.string(), "--trust-fingerprint", v.field_id.fingerprint});
    REQUIRE_MESSAGE(confirmed.code == 0, confirmed.err);
    CHECK(has(confirmed.out, "(now pinned)"));

    fs::path receipt;
    for (const auto& e : fs::directory_iterator(shared / "receipts" / device)) receipt = e.path();
    REQUIRE(!receipt.empty());
    // A receipt is encrypted to the sender alone.
    auto wrong_side = v.legal.run({"receipt", "import", receipt.string()});
    CHECK(wrong_side.code == 3);
    CHECK(has(wrong_side.err, "not addressed to this vault"));
    CliVault stranger;
    auto foreign = stranger.run({"receipt", "import", receipt.string()});
    CHECK(foreign.code == 3);
    CHECK(has(foreign.err, "not addressed to this vault"));

    auto took = v.field.run({"sync", "--folder", shared.string()});
    REQUIRE_MESSAGE(took.code == 0, took.err);
    CHECK(has(took.out, "Receipt from legal: 1 documents newly delivered"));
    CHECK(v.field.run({"sync", "--folder", shared.string()}).out == "Nothing new.\n");
    CHECK(v.legal.run({"sync", "--folder", shared.string()}).out == "Nothing new.\n");
}

TEST_CASE("a receipt from archive is not delivery to legal (issue 19, the reviewer's case)") {
    FieldAndLegal v;  // legal is the seal recipient
    CliVault archive;
    const IdentityJson archive_id = identity_of(archive);
    auto& field = v.field;
    auto add = field.run({"recipient", "add", "archive", "--age", archive_id.age, "--minisign",
                          archive_id.minisign});
    REQUIRE_MESSAGE(add.code == 0, add.err);
    const std::string id = field.sealed();

    const fs::path to_archive = field.tmp / "to-archive";
    fs::create_directories(to_archive);
    auto ex = field.run({"export", "--to", "archive", "--out", to_archive.string()});
    REQUIRE_MESSAGE(ex.code == 0, ex.err);
    auto im = archive.run({"import", only_bundle(to_archive).string(), "--trust-fingerprint",
                           v.field_id.fingerprint});
    REQUIRE_MESSAGE(im.code == 0, im.err);
    auto rc = field.run({"receipt", "import", value_after(im.out, "Receipt for the sender: ")});
    REQUIRE_MESSAGE(rc.code == 0, rc.err);

    // purge names who confirmed and whom the record waits for, and purges nothing.
    auto purge = field.run({"purge", "--delivered", "--yes"});
    CHECK(purge.code == 0);
    CHECK_MESSAGE(has(purge.out, "confirmed by archive; waiting for legal"), purge.out);
    CHECK(has(purge.out, "nothing to purge"));
    auto shown = field.run({"record", "show", id});
    CHECK(has(shown.out, "archive: sent 1, confirmed 1"));
    CHECK(has(shown.out, "legal (must confirm before purging): sent 0, confirmed 0"));
    CHECK(has(field.run({"record", "list"}).out, "sealed"));

    // --undelivered to legal still has the record to send.
    const fs::path to_legal = field.tmp / "to-legal";
    fs::create_directories(to_legal);
    auto ex2 = field.run({"export", "--to", "legal", "--undelivered", "--out", to_legal.string()});
    REQUIRE_MESSAGE(ex2.code == 0, ex2.err);
    CHECK(has(ex2.out, "records     1 (1 signed documents)"));
}

TEST_CASE("an altered copy of a bundle imported before fails with exit 1 (issue 19)") {
    FieldAndLegal v;
    v.field.sealed();
    const fs::path bundle = v.export_to_legal("out");
    auto first =
        v.legal.run({"import", bundle.string(), "--trust-fingerprint", v.field_id.fingerprint});
    REQUIRE_MESSAGE(first.code == 0, first.err);
    const fs::path bad_dir = v.field.tmp / "bad";
    fs::create_directories(bad_dir);
    const fs::path bad = bad_dir / bundle.filename();
    std::string bytes = read_file(bundle);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
    write_file(bad, bytes);
    fs::copy_file(bundle.string() + ".minisig", bad.string() + ".minisig");
    auto r = v.legal.run({"import", bad.string()});
    CHECK(r.code == 1);
    CHECK(has(r.err, "differs from the one imported before"));
    CHECK_FALSE(has(r.out, "nothing changed"));
}
