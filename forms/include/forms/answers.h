// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Skeleton and example answers of a form (docs/FORMS.md section 4).

#include "forms/form.h"
#include "forms/json.h"

namespace svidok::forms {

/// Every field of the form: groups as objects of their children, each repeat as an array with
/// one item, every other field null. Shows the shape; does not validate.
[[nodiscard]] json::Value template_for(const FormDefinition& form);

/// The definition's complete, realistic, fictional example testimony; it validates as-is.
[[nodiscard]] json::Value example_for(const FormDefinition& form);

}  // namespace svidok::forms
