// SPDX-License-Identifier: GPL-3.0-or-later
// Replays the fuzz targets' inputs in the ordinary (g++, ASan+UBSan) test build, through the
// very same entry points (tests/fuzz/fuzz_<target>.cpp compiled with SVIDOK_FUZZ_REPLAY): every
// committed seed of tests/fuzz/corpus/<target>/ (forms/definitions/ for form), and every input that
// once crashed a target, kept as tests/fuzz/regressions/<target>-<what>.bin. A target aborts on a
// broken invariant, so a regression fails this suite loudly.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::test;

namespace {

using Replay = int (*)(const std::uint8_t*, std::size_t);

const std::map<std::string, Replay>& targets() {
    static const std::map<std::string, Replay> t{
        {"age", fuzz::replay_age},   {"form", fuzz::replay_form},
        {"json", fuzz::replay_json}, {"keyslots", fuzz::replay_keyslots},
        {"note", fuzz::replay_note}, {"receipt", fuzz::replay_receipt},
        {"tar", fuzz::replay_tar},
    };
    return t;
}

const fs::path kFuzzDir = fs::path(SVIDOK_SOURCE_DIR) / "tests" / "fuzz";

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_regular_file()) out.push_back(e.path());
    }
    std::ranges::sort(out);
    return out;
}

int replay(Replay target, const fs::path& file) {
    const std::string bytes = read_file(file);
    return target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

TEST_CASE("every fuzz target has a source and committed seeds, and every seed replays") {
    for (const auto& [name, target] : targets()) {
        CAPTURE(name);
        CHECK(fs::exists(kFuzzDir / ("fuzz_" + name + ".cpp")));
        // The form target's seeds are the built-in definitions themselves (scripts/fuzz).
        const auto seeds =
            files_in(name == "form" ? fs::path(SVIDOK_SOURCE_DIR) / "forms" / "definitions"
                                    : kFuzzDir / "corpus" / name);
        CHECK(seeds.size() >= 2);
        for (const auto& seed : seeds) {
            CAPTURE(seed.string());
            CHECK(replay(target, seed) == 0);
        }
    }
    // No target source without an entry here.
    for (const auto& src : files_in(kFuzzDir)) {
        const std::string stem = src.stem().string();
        if (!stem.starts_with("fuzz_") || src.extension() != ".cpp") continue;
        CHECK_MESSAGE(targets().contains(stem.substr(5)), src.string());
    }
}

TEST_CASE("every input that once crashed a fuzz target replays cleanly") {
    for (const auto& file : files_in(kFuzzDir / "regressions")) {
        const std::string name = file.filename().string();
        CAPTURE(name);
        const auto dash = name.find('-');
        REQUIRE(dash != std::string::npos);
        REQUIRE(file.extension() == ".bin");
        const auto target = targets().find(name.substr(0, dash));
        REQUIRE(target != targets().end());
        CHECK(replay(target->second, file) == 0);
    }
}
