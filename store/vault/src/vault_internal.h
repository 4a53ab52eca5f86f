// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the vault layer: what the vault's translation units share. vault.cpp creates and
// opens, vault_databases.cpp builds and opens the two databases (FORMAT.md 3, 16),
// vault_settings.cpp holds the duress passphrase and the failed-attempt limit (FORMAT.md 15.2, 16).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/secure_buffer.h"
#include "db.h"
#include "store/guard.h"
#include "store/keyslots.h"
#include "store/vault.h"

namespace svidok::store {

namespace detail {

inline constexpr const char* kPartialDbName = "vault.db.partial";
inline constexpr const char* kPartialAltDbName = "vault.alt.db.partial";

/// An exclusive advisory lock on DIR/vault.lock for the life of an open vault, so two Svidok
/// processes never rewrite vault.keys or a database at the same time.
class DirLock {
public:
    [[nodiscard]] static Result<DirLock> acquire(const std::filesystem::path& dir);
    DirLock(DirLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    DirLock& operator=(DirLock&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;
    ~DirLock();

private:
    explicit DirLock(int fd) noexcept : fd_(fd) {}
    int fd_;
};

/// Overwrites every byte of the open regular file `fd` with random bytes and fsyncs it, as the
/// panic wipe does with the key file (FORMAT.md 15.1). `path` names it in errors.
[[nodiscard]] Result<> overwrite_file(int fd, const std::filesystem::path& path);

/// Creates a vault database at `path` (replacing a leftover): schema, meta.vault_id,
/// meta.created_at, a freshly generated identity, and meta.alt_key when `alt_key` is given.
[[nodiscard]] Result<> build_database(const std::filesystem::path& path,
                                      const crypto::SecureBuffer& key, const VaultId& vault_id,
                                      const crypto::SecureBuffer* alt_key);

/// Opens a vault database with its key, migrates it, and checks meta.vault_id (Errc::integrity
/// when it belongs to another vault).
[[nodiscard]] Result<Db> open_database(const std::filesystem::path& path,
                                       const crypto::SecureBuffer& key, const VaultId& vault_id);

/// The decoy's key from the real database, creating vault.alt.db (and the key) first when the
/// vault has none: every vault ends up with both databases (FORMAT.md 16).
[[nodiscard]] Result<crypto::SecureBuffer> ensure_decoy(const std::filesystem::path& dir, Db& real,
                                                        const VaultId& vault_id);

// The meta table (FORMAT.md 3). Absent keys are nullopt.
[[nodiscard]] Result<std::optional<crypto::SecureBuffer>> meta_secret(Db& db, std::string_view key);
[[nodiscard]] Result<std::optional<std::string>> meta_text(Db& db, std::string_view key);
[[nodiscard]] Result<std::optional<std::int64_t>> meta_int(Db& db, std::string_view key);
[[nodiscard]] Result<> put_meta(Db& db, std::string_view key, std::span<const unsigned char> blob);
[[nodiscard]] Result<> put_meta(Db& db, std::string_view key, std::string_view text);
[[nodiscard]] Result<> put_meta(Db& db, std::string_view key, std::int64_t value);
[[nodiscard]] Result<> delete_meta(Db& db, std::string_view key);

/// A wrong secret under a failed-attempt limit: counts it, or wipes the vault when it reaches
/// the limit (FORMAT.md 15.2). Returns the error to give, `wrong` itself or one that says the
/// vault was wiped.
[[nodiscard]] Error count_failure(const std::filesystem::path& dir, Error wrong);

/// After the real database opened: makes vault.guard hold the limit stored in it with no
/// failures, and returns that limit; adds a notice when the file had to be restored.
[[nodiscard]] std::uint32_t sync_guard(const std::filesystem::path& dir, Db& real,
                                       const Result<GuardState>& file, bool file_present,
                                       std::vector<std::string>& notices);

}  // namespace detail

/// Which database a session holds, and why.
enum class SessionKind {
    real,    // vault.db, opened with the passphrase or the recovery code
    duress,  // vault.alt.db, opened with the duress passphrase
    decoy,   // vault.alt.db, opened with the real passphrase to prepare it
};

struct Vault::Impl {
    std::filesystem::path dir;
    detail::DirLock lock;
    KeysFile keys;
    crypto::SecureBuffer data_key;  // the key of `db`
    SlotKind opened_with;           // what opened_with() reports
    SessionKind session;
    std::size_t slot_index;  // the slot that opened
    std::uint8_t slot_flags;
    std::uint32_t wipe_after;  // the limit in effect
    std::vector<std::string> notices;
    Db db;
};

}  // namespace svidok::store
