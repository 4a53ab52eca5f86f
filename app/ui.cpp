// SPDX-License-Identifier: GPL-3.0-or-later
// Ui::draw: the screens, navigation, shortcuts, auto-lock and the page of the moment.
#include "ui.h"

#include <imgui.h>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {
namespace {

// ImGui 1.86 indexes io.KeysDown by the backend's key codes; GLFW's letter keys are their
// ASCII capitals.
constexpr int kKeyL = 'L';
constexpr int kKeyS = 'S';
constexpr int kKeyF = 'F';

/// Any keyboard, mouse or text input this frame.
bool had_input(const ImGuiIO& io) {
    if (io.InputQueueCharacters.Size > 0 || io.MouseDelta.x != 0.f || io.MouseDelta.y != 0.f ||
        io.MouseWheel != 0.f) {
        return true;
    }
    for (bool down : io.MouseDown)
        if (down) return true;
    for (bool down : io.KeysDown)
        if (down) return true;
    return false;
}

}  // namespace

void Ui::navigation(Model& model) {
    ImGui::BeginChild("###nav", ImVec2(230.f * settings.text_scale, 0), true);
    ImGui::TextUnformatted(tr("app.title"));
    if (model.safety().decoy_session) {
        ImGui::PushTextWrapPos(0.f);
        ImGui::TextColored(ImVec4(0.7f, 0.35f, 0.f, 1.f), "%s", tr("decoy.banner"));
        ImGui::PopTextWrapPos();
        probe::item("decoy.banner");
    }
    ImGui::Separator();
    ImGui::BeginDisabled(model.busy());
    const Page current = page_entry(model.page()).nav_as;
    for (const PageEntry& e : page_list()) {
        if (e.nav_key == nullptr) continue;
        if (ImGui::Selectable(tr(e.nav_key), current == e.page)) model.go(e.page);
        probe::item(e.nav_key);
    }
    ImGui::EndDisabled();
    ImGui::Separator();
    if (ImGui::Button(tr("action.lock"))) model.lock();
    probe::item("nav.lock");
    if (const Session* s = model.session()) {
        ImGui::Spacing();
        ImGui::TextDisabled("%s", tr("identity.fingerprint_short"));
        ImGui::PushTextWrapPos(0.f);
        ImGui::TextDisabled("%s", s->fingerprint.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::EndChild();
}

void Ui::shortcuts(Model& model) {
    const ImGuiIO& io = ImGui::GetIO();
    if (!io.KeyCtrl) return;
    if (ImGui::IsKeyPressed(kKeyL, false)) model.lock();
    if (ImGui::IsKeyPressed(kKeyS, false)) model.save_draft();
    if (ImGui::IsKeyPressed(kKeyF, false) && model.screen() == Screen::main) {
        model.go(Page::records);
        pages.records.focus_search = true;
    }
}

void Ui::auto_lock(Model& model) {
    const ImGuiIO& io = ImGui::GetIO();
    if (had_input(io)) last_input = Clock::now();
    if (settings.auto_lock_minutes <= 0 || model.session() == nullptr) return;
    if (Clock::now() - last_input >= std::chrono::minutes(settings.auto_lock_minutes)) {
        model.lock();  // while work runs: the content is hidden at once, the session dropped after
        vault.focus_pending = true;
    }
}

std::optional<Clock::time_point> Ui::next_deadline(const Model& model) const {
    std::optional<Clock::time_point> next = clipboard.deadline();
    auto sooner = [&next](Clock::time_point t) {
        if (!next || t < *next) next = t;
    };
    if (settings.auto_lock_minutes > 0 && model.session() != nullptr) {
        sooner(last_input + std::chrono::minutes(settings.auto_lock_minutes));
    }
    if (const OpenRecord* r = model.record(); r != nullptr && r->dirty) {
        sooner(r->changed_at + Model::kAutosaveDelay);
    }
    return next;
}

void Ui::draw(Model& model) {
    probe::clear();
    set_language(settings.language);
    ImGui::GetIO().FontGlobalScale = settings.text_scale;
    clipboard.install();
    model.poll();
    shortcuts(model);
    auto_lock(model);
    clipboard.tick();
    vault.caps_lock_on = caps_lock_on;
    if (model.screen() == Screen::main) {
        pages_cleared_ = false;
    } else if (!pages_cleared_) {
        // Locked, or locking while work ends: what the pages hold (search words, typed names,
        // the editor's buffers) goes at once, and with it ImGui's copy of the active field.
        reset(pages);
        forget_typed_text();
        pages_cleared_ = true;
    }
    switch (model.screen()) {
        case Screen::create:
        case Screen::unlock:
        case Screen::locking:
            vault.draw(model);
            return;
        case Screen::show_recovery_code:
            recovery.draw(model);
            return;
        case Screen::main:
            break;
    }
    begin_fullscreen("###main");
    navigation(model);
    ImGui::SameLine();
    ImGui::BeginChild("###page", ImVec2(0, 0), false);
    PageEnv env{model, clipboard, settings, settings_changed};
    page_entry(model.page()).draw(pages, env);
    if (env.prepare_decoy) {
        model.lock();
        vault.decoy = model.session() == nullptr;
        vault.focus_pending = true;
    }
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace svidok::app
