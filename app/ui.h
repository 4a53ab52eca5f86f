// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The windows, each a small struct with one draw(); Ui lists them in one place. The same Ui
// runs in the real window (main.cpp) and in the headless tests (an ImGui context without a
// renderer, inputs driven through ImGuiIO).

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/hash.h"
#include "crypto/secure_buffer.h"
#include "form_editor.h"
#include "model.h"
#include "qr.h"
#include "settings.h"

namespace svidok::app {

using Clock = std::chrono::steady_clock;

/// A text field whose bytes live in secure memory (ImGui edits the buffer in place; its own
/// copies are freed through the zeroing allocator).
struct SecretField {
    static constexpr std::size_t kCapacity = 512;
    crypto::SecureBuffer buf{kCapacity};
    /// A password field; returns true when Enter was pressed in it.
    bool draw(const char* label);
    /// The typed text, copied into a right-sized secure buffer.
    [[nodiscard]] crypto::SecureBuffer take();
    void clear() noexcept;
};

/// A plain text field for non-secret input (names, paths, search words).
struct TextField {
    std::string text;
    /// ImGui::InputText growing `text`; returns true when edited.
    bool draw(const char* id, const char* hint = nullptr, int flags = 0);
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

/// The panic wipe's confirmation: the person types a word before the button works.
struct WipeConfirm {
    bool open = false;
    TextField word;
    void draw(Model& model);
};

struct VaultWindow {
    SecretField passphrase;
    SecretField repeat;
    bool focus_pending = true;
    bool caps_lock_on = false;
    bool decoy = false;  // the next unlock opens the decoy, to prepare its records
    WipeConfirm wipe;
    void draw(Model& model);
};

struct RecoveryCodeWindow {
    bool written = false;
    void draw(Model& model);
};

struct RecordsPage {
    TextField search;
    bool focus_search = false;
    int form_choice = 0;    // 0: any
    int status_choice = 0;  // 0: any
    int oblast_choice = 0;  // 0: any
    TextField date_from, date_to;
    std::vector<store::RecordId> selected;
    void draw(Model& model);
};

struct RecordPage {
    FormEditor editor;
    std::uint64_t editor_generation = 0;
    bool confirm_seal = false;
    bool confirm_withdraw = false;
    bool confirm_discard = false;
    bool show_attach = false;
    bool delete_original = false;
    FilePicker picker;
    void draw(Model& model, Clipboard& clipboard);
};

struct IdentityPage {
    TextField name;
    TextField identity;
    std::optional<QrMatrix> qr;
    std::string qr_text;
    void draw(Model& model);
};

struct ExchangePage {
    std::vector<bool> to;  // per recipient
    int selection = 0;     // 0: undelivered, 1: all, 2: chosen in the records list
    FilePicker out_dir{.dir = {}, .chosen = {}, .folders_only = true};
    FilePicker bundle;
    FilePicker receipt;
    TextField fingerprint;
    void draw(Model& model, const std::vector<store::RecordId>& chosen);
};

/// Outputs for the court and the case system: the verification report, court printouts of the
/// records chosen in the records list, and the plaintext case export (behind a confirmation).
struct LegalPage {
    FilePicker folder{.dir = {}, .chosen = {}, .folders_only = true};
    FilePicker bundle;
    int report_format = 0;        // 0: HTML, 1: JSON
    bool unknown_sender = false;  // check a bundle of a sender not pinned here anyway
    int case_format = 0;          // 0: CSV, 1: JSON
    bool bom = false;
    bool understood = false;  // the case export is unencrypted
    void draw(Model& model, const std::vector<store::RecordId>& chosen);
};

struct AuditPage {
    void draw(Model& model);
};

/// Seal recipients, the failed-attempt limit, the duress passphrase and the panic wipe.
struct SafetyPage {
    int wipe_after = -1;  // the slider; -1 until read from the model
    SecretField duress, duress_repeat;
    bool duress_destroys = false;
    WipeConfirm wipe;
    /// `prepare_decoy` is set when the person asks to prepare the decoy's records (the Ui then
    /// locks and shows the unlock screen for the decoy).
    void draw(Model& model, bool& prepare_decoy);
};

struct SettingsPage {
    void draw(Settings& settings, bool& changed);
};

/// All windows, drawn in a fixed order. Call between ImGui::NewFrame() and ImGui::Render().
struct Ui {
    explicit Ui(Settings initial = {}) : settings(initial) {}

    Settings settings;
    bool settings_changed = false;  // the platform layer saves them and rebuilds fonts
    VaultWindow vault;
    RecoveryCodeWindow recovery;
    RecordsPage records;
    RecordPage record;
    IdentityPage identity;
    ExchangePage exchange;
    LegalPage legal;
    AuditPage audit;
    SafetyPage safety;
    SettingsPage settings_page;
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

/// Shows the model's error (in plain words, with what to do) or its notice.
void show_status(const Model& model);

/// While work runs: its progress bar and, where cancelling is safe, a Cancel button named
/// `cancel_probe`. Returns whether work runs (the page then shows nothing else).
bool show_progress(Model& model, const char* cancel_probe);

/// A full-window panel with a fixed id ("###..."), so imgui.ini never records user data.
void begin_fullscreen(const char* id);

}  // namespace svidok::app
