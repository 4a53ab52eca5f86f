// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile bundles from a compromised sender (issue 9): real bundles decrypted, rebuilt with
// hostile content, re-encrypted and re-signed by the sender's own key (tests/store/
// bundle_forge.h), then imported into the legal vault that already trusts the sender. Each
// import runs in a forked child (tests/bounded.h) and must be refused with its Errc and a
// message naming the problem or the limit, within 256 MiB more resident memory and 5 s, and
// leave the legal vault's directory byte for byte as it was.

#include "bounded.h"
#include "bundle_forge.h"
#include "minisign_legacy.h"

using namespace svidok;
using namespace svidok::test;
using namespace svidok::test::forge;

namespace {

/// Imports hostile bundles into one vault and checks each refusal.
struct Hostile {
    World& w;
    Party& target;
    fs::path dir;
    Tree baseline = tree_of(target.vault.dir());
    int n = 0;

    void refuse(const std::string& what, const Sealed& b, Errc code, std::string_view text) {
        CAPTURE(what);
        const std::string id = b.id;
        fs::remove_all(dir);
        fs::create_directories(dir);
        write_file(dir / (id + ".age"), b.age);
        write_file(dir / (id + ".age.minisig"), b.sig);
        refuse_file(what, dir / (id + ".age"), code, text);
    }
    void refuse_file(const std::string& what, const fs::path& file, Errc code,
                     std::string_view text) {
        CAPTURE(what);
        check_refused(run_bounded([&] { return target.bundles.import_bundle(file, {}); }), code,
                      text);
        const Tree now = tree_of(target.vault.dir());
        CHECK_MESSAGE(now == baseline, what << ": the vault changed:" << tree_diff(baseline, now));
        ++n;
    }
};

std::string fresh_id() {
    return forms::format_bundle_id(forms::new_bundle_id());
}

/// The tar of `p` with the header of entry `index` patched by `patch`, sealed and signed.
Sealed with_header(const World& w, Plain p, std::size_t index,
                   const std::function<void(std::string&, std::uint64_t)>& patch) {
    const std::string id = fresh_id();
    w.resign_manifest(p, [&](forms::Manifest& m) { m.bundle = *forms::parse_bundle_id(id); });
    BuiltTar t = build_tar(p);
    patch(t.bytes, t.header_at.at(index));
    return w.seal(t.bytes, id);
}

}  // namespace

TEST_CASE("hostile bundles signed by the sender's own key are refused within bounds") {
    // Built once: doctest runs the test case again for each subcase.
    static World w;
    Hostile h{w, *w.legal, w.tmp / "hostile"};
    const Plain& base = w.pa;
    const std::size_t att = base.index(w.att(w.a1));
    const std::size_t doc = base.index(w.doc(w.r1, 1));

    SUBCASE("tar entries that are not regular files, or with unsafe paths") {
        // ustar fields: name at 0 (100 bytes), size at 124 (12), typeflag at 156, linkname at
        // 157 (100).
        const std::vector<std::tuple<std::string, char, std::string>> types = {
            {"symbolic link", '2', "is a symbolic link"}, {"hard link", '1', "is a hard link"},
            {"character device", '3', "is a device"},     {"block device", '4', "is a device"},
            {"directory", '5', "is a directory"},         {"fifo", '6', "is a fifo"}};
        for (const auto& [name, flag, text] : types) {
            for (const std::size_t index : {att, doc}) {
                const char type = flag;
                Sealed b = with_header(w, base, index, [&](std::string& tar, std::uint64_t at) {
                    patch_header(tar, at, 157, "/etc/passwd");
                    patch_header(tar, at, 156, std::string(1, type));
                });
                h.refuse(name, b, Errc::corrupt, text);
            }
        }
        const std::vector<std::string> paths = {"../../../../tmp/svidok-escape",
                                                "/tmp/svidok-escape",
                                                "records/../manifest.json",
                                                "./manifest.json",
                                                "records//x.json",
                                                "records/x\\y.json"};
        for (const auto& path : paths) {
            Sealed b = with_header(w, base, doc, [&](std::string& tar, std::uint64_t at) {
                std::string field(100, '\0');
                std::copy(path.begin(),
                          path.begin() +
                              static_cast<std::ptrdiff_t>(std::min<std::size_t>(path.size(), 100)),
                          field.begin());
                patch_header(tar, at, 0, field);
            });
            h.refuse("path " + path, b, Errc::corrupt, "has a path Svidok never writes");
        }
        // A name over 100 bytes through the ustar prefix field (offset 345).
        Sealed b = with_header(w, base, doc, [&](std::string& tar, std::uint64_t at) {
            patch_header(tar, at, 345, std::string(150, 'b'));
        });
        h.refuse("a 200-byte path", b, Errc::corrupt, "has a path Svidok never writes");
        CHECK_FALSE(fs::exists("/tmp/svidok-escape"));
    }

    SUBCASE("huge declared sizes in tar headers") {
        // The largest ustar octal size (8 GiB - 1), and a base-256 size of 2^62.
        std::string b256(12, '\0');
        b256[0] = static_cast<char>(0x80);
        b256[4] = 0x40;
        for (const auto& [label, field] : std::vector<std::pair<std::string, std::string>>{
                 {"8 GiB - 1", "77777777777"}, {"2^62 (base-256)", b256}}) {
            h.refuse("manifest.json declaring " + label,
                     with_header(w, base, 0,
                                 [&](std::string& tar, std::uint64_t at) {
                                     patch_header(tar, at, 124, field);
                                 }),
                     Errc::invalid, "more than the 16777216 allowed");
            h.refuse("a record document declaring " + label,
                     with_header(w, base, doc,
                                 [&](std::string& tar, std::uint64_t at) {
                                     patch_header(tar, at, 124, field);
                                 }),
                     Errc::invalid, "more than the 67108864 allowed");
            h.refuse("an attachment declaring " + label,
                     with_header(w, base, att,
                                 [&](std::string& tar, std::uint64_t at) {
                                     patch_header(tar, at, 124, field);
                                 }),
                     Errc::integrity, "the manifest says");
        }
    }

    SUBCASE("duplicate entries") {
        for (const std::size_t index : {doc, att}) {
            // In the tar twice, listed once: the second copy stands where the next file should.
            Plain p = base;
            p.entries.insert(p.entries.begin() + static_cast<std::ptrdiff_t>(index) + 1,
                             p.entries[index]);
            const std::string path = p.entries[index].path;
            const std::string id = fresh_id();
            w.resign_manifest(p, [&](forms::Manifest& m) {
                m.bundle = *forms::parse_bundle_id(id);
                m.files.erase(m.files.begin() + static_cast<std::ptrdiff_t>(index) - 1);
            });
            h.refuse("in the tar twice: " + path, w.seal(p, id), Errc::integrity,
                     "the bundle holds " + path + " where");
            // In the tar twice and listed twice by the manifest.
            Plain q = base;
            q.entries.insert(q.entries.begin() + static_cast<std::ptrdiff_t>(index) + 1,
                             q.entries[index]);
            const std::string qid = fresh_id();
            w.resign_manifest(q, [&](forms::Manifest& m) {
                m.bundle = *forms::parse_bundle_id(qid);
                m.files.erase(m.files.begin() + static_cast<std::ptrdiff_t>(index) - 1);
            });
            std::string& text = q.entries[0].data;
            const auto at = text.find("{\"path\":\"" + path + "\"");
            REQUIRE(at != std::string::npos);
            const auto end = text.find('}', at) + 1;
            text.insert(end, "," + text.substr(at, end - at));
            auto sig = ms::sign(*w.field_key, crypto::as_bytes(text),
                                forms::manifest_trusted_comment(*forms::parse_bundle_id(qid)),
                                "signature from a test");
            REQUIRE(sig);
            q.entries[1].data = *sig;
            h.refuse("listed twice: " + path, w.seal(q, qid), Errc::invalid, "is listed twice");
        }
    }

    SUBCASE("deeply nested and oversized manifests") {
        for (const std::size_t depth : {100'000u, 1'000'000u}) {
            Plain p = base;
            const std::string id = fresh_id();
            w.resign_manifest(p,
                              [&](forms::Manifest& m) { m.bundle = *forms::parse_bundle_id(id); });
            w.resign_manifest_text(p, [&](std::string& text) {
                // "created_at":"..." becomes a value nested `depth` levels deep.
                const auto at = text.find("\"created_at\":") + 13;
                const auto end = text.find('"', at + 1) + 1;
                text.replace(at, end - at, std::string(depth, '[') + std::string(depth, ']'));
            });
            if (p.entries[0].data.size() > forms::kMaxManifestBytes) {
                h.refuse("manifest nested " + std::to_string(depth) + " deep", w.seal(p, id),
                         Errc::invalid, "more than the 16777216 allowed");
            } else {
                h.refuse("manifest nested " + std::to_string(depth) + " deep", w.seal(p, id),
                         Errc::invalid, "nesting deeper than 64 levels");
            }
        }
        // 10^6 records: the manifest lists a million documents (about 150 MB of JSON).
        Plain p = base;
        const std::string id = fresh_id();
        w.resign_manifest(p, [&](forms::Manifest& m) { m.bundle = *forms::parse_bundle_id(id); });
        w.resign_manifest_text(p, [&](std::string& text) {
            const auto at = text.find("\"files\":[") + 9;
            std::string many;
            many.reserve(1'000'000 * 150);
            const std::string sha(64, '0');
            for (std::size_t i = 0; i < 1'000'000; ++i) {
                char name[80];
                std::snprintf(name, sizeof name, "records/%032zx-v1.json", i);
                many += "{\"path\":\"";
                many += name;
                many += "\",\"sha256\":\"" + sha + "\",\"size\":1},";
            }
            text.insert(at, many);
        });
        REQUIRE(p.entries[0].data.size() > 100'000'000);
        h.refuse("manifest with 10^6 records", w.seal(p, id), Errc::invalid,
                 "more than the 16777216 allowed");
    }

    SUBCASE("a zip bomb: 100 000 tiny attachments, and a record document over the limit") {
        // As many one-byte attachments as fit the manifest's 16 MiB.
        Plain p = base;
        const std::string id = fresh_id();
        std::vector<TarEntry> extra;
        for (std::size_t i = 0; i < 100'000; ++i) {
            std::string content = "bomb " + std::to_string(i);
            extra.push_back({w.att(content), std::move(content)});
        }
        std::ranges::sort(extra, {}, &TarEntry::path);
        p.entries.insert(p.entries.end(), extra.begin(), extra.end());
        w.resign_manifest(p, [&](forms::Manifest& m) { m.bundle = *forms::parse_bundle_id(id); });
        const auto manifest_bytes = p.entries[0].data.size();
        if (manifest_bytes > forms::kMaxManifestBytes) {
            h.refuse("100 000 attachments", w.seal(p, id), Errc::invalid,
                     "more than the 16777216 allowed");
        } else {
            h.refuse("100 000 attachments", w.seal(p, id), Errc::integrity, "");
        }
        MESSAGE("manifest of 100 000 attachments: " << manifest_bytes << " bytes");
    }
    MESSAGE(h.n << " hostile bundles refused");
}

TEST_CASE("manifests and receipts signed in minisign's legacy format are refused (issue 19)") {
    static World w;
    Hostile h{w, *w.legal, w.tmp / "legacy"};
    // The manifest, signed by the sender's real key with a whole-message ("Ed") signature.
    {
        Plain p = w.pa;
        const std::string id = fresh_id();
        w.resign_manifest(p, [&](forms::Manifest& m) { m.bundle = *forms::parse_bundle_id(id); });
        p.entries[1].data =
            legacy_minisig(*w.field_key, p.entries[0].data,
                           forms::manifest_trusted_comment(*forms::parse_bundle_id(id)));
        h.refuse("manifest with a legacy signature", w.seal(p, id), Errc::integrity,
                 "legacy algorithm");
    }
    // A receipt the legal vault really wrote for bundle a0, its signature replaced by a legacy
    // one by the same key: the field vault refuses it and marks nothing delivered.
    fs::path receipt;
    for (const auto& e : fs::directory_iterator(w.tmp / "in")) {
        if (e.path().string().ends_with(".receipt.age")) receipt = e.path();
    }
    REQUIRE_FALSE(receipt.empty());
    auto field_age = w.field->age_identity();
    auto plain = crypto::age_decrypt(crypto::AgeIdentities{std::span(&field_age, 1), nullptr},
                                     crypto::as_bytes(read_file(receipt)));
    REQUIRE(plain.has_value());
    Plain r = parse_plain(std::string(plain->view()));
    auto parsed = forms::Receipt::parse(r.at(forms::kReceiptPath).data);
    REQUIRE(parsed.has_value());
    r.at(forms::kReceiptSigPath).data =
        legacy_minisig(w.legal->signing_key(), r.at(forms::kReceiptPath).data,
                       forms::receipt_trusted_comment(parsed->bundle));
    const auto to = w.field->age_recipient();
    auto enc = crypto::age_encrypt(std::span(&to, 1), crypto::as_bytes(build_tar(r).bytes));
    REQUIRE(enc.has_value());
    const fs::path forged = w.tmp / "legacy-receipt" / receipt.filename();
    fs::create_directories(forged.parent_path());
    write_file(forged, std::string(enc->begin(), enc->end()));
    const Tree before = tree_of(w.field->vault.dir());
    auto refused = w.field->bundles.import_receipt(forged);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == Errc::integrity);
    CHECK_MESSAGE(refused.error().message.find("legacy algorithm") != std::string::npos,
                  refused.error().message);
    CHECK(tree_of(w.field->vault.dir()) == before);
    // Control: the receipt as written is taken.
    auto taken = w.field->bundles.import_receipt(receipt);
    REQUIRE_MESSAGE(taken.has_value(), (taken ? "" : taken.error().message));
    CHECK(taken->newly_delivered > 0);
}

TEST_CASE("the JSON entries of a bundle are bounded in total, before they are read (issue 19)") {
    static World w;
    Hostile h{w, *w.legal, w.tmp / "json-total"};
    // Three documents of 60 MiB each: every one within the 64 MiB a JSON entry may have, their
    // total over the 160 MiB an import holds. The third is refused before it is read.
    Plain p = w.pa;
    const std::string big(60u << 20, ' ');
    for (int i = 0; i < 3; ++i) {
        store::RecordId rid{};
        rid[0] = static_cast<unsigned char>(0xa0 + i);
        p.entries.insert(
            p.entries.begin() + 3,
            TarEntry{forms::document_path(rid, forms::LeafKind::record_version, 1), big});
    }
    const std::string id = fresh_id();
    w.resign_manifest(p, [&](forms::Manifest& m) { m.bundle = *forms::parse_bundle_id(id); });
    h.refuse("three 60 MiB documents", w.seal(p, id), Errc::invalid, "bytes allowed together");
}
