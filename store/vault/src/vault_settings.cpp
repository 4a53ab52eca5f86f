// SPDX-License-Identifier: GPL-3.0-or-later
// The settings that live in vault.keys and vault.guard: the passphrase, the duress passphrase
// (docs/FORMAT.md 16) and the failed-attempt limit (15.2).

#include <algorithm>
#include <array>
#include <vector>

#include "store/atomic_file.h"
#include "store/vault_paths.h"
#include "store/wipe.h"
#include "vault_internal.h"

namespace svidok::store {
namespace fs = std::filesystem;

namespace detail {

Error count_failure(const fs::path& dir, Error wrong) {
    // A damaged or unreadable counter counts nothing and blocks nothing (FORMAT.md 15.2).
    auto guard = read_guard(dir);
    if (!guard || guard->limit == 0) return wrong;
    const std::uint32_t failures = guard->failures + 1;
    if (failures < guard->limit) {
        if (auto r = write_guard(dir, GuardState{guard->limit, failures}); !r) {
            wrong.hint = "the failed attempt could not be counted: " + r.error().message;
        }
        return wrong;
    }
    const std::string n = std::to_string(guard->limit);
    auto wiped = wipe_vault(dir);
    if (!wiped) {
        return Error{
            wrong.code,
            wrong.message + "; after " + n +
                " failed attempts the vault was to be wiped, but: " + wiped.error().message,
            wiped.error().hint};
    }
    return Error{wrong.code,
                 wrong.message + "; this was failed attempt " + n + " of " + n +
                     ", so the vault was wiped as its settings asked",
                 "nothing of this vault is left in " + dir.string()};
}

std::uint32_t sync_guard(const fs::path& dir, Db& real, const Result<GuardState>& file,
                         bool file_present, std::vector<std::string>& notices) {
    std::uint32_t limit = 0;
    if (auto stored = meta_int(real, "wipe_after"); !stored) {
        notices.push_back("the failed-attempt limit could not be read: " + stored.error().message);
    } else if (*stored && (**stored < 0 || **stored > kMaxWipeAfter)) {
        notices.push_back(
            "the failed-attempt limit stored in the vault is out of range; it is off");
    } else if (*stored) {
        limit = static_cast<std::uint32_t>(**stored);
    }
    const GuardState want{limit, 0};
    if (file && file_present && *file == want) return limit;
    const std::string setting = limit == 0
                                    ? std::string("no failed-attempt limit")
                                    : "wipe after " + std::to_string(limit) + " failed attempts";
    std::string why;
    if (!file) {
        why = "vault.guard was unusable (" + file.error().message + ")";
    } else if (!file_present && limit != 0) {
        why = "vault.guard was missing";
    } else if (file->limit != limit) {
        why =
            "vault.guard said " +
            (file->limit == 0 ? std::string("no failed-attempt limit")
                              : "wipe after " + std::to_string(file->limit) + " failed attempts") +
            ", which is not the setting stored in the vault";
    }
    if (auto r = write_guard(dir, want); !r) {
        notices.push_back("vault.guard could not be written (" + r.error().message +
                          "); the failed-attempt limit is not in effect");
    } else if (!why.empty()) {
        notices.push_back(why + "; it was restored from the vault: " + setting);
    }
    return limit;
}

}  // namespace detail

namespace {

constexpr std::array kPassphraseKinds{SlotKind::passphrase, SlotKind::duress};

// vault.keys as it is on disk now (so nothing another slot holds is lost), checked to be this
// vault's.
Result<KeysFile> current_keys(const Vault::Impl& impl) {
    auto current = Vault::read_keys(impl.dir);
    if (!current) return std::unexpected(current.error());
    if (current->vault_id() != impl.keys.vault_id()) {
        return fail(Errc::integrity, "vault.keys was replaced while the vault was open");
    }
    return current;
}

Result<> require_real(const Vault::Impl& impl, std::string_view what) {
    if (impl.session == SessionKind::real) return {};
    return fail(
        Errc::usage,
        std::string(what) + " needs the vault unlocked with its passphrase or recovery code",
        impl.session == SessionKind::decoy ? "unlock without the decoy option" : "");
}

// Replaces vault.keys with `next`. write_file_atomic can fail after the new file took the name
// (the directory could not be synced); a failure reported to the interviewer must then change
// nothing, or the passphrase they were told was not changed would no longer open the vault. So
// the previous bytes are put back whenever the file on disk is not `previous` (found by
// tests/store/test_faults.cpp).
Result<> replace_keys(const fs::path& path, std::span<const unsigned char> previous,
                      std::span<const unsigned char> next) {
    auto r = write_file_atomic(path, next);
    if (r) return r;
    auto now = read_small_file(path, kKeysFileBytes);
    if (now && std::ranges::equal(*now, previous)) return r;
    if (auto back = write_file_atomic(path, previous); !back) {
        return fail(Errc::io,
                    r.error().message + "; the previous vault.keys could not be put back (" +
                        back.error().message +
                        "): the new passphrase may be the one that opens the vault",
                    "try the new passphrase, then the old one, then the recovery code");
    }
    return r;
}

// Writes `keys` while `txn` holds the matching change to the database, committing after the
// file is in place; if the commit fails the previous file is put back.
Result<> write_keys_with(Vault::Impl& impl, KeysFile keys, Transaction& txn) {
    const fs::path path = impl.dir / kVaultKeysName;
    auto before = current_keys(impl);
    if (!before) return std::unexpected(before.error());
    if (auto r = replace_keys(path, before->bytes(), keys.bytes()); !r) return r;
    if (auto r = txn.commit(); !r) {
        (void)write_file_atomic(path, before->bytes());
        return r;
    }
    impl.keys = std::move(keys);
    return {};
}

}  // namespace

Result<> Vault::change_passphrase(std::span<const unsigned char> new_passphrase) {
    Impl& impl = *impl_;
    if (impl.session == SessionKind::decoy) {
        return fail(Errc::usage, "the passphrase cannot be changed while preparing the decoy",
                    "unlock without the decoy option");
    }
    if (auto r = check_new_passphrase(new_passphrase); !r) return r;
    auto current = current_keys(impl);
    if (!current) return std::unexpected(current.error());
    auto kek = current->passphrase_kek(new_passphrase);
    if (!kek) return std::unexpected(kek.error());
    const bool duress = impl.session == SessionKind::duress;
    const std::size_t target = duress ? impl.slot_index : kPassphraseSlot;
    // One passphrase never opens two slots: open() would take the first, and the duress
    // passphrase would silently open the real vault (or the other way round).
    if (auto other = current->open(*kek, kPassphraseKinds); other && other->index != target) {
        return fail(
            Errc::invalid,
            duress ? std::string("choose a different passphrase")
                   : std::string("the new passphrase is the duress passphrase"),
            duress ? "" : "choose a different passphrase, or clear the duress passphrase first");
    } else if (!other && other.error().code != Errc::auth_failed) {
        return std::unexpected(other.error());
    }
    const auto previous = current->bytes();
    const std::vector<unsigned char> before(previous.begin(), previous.end());
    if (duress) {
        current->seal(target, SlotKind::duress, *kek, impl.data_key, impl.slot_flags);
    } else {
        current->seal(target, SlotKind::passphrase, *kek, impl.data_key);
    }
    if (auto r = replace_keys(impl.dir / kVaultKeysName, before, current->bytes()); !r) return r;
    impl.keys = std::move(*current);
    return {};
}

Result<> Vault::set_duress(std::span<const unsigned char> duress_passphrase, bool destroy_real) {
    Impl& impl = *impl_;
    if (auto r = require_real(impl, "setting a duress passphrase"); !r) return r;
    if (auto r = check_new_passphrase(duress_passphrase); !r) return r;
    auto keys = current_keys(impl);
    if (!keys) return std::unexpected(keys.error());
    auto kek = keys->passphrase_kek(duress_passphrase);
    if (!kek) return std::unexpected(kek.error());
    static constexpr std::array kOwn{SlotKind::passphrase};
    if (auto own = keys->open(*kek, kOwn); own) {
        return fail(Errc::invalid, "the duress passphrase must differ from the vault's passphrase",
                    "choose a passphrase that is easy to give up under pressure and is not "
                    "the real one");
    } else if (own.error().code != Errc::auth_failed) {
        return std::unexpected(own.error());
    }
    auto alt_key = detail::meta_secret(impl.db, "alt_key");
    if (!alt_key) return std::unexpected(alt_key.error());
    if (!*alt_key || (*alt_key)->size() != kDataKeyBytes) {
        return fail(Errc::corrupt, "vault.db holds no key for the decoy database");
    }
    keys->seal(kDuressSlot, SlotKind::duress, *kek, **alt_key,
               destroy_real ? kFlagDestroyOthers : std::uint8_t{0});
    auto txn = Transaction::begin(impl.db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = detail::put_meta(impl.db, "duress",
                                  std::string_view(destroy_real ? "destroy" : "keep"));
        !r) {
        return r;
    }
    return write_keys_with(impl, std::move(*keys), *txn);
}

Result<> Vault::clear_duress() {
    Impl& impl = *impl_;
    if (auto r = require_real(impl, "clearing the duress passphrase"); !r) return r;
    auto keys = current_keys(impl);
    if (!keys) return std::unexpected(keys.error());
    keys->clear(kDuressSlot);
    auto txn = Transaction::begin(impl.db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = detail::delete_meta(impl.db, "duress"); !r) return r;
    return write_keys_with(impl, std::move(*keys), *txn);
}

Result<DuressStatus> Vault::duress_status() {
    auto value = detail::meta_text(impl_->db, "duress");
    if (!value) return std::unexpected(value.error());
    if (!*value) return DuressStatus{};
    if (**value == "keep") return DuressStatus{true, false};
    if (**value == "destroy") return DuressStatus{true, true};
    return fail(Errc::corrupt, "vault.db: the duress setting has an unknown value");
}

Result<> Vault::set_wipe_after(unsigned limit) {
    Impl& impl = *impl_;
    if (limit > kMaxWipeAfter) {
        return fail(Errc::invalid, "the failed-attempt limit is at most 99",
                    "choose 1 to 99 failed attempts, or off");
    }
    if (impl.session == SessionKind::decoy) {
        return fail(Errc::usage, "the failed-attempt limit belongs to the real vault",
                    "unlock without the decoy option");
    }
    const GuardState want{static_cast<std::uint32_t>(limit), 0};
    // In a duress session only the file changes: the decoy's database is not where the real
    // setting lives, and the next real unlock restores that one.
    if (impl.session == SessionKind::duress) {
        if (auto r = write_guard(impl.dir, want); !r) return r;
        impl.wipe_after = want.limit;
        return {};
    }
    auto txn = Transaction::begin(impl.db);
    if (!txn) return std::unexpected(txn.error());
    if (auto r = limit == 0 ? detail::delete_meta(impl.db, "wipe_after")
                            : detail::put_meta(impl.db, "wipe_after", std::int64_t{limit});
        !r) {
        return r;
    }
    const auto before = read_guard(impl.dir);
    if (auto r = write_guard(impl.dir, want); !r) return r;
    if (auto r = txn->commit(); !r) {
        if (before) (void)write_guard(impl.dir, *before);
        return r;
    }
    impl.wipe_after = want.limit;
    return {};
}

}  // namespace svidok::store
