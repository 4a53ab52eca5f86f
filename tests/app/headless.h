// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A headless ImGui context (no renderer, no window) that drives the real Ui with input through
// ImGuiIO, frame by frame. Each driver also takes any `draw` function instead of the Ui, for
// testing a single widget (the record editor).

#include <doctest/doctest.h>
#include <imgui.h>

#include <cctype>
#include <chrono>
#include <functional>
#include <string_view>
#include <thread>

#include "input_queue.h"
#include "probe.h"
#include "ui.h"

namespace svidok::test {

// ImGui 1.86 maps its named keys to backend key codes; these are GLFW's, as in the app.
enum Key : int {
    kTab = 258,
    kEnter = 257,
    kSpace = 32,
    kUp = 265,
    kDown = 264,
    kLeft = 263,
    kRight = 262,
    kEscape = 256,
    kBackspace = 259,
    kHome = 268,
    kEnd = 269,
    kCtrl = 341,
    kL = 'L'
};

class Headless {
public:
    Headless() {
        app::install_zeroing_allocator();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1100, 720);
        io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
        io.KeyMap[ImGuiKey_Tab] = kTab;
        io.KeyMap[ImGuiKey_Enter] = kEnter;
        io.KeyMap[ImGuiKey_Space] = kSpace;
        io.KeyMap[ImGuiKey_UpArrow] = kUp;
        io.KeyMap[ImGuiKey_DownArrow] = kDown;
        io.KeyMap[ImGuiKey_LeftArrow] = kLeft;
        io.KeyMap[ImGuiKey_RightArrow] = kRight;
        io.KeyMap[ImGuiKey_Escape] = kEscape;
        io.KeyMap[ImGuiKey_Backspace] = kBackspace;
        io.KeyMap[ImGuiKey_Home] = kHome;
        io.KeyMap[ImGuiKey_End] = kEnd;
        fonts_loaded = app::load_fonts(18.f);
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ~Headless() { ImGui::DestroyContext(); }
    Headless(const Headless&) = delete;
    Headless& operator=(const Headless&) = delete;

    using Draw = std::function<void()>;

    void frame(const Draw& draw) {
        ImGuiIO& io = ImGui::GetIO();
        io.DeltaTime = 1.f / 60.f;
        // The same pacing as the app, delivering as ImGui's GLFW backend does.
        queue.deliver_frame([&io](const app::InputEvent& e) {
            if (e.kind == app::InputEvent::Kind::character) {
                io.AddInputCharacter(e.codepoint);
            } else {
                io.KeysDown[e.key] = e.action != 0;
            }
        });
        ImGui::NewFrame();
        app::probe::clear();
        draw();
        ImGui::Render();
    }
    void frames(const Draw& draw, int n) {
        for (int i = 0; i < n; ++i) frame(draw);
    }
    void type(const Draw& draw, std::string_view utf8) {
        ImGui::GetIO().AddInputCharactersUTF8(std::string(utf8).c_str());
        frames(draw, 2);
    }
    void press(const Draw& draw, int key, bool ctrl = false) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyCtrl = ctrl;
        io.KeysDown[key] = true;
        frame(draw);
        io.KeysDown[key] = false;
        io.KeyCtrl = false;
        frames(draw, 2);
    }
    void frame(app::Ui& ui, app::Model& model) {
        frame([&] { ui.draw(model); });
    }
    void frames(app::Ui& ui, app::Model& model, int n) {
        frames([&] { ui.draw(model); }, n);
    }
    void type(app::Ui& ui, app::Model& model, std::string_view utf8) {
        type([&] { ui.draw(model); }, utf8);
    }
    void press(app::Ui& ui, app::Model& model, int key, bool ctrl = false) {
        press([&] { ui.draw(model); }, key, ctrl);
    }
    /// Renders frames until the model's background job finishes (bounded).
    void settle(app::Ui& ui, app::Model& model) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (model.busy() && std::chrono::steady_clock::now() < deadline) {
            frame(ui, model);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        frames(ui, model, 3);
    }

    /// Whether the last frame drew the widget named `name` (app/probe.h).
    [[nodiscard]] static bool shown(std::string_view name) {
        return app::probe::rects().contains(name);
    }
    /// Moves the mouse onto the widget named `name` and clicks it with real button events.
    void click(const Draw& draw, std::string_view name) {
        auto it = app::probe::rects().find(name);
        REQUIRE_MESSAGE(it != app::probe::rects().end(), "no widget named " << name);
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = it->second.center();
        frame(draw);
        io.MouseDown[0] = true;
        frame(draw);
        io.MouseDown[0] = false;
        frames(draw, 2);
    }
    void click(app::Ui& ui, app::Model& model, std::string_view name) {
        click([&] { ui.draw(model); }, name);
    }
    /// Scrolls the page with the mouse wheel, as a person would, until `widget` is on screen.
    void reach(app::Ui& ui, app::Model& model, std::string_view widget) {
        ImGuiIO& io = ImGui::GetIO();
        for (int i = 0; i < 400; ++i) {
            auto it = app::probe::rects().find(widget);
            if (it != app::probe::rects().end() && it->second.min.y >= 0.f &&
                it->second.max.y <= io.DisplaySize.y - 10.f) {
                return;
            }
            const bool above = it != app::probe::rects().end() && it->second.min.y < 0.f;
            io.MousePos = ImVec2(io.DisplaySize.x * 0.7f, io.DisplaySize.y * 0.8f);
            io.MouseWheel = above ? 1.f : -1.f;
            frame(ui, model);
            io.MouseWheel = 0.f;
            frame(ui, model);
        }
        FAIL("could not scroll to " << widget);
    }

    /// Queues a whole burst at once, as a password manager's auto-type or xdotool sends it:
    /// '\t' is Tab, '\n' is Enter, other bytes are ASCII characters; each key is pressed and
    /// released with no frame in between.
    void burst(std::string_view keys) {
        for (char c : keys) {
            if (c == '\t' || c == '\n') {
                int k = c == '\t' ? kTab : kEnter;
                queue.push({app::InputEvent::Kind::key, k, 0, 1, 0, 0});
                queue.push({app::InputEvent::Kind::key, k, 0, 0, 0, 0});
            } else {
                int k = std::toupper(static_cast<unsigned char>(c));
                queue.push({app::InputEvent::Kind::key, k, 0, 1, 0, 0});
                queue.push(
                    {app::InputEvent::Kind::character, 0, 0, 0, 0, static_cast<unsigned>(c)});
                queue.push({app::InputEvent::Kind::key, k, 0, 0, 0, 0});
            }
        }
    }
    /// Renders frames until the queued input is delivered (bounded).
    void drain(app::Ui& ui, app::Model& model) {
        for (int i = 0; i < 10000 && queue.pending(); ++i) frame(ui, model);
        frames(ui, model, 2);
    }

    app::InputQueue queue;
    bool fonts_loaded = false;
};

}  // namespace svidok::test
