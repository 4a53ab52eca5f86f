// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The record editor: draws the answers of any form definition (docs/FORMS.md) and edits them in
// place, one widget per field kind, showing validation issues under their fields.
//
// The JSON answers are the only copy of what was entered: each frame a text widget is filled
// from them and every keystroke is written back, so nothing here can go stale when the caller
// replaces the answers. ImGui ids and probe names are field paths plus fixed suffixes, never
// user data (ImGui ids can reach imgui.ini):
//   editor.<path>                 the field's input ("editor.victims[1].age_at_time")
//   editor.<path>=<value>         a choice: a vocabulary entry, "other", "" (no answer), or
//                                 yes/no for booleans and consent ("editor.consent.c.given=yes")
//   editor.<path>.<member>        a member of the value ("editor.p.other", "editor.d.value.year",
//                                 "editor.d.precision=month", "editor.loc.coordinates.lat")
//   editor.<path>.filter          the search box of a long vocabulary
//   editor.<path>.now             "now" for a time
//   editor.<path>.add, editor.<path>[i].remove      repeat items
//   editor.<path>.confirm=<tag>, editor.<path>.confirm_all   suggested legal tags
//   editor.<path>.issue           a validation message shown under the field

#include <map>
#include <span>
#include <string>

#include "forms/form.h"
#include "forms/json.h"
#include "forms/language.h"
#include "forms/validate.h"

namespace svidok::app {

namespace editor_impl {
class Pass;
}

class FormEditor {
public:
    /// What happened during one draw().
    struct Events {
        bool changed = false;            // the answers were edited
        bool field_deactivated = false;  // an edit was completed (focus left a text field, or a
                                         // choice, button or checkbox was used): autosave now
    };

    /// Draws `answers` (edited in place) for `form`, labels and hints in `lang`, interface
    /// strings in the app's language (i18n.h). `issues` are the current forms::validate() result;
    /// each is shown in plain words under its field. Hidden fields are not drawn, and an edit
    /// that hides a field clears its answer (validation requires hidden answers to be empty).
    /// Without input the answers are never touched, so a valid record stays byte-identical.
    /// Call inside an ImGui window.
    Events draw(const forms::FormDefinition& form, forms::json::Value& answers,
                std::span<const forms::FieldIssue> issues, forms::Language lang);

    /// Read-only rendering of (sealed) answers: the same layout, values as text.
    static void view(const forms::FormDefinition& form, const forms::json::Value& answers,
                     forms::Language lang);

private:
    friend class editor_impl::Pass;

    std::string scratch_;  // the text widget being drawn (filled from the answers each time)
    std::map<std::string, std::string, std::less<>> filters_;  // vocabulary searches, by path
    std::map<std::string, forms::DatePrecision, std::less<>> precisions_;  // picked, no date yet
};

}  // namespace svidok::app
