// SPDX-License-Identifier: GPL-3.0-or-later
// Every test executable starts like the shipped binaries: libsodium initialised, self-tests run.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <sodium.h>

#include <cstdio>

int main(int argc, char** argv) {
    if (sodium_init() < 0) {
        std::fputs("sodium_init failed\n", stderr);
        return 2;
    }
    doctest::Context context;
    context.applyCommandLine(argc, argv);
    return context.run();
}
