// SPDX-License-Identifier: GPL-3.0-or-later
// Visibility conditions and legal-tag rules of a form definition (docs/FORMS.md 2.4, 2.5).
#include <algorithm>
#include <array>

#include "definition_reader.h"
#include "values.h"

namespace svidok::forms {

using detail::quoted;

namespace {

constexpr std::array<std::string_view, 7> kOperators = {"equals", "in",  "between", "not_empty",
                                                        "all",    "any", "not"};

bool has_atoms(FieldKind kind) {
    return kind == FieldKind::boolean || kind == FieldKind::integer ||
           kind == FieldKind::single_choice || kind == FieldKind::multi_choice ||
           kind == FieldKind::consent;
}

}  // namespace

bool DefinitionReader::read_condition(const json::Value& v, const std::string& path,
                                      std::size_t depth, const ConditionContext& ctx,
                                      Condition& out) {
    if (depth > kMaxConditionDepth) {
        return fail(
            path, "conditions nest deeper than " + std::to_string(kMaxConditionDepth) + " levels");
    }
    if (!require_object(v, path)) return false;
    std::string_view op;
    for (const auto& [key, value] : v.as_object()) {
        const auto it = std::ranges::find(kOperators, key);
        if (it == kOperators.end()) {
            if (key != "field") return fail(path, "unknown member " + quoted(key));
            continue;
        }
        if (!op.empty()) {
            return fail(path, "has two operators, " + quoted(op) + " and " + quoted(key));
        }
        op = *it;
    }
    if (op.empty()) {
        return fail(path, "needs one operator: equals, in, between, not_empty, all, any or not");
    }
    if (op != "all" && op != "any" && op != "not")
        return read_leaf_condition(v, path, op, ctx, out);
    if (v.find("field") != nullptr) return fail(path, quoted(op) + " does not take a \"field\"");

    const json::Value& arg = *v.find(op);
    const std::string apath = detail::member_path(path, op);
    if (op == "not") {
        out.op = Condition::Op::not_;
        out.operands.emplace_back();
        return read_condition(arg, apath, depth + 1, ctx, out.operands.back());
    }
    out.op = op == "all" ? Condition::Op::all : Condition::Op::any;
    if (!arg.is_array() || arg.as_array().empty() ||
        arg.as_array().size() > kMaxConditionOperands) {
        return fail(apath, "must be an array of 1 to " + std::to_string(kMaxConditionOperands) +
                               " conditions");
    }
    out.operands.resize(arg.as_array().size());
    for (std::size_t i = 0; i < out.operands.size(); ++i) {
        if (!read_condition(arg.as_array()[i], detail::index_path(apath, i), depth + 1, ctx,
                            out.operands[i])) {
            return false;
        }
    }
    return true;
}

bool DefinitionReader::read_leaf_condition(const json::Value& v, const std::string& path,
                                           std::string_view op, const ConditionContext& ctx,
                                           Condition& out) {
    const json::Value* field = v.find("field");
    if (field == nullptr) return fail(path, quoted(op) + " needs a \"field\"");
    const std::string fpath = detail::member_path(path, "field");
    if (!field->is_string()) return fail(fpath, "must be a field id");
    const std::string& fid = field->as_string();
    out.field = def_.index_of(fid);
    if (out.field == kNoField) return fail(fpath, "unknown field " + quoted(fid));
    const Field& target = def_.fields_[out.field];
    if (is_container(target.kind)) {
        return fail(fpath, quoted(fid) + " is a " + std::string(field_kind_name(target.kind)) +
                               "; conditions name value fields only");
    }
    if (ctx.owner != kNoField) {
        const Field& owner = def_.fields_[ctx.owner];
        if (out.field >= ctx.owner) {
            return fail(fpath, quoted(fid) + " does not come before this field in document order");
        }
        if (target.repeat != kNoField && target.repeat != owner.repeat) {
            return fail(fpath, quoted(fid) + " is inside repeat " +
                                   quoted(def_.fields_[target.repeat].id) +
                                   " and this field is not");
        }
    } else if (target.repeat != kNoField) {
        ctx.repeats->insert(target.repeat);
        if (ctx.repeats->size() > 1) {
            return fail(fpath, "a rule may name fields of one repeat only");
        }
    }

    const json::Value& arg = *v.find(op);
    const std::string apath = detail::member_path(path, op);
    const std::string kind_name = quoted(field_kind_name(target.kind));
    if (op == "not_empty") {
        out.op = Condition::Op::not_empty;
        return (arg.is_bool() && arg.as_bool()) || fail(apath, "must be true");
    }
    if (op == "between") {
        out.op = Condition::Op::between;
        if (target.kind != FieldKind::integer) {
            return fail(apath, "needs an integer field; " + quoted(fid) + " is " + kind_name);
        }
        if (!arg.is_array() || arg.as_array().size() != 2 || !arg.as_array()[0].is_int() ||
            !arg.as_array()[1].is_int()) {
            return fail(apath, "must be [min, max] with two integers");
        }
        out.min = arg.as_array()[0].as_int();
        out.max = arg.as_array()[1].as_int();
        return out.min <= out.max || fail(apath, "min is greater than max");
    }
    if (!has_atoms(target.kind)) {
        return fail(apath,
                    quoted(op) + " cannot test a field of kind " + kind_name + "; use not_empty");
    }
    if (op == "equals") {
        out.op = Condition::Op::equals;
        out.values.emplace_back();
        return read_condition_value(arg, apath, target, out.values.back());
    }
    out.op = Condition::Op::in;
    if (!arg.is_array() || arg.as_array().empty() || arg.as_array().size() > kMaxInValues) {
        return fail(apath, "must be an array of 1 to " + std::to_string(kMaxInValues) + " values");
    }
    for (std::size_t i = 0; i < arg.as_array().size(); ++i) {
        json::Value value;
        if (!read_condition_value(arg.as_array()[i], detail::index_path(apath, i), target, value)) {
            return false;
        }
        if (std::ranges::find(out.values, value) != out.values.end()) {
            return fail(detail::index_path(apath, i), "duplicate value");
        }
        out.values.push_back(std::move(value));
    }
    return true;
}

bool DefinitionReader::read_condition_value(const json::Value& v, const std::string& path,
                                            const Field& target, json::Value& out) {
    switch (target.kind) {
        case FieldKind::boolean:
        case FieldKind::consent:
            if (!v.is_bool()) return fail(path, "must be true or false for " + quoted(target.id));
            break;
        case FieldKind::integer:
            if (!v.is_int()) return fail(path, "must be an integer for " + quoted(target.id));
            break;
        default: {
            if (!v.is_string())
                return fail(path, "must be an entry id of " + quoted(target.vocabulary));
            const std::string& s = v.as_string();
            const bool ok = (s == "other" && target.allow_other) ||
                            def_.find_vocabulary(target.vocabulary)->find(s) != nullptr;
            if (!ok) {
                return fail(path, "unknown entry " + quoted(s) + " of vocabulary " +
                                      quoted(target.vocabulary));
            }
        }
    }
    out = v;
    return true;
}

bool DefinitionReader::read_legal_tags(const json::Value& v, const std::string& path) {
    static constexpr std::array<std::string_view, 2> kMembers = {"vocabulary", "rules"};
    static constexpr std::array<std::string_view, 3> kRuleMembers = {"id", "when", "tags"};
    if (!require_object(v, path) || !check_members(v, path, kMembers, {"vocabulary", "rules"}) ||
        !read_vocabulary_ref(v, path, "vocabulary", true, def_.legal_tag_vocabulary_)) {
        return false;
    }
    const Vocabulary& vocab = *def_.find_vocabulary(def_.legal_tag_vocabulary_);
    const json::Value& rules = *v.find("rules");
    const std::string rpath = detail::member_path(path, "rules");
    if (!rules.is_array() || rules.as_array().size() > kMaxLegalRules) {
        return fail(rpath,
                    "must be an array of at most " + std::to_string(kMaxLegalRules) + " rules");
    }
    for (std::size_t i = 0; i < rules.as_array().size(); ++i) {
        const json::Value& r = rules.as_array()[i];
        const std::string p = detail::index_path(rpath, i);
        if (!require_object(r, p) || !check_members(r, p, kRuleMembers, {"id", "when", "tags"})) {
            return false;
        }
        LegalRule rule;
        const json::Value& id = *r.find("id");
        if (!id.is_string() || !detail::is_identifier(id.as_string())) {
            return fail(detail::member_path(p, "id"),
                        "must match [a-z][a-z0-9_]* (at most 64 characters)");
        }
        if (std::ranges::find(def_.legal_rules_, id.as_string(), &LegalRule::id) !=
            def_.legal_rules_.end()) {
            return fail(detail::member_path(p, "id"),
                        "duplicate rule id " + quoted(id.as_string()));
        }
        rule.id = id.as_string();
        std::set<std::size_t> repeats;
        if (!read_condition(*r.find("when"), detail::member_path(p, "when"), 1,
                            ConditionContext{kNoField, &repeats}, rule.when)) {
            return false;
        }
        rule.repeat = repeats.empty() ? kNoField : *repeats.begin();
        const json::Value& tags = *r.find("tags");
        const std::string tpath = detail::member_path(p, "tags");
        if (!tags.is_array() || tags.as_array().empty()) {
            return fail(tpath, "must be a non-empty array of entry ids");
        }
        for (std::size_t t = 0; t < tags.as_array().size(); ++t) {
            const json::Value& tag = tags.as_array()[t];
            const std::string tp = detail::index_path(tpath, t);
            if (!tag.is_string() || vocab.find(tag.as_string()) == nullptr) {
                return fail(tp, (tag.is_string() ? "unknown entry " + quoted(tag.as_string())
                                                 : std::string("not an entry")) +
                                    " of vocabulary " + quoted(vocab.id));
            }
            if (std::ranges::find(rule.tags, tag.as_string()) != rule.tags.end()) {
                return fail(tp, "duplicate tag " + quoted(tag.as_string()));
            }
            rule.tags.push_back(tag.as_string());
        }
        def_.legal_rules_.push_back(std::move(rule));
    }
    return true;
}

}  // namespace svidok::forms
