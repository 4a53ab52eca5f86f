// SPDX-License-Identifier: GPL-3.0-or-later
// The record editor's walk over a form (groups, repeats, visibility, issues, clearing hidden
// answers), the paths answers are read and written at, and the text widget plumbing.
#include "form_editor.h"

#include <imgui.h>

#include <algorithm>

#include "form_editor_pass.h"
#include "forms/answers.h"
#include "forms/sealed.h"
#include "i18n.h"
#include "probe.h"
#include "widgets.h"

namespace svidok::app::editor_impl {

using forms::Field;
using forms::FieldKind;
namespace json = forms::json;

namespace {

constexpr float kFieldWidth = 560.f;
const ImVec4 kIssueColour{0.70f, 0.05f, 0.05f, 1.f};
const ImVec4 kRequiredColour{0.75f, 0.15f, 0.10f, 1.f};

bool visible_in(const forms::FormDefinition& form, const json::Value& root, std::size_t index,
                const Site& s) {
    return s.repeat == forms::kNoField
               ? forms::AnswerScope(form, root).visible(index)
               : forms::AnswerScope(form, root, s.repeat, s.item).visible(index);
}

// Empties the answer of a hidden field, keeping the shape of groups and repeat items.
void clear_answer(const forms::FormDefinition& form, json::Value& root, std::size_t index,
                  const Site& s) {
    const json::Value* v = value_at(root, s);
    if (forms::is_empty_answer(v)) return;
    const Field& f = form.field(index);
    if (f.kind == FieldKind::group && v->is_object()) {
        for (std::size_t c : f.children) clear_answer(form, root, c, s.member(form.field(c).id));
    } else if (f.kind == FieldKind::repeat && v->is_array()) {
        const std::size_t n = v->as_array().size();
        for (std::size_t k = 0; k < n; ++k) {
            const Site item = s.element(k);
            for (std::size_t c : f.children) {
                clear_answer(form, root, c, item.member(form.field(c).id));
            }
        }
    }
    if (!forms::is_empty_answer(value_at(root, s))) put(root, s, nullptr);
}

// Conditions treat hidden answers as absent, so clearing one never changes what is visible:
// one pass in document order clears everything an edit hid.
void clear_hidden(const forms::FormDefinition& form, json::Value& root,
                  std::span<const std::size_t> ids, const Site& parent) {
    for (std::size_t i : ids) {
        const Field& f = form.field(i);
        const Site s = parent.member(f.id);
        if (!visible_in(form, root, i, s)) {
            clear_answer(form, root, i, s);
        } else if (f.kind == FieldKind::group) {
            clear_hidden(form, root, f.children, s);
        } else if (f.kind == FieldKind::repeat) {
            const std::size_t n = items_of(value_at(root, s));
            for (std::size_t k = 0; k < n; ++k)
                clear_hidden(form, root, f.children, s.repeat_item(i, k));
        }
    }
}

// The issue in the interface language. `f` is null for an issue no drawn field showed.
std::string issue_text(const forms::FieldIssue& issue, const Field* f, std::string_view path) {
    using forms::IssueCode;
    const auto number = [](auto n) { return std::to_string(n); };
    switch (issue.code) {
        case IssueCode::out_of_range:
        case IssueCode::too_few_items:
        case IssueCode::too_many_items:
        case IssueCode::too_long:
            if (f == nullptr) return issue.message;  // English, but names the limit
            break;
        default:
            break;
    }
    switch (issue.code) {
        case IssueCode::out_of_range:
            return formatted(tr("editor.issue.out_of_range"), number(f->min).c_str(),
                             number(f->max).c_str());
        case IssueCode::too_few_items:
            return formatted(tr("editor.issue.too_few_items"), number(f->min_items).c_str());
        case IssueCode::too_many_items:
            return formatted(tr("editor.issue.too_many_items"), number(f->max_items).c_str());
        case IssueCode::too_long: {
            const bool own = issue.path == path &&
                             (f->kind == FieldKind::short_text || f->kind == FieldKind::long_text);
            const std::size_t limit = own ? f->max_length : forms::kMaxOtherTextLength;
            return formatted(tr("editor.issue.too_long"), number(limit).c_str());
        }
        case IssueCode::wrong_type:
            if (f != nullptr && f->kind == FieldKind::integer)
                return tr("editor.issue.not_a_number");
            break;
        default:
            break;
    }
    return tr("editor.issue." + std::string(forms::issue_code_name(issue.code)));
}

void show_issue(const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, kIssueColour);
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

}  // namespace

// --- Paths and values ---------------------------------------------------------------------

Site Site::member(std::string_view key) const {
    Site s = *this;
    s.steps.push_back({key, 0});
    if (!s.path.empty()) s.path += '.';
    s.path += key;
    return s;
}

Site Site::element(std::size_t i) const {
    Site s = *this;
    s.steps.push_back({{}, i});
    s.path += '[' + std::to_string(i) + ']';
    return s;
}

Site Site::repeat_item(std::size_t repeat_field, std::size_t i) const {
    Site s = element(i);
    s.repeat = repeat_field;
    s.item = i;
    return s;
}

const json::Value* value_at(const json::Value& root, const Site& site) {
    const json::Value* cur = &root;
    for (const Step& step : site.steps) {
        if (!step.key.empty()) {
            cur = cur->is_object() ? cur->find(step.key) : nullptr;
        } else if (cur->is_array() && step.index < cur->as_array().size()) {
            cur = &cur->as_array()[step.index];
        } else {
            cur = nullptr;
        }
        if (cur == nullptr) return nullptr;
    }
    return cur;
}

void put(json::Value& root, const Site& site, json::Value value) {
    json::Value* cur = &root;
    for (const Step& step : site.steps) {
        if (step.key.empty()) {
            if (!cur->is_array() || step.index >= cur->as_array().size()) return;
            cur = &cur->as_array()[step.index];
            continue;
        }
        if (!cur->is_object()) *cur = json::Object{};
        json::Object& obj = cur->as_object();
        auto it = std::ranges::find_if(obj, [&](const auto& m) { return m.first == step.key; });
        if (it == obj.end()) it = obj.emplace(obj.end(), std::string(step.key), json::Value());
        cur = &it->second;
    }
    *cur = std::move(value);
}

std::size_t items_of(const json::Value* v) {
    return v != nullptr && v->is_array() ? v->as_array().size() : 0;
}

const std::string& text_of(const json::Value* v) {
    static const std::string kNone;
    return v != nullptr && v->is_string() ? v->as_string() : kNone;
}

json::Value text_value(const std::string& s) {
    return s.empty() ? json::Value() : json::Value(s);
}

const json::Value* member_of(const json::Value* v, std::string_view key) {
    return v != nullptr && v->is_object() ? v->find(key) : nullptr;
}

std::string labelled(const char* label, std::string_view name) {
    return std::string(label) + "###" + std::string(name);
}

float field_width() {
    return std::min(ImGui::GetContentRegionAvail().x, kFieldWidth);
}

void probe_frame(const std::string& name, float width) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    probe::rects().insert_or_assign(
        "editor." + name, probe::Rect{at, ImVec2(at.x + width, at.y + ImGui::GetFrameHeight())});
}

int text_callback(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackCharFilter) {
        return data->EventChar >= '0' && data->EventChar <= '9' ? 0 : 1;
    }
    return resize_string(data);
}

// --- The walk -----------------------------------------------------------------------------

Pass::Pass(FormEditor& editor, const forms::FormDefinition& form, json::Value* edit,
           const json::Value& root, std::span<const forms::FieldIssue> issues, forms::Language lang)
    : ed_(editor),
      form_(form),
      edit_(edit),
      root_(root),
      issues_(issues),
      shown_(issues.size(), false),
      lang_(lang) {}

void Pass::run() {
    fields(form_.top_level(), Site{});
    if (events.changed) clear_hidden(form_, *edit_, form_.top_level(), Site{});
    other_issues();
}

void Pass::fields(std::span<const std::size_t> ids, const Site& parent) {
    for (std::size_t i : ids) {
        const Field& f = form_.field(i);
        const Site s = parent.member(f.id);
        // Visibility is read afresh for every field: an edit above may just have changed it.
        if (!visible_in(form_, root_, i, s)) continue;
        if (const json::Value* v = value_at(root_, s);
            v != nullptr && forms::is_sealed_marker(*v)) {
            sealed(f, s);
        } else if (f.kind == FieldKind::group) {
            group(f, s);
        } else if (f.kind == FieldKind::repeat) {
            repeat(i, f, s);
        } else {
            leaf(f, s);
        }
    }
}

// A sealed answer (docs/FORMS.md 3.8): this device holds only ciphertext for the legal team.
// In an amendment draft the person may replace it with a new value, sealed afresh at sealing.
void Pass::sealed(const Field& f, const Site& site) {
    heading(f);
    ImGui::TextColored(ImVec4(0.2f, 0.3f, 0.6f, 1.f), "%s", tr("sealed.answer"));
    track(site.path + ".sealed");
    if (editing()) {
        ImGui::SameLine();
        const std::string name = site.path + ".replace";
        if (ImGui::SmallButton(labelled(tr("sealed.replace"), name).c_str()))
            commit(site, nullptr, true);
        track(name);
    }
    issues_under(f, site, true);
    ImGui::Spacing();
}

void Pass::heading(const Field& f) {
    const bool section =
        f.depth == 1 && (f.kind == FieldKind::group || f.kind == FieldKind::repeat);
    if (section) ImGui::Dummy(ImVec2(0.f, ImGui::GetTextLineHeight()));
    ImGui::TextWrapped("%s", f.label.in(lang_).c_str());
    if (f.required) {
        ImGui::SameLine(0.f, 4.f);
        ImGui::TextColored(kRequiredColour, "*");
    }
    // A field inside a sensitive group or repeat is sensitive too; say it once, on the group.
    if (f.sensitive && (f.parent == forms::kNoField || !form_.field(f.parent).sensitive)) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr("editor.sensitive"));
    }
    if (f.hint) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s", f.hint->in(lang_).c_str());
        ImGui::PopStyleColor();
    }
    if (section) ImGui::Separator();
}

void Pass::group(const Field& f, const Site& site) {
    heading(f);
    issues_under(f, site, false);
    ImGui::Indent();
    fields(f.children, site);
    ImGui::Unindent();
}

void Pass::repeat(std::size_t index, const Field& f, const Site& site) {
    heading(f);
    issues_under(f, site, false);
    const std::size_t n = items_of(value_at(root_, site));
    std::optional<std::size_t> removed;
    for (std::size_t k = 0; k < n; ++k) {
        const Site item = site.repeat_item(index, k);
        ImGui::Spacing();
        ImGui::TextDisabled(tr("editor.repeat.item"), static_cast<int>(k + 1));
        if (editing()) {
            ImGui::SameLine();
            ImGui::BeginDisabled(n <= f.min_items);
            const std::string name = item.path + ".remove";
            if (ImGui::SmallButton(labelled(tr("editor.repeat.remove"), name).c_str())) removed = k;
            track(name);
            ImGui::EndDisabled();
        }
        ImGui::Indent();
        fields(f.children, item);
        ImGui::Unindent();
    }
    if (n == 0) ImGui::TextDisabled("%s", tr("editor.repeat.empty"));
    if (!editing()) return;
    ImGui::BeginDisabled(n >= f.max_items);
    const std::string add = site.path + ".add";
    if (ImGui::Button(labelled(tr("editor.repeat.add"), add).c_str())) add_item(site);
    track(add);
    ImGui::EndDisabled();
    if (removed) remove_item(site, *removed);
}

// A new item has the template's shape: every child present and null.
void Pass::add_item(const Site& site) {
    const json::Value blank = forms::template_for(form_);
    const json::Value* items = value_at(blank, site);  // repeats do not nest: no index on the way
    json::Value item = items_of(items) > 0 ? items->as_array().front() : json::Object{};
    const json::Value* cur = value_at(root_, site);
    json::Array next = cur != nullptr && cur->is_array() ? cur->as_array() : json::Array{};
    next.push_back(std::move(item));
    commit(site, std::move(next), true);
}

void Pass::remove_item(const Site& site, std::size_t item) {
    const json::Value* cur = value_at(root_, site);
    if (item >= items_of(cur)) return;
    json::Array next = cur->as_array();
    next.erase(next.begin() + static_cast<std::ptrdiff_t>(item));
    commit(site, std::move(next), true);
    // Searches and picked precisions are kept by path; the later items have moved.
    const std::string prefix = site.path + "[";
    std::erase_if(ed_.filters_, [&](const auto& e) { return e.first.starts_with(prefix); });
    std::erase_if(ed_.precisions_, [&](const auto& e) { return e.first.starts_with(prefix); });
}

void Pass::leaf(const Field& f, const Site& site) {
    heading(f);
    if (editing()) {
        edit_value(f, site);
    } else {
        view_value(f, site);
    }
    issues_under(f, site, true);
    ImGui::Spacing();
}

void Pass::edit_value(const Field& f, const Site& site) {
    switch (f.kind) {
        case FieldKind::short_text:
        case FieldKind::long_text:
            text_field(f, site);
            break;
        case FieldKind::integer:
            integer_field(f, site);
            break;
        case FieldKind::boolean:
            boolean_field(site);
            break;
        case FieldKind::date:
            date_field(f, site);
            break;
        case FieldKind::datetime:
            datetime_field(site);
            break;
        case FieldKind::single_choice:
            single_choice(f, site);
            break;
        case FieldKind::multi_choice:
            multi_choice(f, site);
            break;
        case FieldKind::location:
            location(f, site);
            break;
        case FieldKind::consent:
            consent_field(site);
            break;
        case FieldKind::attachments:
            attachments_list(value_at(root_, site));
            break;
        case FieldKind::group:
        case FieldKind::repeat:
            break;
    }
}

void Pass::view_value(const Field& f, const Site& site) {
    const json::Value* v = value_at(root_, site);
    if (forms::is_empty_answer(v)) {
        ImGui::TextDisabled("%s", tr("editor.view.empty"));
    } else if (f.kind == FieldKind::attachments) {
        attachments_list(v);
    } else {
        ImGui::TextWrapped("%s", describe(f, *v).c_str());
    }
}

// Issues of a field are those at its path or, for values, inside it ("x.other", "x[2].value").
void Pass::issues_under(const Field& f, const Site& site, bool members) {
    const std::string_view own = site.path;
    for (std::size_t i = 0; i < issues_.size(); ++i) {
        const std::string_view p = issues_[i].path;
        const bool inside = members && p.size() > own.size() && p.starts_with(own) &&
                            (p[own.size()] == '.' || p[own.size()] == '[');
        if (shown_[i] || (p != own && !inside)) continue;
        shown_[i] = true;
        show_issue(issue_text(issues_[i], &f, own));
        probe::item("editor." + site.path + ".issue");
    }
}

void Pass::other_issues() {
    if (std::ranges::find(shown_, false) == shown_.end()) return;
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted(tr("editor.issues.other"));
    for (std::size_t i = 0; i < issues_.size(); ++i) {
        if (shown_[i]) continue;
        // Paths are field ids and indices, never answer content.
        show_issue(issues_[i].path + ": " + issue_text(issues_[i], nullptr, {}));
    }
}

// --- Widgets ------------------------------------------------------------------------------

// The text is copied from the answers into the scratch buffer every frame: while the widget is
// active ImGui edits its own copy and hands back each change, which is written through at once.
bool Pass::input(const std::string& name, std::string_view text, const char* hint, int flags,
                 float height, const char* label) {
    std::string& buf = ed_.scratch_;
    buf.assign(text);
    const std::string id = label != nullptr ? labelled(label, name) : "##" + name;
    const int all = flags | ImGuiInputTextFlags_CallbackResize;
    const float frame_width = ImGui::CalcItemWidth();
    const bool edited =
        height > 0.f ? ImGui::InputTextMultiline(id.c_str(), buf.data(), buf.capacity() + 1,
                                                 ImVec2(-FLT_MIN, height), all, text_callback, &buf)
                     : ImGui::InputTextWithHint(id.c_str(), hint != nullptr ? hint : "", buf.data(),
                                                buf.capacity() + 1, all, text_callback, &buf);
    track(name);
    if (label != nullptr) {
        // The item includes the label, which does not take clicks: name the frame alone.
        const ImVec2 min = ImGui::GetItemRectMin();
        probe::rects().insert_or_assign(
            "editor." + name,
            probe::Rect{min, ImVec2(min.x + frame_width, ImGui::GetItemRectMax().y)});
    }
    return edited;
}

void Pass::track(const std::string& name) {
    probe::item("editor." + name);
    if (ImGui::IsItemDeactivatedAfterEdit()) events.field_deactivated = true;
}

void Pass::commit(const Site& site, json::Value value, bool done) {
    put(*edit_, site, std::move(value));
    events.changed = true;
    if (done) events.field_deactivated = true;
}

}  // namespace svidok::app::editor_impl

// --- FormEditor ---------------------------------------------------------------------------

namespace svidok::app {

namespace json = forms::json;

FormEditor::Events FormEditor::draw(const forms::FormDefinition& form, json::Value& answers,
                                    std::span<const forms::FieldIssue> issues,
                                    forms::Language lang) {
    editor_impl::Pass pass(*this, form, &answers, answers, issues, lang);
    pass.run();
    return pass.events;
}

void FormEditor::view(const forms::FormDefinition& form, const json::Value& answers,
                      forms::Language lang) {
    FormEditor unused;
    editor_impl::Pass pass(unused, form, nullptr, answers, {}, lang);
    pass.run();
}

}  // namespace svidok::app
