// SPDX-License-Identifier: GPL-3.0-or-later
// The verification report of a bundle (docs/FORMAT.md 17): a good bundle verifies whole; each
// tampering class of the tamper suite (tests/store/test_bundle_tamper.cpp) is named by its
// finding code, a specific message and its meaning; the vault is byte for byte unchanged after
// every verification; the JSON follows the schema; the HTML escapes hostile text and renders in
// headless Chromium to a page that is not blank.

#include "bundle_forge.h"
#include "forms/html.h"
#include "forms/json.h"
#include "forms/record.h"
#include "html_render.h"
#include "store/verification_report.h"

using namespace svidok;
using namespace svidok::test;
using namespace svidok::test::forge;

namespace {

/// Verifies `b` with `party`'s vault, checking that the vault did not change.
store::Report verify(World& w, Party& party, const Sealed& b, std::optional<std::string> trust = {},
                     bool with_sig = true, bool unknown_sender = false) {
    static int n = 0;
    const fs::path dir = w.tmp / ("verify-" + std::to_string(++n));
    fs::create_directories(dir);
    write_file(dir / (b.id + ".age"), b.age);
    if (with_sig) write_file(dir / (b.id + ".age.minisig"), b.sig);
    const Tree before = tree_of(party.vault.dir());
    auto r = party.bundles.verify_bundle(dir / (b.id + ".age"), {std::move(trust), unknown_sender});
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    const Tree after = tree_of(party.vault.dir());
    CHECK_MESSAGE(before == after, "the vault changed:" << tree_diff(before, after));
    CHECK(fs::directory_iterator(dir) != fs::directory_iterator());
    for (const auto& e : fs::directory_iterator(dir)) {  // no receipt written
        CHECK_MESSAGE(!e.path().string().ends_with(".receipt.age"), e.path());
    }
    return std::move(*r);
}

/// The finding with `code`, on the bundle or on any record; nullptr if none.
const store::Finding* find_code(const store::Report& r, std::string_view code,
                                const store::ReportRecord** on = nullptr) {
    for (const auto& f : r.findings) {
        if (f.code == code) return &f;
    }
    for (const auto& rec : r.records) {
        for (const auto& f : rec.findings) {
            if (f.code == code) {
                if (on != nullptr) *on = &rec;
                return &f;
            }
        }
    }
    return nullptr;
}

void require_named(const store::Report& r, std::string_view code, std::string_view needle) {
    const store::Finding* f = find_code(r, code);
    INFO(store::report_text(r));
    REQUIRE_MESSAGE(f != nullptr, "no finding " << code);
    CHECK_MESSAGE(f->message.find(needle) != std::string::npos,
                  "\"" << f->message << "\" lacks \"" << needle << "\"");
    CHECK(!f->meaning.empty());
    CHECK(f->meaning == store::finding_meaning(code));
    CHECK_FALSE(r.all_verified());
}

const store::ReportRecord& record_of(const store::Report& r, const store::RecordId& id,
                                     std::int64_t version) {
    for (const auto& rec : r.records) {
        if (rec.id == forms::format_record_id(id) && rec.version == version) return rec;
    }
    FAIL("no report entry for " << forms::format_record_id(id) << " v" << version);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("verification report: a good bundle, then every tampering class") {
    World w;
    const Plain& pa = w.pa;
    const std::string id = w.a.id;
    const std::string key = w.field->identity().signing_public_key().to_base64();
    REQUIRE(key.starts_with("RW"));

    SUBCASE("a good bundle: every record verified, counts and custody right") {
        const store::Report r = verify(w, *w.legal, w.a);
        INFO(store::report_text(r));
        CHECK(r.all_verified());
        CHECK_FALSE(r.bundle_failed);
        CHECK(r.records.size() == 4);
        CHECK(r.verified_count() == 4);
        CHECK(r.failed_count() == 0);
        CHECK(r.missing.empty());
        CHECK(r.findings.empty());
        CHECK(r.bundle_id == id);
        CHECK(r.sender_fingerprint == w.field_fp);
        CHECK(r.checkpoint_size == std::optional<std::uint64_t>(4));
        CHECK(r.checkpoint_note.find(w.field->identity().log_origin()) != std::string::npos);
        const auto& r2v2 = record_of(r, w.r2, 2);
        CHECK(r2v2.chain == std::vector<std::int64_t>{1, 2});
        CHECK(r2v2.form == "forced-mobilization");
        CHECK(r2v2.signer_key == key);
        CHECK(r2v2.log_index == std::optional<std::uint64_t>(3));
        REQUIRE(r2v2.attachments.size() == 1);
        CHECK(r2v2.attachments[0].name == "a2.bin");
        CHECK(r2v2.attachments[0].size == w.a2.size());
        CHECK(r2v2.attachments[0].sha256 == hex_sha(w.a2));
        CHECK(r2v2.attachments[0].status == "verified");
        // r1 came in a0 already: the custody names that import; r3 is only checked.
        const auto& r1 = record_of(r, w.r1, 1);
        REQUIRE(r1.custody.size() == 3);
        CHECK(r1.custody[0].what.starts_with("sealed on the device "));
        CHECK(r1.custody[1].what == "exported in bundle " + id);
        CHECK(r1.custody[2].what.starts_with("received by this vault in bundle " + w.a0.id));
        CHECK(record_of(r, w.r3, 1).custody[2].what.starts_with("checked from the bundle file"));
        CHECK(r1.attachments.at(0).status == "verified");  // a carries a1 again

        // A vault that never pinned the sender reads no further than the manifest (issue 19),
        // and shows no fingerprint: the person must hear it from the sender.
        const store::Report unknown = verify(w, *w.fresh, w.a);
        CHECK(unknown.bundle_failed);
        CHECK(unknown.records.empty());
        CHECK(unknown.sender_fingerprint.empty());
        const store::Finding* u = find_code(unknown, "sender.unknown");
        REQUIRE(u != nullptr);
        CHECK(u->message.find(w.field_fp) == std::string::npos);
        // Asked to check it anyway: verified, with a note to compare the fingerprint, still
        // not shown; none once the person confirms it, and then it is shown.
        const store::Report fresh = verify(w, *w.fresh, w.a, {}, true, true);
        CHECK(fresh.all_verified());
        CHECK(fresh.verified_count() == 4);
        CHECK(fresh.sender_fingerprint.empty());
        const store::Finding* f = find_code(fresh, "sender.unconfirmed");
        REQUIRE(f != nullptr);
        CHECK(f->severity == store::Finding::Severity::warn);
        CHECK(f->message.find(w.field_fp) == std::string::npos);
        for (const auto& rec : fresh.records) CHECK(rec.signer_fingerprint.empty());
        const store::Report confirmed = verify(w, *w.fresh, w.a, w.field_fp);
        CHECK(confirmed.findings.empty());
        CHECK(confirmed.sender_fingerprint == w.field_fp);
        // Verifying a bundle already imported checks it again, all verified.
        CHECK(verify(w, *w.legal, w.a0).all_verified());
    }

    SUBCASE("one record's signature altered: the record and the key are named") {
        Plain p = pa;
        const auto other = ms::SigningKey::generate();
        auto sig = forms::sign_document(other, p.at(w.doc(w.r3, 1)).data,
                                        forms::record_trusted_comment(w.r3, 1));
        REQUIRE(sig);
        p.at(w.sig_of(w.r3, 1)).data = *sig;
        w.resign_manifest(p);
        const store::Report r = verify(w, *w.legal, w.seal(p, id));
        const store::ReportRecord* on = nullptr;
        const store::Finding* f = find_code(r, "record.signature", &on);
        REQUIRE(f != nullptr);
        REQUIRE(on != nullptr);
        CHECK(on->id == forms::format_record_id(w.r3));
        CHECK(on->signature == "failed");
        CHECK(f->message.find("record " + forms::format_record_id(w.r3) + " version 1") !=
              std::string::npos);
        CHECK(f->message.find("does not match the sender's key " + key) != std::string::npos);
        require_named(r, "record.signature", key);
        CHECK(r.verified_count() == 3);
        CHECK(r.failed_count() == 1);
        CHECK_FALSE(r.bundle_failed);
    }

    SUBCASE("attachment bytes changed: the attachment is named") {
        Plain p = pa;
        auto& att = p.at(w.att(w.a2));
        att.data = flip(att.data, 500, 2);
        const store::Report r = verify(w, *w.legal, w.seal(p, id));
        require_named(r, "attachment.hash", "attachment a2.bin: hash differs");
        const auto& r2v2 = record_of(r, w.r2, 2);
        CHECK_FALSE(r2v2.verified());
        CHECK(r2v2.attachments.at(0).status == "hash differs");
        CHECK(r.verified_count() == 3);
    }

    SUBCASE("a record removed from a bundle whose checkpoint covers it: missing, by log index") {
        Plain p = pa;
        for (const std::string& path : {w.doc(w.r3, 1), w.sig_of(w.r3, 1), w.proof(w.r3, 1)})
            p.entries.erase(p.entries.begin() + static_cast<std::ptrdiff_t>(p.index(path)));
        w.resign_manifest(p);
        const store::Report r = verify(w, *w.legal, w.seal(p, id));
        CHECK(r.missing == std::vector<std::uint64_t>{2});
        require_named(r, "log.missing", "log entries 2 of the sender's checkpoint (4 entries)");
        CHECK(r.verified_count() == 3);
        CHECK(r.failed_count() == 0);
    }

    SUBCASE("an inclusion proof altered") {
        Plain p = pa;
        p.at(w.proof(w.r3, 1)).data = pa.entries[pa.index(w.proof(w.r1, 1))].data;
        w.resign_manifest(p);
        const store::Report r = verify(w, *w.legal, w.seal(p, id));
        require_named(r, "record.inclusion", w.proof(w.r3, 1));
        CHECK(record_of(r, w.r3, 1).inclusion == "not checked");
        CHECK(record_of(r, w.r3, 1).signature == "verified");
        CHECK(r.failed_count() == 1);
    }

    SUBCASE("the checkpoint replaced, or its signature broken") {
        Plain p = pa;
        p.at(forms::kCheckpointPath).data = w.p0.at(forms::kCheckpointPath).data;
        w.resign_manifest(p);
        const store::Report r = verify(w, *w.legal, w.seal(p, id));
        require_named(r, "checkpoint.invalid", "differs from the checkpoint the manifest states");
        CHECK(r.bundle_failed);
        Plain q = pa;
        std::string& note = q.at(forms::kCheckpointPath).data;
        note[note.size() - 10] = note[note.size() - 10] == 'A' ? 'B' : 'A';
        w.resign_manifest(q);
        const store::Report s = verify(w, *w.legal, w.seal(q, id));
        require_named(s, "checkpoint.invalid", "log/checkpoint: ");
        CHECK(s.bundle_failed);
    }

    SUBCASE("an entry no document owns altered (a consistency proof this vault does not use)") {
        Plain p = pa;
        std::string& proof = p.at(forms::consistency_path(1)).data;
        proof[proof.size() / 2] ^= 0x01;
        const store::Report r = verify(w, *w.legal, w.seal(p, id));
        require_named(r, "bundle.manifest",
                      forms::consistency_path(1) + ": its SHA-256 differs from the one");
        CHECK(r.bundle_failed);
    }

    SUBCASE("a forked log against the checkpoint received before") {
        const store::Report r = verify(w, *w.legal, w.fk2);
        require_named(r, "log.fork", "two checkpoints of 2 entries differ");
        CHECK(r.bundle_failed);
        const store::Report s = verify(w, *w.legal, w.fk3);
        require_named(s, "log.fork", "entries of the sender's log were deleted or rewritten");
        const store::Report t = verify(w, *w.legal, w.fk1);
        require_named(t, "record.rewritten", "was rewritten");
        require_named(t, "log.fork", "two checkpoints of 2 entries differ");
        const store::Report u = verify(w, *w.legal, w.a00);
        require_named(u, "log.rollback", "the sender's log was rolled back");
    }

    SUBCASE("another recipient, a broken outer signature: the bundle as a whole fails") {
        const store::Report r = verify(w, *w.legal, w.other);
        require_named(r, "bundle.not_addressed", "not addressed to this vault");
        CHECK(r.bundle_failed);
        CHECK(r.records.empty());
        const auto other = ms::SigningKey::generate();
        Sealed b = w.a;
        b.sig = w.outer_sig(w.a.age, w.a.id, &other);
        const store::Report s = verify(w, *w.legal, b);
        require_named(s, "bundle.signature", "the bundle file is signed by key");
        Sealed c = w.a;
        c.sig = w.outer_sig(w.a0.age, w.a.id);
        require_named(verify(w, *w.legal, c), "bundle.signature",
                      "the bundle file does not match its signature");
        require_named(verify(w, *w.legal, w.a, std::nullopt, false), "bundle.signature",
                      "the bundle's signature");
        Sealed d = w.a;
        d.age = flip(d.age, d.age.size() - 100, 1);
        require_named(verify(w, *w.legal, d), "bundle.decrypt", "the encrypted content");
    }
}

TEST_CASE("verification report: JSON schema, HTML escaping and rendering") {
    World w;
    Plain p = w.pa;
    auto& att = p.at(w.att(w.a2));
    att.data = flip(att.data, 7, 0);
    store::Report r = w.legal->bundles.verify_bundle("", {}).value();  // no file: fails whole
    CHECK(r.bundle_failed);
    {
        const fs::path dir = w.tmp / "render";
        fs::create_directories(dir);
        const Sealed b = w.seal(p, w.a.id);
        write_file(dir / (b.id + ".age"), b.age);
        write_file(dir / (b.id + ".age.minisig"), b.sig);
        r = w.legal->bundles.verify_bundle(dir / (b.id + ".age"), {}).value();
    }
    // Hostile text where a sender controls it: a form id and an attachment name.
    r.records.at(0).form = "<script>alert('form')</script>";
    r.records.at(0).attachments.push_back(
        {"<img src=x onerror=alert(1)>&.jpg", 3, "00", "missing"});

    auto json_text = store::report_json(r);
    REQUIRE(json_text);
    auto doc = forms::json::parse(*json_text);
    REQUIRE(doc);
    CHECK(doc->find("format")->as_string() == "svidok verification report");
    CHECK(doc->find("version")->as_int() == 1);
    const auto* summary = doc->find("summary");
    REQUIRE(summary != nullptr);
    CHECK(summary->find("records")->as_int() == 4);
    CHECK(summary->find("verified")->as_int() == 3);
    CHECK(summary->find("failed")->as_int() == 1);
    CHECK(summary->find("missing")->as_int() == 0);
    CHECK(summary->find("verdict")->as_string() == "failed");
    CHECK(doc->find("checkpoint")->find("size")->as_int() == 4);
    const auto& recs = doc->find("records")->as_array();
    REQUIRE(recs.size() == 4);
    for (const char* member :
         {"id", "kind", "version", "chain", "form", "form_version", "signer_key",
          "signer_fingerprint", "signature", "sha256", "log_index", "inclusion", "attachments",
          "custody", "findings", "status"}) {
        CHECK_MESSAGE(recs[0].find(member) != nullptr, member);
    }

    const std::string page = store::report_html(r);
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("&lt;script&gt;alert(&#39;form&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(page.find("&lt;img src=x onerror=alert(1)&gt;&amp;.jpg") != std::string::npos);
    CHECK(page.find("attachment a2.bin: hash differs") != std::string::npos);
    CHECK(page.find(store::finding_meaning("attachment.hash").substr(0, 40)) != std::string::npos);
    CHECK(page.find("http") == std::string::npos);  // nothing external

    fs::create_directories("screenshots");
    const fs::path html_file = fs::absolute("screenshots/report.html");
    write_file(html_file, page);
    const fs::path png = fs::absolute("screenshots/report.png");
    fs::remove(png);
    const int colours = render_html(html_file, png, w.tmp / "chromium");
    MESSAGE("report.png: " << colours << " colours");
    CHECK(colours > 8);
}
