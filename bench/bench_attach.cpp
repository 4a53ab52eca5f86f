// SPDX-License-Identifier: GPL-3.0-or-later
// Attachment throughput on one random file of the given size (default 1024 MiB), 3 interleaved
// rounds, wall clock, medians: Svidok intake (Attachments::attach into a fresh draft: read once,
// SHA-256, secretstream encrypt, fsync, rename, directory fsync, SQLCipher row) and extract
// (decrypt, SHA-256 check, write, fsync), against the reference `age` CLI (X25519 recipient,
// ChaCha20-Poly1305 STREAM) run as a process: encrypt, encrypt + fsync of its output (Svidok
// fsyncs, age does not), and decrypt. A global sync() runs, untimed, before every timed step
// so no step pays for the previous one's dirty pages. KDF parameters are tiny (not measured).
//
//   cmake --build build/release --target bench_attach && build/release/bench_attach [MiB]

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
#include <fstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/runtime.h"
#include "forms/json.h"
#include "forms/registry.h"
#include "store/attachments.h"
#include "store/records.h"
#include "store/vault.h"

#include "bench_support.h"

namespace json = svidok::forms::json;
namespace store = svidok::store;
using namespace bench_support;

namespace {

constexpr int kRounds = 3;

std::string age_recipient(const fs::path& key) {
    std::ifstream in(key);
    const std::string prefix = "# public key: ";
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with(prefix)) return line.substr(prefix.size());
    }
    die("age-keygen", "no \"# public key:\" line in " + key.string());
}

void row(const char* what, const std::vector<double>& t, double mib) {
    std::printf("| %-44s | %8.3f | %8.1f |", what, median(t), mib / median(t));
    for (double s : t) std::printf(" %7.3f", s);
    std::printf(" |\n");
}

int bench(const fs::path& dir, std::size_t mib) {
    const fs::path src = dir / "input.bin";
    make_random_file(src, mib);

    auto created = check(
        store::Vault::create(dir / "vault", svidok::crypto::as_bytes("benchmark passphrase 1"),
                             store::CreateOptions{svidok::crypto::KdfParams{1, 64u << 10},
                                                  store::VaultPolicy{.enforce_kdf_floor = false}}),
        "vault create");
    auto& vault = created.vault;
    auto registry = check(svidok::forms::load_builtin(), "load_builtin");
    auto records = check(store::Records::open(vault, registry), "Records::open");
    store::Attachments attachments(records);
    const auto* form = registry.find("forced-mobilization");
    if (form == nullptr) die("forms", "forced-mobilization is not built in");
    json::Value answers = form->example();
    for (auto& [key, section] : answers.as_object()) {
        if (section.is_object() && section.find("attachments") != nullptr) {
            section.set("attachments", json::Array{});
        }
    }

    const fs::path key = dir / "age.key";
    run({"age-keygen", "-o", key.string()}, true);
    const std::string recipient = age_recipient(key);
    const fs::path extracted = dir / "extracted.bin", sealed = dir / "out.age",
                   sealed_sync = dir / "out-sync.age", decrypted = dir / "out.dec";

    std::vector<double> intake, extract, age_enc, age_enc_sync, age_dec;
    for (int round = 0; round < kRounds; ++round) {
        auto id = check(records.create_draft(*form, answers), "create_draft");  // not timed
        store::AttachResult attached;
        ::sync();
        intake.push_back(time_s([&] { attached = check(attachments.attach(id, src), "attach"); }));
        if (attached.already_attached || attached.info.size != mib << 20)
            die("attach", "unexpected result");
        ::sync();
        extract.push_back(time_s(
            [&] { check(attachments.extract(id, attached.info.sha256, extracted), "extract"); }));
        fs::remove(extracted);

        ::sync();
        age_enc.push_back(time_s([&] {
            run({"age", "-r", recipient, "-o", sealed.string(), src.string()});
        }));
        ::sync();
        age_enc_sync.push_back(time_s([&] {
            run({"age", "-r", recipient, "-o", sealed_sync.string(), src.string()});
            fsync_path(sealed_sync);
        }));
        fs::remove(sealed_sync);
        ::sync();
        age_dec.push_back(time_s([&] {
            run({"age", "-d", "-i", key.string(), "-o", decrypted.string(), sealed.string()});
        }));
        fs::remove(decrypted);
        fs::remove(sealed);
        std::fprintf(stderr, "round %d/%d done\n", round + 1, kRounds);
    }

    const auto m = static_cast<double>(mib);
    std::printf(
        "%zu MiB random file, %d interleaved rounds, wall clock; medians (raw times in s)\n", mib,
        kRounds);
    std::printf("\n| %-44s | %8s | %8s | %-23s |\n", "operation", "median s", "MiB/s", "raw s");
    std::printf("| %s | -------: | -------: | ----------------------- |\n",
                std::string(44, '-').c_str());
    row("Svidok intake: Attachments::attach", intake, m);
    row("Svidok extract: Attachments::extract", extract, m);
    row("ref: age -r (encrypt, no fsync)", age_enc, m);
    row("ref: age -r + fsync(output)", age_enc_sync, m);
    row("ref: age -d (decrypt, no fsync)", age_dec, m);
    const double in = median(intake), ex = median(extract);
    std::printf("\nthroughput ratios (Svidok / age; above 1 means Svidok is faster):\n");
    std::printf("  intake  / age encrypt          %.2f\n", median(age_enc) / in);
    std::printf("  intake  / age encrypt + fsync  %.2f\n", median(age_enc_sync) / in);
    std::printf("  extract / age decrypt          %.2f\n", median(age_dec) / ex);
    std::printf(
        "\nnote: Svidok fsyncs what it writes (durability is a requirement; extract also fsyncs "
        "its\n"
        "output) and hashes the plaintext with SHA-256 both ways; age does neither. The\n"
        "\"age -r + fsync\" row adds the fsync for the durable comparison; age decrypt has no\n"
        "fsync row. age times include process start-up. sync() ran untimed before each step.\n");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    check(svidok::crypto::init_and_self_test(), "self-test");
    const long arg = argc > 1 ? std::atol(argv[1]) : 1024;
    if (arg < 1) die("arguments", "the size in MiB must be at least 1");
    const fs::path dir = make_temp_dir("attach");
    int rc = bench(dir, static_cast<std::size_t>(arg));  // the vault is closed on return
    fs::remove_all(dir);
    return rc;
}
