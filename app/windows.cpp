// SPDX-License-Identifier: GPL-3.0-or-later
// Ui::draw and what every page shares: the vault and recovery-code screens, navigation,
// shortcuts, auto-lock, the clipboard, text fields and the file picker.
#include <imgui.h>

#include <algorithm>
#include <cstring>

#include "i18n.h"
#include "probe.h"
#include "ui.h"

namespace svidok::app {
namespace fs = std::filesystem;

namespace {

// ImGui 1.86 indexes io.KeysDown by the backend's key codes; GLFW's letter keys are their
// ASCII capitals.
constexpr int kKeyL = 'L';
constexpr int kKeyS = 'S';
constexpr int kKeyF = 'F';

int resize_callback(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(data->UserData);
        s->resize(static_cast<std::size_t>(data->BufTextLen));
        data->Buf = s->data();
    }
    return 0;
}

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

// --- shared pieces ---

void begin_fullscreen(const char* id) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
}

void show_status(const Model& model) {
    if (model.error()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.7f, 0.05f, 0.05f, 1.f));
        ImGui::TextWrapped(tr("error.prefix"), model.error()->message.c_str());
        if (!model.error()->hint.empty())
            ImGui::TextWrapped(tr("error.hint"), model.error()->hint.c_str());
        ImGui::PopStyleColor();
        probe::item("status.error");
        return;
    }
    if (model.notice().empty()) return;
    // Notices are "key" or "key:argument"; the key picks the translated sentence.
    const std::string& n = model.notice();
    auto colon = n.find(':');
    // Built with += : GCC 12 at -O3 warns falsely (-Werror=restrict) on "literal" + string.
    std::string key = "notice.";
    key += n.substr(0, colon);
    std::string arg = colon == std::string::npos ? "" : n.substr(colon + 1);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.05f, 0.45f, 0.1f, 1.f));
    ImGui::TextWrapped(tr(key), arg.c_str());
    ImGui::PopStyleColor();
    probe::item("status.notice");
}

bool show_progress(Model& model, const char* cancel_probe) {
    if (!model.busy()) return false;
    ImGui::ProgressBar(model.progress(), ImVec2(360.f, 0.f));
    if (model.cancellable()) {
        ImGui::SameLine();
        if (ImGui::Button(tr("action.cancel"))) model.cancel();
        probe::item(cancel_probe);
    }
    return true;
}

bool TextField::draw(const char* id, const char* hint, int flags) {
    if (text.capacity() < 64) text.reserve(64);
    bool edited = ImGui::InputTextWithHint(id, hint ? hint : "", text.data(), text.capacity() + 1,
                                           flags | ImGuiInputTextFlags_CallbackResize,
                                           resize_callback, &text);
    return edited;
}

bool SecretField::draw(const char* label) {
    return ImGui::InputText(label, reinterpret_cast<char*>(buf.data()), buf.size(),
                            ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
}

crypto::SecureBuffer SecretField::take() {
    auto len = std::strlen(reinterpret_cast<const char*>(buf.data()));
    auto out = crypto::SecureBuffer::copy_of(std::span<const unsigned char>(buf.data(), len));
    clear();
    return out;
}

void SecretField::clear() noexcept {
    crypto::wipe(buf.span());
}

bool FilePicker::draw(const char* id, float height) {
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) {
        const char* home = std::getenv("HOME");
        dir = home != nullptr ? fs::path(home) : fs::current_path(ec);
    }
    ImGui::PushID(id);
    bool picked = false;
    ImGui::TextDisabled("%s", dir.string().c_str());
    if (ImGui::Button(tr("picker.up"))) dir = dir.parent_path();
    probe::item(std::string(id) + ".up");
    if (folders_only) {
        ImGui::SameLine();
        if (ImGui::Button(tr("picker.this_folder"))) {
            chosen = dir;
            picked = true;
        }
        probe::item(std::string(id) + ".this_folder");
    }
    std::vector<fs::directory_entry> entries;
    for (const auto& e :
         fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec)) {
        auto name = e.path().filename().string();
        if (name.starts_with('.')) continue;
        if (e.is_directory(ec) || (!folders_only && e.is_regular_file(ec))) entries.push_back(e);
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        std::error_code e1;
        bool da = a.is_directory(e1), db = b.is_directory(e1);
        return da != db ? da : a.path().filename() < b.path().filename();
    });
    ImGui::BeginChild("entries", ImVec2(0, height), true);
    for (const auto& e : entries) {
        bool is_dir = e.is_directory(ec);
        std::string label = is_dir ? "[" : "";
        label += e.path().filename().string();
        if (is_dir) label += ']';
        label += "###entry";  // the id is the position alone
        // The entry's position is its id: names never reach ImGui's ids.
        ImGui::PushID(static_cast<int>(&e - entries.data()));
        if (ImGui::Selectable(label.c_str(), !is_dir && chosen == e.path())) {
            if (is_dir) {
                dir = e.path();
            } else {
                chosen = e.path();
                picked = true;
            }
        }
        probe::item(std::string(id) + ".entry." + e.path().filename().string());
        ImGui::PopID();
    }
    ImGui::EndChild();
    ImGui::PopID();
    return picked;
}

void Clipboard::ImGuiSetClipboard(const char* text) {
    ImGui::SetClipboardText(text);
}

void Clipboard::install() {
    ImGuiIO& io = ImGui::GetIO();
    if (io.SetClipboardTextFn == &Clipboard::set_hook) return;
    original_ = io.SetClipboardTextFn;
    original_data_ = io.ClipboardUserData;
    io.SetClipboardTextFn = &Clipboard::set_hook;
    io.ClipboardUserData = this;
}

void Clipboard::set_hook(void* user_data, const char* text) {
    auto* self = static_cast<Clipboard*>(user_data);
    if (self->original_ != nullptr) self->original_(self->original_data_, text);
    self->copied_ = crypto::sha256(crypto::as_bytes(text));
    self->clear_at_ = Clock::now() + self->clear_after;
}

void Clipboard::tick() {
    if (!clear_at_ || Clock::now() < *clear_at_) return;
    clear_at_.reset();
    const char* now = ImGui::GetClipboardText();
    if (now != nullptr && original_ != nullptr &&
        crypto::sha256(crypto::as_bytes(now)) == copied_) {
        original_(original_data_, "");
    }
}

// --- vault screens ---

void VaultWindow::draw(Model& model) {
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
    if (!creating) {
        // The panic wipe needs no passphrase: it is for the moment the laptop is about to be taken.
        ImGui::Spacing();
        ImGui::Separator();
        if (ImGui::Button(tr("wipe.button"))) wipe.open = true;
        probe::item("vault.wipe");
        wipe.draw(model);
    }
    ImGui::End();
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

// --- the main window ---

void Ui::navigation(Model& model) {
    struct Item {
        Page page;
        const char* key;
        const char* probe_name;
    };
    static constexpr Item kItems[] = {
        {Page::records, "nav.records", "nav.records"},
        {Page::identity, "nav.identity", "nav.identity"},
        {Page::exchange, "nav.exchange", "nav.exchange"},
        {Page::legal, "nav.legal", "nav.legal"},
        {Page::audit, "nav.audit", "nav.audit"},
        {Page::safety, "nav.safety", "nav.safety"},
        {Page::settings, "nav.settings", "nav.settings"},
    };
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
    for (const auto& item : kItems) {
        bool current = model.page() == item.page ||
                       (item.page == Page::records && model.page() == Page::record);
        if (ImGui::Selectable(tr(item.key), current)) model.go(item.page);
        probe::item(item.probe_name);
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
        records.focus_search = true;
    }
}

void Ui::auto_lock(Model& model) {
    const ImGuiIO& io = ImGui::GetIO();
    if (had_input(io)) last_input = Clock::now();
    if (settings.auto_lock_minutes <= 0 || model.session() == nullptr) return;
    if (Clock::now() - last_input >= std::chrono::minutes(settings.auto_lock_minutes)) {
        model.lock();  // refused while work runs; tried again next frame
        if (model.session() == nullptr) vault.focus_pending = true;
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
    if (model.session() == nullptr && !pages_cleared_) {
        // Locked: what the pages hold (search words, typed names, the editor's buffers) goes too.
        records = {};
        record = {};
        identity = {};
        exchange = {};
        legal = {};
        safety = {};
        pages_cleared_ = true;
    }
    if (model.session() != nullptr) pages_cleared_ = false;
    switch (model.screen()) {
        case Screen::create:
        case Screen::unlock:
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
    switch (model.page()) {
        case Page::records:
            records.draw(model);
            break;
        case Page::record:
            record.draw(model, clipboard);
            break;
        case Page::identity:
            identity.draw(model);
            break;
        case Page::exchange:
            exchange.draw(model, records.selected);
            break;
        case Page::legal:
            legal.draw(model, records.selected);
            break;
        case Page::audit:
            audit.draw(model);
            break;
        case Page::safety: {
            bool prepare_decoy = false;
            safety.draw(model, prepare_decoy);
            if (prepare_decoy) {
                model.lock();
                vault.decoy = model.session() == nullptr;
                vault.focus_pending = true;
            }
            break;
        }
        case Page::settings:
            settings_page.draw(settings, settings_changed);
            break;
    }
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace svidok::app
