// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/answers.h"

#include <array>
#include <cstdio>
#include <string>

#include "forms/validate.h"
#include "values.h"

namespace svidok::forms {
namespace {

json::Value skeleton(const FormDefinition& form, std::span<const std::size_t> fields) {
    json::Object obj;
    for (std::size_t i : fields) {
        const Field& f = form.field(i);
        switch (f.kind) {
            case FieldKind::group:
                obj.emplace_back(f.id, skeleton(form, f.children));
                break;
            case FieldKind::repeat:
                obj.emplace_back(f.id, json::Array{skeleton(form, f.children)});
                break;
            default:
                obj.emplace_back(f.id, json::Value{});
                break;
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
                out.push_back(
                    {here + "[" + std::to_string(k) + "]", name->as_string(), sha->as_string()});
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

bool valid_attachment_name(std::string_view name) noexcept {
    return !name.empty() && name.size() <= kMaxAttachmentNameBytes && name != "." && name != ".." &&
           name.find_first_of("/\\") == std::string_view::npos && !detail::has_control(name, false);
}

Result<const Field*> attachment_field(const FormDefinition& form, std::string_view field_id) {
    std::vector<const Field*> choices;
    for (const Field& f : form.fields()) {
        if (f.kind == FieldKind::attachments && f.repeat == kNoField) choices.push_back(&f);
    }
    std::string names;
    for (const Field* f : choices) names += (names.empty() ? "" : ", ") + f->id;
    if (!field_id.empty()) {
        for (const Field* f : choices) {
            if (f->id == field_id) return f;
        }
        return fail(
            Errc::usage,
            "the form " + form.id() + " has no file field \"" + std::string(field_id) + "\"",
            names.empty() ? std::string() : "its file fields are: " + names);
    }
    if (choices.size() == 1) return choices.front();
    if (choices.empty()) {
        return fail(Errc::usage, "the form " + form.id() + " has no field for attached files");
    }
    return fail(Errc::usage, "the form " + form.id() + " has several file fields",
                "choose one with --field (" + names + ")");
}

Result<json::Value> add_attachment_reference(const FormDefinition& form, const Field& field,
                                             json::Value answers, std::string_view name,
                                             const crypto::Sha256Digest& sha256) {
    // The chain of enclosing groups, outermost first.
    std::vector<const Field*> chain{&field};
    while (chain.back()->parent != kNoField) chain.push_back(&form.field(chain.back()->parent));
    json::Value* at = &answers;
    std::string path;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (!at->is_object()) {
            return fail(Errc::invalid,
                        "the draft's answer at " + (path.empty() ? "(answers)" : path) +
                            " is not an object",
                        "fix the draft with `record update` first");
        }
        path += (path.empty() ? "" : ".") + (*it)->id;
        json::Value* next = nullptr;
        for (auto& [key, value] : at->as_object()) {
            if (key == (*it)->id) next = &value;
        }
        if (next == nullptr || next->is_null()) {
            at->set((*it)->id,
                    *it == &field ? json::Value(json::Array{}) : json::Value(json::Object{}));
            for (auto& [key, value] : at->as_object()) {
                if (key == (*it)->id) next = &value;
            }
        }
        at = next;
    }
    if (!at->is_array()) {
        return fail(Errc::invalid, "the draft's answer at " + path + " is not an array of files",
                    "fix the draft with `record update` first");
    }
    const std::string hex = crypto::to_hex(sha256);
    for (const json::Value& e : at->as_array()) {
        const json::Value* h = e.find("sha256");
        if (h != nullptr && h->is_string() && h->as_string() == hex) return answers;
    }
    at->as_array().push_back(json::Object{{"name", std::string(name)}, {"sha256", hex}});
    return answers;
}

json::Value template_for(const FormDefinition& form) {
    return skeleton(form, form.top_level());
}

json::Value example_for(const FormDefinition& form) {
    return form.example();
}

namespace {

std::string day_text(int yyyymmdd) {
    std::array<char, 40> buf{};  // room for any int: -Wformat-truncation proves it fits
    std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100,
                  yyyymmdd % 100);
    return buf.data();
}

std::optional<detail::CalendarSpan> calendar_member(const json::Value& answer,
                                                    std::string_view key) {
    const json::Value* m = answer.find(key);
    if (m == nullptr || !m->is_string()) return std::nullopt;
    return detail::parse_calendar(m->as_string());
}

}  // namespace

std::optional<DateSpan> calendar_span(std::string_view text) {
    const auto span = detail::parse_calendar(text);
    if (!span) return std::nullopt;
    return DateSpan{std::string(text), false, day_text(span->first), day_text(span->last)};
}

std::optional<DateSpan> date_span(const json::Value& answer) {
    const json::Value* precision = answer.find("precision");
    const json::Value* approximate = answer.find("approximate");
    if (precision == nullptr || !precision->is_string() || approximate == nullptr ||
        !approximate->is_bool()) {
        return std::nullopt;
    }
    using Form = detail::CalendarSpan::Form;
    const std::string& p = precision->as_string();
    std::optional<detail::CalendarSpan> first, last;
    std::string text;
    if (p == "range") {
        first = calendar_member(answer, "from");
        last = calendar_member(answer, "to");
        if (!first || !last || first->first > last->last) return std::nullopt;
        text = answer.find("from")->as_string() + "/" + answer.find("to")->as_string();
    } else {
        first = last = calendar_member(answer, "value");
        const Form expected = p == "day" ? Form::day : p == "month" ? Form::month : Form::year;
        if (!first || (p != "day" && p != "month" && p != "year") || first->form != expected) {
            return std::nullopt;
        }
        text = answer.find("value")->as_string();
    }
    return DateSpan{std::move(text), approximate->as_bool(), day_text(first->first),
                    day_text(last->last)};
}

}  // namespace svidok::forms
