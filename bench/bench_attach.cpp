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

extern char** environ;

namespace fs = std::filesystem;
namespace json = svidok::forms::json;
namespace store = svidok::store;
using clk = std::chrono::steady_clock;

namespace {

constexpr int kRounds = 3;
fs::path g_dir;  // the temp dir, removed on failure too

[[noreturn]] void die(const char* what, const std::string& why) {
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

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Runs a program (searched in PATH) and waits for it; any failure aborts. `quiet` sends its
// stderr to /dev/null (age-keygen prints the public key there).
void run(std::vector<std::string> args, bool quiet = false) {
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

void fsync_path(const fs::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) die("fsync", p.string() + ": " + std::strerror(errno));
    ::close(fd);
}

void make_random_file(const fs::path& p, std::size_t mib) {
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) die("create", p.string() + ": " + std::strerror(errno));
    std::vector<unsigned char> buf(1u << 20);
    for (std::size_t i = 0; i < mib; ++i) {
        randombytes_buf(buf.data(), buf.size());
        for (std::size_t off = 0; off < buf.size();) {
            ssize_t n = ::write(fd, buf.data() + off, buf.size() - off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) die("write", p.string() + ": " + std::strerror(errno));
            off += static_cast<std::size_t>(n);
        }
    }
    if (::close(fd) != 0) die("close", p.string() + ": " + std::strerror(errno));
}

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
        if (attached.already_attached || attached.info.size != mib << 20) die("attach", "unexpected result");
        ::sync();
        extract.push_back(time_s(
            [&] { check(attachments.extract(id, attached.info.sha256, extracted), "extract"); }));
        fs::remove(extracted);

        ::sync();
        age_enc.push_back(
            time_s([&] { run({"age", "-r", recipient, "-o", sealed.string(), src.string()}); }));
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
    std::printf("%zu MiB random file, %d interleaved rounds, wall clock; medians (raw times in s)\n",
                mib, kRounds);
    std::printf("\n| %-44s | %8s | %8s | %-23s |\n", "operation", "median s", "MiB/s", "raw s");
    std::printf("| %s | -------: | -------: | ----------------------- |\n", std::string(44, '-').c_str());
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
        "\nnote: Svidok fsyncs what it writes (durability is a requirement; extract also fsyncs its\n"
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
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                        "/svidok-bench-attach-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) die("mkdtemp", templ + ": " + std::strerror(errno));
    const fs::path dir = templ;
    g_dir = dir;
    int rc = bench(dir, static_cast<std::size_t>(arg));  // the vault is closed on return
    fs::remove_all(dir);
    return rc;
}
