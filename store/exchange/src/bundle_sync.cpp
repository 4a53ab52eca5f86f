// SPDX-License-Identifier: GPL-3.0-or-later
// One step for both sides of a shared folder (a USB stick, a Syncthing or Nextcloud folder).
#include <sys/stat.h>

#include <algorithm>

#include "bundle_internal.h"
#include "sealed_file.h"
#include "store/atomic_file.h"
#include "store/bundles.h"
#include "vault_layer.h"

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
    Db& db = detail::database(records_->vault());
    SyncResult result;

    // Sending side: everything undelivered, in one bundle.
    std::vector<std::string> to = options.to;
    if (to.empty()) {
        auto all = recipients();
        if (!all) return std::unexpected(all.error());
        for (const auto& r : *all) to.push_back(r.name);
    }
    if (!to.empty()) {
        ExportOptions ex;
        ex.to = to;
        ex.out_dir = *outbox;
        ex.selection = Selection::undelivered;
        ex.progress = options.progress;
        auto made = export_bundle(ex);
        if (made) {
            result.exported = *made;
        } else if (made.error().code != Errc::not_found) {
            return std::unexpected(made.error());
        }
    }

    // Sending side: receipts for bundles this vault exported, by their computable names.
    {
        auto st = db.prepare(
            "SELECT r.bundle, r.age_recipient FROM export_recipients r WHERE NOT EXISTS"
            " (SELECT 1 FROM receipts c WHERE c.bundle = r.bundle AND c.age_recipient ="
            " r.age_recipient) ORDER BY r.bundle, r.age_recipient");
        if (!st) return std::unexpected(st.error());
        struct Expected {
            forms::BundleId bundle;
            std::string age;
        };
        auto expected = collect_rows<Expected>(*st, [](const Stmt& row) -> Result<Expected> {
            auto id = fixed_blob<forms::BundleId>(row, 0, "bundle id");
            if (!id) return std::unexpected(id.error());
            return Expected{*id, row.column_text(1)};
        });
        if (!expected) return std::unexpected(expected.error());
        for (const auto& e : *expected) {
            auto age = crypto::X25519Recipient::parse(e.age);
            if (!age) continue;
            const fs::path file = *receipts_dir / forms::receipt_file_name(e.bundle, *age);
            if (!fs::exists(file, ec)) continue;
            auto got = import_receipt(file);
            if (got) {
                result.receipts.push_back(*got);
            } else {
                result.problems.push_back(file.filename().string() + ": " + got.error().message);
            }
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
