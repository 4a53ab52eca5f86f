// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The whole interface: the screens outside a session, the navigation and the pages (pages.h),
// shortcuts and auto-lock. The same Ui runs in the real window (main.cpp) and in the headless
// tests (an ImGui context without a renderer, inputs driven through ImGuiIO).

#include <optional>

#include "model.h"
#include "pages.h"
#include "settings.h"
#include "vault_screens.h"
#include "widgets.h"

namespace svidok::app {

/// All windows, drawn in a fixed order. Call between ImGui::NewFrame() and ImGui::Render().
struct Ui {
    explicit Ui(Settings initial = {}) : settings(initial) {}

    Settings settings;
    bool settings_changed = false;  // the platform layer saves them and rebuilds fonts
    VaultWindow vault;
    RecoveryCodeWindow recovery;
    /// Reset as a whole (reset(Pages&)) as soon as the main screen is left: on lock, at once
    /// even while work still runs, and on the panic wipe.
    Pages pages;
    Clipboard clipboard;
    bool caps_lock_on = false;  // set by the platform layer each frame
    Clock::time_point last_input = Clock::now();

    void draw(Model& model);
    /// When the app must wake up next even without input (auto-lock, autosave, clipboard).
    [[nodiscard]] std::optional<Clock::time_point> next_deadline(const Model& model) const;

private:
    bool pages_cleared_ = true;
    void shortcuts(Model& model);
    void auto_lock(Model& model);
    void navigation(Model& model);
};

/// Routes ImGui's allocations through a function that zeroes memory before freeing it,
/// because text widgets keep copies of what was typed. Call before ImGui::CreateContext().
void install_zeroing_allocator();

/// Loads a Latin+Cyrillic font with General Punctuation and currency signs into the current
/// context's atlas. Returns false (and keeps ImGui's default font) when no font file exists.
bool load_fonts(float size_pixels);

/// Applies Svidok's colours and spacing to the current context.
void apply_style();

}  // namespace svidok::app
