// SPDX-License-Identifier: GPL-3.0-or-later
// Unlock time: the calibrated Argon2id parameters, the time of one derivation alone (raw
// libsodium crypto_pwhash, the reference), and a full Vault::open, so the overhead beyond
// Argon2id (slot trial, SQLCipher open, schema check) is measured in the same run.
//
//   cmake --build build/release --target bench_unlock && build/release/bench_unlock [runs]

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/runtime.h"
#include "store/vault.h"

namespace fs = std::filesystem;
using clk = std::chrono::steady_clock;

static double ms(clk::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int main(int argc, char** argv) {
    if (!svidok::crypto::init_and_self_test()) return 2;
    int runs = argc > 1 ? std::atoi(argv[1]) : 7;
    auto dir = fs::temp_directory_path() / ("svidok-bench-" + std::to_string(getpid()));
    auto pass = svidok::crypto::as_bytes("benchmark passphrase 1");

    auto t0 = clk::now();
    svidok::crypto::KdfParams params;
    {
        auto created = svidok::store::Vault::create(dir, pass);
        if (!created) {
            std::fprintf(stderr, "create failed: %s\n", created.error().message.c_str());
            return 1;
        }
        params = created->vault.kdf();
    }  // closed: the directory lock is released
    auto create_ms = ms(clk::now() - t0);

    std::vector<double> raw, open;
    unsigned char salt[crypto_pwhash_SALTBYTES] = {1};
    unsigned char key[32];
    for (int i = 0; i < runs; ++i) {
        auto a = clk::now();
        if (crypto_pwhash(key, sizeof key, reinterpret_cast<const char*>(pass.data()), pass.size(),
                          salt, params.opslimit, params.memlimit,
                          crypto_pwhash_ALG_ARGON2ID13) != 0) {
            return 1;
        }
        raw.push_back(ms(clk::now() - a));
        auto b = clk::now();
        auto v = svidok::store::Vault::open(dir, pass);
        open.push_back(ms(clk::now() - b));
        if (!v) return 1;
    }
    std::printf("argon2id parameters: t=%u, m=%llu MiB (calibrated at create)\n", params.opslimit,
                static_cast<unsigned long long>(params.memlimit >> 20));
    std::printf("create (calibration + derivation + schema): %.0f ms\n", create_ms);
    std::printf("raw crypto_pwhash median over %d runs: %.1f ms\n", runs, median(raw));
    std::printf("Vault::open median over %d runs:        %.1f ms\n", runs, median(open));
    std::printf("overhead beyond Argon2id (median difference): %.1f ms\n",
                median(open) - median(raw));
    fs::remove_all(dir);
    return 0;
}
