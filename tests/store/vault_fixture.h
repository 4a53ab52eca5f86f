// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fast vaults for tests: tiny Argon2id parameters through the library API (the shipped
// binaries refuse them).

#include <fstream>
#include <random>
#include <set>

#include "crypto/encoding.h"
#include "store/vault.h"
#include "test_support.h"

namespace svidok::test {

inline constexpr crypto::KdfParams kFastKdf{1, 64u << 10};
inline constexpr store::VaultPolicy kTestPolicy{.enforce_kdf_floor = false};

inline crypto::ByteView pw(std::string_view s) {
    return crypto::as_bytes(s);
}

inline store::Vault::Created make_vault(const fs::path& dir,
                                        std::string_view passphrase = "correct horse battery") {
    auto created =
        store::Vault::create(dir, pw(passphrase), store::CreateOptions{kFastKdf, kTestPolicy});
    REQUIRE_MESSAGE(created.has_value(), (created ? "" : created.error().message));
    return std::move(*created);
}

/// Every file in a directory tree with its bytes, for "changed nothing" comparisons.
inline std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_file(e.path());
    }
    return out;
}

/// True when `needle` occurs in any regular file under `dir`. Streams each file (so large ones
/// cost no memory) and skips entries that vanish or cannot be read while it walks: other
/// processes may be using a shared temporary directory.
inline bool occurs_in_file(const fs::path& file, std::string_view needle) {
    std::ifstream in(file, std::ios::binary);
    std::string window;
    std::vector<char> buf(1 << 20);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
        window.append(buf.data(), static_cast<std::size_t>(in.gcount()));
        if (window.find(needle) != std::string::npos) return true;
        window.erase(0, window.size() - std::min(window.size(), needle.size()));
    }
    return false;
}

/// Every regular file under `dir` that holds `needle`.
inline std::set<fs::path> files_containing(const fs::path& dir, std::string_view needle) {
    std::set<fs::path> found;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec) || ec) {
            ec.clear();
            continue;
        }
        if (occurs_in_file(it->path(), needle)) found.insert(it->path());
    }
    return found;
}

inline bool occurs_in_tree(const fs::path& dir, std::string_view needle) {
    return !files_containing(dir, needle).empty();
}

/// A marker no file can hold before a test writes it: random, and never in any source file.
inline std::string random_canary(std::string_view label) {
    std::random_device rd;
    std::string c = "CANARY-" + std::string(label) + "-";
    for (int i = 0; i < 4; ++i) c += std::to_string(rd());
    return c;
}

}  // namespace svidok::test
