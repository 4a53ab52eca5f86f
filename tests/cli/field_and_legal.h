// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A field vault and a legal team's vault driven through the CLI in-process, with the helpers
// the bundle and remote tests share.

#include "cli_fixture.h"

namespace svidok::test {

inline bool has(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

/// The public values `identity --json` prints.
struct IdentityJson {
    std::string fingerprint, minisign, age, origin;
};

inline IdentityJson identity_of(const std::string& json) {
    auto v = forms::json::parse(json);
    REQUIRE_MESSAGE(v.has_value(), json);
    auto text = [&](std::string_view key) {
        const forms::json::Value* m = v->find(key);
        REQUIRE_MESSAGE((m != nullptr && m->is_string()), key);
        return m->as_string();
    };
    return {text("fingerprint"), text("minisign_public_key"), text("age_recipient"),
            text("log_origin")};
}

inline IdentityJson identity_of(CliVault& v) {
    auto r = v.run({"identity", "--json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return identity_of(r.out);
}

/// The one `<32 hex>.age` bundle in `dir`.
inline fs::path only_bundle(const fs::path& dir) {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() == ".age" && e.path().stem().string().size() == 32) {
            found.push_back(e.path());
        }
    }
    REQUIRE_MESSAGE(found.size() == 1, dir);
    return found[0];
}

/// What follows `label` on its line in `text`.
inline std::string value_after(const std::string& text, std::string_view label) {
    const auto at = text.find(label);
    REQUIRE_MESSAGE(at != std::string::npos, "no \"" << label << "\" in:\n" << text);
    const auto start = at + label.size();
    return text.substr(start, text.find('\n', start) - start);
}

/// A field vault with legal added as a recipient, and the legal vault.
struct FieldAndLegal {
    CliVault field, legal;
    IdentityJson field_id = identity_of(field);
    IdentityJson legal_id = identity_of(legal);
    FieldAndLegal() {
        auto add = field.run(
            {"recipient", "add", "legal", "--age", legal_id.age, "--minisign", legal_id.minisign});
        REQUIRE_MESSAGE(add.code == 0, add.err);
        auto seal = field.run({"recipient", "seal", "legal"});
        REQUIRE_MESSAGE(seal.code == 0, seal.err);
        field.seal_recipient_set = true;
    }
    /// Exports to legal into a fresh folder `name` of the field's scratch space.
    fs::path export_to_legal(const std::string& name) {
        const fs::path dir = field.tmp / name;
        fs::create_directories(dir);
        auto r = field.run({"export", "--to", "legal", "--out", dir.string()});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        return only_bundle(dir);
    }
};

}  // namespace svidok::test
