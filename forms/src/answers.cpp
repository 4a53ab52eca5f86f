// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/answers.h"

#include <string>

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

void collect_refs(const FormDefinition& form, std::span<const std::size_t> fields,
                  const json::Value* answers, const std::string& path,
                  std::vector<AttachmentReference>& out) {
    if (answers == nullptr || !answers->is_object()) return;
    for (std::size_t i : fields) {
        const Field& f = form.field(i);
        const json::Value* v = answers->find(f.id);
        const std::string here = path.empty() ? f.id : path + "." + f.id;
        if (v == nullptr) continue;
        if (f.kind == FieldKind::group) {
            collect_refs(form, f.children, v, here, out);
        } else if (f.kind == FieldKind::repeat && v->is_array()) {
            for (std::size_t k = 0; k < v->as_array().size(); ++k) {
                collect_refs(form, f.children, &v->as_array()[k],
                             here + "[" + std::to_string(k) + "]", out);
            }
        } else if (f.kind == FieldKind::attachments && v->is_array()) {
            for (std::size_t k = 0; k < v->as_array().size(); ++k) {
                const json::Value& e = v->as_array()[k];
                const json::Value* name = e.find("name");
                const json::Value* sha = e.find("sha256");
                if (name == nullptr || sha == nullptr || !name->is_string() || !sha->is_string()) {
                    continue;
                }
                out.push_back({here + "[" + std::to_string(k) + "]", name->as_string(),
                               sha->as_string()});
            }
        }
    }
}

}  // namespace

std::vector<AttachmentReference> attachment_references(const FormDefinition& form,
                                                       const json::Value& answers) {
    std::vector<AttachmentReference> out;
    collect_refs(form, form.top_level(), &answers, "", out);
    return out;
}

json::Value template_for(const FormDefinition& form) { return skeleton(form, form.top_level()); }

json::Value example_for(const FormDefinition& form) { return form.example(); }

}  // namespace svidok::forms
