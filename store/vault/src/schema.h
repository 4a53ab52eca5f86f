// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the vault layer's opening code: the schema runner over every layer's registered
// steps (vault_layer.h).
#include "db.h"

namespace svidok::store {

/// Applies every migration above PRAGMA user_version, each in its own transaction.
/// Errc::unsupported when the database is newer than this build.
[[nodiscard]] Result<> migrate(Db& db);

}  // namespace svidok::store
