// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Forging bundles in tests (docs/FORMAT.md 12): a field device, the legal vault it sends to and a
// third vault with real exports between them, and the tools to take a bundle apart and put it
// back together as a compromised or buggy sender would: decrypt with the receiver's key, edit
// the plaintext tar (entries, padding, headers), re-sign the manifest, re-encrypt and re-sign
// the file. Shared by the tamper suite and the tests of what the receiving side reports.

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/age.h"
#include "crypto/hash.h"
#include "crypto/minisign.h"
#include "forms/bundle_documents.h"
#include "forms/log_leaf.h"
#include "forms/registry.h"
#include "records_fixture.h"
#include "store/attachments.h"
#include "store/bundles.h"
#include "store/tar.h"
#include "tar_fixture.h"
#include "vault_fixture.h"

namespace svidok::test::forge {

namespace ms = crypto::minisign;

inline constexpr std::string_view kPass = "correct horse battery";
inline constexpr std::size_t kChunk = crypto::kAgeChunkBytes + crypto::kAgeTagBytes;  // 65552

inline std::string hex_sha(std::string_view s) {
    return crypto::to_hex(crypto::sha256(crypto::as_bytes(s)));
}

/// A vault with its records open, as the CLI holds it. Never moved (others hold references).
struct Party {
    forms::FormRegistry registry = *forms::load_builtin();
    store::Vault vault;
    store::Records records;
    store::Attachments attachments{records};
    store::Bundles bundles{records};

    static store::Records open_records(store::Vault& v, forms::FormRegistry& reg) {
        auto r = store::Records::open(v, reg);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return std::move(*r);
    }
    explicit Party(store::Vault v) : vault(std::move(v)), records(open_records(vault, registry)) {}

    store::Identity identity() {
        auto id = vault.identity();
        REQUIRE(id);
        return std::move(*id);
    }
    crypto::X25519Identity age_identity() {
        auto id = crypto::X25519Identity::from_secret(identity().x25519_sk.span());
        REQUIRE(id);
        return std::move(*id);
    }
    crypto::X25519Recipient age_recipient() { return age_identity().recipient(); }
    ms::SigningKey signing_key() {
        auto k = identity().signing_key();
        REQUIRE(k);
        return std::move(*k);
    }

    const forms::FormDefinition& form() { return *registry.find("forced-mobilization"); }
    forms::json::Value example() { return example_without_files(form()); }
    /// A new record sealed as version 1, with `file` attached when given.
    store::RecordId seal_new(const fs::path* file = nullptr) {
        auto draft = records.create_draft(form(), example());
        REQUIRE(draft);
        if (file != nullptr) {
            auto a = attachments.attach(*draft, *file);
            REQUIRE_MESSAGE(a.has_value(), (a ? "" : a.error().message));
        }
        auto s = records.seal(*draft);
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return *draft;
    }
};

inline std::unique_ptr<Party> create_party(const fs::path& dir) {
    return std::make_unique<Party>(make_vault(dir, kPass).vault);
}
inline std::unique_ptr<Party> open_party(const fs::path& dir) {
    auto v = store::Vault::open(dir, pw(kPass), kTestPolicy);
    REQUIRE_MESSAGE(v.has_value(), (v ? "" : v.error().message));
    return std::make_unique<Party>(std::move(*v));
}

/// A bundle in memory: its id (hex, as in its file name), the .age bytes and the .minisig text.
struct Sealed {
    std::string id;
    std::string age;
    std::string sig;
};

inline Sealed export_bundle(Party& from, const fs::path& out, std::vector<std::string> to,
                            std::vector<store::RecordId> only = {}) {
    fs::create_directories(out);
    store::Bundles::ExportOptions o;
    o.to = std::move(to);
    o.out_dir = out;
    o.selection =
        only.empty() ? store::Bundles::Selection::all : store::Bundles::Selection::records;
    o.records = std::move(only);
    auto r = from.bundles.export_bundle(o);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    return {forms::format_bundle_id(r->bundle), read_file(r->file), read_file(r->signature)};
}

/// The directory tree: every regular file with its bytes and every directory, so that a new
/// empty directory counts as a change too.
using Tree = std::map<std::string, std::string>;
inline Tree tree_of(const fs::path& dir) {
    Tree out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        const std::string rel = fs::relative(e.path(), dir).string();
        if (e.is_directory()) {
            out[rel + "/"] = "<dir>";
        } else if (e.is_regular_file()) {
            out[rel] = read_file(e.path());
        } else {
            out[rel] = "<other>";
        }
    }
    return out;
}
inline std::string tree_diff(const Tree& before, const Tree& after) {
    std::string out;
    for (const auto& [k, v] : after) {
        auto it = before.find(k);
        if (it == before.end())
            out += " added " + k + ";";
        else if (it->second != v)
            out += " changed " + k + ";";
    }
    for (const auto& [k, v] : before) {
        if (!after.contains(k)) out += " removed " + k + ";";
    }
    return out;
}

// --- the plaintext tar -------------------------------------------------------------------------

struct TarEntry {
    std::string path;
    std::string data;
};

/// A bundle's plaintext: its entries before `padding`, then the padding (auto: the zero bytes
/// 12.6 gives), and bytes after the end marker.
struct Plain {
    std::vector<TarEntry> entries;
    std::optional<std::string> padding;  // nullopt: computed
    bool with_padding = true;
    std::vector<TarEntry> after_padding;
    std::string trailing;

    std::size_t index(std::string_view path) const {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].path == path) return i;
        }
        FAIL("no entry " << path);
        return 0;
    }
    TarEntry& at(std::string_view path) { return entries[index(path)]; }
};

inline Plain parse_plain(const std::string& tar) {
    Plain p;
    for (auto& [path, data] : tar_entries(tar))
        p.entries.push_back(TarEntry{path, std::move(data)});
    REQUIRE(!p.entries.empty());
    REQUIRE(p.entries.back().path == forms::kPaddingPath);
    p.entries.pop_back();  // recomputed on build
    return p;
}

struct BuiltTar {
    std::string bytes;
    std::vector<std::uint64_t> header_at;  // offset of each entry's header, padding last
};

inline BuiltTar build_tar(const Plain& p) {
    BuiltTar out;
    auto w = store::tar::Writer::create([&](crypto::ByteView b) -> Result<> {
        out.bytes.append(reinterpret_cast<const char*>(b.data()), b.size());
        return {};
    });
    REQUIRE(w);
    auto add = [&](const TarEntry& e) {
        out.header_at.push_back(w->bytes_written());
        REQUIRE(w->begin_file(e.path, e.data.size()));
        REQUIRE(w->write(crypto::as_bytes(e.data)));
    };
    for (const auto& e : p.entries) add(e);
    if (p.with_padding) {
        const std::uint64_t content =
            w->bytes_written() + store::tar::entry_bytes(0) + store::tar::kEndOfArchiveBytes;
        add({std::string(forms::kPaddingPath),
             p.padding
                 ? *p.padding
                 : std::string(static_cast<std::size_t>(forms::padme(content) - content), '\0')});
    }
    for (const auto& e : p.after_padding) add(e);
    REQUIRE(w->finish());
    out.bytes += p.trailing;
    return out;
}

/// Patches a ustar header field and recomputes the header checksum (unless told not to).
inline void patch_header(std::string& tar, std::uint64_t header, std::size_t field,
                         std::string_view value, bool fix_checksum = true) {
    auto at = static_cast<std::size_t>(header);
    std::copy(value.begin(), value.end(), tar.begin() + static_cast<std::ptrdiff_t>(at + field));
    if (!fix_checksum) return;
    std::fill_n(tar.begin() + static_cast<std::ptrdiff_t>(at + 148), 8, ' ');
    unsigned sum = 0;
    for (std::size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(tar[at + i]);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06o", sum);
    std::copy_n(buf, 6, tar.begin() + static_cast<std::ptrdiff_t>(at + 148));
    tar[at + 154] = '\0';
    tar[at + 155] = ' ';
}

// --- the world: a field device, the legal vault it sends to, a third vault --------------------

struct World {
    TempDir tmp;
    std::unique_ptr<Party> field, legal, third;
    std::unique_ptr<Party> fresh;  // a copy of the legal vault taken before it imported anything
    std::unique_ptr<Party> fork;   // a copy of the field vault taken when its log had 1 entry
    std::string field_fp;
    store::RecordId r1{}, r2{}, r3{};
    std::string a1, a2;  // attachment contents: a1 in r1 v1, a2 added by r2 v2
    // a00: r1 (log size 1); a0: r1, r2 v1 (size 2), imported by `legal`;
    // a: r1, r2 v1 + v2, r3 (size 4) with consistency proofs from 1 and 2;
    // other: like a, for the third vault only; fk1-fk3: from the forked log.
    Sealed a00, a0, a, other, fk1, fk2, fk3;
    Plain p00, p0, pa;  // their plaintexts
    std::optional<crypto::X25519Identity> legal_age;
    std::optional<ms::SigningKey> field_key;

    World() {
        field = create_party(tmp / "field");
        legal = create_party(tmp / "legal");
        third = create_party(tmp / "third");
        field_fp = field->identity().fingerprint();
        legal_age.emplace(legal->age_identity());
        field_key.emplace(field->signing_key());
        for (auto* p : {legal.get(), third.get()}) {
            const std::string name = p == legal.get() ? "legal" : "third";
            auto r = field->bundles.add_recipient(name, p->age_recipient().to_string(),
                                                  p->identity().signing_public_key().to_base64());
            REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        }
        REQUIRE(field->bundles.set_seal_recipients(std::vector<std::string>{"legal"}));
        fs::copy(legal->vault.dir(), tmp / "fresh", fs::copy_options::recursive);
        fresh = open_party(tmp / "fresh");

        a1 = random_bytes(5000, 1);
        a2 = random_bytes(100 * 1024, 2);
        write_file(tmp / "a1.bin", a1);
        write_file(tmp / "a2.bin", a2);
        const fs::path f1 = tmp / "a1.bin", f2 = tmp / "a2.bin";

        r1 = field->seal_new(&f1);
        a00 = export_bundle(*field, tmp / "out", {"legal"});
        fs::copy(field->vault.dir(), tmp / "fork", fs::copy_options::recursive);
        r2 = field->seal_new();
        a0 = export_bundle(*field, tmp / "out", {"legal"});
        import_trusted(*legal, a0, tmp / "in");
        r3 = field->seal_new();
        REQUIRE(field->records.begin_amendment(r2));
        auto att = field->attachments.attach(r2, f2);
        REQUIRE_MESSAGE(att.has_value(), (att ? "" : att.error().message));
        auto v2 = field->records.seal(r2);
        REQUIRE_MESSAGE(v2.has_value(), (v2 ? "" : v2.error().message));
        REQUIRE(v2->version == 2);
        a = export_bundle(*field, tmp / "out", {"legal"});
        other = export_bundle(*field, tmp / "out", {"third"});

        // The fork: the same keys, a different history after entry 0.
        fork = open_party(tmp / "fork");
        fork->seal_new();
        fk1 = export_bundle(*fork, tmp / "out", {"legal"});
        fk2 = export_bundle(*fork, tmp / "out", {"legal"}, {r1});
        fork->seal_new();
        fk3 = export_bundle(*fork, tmp / "out", {"legal"}, {r1});

        p00 = decrypt(a00);
        p0 = decrypt(a0);
        pa = decrypt(a);
    }

    static void import_ok(Party& to, const Sealed& b, const fs::path& dir,
                          std::optional<std::string> fp = {}) {
        fs::create_directories(dir);
        write_file(dir / (b.id + ".age"), b.age);
        write_file(dir / (b.id + ".age.minisig"), b.sig);
        store::Bundles::ImportOptions o;
        o.trust_fingerprint = std::move(fp);
        auto r = to.bundles.import_bundle(dir / (b.id + ".age"), o);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        CHECK_FALSE(r->already_imported);
    }
    void import_trusted(Party& to, const Sealed& b, const fs::path& dir) {
        import_ok(to, b, dir, field_fp);
    }

    Plain decrypt(const Sealed& b) const {
        auto plain = crypto::age_decrypt(crypto::AgeIdentities{std::span(&*legal_age, 1), nullptr},
                                         crypto::as_bytes(b.age));
        REQUIRE_MESSAGE(plain.has_value(), (plain ? "" : plain.error().message));
        return parse_plain(std::string(plain->view()));
    }

    /// Encrypts `tar` to `to` (default: the legal vault) and signs the file with `key`
    /// (default: the field's key) for bundle `id`.
    Sealed seal(const std::string& tar, const std::string& id, const ms::SigningKey* key = nullptr,
                std::optional<crypto::X25519Recipient> to = {},
                std::optional<std::string> comment_id = {}) const {
        const crypto::X25519Recipient rcpt = to ? *to : legal_age->recipient();
        auto enc = crypto::age_encrypt(std::span(&rcpt, 1), crypto::as_bytes(tar));
        REQUIRE(enc);
        Sealed s{id, std::string(enc->begin(), enc->end()), {}};
        s.sig = outer_sig(s.age, comment_id ? *comment_id : id, key);
        return s;
    }
    std::string outer_sig(const std::string& file, const std::string& id,
                          const ms::SigningKey* key = nullptr) const {
        auto bid = forms::parse_bundle_id(id);
        REQUIRE(bid);
        auto sig = ms::sign(key ? *key : *field_key, crypto::as_bytes(file),
                            forms::bundle_trusted_comment(*bid), "signature from a test");
        REQUIRE(sig);
        return *sig;
    }
    Sealed seal(const Plain& p, const std::string& id, const ms::SigningKey* key = nullptr) const {
        return seal(build_tar(p).bytes, id, key);
    }

    /// Rebuilds the manifest of `p` from its entries (each listed with its size and SHA-256),
    /// lets `edit` change it, and signs it with `key` (default: the field's key).
    void resign_manifest(Plain& p, const std::function<void(forms::Manifest&)>& edit = {},
                         const ms::SigningKey* key = nullptr,
                         std::optional<std::string> comment_id = {}) const {
        auto m = forms::Manifest::parse(p.entries.at(0).data);
        REQUIRE(m);
        m->files.clear();
        for (std::size_t i = 2; i < p.entries.size(); ++i) {
            const auto& e = p.entries[i];
            m->files.push_back({e.path, e.data.size(), crypto::sha256(crypto::as_bytes(e.data))});
        }
        if (edit) edit(*m);
        auto json = m->to_json();
        REQUIRE_MESSAGE(json.has_value(), (json ? "" : json.error().message));
        p.entries[0].data = *json;
        auto bid = comment_id ? *forms::parse_bundle_id(*comment_id) : m->bundle;
        auto sig = ms::sign(key ? *key : *field_key, crypto::as_bytes(*json),
                            forms::manifest_trusted_comment(bid), "signature from a test");
        REQUIRE(sig);
        p.entries[1].data = *sig;
    }

    /// As resign_manifest() without edits, then `edit` changes the JSON text itself (for
    /// manifests Manifest::to_json refuses to write), signed again.
    void resign_manifest_text(Plain& p, const std::function<void(std::string&)>& edit) const {
        resign_manifest(p);
        auto m = forms::Manifest::parse(p.entries.at(0).data);
        REQUIRE(m);
        edit(p.entries[0].data);
        auto sig = ms::sign(*field_key, crypto::as_bytes(p.entries[0].data),
                            forms::manifest_trusted_comment(m->bundle), "signature from a test");
        REQUIRE(sig);
        p.entries[1].data = *sig;
    }

    std::string doc(const store::RecordId& r, std::int64_t v) const {
        return forms::document_path(r, forms::LeafKind::record_version, v);
    }
    std::string sig_of(const store::RecordId& r, std::int64_t v) const {
        return doc(r, v) + std::string(forms::kSignatureSuffix);
    }
    std::string proof(const store::RecordId& r, std::int64_t v) const {
        return forms::inclusion_path(r, forms::LeafKind::record_version, v);
    }
    std::string att(const std::string& content) const {
        return forms::attachment_path(crypto::sha256(crypto::as_bytes(content)));
    }
};

struct AgeLayout {
    std::size_t header_end = 0;       // just after "--- <mac>\n"
    std::size_t payload = 0;          // just after the nonce
    std::vector<std::size_t> chunks;  // offset of each chunk
    std::size_t size = 0;
};

inline AgeLayout layout_of(const std::string& f) {
    AgeLayout l;
    const auto mac = f.find("\n--- ");
    REQUIRE(mac != std::string::npos);
    const auto end = f.find('\n', mac + 1);
    REQUIRE(end != std::string::npos);
    l.header_end = end + 1;
    l.payload = l.header_end + crypto::kAgePayloadNonceBytes;
    for (std::size_t at = l.payload; at < f.size(); at += kChunk) l.chunks.push_back(at);
    l.size = f.size();
    return l;
}

inline void replace_once(std::string& s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, "no " << from);
    CHECK(s.find(from, at + 1) == std::string::npos);
    s.replace(at, from.size(), to);
}

inline std::string flip(std::string s, std::size_t at, unsigned bit) {
    s[at] = static_cast<char>(static_cast<unsigned char>(s[at]) ^ (1u << (bit % 8)));
    return s;
}

}  // namespace svidok::test::forge
