// SPDX-License-Identifier: GPL-3.0-or-later
// The safety page. Each setting says what it protects against and what it risks, in the
// person's language.
#include "page_safety.h"

#include <imgui.h>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {
namespace {

constexpr int kMaxWipeAfterShown = 30;  // the slider's end; the library accepts up to 99

void section(const char* title_key) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted(tr(title_key));
}

void explain(const char* key) {
    ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x * 0.95f);
    ImGui::TextDisabled("%s", tr(key));
    ImGui::PopTextWrapPos();
}

}  // namespace

void SafetyPage::draw(Model& model, bool& prepare_decoy) {
    ImGui::TextUnformatted(tr("safety.title"));
    show_status(model);
    if (show_progress(model, "safety.cancel")) return;
    const Model::Safety& s = model.safety();

    // --- the legal team that witness identities are sealed to ---
    section("safety.seal.title");
    explain("safety.seal.explain");
    if (model.recipients().empty()) {
        ImGui::TextUnformatted(tr("safety.seal.no_recipients"));
    }
    for (const auto& r : model.recipients()) {
        bool sealed_to = r.seal;
        const std::string id = "safety.seal." + r.name;
        ImGui::PushID(id.c_str());
        if (ImGui::Checkbox(r.name.c_str(), &sealed_to)) {
            std::vector<std::string> names;
            for (const auto& other : model.recipients()) {
                if (other.name == r.name ? sealed_to : other.seal) names.push_back(other.name);
            }
            model.set_seal_recipients(std::move(names));
        }
        ImGui::PopID();
        probe::item(id.c_str());
    }

    // --- wipe after failed attempts ---
    section("safety.attempts.title");
    explain("safety.attempts.explain");
    if (wipe_after < 0) wipe_after = static_cast<int>(s.wipe_after);
    ImGui::SetNextItemWidth(260.f);
    ImGui::SliderInt("###safety.attempts", &wipe_after, 0, kMaxWipeAfterShown,
                     wipe_after == 0 ? tr("safety.attempts.off") : tr("safety.attempts.after"));
    probe::item("safety.attempts");
    ImGui::SameLine();
    ImGui::BeginDisabled(static_cast<unsigned>(wipe_after) == s.wipe_after);
    if (ImGui::Button(tr("safety.apply"))) model.set_wipe_after(static_cast<unsigned>(wipe_after));
    probe::item("safety.attempts.apply");
    ImGui::EndDisabled();

    // --- the duress passphrase ---
    section("safety.duress.title");
    explain("safety.duress.explain");
    ImGui::TextUnformatted(tr(!s.duress.set            ? "safety.duress.not_set"
                              : s.duress.destroys_real ? "safety.duress.set_destroys"
                                                       : "safety.duress.set_decoy_only"));
    ImGui::SetNextItemWidth(300.f);
    duress.draw(tr("safety.duress.passphrase"));
    probe::item("safety.duress.passphrase");
    ImGui::SetNextItemWidth(300.f);
    duress_repeat.draw(tr("safety.duress.repeat"));
    probe::item("safety.duress.repeat");
    ImGui::Checkbox(tr("safety.duress.destroys"), &duress_destroys);
    probe::item("safety.duress.destroys");
    if (ImGui::Button(tr("safety.duress.set"))) {
        model.set_duress(duress.take(), duress_repeat.take(), duress_destroys);
    }
    probe::item("safety.duress.set");
    if (s.duress.set) {
        ImGui::SameLine();
        if (ImGui::Button(tr("safety.duress.clear"))) model.clear_duress();
        probe::item("safety.duress.clear");
    }
    explain("safety.decoy.explain");
    if (ImGui::Button(tr("safety.decoy.prepare"))) prepare_decoy = true;
    probe::item("safety.decoy.prepare");

    // --- wipe now ---
    section("safety.wipe.title");
    explain("safety.wipe.explain");
    if (!wipe.open && ImGui::Button(tr("wipe.button"))) wipe.open = true;
    probe::item("safety.wipe");
    wipe.draw(model);
    ImGui::Dummy(ImVec2(0.f, ImGui::GetTextLineHeight()));  // the last button clear of the edge
}

}  // namespace svidok::app
