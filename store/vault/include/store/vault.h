// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A vault: a directory with vault.keys (key slots), vault.db (SQLCipher), the decoy database
// vault.alt.db and the failed-attempt counter vault.guard. Creating, unlocking, changing the
// passphrase, recovering, the duress passphrase and the failed-attempt limit. Every failure
// leaves the directory as it was, except where a wipe is the point. Formats: docs/FORMAT.md
// sections 1-4, 15 and 16.

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crypto/error.h"
#include "crypto/kdf.h"
#include "crypto/secure_buffer.h"
#include "store/guard.h"
#include "store/identity.h"
#include "store/keyslots.h"

namespace svidok::store {

class Db;
class Vault;

namespace detail {
// The session's database, for the store layers only: defined in the vault layer's internal
// header (store/vault/internal/vault_layer.h), which app/ and cli/ cannot include.
[[nodiscard]] Db& database(Vault& vault) noexcept;
}  // namespace detail

inline constexpr std::size_t kMinPassphraseChars = 12;

/// Policy every entry point applies. The shipped binaries use the defaults; only tests relax
/// the floor, through this struct (no environment variable can).
struct VaultPolicy {
    bool enforce_kdf_floor = true;
};

struct CreateOptions {
    /// Argon2id parameters; nullopt = calibrate to about one second on this machine.
    std::optional<crypto::KdfParams> kdf;
    VaultPolicy policy;
};

/// Reported while a slow step runs (key derivation); fraction in [0, 1] or negative when
/// unknown. Called from the working thread.
using ProgressFn = void (*)(void* ctx, const char* step, double fraction);

/// What the settings show about the duress passphrase (from the open database: a session on
/// the decoy always reads "not set").
struct DuressStatus {
    bool set = false;
    bool destroys_real = false;  // entering it destroys the real vault's key slots first
};

class Vault {
public:
    struct Created;

    /// Creates a vault in `dir` (created with mode 0700 if missing; must not already hold a
    /// vault). Returns the open vault and the recovery code text to show once.
    [[nodiscard]] static Result<Created> create(const std::filesystem::path& dir,
                                                std::span<const unsigned char> passphrase,
                                                const CreateOptions& options = {});

    /// Unlocks with a passphrase: the vault's own, or the duress passphrase (FORMAT.md 16),
    /// which opens the decoy database (after replacing every other key slot with random bytes
    /// when it was set to destroy the real vault) in a session that looks like any other.
    /// Errc::auth_failed for a wrong one; under a failed-attempt limit it is counted, and the
    /// attempt that reaches the limit wipes the vault and says so in its message.
    [[nodiscard]] static Result<Vault> open(const std::filesystem::path& dir,
                                            std::span<const unsigned char> passphrase,
                                            const VaultPolicy& policy = {});

    /// Unlocks with the recovery code text (as typed). A wrong code counts as open() says.
    [[nodiscard]] static Result<Vault> open_with_recovery(const std::filesystem::path& dir,
                                                          std::string_view recovery_code,
                                                          const VaultPolicy& policy = {});

    /// Unlocks with the vault's own passphrase and opens the decoy database instead of the real
    /// one, so the interviewer can prepare the records the duress passphrase will show. Nothing
    /// in vault.keys changes; the duress passphrase is a wrong passphrase here (and counted).
    [[nodiscard]] static Result<Vault> open_decoy(const std::filesystem::path& dir,
                                                  std::span<const unsigned char> passphrase,
                                                  const VaultPolicy& policy = {});

    /// The failed-attempt counter without unlocking, for the unlock screen: {limit, failures},
    /// {0, 0} when off or missing. Errc::corrupt when vault.guard is damaged (which blocks
    /// nothing: FORMAT.md 15.2).
    [[nodiscard]] static Result<GuardState> failed_attempts(const std::filesystem::path& dir);

    /// Rewraps the key of this session's database under a new passphrase (atomic write of
    /// vault.keys): the passphrase slot, or in a duress session the duress slot (its kind and
    /// flags kept). The database is never re-keyed. Errc::invalid when the new passphrase
    /// breaks the rules or already opens another slot (a passphrase is never shared between
    /// the real vault and the decoy); Errc::usage in a decoy session.
    [[nodiscard]] Result<> change_passphrase(std::span<const unsigned char> new_passphrase);

    /// Sets (or replaces) the duress passphrase in slot 2 with the decoy's key; `destroy_real`
    /// makes entering it destroy the other key slots first. Only in a session opened with the
    /// passphrase or the recovery code (else Errc::usage). Errc::invalid when the passphrase
    /// breaks the rules or is the vault's passphrase.
    [[nodiscard]] Result<> set_duress(std::span<const unsigned char> duress_passphrase,
                                      bool destroy_real);

    /// Fills slot 2 with random bytes: no duress passphrase. Same sessions as set_duress().
    [[nodiscard]] Result<> clear_duress();

    /// Whether a duress passphrase is set, as recorded inside the open database.
    [[nodiscard]] Result<DuressStatus> duress_status();

    /// Sets the failed-attempt limit (1..99 wrong secrets in a row wipe the vault; 0 = off),
    /// in vault.guard and, in a session on the real database, in the database's authenticated
    /// copy. Errc::invalid above 99; Errc::usage in a decoy session (the setting belongs to
    /// the real vault).
    [[nodiscard]] Result<> set_wipe_after(unsigned limit);

    /// The failed-attempt limit in effect (0 = off).
    [[nodiscard]] unsigned wipe_after() const noexcept;

    /// True only for a session from open_decoy() (never for the duress passphrase), so the
    /// window can say that the decoy is being prepared.
    [[nodiscard]] bool is_decoy_session() const noexcept;

    /// What opening found and repaired, or could not, without stopping (vault.guard restored
    /// from the database, a decoy database that could not be read); for the person to read.
    [[nodiscard]] const std::vector<std::string>& notices() const noexcept;

    /// Reads vault.keys without unlocking (parameters, vault id); for diagnostics and checks.
    [[nodiscard]] static Result<KeysFile> read_keys(const std::filesystem::path& dir);

    [[nodiscard]] const std::filesystem::path& dir() const noexcept;
    [[nodiscard]] VaultId id() const noexcept;
    [[nodiscard]] crypto::KdfParams kdf() const noexcept;
    /// Which kind of secret opened this vault: passphrase or recovery; a duress session
    /// reports passphrase, so nothing shown can give it away.
    [[nodiscard]] SlotKind opened_with() const noexcept;

    /// The device identity's secret keys (in secure memory) and public parts.
    [[nodiscard]] Result<Identity> identity() const;

    Vault(Vault&&) noexcept;
    Vault& operator=(Vault&&) noexcept;
    ~Vault();

    struct Impl;

private:
    friend Db& detail::database(Vault& vault) noexcept;
    template <class Unlock>
    static Result<Vault> open_impl(const std::filesystem::path& dir, const VaultPolicy& policy,
                                   bool prepare_decoy, Unlock&& unlock);
    explicit Vault(std::unique_ptr<Impl> impl) noexcept;
    std::unique_ptr<Impl> impl_;
};

struct Vault::Created {
    Vault vault;
    crypto::SecureBuffer recovery_code;
};

/// Counts Unicode code points of UTF-8 text (for the passphrase length rule). Errc::invalid if
/// the bytes are not UTF-8.
[[nodiscard]] Result<std::size_t> utf8_length(std::span<const unsigned char> text);

/// Checks the passphrase rules (UTF-8, at least 12 characters).
[[nodiscard]] Result<> check_new_passphrase(std::span<const unsigned char> passphrase);

}  // namespace svidok::store
