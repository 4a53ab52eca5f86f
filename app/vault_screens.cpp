// SPDX-License-Identifier: GPL-3.0-or-later
// The screens before a session: create or unlock the vault (also while a lock waits for work to
// end), and the recovery code shown once after creation.
#include "vault_screens.h"

#include <imgui.h>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {

void VaultWindow::draw(Model& model) {
    if (model.screen() == Screen::locking) {
        draw_locking(model);
        return;
    }
    const bool creating = model.screen() == Screen::create;
    begin_fullscreen("###vault");
    ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x * 0.9f);
    ImGui::TextUnformatted(tr(creating ? "vault.create.title"
                              : decoy  ? "decoy.unlock.title"
                                       : "vault.unlock.title"));
    ImGui::Separator();
    if (creating) ImGui::TextWrapped("%s", tr("vault.create.intro"));
    ImGui::TextDisabled(tr("vault.location"), model.vault_dir().c_str());
    ImGui::PopTextWrapPos();
    ImGui::Spacing();

    if (model.busy()) {
        ImGui::TextUnformatted(tr("vault.working"));
        ImGui::ProgressBar(model.progress(), ImVec2(360.f, 0.f));
        ImGui::End();
        return;
    }
    ImGui::SetNextItemWidth(360.f);
    if (focus_pending) {
        ImGui::SetKeyboardFocusHere();
        focus_pending = false;
    }
    bool submit = passphrase.draw(tr("vault.passphrase"));
    probe::item("vault.passphrase");
    if (creating) {
        ImGui::SetNextItemWidth(360.f);
        submit = repeat.draw(tr("vault.passphrase_repeat")) || submit;
        probe::item("vault.repeat");
    }
    if (caps_lock_on) ImGui::TextUnformatted(tr("vault.caps_lock"));
    // No count of attempts left, not even that a limit is set: SECURITY.md, "Wipe after N
    // failed attempts".
    submit = ImGui::Button(tr(creating ? "vault.create.button" : "vault.unlock.button")) || submit;
    probe::item("vault.submit");
    if (decoy) {
        ImGui::SameLine();
        if (ImGui::Button(tr("decoy.leave"))) decoy = false;
        probe::item("decoy.leave");
    }
    show_status(model);
    if (submit) {
        if (creating) {
            model.create_vault(passphrase.take(), repeat.take());
        } else if (decoy) {
            model.unlock_decoy(passphrase.take());
            decoy = false;
        } else {
            model.unlock(passphrase.take());
        }
        focus_pending = true;
    }
    if (!creating) draw_wipe(model);
    ImGui::End();
}

void VaultWindow::draw_locking(Model& model) {
    begin_fullscreen("###vault");
    ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x * 0.9f);
    ImGui::TextUnformatted(tr("vault.locking.title"));
    probe::item("vault.locking");
    ImGui::Separator();
    ImGui::TextWrapped("%s", tr("vault.locking.wait"));
    ImGui::PopTextWrapPos();
    ImGui::ProgressBar(model.progress(), ImVec2(360.f, 0.f));
    draw_wipe(model);
    ImGui::End();
}

void VaultWindow::draw_wipe(Model& model) {
    // The panic wipe needs no passphrase: it is for the moment the laptop is about to be taken.
    ImGui::Spacing();
    ImGui::Separator();
    if (ImGui::Button(tr("wipe.button"))) wipe.open = true;
    probe::item("vault.wipe");
    wipe.draw(model);
}

void RecoveryCodeWindow::draw(Model& model) {
    const Session* s = model.session();
    if (s == nullptr || !s->recovery_code) return;
    begin_fullscreen("###recovery");
    ImGui::TextUnformatted(tr("recovery.title"));
    ImGui::Separator();
    ImGui::TextWrapped("%s", tr("recovery.intro"));
    ImGui::Spacing();
    ImGui::SetWindowFontScale(1.4f);
    auto code = s->recovery_code->view();
    ImGui::TextUnformatted(code.data(), code.data() + code.size());
    ImGui::SetWindowFontScale(1.f);
    ImGui::Spacing();
    ImGui::Checkbox(tr("recovery.written"), &written);
    probe::item("recovery.written");
    ImGui::BeginDisabled(!written);
    if (ImGui::Button(tr("recovery.continue"))) {
        written = false;
        model.confirm_recovery_code_written();
    }
    probe::item("recovery.continue");
    ImGui::EndDisabled();
    ImGui::End();
}
}  // namespace svidok::app
