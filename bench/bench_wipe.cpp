// SPDX-License-Identifier: GPL-3.0-or-later
// Panic wipe of a vault holding about 2 GiB (default 2048 MiB: one random file attached
// through the store API, plus a record in the real database and one in the decoy), 5 runs,
// each on a freshly built vault. Reports store::wipe_vault's own clocks: the time until the
// key file was overwritten, synced and removed (unrecoverable) and until the last file was
// removed (total), and the wall clock of the call. The reference, in the same runs, is the
// file system alone: unlink(2) of a plain file of the same size and an fsync of its directory.
// A global sync() runs, untimed, before each timed step, so none pays for the dirty pages of
// the files just written. KDF parameters are tiny: the wipe never derives a key.
//
//   cmake --build build/release --target bench_wipe && build/release/bench_wipe [MiB]

#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/runtime.h"
#include "forms/json.h"
#include "forms/registry.h"
#include "store/attachments.h"
#include "store/records.h"
#include "store/vault.h"
#include "store/wipe.h"

#include "bench_support.h"

namespace json = svidok::forms::json;
namespace store = svidok::store;
using namespace bench_support;

namespace {

constexpr int kRuns = 5;
constexpr std::string_view kPass = "benchmark passphrase 1";

json::Value example_without_files(const svidok::forms::FormDefinition& form) {
    json::Value answers = form.example();
    for (auto& [key, section] : answers.as_object()) {
        if (section.is_object() && section.find("attachments") != nullptr) {
            section.set("attachments", json::Array{});
        }
    }
    return answers;
}

// A vault at `dir` with `src` attached to a draft and a sealed record in the real database,
// and a sealed record in the decoy. Returns the bytes in the directory.
std::uintmax_t build_vault(const fs::path& dir, const fs::path& src) {
    const store::CreateOptions fast{svidok::crypto::KdfParams{1, 64u << 10},
                                    store::VaultPolicy{.enforce_kdf_floor = false}};
    auto registry = check(svidok::forms::load_builtin(), "load_builtin");
    const auto* form = registry.find("forced-mobilization");
    if (form == nullptr) die("forms", "forced-mobilization is not built in");
    {
        auto created =
            check(store::Vault::create(dir, svidok::crypto::as_bytes(kPass), fast), "vault create");
        auto records = check(store::Records::open(created.vault, registry), "Records::open");
        store::Attachments attachments(records);
        auto sealed = check(records.create_draft(*form, example_without_files(*form)), "draft");
        check(records.seal(sealed), "seal");
        auto id = check(records.create_draft(*form, example_without_files(*form)), "draft");
        check(attachments.attach(id, src), "attach");
        check(created.vault.set_duress(svidok::crypto::as_bytes("benchmark duress phrase"), false),
              "set_duress");
    }
    {
        auto decoy =
            check(store::Vault::open_decoy(dir, svidok::crypto::as_bytes(kPass), fast.policy),
                  "open_decoy");
        auto records = check(store::Records::open(decoy, registry), "Records::open (decoy)");
        auto id = check(records.create_draft(*form, example_without_files(*form)), "draft");
        check(records.seal(id), "seal (decoy)");
    }
    std::uintmax_t bytes = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) bytes += e.file_size();
    }
    return bytes;
}

double ms(std::chrono::nanoseconds d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

void row(const char* what, const std::vector<double>& t) {
    std::printf("| %-46s | %8.2f |", what, median(t));
    for (double v : t) std::printf(" %7.2f", v);
    std::printf(" |\n");
}

}  // namespace

int main(int argc, char** argv) {
    check(svidok::crypto::init_and_self_test(), "self-test");
    const long arg = argc > 1 ? std::atol(argv[1]) : 2048;
    if (arg < 1) die("arguments", "the size in MiB must be at least 1");
    const auto mib = static_cast<std::size_t>(arg);
    const fs::path dir = make_temp_dir("wipe");
    const fs::path src = dir / "input.bin";
    make_random_file(src, mib);

    std::vector<double> unrecoverable, total, wall, plain_unlink;
    std::uintmax_t vault_bytes = 0;
    for (int run = 0; run < kRuns; ++run) {
        const fs::path vault = dir / ("vault-" + std::to_string(run));
        vault_bytes = build_vault(vault, src);  // not timed
        ::sync();
        store::WipeReport report;
        wall.push_back(1000.0 * time_s([&] { report = check(store::wipe_vault(vault), "wipe"); }));
        if (!report.directory_removed || !report.not_removed.empty() || fs::exists(vault)) {
            die("wipe", "the vault directory was not removed completely");
        }
        unrecoverable.push_back(ms(report.unrecoverable_after));
        total.push_back(ms(report.total));

        const fs::path plain = dir / "plain.bin";
        make_random_file(plain, mib);  // not timed
        ::sync();
        plain_unlink.push_back(1000.0 * time_s([&] {
                                   if (::unlink(plain.c_str()) != 0) die("unlink", plain.string());
                                   fsync_path(dir);
                               }));
        std::fprintf(stderr, "run %d/%d done\n", run + 1, kRuns);
    }
    fs::remove_all(dir);

    std::printf(
        "vault of %.2f GiB (a %zu MiB attachment, records in the real database and the "
        "decoy), %d runs, each on a new vault; medians (raw times in ms)\n\n",
        static_cast<double>(vault_bytes) / (1u << 30), mib, kRuns);
    std::printf("| %-46s | %8s | %-39s |\n", "wipe_vault", "median", "raw ms");
    std::printf("| %s | -------: | --------------------------------------- |\n",
                std::string(46, '-').c_str());
    row("until unrecoverable (keys overwritten, gone)", unrecoverable);
    row("until every file removed (total)", total);
    row("wall clock of the call", wall);
    row("ref: unlink of a plain file that size, fsync", plain_unlink);
    return 0;
}
