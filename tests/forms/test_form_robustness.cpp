// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile input to the two parsers of the forms layer: definitions damaged in their structure
// and answers damaged anywhere are judged with well-formed errors, never a crash (the test
// build runs under AddressSanitizer and UndefinedBehaviorSanitizer).
#include <random>
#include <string>
#include <vector>

#include "forms/answers.h"
#include "forms/builtin.h"
#include "forms/legal_tags.h"
#include "forms/registry.h"
#include "forms/validate.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::forms;

namespace {

json::Value J(std::string_view text) {
    auto v = json::parse(text);
    REQUIRE_MESSAGE(v.has_value(), text);
    return std::move(*v);
}

// A copy of `doc` with one value (never the root) replaced by a random one of `replacements`;
// nullopt when the pick happened to be the same value.
std::optional<json::Value> damaged(const json::Value& doc,
                                   const std::vector<json::Value>& replacements,
                                   std::mt19937& rng) {
    json::Value copy = doc;
    std::vector<json::Value*> nodes;
    const auto collect = [&](auto& self, json::Value& v) -> void {
        nodes.push_back(&v);
        if (v.is_object()) {
            for (auto& m : v.as_object()) self(self, m.second);
        } else if (v.is_array()) {
            for (auto& e : v.as_array()) self(self, e);
        }
    };
    collect(collect, copy);
    json::Value& target = *nodes[1 + rng() % (nodes.size() - 1)];
    const json::Value& replacement = replacements[rng() % replacements.size()];
    if (target == replacement) return std::nullopt;
    target = replacement;
    return copy;
}

}  // namespace

TEST_CASE("random damage to the examples is always judged, never crashes, and is reported") {
    // Replacing any value of a valid testimony with a value of another shape must either keep
    // it valid (e.g. another valid entry) or give well-formed issues.
    const std::vector<json::Value> replacements = {
        nullptr,
        true,
        false,
        0,
        -1,
        json::kMaxSafeInteger,
        "",
        "x",
        "2023-02-30",
        J("[]"),
        J("{}"),
        J("[null]"),
        J(R"({"value":"other"})"),
        J(R"([{"value":1}])"),
        J(R"({"precision":"range","from":"2024","to":"2023","approximate":true})"),
        J(R"({"given":true})"),
        J(R"({"lat":"91","lon":"0"})"),
        J(R"([[[[{}]]]])")};
    auto registry = load_builtin();
    REQUIRE(registry.has_value());
    std::mt19937 rng(7);
    for (const FormDefinition* f : registry->all()) {
        std::size_t changed = 0;
        for (int round = 0; round < 1500; ++round) {
            const auto answers = damaged(example_for(*f), replacements, rng);
            if (!answers) continue;
            ++changed;
            for (const FieldIssue& issue : validate(*f, *answers)) {
                CHECK(!issue.path.empty());
                CHECK(!issue.message.empty());
                CHECK(!issue_code_name(issue.code).empty());
                CHECK(issue.path.find("..") == std::string::npos);
            }
            for (const std::string& tag : suggested_legal_tags(*f, *answers)) {
                CHECK(f->find_vocabulary(f->legal_tag_vocabulary())->find(tag) != nullptr);
            }
        }
        CHECK(changed > 1000);
    }
}

TEST_CASE(
    "random damage to a definition's structure is rejected with a path, or yields a different "
    "form") {
    std::string_view bytes;
    for (const EmbeddedDefinition& d : builtin_definitions()) {
        if (std::string_view(d.file_name) == "child-recruitment.json") bytes = d.bytes;
    }
    REQUIRE(!bytes.empty());
    const std::vector<json::Value> replacements = {nullptr,
                                                   true,
                                                   0,
                                                   -5,
                                                   json::kMaxSafeInteger,
                                                   "",
                                                   "other",
                                                   "textarea",
                                                   "oblasts2",
                                                   J("[]"),
                                                   J("{}"),
                                                   J("[null]"),
                                                   J(R"({"field":"pseudonym","equals":true})"),
                                                   J(R"({"en":"x","uk":"х"})")};
    const json::Value original = J(bytes);
    std::mt19937 rng(11);
    std::size_t rejected = 0;
    for (int round = 0; round < 400; ++round) {
        const auto def = damaged(original, replacements, rng);
        if (!def) continue;
        const auto mutated = json::canonicalize(*def);
        REQUIRE(mutated.has_value());
        auto r = parse_definition("t.json", *mutated);
        if (!r) {
            ++rejected;
            CHECK_MESSAGE(r.error().message.starts_with("t.json: $"), r.error().message);
            CHECK(r.error().code == Errc::invalid);
        }
    }
    CHECK(rejected > 300);
}
