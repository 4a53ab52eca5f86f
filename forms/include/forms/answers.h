// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Skeleton and example answers of a form (docs/FORMS.md section 4), and the file references
// inside answers.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/hash.h"
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

/// Whether `name` may name an attached file: 1 to kMaxAttachmentNameBytes bytes, no control
/// characters, no "/" or "\\", not "." or ".." (docs/FORMS.md 3.6).
[[nodiscard]] bool valid_attachment_name(std::string_view name) noexcept;

/// The `attachments` field a newly attached file goes to: the one with id `field_id`, or, when
/// it is empty, the form's only `attachments` field outside repeating groups. Errc::usage naming
/// the choices when there is none or several, or the id names another kind of field.
[[nodiscard]] Result<const Field*> attachment_field(const FormDefinition& form,
                                                    std::string_view field_id);

/// `answers` with {"name": name, "sha256": hex} appended to `field`'s array, creating the
/// enclosing groups and the array where they are absent or null. Unchanged when the field
/// already references this hash. Errc::invalid when an enclosing answer is not an object or the
/// field's answer is not an array (the draft would not validate anyway).
[[nodiscard]] Result<json::Value> add_attachment_reference(const FormDefinition& form,
                                                           const Field& field, json::Value answers,
                                                           std::string_view name,
                                                           const crypto::Sha256Digest& sha256);

/// The definition's complete, realistic, fictional example testimony; it validates as-is.
[[nodiscard]] json::Value example_for(const FormDefinition& form);

/// The days a date can denote (docs/FORMS.md 3.2), for listing and filtering records.
struct DateSpan {
    std::string text;  // as answered: "2024-03-05", "2024-03", "2024", or "from/to" for a range
    bool approximate = false;
    std::string first;  // YYYY-MM-DD of the first day it can denote
    std::string last;   // YYYY-MM-DD of the last day
};

/// The span of a `date` answer; nullopt when the answer is not a well-formed date (a draft need
/// not validate; validation says why). The field's allowed precisions are not checked.
[[nodiscard]] std::optional<DateSpan> date_span(const json::Value& answer);

/// The span of one calendar string `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (not approximate); nullopt
/// when it is not a real date of years 1900..2100.
[[nodiscard]] std::optional<DateSpan> calendar_span(std::string_view text);

}  // namespace svidok::forms
