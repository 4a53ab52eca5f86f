// SPDX-License-Identifier: GPL-3.0-or-later
// Bundles between two real vaults (docs/FORMAT.md sections 12-14): export, verified import with
// fingerprint pinning, receipts, purging delivered content, consistency across bundles, folder
// sync, progress and cancellation, and the padding rule. The stock Debian tools `age`,
// `minisign`, `tar` and `sha256sum` open and check what we write, and we import what `age`
// encrypts. Damaged files, bundles built by hand with the sender's real keys that break the
// rules of 12.7, and a sender vault restored from an old copy are all refused without change.

#include <algorithm>
#include <set>
#include <sstream>

#include "bundle_fixture.h"
#include "crypto/age.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/minisign.h"
#include "db.h"
#include "forms/bundle_documents.h"
#include "forms/registry.h"
#include "process.h"
#include "store/attachments.h"
#include "store/bundles.h"
#include "store/device_log.h"
#include "store/record_index.h"
#include "store/records.h"
#include "store/tar.h"
#include "tar_fixture.h"
#include "vault_fixture.h"
#include "vault_layer.h"

using namespace svidok;
using namespace svidok::test;
namespace json = forms::json;
using Selection = store::Bundles::Selection;

namespace {

const fs::path kAge = "/usr/bin/age";
const fs::path kMinisign = "/usr/bin/minisign";
const fs::path kSh = "/bin/sh";

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
    std::ranges::sort(out);
    return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
    return (a + b - 1) / b;
}

/// docs/FORMAT.md 12.6: the .age size of a padded tar stream of B bytes to n recipients.
std::uint64_t age_file_size(std::uint64_t padded, std::uint64_t recipients) {
    return 22 + 98 * recipients + 48 + 16 + padded + 16 * ceil_div(padded, 65536);
}

/// Runs `sh -c script` with positional arguments; the script's output and exit code.
ProcessResult sh(const fs::path& scratch, const std::string& script,
                 const std::vector<std::string>& args = {}) {
    std::vector<std::string> argv{kSh.string(), "-c", script, "sh"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, {}, scratch);
}

bool tools_available() {
    return tool_available(kAge) && tool_available(kMinisign) && tool_available("/usr/bin/tar") &&
           tool_available("/usr/bin/sha256sum");
}

/// Decrypts with the stock `age` into a file.
void age_decrypt_to(const fs::path& scratch, const fs::path& key, const fs::path& in,
                    const fs::path& out) {
    auto r = run_process({kAge.string(), "-d", "-i", key.string(), "-o", out.string(), in.string()},
                         {}, scratch);
    REQUIRE_MESSAGE(r.exit_code == 0, "age -d: " << r.err);
}

/// Builds a bundle by hand from `entries` (everything between manifest.json.minisig and
/// padding), with a manifest made from `base` and signed, like the outer file, by `sender`'s
/// real key: what a sender's own software could write. Encrypted to `to`.
struct Forge {
    bool nonzero_padding = false;
    std::string after_end;  // plaintext bytes after the end-of-archive marker
    /// Manifest entries as stated; empty: computed from `entries`.
    std::vector<forms::ManifestFile> files;
};

fs::path forge_bundle(const Party& sender, const Party& to, const fs::path& dir,
                      const forms::Manifest& base,
                      const std::vector<std::pair<std::string, std::string>>& entries,
                      const Forge& how = {}) {
    fs::create_directories(dir);
    forms::Manifest m = base;
    m.bundle = forms::new_bundle_id();
    m.recipients = {crypto::X25519Recipient{to.id.x25519_pk()}};
    m.files = how.files;
    if (m.files.empty()) {
        for (const auto& [path, data] : entries) {
            m.files.push_back({path, data.size(), crypto::sha256(crypto::as_bytes(data))});
        }
    }
    auto sk = sender.id.signing_key();
    REQUIRE(sk.has_value());
    auto mj = m.to_json();
    REQUIRE_MESSAGE(mj.has_value(), (mj ? "" : mj.error().message));
    auto msig = crypto::minisign::sign(*sk, crypto::as_bytes(*mj),
                                       forms::manifest_trusted_comment(m.bundle), "x");
    REQUIRE(msig.has_value());

    std::string plain;
    auto w = store::tar::Writer::create([&](crypto::ByteView b) -> Result<> {
        plain.append(reinterpret_cast<const char*>(b.data()), b.size());
        return {};
    });
    REQUIRE(w.has_value());
    auto add = [&](const std::string& path, std::string_view data) {
        REQUIRE(w->begin_file(path, data.size()).has_value());
        REQUIRE(w->write(crypto::as_bytes(data)).has_value());
    };
    add("manifest.json", *mj);
    add("manifest.json.minisig", *msig);
    for (const auto& [path, data] : entries) add(path, data);
    const std::uint64_t p =
        w->bytes_written() + store::tar::entry_bytes(0) + store::tar::kEndOfArchiveBytes;
    std::string padding(forms::padme(p) - p, '\0');
    if (how.nonzero_padding) padding[padding.size() / 2] = 1;
    add("padding", padding);
    REQUIRE(w->finish().has_value());
    plain += how.after_end;

    const std::array rcpt{crypto::X25519Recipient{to.id.x25519_pk()}};
    auto enc = crypto::age_encrypt(rcpt, crypto::as_bytes(plain));
    REQUIRE(enc.has_value());
    const std::string bytes(reinterpret_cast<const char*>(enc->data()), enc->size());
    const std::string name = forms::format_bundle_id(m.bundle) + ".age";
    write_file(dir / name, bytes);
    auto outer = crypto::minisign::sign(*sk, crypto::as_bytes(bytes),
                                        forms::bundle_trusted_comment(m.bundle), "x");
    REQUIRE(outer.has_value());
    write_file(dir / (name + ".minisig"), *outer);
    return dir / name;
}

std::string error_of(const auto& r) {
    return r ? std::string() : r.error().message;
}

}  // namespace

TEST_CASE("two vaults exchange a bundle and its receipt; delivered records are purged") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    const fs::path out = tmp / "out";
    const fs::path receipts = tmp / "receipts";
    fs::create_directories(receipts);

    field.add_recipient("legal", legal);
    {
        auto list = field.bundles.recipients();
        REQUIRE(list.has_value());
        REQUIRE(list->size() == 1);
        CHECK((*list)[0].name == "legal");
        CHECK((*list)[0].age.to_string() == legal.age_recipient());
        REQUIRE((*list)[0].minisign.has_value());
        CHECK((*list)[0].minisign->to_base64() == legal.minisign_key());
    }
    const auto a = field.sealed_with_file(tmp.path(), 300 * 1024 + 17, 1);
    const auto b = field.sealed();
    field.amend(b, "Second interview confirmed the dates.");
    field.withdraw(b);

    const auto ex = field.export_to({"legal"}, out);
    CHECK(ex.records == 2);
    CHECK(ex.documents == 4);  // a v1, b v1, b v2, b withdrawal
    CHECK(ex.attachments == 1);
    CHECK(ex.checkpoint_size == 4);
    CHECK(ex.file == out / (forms::format_bundle_id(ex.bundle) + ".age"));
    CHECK(ex.signature == out / (forms::format_bundle_id(ex.bundle) + ".age.minisig"));
    CHECK(fs::file_size(ex.file) == ex.file_bytes);
    CHECK(files_in(out) == std::vector<fs::path>{ex.file, ex.signature});
    // The file carries nothing readable of the testimony.
    CHECK_FALSE(occurs_in_tree(out, "credibility_notes"));
    CHECK_FALSE(occurs_in_tree(out, field.fingerprint()));

    // An unknown sender: refused, nothing changed, and its fingerprint not shown: the person
    // must hear it from the sender (issue 19).
    const auto before = snapshot(legal.dir);
    {
        auto r = legal.import(ex.file, std::nullopt, receipts);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::auth_failed);
        CHECK(r.error().kind == "import.unknown_sender");
        CHECK(r.error().arg("origin") == field.id.log_origin());
        CHECK_FALSE_MESSAGE(contains(r.error().message, field.fingerprint()), r.error().message);
        CHECK_FALSE(contains(r.error().hint, field.fingerprint()));
        for (const auto& arg : r.error().args)
            CHECK_FALSE(contains(arg.value, field.fingerprint()));
    }
    CHECK(snapshot(legal.dir) == before);
    CHECK(files_in(receipts).empty());

    // A fingerprint that is not the sender's: refused, nothing changed.
    {
        std::string wrong = field.fingerprint();
        wrong[0] = wrong[0] == '1' ? '2' : '1';
        auto r = legal.import(ex.file, wrong, receipts);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::auth_failed);
        CHECK_MESSAGE(contains(r.error().message, "does not match"), r.error().message);
        CHECK(r.error().kind == "import.fingerprint_mismatch");
        CHECK_FALSE(contains(r.error().message + r.error().hint, field.fingerprint()));
        auto r2 = legal.import(ex.file, std::string("12345"), receipts);
        REQUIRE_FALSE(r2.has_value());
        CHECK(r2.error().code == Errc::auth_failed);
    }
    CHECK(snapshot(legal.dir) == before);
    CHECK(files_in(receipts).empty());

    // The confirmed fingerprint: imported and pinned, receipt written.
    const auto im = legal.import_ok(ex.file, field, receipts);
    CHECK_FALSE(im.already_imported);
    CHECK(im.bundle == ex.bundle);
    CHECK(im.newly_pinned);
    CHECK(im.fingerprint == field.fingerprint());
    CHECK(im.sender.origin == field.id.log_origin());
    CHECK(im.records == 2);
    CHECK(im.documents == 4);
    CHECK(im.new_documents == 4);
    CHECK(im.attachments == 1);
    CHECK(im.checkpoint_size == 4);
    CHECK_FALSE(im.previous_checkpoint_size.has_value());
    CHECK(im.log_entries_missing == 0);
    CHECK_MESSAGE(im.receipt_problem.empty(), im.receipt_problem);
    CHECK(im.receipt == receipts / forms::receipt_file_name(
                                       ex.bundle, crypto::X25519Recipient{legal.id.x25519_pk()}));
    CHECK(fs::exists(im.receipt));
    CHECK(files_in(receipts) == std::vector<fs::path>{im.receipt});
    {
        auto senders = legal.bundles.senders();
        REQUIRE(senders.has_value());
        REQUIRE(senders->size() == 1);
        CHECK((*senders)[0].fingerprint == field.fingerprint());
        CHECK((*senders)[0].keys == im.sender);
        CHECK((*senders)[0].documents == 4);
        CHECK((*senders)[0].checkpoint_size == 4);
    }
    // The received file is stored encrypted, never in the clear.
    CHECK(files_in(legal.dir / "attachments").size() == 1);

    // Again: reported, nothing changed, no second receipt.
    {
        const auto held = snapshot(legal.dir);
        const auto receipt_bytes = read_file(im.receipt);
        auto again = legal.import(ex.file, std::nullopt, receipts);
        REQUIRE_MESSAGE(again.has_value(), error_of(again));
        CHECK(again->already_imported);
        CHECK(again->bundle == ex.bundle);
        CHECK(again->fingerprint == field.fingerprint());
        CHECK(again->receipt.empty());
        CHECK(snapshot(legal.dir) == held);
        CHECK(files_in(receipts) == std::vector<fs::path>{im.receipt});
        CHECK(read_file(im.receipt) == receipt_bytes);
    }

    // The sender takes the receipt: everything delivered.
    auto rc = field.bundles.import_receipt(im.receipt);
    REQUIRE_MESSAGE(rc.has_value(), error_of(rc));
    CHECK_FALSE(rc->already_imported);
    CHECK(rc->bundle == ex.bundle);
    CHECK(rc->recipient == "legal");
    CHECK(rc->documents == 4);
    CHECK(rc->newly_delivered == rc->documents);
    CHECK(rc->checkpoint_size == 4);
    {
        const auto held = snapshot(field.dir);
        auto again = field.bundles.import_receipt(im.receipt);
        REQUIRE_MESSAGE(again.has_value(), error_of(again));
        CHECK(again->already_imported);
        CHECK(again->newly_delivered == 0);
        CHECK(snapshot(field.dir) == held);
    }

    // Purge: the answers and files go; the log still verifies.
    auto purgeable = field.bundles.purgeable();
    REQUIRE(purgeable.has_value());
    CHECK(*purgeable == std::vector<store::RecordId>{a, b});
    CHECK(files_in(field.dir / "attachments").size() == 1);
    auto purged = field.bundles.purge_delivered();
    REQUIRE_MESSAGE(purged.has_value(), error_of(purged));
    CHECK(*purged == 2);
    CHECK(files_in(field.dir / "attachments").empty());
    CHECK(field.bundles.purgeable()->empty());
    CHECK(*field.bundles.purge_delivered() == 0);
    auto report = store::DeviceLog(field.vault).verify();
    REQUIRE(report.has_value());
    std::string problems;
    for (const auto& p : report->problems) problems += p + "\n";
    CHECK_MESSAGE(report->ok(), problems);
    CHECK(report->size == 4);

    // Nothing left to send (--all would send the withdrawal again: it holds no content).
    for (Selection s : {Selection::undelivered}) {
        store::Bundles::ExportOptions o;
        o.to = {"legal"};
        o.out_dir = out;
        o.selection = s;
        auto none = field.bundles.export_bundle(o);
        REQUIRE_FALSE(none.has_value());
        CHECK(none.error().code == Errc::not_found);
    }
    CHECK(files_in(out).size() == 2);

    // The recipient still holds its copy.
    CHECK(files_in(legal.dir / "attachments").size() == 1);
}

TEST_CASE("the stock age, tar, minisign and sha256sum open and check a bundle") {
    if (!tools_available()) return;
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    crypto::Sha256Digest file_sha{};
    const auto a = field.sealed_with_file(tmp.path(), 200 * 1024 + 3, 7, &file_sha);
    const auto b = field.sealed();
    field.amend(b, "Amended once.");
    field.withdraw(b);
    const auto ex = field.export_to({"legal"}, tmp / "out");
    const std::string id_hex = forms::format_bundle_id(ex.bundle);
    const fs::path key = legal.write_age_identity(tmp / "key.txt");
    const std::string pub = field.minisign_key();

    // The outer signature, as a courier checks it without any key to decrypt.
    {
        auto r = run_process(
            {kMinisign.string(), "-Vm", ex.file.string(), "-x", ex.signature.string(), "-P", pub},
            {}, tmp.path());
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        CHECK(contains(r.out, "Trusted comment: svidok bundle " + id_hex));
    }

    // Listing, streaming age into tar.
    const fs::path age_status = tmp / "age-status";
    auto listing = sh(tmp.path(), "{ \"$1\" -d -i \"$2\" \"$3\"; echo $? > \"$4\"; } | tar -tf -",
                      {kAge.string(), key.string(), ex.file.string(), age_status.string()});
    CHECK_MESSAGE(listing.exit_code == 0, listing.err);
    CHECK(read_file(age_status) == "0\n");
    const auto names = lines_of(listing.out);

    // Extract, then check every file against the manifest.
    const fs::path x = tmp / "x";
    fs::create_directories(x);
    auto extracted =
        sh(tmp.path(), "{ \"$1\" -d -i \"$2\" \"$3\"; echo $? > \"$4\"; } | tar -xf - -C \"$5\"",
           {kAge.string(), key.string(), ex.file.string(), age_status.string(), x.string()});
    CHECK_MESSAGE(extracted.exit_code == 0, extracted.err);
    CHECK(read_file(age_status) == "0\n");
    auto manifest = forms::Manifest::parse(read_file(x / "manifest.json"));
    REQUIRE_MESSAGE(manifest.has_value(), error_of(manifest));
    CHECK(manifest->bundle == ex.bundle);
    CHECK(manifest->sender.origin == field.id.log_origin());
    CHECK(manifest->sender.minisign.to_base64() == pub);
    CHECK(manifest->recipients ==
          std::vector<crypto::X25519Recipient>{crypto::X25519Recipient{legal.id.x25519_pk()}});
    CHECK(manifest->checkpoint_size == 4);

    std::vector<std::string> want{"manifest.json", "manifest.json.minisig"};
    for (const auto& f : manifest->files) want.push_back(f.path);
    want.push_back("padding");
    CHECK(names == want);
    const std::string ra = forms::format_record_id(a);
    const std::string rb = forms::format_record_id(b);
    const std::vector<std::string> expected_order{
        "manifest.json",
        "manifest.json.minisig",
        "log/checkpoint",
        "records/" + ra + "-v1.json",
        "records/" + ra + "-v1.json.minisig",
        "records/" + ra + "-v1.inclusion.json",
        "records/" + rb + "-v1.json",
        "records/" + rb + "-v1.json.minisig",
        "records/" + rb + "-v1.inclusion.json",
        "records/" + rb + "-v2.json",
        "records/" + rb + "-v2.json.minisig",
        "records/" + rb + "-v2.inclusion.json",
        "records/" + rb + "-withdrawal.json",
        "records/" + rb + "-withdrawal.json.minisig",
        "records/" + rb + "-withdrawal.inclusion.json",
        "attachments/" + crypto::to_hex(file_sha),
        "padding",
    };
    CHECK(names == expected_order);

    // minisign: the manifest and every document.
    auto verify = [&](const std::string& rel, const std::string& comment_prefix) {
        CAPTURE(rel);
        auto r =
            run_process({kMinisign.string(), "-Vm", (x / rel).string(), "-P", pub}, {}, tmp.path());
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        CHECK_MESSAGE(contains(r.out, "Trusted comment: " + comment_prefix), r.out);
    };
    verify("manifest.json", "svidok bundle manifest " + id_hex);
    int documents = 0;
    for (const auto& f : manifest->files) {
        if (f.path.starts_with("records/") && f.path.ends_with(".json") &&
            !f.path.ends_with(".inclusion.json")) {
            verify(f.path, "");
            ++documents;
        }
    }
    CHECK(documents == 4);

    // sha256sum and sizes of every listed file.
    std::vector<std::string> paths;
    for (const auto& f : manifest->files) paths.push_back(f.path);
    std::vector<std::string> args{x.string()};
    args.insert(args.end(), paths.begin(), paths.end());
    auto sums = sh(tmp.path(), "cd \"$1\" && shift && /usr/bin/sha256sum \"$@\"", args);
    REQUIRE_MESSAGE(sums.exit_code == 0, sums.err);
    const auto sum_lines = lines_of(sums.out);
    REQUIRE(sum_lines.size() == manifest->files.size());
    for (std::size_t i = 0; i < manifest->files.size(); ++i) {
        const auto& f = manifest->files[i];
        CAPTURE(f.path);
        CHECK(sum_lines[i] == crypto::to_hex(f.sha256) + "  " + f.path);
        CHECK(fs::file_size(x / f.path) == f.size);
    }
    // The padding is zeros, and the extracted attachment is the file that was attached.
    const std::string padding = read_file(x / "padding");
    CHECK(std::ranges::all_of(padding, [](char c) { return c == 0; }));
    CHECK(crypto::sha256(crypto::as_bytes(
              read_file(x / ("attachments/" + crypto::to_hex(file_sha))))) == file_sha);
    CHECK(read_file(x / ("attachments/" + crypto::to_hex(file_sha))) ==
          random_bytes(200 * 1024 + 3, 7));
}

TEST_CASE("a bundle encrypted by the stock age -r imports") {
    if (!tools_available()) return;
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    field.sealed_with_file(tmp.path(), 150 * 1024, 3);
    field.sealed();
    const auto ex = field.export_to({"legal"}, tmp / "out");
    const std::string id_hex = forms::format_bundle_id(ex.bundle);

    const fs::path key = legal.write_age_identity(tmp / "key.txt");
    const fs::path plain = tmp / "plain.tar";
    age_decrypt_to(tmp.path(), key, ex.file, plain);
    CHECK(fs::file_size(plain) == forms::padme(ex.content_bytes));

    const fs::path re = tmp / "re";
    fs::create_directories(re);
    const fs::path file = re / (id_hex + ".age");
    auto enc = run_process(
        {kAge.string(), "-r", legal.age_recipient(), "-o", file.string(), plain.string()}, {},
        tmp.path());
    REQUIRE_MESSAGE(enc.exit_code == 0, enc.err);
    const std::string bytes = read_file(file);
    CHECK(bytes.starts_with("age-encryption.org/v1\n-> X25519 "));
    CHECK(bytes != read_file(ex.file));
    auto sk = field.id.signing_key();
    REQUIRE(sk.has_value());
    auto sig = crypto::minisign::sign(*sk, crypto::as_bytes(bytes),
                                      forms::bundle_trusted_comment(ex.bundle), "x");
    REQUIRE(sig.has_value());
    write_file(re / (id_hex + ".age.minisig"), *sig);

    const auto im = legal.import_ok(file, field, tmp / "receipts");
    CHECK_FALSE(im.already_imported);
    CHECK(im.bundle == ex.bundle);
    CHECK(im.records == 2);
    CHECK(im.documents == 2);
    CHECK(im.attachments == 1);
    CHECK(im.newly_pinned);
    CHECK(fs::exists(im.receipt));

    // The original file has the same id with another signature: a different bundle.
    const auto held = snapshot(legal.dir);
    auto other = legal.import(ex.file, field.fingerprint(), tmp / "receipts");
    REQUIRE_FALSE(other.has_value());
    CHECK(other.error().code == Errc::integrity);
    CHECK_MESSAGE(contains(other.error().message, "a different bundle"), other.error().message);
    CHECK(snapshot(legal.dir) == held);
}

TEST_CASE("a later bundle proves consistency with the earlier one; an older one is refused") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    Party legal2(tmp / "legal2");
    field.add_recipient("legal", legal);
    field.add_recipient("legal2", legal2);
    const auto a = field.sealed_with_file(tmp.path(), 40 * 1024, 11);
    field.sealed();
    const auto ex1 = field.export_to({"legal", "legal2"}, tmp / "out1");
    const std::uint64_t n1 = ex1.checkpoint_size;
    CHECK(n1 == 2);

    const auto im1 = legal.import_ok(ex1.file, field, tmp / "r1");
    CHECK(im1.checkpoint_size == n1);

    field.sealed();
    field.amend(a, "A second version of the first record.");
    const auto ex2 = field.export_to({"legal", "legal2"}, tmp / "out2");
    const std::uint64_t n2 = ex2.checkpoint_size;
    CHECK(n2 == 4);
    CHECK(ex2.records == 2);    // the new record and the amended one, whole
    CHECK(ex2.documents == 3);  // a v1, a v2, c v1
    {
        std::set<std::string> names;
        for (const auto& [path, data] : legal.open_bundle(ex2.file)) names.insert(path);
        CHECK(names.contains(forms::consistency_path(n1)));
        CHECK(names.contains("log/consistency-" + std::to_string(n1) + ".json"));
    }

    const auto im2 = legal.import_ok(ex2.file, field, tmp / "r2");
    CHECK_FALSE(im2.newly_pinned);
    REQUIRE(im2.previous_checkpoint_size.has_value());
    CHECK(*im2.previous_checkpoint_size == n1);
    CHECK(im2.checkpoint_size == n2);
    CHECK(im2.documents == 3);
    CHECK(im2.new_documents == 2);  // a v1 was held already
    CHECK(im2.log_entries_missing == 0);
    {
        auto senders = legal.bundles.senders();
        REQUIRE(senders.has_value());
        REQUIRE(senders->size() == 1);
        CHECK((*senders)[0].checkpoint_size == n2);
        CHECK((*senders)[0].documents == 4);
    }

    // A vault that holds bundle 2 refuses the older bundle 1: the log would go back.
    const auto im2b = legal2.import_ok(ex2.file, field, tmp / "r3");
    CHECK(im2b.checkpoint_size == n2);
    CHECK_FALSE(im2b.previous_checkpoint_size.has_value());
    CHECK(im2b.log_entries_missing == 1);  // record b's v1 never reached legal2
    const auto before = snapshot(legal2.dir);
    auto old = legal2.import(ex1.file, field.fingerprint(), tmp / "r4");
    REQUIRE_FALSE(old.has_value());
    CHECK(old.error().code == Errc::integrity);
    CHECK_MESSAGE(contains(old.error().message, "rolled back"), old.error().message);
    CHECK(snapshot(legal2.dir) == before);
    CHECK(files_in(tmp / "r4").empty());
}

TEST_CASE("a bundle for another recipient is not addressed to this vault") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    Party third(tmp / "third");
    field.add_recipient("legal", legal);
    field.add_recipient("third", third);
    field.sealed_with_file(tmp.path(), 20 * 1024, 5);
    const auto ex = field.export_to({"third"}, tmp / "shared" / "outbox");

    const auto before = snapshot(legal.dir);
    auto r = legal.import(ex.file, field.fingerprint(), tmp / "receipts");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::auth_failed);
    CHECK_MESSAGE(contains(r.error().message, "not addressed to this vault"), r.error().message);
    CHECK(snapshot(legal.dir) == before);
    CHECK(files_in(tmp / "receipts").empty());

    // sync skips it silently, remembering it in the spool so it is not taken again.
    const std::string device = field.id.log_origin().substr(14);
    fs::create_directories(tmp / "shared" / "outbox" / device);
    for (const auto& f : {ex.signature, ex.file}) {
        fs::copy_file(f, tmp / "shared" / "outbox" / device / f.filename());
    }
    const auto db_before = read_file(legal.dir / "vault.db");
    store::MailboxSyncOptions so;
    so.trust_fingerprint = field.fingerprint();
    auto s = legal.remotes.sync_folder(tmp / "shared", so);
    REQUIRE_MESSAGE(s.has_value(), error_of(s));
    CHECK(s->imported.empty());
    CHECK(s->problems.empty());
    CHECK(read_file(legal.dir / "vault.db") == db_before);
    CHECK(fs::exists(legal.dir / "spool/folder/in" / device /
                     (ex.file.filename().string() + ".not-addressed")));
    auto again = legal.remotes.sync_folder(tmp / "shared", so);
    REQUIRE(again.has_value());
    CHECK(again->transfer.bytes_down == 0);

    // The third vault reads it.
    const auto im = third.import_ok(ex.file, field, tmp / "receipts");
    CHECK(im.documents == 1);
}

TEST_CASE("sync through a shared folder, both ways, then nothing more to do") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    const fs::path folder = tmp / "shared";
    fs::create_directories(folder);
    field.add_recipient("legal", legal);
    field.sealed_with_file(tmp.path(), 64 * 1024, 9);
    field.sealed();
    const std::string device = field.id.log_origin().substr(14);
    const fs::path outbox = folder / "outbox" / device;
    const fs::path receipts = folder / "receipts" / device;

    store::MailboxSyncOptions fo;
    store::MailboxSyncOptions lo;
    lo.trust_fingerprint = legal.fingerprint();  // wrong at first: the sender is field

    // Field side: one bundle into outbox/<device>/, its spool copy gone once published.
    auto f1 = field.remotes.sync_folder(folder, fo);
    REQUIRE_MESSAGE(f1.has_value(), error_of(f1));
    REQUIRE(f1->exported.size() == 1);
    CHECK(f1->exported[0].documents == 2);
    CHECK(f1->receipts.empty());
    CHECK(f1->imported.empty());
    CHECK(f1->problems.empty());
    const std::string id_hex = forms::format_bundle_id(f1->exported[0].bundle);
    CHECK(f1->published == std::vector<std::string>{id_hex + ".age"});
    CHECK(files_in(outbox) ==
          std::vector<fs::path>{outbox / (id_hex + ".age"), outbox / (id_hex + ".age.minisig")});
    CHECK(files_in(field.dir / "spool/folder/out").empty());

    // Files still being written, or without their signature, are left alone.
    const std::string other_hex = forms::format_bundle_id(forms::new_bundle_id());
    const std::string third_hex = forms::format_bundle_id(forms::new_bundle_id());
    write_file(outbox / (other_hex + ".age.tmp"), "half a bundle");
    write_file(outbox / (third_hex + ".age"), random_bytes(5000, 1));
    write_file(outbox / (third_hex + ".age.p00000"), random_bytes(100, 2));

    // Legal side with a fingerprint that is not the sender's: a problem, nothing imported, the
    // bundle left in the folder.
    {
        const auto before = read_file(legal.dir / "vault.db");
        auto l0 = legal.remotes.sync_folder(folder, lo);
        REQUIRE_MESSAGE(l0.has_value(), error_of(l0));
        CHECK(l0->imported.empty());
        REQUIRE(l0->problems.size() == 1);
        CHECK(contains(l0->problems[0], id_hex + ".age"));
        CHECK(read_file(legal.dir / "vault.db") == before);
        CHECK(files_in(receipts).empty());
        CHECK(fs::exists(outbox / (id_hex + ".age")));
    }

    // Legal side: imports it (from the copy kept in its spool), publishes the receipt, then
    // archives the bundle.
    lo.trust_fingerprint = field.fingerprint();
    auto l1 = legal.remotes.sync_folder(folder, lo);
    REQUIRE_MESSAGE(l1.has_value(), error_of(l1));
    CHECK(l1->exported.empty());
    CHECK(l1->receipts.empty());
    CHECK(l1->problems.empty());
    CHECK(l1->transfer.bytes_down == 0);  // not fetched again
    REQUIRE(l1->imported.size() == 1);
    CHECK(l1->imported[0].bundle == f1->exported[0].bundle);
    CHECK(l1->imported[0].newly_pinned);
    CHECK(l1->receipts_published == 1);
    CHECK(l1->archived == 1);
    const std::string receipt_name = forms::receipt_file_name(
        f1->exported[0].bundle, crypto::X25519Recipient{legal.id.x25519_pk()});
    CHECK(files_in(receipts) == std::vector<fs::path>{receipts / receipt_name});
    CHECK(!fs::exists(outbox / (id_hex + ".age")));
    CHECK(fs::exists(folder / "archive" / device / (id_hex + ".age")));
    CHECK(fs::exists(folder / "archive" / device / (id_hex + ".age.minisig")));

    // Field side: takes the receipt, sends nothing, archives the receipt.
    auto f2 = field.remotes.sync_folder(folder, fo);
    REQUIRE_MESSAGE(f2.has_value(), error_of(f2));
    CHECK(f2->exported.empty());
    REQUIRE(f2->receipts.size() == 1);
    CHECK(f2->receipts[0].bundle == f1->exported[0].bundle);
    CHECK(f2->receipts[0].newly_delivered == 2);
    CHECK(f2->imported.empty());
    CHECK(f2->problems.empty());
    CHECK(files_in(receipts).empty());
    CHECK(field.bundles.purgeable()->size() == 2);

    // Again, both: nothing to do, nothing changes.
    const auto field_before = snapshot(field.dir);
    const auto legal_before = snapshot(legal.dir);
    const auto folder_before = snapshot(folder);
    for (Party* p : {&field, &legal}) {
        auto s = p->remotes.sync_folder(folder, p == &field ? fo : lo);
        REQUIRE_MESSAGE(s.has_value(), error_of(s));
        CHECK(s->exported.empty());
        CHECK(s->receipts.empty());
        CHECK(s->imported.empty());
        CHECK(s->transfer.bytes_up + s->transfer.bytes_down == 0);
        CHECK_MESSAGE(s->problems.empty(), (s->problems.empty() ? "" : s->problems[0]));
    }
    CHECK(snapshot(field.dir) == field_before);
    CHECK(snapshot(legal.dir) == legal_before);
    CHECK(snapshot(folder) == folder_before);
}

TEST_CASE("progress rises through export and import; cancelling changes nothing") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    const std::size_t big = 700 * 1024;
    field.sealed_with_file(tmp.path(), big, 21);
    const auto b = field.sealed();
    field.amend(b, "v2");
    // Issue the checkpoint of this size first, so that a cancelled export has nothing to store
    // (see the separate case on that below).
    REQUIRE(store::DeviceLog(field.vault).checkpoint().has_value());

    const fs::path out = tmp / "out";
    fs::create_directories(out);

    // Export cancelled in the middle of the file.
    {
        const auto before = snapshot(field.dir);
        int calls = 0;
        store::Bundles::ExportOptions o;
        o.to = {"legal"};
        o.out_dir = out;
        o.progress = [&](const store::BundleProgress& p) {
            ++calls;
            return p.bytes_done == 0;  // stop once file bytes flow
        };
        auto r = field.bundles.export_bundle(o);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::usage);
        CHECK(contains(r.error().message, "cancelled"));
        CHECK(calls >= 2);
        CHECK(files_in(out).empty());
        CHECK(snapshot(field.dir) == before);
    }

    // Export with progress.
    std::vector<store::BundleProgress> seen;
    store::Bundles::ExportOptions o;
    o.to = {"legal"};
    o.out_dir = out;
    o.progress = [&](const store::BundleProgress& p) {
        seen.push_back(p);
        return true;
    };
    auto ex = field.bundles.export_bundle(o);
    REQUIRE_MESSAGE(ex.has_value(), error_of(ex));
    CHECK(ex->records == 2);  // the cancelled export did not count as sent
    CHECK(ex->documents == 3);
    REQUIRE(seen.size() >= 3);
    for (std::size_t i = 1; i < seen.size(); ++i) {
        CAPTURE(i);
        CHECK(seen[i].bytes_done >= seen[i - 1].bytes_done);
        CHECK(seen[i].documents_done >= seen[i - 1].documents_done);
        CHECK(seen[i].bytes_total == seen[0].bytes_total);
        CHECK(seen[i].documents_total == seen[0].documents_total);
    }
    CHECK(seen.front().bytes_done < seen.back().bytes_done);
    CHECK(seen.back().bytes_done == big);
    CHECK(seen.back().bytes_total == big);
    CHECK(seen.back().documents_done == seen.back().documents_total);
    CHECK(seen.back().documents_total == ex->documents);

    // Import cancelled in the middle of the file: no partial blob, no receipt, nothing stored.
    const fs::path receipts = tmp / "receipts";
    fs::create_directories(receipts);
    {
        const auto before = snapshot(legal.dir);
        std::uint64_t last = 0;
        store::Bundles::ImportOptions io;
        io.trust_fingerprint = field.fingerprint();
        io.receipt_dir = receipts;
        io.progress = [&](const store::BundleProgress& p) {
            last = p.bytes_done;
            return p.bytes_done < 512 * 1024;
        };
        auto r = legal.bundles.import_bundle(ex->file, io);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::usage);
        CHECK(contains(r.error().message, "cancelled"));
        CHECK(last >= 512 * 1024);
        CHECK(last < ex->file_bytes);
        CHECK(snapshot(legal.dir) == before);
        for (const auto& f : files_in(legal.dir / "attachments")) {
            CHECK_FALSE(f.string().ends_with(".partial"));
        }
        CHECK(files_in(legal.dir / "attachments").empty());
        CHECK(files_in(receipts).empty());
    }

    // Import with progress.
    seen.clear();
    store::Bundles::ImportOptions io;
    io.trust_fingerprint = field.fingerprint();
    io.receipt_dir = receipts;
    io.progress = [&](const store::BundleProgress& p) {
        seen.push_back(p);
        return true;
    };
    auto im = legal.bundles.import_bundle(ex->file, io);
    REQUIRE_MESSAGE(im.has_value(), error_of(im));
    CHECK(im->documents == 3);
    REQUIRE(seen.size() >= 3);
    for (std::size_t i = 1; i < seen.size(); ++i) {
        CAPTURE(i);
        CHECK(seen[i].bytes_done >= seen[i - 1].bytes_done);
        CHECK(seen[i].documents_done >= seen[i - 1].documents_done);
        CHECK(seen[i].bytes_total == ex->file_bytes);
    }
    CHECK(seen.front().bytes_done < seen.back().bytes_done);
    CHECK(seen.back().bytes_done == ex->file_bytes);
    CHECK(seen.back().documents_total > 0);
    CHECK(seen.back().documents_done == seen.back().documents_total);
    CHECK(files_in(receipts).size() == 1);
}

TEST_CASE("a cancelled export leaves the vault as it was, even at a new log size") {
    // BundleProgress: "returning false cancels (... changes nothing)". The export issues and
    // stores a signed checkpoint (DeviceLog::checkpoint) before it writes anything.
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    field.sealed_with_file(tmp.path(), 100 * 1024, 4);
    const fs::path out = tmp / "out";
    fs::create_directories(out);
    const auto before = snapshot(field.dir);
    const auto checkpoints_before = store::DeviceLog(field.vault).checkpoints()->size();
    store::Bundles::ExportOptions o;
    o.to = {"legal"};
    o.out_dir = out;
    o.progress = [](const store::BundleProgress&) { return false; };
    auto r = field.bundles.export_bundle(o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::usage);
    CHECK(files_in(out).empty());
    CHECK(store::DeviceLog(field.vault).checkpoints()->size() == checkpoints_before);
    CHECK(snapshot(field.dir) == before);
}

TEST_CASE("the .age size reveals only the padded bucket and the number of recipients") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    Party archive(tmp / "archive");
    field.add_recipient("legal", legal);
    field.add_recipient("archive", archive);

    auto check_size = [&](const store::Bundles::ExportResult& ex, std::uint64_t n, Party& reader) {
        const std::uint64_t padded = forms::padme(ex.content_bytes);
        CHECK(padded >= forms::kMinPaddedBytes);
        CHECK(padded >= ex.content_bytes);
        CHECK(padded % 512 == 0);
        CHECK(ex.file_bytes == age_file_size(padded, n));
        CHECK(fs::file_size(ex.file) == ex.file_bytes);
        // The plaintext is exactly B bytes; the padding entry makes up B - P.
        std::uint64_t plain = 0;
        const auto entries = reader.open_bundle(ex.file, &plain);
        CHECK(plain == padded);
        REQUIRE_FALSE(entries.empty());
        CHECK(entries.back().first == "padding");
        CHECK(entries.back().second.size() == padded - ex.content_bytes);
    };

    // 10 KiB and 20 KiB of content: the same size on disk.
    field.sealed_with_file(tmp.path(), 10 * 1024, 31);
    const auto ex1 = field.export_to({"legal"}, tmp / "o1");
    field.sealed_with_file(tmp.path(), 20 * 1024, 32);
    const auto ex2 = field.export_to({"legal"}, tmp / "o2");
    CHECK(ex2.records == 1);
    CHECK(ex1.content_bytes != ex2.content_bytes);
    CHECK(ex1.content_bytes < forms::kMinPaddedBytes);
    CHECK(ex2.content_bytes < forms::kMinPaddedBytes);
    CHECK(ex1.file_bytes == ex2.file_bytes);
    CHECK(fs::file_size(ex1.file) == fs::file_size(ex2.file));
    check_size(ex1, 1, legal);
    check_size(ex2, 1, legal);
    CHECK(ex1.file_bytes == age_file_size(forms::kMinPaddedBytes, 1));

    // Two recipients: one more stanza.
    const auto ex3 = field.export_to({"legal", "archive"}, tmp / "o3", Selection::all);
    check_size(ex3, 2, archive);
    CHECK(ex3.file_bytes == age_file_size(forms::kMinPaddedBytes, 2));

    // Above the minimum: a Padmé bucket (2^15 steps at this size), not the exact length.
    field.sealed_with_file(tmp.path(), 1300 * 1024 + 123, 33);
    const auto ex4 = field.export_to({"legal"}, tmp / "o4");
    CHECK(ex4.content_bytes > forms::kMinPaddedBytes);
    check_size(ex4, 1, legal);
    const std::uint64_t b4 = forms::padme(ex4.content_bytes);
    CHECK(b4 % (std::uint64_t{1} << 15) == 0);
    CHECK(b4 - ex4.content_bytes < (std::uint64_t{1} << 15));
}

TEST_CASE("a damaged or mismatched bundle file is refused and changes nothing") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    field.sealed_with_file(tmp.path(), 100 * 1024, 51);
    field.sealed();
    const auto ex1 = field.export_to({"legal"}, tmp / "o1");
    const auto ex2 = field.export_to({"legal"}, tmp / "o2", Selection::all);
    const std::string original = read_file(ex1.file);
    const fs::path bad = tmp / "bad";
    fs::create_directories(bad);
    const fs::path file = bad / ex1.file.filename();
    const fs::path sig = bad / ex1.signature.filename();
    const auto before = snapshot(legal.dir);

    auto refused = [&](std::string_view what, Errc code, std::string_view needle) {
        CAPTURE(what);
        auto r = legal.import(file, field.fingerprint(), tmp / "receipts");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == code);
        CHECK_MESSAGE(contains(r.error().message, needle), r.error().message);
        CHECK(snapshot(legal.dir) == before);
        CHECK(files_in(tmp / "receipts").empty());
    };

    // No signature beside it.
    write_file(file, original);
    {
        auto r = legal.import(file, field.fingerprint(), tmp / "receipts");
        REQUIRE_FALSE(r.has_value());
        CHECK(contains(r.error().message, ".minisig"));
    }
    // One byte of the payload changed, in the middle of the attachment.
    write_file(sig, read_file(ex1.signature));
    std::string flipped = original;
    flipped[60 * 1024] = static_cast<char>(flipped[60 * 1024] ^ 0x01);
    write_file(file, flipped);
    refused("payload", Errc::integrity, "altered");
    // The header changed.
    flipped = original;
    flipped[40] = static_cast<char>(flipped[40] == 'A' ? 'B' : 'A');
    write_file(file, flipped);
    {
        auto r = legal.import(file, field.fingerprint(), tmp / "receipts");
        REQUIRE_FALSE(r.has_value());
        CHECK(snapshot(legal.dir) == before);
    }
    // Truncated by one byte and by one chunk.
    write_file(file, original.substr(0, original.size() - 1));
    refused("truncated", Errc::integrity, "truncated");
    write_file(file, original.substr(0, original.size() - 65536 - 16));
    refused("truncated by a chunk", Errc::integrity, "truncated");
    // Another bundle's signature, renamed.
    write_file(file, original);
    write_file(sig, read_file(ex2.signature));
    refused("other signature", Errc::integrity, "the manifest names bundle");
    // The other bundle's file under this one's name and signature.
    write_file(file, read_file(ex2.file));
    write_file(sig, read_file(ex1.signature));
    refused("other file", Errc::integrity, "");
    // Intact again: imports.
    write_file(file, original);
    auto ok = legal.import(file, field.fingerprint(), tmp / "receipts");
    REQUIRE_MESSAGE(ok.has_value(), error_of(ok));
}

TEST_CASE("bundles signed by the sender's own key but breaking the rules are refused") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    crypto::Sha256Digest file_sha{};
    const auto a = field.sealed_with_file(tmp.path(), 30 * 1024, 61, &file_sha);
    const auto b = field.sealed();
    field.amend(b, "v2");
    // Read the real bundle's parts, through a third vault that receives it.
    Party reader(tmp / "reader");
    field.add_recipient("reader", reader);
    const auto ex = field.export_to({"reader"}, tmp / "o", Selection::all);
    auto all = reader.open_bundle(ex.file);
    auto base = forms::Manifest::parse(all.at(0).second);
    REQUIRE(base.has_value());
    std::vector<std::pair<std::string, std::string>> entries(all.begin() + 2, all.end() - 1);
    const std::string rb = forms::format_record_id(b);
    const auto before = snapshot(legal.dir);
    int n = 0;

    auto refused = [&](std::string_view what,
                       const std::vector<std::pair<std::string, std::string>>& e, const Forge& how,
                       std::string_view needle) {
        CAPTURE(what);
        const fs::path f =
            forge_bundle(field, legal, tmp / ("f" + std::to_string(n++)), *base, e, how);
        auto r = legal.import(f, field.fingerprint(), tmp / "receipts");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::integrity);
        CHECK_MESSAGE(contains(r.error().message, needle), r.error().message);
        CHECK(snapshot(legal.dir) == before);
        CHECK(files_in(tmp / "receipts").empty());
    };
    auto without = [&](std::string_view prefix) {
        auto e = entries;
        std::erase_if(e, [&](const auto& x) { return x.first.starts_with(prefix); });
        return e;
    };

    refused("a version missing", without("records/" + rb + "-v1."), {},
            "version 1 is neither in the bundle nor received before");
    Forge nonzero;
    nonzero.nonzero_padding = true;
    refused("padding not zero", entries, nonzero, "padding");
    Forge trailing;
    trailing.after_end = std::string(512, '\0');
    refused("bytes after the tar end", entries, trailing, "after the end");
    {
        auto e = entries;
        const std::string extra = "not listed by any record";
        e.emplace_back("attachments/" + crypto::to_hex(crypto::sha256(crypto::as_bytes(extra))),
                       extra);
        refused("a file no record lists", e, {}, "no record in it lists");
    }
    refused("a listed file missing", without("attachments/"), {}, "does not hold");
    {
        // Two inclusion proofs swapped.
        auto e = entries;
        auto p1 = std::ranges::find_if(
            e, [&](const auto& x) { return x.first == "records/" + rb + "-v1.inclusion.json"; });
        auto p2 = std::ranges::find_if(
            e, [&](const auto& x) { return x.first == "records/" + rb + "-v2.inclusion.json"; });
        REQUIRE(p1 != e.end());
        REQUIRE(p2 != e.end());
        std::swap(p1->second, p2->second);
        refused("proofs swapped", e, {}, "inclusion");
    }
    {
        // A file whose bytes differ from what the manifest states.
        auto e = entries;
        Forge how;
        for (const auto& [path, data] : e) {
            how.files.push_back({path, data.size(), crypto::sha256(crypto::as_bytes(data))});
        }
        auto it = std::ranges::find_if(
            e, [](const auto& x) { return x.first.starts_with("attachments/"); });
        REQUIRE(it != e.end());
        it->second[100] = static_cast<char>(it->second[100] ^ 1);
        refused("file altered", e, how, "SHA-256");
    }

    // The same entries, untouched, import: the refusals came from the changes alone.
    const fs::path good = forge_bundle(field, legal, tmp / "good", *base, entries);
    auto ok = legal.import(good, field.fingerprint(), tmp / "receipts");
    REQUIRE_MESSAGE(ok.has_value(), error_of(ok));
    CHECK(ok->documents == 3);
    CHECK(ok->attachments == 1);
    (void)a;
}

TEST_CASE("an attachment entry must be named by its SHA-256") {
    // docs/FORMAT.md 12.4: `attachments/<sha256 hex>` holds the file with that hash. The stock
    // tools (sha256sum on the extracted tree) rely on the name.
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    Party reader(tmp / "reader");
    field.add_recipient("reader", reader);
    crypto::Sha256Digest file_sha{};
    field.sealed_with_file(tmp.path(), 10 * 1024, 71, &file_sha);
    const auto ex = field.export_to({"reader"}, tmp / "o");
    auto all = reader.open_bundle(ex.file);
    auto base = forms::Manifest::parse(all.at(0).second);
    REQUIRE(base.has_value());
    std::vector<std::pair<std::string, std::string>> entries(all.begin() + 2, all.end() - 1);
    auto it = std::ranges::find_if(
        entries, [](const auto& x) { return x.first.starts_with("attachments/"); });
    REQUIRE(it != entries.end());
    crypto::Sha256Digest other = file_sha;
    other[0] ^= 0xff;
    // A manifest naming the entry by another hash is refused when written and when read.
    forms::Manifest m = *base;
    for (auto& f : m.files) {
        if (f.path == it->first) f.path = "attachments/" + crypto::to_hex(other);
    }
    auto written = m.to_json();
    REQUIRE_FALSE(written.has_value());
    CHECK(contains(written.error().message, "not named by its SHA-256"));
    std::string text = all.at(0).second;
    const auto at = text.find(crypto::to_hex(file_sha));
    REQUIRE(at != std::string::npos);
    text.replace(at, 64, crypto::to_hex(other));
    auto read = forms::Manifest::parse(text);
    REQUIRE_FALSE(read.has_value());
    CHECK(contains(read.error().message, "not named by its SHA-256"));
}

TEST_CASE("a sender vault restored from an old copy cannot rewrite or roll back the log") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    field.sealed();
    field.sealed();
    const auto ex1 = field.export_to({"legal"}, tmp / "o1");
    legal.import_ok(ex1.file, field, tmp / "r");
    fs::copy(field.dir, tmp / "backup", fs::copy_options::recursive);
    field.sealed();
    field.sealed();
    const auto ex2 = field.export_to({"legal"}, tmp / "o2");
    legal.import_ok(ex2.file, field, tmp / "r");  // legal now holds 4 entries

    Party restored(tmp / "backup", Party::Existing{});
    CHECK(restored.fingerprint() == field.fingerprint());
    const auto before = snapshot(legal.dir);
    auto refused = [&](const store::Bundles::ExportResult& ex, std::string_view what) {
        CAPTURE(what);
        auto r = legal.import(ex.file, std::nullopt, tmp / "r2");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::integrity);
        CHECK_MESSAGE((contains(r.error().message, "rewritten") ||
                       contains(r.error().message, "rolled back") ||
                       contains(r.error().message, "consistency")),
                      r.error().message);
        CHECK(snapshot(legal.dir) == before);
    };
    // 3 entries, the third differing from the one legal holds.
    restored.sealed();
    refused(restored.export_to({"legal"}, tmp / "o3"), "3 entries");
    // 4 entries: same size, another root.
    restored.sealed();
    refused(restored.export_to({"legal"}, tmp / "o4", Selection::all), "4 entries");
    // 5 entries: larger, but not an extension.
    restored.sealed();
    refused(restored.export_to({"legal"}, tmp / "o5", Selection::all), "5 entries");
    CHECK(files_in(tmp / "r2").empty());
}

TEST_CASE("a withdrawal of consent signed after delivery and purge still reaches the recipient") {
    // A witness may withdraw consent after the records were delivered and purged from the
    // field device. Records::withdraw_consent signs and logs the withdrawal; it must then be
    // possible to send it to the legal team.
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    const auto a = field.sealed_with_file(tmp.path(), 30 * 1024, 41);
    const auto ex = field.export_to({"legal"}, tmp / "out");
    const auto im = legal.import_ok(ex.file, field, tmp / "receipts");
    REQUIRE(field.bundles.import_receipt(im.receipt).has_value());
    REQUIRE(*field.bundles.purge_delivered() == 1);

    auto w = field.records.withdraw_consent(a);
    REQUIRE_MESSAGE(w.has_value(), error_of(w));
    CHECK(store::DeviceLog(field.vault).verify()->ok());

    store::Bundles::ExportOptions o;
    o.to = {"legal"};
    o.out_dir = tmp / "out2";
    fs::create_directories(o.out_dir);
    auto ex2 = field.bundles.export_bundle(o);
    REQUIRE_MESSAGE(ex2.has_value(), "the withdrawal cannot be exported: " << error_of(ex2));
    auto im2 = legal.import(ex2->file, std::nullopt, tmp / "receipts2");
    REQUIRE_MESSAGE(im2.has_value(), error_of(im2));
    CHECK(im2->new_documents == 1);
}

TEST_CASE("a bundle may leave out versions the recipient already holds (FORMAT.md 12.7 step 8)") {
    // "for each record, version 1 and every later version up to the newest are present (in the
    // bundle or already held)". A withdrawal sent after the versions were delivered (and, on the
    // sender, purged) can only come this way.
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    Party reader(tmp / "reader");
    field.add_recipient("legal", legal);
    field.add_recipient("reader", reader);
    const auto a = field.sealed();
    const auto ex1 = field.export_to({"legal"}, tmp / "o1");
    legal.import_ok(ex1.file, field, tmp / "r");
    field.withdraw(a);
    // Exported to both, so that it carries the consistency proof from what legal holds.
    const auto ex2 = field.export_to({"legal", "reader"}, tmp / "o2", Selection::all);
    auto all = reader.open_bundle(ex2.file);
    auto base = forms::Manifest::parse(all.at(0).second);
    REQUIRE(base.has_value());
    std::vector<std::pair<std::string, std::string>> entries(all.begin() + 2, all.end() - 1);
    const std::string ra = forms::format_record_id(a);
    std::erase_if(entries,
                  [&](const auto& x) { return x.first.starts_with("records/" + ra + "-v1."); });
    REQUIRE(entries.size() == 5);  // checkpoint, consistency-1, the withdrawal's three
    const fs::path f = forge_bundle(field, legal, tmp / "f", *base, entries);
    auto r = legal.import(f, std::nullopt, tmp / "r2");
    REQUIRE_MESSAGE(r.has_value(), error_of(r));
    CHECK(r->new_documents == 1);
    CHECK(*r->previous_checkpoint_size == 1);
}

TEST_CASE("a receipt from one recipient is delivery to it alone (issue 19)") {
    // The reviewer's case: legal is the seal recipient, archive another recipient. A bundle
    // sent only to archive and its receipt must neither make the record purgeable nor keep it
    // from legal's next --undelivered export.
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    Party archive(tmp / "archive");
    field.add_recipient("legal", legal);  // the first: the seal recipient
    field.add_recipient("archive", archive);
    const auto rid = field.sealed();
    CHECK(*field.bundles.pending("legal") == std::vector<store::RecordId>{rid});
    CHECK(*field.bundles.pending("archive") == std::vector<store::RecordId>{rid});

    const auto to_archive = field.export_to({"archive"}, tmp / "a");
    const auto im = archive.import_ok(to_archive.file, field, tmp / "ra");
    REQUIRE(field.bundles.import_receipt(im.receipt).has_value());
    CHECK(field.bundles.pending("archive")->empty());
    CHECK(*field.bundles.pending("legal") == std::vector<store::RecordId>{rid});

    // Not purgeable, and the list does not call it delivered.
    CHECK(field.bundles.purgeable()->empty());
    CHECK(*field.bundles.purge_delivered() == 0);
    CHECK(field.records.info(rid)->versions == 1);
    CHECK(field.records.answers(rid).has_value());
    {
        auto d = field.bundles.delivery(rid);
        REQUIRE_MESSAGE(d.has_value(), error_of(d));
        CHECK(d->documents == 1);
        CHECK_FALSE(d->confirmed_by_custodians);
        REQUIRE(d->recipients.size() == 2);
        CHECK(d->recipients[0].recipient == "archive");
        CHECK_FALSE(d->recipients[0].custodian);
        CHECK(d->recipients[0].sent == 1);
        CHECK(d->recipients[0].confirmed == 1);
        CHECK(d->recipients[1].recipient == "legal");
        CHECK(d->recipients[1].custodian);
        CHECK(d->recipients[1].sent == 0);
        CHECK(d->recipients[1].confirmed == 0);
    }
    const auto status = [&] {
        auto index = store::RecordIndex::open(field.vault);
        REQUIRE(index.has_value());
        auto rows = index->query(store::RecordFilter{});
        REQUIRE(rows.has_value());
        REQUIRE(rows->size() == 1);
        return (*rows)[0].status;
    };
    CHECK(status() == store::ListStatus::sealed);

    // --undelivered to legal sends it; legal's receipt makes it purgeable.
    const auto to_legal = field.export_to({"legal"}, tmp / "l");
    CHECK(to_legal.records == 1);
    CHECK(field.bundles.pending("legal")->empty());
    const auto im2 = legal.import_ok(to_legal.file, field, tmp / "rl");
    REQUIRE(field.bundles.import_receipt(im2.receipt).has_value());
    CHECK(*field.bundles.purgeable() == std::vector<store::RecordId>{rid});
    CHECK(field.bundles.delivery(rid)->confirmed_by_custodians);
    CHECK(status() == store::ListStatus::delivered);

    // Choosing archive as a custodian too changes nothing here (both confirmed); with no seal
    // recipient, every recipient is a custodian; a new recipient then must confirm as well.
    REQUIRE(field.bundles.set_seal_recipients(std::vector<std::string>{}).has_value());
    CHECK(*field.bundles.purgeable() == std::vector<store::RecordId>{rid});
    Party escrow(tmp / "escrow");
    field.add_recipient("escrow", escrow);  // becomes the seal recipient (fixture rule)
    CHECK(field.bundles.purgeable()->empty());
    CHECK(status() == store::ListStatus::sealed);
    REQUIRE(field.bundles.set_seal_recipients(std::vector<std::string>{"legal"}).has_value());
    CHECK(*field.bundles.purgeable() == std::vector<store::RecordId>{rid});
    CHECK(status() == store::ListStatus::delivered);
}

TEST_CASE("sync sends each recipient what it lacks (issue 19)") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    Party archive(tmp / "archive");
    field.add_recipient("legal", legal);
    field.add_recipient("archive", archive);
    field.sealed();
    field.export_to({"archive"}, tmp / "a");
    field.sealed();
    const fs::path folder = tmp / "shared";
    fs::create_directories(folder);
    const fs::path outbox = folder / "outbox" / field.id.log_origin().substr(14);
    auto s = field.remotes.sync_folder(folder, store::MailboxSyncOptions{});
    REQUIRE_MESSAGE(s.has_value(), error_of(s));
    // legal lacks both records, archive only the second: two bundles.
    REQUIRE(s->exported.size() == 2);
    std::set<std::uint64_t> sizes{s->exported[0].records, s->exported[1].records};
    CHECK(sizes == std::set<std::uint64_t>{1, 2});
    for (const auto& e : s->exported) {
        auto entries = (e.records == 2 ? legal : archive).open_bundle(outbox / e.file.filename());
        CHECK(std::ranges::count_if(entries, [](const auto& x) {
                  return x.first.ends_with("-v1.json");
              }) == static_cast<std::ptrdiff_t>(e.records));
    }
    CHECK(field.bundles.pending("legal")->empty());
    CHECK(field.bundles.pending("archive")->empty());
}

TEST_CASE(
    "an altered copy of a bundle imported before is refused, not called imported (issue 19)") {
    TempDir tmp;
    Party field(tmp / "field");
    Party legal(tmp / "legal");
    field.add_recipient("legal", legal);
    field.sealed();
    const auto ex = field.export_to({"legal"}, tmp / "out");
    legal.import_ok(ex.file, field, tmp / "receipts");

    // An exact copy under another name: imported before, nothing changed.
    const fs::path copies = tmp / "copies";
    fs::create_directories(copies);
    fs::copy_file(ex.file, copies / "same.age");
    fs::copy_file(ex.signature, copies / "same.age.minisig");
    const auto before = snapshot(legal.dir);
    auto same = legal.import(copies / "same.age", std::nullopt, tmp / "receipts");
    REQUIRE_MESSAGE(same.has_value(), error_of(same));
    CHECK(same->already_imported);

    // One byte of the ciphertext changed, the signature file kept: an integrity failure.
    std::string bytes = read_file(ex.file);
    for (std::size_t at : {std::size_t{200}, bytes.size() / 2, bytes.size() - 1}) {
        std::string altered = bytes;
        altered[at] = static_cast<char>(altered[at] ^ 0x01);
        write_file(copies / "altered.age", altered);
        fs::copy_file(ex.signature, copies / "altered.age.minisig",
                      fs::copy_options::overwrite_existing);
        auto r = legal.import(copies / "altered.age", std::nullopt, tmp / "receipts");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::integrity);
        CHECK(r.error().kind == "bundle.altered_copy");
        CHECK(r.error().arg("bundle") == forms::format_bundle_id(ex.bundle));
        CHECK_MESSAGE(contains(r.error().message, "differs from the one imported before"),
                      r.error().message);
    }
    // Appended bytes likewise.
    write_file(copies / "altered.age", bytes + "x");
    auto longer = legal.import(copies / "altered.age", std::nullopt, tmp / "receipts");
    REQUIRE_FALSE(longer.has_value());
    CHECK(longer.error().kind == "bundle.altered_copy");
    CHECK(snapshot(legal.dir) == before);
}

TEST_CASE("the fingerprint covers the log origin: no sender claims another device's (issue 19)") {
    TempDir tmp;
    Party a(tmp / "a");
    Party legal(tmp / "legal");
    std::string fingerprint_b;
    {
        // B's fingerprint as its `identity` shows it, over B's own origin.
        Party b(tmp / "b");
        fingerprint_b = b.fingerprint();
        b.add_recipient("legal", legal);
        // B's vault then claims A's origin: its device id rewritten to A's.
        const std::string sql = "UPDATE identity SET device_id = x'" +
                                crypto::to_hex(a.id.device_id) + "' WHERE id = 1";
        REQUIRE(store::detail::database(b.vault).exec(sql.c_str()).has_value());
    }
    Party b(tmp / "b", Party::Existing{});
    REQUIRE(b.id.log_origin() == a.id.log_origin());
    b.sealed();
    const auto forged = b.export_to({"legal"}, tmp / "from-b");
    const auto before = snapshot(legal.dir);
    auto r = legal.import(forged.file, fingerprint_b, tmp / "receipts");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::auth_failed);
    CHECK_MESSAGE(contains(r.error().message, "does not match"), r.error().message);
    CHECK(snapshot(legal.dir) == before);
    CHECK(legal.bundles.senders()->empty());

    // A, whose origin it is, is not blocked.
    a.add_recipient("legal", legal);
    a.sealed();
    const auto real = a.export_to({"legal"}, tmp / "from-a");
    const auto im = legal.import_ok(real.file, a, tmp / "receipts");
    CHECK(im.newly_pinned);
    CHECK(im.fingerprint == a.fingerprint());
    CHECK(legal.bundles.senders()->at(0).fingerprint == a.fingerprint());
}
