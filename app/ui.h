// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The windows, each a small struct with one draw(); Ui lists them in one place. The same Ui
// runs in the real window (main.cpp) and in the headless tests (an ImGui context without a
// renderer, inputs driven through ImGuiIO).

#include "crypto/secure_buffer.h"
#include "model.h"

namespace svidok::app {

/// A text field whose bytes live in secure memory (ImGui edits the buffer in place; its own
/// copies are freed through the zeroing allocator).
struct SecretField {
    static constexpr std::size_t kCapacity = 512;
    crypto::SecureBuffer buf{kCapacity};
    /// The typed text, copied into a right-sized secure buffer.
    [[nodiscard]] crypto::SecureBuffer take();
    void clear() noexcept;
};

struct VaultWindow {
    SecretField passphrase;
    SecretField repeat;
    bool focus_pending = true;
    bool caps_lock_on = false;
    void draw(Model& model);
};

struct RecoveryCodeWindow {
    bool written = false;
    void draw(Model& model);
};

struct RecordsWindow {
    void draw(Model& model);
};

/// All windows, drawn in a fixed order. Call between ImGui::NewFrame() and ImGui::Render().
struct Ui {
    VaultWindow vault;
    RecoveryCodeWindow recovery;
    RecordsWindow records;
    bool caps_lock_on = false;  // set by the platform layer each frame
    void draw(Model& model);
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
