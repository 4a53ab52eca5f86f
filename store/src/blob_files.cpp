// SPDX-License-Identifier: GPL-3.0-or-later
#include "blob_files.h"

#include <unistd.h>

#include <set>

#include "store/atomic_file.h"

namespace svidok::store::detail {
namespace fs = std::filesystem;

fs::path attachments_dir(const fs::path& vault_dir) {
    return vault_dir / kAttachmentsDirName;
}

Result<> remove_orphan_blobs(const fs::path& vault_dir, Db& db) {
    const fs::path dir = attachments_dir(vault_dir);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return {};
    auto st = db.prepare("SELECT blob FROM attachments");
    if (!st) return std::unexpected(st.error());
    auto names = collect_rows<std::string>(
        *st, [](const Stmt& row) -> Result<std::string> { return row.column_text(0); });
    if (!names) return std::unexpected(names.error());
    const std::set<std::string> known(names->begin(), names->end());
    bool removed = false;
    fs::directory_iterator it(dir, ec);
    if (ec) return fail(Errc::io, "cannot list " + dir.string() + ": " + ec.message());
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        const bool partial = name.ends_with(kPartialSuffix);
        const bool blob =
            name.size() == 32 && name.find_first_not_of("0123456789abcdef") == std::string::npos;
        if (!partial && !(blob && !known.contains(name))) continue;
        if (::unlink(entry.path().c_str()) != 0) {
            return fail(Errc::io, "cannot remove the leftover " + entry.path().string() + ": " +
                                      errno_text(errno));
        }
        removed = true;
    }
    return removed ? fsync_directory(dir) : Result<>{};
}

void remove_blobs(const fs::path& vault_dir, const std::vector<std::string>& names) {
    if (names.empty()) return;
    const fs::path dir = attachments_dir(vault_dir);
    for (const auto& name : names) ::unlink((dir / name).c_str());
    (void)fsync_directory(dir);
}

}  // namespace svidok::store::detail
