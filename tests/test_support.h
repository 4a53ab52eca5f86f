// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared test helpers: scratch directories, file I/O, the vectors location.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace svidok::test {

namespace fs = std::filesystem;

/// A fresh directory under $TMPDIR, removed when the object dies.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() /
                ("svidok-test-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }
    [[nodiscard]] fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << p);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// `n` reproducible pseudo-random bytes.
inline std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng() & 0xff);
    return s;
}

inline void write_file(const fs::path& p, std::string_view data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    REQUIRE_MESSAGE(out.good(), "cannot write " << p);
}

/// The conformance vectors folder, or an empty path when it is absent outside CI (the caller
/// then skips). Under CI a missing folder fails the test.
inline fs::path vectors_dir(const std::string& sub) {
    fs::path dir = fs::path(SVIDOK_VECTORS_DIR) / sub;
    if (fs::is_directory(dir)) return dir;
    if (std::getenv("CI") != nullptr) FAIL("conformance vectors missing under CI: " << dir);
    MESSAGE("vectors not found, skipping: " << dir);
    return {};
}

}  // namespace svidok::test
