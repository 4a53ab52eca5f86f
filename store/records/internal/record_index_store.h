// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers (records, exchange): keeping the record list (docs/FORMAT.md 3.1) up
// to date. Every function runs inside the caller's transaction, so an entry changes together with
// what it reflects.

#include <string_view>

#include "db.h"
#include "forms/record.h"
#include "forms/registry.h"

namespace svidok::store::detail {

/// Brings the entry of this vault's record `id` up to date with vault.db: status, time, the
/// listed answers and the text of its draft (else of its latest version; none once purged).
/// Deletes the entry when the record is gone. Answers that do not parse, or a form `registry`
/// does not hold, leave the values empty rather than fail: the list must not stop a change.
[[nodiscard]] Result<> index_own_record(Db& db, const forms::FormRegistry& registry,
                                        const forms::RecordId& id);

/// The same for the record `id` received from `origin`, from its latest received version.
[[nodiscard]] Result<> index_received_record(Db& db, const forms::FormRegistry& registry,
                                             std::string_view origin, const forms::RecordId& id);

/// Merges the full-text index into one segment, so that text deleted from it (a purge) is no
/// longer anywhere in its b-trees.
[[nodiscard]] Result<> compact_index_text(Db& db);

/// Lists every record the vault holds, its own and received ones (the migration to schema 5),
/// with the built-in forms and the definitions stored in the vault.
[[nodiscard]] Result<> build_record_index(Db& db);

}  // namespace svidok::store::detail
