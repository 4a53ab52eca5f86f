// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A fast vault with its records open, as the CLI and the app hold them.

#include "forms/registry.h"
#include "store/records.h"
#include "vault_fixture.h"

namespace svidok::test {

struct RecordsFixture {
    TempDir tmp;
    forms::FormRegistry registry = *forms::load_builtin();
    store::Vault vault = make_vault(tmp.path() / "v").vault;
    store::Records records = *store::Records::open(vault, registry);

    const forms::FormDefinition& form(std::string_view id = "forced-mobilization") {
        return *registry.find(id);
    }
    /// The form's example with its file references removed (nothing is attached here).
    forms::json::Value example(std::string_view id = "forced-mobilization") {
        forms::json::Value a = form(id).example();
        for (auto& [key, value] : a.as_object()) {
            if (value.is_object() && value.find("attachments") != nullptr) {
                value.set("attachments", forms::json::Array{});
            }
        }
        return a;
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
