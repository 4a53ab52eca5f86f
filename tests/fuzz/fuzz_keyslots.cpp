// SPDX-License-Identifier: GPL-3.0-or-later
// vault.keys (store/keyslots.h KeysFile::parse), as unlocking reads it before any passphrase is
// tried. Slots are then opened with the recovery key-encryption key of the seeds' fixed
// recovery secret (BLAKE2b, cheap) so the slot decryption and its plaintext checks are reached;
// no Argon2id runs per input. Checks: an accepted file keeps its exact bytes and its KDF
// parameters lie within the sanity bounds.
#include <array>

#include "crypto/kdf.h"
#include "fuzz_support.h"
#include "store/keyslots.h"

using namespace svidok;

SVIDOK_FUZZ_TARGET(keyslots) {
    fuzz::init();
    auto file = store::KeysFile::parse(fuzz::bytes(data, size));
    if (!file) {
        fuzz::require(!file.error().message.empty());
        return 0;
    }
    fuzz::require(size == store::kKeysFileBytes);
    fuzz::require(std::ranges::equal(file->bytes(), fuzz::bytes(data, size)));
    const auto kdf = file->kdf();
    fuzz::require(kdf.opslimit <= crypto::kKdfMaxOps && kdf.memlimit >= crypto::kKdfMinMem &&
                  kdf.memlimit <= crypto::kKdfMaxMem);
    const auto kek = file->recovery_kek(fuzz::recovery_secret());
    constexpr std::array kinds{store::SlotKind::passphrase, store::SlotKind::recovery,
                               store::SlotKind::duress};
    if (auto slot = file->open(kek, kinds)) {
        fuzz::require(slot->index < store::kSlotCount && slot->data_key.size() == store::kDataKeyBytes);
    }
    return 0;
}
