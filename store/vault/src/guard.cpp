// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/guard.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "crypto/encoding.h"
#include "store/atomic_file.h"

namespace svidok::store {
namespace {

constexpr std::array<unsigned char, 8> kMagic{'S', 'V', 'I', 'D', 'O', 'K', 'G', 'D'};
constexpr std::size_t kOffVersion = 8, kOffLimit = 12, kOffFailures = 16, kOffChecksum = 32;

bool allowed(const GuardState& s) noexcept {
    return s.limit <= kMaxWipeAfter && (s.limit == 0 ? s.failures == 0 : s.failures < s.limit);
}

}  // namespace

std::array<unsigned char, kGuardFileBytes> encode_guard(const GuardState& state) {
    if (!allowed(state)) std::abort();
    std::array<unsigned char, kGuardFileBytes> b{};
    std::memcpy(b.data(), kMagic.data(), kMagic.size());
    crypto::store_le16(b.data() + kOffVersion, kGuardVersion);
    crypto::store_le32(b.data() + kOffLimit, state.limit);
    crypto::store_le32(b.data() + kOffFailures, state.failures);
    crypto_generichash(b.data() + kOffChecksum, kGuardFileBytes - kOffChecksum, b.data(),
                       kOffChecksum, nullptr, 0);
    return b;
}

Result<GuardState> parse_guard(std::span<const unsigned char> bytes) {
    if (bytes.size() != kGuardFileBytes) {
        return fail(Errc::corrupt,
                    "vault.guard has " + std::to_string(bytes.size()) + " bytes, expected 64");
    }
    if (std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
        return fail(Errc::corrupt, "vault.guard does not start with its signature");
    }
    std::array<unsigned char, kGuardFileBytes - kOffChecksum> sum{};
    crypto_generichash(sum.data(), sum.size(), bytes.data(), kOffChecksum, nullptr, 0);
    if (sodium_memcmp(sum.data(), bytes.data() + kOffChecksum, sum.size()) != 0) {
        return fail(Errc::corrupt, "vault.guard is damaged (checksum mismatch)");
    }
    if (auto v = crypto::load_le16(bytes.data() + kOffVersion); v != kGuardVersion) {
        return fail(Errc::unsupported, "vault.guard has format version " + std::to_string(v) +
                                           "; this build reads version 1");
    }
    for (std::size_t i : {10u, 11u, 20u, 21u, 22u, 23u, 24u, 25u, 26u, 27u, 28u, 29u, 30u, 31u}) {
        if (bytes[i] != 0) return fail(Errc::corrupt, "vault.guard has non-zero reserved bytes");
    }
    GuardState s{crypto::load_le32(bytes.data() + kOffLimit),
                 crypto::load_le32(bytes.data() + kOffFailures)};
    if (!allowed(s)) {
        return fail(Errc::corrupt, "vault.guard holds values out of range (limit " +
                                       std::to_string(s.limit) + ", failures " +
                                       std::to_string(s.failures) + ")");
    }
    return s;
}

Result<GuardState> read_guard(const std::filesystem::path& vault_dir) {
    auto bytes = read_small_file(vault_dir / kVaultGuardName, 4096);
    if (!bytes) {
        if (bytes.error().code == Errc::not_found) return GuardState{};
        if (bytes.error().code == Errc::corrupt) {
            return fail(Errc::corrupt, "vault.guard is larger than 64 bytes",
                        "a damaged counter counts nothing and blocks nothing; the next unlock "
                        "with the passphrase restores it from the vault");
        }
        return std::unexpected(bytes.error());
    }
    auto state = parse_guard(*bytes);
    if (!state) {
        state.error().hint =
            "a damaged counter counts nothing and blocks nothing; the next unlock with the "
            "passphrase restores it from the vault";
    }
    return state;
}

Result<> write_guard(const std::filesystem::path& vault_dir, const GuardState& state) {
    return write_file_atomic(vault_dir / kVaultGuardName, encode_guard(state));
}

}  // namespace svidok::store
