// SPDX-License-Identifier: GPL-3.0-or-later
// The golden vault.keys (docs/FORMAT.md 2 and 19, tests/fixtures/golden/README.md): from a fixed
// vault id, data key, passphrase, recovery secret and random numbers, KeysFile must build the
// stored 416 bytes; the stored file must open with the passphrase and with the recovery code
// to that data key, and fail to parse after any one-byte change.

#include "golden.h"
#include "store/keyslots.h"
#include "store/recovery_code.h"

using namespace svidok;
using namespace svidok::store;
using svidok::test::counting_bytes;

namespace {

// At the floor the shipped binaries require, so the file is one they would open.
constexpr crypto::KdfParams kKdf = crypto::kKdfFloor;
constexpr std::string_view kPassphrase = "golden vector passphrase, not a secret";
const VaultId kVaultId = counting_bytes<16>(0x70);

crypto::SecureBuffer data_key() {
    return crypto::SecureBuffer::copy_of(counting_bytes<kDataKeyBytes>(0x90));
}
crypto::SecureBuffer recovery_secret() {
    return crypto::SecureBuffer::copy_of(counting_bytes<kRecoverySecretBytes>(0xd0));
}
std::span<const unsigned char> passphrase() {
    return crypto::as_bytes(kPassphrase);
}

std::string text(std::span<const unsigned char> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

TEST_CASE("KeysFile builds the golden vault.keys byte for byte from its inputs") {
    // As Vault::create writes it: passphrase slot 0, recovery slot 1, slots 2 and 3 random.
    test::DeterministicRandom rng("vault.keys");
    KeysFile keys = KeysFile::create(kKdf, kVaultId);
    auto kek = keys.passphrase_kek(passphrase());
    REQUIRE(kek.has_value());
    keys.seal(kPassphraseSlot, SlotKind::passphrase, *kek, data_key());
    keys.seal(kRecoverySlot, SlotKind::recovery, keys.recovery_kek(recovery_secret()), data_key());
    test::check_golden("vault.keys", text(keys.bytes()));
    // The recovery code README gives for the secret.
    test::check_golden("recovery-code.txt",
                       std::string(format_recovery_code(recovery_secret()).view()) + "\n");
}

TEST_CASE("the stored vault.keys opens with the passphrase and the recovery code, and only so") {
    const std::string stored = test::golden("vault.keys");
    auto keys = KeysFile::parse(crypto::as_bytes(stored));
    REQUIRE_MESSAGE(keys.has_value(), (keys ? "" : keys.error().message));
    CHECK(keys->kdf().opslimit == kKdf.opslimit);
    CHECK(keys->kdf().memlimit == kKdf.memlimit);
    CHECK(keys->vault_id() == kVaultId);

    const SlotKind passphrase_only[] = {SlotKind::passphrase};
    auto kek = keys->passphrase_kek(passphrase());
    REQUIRE(kek.has_value());
    auto opened = keys->open(*kek, passphrase_only);
    REQUIRE(opened.has_value());
    CHECK(opened->index == kPassphraseSlot);
    CHECK(opened->data_key.equals(data_key().span()));

    const std::string code = test::golden("recovery-code.txt");
    auto secret = parse_recovery_code(std::string_view(code).substr(0, code.size() - 1));
    REQUIRE(secret.has_value());
    const SlotKind recovery_only[] = {SlotKind::recovery};
    auto by_code = keys->open(keys->recovery_kek(*secret), recovery_only);
    REQUIRE(by_code.has_value());
    CHECK(by_code->index == kRecoverySlot);
    CHECK(by_code->data_key.equals(data_key().span()));
    // The passphrase does not open the recovery slot as one: kinds are bound to the slot.
    CHECK(keys->open(*kek, recovery_only).error().code == Errc::auth_failed);

    // Every byte is covered by the checksum: a change anywhere is refused before any KDF.
    for (std::size_t i = 0; i < stored.size(); ++i) {
        std::string bad = stored;
        bad[i] = static_cast<char>(bad[i] ^ 0x01);
        CAPTURE(i);
        CHECK_FALSE(KeysFile::parse(crypto::as_bytes(bad)).has_value());
    }
}
