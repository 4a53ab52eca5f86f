// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>

#include "crypto/encoding.h"
#include "db.h"
#include "file_io.h"
#include "store/atomic_file.h"
#include "store/recovery_code.h"
#include "store/vault_paths.h"
#include "vault_internal.h"
#include "vault_layer.h"

namespace svidok::store {
namespace fs = std::filesystem;

namespace {

using detail::DirLock;
using detail::kPartialAltDbName;
using detail::kPartialDbName;

constexpr std::size_t kMaxKeysFileRead = 4096;
constexpr const char* kFilesDirName = "attachments";

// Each layer above removes what a crash left in its files (vault_layer.h), then the files
// directory is made sure of.
Result<> tidy_layers(const fs::path& dir, Db* real, Result<Db>* decoy,
                     std::vector<std::string>& notices) {
    for (const detail::LayerHooks* layer : detail::registered_layers()) {
        if (layer->tidy_at_open == nullptr) continue;
        if (auto r = layer->tidy_at_open(dir, real, decoy, notices); !r) return r;
    }
    return detail::ensure_files_dir(dir);
}

Result<> check_floor(const crypto::KdfParams& p, const VaultPolicy& policy) {
    if (policy.enforce_kdf_floor && crypto::below_floor(p)) {
        return fail(Errc::invalid,
                    "the vault's key derivation is weaker than the minimum (Argon2id t=" +
                        std::to_string(p.opslimit) + ", " + std::to_string(p.memlimit >> 20) +
                        " MiB; the minimum is t=3, 256 MiB)",
                    "this vault was not created by a shipped Svidok binary");
    }
    return {};
}

Result<KeysFile> load_keys(const fs::path& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
        return fail(Errc::not_found, "no vault at " + dir.string(),
                    "create one with `svidok-cli init`, or pass --vault DIR");
    }
    if (!fs::is_directory(dir, ec)) return fail(Errc::io, dir.string() + " is not a directory");
    auto bytes = read_small_file(dir / kVaultKeysName, kMaxKeysFileRead);
    if (!bytes) {
        if (bytes.error().code != Errc::not_found) return std::unexpected(bytes.error());
        if (fs::exists(dir / kPartialDbName, ec) || fs::exists(dir / kPartialAltDbName, ec)) {
            return fail(Errc::corrupt,
                        "the vault in " + dir.string() +
                            " was never completed "
                            "(creation was interrupted)",
                        "move the directory away and run `svidok-cli init` again");
        }
        if (fs::exists(dir / kVaultDbName, ec)) {
            return fail(Errc::corrupt,
                        "vault.keys is missing from " + dir.string() +
                            "; vault.db cannot be opened without it",
                        "restore vault.keys from a backup of this vault");
        }
        return fail(Errc::not_found, "no vault at " + dir.string(),
                    "create one with `svidok-cli init`, or pass --vault DIR");
    }
    auto keys = KeysFile::parse(*bytes);
    if (!keys) return std::unexpected(std::move(keys.error()));
    return keys;
}

}  // namespace

Vault::Vault(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Vault::Vault(Vault&&) noexcept = default;
Vault& Vault::operator=(Vault&&) noexcept = default;
Vault::~Vault() = default;

const fs::path& Vault::dir() const noexcept {
    return impl_->dir;
}
VaultId Vault::id() const noexcept {
    return impl_->keys.vault_id();
}
crypto::KdfParams Vault::kdf() const noexcept {
    return impl_->keys.kdf();
}
SlotKind Vault::opened_with() const noexcept {
    return impl_->opened_with;
}
bool Vault::is_decoy_session() const noexcept {
    return impl_->session == SessionKind::decoy;
}
const std::vector<std::string>& Vault::notices() const noexcept {
    return impl_->notices;
}
unsigned Vault::wipe_after() const noexcept {
    return impl_->wipe_after;
}

Result<std::size_t> utf8_length(std::span<const unsigned char> s) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++count) {
        unsigned char c = s[i];
        std::size_t n = c < 0x80           ? 1
                        : (c >> 5) == 0x6  ? 2
                        : (c >> 4) == 0xe  ? 3
                        : (c >> 3) == 0x1e ? 4
                                           : 0;
        if (n == 0 || i + n > s.size()) return fail(Errc::invalid, "the text is not valid UTF-8");
        std::uint32_t cp = n == 1 ? c : c & (0x7f >> n);
        for (std::size_t k = 1; k < n; ++k) {
            if ((s[i + k] & 0xc0) != 0x80)
                return fail(Errc::invalid, "the text is not valid UTF-8");
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        static constexpr std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return fail(Errc::invalid, "the text is not valid UTF-8");
        }
        i += n;
    }
    return count;
}

Result<> check_new_passphrase(std::span<const unsigned char> passphrase) {
    auto n = utf8_length(passphrase);
    if (!n) return fail(Errc::invalid, "the passphrase is not valid UTF-8 text");
    if (*n < kMinPassphraseChars) {
        return fail(Errc::invalid,
                    "the passphrase is too short (" + std::to_string(*n) +
                        " characters; at least " + std::to_string(kMinPassphraseChars) +
                        " are required)",
                    "use several words: a long passphrase is easier to remember than a complex "
                    "short one");
    }
    return {};
}

Result<Vault::Created> Vault::create(const fs::path& dir, std::span<const unsigned char> passphrase,
                                     const CreateOptions& options) {
    if (auto r = check_new_passphrase(passphrase); !r) return std::unexpected(r.error());
    crypto::KdfParams kdf;
    if (options.kdf) {
        kdf = *options.kdf;
    } else {
        auto calibrated = crypto::calibrate_argon2id(std::chrono::milliseconds(1000));
        if (!calibrated) return std::unexpected(calibrated.error());
        kdf = *calibrated;
    }
    if (auto r = check_floor(kdf, options.policy); !r) return std::unexpected(r.error());

    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir, ec)) return fail(Errc::io, dir.string() + " is not a directory");
        if (fs::exists(dir / kVaultKeysName, ec) || fs::exists(dir / kVaultDbName, ec) ||
            fs::exists(dir / kVaultAltDbName, ec)) {
            return fail(Errc::exists, dir.string() + " already holds a vault",
                        "choose another directory with --vault, or unlock the existing vault");
        }
    } else {
        fs::create_directories(dir, ec);
        if (ec) return fail(Errc::io, "cannot create " + dir.string() + ": " + ec.message());
        fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    auto lock = DirLock::acquire(dir);
    if (!lock) return std::unexpected(lock.error());

    VaultId vault_id{};
    randombytes_buf(vault_id.data(), vault_id.size());
    crypto::SecureBuffer data_key(kDataKeyBytes), alt_key(kDataKeyBytes);
    randombytes_buf(data_key.data(), data_key.size());
    randombytes_buf(alt_key.data(), alt_key.size());

    // Both databases are built under temporary names and only renamed into place after
    // vault.keys is durable, so a crash never leaves a vault.db nobody can open.
    const fs::path partial = dir / kPartialDbName, alt_partial = dir / kPartialAltDbName;
    auto cleanup = [&] {
        for (const auto& p : {partial, alt_partial}) {
            fs::remove(p, ec);
            fs::remove(fs::path(p.string() + "-journal"), ec);
        }
    };
    if (auto r = detail::build_database(partial, data_key, vault_id, &alt_key); !r) {
        cleanup();
        return std::unexpected(r.error());
    }
    if (auto r = detail::build_database(alt_partial, alt_key, vault_id, nullptr); !r) {
        cleanup();
        return std::unexpected(r.error());
    }

    KeysFile keys = KeysFile::create(kdf, vault_id);
    auto kek = keys.passphrase_kek(passphrase);
    if (!kek) {
        cleanup();
        return std::unexpected(kek.error());
    }
    keys.seal(kPassphraseSlot, SlotKind::passphrase, *kek, data_key);
    auto recovery_secret = generate_recovery_secret();
    keys.seal(kRecoverySlot, SlotKind::recovery, keys.recovery_kek(recovery_secret), data_key);
    if (auto r = write_file_atomic(dir / kVaultKeysName, keys.bytes()); !r) {
        cleanup();
        return std::unexpected(r.error());
    }
    fs::rename(partial, dir / kVaultDbName, ec);
    if (ec) return fail(Errc::io, "cannot move the new database into place: " + ec.message());
    fs::rename(alt_partial, dir / kVaultAltDbName, ec);
    if (ec) return fail(Errc::io, "cannot move the decoy database into place: " + ec.message());
    if (auto r = fsync_directory(dir); !r) return std::unexpected(r.error());
    if (auto r = write_guard(dir, GuardState{}); !r) return std::unexpected(r.error());
    if (auto r = detail::ensure_files_dir(dir); !r) return std::unexpected(r.error());

    auto db = Db::open(dir / kVaultDbName, data_key, /*create=*/false);
    if (!db) return std::unexpected(db.error());
    auto impl = std::make_unique<Impl>(Impl{dir,
                                            std::move(*lock),
                                            std::move(keys),
                                            std::move(data_key),
                                            SlotKind::passphrase,
                                            SessionKind::real,
                                            kPassphraseSlot,
                                            0,
                                            0,
                                            {},
                                            std::move(*db)});
    return Created{Vault(std::move(impl)), format_recovery_code(recovery_secret)};
}

Result<KeysFile> Vault::read_keys(const fs::path& dir) {
    return load_keys(dir);
}

Result<GuardState> Vault::failed_attempts(const fs::path& dir) {
    return read_guard(dir);
}

namespace {

// The duress slot opened (FORMAT.md 16): destroy the other slots first when it says so, then
// open the decoy. Only *.partial leftovers are removed: an unknown blob may be the real
// database's.
Result<std::unique_ptr<Vault::Impl>> open_duress(const fs::path& dir, DirLock lock, KeysFile keys,
                                                 OpenedSlot slot, std::uint32_t wipe_after) {
    if ((slot.flags & kFlagDestroyOthers) != 0) {
        for (std::size_t i = 0; i < kSlotCount; ++i) {
            if (i != slot.index) keys.clear(i);
        }
        // The rename releases the old file's blocks without erasing them; a descriptor opened
        // before it lets them be overwritten afterwards, as the panic wipe does. Atomic first:
        // the duress slot must still open if the power fails in between.
        const fs::path path = dir / kVaultKeysName;
        Fd old(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
        if (auto r = write_file_atomic(path, keys.bytes()); !r) return std::unexpected(r.error());
        if (old.get() >= 0) (void)detail::overwrite_file(old.get(), path);
    }
    auto db = detail::open_database(dir / kVaultAltDbName, slot.data_key, keys.vault_id());
    if (!db) return std::unexpected(db.error());
    std::vector<std::string> notices;
    if (auto r = tidy_layers(dir, nullptr, nullptr, notices); !r) return std::unexpected(r.error());
    return std::make_unique<Vault::Impl>(
        Vault::Impl{dir, std::move(lock), std::move(keys), std::move(slot.data_key),
                    SlotKind::passphrase, SessionKind::duress, slot.index, slot.flags, wipe_after,
                    std::move(notices), std::move(*db)});
}

}  // namespace

template <class Unlock>
Result<Vault> Vault::open_impl(const fs::path& dir, const VaultPolicy& policy, bool prepare_decoy,
                               Unlock&& unlock) {
    auto keys = load_keys(dir);
    if (!keys) return std::unexpected(keys.error());
    if (auto r = check_floor(keys->kdf(), policy); !r) return std::unexpected(r.error());
    auto lock = DirLock::acquire(dir);
    if (!lock) return std::unexpected(lock.error());
    Result<OpenedSlot> slot = unlock(*keys);
    if (!slot) {
        if (slot.error().code != Errc::auth_failed) return std::unexpected(slot.error());
        return std::unexpected(detail::count_failure(dir, std::move(slot.error())));
    }
    const bool guard_present = ::access((dir / kVaultGuardName).c_str(), F_OK) == 0;
    const Result<GuardState> guard = read_guard(dir);

    if (slot->kind == SlotKind::duress) {
        // The right secret: the count starts again, as for any other unlock. The real
        // database is not read, so a damaged counter stays as it is.
        if (guard && guard->failures != 0) (void)write_guard(dir, GuardState{guard->limit, 0});
        auto impl = open_duress(dir, std::move(*lock), std::move(*keys), std::move(*slot),
                                guard ? guard->limit : 0);
        if (!impl) return std::unexpected(impl.error());
        return Vault(std::move(*impl));
    }

    std::error_code ec;
    if (!fs::exists(dir / kVaultDbName, ec)) {
        return fail(Errc::corrupt, "vault.db is missing from " + dir.string(),
                    "restore vault.db from a backup of this vault");
    }
    const VaultId id = keys->vault_id();
    auto db = detail::open_database(dir / kVaultDbName, slot->data_key, id);
    if (!db) return std::unexpected(db.error());
    auto alt_key = detail::ensure_decoy(dir, *db, id);
    if (!alt_key) return std::unexpected(alt_key.error());
    std::vector<std::string> notices;
    const std::uint32_t wipe_after = detail::sync_guard(dir, *db, guard, guard_present, notices);

    if (prepare_decoy) {
        auto decoy = detail::open_database(dir / kVaultAltDbName, *alt_key, id);
        if (!decoy) return std::unexpected(std::move(decoy.error()).wrap("the decoy database"));
        if (auto r = tidy_layers(dir, nullptr, nullptr, notices); !r) {
            return std::unexpected(r.error());
        }
        return Vault(std::make_unique<Impl>(
            Impl{dir, std::move(*lock), std::move(*keys), std::move(*alt_key), slot->kind,
                 SessionKind::decoy, slot->index, slot->flags, wipe_after, std::move(notices),
                 std::move(*decoy)}));
    }

    // The layers above see both databases, so a file either names is known; the decoy is
    // passed as the attempt to open it, which may have failed.
    auto decoy = detail::open_database(dir / kVaultAltDbName, *alt_key, id);
    if (auto r = tidy_layers(dir, &*db, &decoy, notices); !r) return std::unexpected(r.error());
    return Vault(std::make_unique<Impl>(Impl{dir, std::move(*lock), std::move(*keys),
                                             std::move(slot->data_key), slot->kind,
                                             SessionKind::real, slot->index, slot->flags,
                                             wipe_after, std::move(notices), std::move(*db)}));
}

namespace {

Result<OpenedSlot> open_with_passphrase(const KeysFile& keys,
                                        std::span<const unsigned char> passphrase,
                                        std::span<const SlotKind> kinds) {
    auto kek = keys.passphrase_kek(passphrase);
    if (!kek) return std::unexpected(kek.error());
    auto slot = keys.open(*kek, kinds);
    if (!slot && slot.error().code == Errc::auth_failed) {
        return fail(Errc::auth_failed, "wrong passphrase",
                    "check the keyboard layout and caps lock; if it is lost, use "
                    "`svidok-cli recover` with the recovery code");
    }
    return slot;
}

}  // namespace

Result<Vault> Vault::open(const fs::path& dir, std::span<const unsigned char> passphrase,
                          const VaultPolicy& policy) {
    return open_impl(dir, policy, false, [&](const KeysFile& keys) {
        static constexpr std::array kinds{SlotKind::passphrase, SlotKind::duress};
        return open_with_passphrase(keys, passphrase, kinds);
    });
}

Result<Vault> Vault::open_decoy(const fs::path& dir, std::span<const unsigned char> passphrase,
                                const VaultPolicy& policy) {
    return open_impl(dir, policy, true, [&](const KeysFile& keys) {
        static constexpr std::array kinds{SlotKind::passphrase};
        return open_with_passphrase(keys, passphrase, kinds);
    });
}

Result<Vault> Vault::open_with_recovery(const fs::path& dir, std::string_view recovery_code,
                                        const VaultPolicy& policy) {
    return open_impl(dir, policy, false, [&](const KeysFile& keys) -> Result<OpenedSlot> {
        auto secret = parse_recovery_code(recovery_code);
        if (!secret) return std::unexpected(secret.error());
        static constexpr std::array kinds{SlotKind::recovery};
        auto slot = keys.open(keys.recovery_kek(*secret), kinds);
        if (!slot && slot.error().code == Errc::auth_failed) {
            return fail(Errc::auth_failed, "this recovery code does not open this vault",
                        "check that it is the code shown when this vault was created");
        }
        return slot;
    });
}

Db& detail::database(Vault& vault) noexcept {
    return vault.impl_->db;
}

fs::path detail::files_dir(const fs::path& vault_dir) {
    return vault_dir / kFilesDirName;
}

Result<> detail::ensure_files_dir(const fs::path& vault_dir) {
    const fs::path dir = files_dir(vault_dir);
    if (::mkdir(dir.c_str(), 0700) == 0) return fsync_directory(vault_dir);
    if (errno == EEXIST) return {};
    return fail(Errc::io, "cannot create " + dir.string() + ": " + errno_text(errno));
}

Result<Identity> Vault::identity() const {
    auto st = impl_->db.prepare(
        "SELECT sign_key_id, sign_sk, log_sk, x25519_sk, device_id FROM identity WHERE id = 1");
    if (!st) return std::unexpected(st.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return fail(Errc::corrupt, "the vault has no identity keys");
    Identity id;
    auto key_id = st->column_blob(0);
    auto device = st->column_blob(4);
    std::copy(key_id.begin(), key_id.end(), id.sign_key_id.begin());
    std::copy(device.begin(), device.end(), id.device_id.begin());
    id.sign_sk = st->column_secret(1);
    id.log_sk = st->column_secret(2);
    id.x25519_sk = st->column_secret(3);
    return id;
}

}  // namespace svidok::store
