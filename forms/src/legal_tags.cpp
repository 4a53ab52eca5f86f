// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/legal_tags.h"

#include <algorithm>
#include <set>

#include "forms/condition.h"

namespace svidok::forms {

std::vector<std::string> suggested_legal_tags(const FormDefinition& form,
                                              const json::Value& answers) {
    const Vocabulary* vocab = form.find_vocabulary(form.legal_tag_vocabulary());
    if (vocab == nullptr) return {};
    const AnswerScope top(form, answers);
    std::set<std::string> fired;
    for (const LegalRule& rule : form.legal_rules()) {
        bool holds = false;
        if (rule.repeat == kNoField) {
            holds = top.holds(rule.when);
        } else {
            // With no items the rule is still evaluated once, its repeat's fields absent, so a
            // rule that also looks at top-level answers can fire without any item.
            const json::Value* items = top.answer(rule.repeat);
            const std::size_t n =
                items != nullptr && items->is_array() ? items->as_array().size() : 0;
            for (std::size_t i = 0; i < std::max<std::size_t>(n, 1) && !holds; ++i) {
                holds = AnswerScope(form, answers, rule.repeat, i).holds(rule.when);
            }
        }
        if (holds) fired.insert(rule.tags.begin(), rule.tags.end());
    }
    std::vector<std::string> out;
    for (const VocabularyEntry& e : vocab->entries) {
        if (fired.contains(e.id)) out.push_back(e.id);
    }
    return out;
}

}  // namespace svidok::forms
