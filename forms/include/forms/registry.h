// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The forms known to a running program: the built-in ones and any a caller adds.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/hash.h"
#include "forms/form.h"

namespace svidok::forms {

class FormRegistry {
public:
    /// Adds a definition. Adding one whose id and version are present is a no-op when the
    /// bytes are identical (same SHA-256) and Errc::exists otherwise. Pointers returned by
    /// find() stay valid for the registry's lifetime.
    [[nodiscard]] Result<void> add(FormDefinition form);

    /// The highest version with this id, or nullptr.
    [[nodiscard]] const FormDefinition* find(std::string_view id) const noexcept;
    /// Exactly this id and version, or nullptr.
    [[nodiscard]] const FormDefinition* find(std::string_view id,
                                             std::int64_t version) const noexcept;
    /// The definition with these exact bytes, or nullptr.
    [[nodiscard]] const FormDefinition* find(const crypto::Sha256Digest& sha256) const noexcept;

    /// Every definition, ordered by id, then version.
    [[nodiscard]] std::vector<const FormDefinition*> all() const;

private:
    std::vector<std::unique_ptr<const FormDefinition>> forms_;  // ordered by id, then version
};

/// A registry holding every definition compiled into the binary (forms/builtin.h). An error
/// here means the build embedded a broken definition (Errc as for parse_definition).
[[nodiscard]] Result<FormRegistry> load_builtin();

}  // namespace svidok::forms
