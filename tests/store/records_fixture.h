// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A fast vault with its records open, as the CLI and the app hold them, and a legal team to
// seal sensitive answers to (docs/FORMAT.md 9.6).

#include "crypto/age.h"
#include "forms/registry.h"
#include "store/bundles.h"
#include "store/records.h"
#include "vault_fixture.h"

namespace svidok::test {

/// Adds a recipient `name` with `key` and makes it the only seal recipient.
inline bool seal_to(store::Records& records, const std::string& name,
                    const crypto::X25519Recipient& key) {
    store::Bundles bundles(records);
    auto added = bundles.add_recipient(name, key.to_string(), std::nullopt);
    REQUIRE_MESSAGE(added.has_value(), (added ? "" : added.error().message));
    const std::vector<std::string> names{name};
    auto set = bundles.set_seal_recipients(names);
    REQUIRE_MESSAGE(set.has_value(), (set ? "" : set.error().message));
    return true;
}

/// A form's example with its file references removed (nothing is attached by it).
inline forms::json::Value example_without_files(const forms::FormDefinition& form) {
    forms::json::Value a = form.example();
    for (auto& [key, value] : a.as_object()) {
        if (value.is_object() && value.find("attachments") != nullptr) {
            value.set("attachments", forms::json::Array{});
        }
    }
    return a;
}

struct RecordsFixture {
    TempDir tmp;
    forms::FormRegistry registry = *forms::load_builtin();
    store::Vault vault = make_vault(tmp.path() / "v").vault;
    store::Records records = *store::Records::open(vault, registry);
    /// The key sensitive answers are sealed to: recipient "legal-team".
    crypto::X25519Identity legal_team = crypto::X25519Identity::generate();
    bool seals_to_legal_team = seal_to(records, "legal-team", legal_team.recipient());

    const forms::FormDefinition& form(std::string_view id = "forced-mobilization") {
        return *registry.find(id);
    }
    /// The form's example with its file references removed (nothing is attached here).
    forms::json::Value example(std::string_view id = "forced-mobilization") {
        return example_without_files(form(id));
    }
    /// A new record sealed as version 1 from example(form_id).
    store::RecordId sealed(std::string_view form_id = "forced-mobilization") {
        auto draft = records.create_draft(form(form_id), example(form_id));
        REQUIRE(draft.has_value());
        auto s = records.seal(*draft);
        REQUIRE_MESSAGE(s.has_value(), (s ? "" : s.error().message));
        return *draft;
    }
};

}  // namespace svidok::test
