// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/condition.h"

#include <algorithm>
#include <array>

#include "forms/form.h"
#include "values.h"

namespace svidok::forms {
namespace {

// Calls `fn` with each atom of an answer (docs/FORMS.md 2.4); stops when `fn` returns true.
template <class Fn>
bool any_atom(FieldKind kind, const json::Value* answer, Fn&& fn) {
    if (answer == nullptr) return false;
    const auto member = [](const json::Value& v, std::string_view key) -> const json::Value* {
        return v.is_object() ? v.find(key) : nullptr;
    };
    switch (kind) {
        case FieldKind::boolean:
            return answer->is_bool() && fn(*answer);
        case FieldKind::integer:
            return answer->is_int() && fn(*answer);
        case FieldKind::single_choice: {
            const json::Value* v = member(*answer, "value");
            return v != nullptr && v->is_string() && fn(*v);
        }
        case FieldKind::multi_choice:
            if (!answer->is_array()) return false;
            return std::ranges::any_of(answer->as_array(), [&](const json::Value& item) {
                const json::Value* v = member(item, "value");
                return v != nullptr && v->is_string() && fn(*v);
            });
        case FieldKind::consent: {
            const json::Value* v = member(*answer, "given");
            return v != nullptr && v->is_bool() && fn(*v);
        }
        default:
            return false;
    }
}

}  // namespace

bool is_empty_answer(const json::Value* answer) noexcept {
    if (answer == nullptr) return true;
    switch (answer->type()) {
        case json::Type::null:
            return true;
        case json::Type::string:
            return detail::is_blank(answer->as_string());
        case json::Type::array:
            return std::ranges::all_of(answer->as_array(),
                                       [](const json::Value& e) { return is_empty_answer(&e); });
        case json::Type::object:
            return std::ranges::all_of(answer->as_object(),
                                       [](const auto& m) { return is_empty_answer(&m.second); });
        default:
            return false;
    }
}

AnswerScope::AnswerScope(const FormDefinition& form, const json::Value& answers)
    : form_(form), answers_(answers), visible_memo_(form.fields().size(), -1) {}

AnswerScope::AnswerScope(const FormDefinition& form, const json::Value& answers, std::size_t repeat,
                         std::size_t item)
    : AnswerScope(form, answers) {
    // Repeats do not nest, so the repeat itself is reachable from the top level.
    const json::Value* items = answer(repeat);
    if (items != nullptr && items->is_array() && item < items->as_array().size()) {
        item_ = &items->as_array()[item];
    }
    repeat_ = repeat;
}

const json::Value* AnswerScope::answer(std::size_t field) const {
    std::array<std::size_t, kMaxNestingDepth> chain{};
    std::size_t n = 0;
    for (std::size_t i = field; i != kNoField; i = form_.field(i).parent) chain.at(n++) = i;
    const json::Value* cur = &answers_;
    for (std::size_t k = n; k-- > 0;) {
        const Field& f = form_.field(chain[k]);
        if (cur == nullptr || !cur->is_object()) return nullptr;
        cur = cur->find(f.id);
        if (f.kind == FieldKind::repeat && k > 0) cur = chain[k] == repeat_ ? item_ : nullptr;
    }
    return cur;
}

bool AnswerScope::visible(std::size_t field) const {
    signed char& memo = visible_memo_.at(field);
    if (memo < 0) {
        const Field& f = form_.field(field);
        // Conditions only name earlier fields, so this recursion always terminates.
        const bool shown = (f.parent == kNoField || visible(f.parent)) &&
                           (!f.visible_when || holds(*f.visible_when));
        memo = shown ? 1 : 0;
    }
    return memo == 1;
}

bool AnswerScope::holds(const Condition& c) const {
    const auto seen = [&]() -> const json::Value* {
        return visible(c.field) ? answer(c.field) : nullptr;
    };
    switch (c.op) {
        case Condition::Op::equals:
        case Condition::Op::in:
            return any_atom(form_.field(c.field).kind, seen(), [&](const json::Value& atom) {
                return std::ranges::find(c.values, atom) != c.values.end();
            });
        case Condition::Op::between:
            return any_atom(form_.field(c.field).kind, seen(), [&](const json::Value& atom) {
                return atom.as_int() >= c.min && atom.as_int() <= c.max;
            });
        case Condition::Op::not_empty:
            return !is_empty_answer(seen());
        case Condition::Op::all:
            return std::ranges::all_of(c.operands, [&](const Condition& o) { return holds(o); });
        case Condition::Op::any:
            return std::ranges::any_of(c.operands, [&](const Condition& o) { return holds(o); });
        case Condition::Op::not_:
            return !holds(c.operands.at(0));
    }
    return false;
}

}  // namespace svidok::forms
