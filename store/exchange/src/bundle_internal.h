// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the exchange layer: what the bundle, receipt and sync code share.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "db.h"
#include "forms/bundle_documents.h"
#include "store/identity.h"

namespace svidok::store::detail {

/// This vault's keys as a manifest names them.
[[nodiscard]] Result<forms::SenderKeys> sender_keys_of(const Identity& id);

/// The untrusted comment of every signature this vault makes (docs/FORMAT.md 9.3).
[[nodiscard]] std::string untrusted_comment_for(const Identity& id);

[[nodiscard]] inline crypto::ByteView bytes_of(std::string_view s) noexcept {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

/// Runs one statement that returns no rows, with text/int/blob bound in order.
[[nodiscard]] Result<> exec_bound(Db& db, std::string_view sql,
                                  const std::function<void(Stmt&)>& bind);

/// Writes the receipt for an imported bundle into `dir` (docs/FORMAT.md 13): this vault's
/// cosignature of `checkpoint_note` and its signed list of `documents`, encrypted to the
/// sender. Returns the file's path.
[[nodiscard]] Result<std::filesystem::path> write_receipt(
    const Identity& self, const forms::Manifest& manifest, const crypto::Sha256Digest& file_sha256,
    std::string_view checkpoint_note, std::vector<forms::ReceivedDocument> documents,
    const std::filesystem::path& dir);

}  // namespace svidok::store::detail
