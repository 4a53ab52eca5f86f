// SPDX-License-Identifier: GPL-3.0-or-later
// Sealing time: Records::seal (validate, seal the sensitive answers to the legal team,
// canonicalize, sign, append to the device log, durable commit with synchronous=FULL) over N
// records, and in the same run the references that show where the time goes: raw libsodium
// Ed25519 over BLAKE2b-512 of the same canonical bytes, a plain (unencrypted) SQLite durable
// commit of rows of the same size, validate + canonicalize alone, and sealing the sensitive
// answers alone. Ends with the time of DeviceLog::verify over the N records.
//
//   cmake --build build/release --target bench_seal && build/release/bench_seal [seals]

#include <sodium.h>
#include <unistd.h>

#define SQLITE_HAS_CODEC 1  // the project links SQLCipher; without a key it is plain SQLite
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/runtime.h"
#include "forms/json.h"
#include "forms/registry.h"
#include "forms/sealed.h"
#include "forms/validate.h"
#include "store/bundles.h"
#include "store/device_log.h"
#include "store/records.h"
#include "store/vault.h"

namespace fs = std::filesystem;
namespace json = svidok::forms::json;
using clk = std::chrono::steady_clock;

namespace {

double ms(clk::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

template <class F>
double time_ms(F&& f) {
    auto start = clk::now();
    f();
    return ms(clk::now() - start);
}

struct Stats {
    double median, p95, min, max;
};

// Nearest-rank percentiles.
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto rank = [&](double p) {
        auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
        return v[std::max<std::size_t>(i, 1) - 1];
    };
    return {rank(0.50), rank(0.95), v.front(), v.back()};
}

void row(const char* what, const Stats& s) {
    std::printf("| %-52s | %8.3f | %8.3f | %8.3f | %8.3f |\n", what, s.median, s.p95, s.min, s.max);
}

[[noreturn]] void die(const char* what, const std::string& why) {
    std::fprintf(stderr, "%s failed: %s\n", what, why.c_str());
    std::exit(1);
}

template <class T>
T check(svidok::Result<T> r, const char* what) {
    if (!r) die(what, r.error().message);
    if constexpr (!std::is_void_v<T>) return std::move(*r);
}

void sql(sqlite3* db, const char* text) {
    char* msg = nullptr;
    if (sqlite3_exec(db, text, nullptr, nullptr, &msg) != SQLITE_OK) {
        die(text, msg != nullptr ? msg : sqlite3_errmsg(db));
    }
}

void insert(sqlite3* db, sqlite3_stmt* st, int seq, const void* data, std::size_t size) {
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_blob(st, 2, data, static_cast<int>(size), SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) die("insert", sqlite3_errmsg(db));
    sqlite3_reset(st);
}

// The reference for the durable commit: a plain SQLite database in the same file system, with
// the vault's settings (page size 4096, rollback journal, synchronous=FULL), one transaction per
// "seal" inserting a record-sized document row and a 122-byte leaf row.
std::vector<double> plain_sqlite_commits(const fs::path& path, const std::string& doc, int n) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) die("sqlite3_open", sqlite3_errmsg(db));
    sql(db,
        "PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"
        "CREATE TABLE log (seq INTEGER PRIMARY KEY, leaf BLOB NOT NULL);"
        "CREATE TABLE documents (seq INTEGER PRIMARY KEY, bytes BLOB NOT NULL);");
    sqlite3_stmt* leaf = nullptr;
    sqlite3_stmt* document = nullptr;
    if (sqlite3_prepare_v2(db, "INSERT INTO log VALUES (?, ?)", -1, &leaf, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO documents VALUES (?, ?)", -1, &document, nullptr) !=
            SQLITE_OK) {
        die("prepare", sqlite3_errmsg(db));
    }
    std::array<unsigned char, 122> leaf_bytes{};
    std::vector<double> times;
    for (int i = 0; i < n; ++i) {
        randombytes_buf(leaf_bytes.data(), leaf_bytes.size());
        times.push_back(time_ms([&] {
            sql(db, "BEGIN IMMEDIATE");
            insert(db, leaf, i, leaf_bytes.data(), leaf_bytes.size());
            insert(db, document, i, doc.data(), doc.size());
            sql(db, "COMMIT");
        }));
    }
    sqlite3_finalize(leaf);
    sqlite3_finalize(document);
    sqlite3_close(db);
    return times;
}

// The reference for signing: Ed25519 over BLAKE2b-512 of the bytes, as minisign's prehashed
// format does for the document (the project also signs the trusted comment, a second Ed25519
// signature over 64 + ~50 bytes, which this reference leaves out).
std::vector<double> raw_sign(const std::string& doc, int n) {
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
    std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
    crypto_sign_keypair(pk.data(), sk.data());
    std::array<unsigned char, 64> hash{};
    std::array<unsigned char, crypto_sign_BYTES> sig{};
    const auto* bytes = reinterpret_cast<const unsigned char*>(doc.data());
    std::vector<double> times;
    for (int i = 0; i < n; ++i) {
        times.push_back(time_ms([&] {
            crypto_generichash(hash.data(), hash.size(), bytes, doc.size(), nullptr, 0);
            crypto_sign_detached(sig.data(), nullptr, hash.data(), hash.size(), sk.data());
        }));
    }
    sodium_memzero(sk.data(), sk.size());
    return times;
}

int run(const fs::path& dir, int n) {
    // Small Argon2id parameters: unlock time is not measured here (see bench_unlock).
    auto created = check(
        svidok::store::Vault::create(
            dir / "vault", svidok::crypto::as_bytes("benchmark passphrase 1"),
            svidok::store::CreateOptions{svidok::crypto::KdfParams{1, 64u << 10},
                                         svidok::store::VaultPolicy{.enforce_kdf_floor = false}}),
        "vault create");
    auto& vault = created.vault;
    auto registry = check(svidok::forms::load_builtin(), "load_builtin");
    auto records = check(svidok::store::Records::open(vault, registry), "Records::open");
    // Sensitive answers are sealed to a legal team (docs/FORMAT.md 9.6): one age key here.
    const auto legal = svidok::crypto::X25519Identity::generate();
    {
        svidok::store::Bundles bundles(records);
        check(bundles.add_recipient("legal-team", legal.recipient().to_string(), std::nullopt),
              "add_recipient");
        check(bundles.set_seal_recipients(std::vector<std::string>{"legal-team"}),
              "set_seal_recipients");
    }

    // The example answers, with nothing attached (references to unattached files are refused).
    const auto* form = registry.find("forced-mobilization");
    if (form == nullptr) die("forms", "forced-mobilization is not built in");
    json::Value answers = form->example();
    for (auto& [key, section] : answers.as_object()) {
        if (key == "evidence") section.set("attachments", json::Array{});
    }

    std::vector<double> seal;
    svidok::store::SignedDocument last;
    for (int i = 0; i < n; ++i) {
        auto id = check(records.create_draft(*form, answers), "create_draft");  // not timed
        seal.push_back(time_ms([&] { last = check(records.seal(id), "seal"); }));
    }
    svidok::store::LogReport report;
    double verify_ms =
        time_ms([&] { report = check(svidok::store::DeviceLog(vault).verify(), "verify"); });

    std::vector<double> checks;
    for (int i = 0; i < n; ++i) {
        checks.push_back(time_ms([&] {
            if (!svidok::forms::validate(*form, answers).empty()) die("validate", "issues");
            check(json::canonicalize(answers), "canonicalize");
        }));
    }
    // Sealing the sensitive answers alone: one age file each (X25519 and ChaCha20-Poly1305).
    std::vector<double> sealing;
    const std::vector<svidok::crypto::X25519Recipient> to{legal.recipient()};
    const auto record = svidok::forms::random_record_id();
    for (int i = 0; i < n; ++i) {
        sealing.push_back(time_ms([&] {
            check(svidok::forms::seal_answers(*form, record, answers, to), "seal_answers");
        }));
    }
    auto sign = raw_sign(last.bytes, n);
    auto commit = plain_sqlite_commits(dir / "plain.db", last.bytes, n);

    std::printf("%d seals of form %s v%lld; record %zu bytes, .minisig %zu bytes\n", n,
                form->id().c_str(), static_cast<long long>(form->version()), last.bytes.size(),
                last.minisig.size());
    std::printf("\n| %-52s | %8s | %8s | %8s | %8s |\n", "ms", "median", "p95", "min", "max");
    std::printf("| %s | -------: | -------: | -------: | -------: |\n",
                std::string(52, '-').c_str());
    row("Records::seal (SQLCipher, synchronous=FULL)", stats(seal));
    row("ref: validate + canonicalize answers", stats(checks));
    char sealing_row[64];
    std::snprintf(sealing_row, sizeof sealing_row, "ref: seal %zu sensitive answers (age, 1 key)",
                  svidok::forms::answers_to_seal(*form, answers));
    row(sealing_row, stats(sealing));
    row("ref: libsodium BLAKE2b-512 + Ed25519 sign", stats(sign));
    row("ref: plain SQLite txn, 2 INSERTs + COMMIT (FULL)", stats(commit));
    std::printf("\nlog: %llu leaves, verify %s in %.1f ms (%llu records, %llu versions)\n",
                static_cast<unsigned long long>(report.size), report.ok() ? "ok" : "FAILED",
                verify_ms, static_cast<unsigned long long>(report.records),
                static_cast<unsigned long long>(report.versions));
    for (const auto& p : report.problems) std::printf("  problem: %s\n", p.c_str());
    return report.ok() && report.size == static_cast<std::uint64_t>(n) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    check(svidok::crypto::init_and_self_test(), "self-test");
    int n = argc > 1 ? std::atoi(argv[1]) : 200;
    if (n < 1) die("arguments", "the number of seals must be at least 1");
    auto dir = fs::temp_directory_path() / ("svidok-bench-seal-" + std::to_string(getpid()));
    fs::create_directories(dir);
    int rc = run(dir, n);  // the vault is closed on return
    fs::remove_all(dir);
    return rc;
}
