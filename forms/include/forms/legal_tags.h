// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Legal tags suggested by a form's rules from the answers (docs/FORMS.md section 2.5). A
// suggestion is not a finding: a person confirms tags in an ordinary field of the form.

#include <string>
#include <vector>

#include "forms/form.h"
#include "forms/json.h"

namespace svidok::forms {

/// Entry ids of the form's legal vocabulary whose rules fire, each once, in vocabulary order.
/// Any answers are accepted; values of the wrong shape simply do not match.
[[nodiscard]] std::vector<std::string> suggested_legal_tags(const FormDefinition& form,
                                                            const json::Value& answers);

}  // namespace svidok::forms
