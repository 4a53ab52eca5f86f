// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the store layers (records, exchange): record rows shared by records.cpp,
// attachments.cpp and the received-records code.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/hash.h"
#include "db.h"
#include "forms/json.h"
#include "forms/record.h"

namespace svidok::store::detail {

/// A record id or a prefix of at least 6 hex digits, uppercased to compare with SQL hex();
/// Errc::usage for anything else.
[[nodiscard]] Result<std::string> record_id_prefix(std::string_view text);

/// Replaces the draft's answers (canonical bytes) and touches the record. Inside a transaction.
[[nodiscard]] Result<> write_draft(Db& db, const forms::RecordId& id,
                                   const forms::json::Value& answers);

/// For each file the record's sealed versions reference: the versions, ascending.
[[nodiscard]] Result<std::map<crypto::Sha256Digest, std::vector<std::int64_t>>> sealed_attachments(
    Db& db, const forms::RecordId& id);

}  // namespace svidok::store::detail
