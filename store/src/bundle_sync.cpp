// SPDX-License-Identifier: GPL-3.0-or-later
// One step for both sides of a shared folder (a USB stick, a Syncthing or Nextcloud folder).
#include <sys/stat.h>

#include <algorithm>

#include "bundle_internal.h"
#include "sealed_file.h"
#include "store/atomic_file.h"
#include "store/bundles.h"

namespace svidok::store {

namespace fs = std::filesystem;

namespace {

Result<fs::path> ensure_subdir(const fs::path& folder, const char* name) {
    const fs::path dir = folder / name;
    if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
        std::error_code ec;
        if (fs::is_directory(dir, ec)) return dir;
    }
    return fail(Errc::io, "cannot use the folder " + dir.string() + ": " + errno_text(errno),
                "check that " + folder.string() + " exists and is writable");
}

/// Complete bundles in `dir`: "<32 hex>.age" with its ".minisig" beside it, by name.
std::vector<fs::path> complete_bundles(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (!name.ends_with(forms::kBundleSuffix) ||
            !forms::parse_bundle_id(name.substr(0, name.size() - forms::kBundleSuffix.size())))
            continue;
        if (!fs::is_regular_file(e.path(), ec)) continue;
        if (!fs::exists(e.path().string() + std::string(forms::kSignatureSuffix), ec)) continue;
        out.push_back(e.path());
    }
    std::ranges::sort(out);
    return out;
}

}  // namespace

namespace detail {

Result<std::vector<AwaitedReceipt>> awaited_receipts(Db& db) {
    auto st = db.prepare(
        "SELECT r.bundle, r.age_recipient FROM export_recipients r WHERE NOT EXISTS"
        " (SELECT 1 FROM receipts c WHERE c.bundle = r.bundle AND c.age_recipient ="
        " r.age_recipient) ORDER BY r.bundle, r.age_recipient");
    if (!st) return std::unexpected(st.error());
    auto rows = collect_rows<std::optional<AwaitedReceipt>>(
        *st, [](const Stmt& row) -> Result<std::optional<AwaitedReceipt>> {
            auto id = fixed_blob<forms::BundleId>(row, 0, "bundle id");
            if (!id) return std::unexpected(id.error());
            auto age = crypto::X25519Recipient::parse(row.column_text(1));
            if (!age) return std::nullopt;  // a plain age key without receipts
            return AwaitedReceipt{*id, *age};
        });
    if (!rows) return std::unexpected(rows.error());
    std::vector<AwaitedReceipt> out;
    for (auto& r : *rows) {
        if (r) out.push_back(*r);
    }
    return out;
}

Result<std::optional<Bundles::ExportResult>> export_pending(Bundles& bundles,
                                                            std::vector<std::string> to,
                                                            const fs::path& out_dir,
                                                            const BundleProgressFn& progress) {
    if (to.empty()) {
        auto all = bundles.recipients();
        if (!all) return std::unexpected(all.error());
        for (const auto& r : *all) to.push_back(r.name);
    }
    if (to.empty()) return std::nullopt;
    Bundles::ExportOptions ex;
    ex.to = std::move(to);
    ex.out_dir = out_dir;
    ex.selection = Bundles::Selection::undelivered;
    ex.progress = progress;
    auto made = bundles.export_bundle(ex);
    if (made) return *made;
    if (made.error().code == Errc::not_found) return std::nullopt;
    return std::unexpected(made.error());
}

}  // namespace detail

Result<Bundles::SyncResult> Bundles::sync(const SyncOptions& options) {
    std::error_code ec;
    if (!fs::is_directory(options.folder, ec)) {
        return fail(Errc::not_found, "there is no folder " + options.folder.string(),
                    "plug in the stick or create the shared folder first");
    }
    auto outbox = ensure_subdir(options.folder, "outbox");
    if (!outbox) return std::unexpected(outbox.error());
    auto receipts_dir = ensure_subdir(options.folder, "receipts");
    if (!receipts_dir) return std::unexpected(receipts_dir.error());
    Db& db = records_->vault_->db();
    SyncResult result;

    // Sending side: everything undelivered, in one bundle.
    auto made = detail::export_pending(*this, options.to, *outbox, options.progress);
    if (!made) return std::unexpected(made.error());
    result.exported = *made;

    // Sending side: receipts for bundles this vault exported, by their computable names.
    auto awaited = detail::awaited_receipts(db);
    if (!awaited) return std::unexpected(awaited.error());
    for (const auto& e : *awaited) {
        const fs::path file = *receipts_dir / e.file_name();
        if (!fs::exists(file, ec)) continue;
        auto got = import_receipt(file);
        if (got) {
            result.receipts.push_back(*got);
        } else {
            result.problems.push_back(file.filename().string() + ": " + got.error().message);
        }
    }

    // Receiving side: new bundles addressed to this vault.
    for (const auto& file : complete_bundles(*outbox)) {
        auto id = forms::parse_bundle_id(file.stem().string());
        if (!id) continue;
        auto own = db.prepare("SELECT 1 FROM exports WHERE bundle = ?");
        if (!own) return std::unexpected(own.error());
        own->bind_blob(1, *id);
        auto mine = own->step();
        if (!mine) return std::unexpected(mine.error());
        if (*mine) continue;  // this vault wrote it
        ImportOptions im;
        im.trust_fingerprint = options.trust_fingerprint;
        im.receipt_dir = *receipts_dir;
        im.progress = options.progress;
        auto got = import_bundle(file, im);
        if (got) {
            if (!got->already_imported) result.imported.push_back(*got);
        } else if (got.error().message != detail::kNotAddressedMessage) {
            result.problems.push_back(file.filename().string() + ": " + got.error().message);
        }
    }
    return result;
}

}  // namespace svidok::store
