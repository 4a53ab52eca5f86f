// SPDX-License-Identifier: GPL-3.0-or-later
// ImGui plumbing shared by the real window and the headless tests: the zeroing allocator,
// fonts with the glyph ranges Ukrainian and Russian text needs, and the style.

#include <imgui.h>
#include <sodium.h>

#include <array>
#include <cstdlib>
#include <filesystem>

#include "probe.h"
#include "ui.h"

namespace svidok::app {
namespace {

// Each block carries its size in a 16-byte prefix, so free() knows how much to wipe.
constexpr std::size_t kPrefix = 16;

void* zeroing_alloc(std::size_t size, void*) {
    auto* p = static_cast<unsigned char*>(std::malloc(size + kPrefix));
    if (p == nullptr) return nullptr;
    *reinterpret_cast<std::size_t*>(p) = size;
    return p + kPrefix;
}

void zeroing_free(void* ptr, void*) {
    if (ptr == nullptr) return;
    auto* p = static_cast<unsigned char*>(ptr) - kPrefix;
    sodium_memzero(p, *reinterpret_cast<std::size_t*>(p) + kPrefix);
    std::free(p);
}

}  // namespace

void install_zeroing_allocator() {
    ImGui::SetAllocatorFunctions(zeroing_alloc, zeroing_free);
}

bool load_fonts(float size_pixels) {
    // Latin, Latin-1, Latin Extended-A, Cyrillic with its supplement, General Punctuation (em
    // dash, quotes, ellipsis), currency signs (the hryvnia sign), and the numero sign.
    static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x0400, 0x052F, 0x2000,
                                      0x206F, 0x20A0, 0x20CF, 0x2116, 0x2116, 0};
    static constexpr std::array kCandidates{
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    };
    ImGuiIO& io = ImGui::GetIO();
    for (const char* path : kCandidates) {
        if (!std::filesystem::exists(path)) continue;
        if (io.Fonts->AddFontFromFileTTF(path, size_pixels, nullptr, kRanges) != nullptr)
            return true;
    }
    io.Fonts->AddFontDefault();
    return false;
}

void apply_style() {
    ImGui::StyleColorsLight();
    ImGuiStyle& s = ImGui::GetStyle();
    s.WindowRounding = 4.f;
    s.FrameRounding = 3.f;
    s.FramePadding = ImVec2(8.f, 5.f);
    s.ItemSpacing = ImVec2(10.f, 8.f);
    s.WindowPadding = ImVec2(16.f, 14.f);
}

}  // namespace svidok::app

namespace svidok::app::probe {

std::map<std::string, Rect, std::less<>>& rects() {
    static std::map<std::string, Rect, std::less<>> m;
    return m;
}

void item(std::string_view name) {
    rects().insert_or_assign(std::string(name),
                             Rect{ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
}

void clear() {
    rects().clear();
}

}  // namespace svidok::app::probe
