// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Form definitions read from a directory (docs/FORMS.md): the file I/O the forms layer does
// not do.

#include <filesystem>

#include "crypto/error.h"
#include "forms/registry.h"

namespace svidok::store {

/// Adds every `*.json` file directly in `dir` to `registry`, in file-name order. The first bad
/// file stops the load with its error (which names the file, the JSON path and the reason);
/// nothing from a failed call is added. A definition identical to one already present is
/// accepted; a different one with the same id and version is Errc::exists.
[[nodiscard]] Result<void> load_form_directory(forms::FormRegistry& registry,
                                               const std::filesystem::path& dir);

}  // namespace svidok::store
