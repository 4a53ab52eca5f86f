// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/answers.h"

namespace svidok::forms {
namespace {

json::Value skeleton(const FormDefinition& form, std::span<const std::size_t> fields) {
    json::Object obj;
    for (std::size_t i : fields) {
        const Field& f = form.field(i);
        switch (f.kind) {
            case FieldKind::group: obj.emplace_back(f.id, skeleton(form, f.children)); break;
            case FieldKind::repeat:
                obj.emplace_back(f.id, json::Array{skeleton(form, f.children)});
                break;
            default: obj.emplace_back(f.id, json::Value{}); break;
        }
    }
    return obj;
}

}  // namespace

json::Value template_for(const FormDefinition& form) { return skeleton(form, form.top_level()); }

json::Value example_for(const FormDefinition& form) { return form.example(); }

}  // namespace svidok::forms
