// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internals of the record editor (form_editor.h), shared by its source files: form_editor.cpp
// (the walk over the fields), form_editor_widgets.cpp (texts, numbers, booleans, times, consent,
// attachments), form_editor_choices.cpp (vocabularies, legal tags, locations) and
// form_editor_dates.cpp. Not for other users.

#include <cstddef>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "form_editor.h"
#include "forms/condition.h"

// A nested namespace: these names are private to the editor's source files.
namespace svidok::app::editor_impl {

/// One step from the answers object: a member (key not empty) or an array element.
struct Step {
    std::string_view key;  // a field id or member name: storage owned by the form or static
    std::size_t index = 0;
};

/// Where a value lives: the steps from the answers object, its path as validation writes it
/// ("victims[1].age_at_time") and the repeat item whose fields its visibility may read.
struct Site {
    std::vector<Step> steps;
    std::string path;
    std::size_t repeat = forms::kNoField;
    std::size_t item = 0;

    [[nodiscard]] Site member(std::string_view key) const;
    [[nodiscard]] Site element(std::size_t i) const;
    /// Item `i` of the repeat field with index `repeat_field` (this is the repeat's site).
    [[nodiscard]] Site repeat_item(std::size_t repeat_field, std::size_t i) const;
};

/// The value at `site`, or nullptr when it or an enclosing container is absent.
[[nodiscard]] const forms::json::Value* value_at(const forms::json::Value& root, const Site& site);

/// Stores `value` at `site`, turning absent or non-container ancestors into objects. An array
/// element that does not exist is left alone (the editor only writes items it drew).
void put(forms::json::Value& root, const Site& site, forms::json::Value value);

/// The string, or "" when `v` is absent or not a string.
[[nodiscard]] const std::string& text_of(const forms::json::Value* v);
/// The string, or null when it is empty (an emptied field is unanswered again).
[[nodiscard]] forms::json::Value text_value(const std::string& s);
/// The member of an object, or nullptr when `v` is absent or not an object.
[[nodiscard]] const forms::json::Value* member_of(const forms::json::Value* v,
                                                  std::string_view key);
/// An ImGui label whose id is `name` alone ("label###name"), so ids never depend on language.
[[nodiscard]] std::string labelled(const char* label, std::string_view name);
/// The width of a one-line field.
[[nodiscard]] float field_width();
/// Names the frame of the next widget (`width` wide, one line) for the tests: a combo's own
/// item is not the last one while its list is open.
void probe_frame(const std::string& name, float width);
/// The number of elements, 0 when `v` is absent or not an array.
[[nodiscard]] std::size_t items_of(const forms::json::Value* v);
/// ImGui's text callback: grows std::string buffers; with CallbackCharFilter, digits only.
int text_callback(ImGuiInputTextCallbackData* data);

/// A choice {"value", "other"} as plain strings (empty when absent or of the wrong type).
struct Choice {
    std::string value;
    std::string other;
};
[[nodiscard]] std::optional<Choice> read_choice(const forms::json::Value* v);
/// The elements of a multi_choice answer, index for index (wrong shapes read as empty).
[[nodiscard]] std::vector<Choice> read_choices(const forms::json::Value* v);
/// {"value": value, "other": other text, or null unless value is "other"}.
[[nodiscard]] forms::json::Value choice_value(std::string_view value, std::string_view other);
/// The choice as the interviewer reads it: the entry's label, "Other: ...", or the raw id.
[[nodiscard]] std::string choice_text(const forms::Vocabulary* vocab, const Choice& c,
                                      forms::Language lang);
/// The date as text in `lang` ("April 2023 (approximately)", "March 2023 – May 2023").
[[nodiscard]] std::string date_text(const forms::json::Value& v, forms::Language lang);
/// True when `needle` occurs in `hay`, ignoring Latin and Cyrillic letter case.
[[nodiscard]] bool matches_search(std::string_view hay, std::string_view needle);

/// printf into a string (for translated format strings from tr()).
template <class... Args>
[[nodiscard]] std::string formatted(const char* fmt, Args... args);

/// One draw() or view() over a form. Editing when `edit` is not null (it is `root`).
class Pass {
public:
    Pass(FormEditor& editor, const forms::FormDefinition& form, forms::json::Value* edit,
         const forms::json::Value& root, std::span<const forms::FieldIssue> issues,
         forms::Language lang);

    /// Draws every visible field, then the issues no field showed. After an edit, clears
    /// the answers of fields that became hidden.
    void run();

    FormEditor::Events events;

private:
    // form_editor.cpp: the walk.
    void fields(std::span<const std::size_t> ids, const Site& parent);
    void heading(const forms::Field& f);
    void group(const forms::Field& f, const Site& site);
    void repeat(std::size_t index, const forms::Field& f, const Site& site);
    void add_item(const Site& site);
    void remove_item(const Site& site, std::size_t item);
    void leaf(const forms::Field& f, const Site& site);
    void sealed(const forms::Field& f, const Site& site);
    void edit_value(const forms::Field& f, const Site& site);
    void view_value(const forms::Field& f, const Site& site);
    void issues_under(const forms::Field& f, const Site& site, bool members);
    void other_issues();

    // form_editor.cpp: the widgets' plumbing. input() draws a text input named `name` holding
    // `text`; true when edited, the new text then in the scratch buffer. track() names the last
    // item for the tests and notes a completed edit; commit() writes a value.
    bool input(const std::string& name, std::string_view text, const char* hint, int flags = 0,
               float height = 0.f, const char* label = nullptr);
    void track(const std::string& name);
    void commit(const Site& site, forms::json::Value value, bool done = false);
    [[nodiscard]] bool editing() const noexcept { return edit_ != nullptr; }

    // form_editor_widgets.cpp
    void text_field(const forms::Field& f, const Site& site);
    void integer_field(const forms::Field& f, const Site& site);
    void boolean_field(const Site& site);
    void datetime_field(const Site& site);
    void consent_field(const Site& site);
    void attachments_list(const forms::json::Value* v);
    [[nodiscard]] std::string describe(const forms::Field& f, const forms::json::Value& v) const;

    // form_editor_choices.cpp
    std::optional<forms::json::Value> choice_combo(const std::string& name, const char* label,
                                                   const forms::Vocabulary* vocab, bool allow_other,
                                                   const std::optional<Choice>& current);
    void search_box(const std::string& name, std::string& filter, bool in_popup);
    bool other_text(const std::string& name, const std::string& text);
    void single_choice(const forms::Field& f, const Site& site);
    void multi_choice(const forms::Field& f, const Site& site);
    void legal_suggestions(const forms::Field& f, const Site& site);
    void location(const forms::Field& f, const Site& site);
    void location_part(const Site& site, std::string_view key, const std::string& vocab_id,
                       const char* label);
    void coordinates(const Site& site);
    void set_location_part(const Site& site, std::string_view key, forms::json::Value part,
                           bool done);
    [[nodiscard]] std::string location_text(const forms::Field& f,
                                            const forms::json::Value& v) const;

    // form_editor_dates.cpp
    void date_field(const forms::Field& f, const Site& site);
    bool calendar_parts(const std::string& name, std::string& value,
                        forms::DatePrecision precision);
    bool month_combo(const std::string& name, std::string& month);

    FormEditor& ed_;
    const forms::FormDefinition& form_;
    forms::json::Value* edit_;
    const forms::json::Value& root_;
    std::span<const forms::FieldIssue> issues_;
    std::vector<bool> shown_;  // issues_ already drawn under a field
    forms::Language lang_;
};

template <class... Args>
std::string formatted(const char* fmt, Args... args) {
    const int n = std::snprintf(nullptr, 0, fmt, args...);
    std::string out(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
    std::snprintf(out.data(), out.size() + 1, fmt, args...);
    return out;
}

}  // namespace svidok::app::editor_impl
