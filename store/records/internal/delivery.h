// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers (records, exchange): who must confirm a document before it counts as
// delivered (docs/FORMAT.md 14.1, "Delivery and purging"). One definition, used by purging, the
// record list's status and the delivery report, so that they never disagree.

#include <string>
#include <string_view>

#include "db.h"
#include "forms/registry.h"

namespace svidok::store::detail {

/// An SQL expression, true when the document at log sequence `seq` (an SQL expression such as
/// "d.seq") was confirmed by a receipt of every custodian: each seal recipient, or every
/// recipient while no seal recipient is chosen. False while there is no recipient.
/// `seal_recipients_table` is false only for a database older than schema 6, which has no seal
/// recipients: every recipient is then a custodian, as with none chosen.
[[nodiscard]] std::string confirmed_by_custodians(std::string_view seq,
                                                  bool seal_recipients_table = true);

/// The SQL condition on a row `cu` of `recipients`: it is a custodian.
inline constexpr std::string_view kIsCustodian =
    "(NOT EXISTS (SELECT 1 FROM seal_recipients) OR cu.name IN (SELECT name FROM seal_recipients))";

/// Brings the list entry (3.1) of every record with a confirmed document up to date, after the
/// custodians changed (a recipient added or removed, the seal recipients chosen). Runs inside
/// the caller's transaction.
[[nodiscard]] Result<> reindex_delivered(Db& db, const forms::FormRegistry& registry);

}  // namespace svidok::store::detail
