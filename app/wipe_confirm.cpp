// SPDX-License-Identifier: GPL-3.0-or-later
#include "wipe_confirm.h"

#include <imgui.h>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {

void WipeConfirm::draw(Model& model) {
    if (!open) return;
    ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x * 0.95f);
    ImGui::TextColored(ImVec4(0.7f, 0.05f, 0.05f, 1.f), "%s", tr("wipe.warning"));
    ImGui::PopTextWrapPos();
    ImGui::TextUnformatted(tr("wipe.type_word"));
    ImGui::SameLine();
    ImGui::TextUnformatted(tr("wipe.word"));
    ImGui::SetNextItemWidth(220.f);
    word.draw("###wipe.word");
    probe::item("wipe.word");
    // The word of the chosen language, or the English one, so a person whose keyboard lacks
    // the letters can still wipe.
    const bool typed = word.text == tr("wipe.word") || word.text == "WIPE";
    ImGui::BeginDisabled(!typed);
    if (ImGui::Button(tr("wipe.confirm"))) {
        model.wipe();
        *this = {};
    }
    probe::item("wipe.confirm");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(tr("action.cancel"))) *this = {};
    probe::item("wipe.cancel");
}

}  // namespace svidok::app
