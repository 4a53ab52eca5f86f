// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers: RAII over SQLCipher handles (SQLiteCpp's shape, without its
// std::string key). Only the store layers include sqlite3.h, through this header.

#define SQLITE_HAS_CODEC 1
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/error.h"
#include "crypto/secure_buffer.h"

namespace svidok::store {

class Stmt;

/// An open, keyed SQLCipher database.
class Db {
public:
    /// Opens (create = true: creates) `path`, keys it with the raw 32-byte `data_key`, applies
    /// cipher_page_size 4096, temp_store MEMORY, synchronous FULL, foreign keys, and checks
    /// that the key decrypts the file. Errc::integrity when it does not ("does not match").
    [[nodiscard]] static Result<Db> open(const std::filesystem::path& path,
                                         const crypto::SecureBuffer& data_key, bool create);

    Db(Db&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
    Db& operator=(Db&& o) noexcept;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    ~Db();

    /// Runs SQL without results (several statements allowed).
    [[nodiscard]] Result<> exec(const char* sql);
    [[nodiscard]] Result<Stmt> prepare(std::string_view sql);
    [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
    /// Rows the last INSERT, UPDATE or DELETE changed.
    [[nodiscard]] int changes() const noexcept;

private:
    explicit Db(sqlite3* db) noexcept : db_(db) {}
    sqlite3* db_ = nullptr;
};

/// A prepared statement. bind_* take 1-based indexes; step() returns true while a row is
/// available.
class Stmt {
public:
    Stmt(Stmt&& o) noexcept : st_(std::exchange(o.st_, nullptr)), db_(o.db_) {}
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& operator=(Stmt&&) = delete;
    ~Stmt();

    Stmt& bind(int i, std::int64_t v);
    Stmt& bind(int i, std::string_view text);
    Stmt& bind_blob(int i, std::span<const unsigned char> blob);
    Stmt& bind_null(int i);

    [[nodiscard]] Result<bool> step();
    /// Steps once, expecting completion (INSERT/UPDATE/DELETE).
    [[nodiscard]] Result<> run();
    void reset() noexcept;

    [[nodiscard]] std::int64_t column_int(int i) const noexcept;
    [[nodiscard]] std::string column_text(int i) const;
    /// A text or blob column's bytes without a copy, valid until the next step() or reset().
    [[nodiscard]] std::string_view column_view(int i) const noexcept;
    [[nodiscard]] std::vector<unsigned char> column_blob(int i) const;
    /// Copies a blob column straight into secure memory.
    [[nodiscard]] crypto::SecureBuffer column_secret(int i) const;
    [[nodiscard]] bool column_is_null(int i) const noexcept;

private:
    friend class Db;
    Stmt(sqlite3_stmt* st, sqlite3* db) noexcept : st_(st), db_(db) {}
    sqlite3_stmt* st_;
    sqlite3* db_;
};

/// Copies a fixed-size blob column; Errc::corrupt when its size differs.
template <class Array>
[[nodiscard]] Result<Array> fixed_blob(const Stmt& st, int column, const char* what) {
    auto raw = st.column_blob(column);
    Array out{};
    if (raw.size() != out.size()) {
        return fail(Errc::corrupt, std::string("vault.db: ") + what + " has the wrong size");
    }
    std::copy(raw.begin(), raw.end(), out.begin());
    return out;
}

/// Steps `st` to the end, reading each row with `read` (a function of const Stmt& returning
/// Result<T>); stops at the first error.
template <class T, class Read>
[[nodiscard]] Result<std::vector<T>> collect_rows(Stmt& st, Read read) {
    std::vector<T> out;
    for (;;) {
        auto row = st.step();
        if (!row) return std::unexpected(row.error());
        if (!*row) return out;
        auto item = read(std::as_const(st));
        if (!item) return std::unexpected(item.error());
        out.push_back(std::move(*item));
    }
}

/// Rolls back in its destructor unless commit() succeeded.
class Transaction {
public:
    [[nodiscard]] static Result<Transaction> begin(Db& db);
    Transaction(Transaction&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();
    [[nodiscard]] Result<> commit();

private:
    explicit Transaction(Db* db) noexcept : db_(db) {}
    Db* db_;
};

}  // namespace svidok::store
