// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Skeleton and example answers of a form (docs/FORMS.md section 4), and the file references
// inside answers.

#include <string>
#include <vector>

#include "forms/form.h"
#include "forms/json.h"

namespace svidok::forms {

/// Every field of the form: groups as objects of their children, each repeat as an array with
/// one item, every other field null. Shows the shape; does not validate.
[[nodiscard]] json::Value template_for(const FormDefinition& form);

/// One file reference of an `attachments` answer (docs/FORMS.md 3.6).
struct AttachmentReference {
    std::string path;  // e.g. "evidence.attachments[1]"
    std::string name;
    std::string sha256_hex;
};

/// Every file reference in the answers, in document order. References of the wrong shape are
/// skipped (validation reports them).
[[nodiscard]] std::vector<AttachmentReference> attachment_references(const FormDefinition& form,
                                                                     const json::Value& answers);

/// The definition's complete, realistic, fictional example testimony; it validates as-is.
[[nodiscard]] json::Value example_for(const FormDefinition& form);

}  // namespace svidok::forms
