// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The condition language of form definitions (docs/FORMS.md section 2.4): equals, in, between,
// not_empty, all, any, not; and AnswerScope, which reads answers the way conditions see them.
// Used for field visibility (by validation and by the interface) and for legal-tag rules.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "forms/json.h"

namespace svidok::forms {

class FormDefinition;

/// "No field": the parent of a top-level field, the repeat of a field outside any repeat.
inline constexpr std::size_t kNoField = std::numeric_limits<std::size_t>::max();

/// A parsed condition. Field references are indices into FormDefinition::fields(), already
/// checked against the scope rules when the definition was loaded.
struct Condition {
    enum class Op { equals, in, between, not_empty, all, any, not_ };

    Op op = Op::not_empty;
    std::size_t field = kNoField;     // equals, in, between, not_empty
    std::vector<json::Value> values;  // equals: one value; in: the listed values
    std::int64_t min = 0;             // between, inclusive
    std::int64_t max = 0;
    std::vector<Condition> operands;  // all, any: one or more; not: exactly one
};

/// True if `answer` is empty (docs/FORMS.md 3.1): nullptr (absent), null, a string of only
/// space/tab/LF/CR, or an array or object whose elements or members are all empty.
[[nodiscard]] bool is_empty_answer(const json::Value* answer) noexcept;

/// A view of one set of answers with at most one repeat item bound: fields of that repeat are
/// read from the item, fields of any other repeat are absent. Answers of the wrong shape read
/// as absent; nothing here fails. The form and answers must outlive the scope.
class AnswerScope {
public:
    /// Top-level scope: fields inside repeats are absent.
    AnswerScope(const FormDefinition& form, const json::Value& answers);
    /// Scope of item `item` of the repeat field with index `repeat` (the item need not exist;
    /// then that repeat's fields are absent).
    AnswerScope(const FormDefinition& form, const json::Value& answers, std::size_t repeat,
                std::size_t item);

    /// The answer as stored (nullptr when absent or unreachable), ignoring visibility.
    [[nodiscard]] const json::Value* answer(std::size_t field) const;
    /// Parent visible (if any) and visible_when (if any) holds. Memoized per scope.
    [[nodiscard]] bool visible(std::size_t field) const;
    /// Evaluates a condition; the answers of hidden fields are treated as absent.
    [[nodiscard]] bool holds(const Condition& condition) const;

private:
    const FormDefinition& form_;
    const json::Value& answers_;
    std::size_t repeat_ = kNoField;
    const json::Value* item_ = nullptr;
    mutable std::vector<signed char> visible_memo_;  // -1 unknown, 0 hidden, 1 visible
};

}  // namespace svidok::forms
