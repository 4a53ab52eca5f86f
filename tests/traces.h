// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Looking for traces: a secret or a piece of testimony (a "canary") in the files a program may
// have written and in a running process's memory. Each canary is looked for in UTF-8 and in
// UTF-16 of both byte orders, the encodings a program or library may turn text into.

#include <sys/types.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace svidok::test {

/// `utf8` and its UTF-16LE and UTF-16BE forms (no byte-order mark).
inline std::vector<std::string> encodings(std::string_view utf8) {
    std::u32string points;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        points.push_back(cp);
        i += static_cast<std::size_t>(n);
    }
    std::string le, be;
    auto unit = [&](char16_t u) {
        le += static_cast<char>(u & 0xFF);
        le += static_cast<char>(u >> 8);
        be += static_cast<char>(u >> 8);
        be += static_cast<char>(u & 0xFF);
    };
    for (char32_t cp : points) {
        if (cp < 0x10000) {
            unit(static_cast<char16_t>(cp));
        } else {
            cp -= 0x10000;
            unit(static_cast<char16_t>(0xD800 + (cp >> 10)));
            unit(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
        }
    }
    return {std::string(utf8), le, be};
}

/// Every encoding of every canary, each with a name for messages.
struct Needle {
    std::string name;  // "narrative canary (UTF-16LE)"
    std::string bytes;
};

inline std::vector<Needle> needles(
    const std::vector<std::pair<std::string, std::string>>& canaries) {
    static constexpr const char* kNames[] = {"UTF-8", "UTF-16LE", "UTF-16BE"};
    std::vector<Needle> out;
    for (const auto& [name, text] : canaries) {
        auto forms = encodings(text);
        for (std::size_t i = 0; i < forms.size(); ++i) {
            out.push_back({name + " (" + kNames[i] + ")", std::move(forms[i])});
        }
    }
    return out;
}

/// "<where>: <needle name>" for each needle found in `data`.
inline void search_bytes(std::string_view data, const std::vector<Needle>& what,
                         const std::string& where, std::vector<std::string>& found) {
    for (const auto& n : what) {
        if (data.find(n.bytes) != std::string_view::npos) found.push_back(where + ": " + n.name);
    }
}

/// Searches every regular file under `root` (not following symbolic links), read in 1 MiB
/// pieces that overlap by the longest needle, so any size is searched whole.
inline std::vector<std::string> find_in_files(const fs::path& root,
                                              const std::vector<Needle>& what) {
    std::vector<std::string> found;
    std::error_code ec;
    if (!fs::exists(root, ec)) return found;
    std::size_t longest = 0;
    for (const auto& n : what) longest = std::max(longest, n.bytes.size());
    std::vector<fs::path> files;
    if (fs::is_regular_file(fs::symlink_status(root, ec))) files.push_back(root);
    for (fs::recursive_directory_iterator
             it(root, fs::directory_options::skip_permission_denied, ec),
         end;
         files.empty() && !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && !it->is_symlink(ec)) files.push_back(it->path());
    }
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::string window;
        std::vector<char> chunk(1 << 20);
        while (in) {
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            const auto got = static_cast<std::size_t>(in.gcount());
            if (got == 0) break;
            window.append(chunk.data(), got);
            search_bytes(window, what, file.string(), found);
            // Keep the tail so a needle split across two reads is still seen.
            if (window.size() > longest) window.erase(0, window.size() - longest);
        }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

/// Searches every readable mapping of a running process (/proc/PID/maps and /proc/PID/mem; needs
/// CAP_SYS_PTRACE or a child that is dumpable, and Svidok's binaries make themselves
/// non-dumpable, so the tests run as a user that has it: root in CI). Mappings of files are
/// skipped (program text, fonts, locale data), except writable ones.
inline std::vector<std::string> find_in_memory(pid_t pid, const std::vector<Needle>& what) {
    std::vector<std::string> found;
    const fs::path proc = "/proc/" + std::to_string(pid);
    std::ifstream maps(proc / "maps");
    REQUIRE_MESSAGE(maps, "cannot read " << (proc / "maps"));
    std::ifstream mem(proc / "mem", std::ios::binary);
    REQUIRE_MESSAGE(mem, "cannot open " << (proc / "mem") << ": the test needs CAP_SYS_PTRACE");
    std::string line;
    std::size_t regions = 0;
    std::size_t longest = 0;
    for (const auto& n : what) longest = std::max(longest, n.bytes.size());
    while (std::getline(maps, line)) {
        unsigned long long from = 0, to = 0;
        char perms[5] = {};
        unsigned long long offset = 0;
        char dev[16] = {};
        unsigned long long inode = 0;
        int name_at = 0;
        if (std::sscanf(line.c_str(), "%llx-%llx %4s %llx %15s %llu %n", &from, &to, perms, &offset,
                        dev, &inode, &name_at) < 6) {
            continue;
        }
        const std::string name = name_at > 0 ? line.substr(static_cast<std::size_t>(name_at)) : "";
        if (perms[0] != 'r') continue;
        if (inode != 0 && perms[1] != 'w') continue;  // read-only file mapping
        if (name == "[vvar]" || name == "[vsyscall]") continue;
        // A sanitizer's shadow memory is a reservation of terabytes that was never written.
        if (to - from > (64ull << 30)) continue;
        bool read_any = false;
        std::string window;
        for (unsigned long long at = from; at < to;) {
            const auto n = std::min<unsigned long long>(to - at, 64ull << 20);
            std::string chunk(static_cast<std::size_t>(n), '\0');
            mem.clear();
            mem.seekg(static_cast<std::streamoff>(at));
            mem.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            chunk.resize(static_cast<std::size_t>(mem.gcount()));
            if (chunk.empty()) break;
            read_any = true;
            at += chunk.size();
            // Keep the end of the previous piece so a needle across the boundary is seen.
            window = window.substr(window.size() - std::min(window.size(), longest)) + chunk;
            search_bytes(window, what, line, found);
        }
        regions += read_any ? 1 : 0;
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    CHECK_MESSAGE(regions > 0, "no memory of process " << pid << " could be read");
    return found;
}

}  // namespace svidok::test
