// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to store/: where attachment blob files live and how leftovers of a crash are removed
// (docs/FORMAT.md 11.1 and 11.3).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "db.h"

namespace svidok::store::detail {

inline constexpr const char* kAttachmentsDirName = "attachments";
inline constexpr std::string_view kPartialSuffix = ".partial";

[[nodiscard]] std::filesystem::path attachments_dir(const std::filesystem::path& vault_dir);

/// Removes every `*.partial` file in attachments/ and every blob file that no `attachments`
/// row names. Run at every open, so nothing a crash left survives it.
[[nodiscard]] Result<> remove_orphan_blobs(const std::filesystem::path& vault_dir, Db& db);

/// Unlinks blob files whose rows were deleted and committed. Best effort: one that stays is an
/// orphan, removed at the next open.
void remove_blobs(const std::filesystem::path& vault_dir, const std::vector<std::string>& names);

}  // namespace svidok::store::detail
