// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the records layer: sealing a record's sensitive answers to the seal recipients
// (docs/FORMAT.md 9.6, 14.1), for records.cpp.

#include <vector>

#include "crypto/age.h"
#include "db.h"
#include "forms/form.h"
#include "forms/json.h"
#include "forms/record.h"

namespace svidok::store::detail {

/// The age keys of the seal recipients, in the order of their names.
[[nodiscard]] Result<std::vector<crypto::X25519Recipient>> seal_recipient_keys(Db& db);

/// `answers` (validated) with every sensitive answer sealed to the seal recipients, markers
/// already there kept. Errc::invalid, naming what to set, when something is to be sealed and
/// the vault has no seal recipient.
[[nodiscard]] Result<forms::json::Value> seal_sensitive_answers(Db& db,
                                                                const forms::FormDefinition& form,
                                                                const forms::RecordId& id,
                                                                const forms::json::Value& answers);

}  // namespace svidok::store::detail
