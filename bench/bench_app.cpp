// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app at scale. Two modes:
//
//   bench_app [records]          (default 100,000) headless: the real app::Ui and app::Model in
//       an ImGui context without a renderer (as tests/app/headless.h, with main.cpp's font, style
//       and 1100x720 size). A vault of N records is built first (in a child process, so its memory
//       is not counted), then unlocked through the Model (the list is loaded as the app loads it)
//       and driven with mouse-wheel scrolling over the list and typing into the search box.
//       Measured per frame: thread CPU time and wall time of ImGui::NewFrame -> Ui::draw ->
//       ImGui::Render; the search frames (the frame that runs the query); VmRSS/VmHWM.
//
//   bench_app window [launches] [idle-seconds]   (defaults 10, 60) the real Release `svidok`
//       (beside this binary) under Xvfb: time from launch to the window being mapped and to its
//       first frame drawn (a vault of 1000 records exists, so that is the unlock screen), against
//       `xmessage` launched the same way, interleaved; after each launch, CPU time over 5 s idle
//       on the unlock screen; then CPU time (utime + stime from /proc/PID/stat) over idle-seconds
//       with no input, just launched and unlocked on the records page. Needs Xvfb, xdotool, xwd,
//       xmessage and import; SVIDOK_BENCH_SHOTS=DIR keeps a screenshot of each idle state.
//
//   cmake --build build/release --target bench_app svidok && build/release/bench_app
//   build/release/bench_app window
//
// Records are created through store::Records with one relaxation only a benchmark makes (as
// bench_search does): while filling, the database runs with synchronous = OFF and an in-memory
// journal through the store's private header. Records::create_draft and seal each open their own
// BEGIN IMMEDIATE transaction, so they cannot be batched into one.

#include <imgui.h>
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "crypto/runtime.h"
#include "forms/json.h"
#include "forms/registry.h"
#include "model.h"
#include "probe.h"
#include "store/records.h"
#include "store/vault.h"
#include "ui.h"
#include "vault_layer.h"

namespace {

namespace fs = std::filesystem;
namespace json = svidok::forms::json;
namespace store = svidok::store;
namespace app = svidok::app;
using bench_support::check;
using bench_support::die;
using clk = std::chrono::steady_clock;

constexpr std::string_view kPassphrase = "benchmark passphrase 1";
constexpr int kWidth = 1100, kHeight = 720;  // main.cpp's window

// --- statistics ---------------------------------------------------------------------------

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::max<std::size_t>(i, 1) - 1];
}

double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// VmRSS and VmHWM of this process, in MiB.
std::pair<double, double> memory_mib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    double rss = 0, hwm = 0;
    while (std::getline(in, line)) {
        if (line.starts_with("VmRSS:")) rss = std::stod(line.substr(6)) / 1024.0;
        if (line.starts_with("VmHWM:")) hwm = std::stod(line.substr(6)) / 1024.0;
    }
    return {rss, hwm};
}

// --- testimonies --------------------------------------------------------------------------

// Sentences of witness statements in Ukrainian and Russian; a narrative strings 4-8 together.
const std::array<const char*, 12> kUk = {
    "Навесні до нас прийшли двоє в камуфляжі разом із дільничним.",
    "Синові вручили повістку і сказали, що з російським паспортом він мусить служити.",
    "Через тиждень його забрали до військкомату, медичного огляду не було.",
    "У школі оголосили набір до «Юнармії», тих, хто відмовився, переписали.",
    "Дітей з інтернату возили на «військово-патріотичні» збори до Ростовської області.",
    "Мобілізацію проводили просто на блокпосту, чоловіків знімали з автобуса.",
    "Останній раз ми говорили в червні, відтоді зв’язку немає.",
    "Директорка сказала, що відмова вплине на оцінки.",
    "Повістки роздавали біля шахти після зміни.",
    "Мобілізованих везли автобусами без вікон на навчання.",
    "Сусід бачив, як хлопців саджали у вантажівку біля ринку.",
    "Вчителька фізкультури вела облік тих, хто ходить на стрільби."};
const std::array<const char*, 12> kRu = {
    "Весной к нам пришли двое в камуфляже вместе с участковым.",
    "Сыну вручили повестку и сказали, что с российским паспортом он обязан служить.",
    "Через неделю его забрали в военкомат, медосмотра не было.",
    "В школе объявили набор в «Юнармию», отказавшихся переписали.",
    "Детей из интерната возили на «военно-патриотические» сборы в Ростовскую область.",
    "Мобилизацию проводили прямо на блокпосту, мужчин снимали с автобуса.",
    "Последний раз мы говорили в июне, с тех пор связи нет.",
    "Директор сказала, что отказ повлияет на оценки.",
    "Повестки раздавали у шахты после смены.",
    "Мобилизованных везли автобусами без окон на обучение.",
    "Соседка видела, как ребят сажали в грузовик у рынка.",
    "Учитель физкультуры вёл учёт тех, кто ходит на стрельбы."};
const std::array<const char*, 16> kPseudonyms = {
    "Калина",  "Ластівка", "Сокіл",    "Берёза", "Чайка", "Лелека", "Сова",   "Орел",
    "Ромашка", "Верба",    "Журавель", "Тополя", "Ясень", "Синиця", "Рябина", "Сизый"};
const std::array<const char*, 8> kOblasts = {"donetska",  "luhanska", "kharkivska", "khersonska",
                                             "zaporizka", "crimea",   "kyivska",    "sumska"};
const std::array<const char*, 8> kSettlements = {"Маріуполь",    "Брянка",     "Куп’янськ",
                                                 "Нова Каховка", "Мелітополь", "Джанкой",
                                                 "Бородянка",    "Суми"};

json::Value choice(const char* id) {
    return json::Object{{"value", id}, {"other", nullptr}};
}

void set_member(json::Value& answers, std::string_view group, std::string_view field,
                json::Value value) {
    json::Value g = *answers.find(group);
    g.set(field, std::move(value));
    answers.set(group, std::move(g));
}

json::Value incident_date(std::mt19937& rng) {
    std::uniform_int_distribution<int> year(2022, 2025), month(1, 12), day(1, 28), kind(0, 3);
    char d[11], m[8], y[5];
    std::snprintf(y, sizeof y, "%04d", year(rng));
    std::snprintf(m, sizeof m, "%s-%02d", y, month(rng));
    std::snprintf(d, sizeof d, "%s-%02d", m, day(rng));
    switch (kind(rng)) {
        case 0:
            return json::Object{{"precision", "day"}, {"value", d}, {"approximate", false}};
        case 1:
            return json::Object{{"precision", "month"}, {"value", m}, {"approximate", true}};
        case 2:
            return json::Object{{"precision", "year"}, {"value", y}, {"approximate", true}};
        default:
            return json::Object{
                {"precision", "range"}, {"from", m}, {"to", y}, {"approximate", true}};
    }
}

/// A form's example answers (no files) with the listed values and the narrative chosen at random.
json::Value testimony(const json::Value& example, std::mt19937& rng) {
    json::Value a = example;
    std::uniform_int_distribution<std::size_t> pick8(0, 7), pick12(0, 11), pick16(0, 15);
    std::uniform_int_distribution<int> sentences(4, 8), lang(0, 9);
    const auto& table = lang(rng) < 6 ? kUk : kRu;
    std::string narrative;
    for (int k = sentences(rng); k > 0; --k)
        narrative += std::string(narrative.empty() ? "" : " ") + table[pick12(rng)];
    const std::size_t o = pick8(rng);
    set_member(a, "evidence", "attachments", json::Array{});
    set_member(a, "witness", "pseudonym", kPseudonyms[pick16(rng)]);
    set_member(a, "incident", "narrative", narrative);
    set_member(a, "incident", "incident_date", incident_date(rng));
    set_member(
        a, "incident", "incident_place",
        json::Object{{"oblast", choice(kOblasts[o])},
                     {"raion", nullptr},
                     {"settlement", json::Object{{"value", "other"}, {"other", kSettlements[o]}}},
                     {"details", nullptr},
                     {"coordinates", nullptr}});
    return a;
}

/// A vault of `n` records, half of each built-in form: 85 % drafts, 12 % sealed, 3 % sealed and
/// amended (a seal costs more than a draft to create; the list draws every status alike). `kdf`:
/// nullopt calibrates as the app does (the shipped app refuses weaker vaults).
void build_vault(const fs::path& dir, std::size_t n, std::optional<svidok::crypto::KdfParams> kdf) {
    auto created =
        check(store::Vault::create(
                  dir, svidok::crypto::as_bytes(kPassphrase),
                  store::CreateOptions{kdf, store::VaultPolicy{.enforce_kdf_floor = false}}),
              "vault create");
    store::Vault vault = std::move(created.vault);
    auto registry = check(svidok::forms::load_builtin(), "load_builtin");
    auto records = check(store::Records::open(vault, registry), "Records::open");
    bench_support::seal_to_legal_team(records);
    const std::array forms{registry.find("child-recruitment"),
                           registry.find("forced-mobilization")};
    if (forms[0] == nullptr || forms[1] == nullptr) die("forms", "a built-in form is missing");
    std::mt19937 rng(20261122);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    check(store::detail::database(vault).exec(
              "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;"),
          "pragma");
    const double s = bench_support::time_s([&] {
        for (std::size_t i = 0; i < n; ++i) {
            const auto* form = forms[i % 2];
            auto id =
                check(records.create_draft(*form, testimony(form->example(), rng)), "create_draft");
            const double r = u(rng);
            if (r >= 0.85) check(records.seal(id), "seal");
            if (r >= 0.97) check(records.amend(id, testimony(form->example(), rng)), "amend");
            if ((i + 1) % 20000 == 0) std::fprintf(stderr, "  %zu records\n", i + 1);
        }
    });
    check(store::detail::database(vault).exec(
              "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"),
          "pragma");
    std::printf(
        "vault: %zu records built through store::Records in %.1f s (%.2f ms each), vault.db %.0f "
        "MiB\n",
        n, s, s * 1000.0 / static_cast<double>(n),
        static_cast<double>(fs::file_size(dir / "vault.db")) / (1 << 20));
}

/// Builds the vault in a child process, so this process's peak memory is the app's alone.
void build_vault_in_child(const fs::path& dir, std::size_t n,
                          std::optional<svidok::crypto::KdfParams> kdf) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0) die("fork", std::strerror(errno));
    if (pid == 0) {
        build_vault(dir, n, kdf);
        std::fflush(stdout);
        std::_Exit(0);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("build", "the child failed");
}

// --- headless frames ----------------------------------------------------------------------

// ImGui 1.86 indexes io.KeysDown by the backend's key codes; these are GLFW's, as in the app.
constexpr int kBackspace = 259;

struct Frames {
    app::Model& model;
    app::Ui& ui;
    /// One frame; returns {thread CPU ms, wall ms} of NewFrame -> Ui::draw -> Render.
    std::pair<double, double> frame() {
        ImGui::GetIO().DeltaTime = 1.f / 60.f;
        const double c0 = thread_cpu_s();
        const auto w0 = clk::now();
        ImGui::NewFrame();
        ui.draw(model);
        ImGui::Render();
        const double cpu = (thread_cpu_s() - c0) * 1000.0;
        const double wall = std::chrono::duration<double, std::milli>(clk::now() - w0).count();
        return {cpu, wall};
    }
};

struct Series {
    std::vector<double> cpu, wall;
    void add(std::pair<double, double> t) {
        cpu.push_back(t.first);
        wall.push_back(t.second);
    }
    void print(const char* what) const {
        // Padded to 52 characters, not bytes (the labels quote Cyrillic).
        std::string label = what;
        std::size_t chars = 0;
        for (unsigned char c : label) chars += (c & 0xC0) != 0x80 ? 1 : 0;
        if (chars < 52) label.append(52 - chars, ' ');
        std::printf("| %s | %6zu | %7.3f | %7.3f | %7.3f | %7.3f | %7.3f |\n", label.c_str(),
                    cpu.size(), percentile(cpu, 0.5), percentile(cpu, 0.99),
                    *std::max_element(cpu.begin(), cpu.end()), percentile(wall, 0.5),
                    percentile(wall, 0.99));
    }
};

int run_headless(std::size_t n) {
    const fs::path dir = bench_support::make_temp_dir("app");
    build_vault_in_child(dir / "vault", n, svidok::crypto::KdfParams{1, 64u << 10});
    const auto [rss0, hwm0] = memory_mib();

    app::install_zeroing_allocator();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(kWidth, kHeight);
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    // GLFW's key codes, as ImGui's GLFW backend maps them (tests/app/headless.h does the same).
    const std::array<std::pair<ImGuiKey_, int>, 11> keys{{{ImGuiKey_Tab, 258},
                                                          {ImGuiKey_Enter, 257},
                                                          {ImGuiKey_Space, 32},
                                                          {ImGuiKey_UpArrow, 265},
                                                          {ImGuiKey_DownArrow, 264},
                                                          {ImGuiKey_LeftArrow, 263},
                                                          {ImGuiKey_RightArrow, 262},
                                                          {ImGuiKey_Escape, 256},
                                                          {ImGuiKey_Backspace, kBackspace},
                                                          {ImGuiKey_Home, 268},
                                                          {ImGuiKey_End, 269}}};
    for (auto [k, code] : keys) io.KeyMap[k] = code;
    app::apply_style();
    if (!app::load_fonts(18.f))
        die("fonts", "no DejaVu or Noto font: the app would fall back to ImGui's own");
    unsigned char* pixels = nullptr;
    int tw = 0, th = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);

    {
        app::Model model(dir / "vault", store::VaultPolicy{.enforce_kdf_floor = false});
        app::Ui ui;
        ui.settings.auto_lock_minutes = 0;
        Frames f{model, ui};
        f.frame();
        const auto [rss1, hwm1] = memory_mib();
        // Unlock as the app does: the worker opens the vault, the UI thread loads the list.
        model.unlock(svidok::crypto::SecureBuffer::copy_of(svidok::crypto::as_bytes(kPassphrase)));
        const auto t0 = clk::now();
        double unlock_frame_ms = 0;
        while (model.screen() != app::Screen::main) {
            auto t = f.frame();
            if (model.screen() == app::Screen::main) unlock_frame_ms = t.second;
            if (model.error()) die("unlock", model.error()->message);
            if (clk::now() - t0 > std::chrono::seconds(120)) die("unlock", "timed out");
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        if (model.rows().size() != n) die("rows", std::to_string(model.rows().size()) + " listed");
        const double query_ms = static_cast<double>(model.last_query_time().count()) / 1000.0;
        for (int i = 0; i < 5; ++i) f.frame();
        const auto [rss2, hwm2] = memory_mib();

        std::printf(
            "\nunlock: the frame that received the open vault and loaded all %zu rows: %.1f ms "
            "wall "
            "(RecordIndex::query of the full list: %.1f ms)\n\n",
            model.rows().size(), unlock_frame_ms, query_ms);
        std::printf("| %-52s | %6s | %7s | %7s | %7s | %7s | %7s |\n",
                    "frame: NewFrame -> Ui::draw -> Render (ms)", "frames", "CPU med", "CPU p99",
                    "CPU max", "wall med", "wall p99");
        std::printf("| %s | -----: | ------: | ------: | ------: | ------: | ------: |\n",
                    std::string(52, '-').c_str());

        Series idle;
        for (int i = 0; i < 300; ++i) idle.add(f.frame());
        idle.print("records page, no input (top of the list)");

        // The mouse over the table: the wheel scrolls it (one notch = 5 lines of text).
        io.MousePos = ImVec2(700.f, 450.f);
        Series wheel;
        for (int i = 0; i < 2000; ++i) {
            io.MouseWheel = -1.f;
            wheel.add(f.frame());
        }
        io.MouseWheel = 0.f;
        wheel.print("scrolling, one wheel notch per frame (2000 frames)");
        // A notch scrolls 5 lines of text (90 px); 120 notches a frame cross the whole list
        // (about 32 px a row) in 300 frames, as dragging the scrollbar does.
        Series fling;
        for (int i = 0; i < 600; ++i) {
            io.MouseWheel = i < 300 ? -120.f : 120.f;
            fling.add(f.frame());
        }
        io.MouseWheel = 0.f;
        fling.print("scrolling, 120 notches per frame, whole list and back");
        const auto [rss3, hwm3] = memory_mib();

        // Search: click into the box, type a prefix one character per frame, then erase it.
        auto it = app::probe::rects().find("records.search");
        if (it == app::probe::rects().end()) die("search", "no search box drawn");
        io.MousePos = it->second.center();
        f.frame();
        io.MouseDown[0] = true;
        f.frame();
        io.MouseDown[0] = false;
        f.frame();
        struct Prefix {
            const char* text;
            Series typed, erased;
            std::vector<double> query_ms;
            std::vector<std::size_t> rows;
        };
        std::vector<Prefix> prefixes{{"мобіл", {}, {}, {}, {}}, {"повестк", {}, {}, {}, {}}};
        Series full_list;
        for (int rep = 0; rep < 10; ++rep) {
            for (auto& p : prefixes) {
                // Character by character, as typed (UTF-8 sequences whole).
                std::string_view s = p.text;
                std::size_t chars = 0;
                for (std::size_t i = 0; i < s.size();) {
                    const auto c = static_cast<unsigned char>(s[i]);
                    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
                    io.AddInputCharactersUTF8(std::string(s.substr(i, len)).c_str());
                    p.typed.add(f.frame());
                    p.query_ms.push_back(static_cast<double>(model.last_query_time().count()) /
                                         1000.0);
                    if (rep == 0) p.rows.push_back(model.rows().size());
                    i += len;
                    ++chars;
                }
                for (std::size_t k = 0; k < chars; ++k) {
                    io.KeysDown[kBackspace] = true;
                    auto t = f.frame();
                    io.KeysDown[kBackspace] = false;
                    if (k + 1 == chars) {
                        full_list.add(t);  // the empty box: the whole list again
                    } else {
                        p.erased.add(t);
                    }
                    f.frame();
                }
                if (model.rows().size() != n)
                    die("search", "the cleared box does not list every record");
            }
        }
        for (auto& p : prefixes) {
            std::string what = std::string("search frame, typing \"") + p.text + "\" (each prefix)";
            p.typed.print(what.c_str());
            what = std::string("search frame, erasing \"") + p.text + "\" (non-empty)";
            p.erased.print(what.c_str());
        }
        full_list.print("search frame, box emptied: the full list again");
        std::printf("\n");
        for (auto& p : prefixes) {
            std::printf("rows per prefix of \"%s\":", p.text);
            for (auto r : p.rows) std::printf(" %zu", r);
            std::printf("; RecordIndex::query inside those frames: median %.2f ms, p99 %.2f ms\n",
                        percentile(p.query_ms, 0.5), percentile(p.query_ms, 0.99));
        }
        const auto* dd = ImGui::GetDrawData();
        std::printf("draw data of the last frame: %d vertices, %d indices, %d lists\n",
                    dd->TotalVtxCount, dd->TotalIdxCount, dd->CmdListsCount);
        const auto [rss4, hwm4] = memory_mib();
        std::printf("\n| memory (MiB) | VmRSS | VmHWM |\n| --- | ---: | ---: |\n");
        std::printf("| process start (vault built in a child process) | %.1f | %.1f |\n", rss0,
                    hwm0);
        std::printf("| ImGui context, fonts, Model and Ui, locked | %.1f | %.1f |\n", rss1, hwm1);
        std::printf("| unlocked, %zu rows listed | %.1f | %.1f |\n", n, rss2, hwm2);
        std::printf("| after scrolling the whole list | %.1f | %.1f |\n", rss3, hwm3);
        std::printf("| after 200 searches | %.1f | %.1f |\n", rss4, hwm4);
        model.lock();
    }
    ImGui::DestroyContext();
    fs::remove_all(dir);
    return 0;
}

// --- the real window ----------------------------------------------------------------------

struct Spawned {
    pid_t pid = 0;
    std::string out_file;
};

/// Starts argv with `env` ("NAME=value", replacing inherited variables of the same names);
/// stdout to `out` (or /dev/null), stderr to /dev/null.
Spawned spawn(std::vector<std::string> args, const std::vector<std::string>& env,
              const std::string& out = "/dev/null", const std::string& err = "/dev/null") {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_store;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view inherited(*e);
        const auto name = inherited.substr(0, inherited.find('=') + 1);
        bool replaced = false;
        for (const auto& o : env) replaced = replaced || std::string_view(o).starts_with(name);
        if (!replaced) env_store.emplace_back(inherited);
    }
    for (const auto& e : env) env_store.push_back(e);
    std::vector<char*> envp;
    for (auto& e : env_store) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) die(args[0].c_str(), std::strerror(rc));
    return {pid, out};
}

int wait_exit(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Runs a tool to completion and returns its exit code and stdout.
std::pair<int, std::string> tool(std::vector<std::string> args, const std::string& display,
                                 const fs::path& scratch) {
    const std::string out = (scratch / "tool.out").string();
    auto s = spawn(std::move(args), {"DISPLAY=" + display}, out);
    const int rc = wait_exit(s.pid);
    std::ifstream in(out, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return {rc, ss.str()};
}

/// The distinct colours of a window, from `xwd` (ZPixmap, 32 bits per pixel); -1 on failure.
int window_colours(const std::string& win, const std::string& display, const fs::path& scratch) {
    auto [rc, dump] = tool({"xwd", "-silent", "-id", win}, display, scratch);
    if (rc != 0 || dump.size() < 100) return -1;
    auto be32 = [&](std::size_t field) {
        const auto* p = reinterpret_cast<const unsigned char*>(dump.data()) + field * 4;
        return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
               (std::uint32_t{p[2]} << 8) | p[3];
    };
    const std::uint32_t header = be32(0), bpp = be32(11), bpl = be32(12), width = be32(4),
                        height = be32(5), ncolors = be32(19), byte_order = be32(7);
    if (bpp != 32) return -1;
    const std::size_t offset = header + ncolors * 12u;
    if (dump.size() < offset + static_cast<std::size_t>(bpl) * height) return -1;
    std::set<std::uint32_t> colours;
    for (std::uint32_t y = 0; y < height; ++y) {
        for (std::uint32_t x = 0; x < width; ++x) {
            const auto* p =
                reinterpret_cast<const unsigned char*>(dump.data()) + offset + y * bpl + x * 4;
            std::uint32_t v = byte_order == 0
                                  ? (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0]
                                  : (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
            colours.insert(v);
            if (colours.size() > 64) return static_cast<int>(colours.size());
        }
    }
    return static_cast<int>(colours.size());
}

double process_cpu_s(pid_t pid);

struct Launch {
    double mapped_ms = 0, drawn_ms = 0;
    double idle_cpu_s = -1;  // over idle_s after the first drawing, when asked
};

/// Launches `argv`, then polls: its window found by `xdotool search --onlyvisible <search>`
/// (mapped), then its first drawing (at least two colours: until the client draws, the window
/// shows its background alone). With idle_s > 0, then waits 2 s and measures its CPU time over
/// idle_s seconds without input. The process is ended after.
Launch launch(std::vector<std::string> argv, const std::vector<std::string>& env,
              const std::vector<std::string>& search, const std::string& display,
              const fs::path& scratch, int idle_s = 0) {
    const std::string program = argv[0];
    const auto t0 = clk::now();
    auto p = spawn(std::move(argv), env);
    std::string win;
    double mapped = 0, drawn = 0;
    while (clk::now() - t0 < std::chrono::seconds(30)) {
        std::vector<std::string> cmd{"xdotool", "search", "--onlyvisible"};
        cmd.insert(cmd.end(), search.begin(), search.end());
        auto [rc, out] = tool(cmd, display, scratch);
        if (rc == 0 && !out.empty()) {
            win = out.substr(0, out.find('\n'));
            mapped = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
            break;
        }
    }
    if (win.empty()) die("launch", "no window for " + program);
    while (clk::now() - t0 < std::chrono::seconds(30)) {
        if (window_colours(win, display, scratch) >= 2) {
            drawn = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
            break;
        }
    }
    if (drawn == 0) die("launch", "the window was never drawn");
    Launch out{mapped, drawn, -1};
    if (idle_s > 0) {
        std::this_thread::sleep_for(std::chrono::seconds(2));
        const double before = process_cpu_s(p.pid);
        std::this_thread::sleep_for(std::chrono::seconds(idle_s));
        out.idle_cpu_s = process_cpu_s(p.pid) - before;
    }
    ::kill(p.pid, SIGTERM);
    wait_exit(p.pid);
    return out;
}

/// utime + stime of a process, in seconds.
double process_cpu_s(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    const auto close = stat.rfind(')');
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    std::vector<std::string> f;
    while (rest >> field) f.push_back(field);
    // Fields 3.. after the name; utime and stime are fields 14 and 15 (1-based).
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return (std::stod(f[11]) + std::stod(f[12])) / ticks;
}

pid_t g_xvfb = 0;  // stopped on every exit, die() included

int run_window(int launches, int idle_s) {
    const fs::path self = fs::read_symlink("/proc/self/exe");
    const fs::path app_path = self.parent_path() / "svidok";
    if (!fs::exists(app_path)) die("window", app_path.string() + " is not built");
    const fs::path dir = bench_support::make_temp_dir("app-window");
    // The shipped app refuses vaults below the Argon2id floor: a calibrated vault, as `init` makes.
    build_vault_in_child(dir / "vault", 1000, std::nullopt);
    fs::create_directories(dir / "home");

    // A display number nobody holds (no lock file, no socket), and a server that stays up.
    std::string display;
    Spawned xvfb;
    for (int n = 500; n < 600 && display.empty(); ++n) {
        const std::string num = std::to_string(n);
        if (fs::exists("/tmp/.X" + num + "-lock") || fs::exists("/tmp/.X11-unix/X" + num)) continue;
        xvfb = spawn({"Xvfb", ":" + num, "-screen", "0", "1280x800x24", "-nolisten", "tcp"}, {});
        for (int i = 0; i < 100 && !fs::exists("/tmp/.X11-unix/X" + num); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        int status = 0;
        if (waitpid(xvfb.pid, &status, WNOHANG) == 0 && fs::exists("/tmp/.X11-unix/X" + num)) {
            display = ":" + num;
        } else {
            ::kill(xvfb.pid, SIGTERM);
            waitpid(xvfb.pid, &status, 0);
        }
    }
    if (display.empty()) die("Xvfb", "no free display in :500-:599");
    g_xvfb = xvfb.pid;
    std::atexit([] {
        if (g_xvfb > 0) ::kill(g_xvfb, SIGTERM);
    });
    const std::vector<std::string> app_env{"DISPLAY=" + display, "HOME=" + (dir / "home").string(),
                                           "XDG_CONFIG_HOME=", "XDG_DATA_HOME="};
    const std::vector<std::string> app_argv{app_path.string(), "--vault", (dir / "vault").string()};

    // (a) Launch to the unlock screen, interleaved with the reference.
    // Each svidok launch then also idles 5 s on the unlock screen (see (c)).
    std::vector<double> app_mapped, app_drawn, ref_mapped, ref_drawn, launch_idle;
    for (int i = 0; i < launches; ++i) {
        auto a = launch(app_argv, app_env, {"--name", "^Svidok$"}, display, dir, 5);
        app_mapped.push_back(a.mapped_ms);
        app_drawn.push_back(a.drawn_ms);
        launch_idle.push_back(a.idle_cpu_s);
        auto r = launch({"xmessage", "-name", "benchref", "Svidok"}, {"DISPLAY=" + display},
                        {"--classname", "^benchref$"}, display, dir);
        ref_mapped.push_back(r.mapped_ms);
        ref_drawn.push_back(r.drawn_ms);
    }
    std::printf(
        "\n| launch to (ms, %d launches each) | median | min | max |\n| --- | ---: | ---: | ---: "
        "|\n",
        launches);
    auto row = [](const char* what, const std::vector<double>& v) {
        std::printf("| %s | %.0f | %.0f | %.0f |\n", what, bench_support::median(v),
                    *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
    };
    row("svidok: window mapped", app_mapped);
    row("svidok: first frame drawn (the unlock screen)", app_drawn);
    row("reference xmessage: window mapped", ref_mapped);
    row("reference xmessage: first drawing", ref_drawn);

    // (c) Idle CPU over idle_s seconds without input, the pointer outside the window, in two
    // states: just launched (the unlock screen) and unlocked on the records page.
    // SVIDOK_BENCH_SHOTS=DIR saves a screenshot of each state there.
    const char* shots = std::getenv("SVIDOK_BENCH_SHOTS");
    const std::string app_err = (dir / "svidok.err").string();
    auto proc = spawn(app_argv, app_env, "/dev/null", app_err);
    std::string win;
    for (int i = 0; i < 600 && win.empty(); ++i) {
        auto [rc, out] =
            tool({"xdotool", "search", "--onlyvisible", "--name", "^Svidok$"}, display, dir);
        if (rc == 0 && !out.empty()) win = out.substr(0, out.find('\n'));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (win.empty()) {
        std::ifstream in(app_err);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        die("idle", "no window; svidok said: " + text);
    }
    tool({"xdotool", "windowfocus", win}, display, dir);
    auto idle = [&](const char* what, const char* shot) {
        tool({"xdotool", "mousemove", "1250", "790"}, display, dir);
        std::this_thread::sleep_for(std::chrono::seconds(2));
        if (shots != nullptr)
            tool({"import", "-window", win, (fs::path(shots) / shot).string()}, display, dir);
        const double before = process_cpu_s(proc.pid);
        std::this_thread::sleep_for(std::chrono::seconds(idle_s));
        const double used = process_cpu_s(proc.pid) - before;
        std::printf("| %s | %d | %.2f | %.2f %% |\n", what, idle_s, used, used * 100.0 / idle_s);
    };
    std::printf("\nidle 5 s on the unlock screen right after each of the %d launches above, CPU s:",
                launches);
    int rendering = 0;
    for (double c : launch_idle) {
        std::printf(" %.2f", c);
        rendering += c > 0.1 ? 1 : 0;
    }
    std::printf(" (%d of %d kept drawing frames)\n", rendering, launches);
    std::printf(
        "\n| idle state (no input) | s | CPU s (utime + stime) | of one core |\n| --- | ---: | "
        "---: | ---: |\n");
    idle("just launched: the unlock screen", "idle-launched.png");
    tool({"xdotool", "type", "--delay", "5", std::string(kPassphrase)}, display, dir);
    tool({"xdotool", "key", "Return"}, display, dir);
    // Unlocking takes about a second of Argon2id; then the list loads. Wait well past it.
    std::this_thread::sleep_for(std::chrono::seconds(6));
    idle("unlocked, the records page (1000 records)", "idle-records.png");
    ::kill(proc.pid, SIGTERM);
    wait_exit(proc.pid);
    ::kill(xvfb.pid, SIGTERM);
    wait_exit(xvfb.pid);
    g_xvfb = 0;
    fs::remove_all(dir);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    check(svidok::crypto::init_and_self_test(), "self-test");
    if (argc > 1 && std::string_view(argv[1]) == "window") {
        const int launches = argc > 2 ? std::atoi(argv[2]) : 10;
        const int idle_s = argc > 3 ? std::atoi(argv[3]) : 60;
        if (launches < 1 || idle_s < 1)
            die("arguments", "bench_app window [launches] [idle-seconds]");
        return run_window(launches, idle_s);
    }
    const long n = argc > 1 ? std::atol(argv[1]) : 100000;
    if (n < 100) die("arguments", "the number of records must be at least 100");
    return run_headless(static_cast<std::size_t>(n));
}
