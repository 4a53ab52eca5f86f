// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Running one hostile-input case in a forked child and measuring it: the child runs the case,
// reports its outcome (ok, or the Errc and message) through a pipe and exits; the parent takes
// the child's peak resident set from wait4() and the wall time. The child's peak starts at the
// parent's resident set at fork, so `rss_growth_kib` is what the case itself added.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "crypto/error.h"
#include "test_support.h"

namespace svidok::test {

/// Bounds every hostile case must stay within.
/// The time bound is on the child's CPU time (user + system): what the case costs, whatever
/// else the machine runs meanwhile (ctest runs suites in parallel); wall time is reported too.
inline constexpr long kMaxRssGrowthKib = 256L * 1024;
inline constexpr double kMaxCaseSeconds = 5.0;

struct Bounded {
    bool ok = false;  // the case returned a value (was accepted)
    Errc code = Errc::internal;
    std::string message;
    int signal = 0;  // the child died of this signal (a crash)
    long rss_growth_kib = 0;
    double seconds = 0;       // CPU time of the child, user + system
    double wall_seconds = 0;  // for the report only
};

/// This process's current resident set in KiB (VmRSS).
inline long current_rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0;
}

/// Runs `f` (returning any Result<T>) in a child process and measures it.
template <class F>
Bounded run_bounded(F&& f) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::fflush(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        // The child's peak starts near the parent's resident set but not exactly at it (pages
        // not yet touched after fork are not counted), so measure from the child's own start.
        const long start_kib = current_rss_kib();
        auto r = f();
        std::string out = std::to_string(start_kib) + "\n";
        out += r ? std::string("ok")
                 : std::to_string(static_cast<int>(r.error().code)) + "\n" + r.error().message;
        for (std::size_t at = 0; at < out.size();) {
            const ssize_t n = ::write(fds[1], out.data() + at, out.size() - at);
            if (n <= 0) break;
            at += static_cast<std::size_t>(n);
        }
        ::_exit(0);  // no atexit handlers, no leak check of the parent's objects
    }
    ::close(fds[1]);
    std::string report;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
        if (n < 0) break;
        report.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    REQUIRE(::wait4(pid, &status, 0, &usage) == pid);
    Bounded b;
    b.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto secs = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    b.seconds = secs(usage.ru_utime) + secs(usage.ru_stime);
    if (WIFSIGNALED(status)) {
        b.signal = WTERMSIG(status);
        return b;
    }
    if (const auto nl = report.find('\n'); nl != std::string::npos) {
        b.rss_growth_kib = usage.ru_maxrss - std::stol(report.substr(0, nl));
        report.erase(0, nl + 1);
    }
    if (report == "ok") {
        b.ok = true;
    } else if (const auto nl = report.find('\n'); nl != std::string::npos) {
        b.code = static_cast<Errc>(std::stoi(report.substr(0, nl)));
        b.message = report.substr(nl + 1);
    } else {
        b.message = "the child reported nothing (exit status " + std::to_string(status) + ")";
    }
    return b;
}

/// Checks that `b` is a refusal with `code` whose message contains `text`, within the bounds.
inline void check_refused(const Bounded& b, Errc code, std::string_view text) {
    CHECK_MESSAGE(b.signal == 0, "the case crashed with signal " << b.signal);
    CHECK_FALSE(b.ok);
    CHECK_MESSAGE(b.code == code, b.message);
    CHECK_MESSAGE(b.message.find(text) != std::string::npos, b.message);
    CHECK(b.rss_growth_kib < kMaxRssGrowthKib);
    CHECK(b.seconds < kMaxCaseSeconds);
    MESSAGE(std::string(errc_name(b.code))
            << " in " << b.seconds << " s CPU (" << b.wall_seconds << " s wall), +"
            << b.rss_growth_kib / 1024 << " MiB: " << b.message.substr(0, 160));
}

}  // namespace svidok::test
