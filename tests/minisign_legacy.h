// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A legacy ("Ed", whole-message) minisign signature, as `minisign -S -l` makes it: Svidok never
// writes one, so tests that check it is refused build it here (docs/FORMAT.md 5).

#include <sodium.h>

#include <string>
#include <string_view>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/minisign.h"

namespace svidok::test {

inline std::string legacy_minisig(const crypto::minisign::SigningKey& key, std::string_view message,
                                  std::string_view trusted_comment) {
    namespace ms = crypto::minisign;
    auto raw = key.to_raw();
    const unsigned char* sk = raw.data() + ms::kKeyIdBytes;
    std::vector<unsigned char> block{'E', 'd'};
    block.insert(block.end(), raw.data(), raw.data() + ms::kKeyIdBytes);
    ms::Signature s{};
    crypto_sign_detached(s.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), sk);
    block.insert(block.end(), s.begin(), s.end());
    std::vector<unsigned char> global_msg(s.begin(), s.end());
    global_msg.insert(global_msg.end(), trusted_comment.begin(), trusted_comment.end());
    ms::Signature g{};
    crypto_sign_detached(g.data(), nullptr, global_msg.data(), global_msg.size(), sk);
    return "untrusted comment: x\n" + crypto::to_base64(block) +
           "\ntrusted comment: " + std::string(trusted_comment) + "\n" + crypto::to_base64(g) +
           "\n";
}

}  // namespace svidok::test
