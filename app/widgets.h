// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What every page and screen shares: text fields, the file picker, the clipboard, the status
// line and the progress bar.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <imgui.h>

#include "crypto/hash.h"
#include "crypto/secure_buffer.h"
#include "model.h"

namespace svidok::app {

using Clock = std::chrono::steady_clock;

/// A text field whose bytes live in secure memory (ImGui edits the buffer in place; its own
/// copies are freed through the zeroing allocator).
struct SecretField {
    static constexpr std::size_t kCapacity = 512;
    crypto::SecureBuffer buf{kCapacity};
    /// A password field; returns true when Enter was pressed in it.
    bool draw(const char* label);
    /// The typed text, copied into a right-sized secure buffer; the field and ImGui's copy of
    /// it (forget_typed_text) are wiped.
    [[nodiscard]] crypto::SecureBuffer take();
    void clear() noexcept;
};

/// A plain text field for non-secret input (names, paths, search words). Freed buffers are
/// zeroed by the process's zeroing heap (crypto/src/zeroing_heap.cpp); a short text lives
/// inside the object, which Pages zeroes on reset.
struct TextField {
    std::string text;
    /// ImGui::InputText growing `text`; returns true when edited.
    bool draw(const char* id, const char* hint = nullptr, int flags = 0);
    [[nodiscard]] std::string_view view() const noexcept { return text; }
};

/// Browses directories to choose a file or a folder, inside the page (no native dialog, nothing
/// remembered between runs).
struct FilePicker {
    std::filesystem::path dir;
    std::filesystem::path chosen;
    bool folders_only = false;
    /// Draws the listing; returns true when a file (or, for folders_only, a folder) was chosen.
    bool draw(const char* id, float height);
};

/// Clears the clipboard kClearAfter after the app last put text there, if it still holds that
/// text (only a hash of it is kept to tell). Every copy goes through it, ImGui's own Ctrl+C in
/// a text field included: all the app's text is testimony or keys.
struct Clipboard {
    static constexpr std::chrono::seconds kClearAfter{30};
    std::chrono::milliseconds clear_after{kClearAfter};
    /// Routes the current context's clipboard writes through this object. Idempotent.
    void install();
    void copy(const char* text) { ImGuiSetClipboard(text); }
    void tick();
    [[nodiscard]] std::optional<Clock::time_point> deadline() const { return clear_at_; }

private:
    static void ImGuiSetClipboard(const char* text);
    static void set_hook(void* user_data, const char* text);
    void (*original_)(void*, const char*) = nullptr;
    void* original_data_ = nullptr;
    std::optional<Clock::time_point> clear_at_;
    crypto::Sha256Digest copied_{};
};

/// ImGui's InputTextFlags_CallbackResize for a std::string passed as UserData.
int resize_string(ImGuiInputTextCallbackData* data);

/// Drops ImGui's copies of typed text: deactivates the active field and zeroes its edit state
/// (the text as UTF-8 and UTF-16, the undo buffer) and the scratch buffer formatted text passes
/// through. Called on lock and when a passphrase is taken. Inside a frame.
void forget_typed_text();

/// Shows the model's error (in plain words, with what to do) or its notice.
void show_status(const Model& model);

/// While work runs: its progress bar and, where cancelling is safe, a Cancel button named
/// `cancel_probe`. Returns whether work runs (the page then shows nothing else).
bool show_progress(Model& model, const char* cancel_probe);

/// A full-window panel with a fixed id ("###..."), so imgui.ini never records user data.
void begin_fullscreen(const char* id);

}  // namespace svidok::app
