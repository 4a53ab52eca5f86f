// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the exchange layer: what the bundle, receipt and sync code share.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "db.h"
#include "forms/bundle_documents.h"
#include "store/bundles.h"
#include "store/identity.h"

namespace svidok::store::detail {

/// This vault's keys as a manifest names them.
[[nodiscard]] Result<forms::SenderKeys> sender_keys_of(const Identity& id);

/// A sender's fingerprint (docs/FORMAT.md section 4), always computed from its keys and
/// origin: the one stored when a sender was pinned may be of version 1.
[[nodiscard]] std::string fingerprint_of(const forms::SenderKeys& keys);

/// The untrusted comment of every signature this vault makes (docs/FORMAT.md 9.3).
[[nodiscard]] std::string untrusted_comment_for(const Identity& id);

[[nodiscard]] inline crypto::ByteView bytes_of(std::string_view s) noexcept {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

/// A name the person gives a recipient or a remote: 1-64 bytes of [A-Za-z0-9._-].
[[nodiscard]] bool valid_local_name(std::string_view name);

/// A receipt this vault waits for: a bundle it exported and a recipient that did not confirm it.
struct AwaitedReceipt {
    forms::BundleId bundle;
    crypto::X25519Recipient recipient;
    [[nodiscard]] std::string file_name() const {
        return forms::receipt_file_name(bundle, recipient);
    }
};
[[nodiscard]] Result<std::vector<AwaitedReceipt>> awaited_receipts(Db& db);

/// The sending step of every sync: to each recipient of `to` (empty: every recipient) what it
/// lacks (Bundles::pending), into `out_dir`, one bundle for each set of recipients that lack the
/// same records; none when nothing is pending.
[[nodiscard]] Result<std::vector<Bundles::ExportResult>> export_pending(
    Bundles& bundles, std::vector<std::string> to, const std::filesystem::path& out_dir,
    const BundleProgressFn& progress);

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
