// SPDX-License-Identifier: GPL-3.0-or-later
// svidok: the desktop application. Hardening and self-tests first; then a GLFW window with
// OpenGL 3.3 and Dear ImGui. The loop waits for events when idle (near-zero CPU) and polls a
// few frames after input or while a background job runs.

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/build_info.h"
#include "crypto/runtime.h"
#include "input_queue.h"
#include "model.h"
#include "settings.h"
#include "store/vault_paths.h"
#include "ui.h"

namespace {

namespace fs = std::filesystem;

bool g_caps_lock = false;

// Key and character events go through the InputQueue (see input_queue.h); the other events
// go to ImGui's GLFW backend directly.
svidok::app::InputQueue g_input;

void key_callback(GLFWwindow*, int key, int scancode, int action, int mods) {
    g_caps_lock = (mods & GLFW_MOD_CAPS_LOCK) != 0;
    g_input.push({svidok::app::InputEvent::Kind::key, key, scancode, action, mods, 0});
}

void char_callback(GLFWwindow*, unsigned int codepoint) {
    g_input.push({svidok::app::InputEvent::Kind::character, 0, 0, 0, 0, codepoint});
}

// A click's press and release can arrive in one wait (xdotool, touchpad taps): the loop must
// draw a few frames after any button or scroll event so ImGui sees both.
bool g_pointer_event = false;

void mouse_button_callback(GLFWwindow* w, int button, int action, int mods) {
    g_pointer_event = true;
    ImGui_ImplGlfw_MouseButtonCallback(w, button, action, mods);
}

void scroll_callback(GLFWwindow* w, double x, double y) {
    g_pointer_event = true;
    ImGui_ImplGlfw_ScrollCallback(w, x, y);
}

void install_callbacks(GLFWwindow* w) {
    glfwSetKeyCallback(w, key_callback);
    glfwSetCharCallback(w, char_callback);
    glfwSetMouseButtonCallback(w, mouse_button_callback);
    glfwSetScrollCallback(w, scroll_callback);
    glfwSetWindowFocusCallback(w, ImGui_ImplGlfw_WindowFocusCallback);
    glfwSetCursorEnterCallback(w, ImGui_ImplGlfw_CursorEnterCallback);
    glfwSetMonitorCallback(ImGui_ImplGlfw_MonitorCallback);
}

int usage(const char* msg) {
    std::fprintf(stderr, "svidok: error: %s\nusage: svidok [--vault DIR]\n", msg);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (auto r = svidok::crypto::harden_process(); !r) {
        std::fprintf(stderr, "svidok: error: %s\n", r.error().message.c_str());
        return 2;
    }
    std::optional<fs::path> vault_arg;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--vault" && i + 1 < argc) {
            vault_arg = argv[++i];
        } else if (a.starts_with("--vault=")) {
            vault_arg = std::string(a.substr(8));
        } else if (a == "--version") {
            std::fputs(svidok::crypto::version_text("svidok").c_str(), stdout);
            return 0;
        } else if (a == "--help") {
            std::puts(
                "usage: svidok [--vault DIR] [--version]\nStarts the Svidok window on the vault in "
                "DIR, "
                "else $SVIDOK_VAULT, else $XDG_DATA_HOME/svidok.");
            return 0;
        } else {
            return usage(("unknown argument " + std::string(a)).c_str());
        }
    }
    auto vault_dir = svidok::store::resolve_vault_dir(vault_arg);
    if (!vault_dir) return usage(vault_dir.error().message.c_str());

    if (glfwInit() != GLFW_TRUE) {
        std::fprintf(stderr, "svidok: error: cannot open a window (no display?)\n");
        return 2;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    // The title is fixed: window titles reach task bars, window lists and screenshots.
    GLFWwindow* window = glfwCreateWindow(1100, 720, "Svidok", nullptr, nullptr);
    if (window == nullptr) {
        std::fprintf(stderr, "svidok: error: cannot create an OpenGL 3.3 window\n");
        glfwTerminate();
        return 2;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    glfwSetInputMode(window, GLFW_LOCK_KEY_MODS, GLFW_TRUE);

    svidok::app::install_zeroing_allocator();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    // A steady caret: a blinking one needs 30 frames a second for as long as a field has the
    // focus (measured: 29 % of a core on the unlock screen with software OpenGL).
    io.ConfigInputTextCursorBlink = false;
    // imgui.ini lives in the config directory and holds only fixed window ids and sizes.
    std::string ini;
    const fs::path config = svidok::app::config_dir();
    const fs::path settings_file = config.empty() ? fs::path{} : config / "settings.conf";
    if (const auto& dir = config; !dir.empty()) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        ini = (dir / "imgui.ini").string();
    }
    io.IniFilename = ini.empty() ? nullptr : ini.c_str();
    svidok::app::apply_style();
    svidok::app::load_fonts(18.f);
    ImGui_ImplGlfw_InitForOpenGL(window, false);
    install_callbacks(window);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    svidok::app::Model model(*vault_dir);
    svidok::app::Ui ui(svidok::app::Settings::load(settings_file));
    int busy_frames = 3;
    while (glfwWindowShouldClose(window) == 0) {
        if (busy_frames > 0 || model.busy()) {
            glfwWaitEventsTimeout(1.0 / 30.0);
        } else if (auto deadline = ui.next_deadline(model)) {
            // Sleep until input or the next timed duty (autosave, auto-lock, clipboard).
            auto wait =
                std::chrono::duration<double>(*deadline - std::chrono::steady_clock::now()).count();
            glfwWaitEventsTimeout(std::max(wait, 0.0) + 0.05);
            busy_frames = 1;
        } else {
            glfwWaitEvents();
        }
        // Any event (or a running job) earns a few more frames so ImGui can settle.
        busy_frames = model.busy() ? 3 : busy_frames - 1;
        if (io.MouseDelta.x != 0.f || io.MouseDelta.y != 0.f || io.InputQueueCharacters.Size > 0 ||
            g_pointer_event || ImGui::IsAnyMouseDown()) {
            busy_frames = 3;
        }
        g_pointer_event = false;
        g_input.deliver_frame([window](const svidok::app::InputEvent& e) {
            if (e.kind == svidok::app::InputEvent::Kind::key) {
                ImGui_ImplGlfw_KeyCallback(window, e.key, e.scancode, e.action, e.mods);
            } else {
                ImGui_ImplGlfw_CharCallback(window, e.codepoint);
            }
        });
        if (g_input.pending()) busy_frames = 3;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ui.caps_lock_on = g_caps_lock;
        const auto screen_before = model.screen();
        const auto page_before = model.page();
        ui.draw(model);
        // A new screen or page focuses its first field a frame or two later: draw until then,
        // or the next keystrokes go nowhere.
        if (model.screen() != screen_before || model.page() != page_before) busy_frames = 3;
        if (ui.settings_changed) {
            ui.settings.save(settings_file);
            ui.settings_changed = false;
        }
        ImGui::Render();
        int w = 0, h = 0;
        glfwGetFramebufferSize(window, &w, &h);
        glViewport(0, 0, w, h);
        glClearColor(0.94f, 0.94f, 0.94f, 1.f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
    }
    model.lock();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}
