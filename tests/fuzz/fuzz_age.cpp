// SPDX-License-Identifier: GPL-3.0-or-later
// age v1 header parsing and decryption (crypto/age.h), as import and receipt import use it:
// the input is an age file (binary or armored) tried with the fixed identity the seeds are
// encrypted to, so mutations reach the stanza unwrap, header MAC and payload STREAM. An age
// testkit vector (/work/shared/vectors/age, "expect: ..." header lines, a blank line, the file)
// is decrypted with the identity it names. No passphrase is offered: scrypt work per input
// would stall the fuzzer. Checks: the one-shot and the streaming decryptor, fed in growing
// pieces, agree on success, plaintext and failure step.
#include <algorithm>
#include <optional>
#include <vector>

#include "fuzz_support.h"

namespace {

using namespace svidok;

void decrypt_both_ways(std::span<const crypto::X25519Identity> ids, crypto::ByteView file) {
    const crypto::AgeIdentities who{ids, nullptr};
    auto whole = crypto::age_decrypt(who, file);

    std::vector<unsigned char> streamed;
    crypto::AgeDecryptor dec(who, [&](crypto::ByteView b) -> Result<> {
        streamed.insert(streamed.end(), b.begin(), b.end());
        return {};
    });
    Result<> r;
    std::size_t at = 0;
    std::size_t step = 1;
    while (r && at < file.size()) {
        const std::size_t n = std::min(step, file.size() - at);
        r = dec.feed(file.subspan(at, n));
        at += n;
        step = step * 2 + 1;
    }
    if (r) r = dec.finish();
    fuzz::require(r.has_value() == whole.has_value());
    if (whole) {
        fuzz::require(dec.failure() == crypto::AgeFailure::none);
        fuzz::require(std::ranges::equal(streamed, whole->span()));
    } else {
        fuzz::require(dec.failure() != crypto::AgeFailure::none);
        fuzz::require(!whole.error().message.empty());
    }
}

/// The file of a testkit vector and its identities; nullopt if the input is not one (or its
/// body is zlib-compressed, which only the doctest suite inflates).
std::optional<std::pair<std::vector<crypto::X25519Identity>, crypto::ByteView>> testkit(
    std::string_view in) {
    if (!in.starts_with("expect: ")) return std::nullopt;
    const auto end = in.find("\n\n");
    if (end == std::string_view::npos) return std::nullopt;
    std::vector<crypto::X25519Identity> ids;
    std::string_view head = in.substr(0, end + 1);
    while (!head.empty()) {
        const auto nl = head.find('\n');
        const std::string_view line = head.substr(0, nl);
        head.remove_prefix(nl + 1);
        if (line == "compressed: zlib") return std::nullopt;
        if (line.starts_with("identity: ")) {
            auto id = crypto::X25519Identity::parse(line.substr(10));
            if (id) ids.push_back(std::move(*id));
        }
    }
    if (ids.empty()) return std::nullopt;
    const auto body = in.substr(end + 2);
    return std::pair{
        std::move(ids),
        crypto::ByteView(reinterpret_cast<const unsigned char*>(body.data()), body.size())};
}

}  // namespace

SVIDOK_FUZZ_TARGET(age) {
    fuzz::init();
    if (auto kit = testkit(fuzz::text(data, size))) {
        decrypt_both_ways(kit->first, kit->second);
        return 0;
    }
    decrypt_both_ways(std::span(&fuzz::age_identity(), 1), fuzz::bytes(data, size));
    return 0;
}
