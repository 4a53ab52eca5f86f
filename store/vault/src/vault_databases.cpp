// SPDX-License-Identifier: GPL-3.0-or-later
// The two databases of a vault (docs/FORMAT.md 3 and 16) and the lock that guards them.

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "forms/record.h"
#include "schema.h"
#include "store/atomic_file.h"
#include "store/clock.h"
#include "store/identity.h"
#include "store/vault_paths.h"
#include "vault_internal.h"

namespace svidok::store::detail {
namespace fs = std::filesystem;

Result<DirLock> DirLock::acquire(const fs::path& dir) {
    auto path = dir / kVaultLockName;
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int err = errno;
        if (err == EACCES || err == EROFS || err == EPERM) {
            return fail(
                Errc::io,
                "the vault directory " + dir.string() + " is not writable: " + errno_text(err),
                "Svidok needs write access to its vault directory; check its "
                "permissions or whether the disk is mounted read-only");
        }
        return fail(Errc::io, "cannot open " + path.string() + ": " + errno_text(err));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return fail(Errc::io, "the vault " + dir.string() + " is open in another Svidok process",
                    "close the other window or command first");
    }
    return DirLock(fd);
}

DirLock::~DirLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

Result<std::optional<crypto::SecureBuffer>> meta_secret(Db& db, std::string_view key) {
    auto st = db.prepare("SELECT value FROM meta WHERE key = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, key);
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<crypto::SecureBuffer>{};
    return std::optional<crypto::SecureBuffer>(st->column_secret(0));
}

Result<std::optional<std::string>> meta_text(Db& db, std::string_view key) {
    auto st = db.prepare("SELECT value FROM meta WHERE key = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, key);
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>(st->column_text(0));
}

Result<std::optional<std::int64_t>> meta_int(Db& db, std::string_view key) {
    auto st = db.prepare("SELECT value FROM meta WHERE key = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, key);
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>(st->column_int(0));
}

namespace {

template <class Bind>
Result<> put_meta_with(Db& db, std::string_view key, Bind&& bind) {
    auto st = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    if (!st) return std::unexpected(st.error());
    st->bind(1, key);
    bind(*st);
    return st->run();
}

}  // namespace

Result<> put_meta(Db& db, std::string_view key, std::span<const unsigned char> blob) {
    return put_meta_with(db, key, [&](Stmt& st) { st.bind_blob(2, blob); });
}

Result<> put_meta(Db& db, std::string_view key, std::string_view text) {
    return put_meta_with(db, key, [&](Stmt& st) { st.bind(2, text); });
}

Result<> put_meta(Db& db, std::string_view key, std::int64_t value) {
    return put_meta_with(db, key, [&](Stmt& st) { st.bind(2, value); });
}

Result<> delete_meta(Db& db, std::string_view key) {
    auto st = db.prepare("DELETE FROM meta WHERE key = ?");
    if (!st) return std::unexpected(st.error());
    st->bind(1, key);
    return st->run();
}

Result<> build_database(const fs::path& path, const crypto::SecureBuffer& key,
                        const VaultId& vault_id, const crypto::SecureBuffer* alt_key) {
    std::error_code ec;
    fs::remove(path, ec);
    fs::remove(fs::path(path.string() + "-journal"), ec);
    auto db = Db::open(path, key, /*create=*/true);
    if (!db) return std::unexpected(db.error());
    if (auto r = migrate(*db); !r) return r;
    auto txn = Transaction::begin(*db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = put_meta(*db, "vault_id", vault_id); !r) return r;
    if (auto r = put_meta(*db, "created_at", utc_now()); !r) return r;
    if (alt_key != nullptr) {
        if (auto r = put_meta(*db, "alt_key", alt_key->span()); !r) return r;
    }
    // Each database has its own identity: a decoy that signed as the real device would fork
    // the real device's log.
    const Identity identity = Identity::generate();
    auto ins = db->prepare(
        "INSERT INTO identity (id, sign_key_id, sign_sk, log_sk, x25519_sk, device_id, "
        "created_at) VALUES (1, ?, ?, ?, ?, ?, ?)");
    if (!ins) return std::unexpected(ins.error());
    ins->bind_blob(1, identity.sign_key_id)
        .bind_blob(2, identity.sign_sk.span())
        .bind_blob(3, identity.log_sk.span())
        .bind_blob(4, identity.x25519_sk.span())
        .bind_blob(5, identity.device_id)
        .bind(6, utc_now());
    if (auto r = ins->run(); !r) return r;
    return txn->commit();
}

Result<Db> open_database(const fs::path& path, const crypto::SecureBuffer& key,
                         const VaultId& vault_id) {
    auto db = Db::open(path, key, /*create=*/false);
    if (!db) return std::unexpected(db.error());
    if (auto r = migrate(*db); !r) return std::unexpected(r.error());
    auto st = db->prepare("SELECT value FROM meta WHERE key = 'vault_id'");
    if (!st) return std::unexpected(st.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row ||
        st->column_blob(0) != std::vector<unsigned char>(vault_id.begin(), vault_id.end())) {
        return fail(
            Errc::integrity,
            path.filename().string() + " belongs to a different vault than vault.keys",
            "put back the " + path.filename().string() + " that was created with this vault.keys");
    }
    return db;
}

Result<crypto::SecureBuffer> ensure_decoy(const fs::path& dir, Db& real, const VaultId& vault_id) {
    auto stored = meta_secret(real, "alt_key");
    if (!stored) return std::unexpected(stored.error());
    const fs::path alt = dir / kVaultAltDbName;
    struct stat st {};
    const bool exists = ::lstat(alt.c_str(), &st) == 0;
    if (*stored && (*stored)->size() != kDataKeyBytes) {
        return fail(Errc::corrupt, "vault.db: the decoy database's key has the wrong size");
    }
    if (*stored && exists) return std::move(**stored);

    // The key is committed before the file is built, so a crash in between rebuilds the file
    // under the same key next time. A vault.alt.db without a key in vault.db (never written by
    // Svidok in that order) cannot be read by anyone and is replaced.
    crypto::SecureBuffer key(kDataKeyBytes);
    if (*stored) {
        key = std::move(**stored);
    } else {
        randombytes_buf(key.data(), key.size());
        if (auto r = put_meta(real, "alt_key", key.span()); !r) return std::unexpected(r.error());
    }
    const fs::path partial = dir / kPartialAltDbName;
    if (auto r = build_database(partial, key, vault_id, nullptr); !r) {
        std::error_code ec;
        fs::remove(partial, ec);
        return std::unexpected(r.error());
    }
    if (::rename(partial.c_str(), alt.c_str()) != 0) {
        return fail(Errc::io, "cannot move the decoy database into place: " + errno_text(errno));
    }
    if (auto r = fsync_directory(dir); !r) return std::unexpected(r.error());
    return key;
}

}  // namespace svidok::store::detail
