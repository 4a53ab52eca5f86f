// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// An open session on any database of a vault (the real one, the decoy prepared with
// open_decoy, or the decoy behind the duress passphrase), with its records and attachments,
// as the window and the CLI hold one.

#include <set>

#include "forms/registry.h"
#include "records_fixture.h"
#include "store/attachments.h"
#include "store/records.h"
#include "vault_fixture.h"

namespace svidok::test {

/// Never moved: `records` refers to `vault` and `registry`.
struct Session {
    forms::FormRegistry registry = *forms::load_builtin();
    store::Vault vault;
    store::Records records;
    store::Attachments attachments{records};

    explicit Session(Result<store::Vault> opened)
        : vault(take(std::move(opened))), records(*store::Records::open(vault, registry)) {}
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// A new draft of the forced-mobilization example, its file references removed.
    store::RecordId draft() {
        const auto& form = *registry.find("forced-mobilization");
        forms::json::Value a = form.example();
        for (auto& [key, value] : a.as_object()) {
            if (value.is_object() && value.find("attachments") != nullptr) {
                value.set("attachments", forms::json::Array{});
            }
        }
        auto id = records.create_draft(form, a);
        REQUIRE(id.has_value());
        return *id;
    }
    /// A sealed record; the example's sensitive answers are sealed to a legal team this
    /// database gets on the first call (docs/FORMAT.md 9.6).
    store::RecordId sealed() {
        if (!seals_)
            seals_ = seal_to(records, "legal-team", crypto::X25519Identity::generate().recipient());
        auto id = draft();
        auto s = records.seal(id);
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return id;
    }
    /// Attaches `content` under `name` to the draft `id`; returns the new blob file's name.
    std::string attach(const store::RecordId& id, const fs::path& scratch, const std::string& name,
                       std::string_view content) {
        const auto before = blobs();
        write_file(scratch / name, content);
        auto r = attachments.attach(id, scratch / name);
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
        for (const auto& b : blobs()) {
            if (!before.contains(b)) return b;
        }
        FAIL("attach stored no new blob file");
        return {};
    }
    bool seals_ = false;
    /// The file names in attachments/.
    std::set<std::string> blobs() const {
        std::set<std::string> out;
        for (const auto& e : fs::directory_iterator(vault.dir() / "attachments")) {
            out.insert(e.path().filename().string());
        }
        return out;
    }
    std::vector<store::RecordId> ids() {
        auto list = records.list();
        REQUIRE(list.has_value());
        std::vector<store::RecordId> out;
        for (const auto& r : *list) out.push_back(r.id);
        return out;
    }

private:
    static store::Vault take(Result<store::Vault> opened) {
        REQUIRE_MESSAGE(opened.has_value(), (opened ? "" : opened.error().message));
        return std::move(*opened);
    }
};

}  // namespace svidok::test
