// SPDX-License-Identifier: GPL-3.0-or-later
// The only place svidok-cli exits. Hardening and self-tests run before anything else.

#include <csignal>
#include <iostream>
#include <string_view>
#include <vector>

#include "cli.h"
#include "crypto/runtime.h"
#include "secrets.h"

int main(int argc, char** argv) {
    if (auto r = svidok::crypto::harden_process(); !r) {
        std::cerr << "svidok: error: " << r.error().message << '\n';
        if (!r.error().hint.empty()) std::cerr << "svidok: hint: " << r.error().hint << '\n';
        return svidok::cli::kUsageOrIo;
    }
    // A file-size limit then fails the write with EFBIG, reported and rolled back like a full
    // disk, instead of killing the process in the middle of it.
    std::signal(SIGXFSZ, SIG_IGN);
    std::vector<std::string_view> args(argv + 1, argv + argc);
    svidok::cli::Io io{std::cout, std::cerr, svidok::cli::prompt_on_terminal};
    io.ask = svidok::cli::ask_on_terminal;
    return svidok::cli::run(args, io);
}
