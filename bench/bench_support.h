// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the benchmarks share: failing loudly (and removing the temporary directory), timing,
// medians, running the reference tools, and making random input files.

#include <fcntl.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "crypto/age.h"
#include "crypto/error.h"
#include "store/bundles.h"

extern char** environ;

namespace bench_support {

namespace fs = std::filesystem;
using clk = std::chrono::steady_clock;

inline fs::path g_dir;  // the temp dir, removed on failure too

[[noreturn]] inline void die(const char* what, const std::string& why) {
    std::fprintf(stderr, "%s failed: %s\n", what, why.c_str());
    std::error_code ec;
    if (!g_dir.empty()) fs::remove_all(g_dir, ec);
    std::exit(1);
}

template <class T>
T check(svidok::Result<T> r, const char* what) {
    if (!r) die(what, r.error().message);
    if constexpr (!std::is_void_v<T>) return std::move(*r);
}

template <class F>
double time_s(F&& f) {
    auto start = clk::now();
    f();
    return std::chrono::duration<double>(clk::now() - start).count();
}

/// Adds a legal team (a fresh age key, recipient "legal-team") that sensitive answers are
/// sealed to (docs/FORMAT.md 9.6): a record with sensitive answers is not sealed without one.
inline void seal_to_legal_team(svidok::store::Records& records) {
    svidok::store::Bundles bundles(records);
    check(bundles.add_recipient("legal-team",
                                svidok::crypto::X25519Identity::generate().recipient().to_string(),
                                std::nullopt),
          "add_recipient");
    check(bundles.set_seal_recipients(std::vector<std::string>{"legal-team"}),
          "set_seal_recipients");
}

inline double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// Runs a program (searched in PATH) and waits for it; any failure aborts. `quiet` sends its
/// stderr to /dev/null (age-keygen prints the public key there).
inline void run(std::vector<std::string> args, bool quiet = false) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (quiet) posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) die(args[0].c_str(), std::strerror(rc));
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) die("waitpid", std::strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die(args[0].c_str(), "non-zero exit");
}

inline void fsync_path(const fs::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) die("fsync", p.string() + ": " + std::strerror(errno));
    ::close(fd);
}

inline void write_all(int fd, const unsigned char* data, std::size_t size, const fs::path& p) {
    for (std::size_t off = 0; off < size;) {
        ssize_t n = ::write(fd, data + off, size - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) die("write", p.string() + ": " + std::strerror(errno));
        off += static_cast<std::size_t>(n);
    }
}

/// A new file of `mib` MiB of random bytes.
inline void make_random_file(const fs::path& p, std::size_t mib) {
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) die("create", p.string() + ": " + std::strerror(errno));
    std::vector<unsigned char> buf(1u << 20);
    for (std::size_t i = 0; i < mib; ++i) {
        randombytes_buf(buf.data(), buf.size());
        write_all(fd, buf.data(), buf.size(), p);
    }
    if (::close(fd) != 0) die("close", p.string() + ": " + std::strerror(errno));
}

/// A fresh directory $TMPDIR/svidok-bench-<name>-XXXXXX (default /tmp), removed by die().
inline fs::path make_temp_dir(const std::string& name) {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                        "/svidok-bench-" + name + "-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) die("mkdtemp", templ + ": " + std::strerror(errno));
    g_dir = templ;
    return g_dir;
}

}  // namespace bench_support
