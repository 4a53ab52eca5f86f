// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A vault: a directory with vault.keys (key slots) and vault.db (SQLCipher). Creating,
// unlocking, changing the passphrase and recovering. Every failure leaves the directory as it
// was. Formats: docs/FORMAT.md sections 1-4.

#include <filesystem>
#include <memory>
#include <optional>
#include <span>

#include "crypto/error.h"
#include "crypto/kdf.h"
#include "crypto/secure_buffer.h"
#include "store/identity.h"
#include "store/keyslots.h"

namespace svidok::store {

class Db;

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

class Vault {
public:
    struct Created;

    /// Creates a vault in `dir` (created with mode 0700 if missing; must not already hold a
    /// vault). Returns the open vault and the recovery code text to show once.
    [[nodiscard]] static Result<Created> create(const std::filesystem::path& dir,
                                                std::span<const unsigned char> passphrase,
                                                const CreateOptions& options = {});

    /// Unlocks with a passphrase. Errc::auth_failed for a wrong one.
    [[nodiscard]] static Result<Vault> open(const std::filesystem::path& dir,
                                            std::span<const unsigned char> passphrase,
                                            const VaultPolicy& policy = {});

    /// Unlocks with the recovery code text (as typed).
    [[nodiscard]] static Result<Vault> open_with_recovery(const std::filesystem::path& dir,
                                                          std::string_view recovery_code,
                                                          const VaultPolicy& policy = {});

    /// Rewraps the data key under a new passphrase in the passphrase slot (atomic write of
    /// vault.keys). The database is never re-keyed.
    [[nodiscard]] Result<> change_passphrase(std::span<const unsigned char> new_passphrase);

    /// Reads vault.keys without unlocking (parameters, vault id); for diagnostics and checks.
    [[nodiscard]] static Result<KeysFile> read_keys(const std::filesystem::path& dir);

    [[nodiscard]] const std::filesystem::path& dir() const noexcept;
    [[nodiscard]] VaultId id() const noexcept;
    [[nodiscard]] crypto::KdfParams kdf() const noexcept;
    /// Which kind of secret opened this vault.
    [[nodiscard]] SlotKind opened_with() const noexcept;

    /// The device identity's secret keys (in secure memory) and public parts.
    [[nodiscard]] Result<Identity> identity() const;

    /// Internal handle for other store/ modules.
    [[nodiscard]] Db& db() noexcept;

    Vault(Vault&&) noexcept;
    Vault& operator=(Vault&&) noexcept;
    ~Vault();

    struct Impl;

private:
    template <class Unlock>
    static Result<Vault> open_impl(const std::filesystem::path& dir, const VaultPolicy& policy,
                                   Unlock&& unlock);
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
