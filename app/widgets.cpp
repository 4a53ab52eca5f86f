// SPDX-License-Identifier: GPL-3.0-or-later
// What every page shares: text fields, the file picker, the clipboard, status and progress.
#include "widgets.h"

#include <imgui.h>
#include <imgui_internal.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "i18n.h"
#include "probe.h"

namespace svidok::app {
namespace fs = std::filesystem;

int resize_string(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(data->UserData);
        s->resize(static_cast<std::size_t>(data->BufTextLen));
        data->Buf = s->data();
    }
    return 0;
}

void forget_typed_text() {
    ImGuiContext& g = *GImGui;
    ImGui::ClearActiveID();
    // The state's vectors go back through the zeroing allocator; the undo buffer and the rest
    // of the state are inside the context and are zeroed here (its constructor is a memset).
    g.InputTextState.ClearFreeMemory();
    sodium_memzero(&g.InputTextState, sizeof g.InputTextState);
    sodium_memzero(g.TempBuffer, sizeof g.TempBuffer);
    // Characters typed this frame (or left from an earlier one in the vector's spare room).
    ImVector<ImWchar>& queued = g.IO.InputQueueCharacters;
    if (queued.Data != nullptr)
        sodium_memzero(queued.Data, static_cast<std::size_t>(queued.Capacity) * sizeof(ImWchar));
    queued.resize(0);
}

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
    bool edited =
        ImGui::InputTextWithHint(id, hint ? hint : "", text.data(), text.capacity() + 1,
                                 flags | ImGuiInputTextFlags_CallbackResize, resize_string, &text);
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
    forget_typed_text();
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

}  // namespace svidok::app
