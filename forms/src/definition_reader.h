// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the forms library: the reader of form definition files (docs/FORMS.md section 2).
// form.cpp reads the file, vocabularies and fields; form_conditions.cpp reads visibility
// conditions and legal-tag rules.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "forms/form.h"

namespace svidok::forms {

inline bool is_container(FieldKind kind) {
    return kind == FieldKind::group || kind == FieldKind::repeat;
}

// Where a condition appears: in a field's visible_when (which may only look back) or in a
// legal rule (which may look anywhere but into at most one repeat).
struct ConditionContext {
    std::size_t owner = kNoField;  // the field carrying visible_when; kNoField for a rule
    std::set<std::size_t>* repeats = nullptr;  // rule: repeats named so far
};

// Reads one definition; stops at the first problem, remembering it in error_. Every method
// returns false once an error is recorded, so callers just propagate `false`.
class DefinitionReader {
public:
    explicit DefinitionReader(std::string_view file_name) { def_.file_name_ = file_name; }

    Result<FormDefinition> read(std::string_view bytes);

private:
    bool fail(const std::string& path, const std::string& reason, Errc code = Errc::invalid) {
        error_ = Error{code, def_.file_name_ + ": " + path + ": " + reason, {}};
        return false;
    }

    // Member presence: every member is in `allowed` and every `required` one is there.
    bool check_members(const json::Value& obj, const std::string& path,
                       std::span<const std::string_view> allowed,
                       std::initializer_list<std::string_view> required);
    bool require_object(const json::Value& v, const std::string& path);
    bool read_bool(const json::Value& obj, const std::string& path, std::string_view key,
                   bool& out);
    bool read_int(const json::Value& obj, const std::string& path, std::string_view key,
                  std::int64_t lo, std::int64_t hi, std::int64_t& out);
    bool read_size(const json::Value& obj, const std::string& path, std::string_view key,
                   std::size_t lo, std::size_t hi, std::size_t& out);
    bool require_members(const json::Value& obj, const std::string& path,
                         std::initializer_list<std::string_view> keys);
    // Two optional integer members, each within its range, with `lo` not above `hi`.
    bool read_ordered(const json::Value& obj, const std::string& path, std::string_view lo_key,
                      std::string_view hi_key, std::pair<std::int64_t, std::int64_t> lo_range,
                      std::pair<std::int64_t, std::int64_t> hi_range, std::int64_t& lo,
                      std::int64_t& hi);
    bool read_text(const json::Value& v, const std::string& path, std::size_t max_length,
                   LocalizedText& out);
    bool read_optional_text(const json::Value& obj, const std::string& path, std::string_view key,
                            std::size_t max_length, std::optional<LocalizedText>& out);
    bool read_vocabulary_ref(const json::Value& obj, const std::string& path, std::string_view key,
                             bool required, std::string& out);

    bool read_vocabularies(const json::Value& v, const std::string& path);
    bool read_fields(const json::Value& v, const std::string& path, std::size_t parent,
                     std::size_t depth);
    bool read_field(const json::Value& v, const std::string& path, std::size_t parent,
                    std::size_t depth);
    bool read_kind_options(const json::Value& v, const std::string& path, Field& f);
    bool read_item_counts(const json::Value& v, const std::string& path, Field& f,
                          bool max_required);
    bool read_condition(const json::Value& v, const std::string& path, std::size_t depth,
                        const ConditionContext& ctx, Condition& out);
    bool read_leaf_condition(const json::Value& v, const std::string& path, std::string_view op,
                             const ConditionContext& ctx, Condition& out);
    bool read_condition_value(const json::Value& v, const std::string& path, const Field& target,
                              json::Value& out);
    bool read_legal_tags(const json::Value& v, const std::string& path);
    bool check_example(const json::Value& v, const std::string& path);

    FormDefinition def_;
    std::optional<Error> error_;
    // Conditions are resolved after the whole field tree is known, so that a reference to a
    // later field is reported as such rather than as an unknown field.
    struct PendingCondition {
        std::size_t field;
        const json::Value* json;
        std::string path;
    };
    std::vector<PendingCondition> pending_;
};

}  // namespace svidok::forms
