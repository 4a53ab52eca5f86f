// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// vault.keys: four fixed-size slots, each wrapping the vault's data key under a key derived
// from a passphrase or the recovery code. Byte layout: docs/FORMAT.md section 2.

#include <array>
#include <cstdint>
#include <span>

#include "crypto/error.h"
#include "crypto/kdf.h"
#include "crypto/secure_buffer.h"

namespace svidok::store {

inline constexpr std::size_t kKeysHeaderBytes = 64;
inline constexpr std::size_t kSlotCount = 4;
inline constexpr std::size_t kSlotBytes = 80;
inline constexpr std::size_t kSlotPlaintextBytes = 40;
inline constexpr std::size_t kKeysChecksumBytes = 32;
inline constexpr std::size_t kKeysFileBytes =
    kKeysHeaderBytes + kSlotCount * kSlotBytes + kKeysChecksumBytes;  // 416
inline constexpr std::uint16_t kKeysVersion = 1;
inline constexpr std::size_t kVaultIdBytes = 16;
inline constexpr std::size_t kDataKeyBytes = 32;

/// What a slot holds; learned only by opening it.
enum class SlotKind : std::uint8_t { passphrase = 1, recovery = 2, duress = 3 };

/// Slot positions by convention (the contents of every slot look random either way). Slot 3
/// stays random.
inline constexpr std::size_t kPassphraseSlot = 0;
inline constexpr std::size_t kRecoverySlot = 1;
inline constexpr std::size_t kDuressSlot = 2;

/// Slot flags (plaintext byte 1). Only a duress slot defines one.
inline constexpr std::uint8_t kFlagDestroyOthers = 0x01;

using VaultId = std::array<unsigned char, kVaultIdBytes>;

struct OpenedSlot {
    crypto::SecureBuffer data_key;  // for a duress slot: the decoy database's key
    std::size_t index;
    SlotKind kind;
    std::uint8_t flags;
};

/// The parsed content of vault.keys. Holds only public or encrypted bytes.
class KeysFile {
public:
    /// A new file: random salt, given parameters and vault id, all four slots random.
    [[nodiscard]] static KeysFile create(const crypto::KdfParams& kdf, const VaultId& vault_id);

    /// Parses and checks a file's bytes. Errc::corrupt for any size, magic, checksum or
    /// parameter problem; Errc::unsupported for a newer version or unknown kdf.
    [[nodiscard]] static Result<KeysFile> parse(std::span<const unsigned char> bytes);

    [[nodiscard]] crypto::KdfParams kdf() const noexcept;
    [[nodiscard]] std::span<const unsigned char, crypto::kKdfSaltBytes> salt() const noexcept;
    [[nodiscard]] VaultId vault_id() const noexcept;
    [[nodiscard]] std::span<const unsigned char, kKeysFileBytes> bytes() const noexcept {
        return bytes_;
    }

    /// Derives the key-encryption key of a passphrase (Argon2id with this file's parameters).
    [[nodiscard]] Result<crypto::SecureBuffer> passphrase_kek(
        std::span<const unsigned char> passphrase) const;
    /// Derives the key-encryption key of a recovery secret (BLAKE2b, the secret is high-entropy).
    [[nodiscard]] crypto::SecureBuffer recovery_kek(const crypto::SecureBuffer& secret) const;

    /// Tries every slot with `kek`, accepting only the given kinds. Errc::auth_failed when none
    /// opens; Errc::unsupported when a slot opens but holds an unknown kind, flag or non-zero
    /// reserved byte (written by a newer version).
    [[nodiscard]] Result<OpenedSlot> open(const crypto::SecureBuffer& kek,
                                          std::span<const SlotKind> accepted) const;

    /// Writes `data_key` into slot `index` under `kek`, with a fresh nonce. `flags` must be
    /// ones `kind` defines (only kFlagDestroyOthers, only for SlotKind::duress); else aborts.
    void seal(std::size_t index, SlotKind kind, const crypto::SecureBuffer& kek,
              const crypto::SecureBuffer& data_key, std::uint8_t flags = 0);

    /// Overwrites slot `index` with random bytes.
    void clear(std::size_t index);

private:
    KeysFile() = default;
    void update_checksum() noexcept;
    std::array<unsigned char, kKeysFileBytes> bytes_{};
};

}  // namespace svidok::store
