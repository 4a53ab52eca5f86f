// SPDX-License-Identifier: GPL-3.0-or-later
#include "db.h"

#include <malloc.h>
#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace svidok::store {
namespace {

// SQLite's memory, wiped when freed. Decrypted pages sit in SQLCipher's page cache (SQLCipher
// 3.4 wipes only its own key material), and rows are copied into statement buffers; closing
// the database frees them, and without this their plaintext would stay in freed heap memory
// after the vault is locked. Sizes come from malloc_usable_size, so no header is needed.
void* sqlite_malloc(int n) {
    return std::malloc(static_cast<std::size_t>(n));
}

void sqlite_free(void* p) {
    if (p == nullptr) return;
    sodium_memzero(p, malloc_usable_size(p));
    std::free(p);
}

void* sqlite_realloc(void* p, int n) {
    void* q = std::malloc(static_cast<std::size_t>(n));
    if (q == nullptr) return nullptr;  // SQLite keeps p
    std::memcpy(q, p, std::min(malloc_usable_size(p), static_cast<std::size_t>(n)));
    sqlite_free(p);
    return q;
}

int sqlite_size(void* p) {
    return static_cast<int>(malloc_usable_size(p));
}
int sqlite_roundup(int n) {
    return (n + 7) & ~7;
}
int sqlite_init(void*) {
    return SQLITE_OK;
}
void sqlite_shutdown(void*) {}

/// Installs the wiping allocator once, before SQLite initialises (which sqlite3_open does).
Result<> install_wiping_allocator() {
    static int rc = [] {
        static const sqlite3_mem_methods methods{sqlite_malloc,   sqlite_free,    sqlite_realloc,
                                                 sqlite_size,     sqlite_roundup, sqlite_init,
                                                 sqlite_shutdown, nullptr};
        return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
    }();
    if (rc != SQLITE_OK) {
        return fail(Errc::internal,
                    "SQLite was initialised before its memory could be made to wipe itself");
    }
    return {};
}

}  // namespace

Db& Db::operator=(Db&& o) noexcept {
    if (this != &o) {
        if (db_ != nullptr) sqlite3_close_v2(db_);
        db_ = std::exchange(o.db_, nullptr);
    }
    return *this;
}

Db::~Db() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
}

Result<Db> Db::open(const std::filesystem::path& path, const crypto::SecureBuffer& data_key,
                    bool create) {
    if (data_key.size() != 32) std::abort();
    if (auto r = install_wiping_allocator(); !r) return std::unexpected(r.error());
    sqlite3* raw = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) {
        return fail(rc == SQLITE_CANTOPEN ? Errc::not_found : Errc::io,
                    "cannot open " + path.string() + ": " +
                        (raw != nullptr ? sqlite3_errmsg(raw) : "out of memory"));
    }
    // Raw key: x'<64 hex>' makes SQLCipher skip its own PBKDF2 (the key is already random).
    crypto::SecureBuffer literal(67);
    literal.data()[0] = 'x';
    literal.data()[1] = '\'';
    sodium_bin2hex(reinterpret_cast<char*>(literal.data() + 2), 65, data_key.data(), 32);
    literal.data()[66] = '\'';
    if (sqlite3_key(raw, literal.data(), static_cast<int>(literal.size())) != SQLITE_OK) {
        return fail(Errc::internal, "sqlcipher refused the key");
    }
    if (auto r = db.exec("PRAGMA cipher_page_size = 4096;"); !r) return std::unexpected(r.error());
    // The first read decrypts page 1: a wrong key or a foreign file fails here.
    auto st = db.prepare("SELECT count(*) FROM sqlite_master");
    if (!st) {
        return fail(Errc::integrity, path.filename().string() +
                                         " cannot be decrypted with this vault's key: it does not "
                                         "belong to this vault.keys or is damaged");
    }
    auto row = st->step();
    if (!row) {
        return fail(Errc::integrity, path.filename().string() +
                                         " cannot be decrypted with this vault's key: it does not "
                                         "belong to this vault.keys or is damaged");
    }
    if (auto r = db.exec("PRAGMA temp_store = MEMORY; PRAGMA synchronous = FULL;"
                         "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;");
        !r) {
        return std::unexpected(r.error());
    }
    return db;
}

int Db::changes() const noexcept {
    return sqlite3_changes(db_);
}

Result<> Db::exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string text = msg != nullptr ? msg : sqlite3_errmsg(db_);
        sqlite3_free(msg);
        return fail(Errc::io, "database: " + text);
    }
    return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) !=
        SQLITE_OK) {
        return fail(Errc::io, std::string("database: ") + sqlite3_errmsg(db_));
    }
    return Stmt(st, db_);
}

Stmt::~Stmt() {
    if (st_ != nullptr) sqlite3_finalize(st_);
}

Stmt& Stmt::bind(int i, std::int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
}
Stmt& Stmt::bind(int i, std::string_view text) {
    sqlite3_bind_text(st_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}
Stmt& Stmt::bind_blob(int i, std::span<const unsigned char> blob) {
    // An empty span may have no data pointer, which SQLite would bind as NULL.
    static const unsigned char kEmpty = 0;
    sqlite3_bind_blob(st_, i, blob.empty() ? &kEmpty : blob.data(), static_cast<int>(blob.size()),
                      SQLITE_TRANSIENT);
    return *this;
}
Stmt& Stmt::bind_null(int i) {
    sqlite3_bind_null(st_, i);
    return *this;
}

Result<bool> Stmt::step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Errc code = (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) ? Errc::integrity : Errc::io;
    std::string hint = rc == SQLITE_FULL ? "free some disk space and try again" : "";
    return fail(code, std::string("database: ") + sqlite3_errmsg(db_), hint);
}

Result<> Stmt::run() {
    auto r = step();
    if (!r) return std::unexpected(r.error());
    sqlite3_reset(st_);
    return {};
}

void Stmt::reset() noexcept {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
}

std::int64_t Stmt::column_int(int i) const noexcept {
    return sqlite3_column_int64(st_, i);
}

std::string Stmt::column_text(int i) const {
    const auto* p = sqlite3_column_text(st_, i);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(st_, i)));
}

std::string_view Stmt::column_view(int i) const noexcept {
    // For a text column, sqlite3_column_blob gives the text's bytes as stored, without converting.
    const auto* p = static_cast<const char*>(sqlite3_column_blob(st_, i));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(st_, i));
    return p == nullptr ? std::string_view() : std::string_view(p, n);
}

std::vector<unsigned char> Stmt::column_blob(int i) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(st_, i));
    auto n = static_cast<std::size_t>(sqlite3_column_bytes(st_, i));
    return p == nullptr ? std::vector<unsigned char>() : std::vector<unsigned char>(p, p + n);
}

crypto::SecureBuffer Stmt::column_secret(int i) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(st_, i));
    auto n = static_cast<std::size_t>(sqlite3_column_bytes(st_, i));
    return crypto::SecureBuffer::copy_of(std::span<const unsigned char>(p, p == nullptr ? 0 : n));
}

bool Stmt::column_is_null(int i) const noexcept {
    return sqlite3_column_type(st_, i) == SQLITE_NULL;
}

Result<Transaction> Transaction::begin(Db& db) {
    if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return std::unexpected(r.error());
    return Transaction(&db);
}

Transaction::~Transaction() {
    if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Result<> Transaction::commit() {
    if (auto r = db_->exec("COMMIT"); !r) return r;
    db_ = nullptr;
    return {};
}

}  // namespace svidok::store
