// SPDX-License-Identifier: GPL-3.0-or-later
#include <imgui.h>

#include <cstring>

#include "i18n.h"
#include "probe.h"
#include "ui.h"

namespace svidok::app {
namespace {

// Window names are fixed keys ("###..."), so imgui.ini never records user data.
void begin_fullscreen(const char* id) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
}

void show_error(const Model& model) {
    if (!model.error()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.7f, 0.05f, 0.05f, 1.f));
    ImGui::TextWrapped(tr("error.prefix"), model.error()->message.c_str());
    if (!model.error()->hint.empty()) ImGui::TextWrapped(tr("error.hint"), model.error()->hint.c_str());
    ImGui::PopStyleColor();
}

// ImGui 1.86 indexes io.KeysDown by the backend's key codes; GLFW's letter keys are their
// ASCII capitals.
constexpr int kKeyL = 'L';

bool secret_input(const char* label, SecretField& f) {
    return ImGui::InputText(label, reinterpret_cast<char*>(f.buf.data()), f.buf.size(),
                            ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
}

}  // namespace

crypto::SecureBuffer SecretField::take() {
    auto len = std::strlen(reinterpret_cast<const char*>(buf.data()));
    auto out = crypto::SecureBuffer::copy_of(std::span<const unsigned char>(buf.data(), len));
    clear();
    return out;
}

void SecretField::clear() noexcept { crypto::wipe(buf.span()); }

void VaultWindow::draw(Model& model) {
    const bool creating = model.screen() == Screen::create;
    begin_fullscreen("###vault");
    ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x * 0.9f);
    ImGui::TextUnformatted(tr(creating ? "vault.create.title" : "vault.unlock.title"));
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
    bool submit = secret_input(tr("vault.passphrase"), passphrase);
    if (creating) {
        ImGui::SetNextItemWidth(360.f);
        submit = secret_input(tr("vault.passphrase_repeat"), repeat) || submit;
    }
    if (caps_lock_on) ImGui::TextUnformatted(tr("vault.caps_lock"));
    submit = ImGui::Button(tr(creating ? "vault.create.button" : "vault.unlock.button")) || submit;
    show_error(model);
    if (submit) {
        if (creating) {
            model.create_vault(passphrase.take(), repeat.take());
        } else {
            model.unlock(passphrase.take());
        }
        focus_pending = true;
    }
    ImGui::End();
}

void RecoveryCodeWindow::draw(Model& model) {
    const Unlocked* s = model.session();
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
    ImGui::BeginDisabled(!written);
    if (ImGui::Button(tr("recovery.continue"))) {
        written = false;
        model.confirm_recovery_code_written();
    }
    ImGui::EndDisabled();
    ImGui::End();
}

void RecordsWindow::draw(Model& model) {
    const Unlocked* s = model.session();
    if (s == nullptr) return;
    begin_fullscreen("###records");
    ImGui::TextUnformatted(tr("records.title"));
    ImGui::SameLine(ImGui::GetContentRegionAvail().x - 180.f);
    if (ImGui::Button(tr("action.lock"))) {
        model.lock();
        ImGui::End();
        return;
    }
    ImGui::TextDisabled(tr("identity.fingerprint"), s->fingerprint.c_str());
    ImGui::Separator();
    ImGui::TextDisabled("%s", tr("records.empty"));
    if (ImGui::BeginTable("records", 5,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                              ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable)) {
        ImGui::TableSetupColumn(tr("records.col.form"));
        ImGui::TableSetupColumn(tr("records.col.status"));
        ImGui::TableSetupColumn(tr("records.col.date"));
        ImGui::TableSetupColumn(tr("records.col.place"));
        ImGui::TableSetupColumn(tr("records.col.pseudonym"));
        ImGui::TableHeadersRow();
        ImGui::EndTable();
    }
    ImGui::End();
}

void Ui::draw(Model& model) {
    probe::clear();
    model.poll();
    const ImGuiIO& io = ImGui::GetIO();
    if (io.KeyCtrl && ImGui::IsKeyPressed(kKeyL, false)) model.lock();
    vault.caps_lock_on = caps_lock_on;
    switch (model.screen()) {
        case Screen::create:
        case Screen::unlock: vault.draw(model); break;
        case Screen::show_recovery_code: recovery.draw(model); break;
        case Screen::records: records.draw(model); break;
    }
}

}  // namespace svidok::app
