// SPDX-License-Identifier: GPL-3.0-or-later
// Locking forgets what was typed, on every page, and is never ignored while work runs.
//
// The first test walks app::page_list() (the list the app itself navigates by), finds every
// text field each page draws by hovering its named widgets (ImGui shows the text cursor over a
// text field, and hovering changes nothing), types a unique marker into each, locks, and then
// looks for the markers in every live heap block of the process (this file replaces operator
// new to keep a list of them), in every live block of ImGui's allocator, in ImGui's context and
// in the Ui object itself. Freed blocks are zeroed here as the shipped binaries' zeroing heap
// (crypto/src/zeroing_heap.cpp) zeroes them.

#include <imgui_internal.h>
#include <sodium.h>
#include <sys/types.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <new>
#include <unordered_map>

#include "forms/answers.h"
#include "headless.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::test;
using app::Page;
using app::Screen;

// --- every live operator-new block, in an intrusive list ahead of each block ---------------

namespace {

struct alignas(std::max_align_t) BlockHeader {
    BlockHeader* prev;
    BlockHeader* next;
    std::size_t size;
};

std::mutex& heap_mutex() {
    static std::mutex m;
    return m;
}
BlockHeader g_heap_head{&g_heap_head, &g_heap_head, 0};

void* tracked_new(std::size_t size) {
    auto* h = static_cast<BlockHeader*>(std::malloc(sizeof(BlockHeader) + size));
    if (h == nullptr) return nullptr;
    h->size = size;
    std::lock_guard lock(heap_mutex());
    h->prev = &g_heap_head;
    h->next = g_heap_head.next;
    g_heap_head.next->prev = h;
    g_heap_head.next = h;
    return h + 1;
}

void tracked_delete(void* p) noexcept {
    if (p == nullptr) return;
    auto* h = static_cast<BlockHeader*>(p) - 1;
    std::lock_guard lock(heap_mutex());
    h->prev->next = h->next;
    h->next->prev = h->prev;
    sodium_memzero(h, sizeof(BlockHeader) + h->size);
    std::free(h);
}

}  // namespace

void* operator new(std::size_t size) {
    if (void* p = tracked_new(size)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
    if (void* p = tracked_new(size)) return p;
    throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return tracked_new(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return tracked_new(size);
}
void operator delete(void* p) noexcept {
    tracked_delete(p);
}
void operator delete[](void* p) noexcept {
    tracked_delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
    tracked_delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    tracked_delete(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    tracked_delete(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    tracked_delete(p);
}

namespace {

// --- markers: digits only, so fields that take numbers take them too -------------------------

constexpr std::size_t kMarkerLen = 14;
constexpr std::size_t kMinMarkerLen = 8;  // shorter text could match by chance
struct Marker {
    std::array<char, kMarkerLen + 1> text{};  // what the field holds (it may cut the marker)
    std::size_t len = 0;
    std::array<char, 64> widget{};  // the probe name, for the failure message
};
// Static storage: the markers themselves must not be on the heap the test scans.
std::array<Marker, 400> g_markers;
std::size_t g_marker_count = 0;

bool contains(const unsigned char* p, std::size_t n, const unsigned char* pat, std::size_t m) {
    return n >= m && ::memmem(p, n, pat, m) != nullptr;
}

/// Which marker `p` holds, as UTF-8 or as ImGui's UTF-16, or -1.
int find_marker(const unsigned char* p, std::size_t n) {
    for (std::size_t i = 0; i < g_marker_count; ++i) {
        const Marker& m = g_markers[i];
        std::array<unsigned char, 2 * kMarkerLen> wide{};
        for (std::size_t k = 0; k < m.len; ++k) wide[2 * k] = static_cast<unsigned char>(m.text[k]);
        if (contains(p, n, reinterpret_cast<const unsigned char*>(m.text.data()), m.len) ||
            contains(p, n, wide.data(), 2 * m.len)) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

// --- every live block of ImGui's allocator, which delegates to the app's -------------------

ImGuiMemAllocFunc g_app_alloc = nullptr;
ImGuiMemFreeFunc g_app_free = nullptr;
void* g_app_user = nullptr;
std::unordered_map<void*, std::size_t>& imgui_blocks() {
    static std::unordered_map<void*, std::size_t> blocks;
    return blocks;
}

void* imgui_alloc(std::size_t size, void*) {
    void* p = g_app_alloc(size, g_app_user);
    if (p != nullptr) imgui_blocks()[p] = size;
    return p;
}
void imgui_free(void* p, void*) {
    imgui_blocks().erase(p);
    g_app_free(p, g_app_user);
}

void track_imgui_allocations() {
    ImGui::GetAllocatorFunctions(&g_app_alloc, &g_app_free, &g_app_user);
    ImGui::SetAllocatorFunctions(imgui_alloc, imgui_free);
}

/// Where a marker is still held, or empty.
std::string find_survivors(const app::Ui& ui) {
    // Found while the heap list is locked, described after: describing allocates.
    std::vector<std::pair<const char*, int>> hits;
    hits.reserve(64);
    auto note = [&](const char* where, const void* p, std::size_t n) {
        int i = find_marker(static_cast<const unsigned char*>(p), n);
        if (i >= 0 && hits.size() < hits.capacity()) hits.emplace_back(where, i);
    };
    note("the Ui object", &ui, sizeof ui);
    note("ImGui's context", GImGui, sizeof(ImGuiContext));
    for (const auto& [p, n] : imgui_blocks()) note("a block of ImGui's", p, n);
    {
        std::lock_guard lock(heap_mutex());
        for (BlockHeader* h = g_heap_head.next; h != &g_heap_head; h = h->next)
            note("a live heap block", h + 1, h->size);
    }
    std::string found;
    for (const auto& [where, i] : hits) {
        found += std::string(where) + " holds the text typed into " +
                 g_markers[static_cast<std::size_t>(i)].widget.data() + "; ";
    }
    return found;
}

constexpr store::VaultPolicy kTestPolicy{.enforce_kdf_floor = false};
constexpr crypto::KdfParams kFastKdf{1, 64u << 10};

crypto::SecureBuffer secret(std::string_view s) {
    return crypto::SecureBuffer::copy_of(
        std::span(reinterpret_cast<const unsigned char*>(s.data()), s.size()));
}

void create_vault(Headless& h, app::Ui& ui, app::Model& model) {
    model.create_vault(secret("a passphrase for the lock tests"),
                       secret("a passphrase for the lock tests"));
    h.settle(ui, model);
    REQUIRE_MESSAGE(model.session() != nullptr,
                    (model.error() ? model.error()->message : std::string()));
    model.confirm_recovery_code_written();
    REQUIRE(model.screen() == Screen::main);
}

/// Opens a new draft of the first form, on the record page.
void new_record(app::Model& model) {
    const auto forms = model.forms();
    REQUIRE_FALSE(forms.empty());
    model.new_record(*forms.front());
    REQUIRE(model.record() != nullptr);
    REQUIRE(model.page() == Page::record);
}

/// Scrolls until `widget` is on screen, without failing when it cannot be.
bool bring_into_view(Headless& h, app::Ui& ui, app::Model& model, const std::string& widget) {
    ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < 200; ++i) {
        auto it = app::probe::rects().find(widget);
        if (it == app::probe::rects().end()) return false;
        if (it->second.min.y >= 0.f && it->second.max.y <= io.DisplaySize.y - 10.f) return true;
        io.MousePos = ImVec2(io.DisplaySize.x * 0.7f, io.DisplaySize.y * 0.8f);
        io.MouseWheel = it->second.min.y < 0.f ? 1.f : -1.f;
        h.frame(ui, model);
        io.MouseWheel = 0.f;
        h.frame(ui, model);
    }
    return false;
}

/// The text of ImGui's active field, as ASCII (markers are digits).
std::string active_text() {
    const ImGuiContext& g = *GImGui;
    std::string s;
    if (g.ActiveId == 0 || g.InputTextState.ID != g.ActiveId) return s;
    for (int i = 0; i < g.InputTextState.CurLenW; ++i)
        s.push_back(static_cast<char>(g.InputTextState.TextW[i]));
    return s;
}

/// Types a new marker into every text field the current page draws; returns how many.
int type_into_every_field(Headless& h, app::Ui& ui, app::Model& model, std::uint64_t& seed) {
    h.frames(ui, model, 2);
    std::vector<std::string> widgets;
    for (const auto& [name, rect] : app::probe::rects())
        if (!name.starts_with("nav.")) widgets.push_back(name);
    int typed = 0;
    ImGuiIO& io = ImGui::GetIO();
    for (const auto& w : widgets) {
        if (!bring_into_view(h, ui, model, w)) continue;
        io.MousePos = app::probe::rects().find(w)->second.center();
        h.frame(ui, model);
        if (ImGui::GetMouseCursor() != ImGuiMouseCursor_TextInput) continue;
        h.click(ui, model, w);
        char digits[kMarkerLen + 1];
        std::snprintf(digits, sizeof digits, "%014llu",
                      static_cast<unsigned long long>(seed % 100000000000000ull));
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        h.type(ui, model, digits);
        const std::string held = active_text();
        REQUIRE_MESSAGE(GImGui->ActiveId != 0, "clicking " << w << " activated no field");
        if (held.size() < kMinMarkerLen || held.find(digits) == std::string::npos) {
            // The field keeps only a few digits (a day, a year): a marker that short could be
            // found by chance, so it is typed but not looked for.
            h.press(ui, model, kEscape);
            continue;
        }
        REQUIRE(g_marker_count < g_markers.size());
        Marker& m = g_markers[g_marker_count++];
        std::memcpy(m.text.data(), digits, kMarkerLen);
        m.len = kMarkerLen;
        std::snprintf(m.widget.data(), m.widget.size(), "%s", w.c_str());
        ++typed;
        h.press(ui, model, kTab);  // leaves the field: what it holds is written back
    }
    return typed;
}

}  // namespace

TEST_CASE("no page keeps what was typed into it once the vault is locked") {
    TempDir tmp;
    Headless h;
    track_imgui_allocations();
    app::Model model(tmp / "vault", kTestPolicy, kFastKdf);
    app::Ui ui;
    create_vault(h, ui, model);
    // A record with every section shown (consent given), so the record page draws its fields.
    new_record(model);
    model.record()->answers = forms::example_for(*model.record()->form);
    model.answers_changed();

    std::uint64_t seed = 20261206;
    int pages = 0;
    for (const app::PageEntry& e : app::page_list()) {
        model.go(e.page);
        REQUIRE_MESSAGE(model.page() == e.page, (model.error() ? model.error()->message : ""));
        const int typed = type_into_every_field(h, ui, model, seed);
        MESSAGE("page " << std::string_view(e.nav_key != nullptr ? e.nav_key : "record") << ": "
                        << typed << " text fields");
        ++pages;
    }
    CHECK(pages == static_cast<int>(app::page_list().size()));
    REQUIRE(g_marker_count >= 5);  // the records search, dates, recipient fields, the editor

    h.press(ui, model, kL, /*ctrl=*/true);
    REQUIRE(model.session() == nullptr);
    h.frames(ui, model, 2);
    const std::string survivors = find_survivors(ui);
    CHECK_MESSAGE(survivors.empty(), survivors);
}

namespace {

enum class Trigger { ctrl_l, button, auto_lock };

/// Asks for a lock the way a person (or the idle timer) does.
void request_lock(Headless& h, app::Ui& ui, app::Model& model, Trigger how) {
    switch (how) {
        case Trigger::ctrl_l:
            h.press(ui, model, kL, /*ctrl=*/true);
            break;
        case Trigger::button:
            h.click(ui, model, "nav.lock");
            break;
        case Trigger::auto_lock:
            ui.settings.auto_lock_minutes = 1;
            ui.last_input = app::Clock::now() - std::chrono::minutes(2);
            h.frame(ui, model);
            break;
    }
}

}  // namespace

TEST_CASE(
    "a lock asked for during a 2 GiB intake hides everything at once, stops the intake "
    "and ends the session") {
    // Regression (issue 19): Ctrl+L, the lock button and the idle timer were refused while a
    // job ran, and the page with the record stayed on screen until the intake ended.
    for (Trigger how : {Trigger::ctrl_l, Trigger::button, Trigger::auto_lock}) {
        CAPTURE(static_cast<int>(how));
        TempDir tmp;
        Headless h;
        app::Model model(tmp / "vault", kTestPolicy, kFastKdf);
        app::Ui ui;
        create_vault(h, ui, model);
        new_record(model);
        h.frames(ui, model, 2);
        ui.pages.records.search.text = "a search word typed before";

        // A 2 GiB video from a camera card (sparse here: the intake reads and encrypts all of
        // it, which takes far longer than the few frames below).
        const fs::path video = tmp / "interview.mp4";
        { std::ofstream(video).put('\0'); }
        fs::resize_file(video, std::uint64_t{2} << 30);
        model.attach(video, false);
        REQUIRE(model.busy());
        h.frame(ui, model);
        REQUIRE(Headless::shown("nav.lock"));

        request_lock(h, ui, model, how);
        const bool still_running = model.busy();
        // Nothing of the session is drawn any more, whether or not the work has ended.
        CHECK(model.screen() != Screen::main);
        CHECK_FALSE(Headless::shown("nav.lock"));
        CHECK_FALSE(Headless::shown("record.attach"));
        CHECK(ui.pages.records.search.text.empty());
        if (still_running) CHECK(Headless::shown("vault.locking"));

        h.settle(ui, model);
        const bool stopped = !model.busy();
        CHECK(stopped);
        CHECK(model.session() == nullptr);
        CHECK(model.screen() == Screen::unlock);
        CHECK(model.notice() == "locked_unfinished");
        if (!stopped) {
            model.cancel();  // the code before the fix: let the intake end
            h.settle(ui, model);
        }
    }
}
