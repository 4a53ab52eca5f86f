// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <ctime>

#include "blob_files.h"
#include "crypto/encoding.h"
#include "db.h"
#include "forms/record.h"
#include "schema.h"
#include "store/atomic_file.h"
#include "store/recovery_code.h"
#include "store/vault_paths.h"

namespace svidok::store {
namespace fs = std::filesystem;

namespace {

constexpr const char* kLockName = "vault.lock";
constexpr const char* kPartialDbName = "vault.db.partial";
constexpr std::size_t kMaxKeysFileRead = 4096;

/// An exclusive advisory lock on DIR/vault.lock for the life of an open vault, so two Svidok
/// processes never rewrite vault.keys or the database at the same time.
class DirLock {
public:
    static Result<DirLock> acquire(const fs::path& dir) {
        auto path = dir / kLockName;
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            int err = errno;
            if (err == EACCES || err == EROFS || err == EPERM) {
                return fail(Errc::io,
                            "the vault directory " + dir.string() + " is not writable: " +
                                errno_text(err),
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
    DirLock(DirLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    DirLock& operator=(DirLock&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;
    ~DirLock() {
        if (fd_ >= 0) ::close(fd_);  // closing releases the flock
    }

private:
    explicit DirLock(int fd) noexcept : fd_(fd) {}
    int fd_;
};

std::string utc_now() { return forms::device_clock_now().first; }

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
        if (fs::exists(dir / kPartialDbName, ec)) {
            return fail(Errc::corrupt, "the vault in " + dir.string() + " was never completed "
                                       "(creation was interrupted)",
                        "move the directory away and run `svidok-cli init` again");
        }
        if (fs::exists(dir / kVaultDbName, ec)) {
            return fail(Errc::corrupt, "vault.keys is missing from " + dir.string() +
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

struct Vault::Impl {
    fs::path dir;
    DirLock lock;
    KeysFile keys;
    crypto::SecureBuffer data_key;
    SlotKind opened_with;
    Db db;
};

Vault::Vault(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
Vault::Vault(Vault&&) noexcept = default;
Vault& Vault::operator=(Vault&&) noexcept = default;
Vault::~Vault() = default;

const fs::path& Vault::dir() const noexcept { return impl_->dir; }
VaultId Vault::id() const noexcept { return impl_->keys.vault_id(); }
crypto::KdfParams Vault::kdf() const noexcept { return impl_->keys.kdf(); }
SlotKind Vault::opened_with() const noexcept { return impl_->opened_with; }
Db& Vault::db() noexcept { return impl_->db; }

Result<std::size_t> utf8_length(std::span<const unsigned char> s) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++count) {
        unsigned char c = s[i];
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (n == 0 || i + n > s.size()) return fail(Errc::invalid, "the text is not valid UTF-8");
        std::uint32_t cp = n == 1 ? c : c & (0x7f >> n);
        for (std::size_t k = 1; k < n; ++k) {
            if ((s[i + k] & 0xc0) != 0x80) return fail(Errc::invalid, "the text is not valid UTF-8");
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
                    "the passphrase is too short (" + std::to_string(*n) + " characters; at least " +
                        std::to_string(kMinPassphraseChars) + " are required)",
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
        if (fs::exists(dir / kVaultKeysName, ec) || fs::exists(dir / kVaultDbName, ec)) {
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
    crypto::SecureBuffer data_key(kDataKeyBytes);
    randombytes_buf(data_key.data(), data_key.size());
    Identity identity = Identity::generate();

    // The database is built under a temporary name and only renamed into place after
    // vault.keys is durable, so a crash never leaves a vault.db nobody can open.
    auto partial = dir / kPartialDbName;
    fs::remove(partial, ec);
    fs::remove(dir / (std::string(kPartialDbName) + "-journal"), ec);
    {
        auto db = Db::open(partial, data_key, /*create=*/true);
        if (!db) return std::unexpected(db.error());
        if (auto r = migrate(*db); !r) return std::unexpected(r.error());
        auto txn = Transaction::begin(*db);
        if (!txn) return std::unexpected(txn.error());
        auto meta = db->prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
        if (!meta) return std::unexpected(meta.error());
        if (auto r = meta->bind(1, std::string_view("vault_id")).bind_blob(2, vault_id).run(); !r)
            return std::unexpected(r.error());
        meta->reset();
        if (auto r = meta->bind(1, std::string_view("created_at")).bind(2, utc_now()).run(); !r)
            return std::unexpected(r.error());
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
        if (auto r = ins->run(); !r) return std::unexpected(r.error());
        if (auto r = txn->commit(); !r) return std::unexpected(r.error());
    }

    KeysFile keys = KeysFile::create(kdf, vault_id);
    auto kek = keys.passphrase_kek(passphrase);
    if (!kek) {
        fs::remove(partial, ec);
        return std::unexpected(kek.error());
    }
    keys.seal(kPassphraseSlot, SlotKind::passphrase, *kek, data_key);
    auto recovery_secret = generate_recovery_secret();
    keys.seal(kRecoverySlot, SlotKind::recovery, keys.recovery_kek(recovery_secret), data_key);
    if (auto r = write_file_atomic(dir / kVaultKeysName, keys.bytes()); !r) {
        fs::remove(partial, ec);
        return std::unexpected(r.error());
    }
    fs::rename(partial, dir / kVaultDbName, ec);
    if (ec) return fail(Errc::io, "cannot move the new database into place: " + ec.message());
    if (auto r = fsync_directory(dir); !r) return std::unexpected(r.error());
    if (auto r = detail::ensure_attachments_dir(dir); !r) return std::unexpected(r.error());

    auto db = Db::open(dir / kVaultDbName, data_key, /*create=*/false);
    if (!db) return std::unexpected(db.error());
    auto impl = std::make_unique<Impl>(Impl{dir, std::move(*lock), std::move(keys),
                                            std::move(data_key), SlotKind::passphrase,
                                            std::move(*db)});
    return Created{Vault(std::move(impl)), format_recovery_code(recovery_secret)};
}

Result<KeysFile> Vault::read_keys(const fs::path& dir) { return load_keys(dir); }

template <class Unlock>
Result<Vault> Vault::open_impl(const fs::path& dir, const VaultPolicy& policy, Unlock&& unlock) {
    auto keys = load_keys(dir);
    if (!keys) return std::unexpected(keys.error());
    if (auto r = check_floor(keys->kdf(), policy); !r) return std::unexpected(r.error());
    auto lock = DirLock::acquire(dir);
    if (!lock) return std::unexpected(lock.error());
    Result<OpenedSlot> slot = unlock(*keys);
    if (!slot) return std::unexpected(slot.error());
    std::error_code ec;
    if (!fs::exists(dir / kVaultDbName, ec)) {
        return fail(Errc::corrupt, "vault.db is missing from " + dir.string(),
                    "restore vault.db from a backup of this vault");
    }
    auto db = Db::open(dir / kVaultDbName, slot->data_key, /*create=*/false);
    if (!db) return std::unexpected(db.error());
    if (auto r = migrate(*db); !r) return std::unexpected(r.error());
    auto st = db->prepare("SELECT value FROM meta WHERE key = 'vault_id'");
    if (!st) return std::unexpected(st.error());
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    auto id = keys->vault_id();
    if (!*row || st->column_blob(0) != std::vector<unsigned char>(id.begin(), id.end())) {
        return fail(Errc::integrity, "vault.db belongs to a different vault than vault.keys",
                    "put back the vault.db that was created with this vault.keys");
    }
    if (auto r = detail::remove_orphan_blobs(dir, *db); !r) return std::unexpected(r.error());
    if (auto r = detail::ensure_attachments_dir(dir); !r) return std::unexpected(r.error());
    auto impl = std::make_unique<Impl>(Impl{dir, std::move(*lock), std::move(*keys),
                                            std::move(slot->data_key), slot->kind, std::move(*db)});
    return Vault(std::move(impl));
}

Result<Vault> Vault::open(const fs::path& dir, std::span<const unsigned char> passphrase,
                          const VaultPolicy& policy) {
    return open_impl(dir, policy, [&](const KeysFile& keys) -> Result<OpenedSlot> {
        auto kek = keys.passphrase_kek(passphrase);
        if (!kek) return std::unexpected(kek.error());
        static constexpr std::array kinds{SlotKind::passphrase};
        auto slot = keys.open(*kek, kinds);
        if (!slot) {
            return fail(Errc::auth_failed, "wrong passphrase",
                        "check the keyboard layout and caps lock; if it is lost, use "
                        "`svidok-cli recover` with the recovery code");
        }
        return slot;
    });
}

Result<Vault> Vault::open_with_recovery(const fs::path& dir, std::string_view recovery_code,
                                        const VaultPolicy& policy) {
    return open_impl(dir, policy, [&](const KeysFile& keys) -> Result<OpenedSlot> {
        auto secret = parse_recovery_code(recovery_code);
        if (!secret) return std::unexpected(secret.error());
        static constexpr std::array kinds{SlotKind::recovery};
        auto slot = keys.open(keys.recovery_kek(*secret), kinds);
        if (!slot) {
            return fail(Errc::auth_failed, "this recovery code does not open this vault",
                        "check that it is the code shown when this vault was created");
        }
        return slot;
    });
}

Result<> Vault::change_passphrase(std::span<const unsigned char> new_passphrase) {
    if (auto r = check_new_passphrase(new_passphrase); !r) return r;
    // Start from the file as it is on disk now, so nothing another slot holds is lost.
    auto current = load_keys(impl_->dir);
    if (!current) return std::unexpected(current.error());
    if (current->vault_id() != impl_->keys.vault_id()) {
        return fail(Errc::integrity, "vault.keys was replaced while the vault was open");
    }
    auto kek = current->passphrase_kek(new_passphrase);
    if (!kek) return std::unexpected(kek.error());
    current->seal(kPassphraseSlot, SlotKind::passphrase, *kek, impl_->data_key);
    if (auto r = write_file_atomic(impl_->dir / kVaultKeysName, current->bytes()); !r) return r;
    impl_->keys = std::move(*current);
    return {};
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
