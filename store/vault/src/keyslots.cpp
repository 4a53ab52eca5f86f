// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/keyslots.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <optional>

#include "crypto/aead.h"
#include "crypto/encoding.h"

namespace svidok::store {
namespace {

constexpr std::array<unsigned char, 8> kMagic{'S', 'V', 'I', 'D', 'O', 'K', 'K', 'S'};
constexpr unsigned char kKdfArgon2id = 1;
constexpr std::size_t kOffVersion = 8, kOffSlotCount = 10, kOffKdf = 12, kOffOps = 16, kOffMem = 20,
                      kOffSalt = 28, kOffVaultId = 44, kOffSlots = 64,
                      kOffChecksum = kOffSlots + kSlotCount * kSlotBytes;
constexpr std::string_view kRecoveryDomain = "svidok recovery slot v1";

static_assert(kOffChecksum + kKeysChecksumBytes == kKeysFileBytes);
static_assert(kSlotBytes == crypto::kXNonceBytes + kSlotPlaintextBytes + crypto::kAeadTagBytes);

// Slot AD = header || u8(index): a slot cannot be moved to another position or another
// vault, and the parameters and salt cannot be swapped without every slot failing.
std::array<unsigned char, kKeysHeaderBytes + 1> slot_ad(const unsigned char* header,
                                                        std::size_t index) {
    std::array<unsigned char, kKeysHeaderBytes + 1> ad{};
    std::memcpy(ad.data(), header, kKeysHeaderBytes);
    ad[kKeysHeaderBytes] = static_cast<unsigned char>(index);
    return ad;
}

// Slot plaintext: kind, flags its kind defines, six zero bytes (FORMAT.md section 2).
bool known_plaintext(const unsigned char* p) noexcept {
    const unsigned char kind = p[0], flags = p[1];
    if (kind < 1 || kind > 3) return false;
    std::uint8_t allowed = 0;
    if (kind == static_cast<unsigned char>(SlotKind::duress)) allowed = kFlagDestroyOthers;
    if ((flags & ~allowed) != 0) return false;
    for (std::size_t i = 2; i < 8; ++i) {
        if (p[i] != 0) return false;
    }
    return true;
}

}  // namespace

KeysFile KeysFile::create(const crypto::KdfParams& kdf, const VaultId& vault_id) {
    KeysFile f;
    auto* b = f.bytes_.data();
    std::memcpy(b, kMagic.data(), kMagic.size());
    crypto::store_le16(b + kOffVersion, kKeysVersion);
    crypto::store_le16(b + kOffSlotCount, static_cast<std::uint16_t>(kSlotCount));
    b[kOffKdf] = kKdfArgon2id;
    crypto::store_le32(b + kOffOps, kdf.opslimit);
    crypto::store_le64(b + kOffMem, kdf.memlimit);
    randombytes_buf(b + kOffSalt, crypto::kKdfSaltBytes);
    std::memcpy(b + kOffVaultId, vault_id.data(), vault_id.size());
    randombytes_buf(b + kOffSlots, kSlotCount * kSlotBytes);
    f.update_checksum();
    return f;
}

Result<KeysFile> KeysFile::parse(std::span<const unsigned char> bytes) {
    if (bytes.size() != kKeysFileBytes) {
        return fail(Errc::corrupt, "vault.keys has " + std::to_string(bytes.size()) +
                                       " bytes, expected " + std::to_string(kKeysFileBytes) +
                                       " (truncated or not a key file)");
    }
    if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
        return fail(Errc::corrupt, "vault.keys does not start with the Svidok key-file signature");
    }
    std::array<unsigned char, kKeysChecksumBytes> sum{};
    crypto_generichash(sum.data(), sum.size(), bytes.data(), kOffChecksum, nullptr, 0);
    if (sodium_memcmp(sum.data(), bytes.data() + kOffChecksum, sum.size()) != 0) {
        return fail(Errc::corrupt, "vault.keys is damaged (checksum mismatch)",
                    "restore vault.keys from a backup of this vault");
    }
    auto version = crypto::load_le16(bytes.data() + kOffVersion);
    if (version != kKeysVersion) {
        return fail(Errc::unsupported,
                    "vault.keys has format version " + std::to_string(version) +
                        "; this build reads version 1",
                    "use a newer Svidok");
    }
    if (crypto::load_le16(bytes.data() + kOffSlotCount) != kSlotCount) {
        return fail(Errc::corrupt, "vault.keys declares a slot count other than 4");
    }
    if (bytes[kOffKdf] != kKdfArgon2id) {
        return fail(Errc::unsupported, "vault.keys uses an unknown key derivation function");
    }
    for (std::size_t i : {13u, 14u, 15u, 60u, 61u, 62u, 63u}) {
        if (bytes[i] != 0) return fail(Errc::corrupt, "vault.keys has non-zero reserved bytes");
    }
    KeysFile f;
    std::memcpy(f.bytes_.data(), bytes.data(), kKeysFileBytes);
    auto p = f.kdf();
    if (p.opslimit < 1 || p.opslimit > crypto::kKdfMaxOps || p.memlimit < crypto::kKdfMinMem ||
        p.memlimit > crypto::kKdfMaxMem) {
        return fail(Errc::corrupt, "vault.keys has key-derivation parameters out of bounds");
    }
    return f;
}

crypto::KdfParams KeysFile::kdf() const noexcept {
    return {crypto::load_le32(bytes_.data() + kOffOps), crypto::load_le64(bytes_.data() + kOffMem)};
}

std::span<const unsigned char, crypto::kKdfSaltBytes> KeysFile::salt() const noexcept {
    return std::span<const unsigned char, crypto::kKdfSaltBytes>(bytes_.data() + kOffSalt,
                                                                 crypto::kKdfSaltBytes);
}

VaultId KeysFile::vault_id() const noexcept {
    VaultId id{};
    std::memcpy(id.data(), bytes_.data() + kOffVaultId, id.size());
    return id;
}

Result<crypto::SecureBuffer> KeysFile::passphrase_kek(
    std::span<const unsigned char> passphrase) const {
    return crypto::argon2id(passphrase, salt(), kdf());
}

crypto::SecureBuffer KeysFile::recovery_kek(const crypto::SecureBuffer& secret) const {
    crypto::SecureBuffer kek(crypto::kKeyBytes);
    crypto_generichash_state st;
    crypto_generichash_init(&st, secret.data(), secret.size(), kek.size());
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kRecoveryDomain.data()),
                              kRecoveryDomain.size());
    crypto_generichash_update(&st, salt().data(), salt().size());
    crypto_generichash_final(&st, kek.data(), kek.size());
    sodium_memzero(&st, sizeof st);
    return kek;
}

Result<OpenedSlot> KeysFile::open(const crypto::SecureBuffer& kek,
                                  std::span<const SlotKind> accepted) const {
    if (kek.size() != crypto::kKeyBytes) std::abort();
    // Every slot is tried even after a match, so timing does not tell which slot matched.
    std::optional<OpenedSlot> found;
    bool unknown = false;
    for (std::size_t i = 0; i < kSlotCount; ++i) {
        const unsigned char* slot = bytes_.data() + kOffSlots + i * kSlotBytes;
        auto ad = slot_ad(bytes_.data(), i);
        auto pt = crypto::xchacha_open(
            std::span<const unsigned char>(slot + crypto::kXNonceBytes,
                                           kSlotBytes - crypto::kXNonceBytes),
            ad, std::span<const unsigned char, crypto::kXNonceBytes>(slot, crypto::kXNonceBytes),
            std::span<const unsigned char, 32>(kek.data(), 32));
        if (!pt) continue;
        // Authenticated, so written by someone holding this secret: fields this build does not
        // know mean a newer version, never something to skip silently.
        const unsigned char* p = pt->data();
        if (!known_plaintext(p)) unknown = true;
        if (found || unknown) continue;
        auto kind = static_cast<SlotKind>(p[0]);
        bool ok = false;
        for (auto k : accepted) ok = ok || k == kind;
        if (!ok) continue;
        crypto::SecureBuffer key =
            crypto::SecureBuffer::copy_of(std::span<const unsigned char>(p + 8, kDataKeyBytes));
        found.emplace(OpenedSlot{std::move(key), i, kind, p[1]});
    }
    if (unknown) {
        return fail(Errc::unsupported,
                    "a key slot of vault.keys opens with this secret but holds fields this build "
                    "does not know",
                    "use a newer Svidok");
    }
    if (!found) return fail(Errc::auth_failed, "no key slot opens with this secret");
    return std::move(*found);
}

void KeysFile::seal(std::size_t index, SlotKind kind, const crypto::SecureBuffer& kek,
                    const crypto::SecureBuffer& data_key, std::uint8_t flags) {
    if (index >= kSlotCount || kek.size() != crypto::kKeyBytes ||
        data_key.size() != kDataKeyBytes) {
        std::abort();
    }
    crypto::SecureBuffer pt(kSlotPlaintextBytes);
    pt.data()[0] = static_cast<unsigned char>(kind);
    pt.data()[1] = flags;
    if (!known_plaintext(pt.data())) std::abort();
    std::memcpy(pt.data() + 8, data_key.data(), kDataKeyBytes);
    unsigned char* slot = bytes_.data() + kOffSlots + index * kSlotBytes;
    randombytes_buf(slot, crypto::kXNonceBytes);
    auto ad = slot_ad(bytes_.data(), index);
    crypto::xchacha_seal(
        std::span<unsigned char>(slot + crypto::kXNonceBytes, kSlotBytes - crypto::kXNonceBytes),
        pt.span(), ad,
        std::span<const unsigned char, crypto::kXNonceBytes>(slot, crypto::kXNonceBytes),
        std::span<const unsigned char, 32>(kek.data(), 32));
    update_checksum();
}

void KeysFile::clear(std::size_t index) {
    if (index >= kSlotCount) std::abort();
    randombytes_buf(bytes_.data() + kOffSlots + index * kSlotBytes, kSlotBytes);
    update_checksum();
}

void KeysFile::update_checksum() noexcept {
    crypto_generichash(bytes_.data() + kOffChecksum, kKeysChecksumBytes, bytes_.data(),
                       kOffChecksum, nullptr, 0);
}

}  // namespace svidok::store
