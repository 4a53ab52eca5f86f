// SPDX-License-Identifier: GPL-3.0-or-later
// The real svidok binary in a real X server (Xvfb), driven with real input events (xdotool),
// photographed with ImageMagick's `import`. Screenshots are saved under
// <build>/tests/screenshots/ for a person to look at.

#include <random>

#include "process.h"

using namespace svidok::test;

namespace {

struct Xvfb {
    std::string display;
    std::unique_ptr<Process> server;

    explicit Xvfb(const TempDir& tmp) {
        std::random_device rd;
        for (int attempt = 0; attempt < 20 && !server; ++attempt) {
            int n = 100 + static_cast<int>(rd() % 400);
            if (fs::exists("/tmp/.X" + std::to_string(n) + "-lock")) continue;
            display = ":" + std::to_string(n);
            server = std::make_unique<Process>(
                std::vector<std::string>{"/usr/bin/Xvfb", display, "-screen", "0", "1280x800x24",
                                         "-nolisten", "tcp"},
                std::vector<std::string>{}, tmp.path());
            for (int i = 0; i < 50 && !fs::exists("/tmp/.X11-unix/X" + display.substr(1)); ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        REQUIRE(server);
    }
};

ProcessResult x(const Xvfb& xvfb, const TempDir& tmp, std::vector<std::string> argv) {
    return run_process(argv, {"DISPLAY=" + xvfb.display}, tmp.path());
}

/// Waits until `pred` holds or the time is up.
template <class F>
bool eventually(F pred, int seconds) {
    for (int i = 0; i < seconds * 10; ++i) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return pred();
}

/// Saves a screenshot and returns how many distinct colours it has.
int screenshot(const Xvfb& xvfb, const TempDir& tmp, const std::string& name) {
    fs::create_directories("screenshots");
    auto path = (fs::current_path() / "screenshots" / (name + ".png")).string();
    auto shot = x(xvfb, tmp, {"/usr/bin/import", "-window", "root", path});
    REQUIRE_MESSAGE(shot.exit_code == 0, shot.err);
    auto colours = x(xvfb, tmp, {"/usr/bin/convert", path, "-format", "%k", "info:"});
    REQUIRE(colours.exit_code == 0);
    MESSAGE("screenshot " << path << ": " << colours.out << " colours");
    return std::stoi(colours.out);
}

// Keys go as fast as xdotool sends them (a few ms apart): the app's InputQueue must keep up.
void type(const Xvfb& xvfb, const TempDir& tmp, const std::string& text) {
    REQUIRE(x(xvfb, tmp, {"/usr/bin/xdotool", "type", "--delay", "5", text}).exit_code == 0);
}

void key(const Xvfb& xvfb, const TempDir& tmp, const std::string& k) {
    REQUIRE(x(xvfb, tmp, {"/usr/bin/xdotool", "key", k}).exit_code == 0);
}

}  // namespace

TEST_CASE("create a vault through the real window under Xvfb") {
    if (std::string(SVIDOK_APP_PATH).empty()) return;
    for (auto tool : {"/usr/bin/Xvfb", "/usr/bin/xdotool", "/usr/bin/import"}) {
        REQUIRE_MESSAGE(fs::exists(tool), tool << " missing: run scripts/setup");
    }
    TempDir tmp;
    Xvfb xvfb(tmp);
    auto vault = tmp / "vault";
    Process app({SVIDOK_APP_PATH, "--vault", vault.string()},
                {"DISPLAY=" + xvfb.display, "HOME=" + tmp.path().string(), "XDG_CONFIG_HOME=",
                 "XDG_DATA_HOME="},
                tmp.path());
    REQUIRE(eventually(
        [&] { return x(xvfb, tmp, {"/usr/bin/xdotool", "search", "--name", "^Svidok$"}).exit_code == 0; },
        20));
    auto win = x(xvfb, tmp, {"/usr/bin/xdotool", "search", "--name", "^Svidok$"}).out;
    win = win.substr(0, win.find('\n'));
    x(xvfb, tmp, {"/usr/bin/xdotool", "windowfocus", win});
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(screenshot(xvfb, tmp, "01-create-vault") > 8);

    const std::string pass = "correct horse battery staple";
    type(xvfb, tmp, pass);
    key(xvfb, tmp, "Tab");
    type(xvfb, tmp, pass);
    key(xvfb, tmp, "Return");
    if (!eventually([&] { return fs::exists(vault / "vault.db"); }, 30)) {
        screenshot(xvfb, tmp, "02-create-failed");
        FAIL("the vault was not created through the window (see screenshots/02-create-failed.png)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    CHECK(screenshot(xvfb, tmp, "02-recovery-code") > 8);

    for (const char* k : {"Down", "space", "Down", "space"}) {
        key(xvfb, tmp, k);
        std::this_thread::sleep_for(std::chrono::milliseconds(150));  // navigation needs frames
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(screenshot(xvfb, tmp, "03-records") > 8);

    key(xvfb, tmp, "ctrl+l");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(screenshot(xvfb, tmp, "04-unlock") > 8);

    // The window title and imgui.ini carry no passphrase, and no file outside the vault does.
    app.kill(SIGTERM);
    (void)app.wait();
    for (const auto& e : fs::recursive_directory_iterator(tmp.path())) {
        if (e.is_regular_file()) {
            CHECK_MESSAGE(read_file(e.path()).find(pass) == std::string::npos, e.path());
        }
    }
    CHECK(fs::exists(vault / "vault.keys"));
}
