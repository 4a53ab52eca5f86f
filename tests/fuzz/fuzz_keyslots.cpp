// SPDX-License-Identifier: GPL-3.0-or-later
// vault.keys (store/keyslots.h KeysFile::parse), as unlocking reads it before any passphrase is
// tried. Slots are then opened with the recovery key-encryption key of the seeds' fixed
// recovery secret (BLAKE2b, cheap) so the slot decryption and its plaintext checks are reached;
// no Argon2id runs per input. Each input is also tried with its checksum recomputed, so that
// mutations reach the header and slot checks. Checks: an accepted file keeps its exact bytes and
// its KDF parameters lie within the sanity bounds.
#include <algorithm>
#include <array>

#include "crypto/kdf.h"
#include "fuzz_support.h"
#include "store/keyslots.h"

using namespace svidok;

namespace {

void parse_and_open(std::span<const unsigned char> in) {
    auto file = store::KeysFile::parse(in);
    if (!file) {
        fuzz::require(!file.error().message.empty());
        return;
    }
    fuzz::require(in.size() == store::kKeysFileBytes);
    fuzz::require(std::ranges::equal(file->bytes(), in));
    const auto kdf = file->kdf();
    fuzz::require(kdf.opslimit <= crypto::kKdfMaxOps && kdf.memlimit >= crypto::kKdfMinMem &&
                  kdf.memlimit <= crypto::kKdfMaxMem);
    const auto kek = file->recovery_kek(fuzz::recovery_secret());
    constexpr std::array kinds{store::SlotKind::passphrase, store::SlotKind::recovery,
                               store::SlotKind::duress};
    if (auto slot = file->open(kek, kinds)) {
        fuzz::require(slot->index < store::kSlotCount &&
                      slot->data_key.size() == store::kDataKeyBytes);
    }
}

}  // namespace

SVIDOK_FUZZ_TARGET(keyslots) {
    fuzz::init();
    parse_and_open(fuzz::bytes(data, size));
    // The same bytes with the checksum made right (docs/FORMAT.md: BLAKE2b-256 of everything
    // before it), so mutations of the header and slots get past it.
    if (size == store::kKeysFileBytes) {
        std::array<unsigned char, store::kKeysFileBytes> fixed{};
        std::copy(data, data + size, fixed.begin());
        constexpr std::size_t body = store::kKeysFileBytes - store::kKeysChecksumBytes;
        crypto_generichash(fixed.data() + body, store::kKeysChecksumBytes, fixed.data(), body,
                           nullptr, 0);
        parse_and_open(fixed);
    }
    return 0;
}
