// SPDX-License-Identifier: GPL-3.0-or-later
// Re-keying the vault and rotating the recovery code (docs/FORMAT.md 2.1, 2.2).
//
// Why copies and not PRAGMA rekey: rekey rewrites the database in place inside one transaction
// whose rollback journal holds every old page (decryptable with the old key) and is deleted,
// not overwritten; a crash in the middle leaves a hot journal that must be replayed with the
// old key while vault.keys may already hold only the new one. sqlcipher_export writes a fresh
// file no old-key page ever touched, the switch is the one atomic write of vault.keys, and the
// old file is overwritten whole once it is replaced.

#include <sodium.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>

#include "store/atomic_file.h"
#include "store/recovery_code.h"
#include "store/vault_paths.h"
#include "vault_internal.h"

namespace svidok::store {
namespace fs = std::filesystem;

namespace {

void remove_with_journal(const fs::path& p) {
    std::error_code ec;
    fs::remove(p, ec);
    fs::remove(fs::path(p.string() + "-journal"), ec);
}

// Step 1: both copies under the new keys, durable. `keep_duress`: whether meta.duress stays.
Result<> write_copies(Vault::Impl& impl, const VaultId& id, const crypto::SecureBuffer& data_key,
                      const crypto::SecureBuffer& alt_key, bool keep_duress) {
    const fs::path next = impl.dir / detail::kNextDbName;
    const fs::path alt_next = impl.dir / detail::kNextAltDbName;
    auto old_alt_key = detail::meta_secret(impl.db, "alt_key");
    if (!old_alt_key) return std::unexpected(old_alt_key.error());
    if (!*old_alt_key || (*old_alt_key)->size() != kDataKeyBytes) {
        return fail(Errc::corrupt, "vault.db holds no key for the decoy database");
    }
    if (auto r = impl.db.export_copy(next, data_key); !r) return r;
    {
        auto copy = detail::open_database(next, data_key, id);
        if (!copy) return std::unexpected(copy.error());
        auto txn = Transaction::begin(*copy);
        if (!txn) return std::unexpected(txn.error());
        if (auto r = detail::put_meta(*copy, "alt_key", alt_key.span()); !r) return r;
        if (!keep_duress) {
            if (auto r = detail::delete_meta(*copy, "duress"); !r) return r;
        }
        if (auto r = txn->commit(); !r) return r;
    }
    {
        auto alt = detail::open_database(impl.dir / kVaultAltDbName, **old_alt_key, id);
        if (!alt) return std::unexpected(std::move(alt.error()).wrap("the decoy database"));
        if (auto r = alt->export_copy(alt_next, alt_key); !r) return r;
    }
    return fsync_directory(impl.dir);
}

crypto::SecureBuffer random_key() {
    crypto::SecureBuffer key(kDataKeyBytes);
    randombytes_buf(key.data(), key.size());
    return key;
}

}  // namespace

Result<> detail::settle_rekey(const fs::path& db, const fs::path& next,
                              const crypto::SecureBuffer& key, const VaultId& vault_id) {
    struct stat st {};
    if (::lstat(next.c_str(), &st) != 0) return {};
    bool committed = false;
    {
        auto copy = open_database(next, key, vault_id);
        // Only "not under this key" may discard it: an I/O error says nothing about whether
        // vault.keys already points at the copy.
        if (!copy && copy.error().code != Errc::integrity) return std::unexpected(copy.error());
        committed = copy.has_value();
    }
    if (!committed) {
        remove_with_journal(next);
        return fsync_directory(db.parent_path());
    }
    return rename_scrubbing_old(next, db);
}

Result<crypto::SecureBuffer> Vault::new_recovery_code() {
    Impl& impl = *impl_;
    if (auto r = detail::require_real(impl, "a new recovery code"); !r)
        return std::unexpected(r.error());
    auto keys = detail::current_keys(impl);
    if (!keys) return std::unexpected(keys.error());
    const crypto::SecureBuffer secret = generate_recovery_secret();
    keys->seal(kRecoverySlot, SlotKind::recovery, keys->recovery_kek(secret), impl.data_key);
    if (auto r = detail::write_keys(impl, std::move(*keys), nullptr); !r)
        return std::unexpected(r.error());
    return format_recovery_code(secret);
}

Result<crypto::SecureBuffer> Vault::rekey(
    std::span<const unsigned char> new_passphrase,
    std::optional<std::span<const unsigned char>> duress_passphrase) {
    Impl& impl = *impl_;
    if (auto r = detail::require_real(impl, "re-keying the vault"); !r)
        return std::unexpected(r.error());
    if (auto r = check_new_passphrase(new_passphrase); !r) return std::unexpected(r.error());
    auto keys = detail::current_keys(impl);
    if (!keys) return std::unexpected(keys.error());
    auto kek = keys->passphrase_kek(new_passphrase);
    if (!kek) return std::unexpected(kek.error());

    std::optional<crypto::SecureBuffer> duress_kek;
    std::uint8_t duress_flags = 0;
    if (duress_passphrase) {
        auto k = keys->passphrase_kek(*duress_passphrase);
        if (!k) return std::unexpected(k.error());
        static constexpr std::array kDuress{SlotKind::duress};
        auto slot = keys->open(*k, kDuress);
        if (!slot && slot.error().code == Errc::auth_failed) {
            return fail(Errc::auth_failed, "rekey.wrong_duress", {},
                        "the duress passphrase typed does not open the duress slot; nothing was "
                        "changed",
                        "type the duress passphrase that is set, or leave it out to clear it");
        }
        if (!slot) return std::unexpected(slot.error());
        if (sodium_memcmp(k->data(), kek->data(), k->size()) == 0) {
            return fail(Errc::invalid, "rekey.same_as_duress", {},
                        "the new passphrase is the duress passphrase",
                        "choose a different passphrase");
        }
        duress_kek = std::move(*k);
        duress_flags = slot->flags;
    }

    const VaultId id = keys->vault_id();
    const fs::path next = impl.dir / detail::kNextDbName;
    const fs::path alt_next = impl.dir / detail::kNextAltDbName;
    const auto drop_copies = [&] {
        remove_with_journal(next);
        remove_with_journal(alt_next);
    };
    crypto::SecureBuffer data_key = random_key(), alt_key = random_key();
    if (auto r = write_copies(impl, id, data_key, alt_key, duress_kek.has_value()); !r) {
        drop_copies();
        return std::unexpected(r.error());
    }

    // Step 2, the commit point: vault.keys wraps only the new keys.
    const auto before = keys->bytes();
    const std::vector<unsigned char> previous(before.begin(), before.end());
    const crypto::SecureBuffer secret = generate_recovery_secret();
    keys->seal(kPassphraseSlot, SlotKind::passphrase, *kek, data_key);
    keys->seal(kRecoverySlot, SlotKind::recovery, keys->recovery_kek(secret), data_key);
    if (duress_kek) {
        keys->seal(kDuressSlot, SlotKind::duress, *duress_kek, alt_key, duress_flags);
    } else {
        keys->clear(kDuressSlot);
    }
    if (auto r = detail::write_keys(impl, std::move(*keys), nullptr); !r) {
        // The copies are useless once the previous file is back; otherwise the next unlock
        // decides with whichever key vault.keys gives.
        auto now = read_small_file(impl.dir / kVaultKeysName, kKeysFileBytes);
        if (now && *now == previous) drop_copies();
        return std::unexpected(r.error());
    }

    // Step 3: the copies replace the databases (the old files overwritten). The session's
    // connection is closed first: it must not outlive the file it reads.
    { Db closing = std::move(impl.db); }
    impl.data_key = std::move(data_key);
    if (auto r = detail::settle_rekey(impl.dir / kVaultDbName, next, impl.data_key, id); !r) {
        impl.notices.push_back(r.error().message);
    }
    if (auto r = detail::settle_rekey(impl.dir / kVaultAltDbName, alt_next, alt_key, id); !r) {
        impl.notices.push_back(r.error().message);
    }
    auto db = detail::open_database(impl.dir / kVaultDbName, impl.data_key, id);
    if (!db) {
        return fail(Errc::io, "rekey.not_reopened", {},
                    "the vault was re-keyed and the new passphrase is in effect, but it could not "
                    "be reopened (" +
                        db.error().message + "); the new recovery code was not shown",
                    "unlock the vault with the new passphrase and make a new recovery code");
    }
    impl.db = std::move(*db);
    return format_recovery_code(secret);
}

}  // namespace svidok::store
