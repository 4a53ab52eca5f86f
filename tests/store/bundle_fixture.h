// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Two real vaults that exchange bundles: a field vault and a legal team's, each with its
// records, attachments and bundles open (tests of bundles and of the case export).

#include "crypto/age.h"
#include "crypto/encoding.h"
#include "forms/registry.h"
#include "records_fixture.h"
#include "store/attachments.h"
#include "store/bundles.h"
#include "store/records.h"
#include "store/remotes.h"
#include "tar_fixture.h"
#include "vault_fixture.h"

namespace svidok::test {

/// One vault with its records, attachments and bundles open, as the CLI holds them.
struct Party {
    fs::path dir;
    forms::FormRegistry registry = *forms::load_builtin();
    store::Vault vault;
    store::Records records;
    store::Bundles bundles{records};
    store::Attachments attachments{records};
    store::Remotes remotes{records};
    store::Identity id;

    explicit Party(const fs::path& d)
        : dir(d),
          vault(make_vault(d).vault),
          records(*store::Records::open(vault, registry)),
          id(*vault.identity()) {}
    /// Opens the vault already in `d` (a copy of another party's, say).
    struct Existing {};
    Party(const fs::path& d, Existing)
        : dir(d),
          vault(open_vault(d)),
          records(*store::Records::open(vault, registry)),
          id(*vault.identity()) {}
    static store::Vault open_vault(const fs::path& d) {
        auto v = store::Vault::open(d, pw("correct horse battery"), kTestPolicy);
        REQUIRE_MESSAGE(v.has_value(), (v ? "" : v.error().message));
        return std::move(*v);
    }
    Party(const Party&) = delete;
    Party& operator=(const Party&) = delete;

    [[nodiscard]] std::string age_recipient() const {
        return crypto::X25519Recipient{id.x25519_pk()}.to_string();
    }
    [[nodiscard]] std::string minisign_key() const { return id.signing_public_key().to_base64(); }
    [[nodiscard]] std::string fingerprint() const { return id.fingerprint(); }

    /// Adds `other` as a recipient called `name`, with its minisign key. The first one added
    /// becomes the seal recipient, the legal team (docs/FORMAT.md 14.1).
    void add_recipient(const std::string& name, const Party& other) {
        auto r = bundles.add_recipient(name, other.age_recipient(), other.minisign_key());
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        if (bundles.seal_recipients()->empty()) {
            const std::vector<std::string> names{name};
            REQUIRE(bundles.set_seal_recipients(names).has_value());
        }
    }

    const forms::FormDefinition& form() { return *registry.find("forced-mobilization"); }
    /// The form's example without file references.
    forms::json::Value example() { return example_without_files(form()); }
    store::RecordId draft() {
        auto id_ = records.create_draft(form(), example());
        REQUIRE(id_.has_value());
        return *id_;
    }
    void seal(const store::RecordId& rid) {
        auto s = records.seal(rid);
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
    }
    /// A record sealed as version 1 without files.
    store::RecordId sealed() {
        auto rid = draft();
        seal(rid);
        return rid;
    }
    /// A record sealed as version 1 with one attached file of `size` random bytes.
    store::RecordId sealed_with_file(const fs::path& scratch, std::size_t size, unsigned seed,
                                     crypto::Sha256Digest* sha = nullptr) {
        auto rid = draft();
        const fs::path src = scratch / ("src-" + std::to_string(seed) + ".bin");
        const std::string content = random_bytes(size, seed);
        write_file(src, content);
        auto a = attachments.attach(rid, src);
        REQUIRE_MESSAGE(a.has_value(), (a ? "" : a.error().message));
        if (sha != nullptr) *sha = a->info.sha256;
        fs::remove(src);
        seal(rid);
        return rid;
    }
    /// Amends a sealed record to its next version with different notes.
    void amend(const store::RecordId& rid, const std::string& notes) {
        forms::json::Value answers = *records.answers(rid);
        forms::json::Value g = *answers.find("reliability");
        g.set("credibility_notes", forms::json::Value(notes));
        answers.set("reliability", std::move(g));
        auto v = records.amend(rid, answers);
        REQUIRE_MESSAGE(v.has_value(), (v ? "" : v.error().message));
    }
    void withdraw(const store::RecordId& rid) {
        auto w = records.withdraw_consent(rid);
        REQUIRE_MESSAGE(w.has_value(), (w ? "" : w.error().message));
    }

    store::Bundles::ExportResult export_to(
        const std::vector<std::string>& to, const fs::path& out,
        store::Bundles::Selection selection = store::Bundles::Selection::undelivered) {
        fs::create_directories(out);
        store::Bundles::ExportOptions o;
        o.to = to;
        o.out_dir = out;
        o.selection = selection;
        auto r = bundles.export_bundle(o);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return *r;
    }

    Result<store::Bundles::ImportResult> import(const fs::path& file,
                                                std::optional<std::string> trust,
                                                const fs::path& receipt_dir) {
        fs::create_directories(receipt_dir);
        store::Bundles::ImportOptions o;
        o.trust_fingerprint = std::move(trust);
        o.receipt_dir = receipt_dir;
        return bundles.import_bundle(file, o);
    }
    store::Bundles::ImportResult import_ok(const fs::path& file, const Party& sender,
                                           const fs::path& receipt_dir) {
        auto r = import(file, sender.fingerprint(), receipt_dir);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        return *r;
    }

    /// The X25519 identity as an age-keygen file, for the stock `age`.
    fs::path write_age_identity(const fs::path& where) const {
        auto ident = crypto::X25519Identity::from_secret(id.x25519_sk.span());
        REQUIRE(ident.has_value());
        const auto text = crypto::identity_file_text(*ident);
        write_file(where, text.view());
        fs::permissions(where, fs::perms::owner_read | fs::perms::owner_write);
        return where;
    }

    /// The bundle's tar entries, decrypted in-process with this vault's key.
    std::vector<std::pair<std::string, std::string>> open_bundle(
        const fs::path& file, std::uint64_t* plain_size = nullptr) {
        auto ident = crypto::X25519Identity::from_secret(id.x25519_sk.span());
        REQUIRE(ident.has_value());
        const std::string bytes = read_file(file);
        auto plain = crypto::age_decrypt(crypto::AgeIdentities{std::span(&*ident, 1), nullptr},
                                         crypto::as_bytes(bytes), crypto::AgeInput::binary);
        REQUIRE_MESSAGE(plain.has_value(), (plain ? "" : plain.error().message));
        if (plain_size != nullptr) *plain_size = plain->size();
        auto out = tar_entries(
            std::string_view(reinterpret_cast<const char*>(plain->data()), plain->size()));
        return out;
    }
};

}  // namespace svidok::test
