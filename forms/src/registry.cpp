// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/registry.h"

#include <algorithm>

#include "forms/builtin.h"

namespace svidok::forms {
namespace {

bool before(const FormDefinition& a, std::string_view id, std::int64_t version) {
    return a.id() < id || (a.id() == id && a.version() < version);
}

}  // namespace

Result<void> FormRegistry::add(FormDefinition form) {
    const auto pos = std::ranges::find_if_not(
        forms_, [&](const auto& f) { return before(*f, form.id(), form.version()); });
    if (pos != forms_.end() && (*pos)->id() == form.id() && (*pos)->version() == form.version()) {
        if ((*pos)->sha256() == form.sha256()) return {};
        return fail(Errc::exists,
                    form.file_name() + ": form \"" + form.id() + "\" version " +
                        std::to_string(form.version()) + " is already loaded from " +
                        (*pos)->file_name() + " with different bytes",
                    "give the changed form a higher version");
    }
    forms_.insert(pos, std::make_unique<const FormDefinition>(std::move(form)));
    return {};
}

const FormDefinition* FormRegistry::find(std::string_view id) const noexcept {
    const FormDefinition* found = nullptr;
    for (const auto& f : forms_) {
        if (f->id() == id) found = f.get();  // ordered by version: the last one is the highest
    }
    return found;
}

const FormDefinition* FormRegistry::find(std::string_view id, std::int64_t version) const noexcept {
    for (const auto& f : forms_) {
        if (f->id() == id && f->version() == version) return f.get();
    }
    return nullptr;
}

const FormDefinition* FormRegistry::find(const crypto::Sha256Digest& sha256) const noexcept {
    for (const auto& f : forms_) {
        if (f->sha256() == sha256) return f.get();
    }
    return nullptr;
}

std::vector<const FormDefinition*> FormRegistry::all() const {
    std::vector<const FormDefinition*> out;
    for (const auto& f : forms_) out.push_back(f.get());
    return out;
}

Result<FormRegistry> load_builtin() {
    FormRegistry registry;
    for (const EmbeddedDefinition& def : builtin_definitions()) {
        auto form = parse_definition(def.file_name, def.bytes);
        if (!form) return std::unexpected(std::move(form.error()));
        if (auto added = registry.add(std::move(*form)); !added) {
            return std::unexpected(std::move(added.error()));
        }
    }
    return registry;
}

}  // namespace svidok::forms
