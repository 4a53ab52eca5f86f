// SPDX-License-Identifier: GPL-3.0-or-later
// Attachment storage, for the same plaintext (64 KiB chunks generated in memory from a fixed
// seed, so no source file is read): (A) 64 KiB chunk rows in a fresh SQLCipher database opened as
// store/src/db.cpp does, in a WITHOUT ROWID table (A1) and a rowid table with a unique index (A2),
// one transaction; (B) one file sealed with crypto_secretstream_xchacha20poly1305 (random key),
// fsync + rename + directory fsync. Both hash the plaintext with SHA-256 on write and on read
// back (must match). 3 interleaved runs per variant, medians; the page cache cannot be dropped,
// so reads may come from RAM. References: in-memory generation, SHA-256, secretstream.
//
//   cmake --build build/release --target bench_attach_storage
//   build/release/bench_attach_storage [MiB]        (default 1024)

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#define SQLITE_HAS_CODEC 1
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/hash.h"
#include "crypto/runtime.h"

namespace fs = std::filesystem;
using clk = std::chrono::steady_clock;
using svidok::crypto::ByteView;
using svidok::crypto::Sha256;
using svidok::crypto::Sha256Digest;

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kHeader = 32;  // placeholder for the file's own header (magic, version)
constexpr std::size_t kStreamHeader = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kSealed = kChunk + crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr unsigned char kFinal = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
using Key = std::array<unsigned char, 32>;

[[noreturn]] void die(const char* what, const std::string& why) {
    std::fprintf(stderr, "%s failed: %s\n", what, why.c_str());
    std::exit(1);
}
void check_errno(long rc, const char* what) {
    if (rc < 0) die(what, std::strerror(errno));
}
double secs(clk::time_point t) {
    return std::chrono::duration<double>(clk::now() - t).count();
}
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}
std::uint64_t size_of(const fs::path& p) {  // 0 if absent
    std::error_code ec;
    auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}
double as_mib(std::uint64_t bytes) {
    return static_cast<double>(bytes) / 1048576.0;
}

// Chunk i of the plaintext: ChaCha20 keystream from a fixed seed with i in its first 8 bytes.
void plaintext(std::uint64_t i, unsigned char* out) {
    std::array<unsigned char, randombytes_SEEDBYTES> seed;
    seed.fill(0x5a);
    std::memcpy(seed.data(), &i, sizeof i);
    randombytes_buf_deterministic(out, kChunk, seed.data());
}

struct Run {
    double write_s = 0, read_s = 0;
    std::uint64_t size = 0, peak = 0, journal_peak = 0, journal_after = 0;
};

// ---- A: SQLCipher with the vault's settings ----
void sql(sqlite3* db, const char* text) {
    char* msg = nullptr;
    if (sqlite3_exec(db, text, nullptr, nullptr, &msg) != SQLITE_OK) {
        die(text, msg != nullptr ? msg : sqlite3_errmsg(db));
    }
}
sqlite3_stmt* prepare(sqlite3* db, const char* text) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, text, -1, &st, nullptr) != SQLITE_OK) die(text, sqlite3_errmsg(db));
    return st;
}
sqlite3* open_db(const fs::path& path, const Key& key) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        die("sqlite3_open_v2", db != nullptr ? sqlite3_errmsg(db) : "out of memory");
    }
    std::array<char, 67> literal{'x', '\''};  // x'<64 hex>': raw key, no PBKDF2
    sodium_bin2hex(literal.data() + 2, 65, key.data(), key.size());
    literal[66] = '\'';
    if (sqlite3_key(db, literal.data(), static_cast<int>(literal.size())) != SQLITE_OK) {
        die("sqlite3_key", sqlite3_errmsg(db));
    }
    sodium_memzero(literal.data(), literal.size());
    sql(db,
        "PRAGMA cipher_page_size = 4096; SELECT count(*) FROM sqlite_master;"
        "PRAGMA temp_store = MEMORY; PRAGMA synchronous = FULL;"
        "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;");
    return db;
}
void close_db(sqlite3* db) {
    if (sqlite3_close(db) != SQLITE_OK) die("sqlite3_close", sqlite3_errmsg(db));
}

Run run_sqlcipher(const fs::path& path, std::uint64_t n, bool rowid, const Sha256Digest& want) {
    Key key;
    randombytes_buf(key.data(), key.size());
    fs::path journal = path.string() + "-journal";
    sqlite3* db = open_db(path, key);
    sql(db, rowid ? "CREATE TABLE chunks(blob INTEGER, idx INTEGER, data BLOB);"
                    "CREATE UNIQUE INDEX chunks_key ON chunks(blob, idx);"
                  : "CREATE TABLE chunks(blob INTEGER, idx INTEGER, data BLOB,"
                    " PRIMARY KEY(blob, idx)) WITHOUT ROWID;");
    sqlite3_stmt* ins = prepare(db, "INSERT INTO chunks VALUES (1, ?, ?)");
    std::vector<unsigned char> buf(kChunk);
    Run r;
    auto sample = [&] {  // disk use while the transaction is open
        std::uint64_t j = size_of(journal);
        r.journal_peak = std::max(r.journal_peak, j);
        r.peak = std::max(r.peak, size_of(path) + j);
    };
    Sha256 hash;
    auto start = clk::now();
    sql(db, "BEGIN IMMEDIATE");
    for (std::uint64_t i = 0; i < n; ++i) {
        plaintext(i, buf.data());
        hash.update(ByteView(buf));
        sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(i));
        sqlite3_bind_blob(ins, 2, buf.data(), static_cast<int>(buf.size()), SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) die("insert", sqlite3_errmsg(db));
        sqlite3_reset(ins);
        if (i % 128 == 127) sample();  // every 8 MiB
    }
    sample();
    sql(db, "COMMIT");
    r.write_s = secs(start);
    r.journal_after = size_of(journal);
    sample();
    sqlite3_finalize(ins);
    close_db(db);
    if (hash.finish() != want) die("sqlcipher write", "plaintext hash differs");

    start = clk::now();
    db = open_db(path, key);
    sqlite3_stmt* sel = prepare(db, "SELECT data FROM chunks WHERE blob = 1 ORDER BY idx");
    Sha256 back;
    std::uint64_t count = 0;
    int rc = 0;
    for (; (rc = sqlite3_step(sel)) == SQLITE_ROW; ++count) {
        const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(sel, 0));
        back.update(ByteView(p, static_cast<std::size_t>(sqlite3_column_bytes(sel, 0))));
    }
    if (rc != SQLITE_DONE) die("select", sqlite3_errmsg(db));
    sqlite3_finalize(sel);
    close_db(db);
    r.read_s = secs(start);
    if (count != n || back.finish() != want) die("sqlcipher read", "chunks or hash differ");
    r.size = size_of(path);
    sodium_memzero(key.data(), key.size());
    fs::remove(path);
    return r;
}

// ---- B: one file per attachment, crypto_secretstream_xchacha20poly1305 ----
void write_all(int fd, const unsigned char* p, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        check_errno(w, "write");
        p += w;
        n -= static_cast<std::size_t>(w);
    }
}
std::size_t read_full(int fd, unsigned char* p, std::size_t n) {  // short only at end of file
    std::size_t got = 0;
    while (got < n) {
        ssize_t r = ::read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        check_errno(r, "read");
        if (r == 0) break;
        got += static_cast<std::size_t>(r);
    }
    return got;
}

Run run_file(const fs::path& dir, std::uint64_t n, const Sha256Digest& want) {
    Key key;
    crypto_secretstream_xchacha20poly1305_keygen(key.data());
    fs::path tmp = dir / "attach.tmp", final_path = dir / "attach.bin";
    std::array<unsigned char, kHeader + kStreamHeader> head{};
    std::vector<unsigned char> plain(kChunk), sealed(kSealed);
    crypto_secretstream_xchacha20poly1305_state st;
    Run r;
    Sha256 hash;
    auto start = clk::now();
    int fd = ::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    check_errno(fd, "open for writing");
    crypto_secretstream_xchacha20poly1305_init_push(&st, head.data() + kHeader, key.data());
    write_all(fd, head.data(), head.size());
    for (std::uint64_t i = 0; i < n; ++i) {
        plaintext(i, plain.data());
        hash.update(ByteView(plain));
        unsigned long long len = 0;
        crypto_secretstream_xchacha20poly1305_push(&st, sealed.data(), &len, plain.data(), kChunk,
                                                   nullptr, 0, i + 1 == n ? kFinal : 0);
        write_all(fd, sealed.data(), static_cast<std::size_t>(len));
    }
    check_errno(::fsync(fd), "fsync");
    check_errno(::close(fd), "close");
    check_errno(std::rename(tmp.c_str(), final_path.c_str()), "rename");
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    check_errno(dfd, "open directory");
    check_errno(::fsync(dfd), "fsync directory");
    check_errno(::close(dfd), "close directory");
    r.write_s = secs(start);
    if (hash.finish() != want) die("file write", "plaintext hash differs");

    start = clk::now();
    check_errno(fd = ::open(final_path.c_str(), O_RDONLY | O_CLOEXEC), "open for reading");
    if (read_full(fd, head.data(), head.size()) != head.size()) die("read", "short header");
    if (crypto_secretstream_xchacha20poly1305_init_pull(&st, head.data() + kHeader, key.data())) {
        die("init_pull", "invalid stream header");
    }
    Sha256 back;
    std::uint64_t count = 0;
    for (unsigned char tag = 0; tag != kFinal; ++count) {
        std::size_t got = read_full(fd, sealed.data(), sealed.size());
        if (got == 0) die("read", "stream truncated before the final chunk");
        unsigned long long len = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&st, plain.data(), &len, &tag, sealed.data(),
                                                       got, nullptr, 0) != 0) {
            die("pull", "chunk does not authenticate");
        }
        back.update(ByteView(plain.data(), static_cast<std::size_t>(len)));
    }
    if (read_full(fd, sealed.data(), 1) != 0) die("read", "data after the final chunk");
    check_errno(::close(fd), "close");
    r.read_s = secs(start);
    if (count != n || back.finish() != want) die("file read", "chunks or hash differ");
    r.size = r.peak = size_of(final_path);
    sodium_memzero(key.data(), key.size());
    fs::remove(final_path);
    return r;
}

// In-memory reference: MiB/s over n chunks, median of 3.
template <class F>
double ref_mibs(std::uint64_t n, F&& f) {
    std::vector<double> v;
    for (int k = 0; k < 3; ++k) {
        auto start = clk::now();
        for (std::uint64_t i = 0; i < n; ++i) f(i);
        v.push_back(static_cast<double>(n) / 16.0 / secs(start));
    }
    return median(v);
}

}  // namespace

int main(int argc, char** argv) {
    if (auto r = svidok::crypto::init_and_self_test(); !r) die("self-test", r.error().message);
    long mib = argc > 1 ? std::atol(argv[1]) : 1024;
    if (mib < 1) die("arguments", "the size in MiB must be at least 1");
    auto n = static_cast<std::uint64_t>(mib) * 16;  // 64 KiB chunks
    const char* tmpdir = std::getenv("TMPDIR");
    std::string dir_name =
        std::string(tmpdir != nullptr && *tmpdir ? tmpdir : "/tmp") + "/svidok-bench-attach-XXXXXX";
    if (::mkdtemp(dir_name.data()) == nullptr) die("mkdtemp", std::strerror(errno));
    fs::path dir = dir_name;

    std::vector<unsigned char> plain(kChunk), sealed(kSealed);
    Sha256 h;
    for (std::uint64_t i = 0; i < n; ++i) plaintext(i, plain.data()), h.update(ByteView(plain));
    Sha256Digest want = h.finish();

    sqlite3* probe = open_db(dir / "probe.db", Key{});
    std::printf("SQLite %s, SQLCipher", sqlite3_libversion());
    auto print = [](void*, int, char** v, char**) {
        std::printf(" %s", v[0] != nullptr ? v[0] : "?");
        return 0;
    };
    if (sqlite3_exec(probe, "PRAGMA cipher_version; PRAGMA cipher_provider;", print, nullptr,
                     nullptr) != SQLITE_OK) {
        die("PRAGMA cipher_version", sqlite3_errmsg(probe));
    }
    close_db(probe);
    fs::remove(dir / "probe.db");
    std::printf("; libsodium %s; dir %s\n", sodium_version_string(), dir.c_str());
    std::printf(
        "%ld MiB plaintext = %llu chunks of 64 KiB; 3 interleaved runs per variant, "
        "medians; page cache not dropped\n\n",
        mib, static_cast<unsigned long long>(n));

    const char* names[] = {"A1 SQLCipher, WITHOUT ROWID, PK(blob,idx)",
                           "A2 SQLCipher, rowid table + UNIQUE index",
                           "B  file, secretstream xchacha20poly1305"};
    std::vector<Run> runs[3];
    for (int round = 0; round < 3; ++round) {
        runs[0].push_back(run_sqlcipher(dir / "a1.db", n, false, want));
        runs[1].push_back(run_sqlcipher(dir / "a2.db", n, true, want));
        runs[2].push_back(run_file(dir, n, want));
    }
    double plain_bytes = static_cast<double>(n * kChunk), wr[3], rd[3];
    std::printf(
        "| %-41s | write MiB/s | read MiB/s | size MiB | overhead | peak MiB | "
        "journal peak / after |\n| %s | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        "variant (MiB/s = MiB of plaintext per s)", std::string(41, '-').c_str());
    for (int v = 0; v < 3; ++v) {
        std::vector<double> w, r;
        for (const auto& run : runs[v]) {
            w.push_back(static_cast<double>(mib) / run.write_s);
            r.push_back(static_cast<double>(mib) / run.read_s);
        }
        wr[v] = median(w), rd[v] = median(r);
        const Run& last = runs[v].back();  // sizes are the same in every run
        std::printf("| %-41s | %11.1f | %10.1f | %8.2f | %7.3f%% | %8.2f | %10llu B / %llu B |\n",
                    names[v], wr[v], rd[v], as_mib(last.size),
                    100.0 * (static_cast<double>(last.size) - plain_bytes) / plain_bytes,
                    as_mib(last.peak), static_cast<unsigned long long>(last.journal_peak),
                    static_cast<unsigned long long>(last.journal_after));
    }
    std::printf("\nraw runs, write s / read s:\n");
    for (int v = 0; v < 3; ++v) {
        std::printf("  %-41s", names[v]);
        for (const auto& run : runs[v]) std::printf("   %.3f / %.3f", run.write_s, run.read_s);
        std::printf("\n");
    }
    std::printf(
        "\nratio B/A (>1: file faster): vs A1 write %.2fx, read %.2fx; "
        "vs A2 write %.2fx, read %.2fx\n",
        wr[2] / wr[0], rd[2] / rd[0], wr[2] / wr[1], rd[2] / rd[1]);

    Key key;
    crypto_secretstream_xchacha20poly1305_keygen(key.data());
    std::array<unsigned char, kStreamHeader> head{};
    crypto_secretstream_xchacha20poly1305_state st;
    crypto_secretstream_xchacha20poly1305_init_push(&st, head.data(), key.data());
    Sha256 ref;
    std::printf("\nin-memory references, MiB/s, median of 3 over %ld MiB:\n", mib);
    std::printf("  plaintext generation (randombytes_buf_deterministic) %8.1f\n",
                ref_mibs(n, [&](std::uint64_t i) { plaintext(i, plain.data()); }));
    std::printf("  SHA-256 (svidok::crypto::Sha256)                     %8.1f\n",
                ref_mibs(n, [&](std::uint64_t) { ref.update(ByteView(plain)); }));
    std::printf("  secretstream xchacha20poly1305 push                  %8.1f\n",
                ref_mibs(n, [&](std::uint64_t) {
                    crypto_secretstream_xchacha20poly1305_push(&st, sealed.data(), nullptr,
                                                               plain.data(), kChunk, nullptr, 0, 0);
                }));
    (void)ref.finish();
    sodium_memzero(key.data(), key.size());
    fs::remove_all(dir);
    return 0;
}
