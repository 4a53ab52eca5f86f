// SPDX-License-Identifier: GPL-3.0-or-later
// The real svidok binary in a real X server (Xvfb), driven with real input events (xdotool),
// photographed with ImageMagick's `import`. One session walks every main screen: create a vault,
// the recovery code, lock; svidok-cli then puts Ukrainian and Russian testimonies into the vault
// the window created (one writer: only while the window is locked); unlock, the records list,
// the editor with Cyrillic typed in, identity with its QR code, export, audit, Ukrainian, lock.
//
// Where to click: a headless Ui (the same code, font file, style and 1100x720 size as main.cpp)
// runs on a scratch vault holding the same records, and every click is made in both. The
// headless frame's widget rectangles (app/probe.h) say where the real window draws the widget.
// After each step the test waits for the real window to change and hold still, with no
// progress bar showing. Screenshots go to <build>/tests/screenshots/ for a person to look at.

#include <array>
#include <random>

#include "crypto/age.h"
#include "forms/json.h"
#include "headless.h"
#include "i18n.h"
#include "probe.h"
#include "process.h"
#include "traces.h"

using namespace svidok;
using namespace svidok::test;
namespace json = svidok::forms::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr int kWidth = 1100;  // main.cpp's window, headless.h's DisplaySize
constexpr int kHeight = 720;
constexpr store::VaultPolicy kTestPolicy{.enforce_kdf_floor = false};
constexpr crypto::KdfParams kFastKdf{1, 64u << 10};

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
                std::this_thread::sleep_for(100ms);
            }
        }
        REQUIRE(server);
    }
    Xvfb(const Xvfb&) = delete;
    Xvfb& operator=(const Xvfb&) = delete;
    ~Xvfb() {
        // SIGTERM, not the SIGKILL Process would send: the server removes its lock and socket.
        server->kill(SIGTERM);
        (void)server->wait();
    }
};

/// One frame of the window as RGB bytes, row by row.
struct Image {
    std::string rgb;

    [[nodiscard]] std::array<int, 3> at(int x, int y) const {
        const auto i = (static_cast<std::size_t>(y) * kWidth + static_cast<std::size_t>(x)) * 3;
        return {static_cast<unsigned char>(rgb[i]), static_cast<unsigned char>(rgb[i + 1]),
                static_cast<unsigned char>(rgb[i + 2])};
    }
    /// How many pixels of `r` (clipped to the window) satisfy `pred(r, g, b)`.
    template <class Pred>
    [[nodiscard]] int count(const app::probe::Rect& r, Pred pred) const {
        int n = 0;
        for (int y = std::max(0, static_cast<int>(r.min.y));
             y < std::min(kHeight, static_cast<int>(r.max.y)); ++y) {
            for (int x = std::max(0, static_cast<int>(r.min.x));
                 x < std::min(kWidth, static_cast<int>(r.max.x)); ++x) {
                auto p = at(x, y);
                n += pred(p[0], p[1], p[2]) ? 1 : 0;
            }
        }
        return n;
    }
    [[nodiscard]] int differing(const Image& other) const {
        int n = 0;
        for (std::size_t i = 0; i + 2 < rgb.size() && i + 2 < other.rgb.size(); i += 3) {
            n += rgb.compare(i, 3, other.rgb, i, 3) != 0 ? 1 : 0;
        }
        return n;
    }
};

const app::probe::Rect kWhole{{0.f, 0.f},
                              {static_cast<float>(kWidth), static_cast<float>(kHeight)}};

/// The real window, through xdotool and ImageMagick.
class Window {
public:
    Window(const Xvfb& xvfb, const TempDir& tmp) : xvfb_(xvfb), tmp_(tmp) {}

    ProcessResult x(std::vector<std::string> argv) const {
        return run_process(argv, {"DISPLAY=" + xvfb_.display}, tmp_.path());
    }

    /// Waits for the window titled "Svidok" and checks its client size.
    void find(int seconds) {
        auto deadline = Clock::now() + std::chrono::seconds(seconds);
        while (Clock::now() < deadline) {
            auto r = x({"/usr/bin/xdotool", "search", "--name", "^Svidok$"});
            if (r.exit_code == 0 && !r.out.empty()) {
                id = r.out.substr(0, r.out.find('\n'));
                break;
            }
            std::this_thread::sleep_for(100ms);
        }
        REQUIRE_MESSAGE(!id.empty(), "no Svidok window appeared");
        auto geometry = x({"/usr/bin/xdotool", "getwindowgeometry", id});
        REQUIRE(geometry.exit_code == 0);
        // The headless Ui's coordinates are the client area's: the sizes must agree.
        REQUIRE_MESSAGE(geometry.out.find("Geometry: " + std::to_string(kWidth) + "x" +
                                          std::to_string(kHeight)) != std::string::npos,
                        geometry.out);
        x({"/usr/bin/xdotool", "windowfocus", id});
    }

    /// The window's pixels; `import` fails while the window is not viewable yet (retried).
    [[nodiscard]] Image grab() const {
        const auto file = tmp_ / "grab.rgb";
        ProcessResult r;
        for (int attempt = 0; attempt < 50; ++attempt) {
            r = x({"/usr/bin/import", "-window", id, "-depth", "8", "rgb:" + file.string()});
            if (r.exit_code == 0) break;
            std::this_thread::sleep_for(100ms);
        }
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        Image img{read_file(file)};
        REQUIRE(img.rgb.size() == static_cast<std::size_t>(kWidth) * kHeight * 3);
        return img;
    }

    /// A click at window coordinates `p` as a hand makes it: move there, press, release, move on
    /// by a pixel. The pauses let the app draw a frame for each (ImGui decides hovering and
    /// clicks per frame). The app draws after a button event only until input stops: a press and
    /// release sent back to back (`xdotool click`) leave the button pressed until the next event.
    void click(ImVec2 p) const {
        auto r = x({"/usr/bin/xdotool", "mousemove", "--window", id,
                    std::to_string(static_cast<int>(p.x)), std::to_string(static_cast<int>(p.y)),
                    "sleep", "0.1", "mousedown", "1", "sleep", "0.1", "mouseup", "1", "sleep",
                    "0.1", "mousemove_relative", "1", "0"});
        REQUIRE(r.exit_code == 0);
    }
    /// Moves the pointer off every widget (nothing hovered in screenshots).
    void park() const {
        REQUIRE(x({"/usr/bin/xdotool", "mousemove", "--window", id, std::to_string(kWidth - 6),
                   std::to_string(kHeight - 6)})
                    .exit_code == 0);
    }
    // Keys go as fast as xdotool sends them (a few ms apart): the app's InputQueue must keep up.
    void type(const std::string& text) const {
        REQUIRE(x({"/usr/bin/xdotool", "type", "--delay", "5", text}).exit_code == 0);
    }
    void key(const std::string& k) const {
        REQUIRE(x({"/usr/bin/xdotool", "key", k}).exit_code == 0);
    }

    /// Waits until the window differs from `before` in more than `min_changed` pixels (more
    /// than a text caret blinking), shows no progress bar, and two grabs in a row agree.
    Image settle(const Image* before, const std::string& what, int min_changed = 60,
                 int seconds = 30) {
        auto deadline = Clock::now() + std::chrono::seconds(seconds);
        Image last = grab();
        while (Clock::now() < deadline) {
            std::this_thread::sleep_for(60ms);
            Image now = grab();
            const bool changed = before == nullptr || now.differing(*before) > min_changed;
            if (changed && now.rgb == last.rgb && !busy(now)) return now;
            last = std::move(now);
        }
        screenshot("failed-" + what);
        FAIL("the window did not settle after: " << what << " (see screenshots/failed-" << what
                                                 << ".png)");
        return last;
    }

    /// Saves a screenshot of the window and returns how many distinct colours it has.
    int screenshot(const std::string& name) const {
        fs::create_directories("screenshots");
        auto path = (fs::current_path() / "screenshots" / (name + ".png")).string();
        auto shot = x({"/usr/bin/import", "-window", id, path});
        REQUIRE_MESSAGE(shot.exit_code == 0, shot.err);
        auto colours = x({"/usr/bin/convert", path, "-format", "%k", "info:"});
        REQUIRE(colours.exit_code == 0);
        MESSAGE("screenshot " << path << ": " << colours.out << " colours");
        return std::stoi(colours.out);
    }

    /// ImGui's progress bar fill (the style's PlotHistogram colour) is on screen.
    ImVec4 progress_colour{};
    [[nodiscard]] bool busy(const Image& img) const {
        const int r = static_cast<int>(progress_colour.x * 255.f + .5f);
        const int g = static_cast<int>(progress_colour.y * 255.f + .5f);
        const int b = static_cast<int>(progress_colour.z * 255.f + .5f);
        return img.count(kWhole, [&](int pr, int pg, int pb) {
            return std::abs(pr - r) <= 4 && std::abs(pg - g) <= 4 && std::abs(pb - b) <= 4;
        }) > 40;
    }

    std::string id;

private:
    const Xvfb& xvfb_;
    const TempDir& tmp_;
};

/// The headless Ui on a scratch vault: the same screens, so its widget rectangles are where the
/// real window draws them.
struct Mirror {
    Headless h;
    app::Model model;
    app::Ui ui;

    explicit Mirror(const fs::path& vault) : model(vault, kTestPolicy, kFastKdf) {
        app::apply_style();  // as main.cpp: spacing and padding move every widget
        REQUIRE(h.fonts_loaded);
    }
    [[nodiscard]] app::probe::Rect rect(std::string_view name) const {
        auto it = app::probe::rects().find(name);
        REQUIRE_MESSAGE(it != app::probe::rects().end(), "the headless Ui drew no widget named "
                                                             << name
                                                             << "; on screen: " << visible());
        return it->second;
    }
    /// The names of the widgets the last frame drew inside the window.
    [[nodiscard]] static std::string visible() {
        std::string out;
        for (const auto& [name, r] : app::probe::rects()) {
            if (r.min.y >= 0.f && r.max.y <= static_cast<float>(kHeight)) out += name + " ";
        }
        return out;
    }
    void frames(int n) { h.frames(ui, model, n); }
};

/// Clicks the widget `name` in the headless mirror (through ImGuiIO) and at the same place in
/// the real window (xdotool), then waits for the real window to change by more than
/// `min_changed` pixels and settle (negative: a click that may change nothing visible, such as
/// into a field that already has the focus: only settle).
Image click(Window& w, Mirror& m, std::string_view name, const Image& before,
            int min_changed = 60) {
    const auto r = m.rect(name);
    const bool on_screen = r.min.y >= 0.f && r.max.y <= static_cast<float>(kHeight);
    REQUIRE_MESSAGE(on_screen, name << " is off screen; on screen: " << Mirror::visible());
    m.h.click(m.ui, m.model, name);
    m.h.settle(m.ui, m.model);
    w.click(r.center());
    return w.settle(min_changed < 0 ? nullptr : &before, std::string(name),
                    std::max(min_changed, 0));
}

/// Parks the pointer and waits, so the screenshot shows no hover highlight.
Image still(Window& w, const std::string& what) {
    w.park();
    return w.settle(nullptr, what);
}

void set_path(json::Value& v, std::initializer_list<std::string_view> path, json::Value value) {
    REQUIRE(path.size() >= 1);
    std::vector<json::Value*> chain{&v};
    auto keys = std::vector<std::string_view>(path);
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
        json::Value* next = nullptr;
        for (auto& [k, m] : chain.back()->as_object()) {
            if (k == keys[i]) next = &m;
        }
        REQUIRE_MESSAGE(next != nullptr, "no member " << keys[i]);
        chain.push_back(next);
    }
    chain.back()->set(keys.back(), std::move(value));
}

json::Value choice(const char* id) {
    return json::Object{{"value", id}, {"other", nullptr}};
}

json::Value place(const char* oblast, const char* settlement) {
    return json::Object{{"oblast", choice(oblast)},
                        {"raion", nullptr},
                        {"settlement", json::Object{{"value", "other"}, {"other", settlement}}},
                        {"details", nullptr},
                        {"coordinates", nullptr}};
}

/// The testimonies put into both vaults, oldest first. `versions`: 0 stays a draft, 1 is
/// sealed, 2 is sealed and then amended with the answers `amended`.
struct Testimony {
    std::string form;
    json::Value answers;
    int versions = 0;
    json::Value amended{};
    std::string pseudonym;
};

std::vector<Testimony> testimonies(const json::Value& child_example,
                                   const json::Value& adult_example) {
    std::vector<Testimony> out;
    {  // The form's own example (a teacher from Lutuhyne), sealed, then amended.
        json::Value a = child_example;
        set_path(a, {"evidence", "attachments"}, json::Array{});
        json::Value b = a;
        const auto& narrative = a.find("incident")->find("narrative")->as_string();
        set_path(b, {"incident", "narrative"},
                 narrative +
                     " Доповнення 12 червня: ще двох учнів 10 класу викликали до "
                     "військкомату «на медогляд».");
        out.push_back({"child-recruitment", std::move(a), 2, std::move(b), "Калина"});
    }
    {  // A Russian-language interview from Melitopol, sealed.
        json::Value a = child_example;
        set_path(a, {"evidence", "attachments"}, json::Array{});
        set_path(a, {"interview", "interview_language"}, choice("russian"));
        set_path(a, {"interview", "interview_place"}, place("zaporizka", "Запоріжжя"));
        set_path(a, {"witness", "pseudonym"}, "Берёза");
        set_path(a, {"witness", "protection_notes"}, "Сестра свидетельницы остаётся в Мелитополе.");
        set_path(
            a, {"incident", "incident_date"},
            json::Object{{"precision", "day"}, {"value", "2022-09-14"}, {"approximate", false}});
        set_path(a, {"incident", "incident_place"}, place("zaporizka", "Мелитополь"));
        set_path(a, {"incident", "narrative"},
                 "14 сентября 2022 года в школу № 7 пришли двое в форме и «куратор» из "
                 "оккупационной администрации. Старшеклассников собрали в спортзале и объявили "
                 "о наборе в «Юнармию»; тех, кто отказался, переписали. Через неделю моего "
                 "ученика, ему 14 лет, без родителей повезли на «сборы» в Крым.");
        out.push_back({"child-recruitment", std::move(a), 1, {}, "Берёза"});
    }
    {  // The other form's example (a mother from Brianka), a draft.
        json::Value a = adult_example;
        set_path(a, {"evidence", "attachments"}, json::Array{});
        out.push_back({"forced-mobilization", std::move(a), 0, {}, "Ластівка"});
    }
    {  // The draft the window edits: Kherson oblast, dated to a month.
        json::Value a = child_example;
        set_path(a, {"evidence", "attachments"}, json::Array{});
        set_path(a, {"witness", "pseudonym"}, "Сокіл");
        set_path(a, {"witness", "protection_notes"}, nullptr);
        set_path(a, {"incident", "incident_date"},
                 json::Object{{"precision", "month"}, {"value", "2023-11"}, {"approximate", true}});
        set_path(a, {"incident", "incident_place"}, place("khersonska", "Нова Каховка"));
        set_path(a, {"incident", "narrative"},
                 "У листопаді 2023 року в Новій Каховці дітям з інтернату роздали анкети "
                 "«кадетського класу». Вихователька сказала, що відмова вплине на оцінки.");
        out.push_back({"child-recruitment", std::move(a), 0, {}, "Сокіл"});
    }
    return out;
}

std::string first_line(const std::string& s) {
    return s.substr(0, s.find('\n'));
}

/// interview.interview_place.details, or "" when unanswered.
std::string place_details(const json::Value& answers) {
    const json::Value* v = &answers;
    for (const char* key : {"interview", "interview_place", "details"}) {
        v = v->find(key);
        if (v == nullptr) return {};
    }
    return v->is_string() ? v->as_string() : std::string();
}

}  // namespace

TEST_CASE("every main screen of the real window under Xvfb, with records put in by the CLI") {
    if (std::string(SVIDOK_APP_PATH).empty()) return;
    for (auto tool : {"/usr/bin/Xvfb", "/usr/bin/xdotool", "/usr/bin/import", "/usr/bin/convert",
                      "/usr/bin/setxkbmap"}) {
        REQUIRE_MESSAGE(fs::exists(tool), tool << " missing: run scripts/setup");
    }
    const auto started = Clock::now();
    TempDir tmp;
    Xvfb xvfb(tmp);
    const auto vault = tmp / "vault";
    const auto home = tmp / "home";                // the real window's file pickers start here
    const auto mirror_home = tmp / "mirror-home";  // the same folders for the headless ones
    for (const auto& h : {home, mirror_home}) {
        fs::create_directories(h / "Documents");
        fs::create_directories(h / "USB-FLASH");
    }
    const std::string pass = "correct horse battery staple";
    const auto cli = [&](std::vector<std::string> args) {
        std::vector<std::string> argv{SVIDOK_CLI_PATH, "--vault", vault.string(),
                                      "--passphrase-file", (tmp / "pass").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run_process(argv, {}, tmp.path());
        REQUIRE_MESSAGE(r.exit_code == 0,
                        "svidok-cli " << args[0] << " " << args[1] << ": " << r.err);
        return r;
    };

    Mirror m(tmp / "scratch");
    Process app(
        {SVIDOK_APP_PATH, "--vault", vault.string()},
        {"DISPLAY=" + xvfb.display, "HOME=" + home.string(), "XDG_CONFIG_HOME=", "XDG_DATA_HOME="},
        tmp.path());
    Window w(xvfb, tmp);
    w.progress_colour = ImGui::GetStyle().Colors[ImGuiCol_PlotHistogram];
    w.find(20);
    Image img = w.settle(nullptr, "first frame");
    m.frames(2);
    CHECK(w.screenshot("01-create-vault") > 8);

    // --- create the vault: the passphrase twice, by keyboard ---
    m.h.type(m.ui, m.model, pass);
    m.h.press(m.ui, m.model, kTab);
    m.h.type(m.ui, m.model, pass);
    m.h.press(m.ui, m.model, kEnter);
    m.h.settle(m.ui, m.model);
    REQUIRE(m.model.screen() == app::Screen::show_recovery_code);
    w.type(pass);
    w.key("Tab");
    w.type(pass);
    w.key("Return");
    {
        auto deadline = Clock::now() + 60s;
        while (!fs::exists(vault / "vault.keys") && Clock::now() < deadline)
            std::this_thread::sleep_for(100ms);
        REQUIRE_MESSAGE(fs::exists(vault / "vault.keys"), "the window created no vault");
    }
    img = w.settle(&img, "create", 2000, 60);
    CHECK(w.screenshot("02-recovery-code") > 8);

    img = click(w, m, "recovery.written", img);
    img = click(w, m, "recovery.continue", img);
    REQUIRE(m.model.screen() == app::Screen::main);
    img = still(w, "records-empty");
    CHECK(w.screenshot("03-records-empty") > 8);

    // --- the same testimonies in the scratch vault (through the store) and, with the window
    // locked, in the real one (through svidok-cli); the legal team as a recipient in both ---
    const auto age_recipient = crypto::X25519Identity::generate().recipient().to_string();
    std::string draft_id;  // the record the window edits
    {
        auto parse = [&](const char* form) {
            auto r = run_process({SVIDOK_CLI_PATH, "form", "example", form}, {}, tmp.path());
            REQUIRE(r.exit_code == 0);
            auto v = json::parse(r.out);
            REQUIRE(v);
            return *v;
        };
        const auto list = testimonies(parse("child-recruitment"), parse("forced-mobilization"));
        auto* s = m.model.session();
        REQUIRE(s != nullptr);
        // Sensitive answers are sealed to the legal team (docs/FORMAT.md 9.6).
        REQUIRE(m.model.add_recipient("legal-team", age_recipient));
        REQUIRE(s->bundles->set_seal_recipients(std::vector<std::string>{"legal-team"}));
        for (const auto& t : list) {
            const auto* form = s->registry.find(t.form);
            REQUIRE(form != nullptr);
            auto id = s->records->create_draft(*form, t.answers);
            REQUIRE(id);
            if (t.versions >= 1) REQUIRE(s->records->seal(*id));
            if (t.versions >= 2) REQUIRE(s->records->amend(*id, t.amended));
        }

        img = click(w, m, "nav.lock", img, 2000);
        REQUIRE(m.model.screen() == app::Screen::unlock);
        write_file(tmp / "pass", pass);
        cli({"recipient", "add", "legal-team", "--age", age_recipient});
        cli({"recipient", "seal", "legal-team"});
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& t = list[i];
            const auto file = tmp / ("t" + std::to_string(i) + ".json");
            write_file(file, json::pretty(t.answers));
            auto id =
                first_line(cli({"record", "new", "--form", t.form, "--json", file.string()}).out);
            REQUIRE(!id.empty());
            if (t.versions >= 1) cli({"record", "seal", id});
            if (t.versions >= 2) {
                write_file(file, json::pretty(t.amended));
                cli({"record", "amend", id, "--json", file.string()});
            }
            if (i + 1 == list.size()) draft_id = id;
        }
    }

    // --- unlock in the window: the list holds what the CLI put in ---
    // Locked by a click, the app may stop drawing before its own keyboard focus request on the
    // passphrase field takes effect, and the first key typed would then only focus it: click
    // into the field first, as a person does when no caret shows.
    img = click(w, m, "vault.passphrase", img, -1);
    m.h.type(m.ui, m.model, pass);
    m.h.press(m.ui, m.model, kEnter);
    m.h.settle(m.ui, m.model);
    REQUIRE(m.model.screen() == app::Screen::main);
    REQUIRE(m.model.rows().size() == 4);
    w.type(pass);
    w.key("Return");
    img = w.settle(&img, "unlock", 2000, 60);
    img = still(w, "records");
    CHECK(w.screenshot("04-records") > 8);
    for (int i = 0; i < 4; ++i) {
        // Each row shows text (dark pixels) where the headless list drew it.
        auto row = m.rect("records.row." + std::to_string(i));
        row.max.x = static_cast<float>(kWidth);
        CHECK(img.count(row, [](int r, int g, int b) { return r + g + b < 250; }) > 100);
    }

    // --- the editor: open the draft, type Cyrillic into a field ---
    int draft_row = -1;
    for (std::size_t i = 0; i < m.model.rows().size(); ++i) {
        if (m.model.rows()[i].pseudonym == "Сокіл") draft_row = static_cast<int>(i);
    }
    REQUIRE(draft_row >= 0);
    img = click(w, m, "records.row." + std::to_string(draft_row), img, 2000);
    REQUIRE(m.model.page() == app::Page::record);
    REQUIRE(m.model.record() != nullptr);
    CHECK(m.model.record()->editable());
    // A place description typed in Ukrainian, with a Russian sign name: ґ, ї, є, ё, the
    // apostrophe and guillemets of General Punctuation and Latin-1.
    const std::string field = "editor.interview.interview_place.details";
    const std::string typed = "інтернат «Ёлочка», під’їзд 2 — ґанок, їдальня; є свідки";
    img = click(w, m, field, img, -1);  // focusing a field changes only a few pixels
    m.h.press(m.ui, m.model, kEnd);
    m.h.type(m.ui, m.model, typed);
    // With the Ukrainian layout loaded, as an interviewer types: every character is on a key
    // (ё, «, », —, ’ on AltGr). A character missing from the layout makes xdotool remap a spare
    // key for it, and a client that reads its events later than xdotool remaps decodes them
    // with the wrong mapping.
    REQUIRE(w.x({"/usr/bin/setxkbmap", "-layout", "ua"}).exit_code == 0);
    w.key("End");
    w.type(typed);
    img = w.settle(&img, "typing", 150);
    still(w, "editor");
    CHECK(w.screenshot("05-editor") > 8);
    const std::string expected = place_details(m.model.record()->answers);
    CHECK(expected.ends_with(typed));
    // The memory search below finds what it looks for: while the record is open, the app holds
    // the typed text.
    CHECK_FALSE(find_in_memory(app.pid(), needles({{"typed text", typed}})).empty());
    m.h.press(m.ui, m.model, kTab);  // leaves the field: saved
    w.key("Tab");
    img = w.settle(nullptr, "field left");
    REQUIRE(w.x({"/usr/bin/setxkbmap", "-layout", "us"}).exit_code == 0);

    // --- identity: the QR code ---
    img = click(w, m, "nav.identity", img, 2000);
    img = still(w, "identity");
    CHECK(w.screenshot("06-identity") > 8);
    {
        const auto qr = m.rect("identity.qr");
        const int area = static_cast<int>((qr.max.x - qr.min.x) * (qr.max.y - qr.min.y));
        CHECK(img.count(qr, [](int r, int g, int b) { return r + g + b == 0; }) > area / 5);
        CHECK(img.count(qr, [](int r, int g, int b) { return r + g + b == 765; }) > area / 5);
        if (fs::exists("/usr/bin/zbarimg")) {
            auto decoded = w.x({"/usr/bin/zbarimg", "--raw", "-q", "screenshots/06-identity.png"});
            CHECK(decoded.exit_code == 0);
            CHECK(decoded.out.starts_with(age_recipient.substr(0, 4)));
            CHECK(decoded.out.find(" RW") != std::string::npos);
        }
    }

    // --- export to the legal team, into the home folder ---
    m.ui.pages.exchange.out_dir.dir = mirror_home;
    m.ui.pages.exchange.bundle.dir = mirror_home;
    img = click(w, m, "nav.exchange", img, 2000);
    img = click(w, m, "export.folder.this_folder", img);
    img = click(w, m, "export.button", img);
    REQUIRE(m.model.exported().has_value());
    {
        int bundles = 0;
        for (const auto& e : fs::directory_iterator(home))
            bundles += e.path().extension() == ".age" ? 1 : 0;
        CHECK(bundles == 1);
    }
    img = still(w, "exchange");
    CHECK(w.screenshot("07-exchange") > 8);

    // --- audit ---
    img = click(w, m, "nav.audit", img, 2000);
    img = click(w, m, "audit.button", img);
    REQUIRE(m.model.audit_report().has_value());
    REQUIRE(m.model.audit_report()->ok());
    img = still(w, "audit");
    CHECK(w.screenshot("08-audit") > 8);
    // "The vault is intact" in green where the headless page drew it.
    CHECK(img.count(m.rect("audit.result"),
                    [](int r, int g, int b) { return g > r + 40 && g > b + 40; }) > 30);

    // --- settings: Ukrainian, then the list in Ukrainian ---
    img = click(w, m, "nav.settings", img, 2000);
    img = click(w, m, "settings.lang.uk", img, 2000);
    CHECK(m.ui.settings.language == app::Lang::uk);
    img = still(w, "settings");
    CHECK(w.screenshot("09-settings-uk") > 8);
    CHECK(read_file(home / ".config" / "svidok" / "settings.conf").find("language = uk") !=
          std::string::npos);
    img = click(w, m, "nav.records", img, 2000);
    img = still(w, "records-uk");
    CHECK(w.screenshot("10-records-uk") > 8);

    // --- the safety page, in Ukrainian: seal recipients, wipe after attempts, duress, wipe ---
    img = click(w, m, "nav.safety", img, 2000);
    REQUIRE(m.model.page() == app::Page::safety);
    img = still(w, "safety-uk");
    CHECK(w.screenshot("11-safety-uk") > 8);

    // --- lock: the unlock screen ---
    img = click(w, m, "nav.lock", img, 2000);
    img = still(w, "locked");
    CHECK(w.screenshot("12-unlock") > 8);

    // Locked, the running app's memory holds neither the passphrase nor any testimony it showed,
    // was typed or only listed: what the window displayed and edited was freed and wiped
    // (docs/SECURITY.md, "No traces").
    {
        const auto what =
            needles({{"passphrase", pass},
                     {"text typed in the editor", typed},
                     {"narrative of the edited draft", "дітям з інтернату роздали анкети"},
                     {"narrative of a listed record", "объявили о наборе в «Юнармию»"},
                     {"place of a listed record", "Мелитополь"}});
        const auto found = find_in_memory(app.pid(), what);
        std::string list;
        for (const auto& f : found) list += f + "\n";
        CHECK_MESSAGE(found.empty(), "after locking, the app's memory holds:\n" << list);
    }

    // What was typed in the window reached the vault, Cyrillic intact (the window is locked:
    // the CLI may open the vault).
    {
        auto shown = json::parse(cli({"record", "show", draft_id, "--json"}).out);
        REQUIRE(shown);
        CHECK(place_details(*shown->find("answers")) == expected);
    }
    fs::remove(tmp / "pass");

    // The window title and imgui.ini carry no passphrase, and no file outside the vault does.
    app.kill(SIGTERM);
    (void)app.wait();
    for (const auto& e : fs::recursive_directory_iterator(tmp.path())) {
        if (e.is_regular_file()) {
            CHECK_MESSAGE(read_file(e.path()).find(pass) == std::string::npos, e.path());
        }
    }
    // Nor does the app's home (imgui.ini, settings.conf, the exported bundle) or the vault hold
    // what was typed into the editor, in any encoding.
    for (const auto& dir : {home, vault}) {
        for (const auto& f : find_in_files(dir, needles({{"typed text", typed}})))
            CHECK_MESSAGE(false, f);
    }
    CHECK(fs::exists(vault / "vault.keys"));
    MESSAGE("window test took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count()
            << " ms");
}
