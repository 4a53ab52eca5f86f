// SPDX-License-Identifier: GPL-3.0-or-later
// The build's identity (crypto/build_info.h) against what binutils reads from the same ELF files:
// the build-id the binaries report is the linker's note, and `--version` of both shipped
// binaries names their own build.
#include <regex>

#include "crypto/build_info.h"
#include "process.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::test;

namespace {

// `readelf -n FILE`'s "Build ID: <hex>", the independent reading of the note.
std::string readelf_build_id(const fs::path& file, const fs::path& scratch) {
    auto r = run_process({"/usr/bin/readelf", "-n", file.string()}, {}, scratch);
    REQUIRE(r.exit_code == 0);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex("Build ID: ([0-9a-f]+)")));
    return m[1];
}

}  // namespace

TEST_CASE("the build-id is the running executable's GNU build-id note") {
    TempDir dir;
    const std::string id = crypto::build_id();
    CHECK(id.size() >= 32);  // ld's default sha1 gives 40 hex digits, --build-id=md5 32
    CHECK(id == readelf_build_id(fs::read_symlink("/proc/self/exe"), dir.path()));
}

TEST_CASE("version and commit are fixed at configure time") {
    CHECK(crypto::build_version() == "0.1.0");
    CHECK(
        std::regex_match(std::string(crypto::build_commit()), std::regex("[0-9a-f]{40}(-dirty)?")));
    CHECK(crypto::version_text("svidok-cli") == "svidok-cli 0.1.0\ncommit " +
                                                    std::string(crypto::build_commit()) +
                                                    "\nbuild " + crypto::build_id() + "\n");
}

TEST_CASE("both binaries answer --version with their own build") {
    TempDir dir;
    for (const std::string path : {SVIDOK_CLI_PATH, SVIDOK_APP_PATH}) {
        if (path.empty()) continue;  // built without the app
        CAPTURE(path);
        const std::string program = fs::path(path).filename().string();
        auto r = run_process({path, "--version"}, {}, dir.path());
        CHECK(r.exit_code == 0);
        CHECK(r.out == program + " 0.1.0\ncommit " + std::string(crypto::build_commit()) +
                           "\nbuild " + readelf_build_id(path, dir.path()) + "\n");
    }
}
