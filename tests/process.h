// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Running a program as a subprocess in tests: argv, extra environment, captured output.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

extern char** environ;

namespace svidok::test {

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;
    std::string out, err;
};

class Process {
public:
    /// Starts argv[0] (a path) with `env` ("NAME=value") added to this process's environment,
    /// replacing inherited variables of the same names; stdout and stderr
    /// go to files in `scratch`, stdin is `stdin_path`. The child leads a new session, so a
    /// terminal opened as its stdin (a pseudo-terminal's slave) becomes its /dev/tty.
    Process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const fs::path& scratch, const std::string& stdin_path = "/dev/null")
        : out_path_(scratch / ("out-" + std::to_string(counter()++))),
          err_path_(scratch / ("err-" + std::to_string(counter()++))) {
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        // An entry of `env` replaces the inherited one of the same name (getenv returns the
        // first match, so appending a second HOME=... would leave the parent's in force).
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
        posix_spawn_file_actions_addopen(&fa, 0, stdin_path.c_str(), O_RDWR, 0);
        posix_spawn_file_actions_addopen(&fa, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_addopen(&fa, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
        int rc = posix_spawn(&pid_, args[0], &fa, &attr, args.data(), envp.data());
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        REQUIRE_MESSAGE(rc == 0, "cannot start " << argv[0]);
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            (void)wait();
        }
    }

    [[nodiscard]] pid_t pid() const { return pid_; }
    void kill(int sig = SIGKILL) { ::kill(pid_, sig); }

    /// Waits for the exit and collects the output.
    ProcessResult wait() {
        ProcessResult r;
        int status = 0;
        while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = 0;
        if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
        r.out = read_file(out_path_);
        r.err = read_file(err_path_);
        return r;
    }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    fs::path out_path_, err_path_;
    pid_t pid_ = 0;
};

inline ProcessResult run_process(const std::vector<std::string>& argv,
                                 const std::vector<std::string>& env, const fs::path& scratch) {
    Process p(argv, env, scratch);
    return p.wait();
}

/// Whether a reference tool (installed by scripts/setup) is present. Under CI a missing tool
/// fails the test; elsewhere the caller skips.
inline bool tool_available(const fs::path& path) {
    if (fs::exists(path)) return true;
    if (std::getenv("CI") != nullptr) FAIL(path << " is missing under CI: run scripts/setup");
    MESSAGE(path << " not installed, skipping");
    return false;
}

}  // namespace svidok::test
