// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Checks the answers of one testimony against its form (docs/FORMS.md section 3).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "forms/form.h"
#include "forms/json.h"

namespace svidok::forms {

// Limits on values (docs/FORMS.md 3).
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2100;
inline constexpr std::size_t kMaxOtherTextLength = 500;        // code points
inline constexpr std::size_t kMaxLocationDetailsLength = 500;  // code points
inline constexpr std::size_t kMaxAttachmentNameBytes = 255;
inline constexpr std::size_t kMaxCoordinateDecimals = 8;

enum class IssueCode {
    wrong_type,
    unknown_field,
    unknown_member,
    missing_member,
    hidden_answered,
    required,
    out_of_range,
    too_long,
    bad_text,
    unknown_entry,
    other_not_allowed,
    other_missing,
    other_unexpected,
    duplicate_entry,
    bad_date,
    precision_not_allowed,
    date_range_reversed,
    bad_datetime,
    bad_coordinates,
    too_few_items,
    too_many_items,
    consent_time_missing,
    bad_attachment,
    bad_sealed,  // a malformed sealed answer, or one where none may stand (docs/FORMS.md 3.8)
};

/// The stable name of a code ("wrong_type", ...), for JSON output and tests.
[[nodiscard]] std::string_view issue_code_name(IssueCode code) noexcept;

/// One problem in the answers. `path` is like "victims[1].age_at_time" ("" for the answers
/// object itself); `message` is English and never repeats the answer's content.
struct FieldIssue {
    std::string path;
    IssueCode code = IssueCode::wrong_type;
    std::string message;
};

/// Every issue in `answers`, in document order; empty means the answers are valid. Never fails:
/// any JSON value is accepted as input and judged.
[[nodiscard]] std::vector<FieldIssue> validate(const FormDefinition& form,
                                               const json::Value& answers);

}  // namespace svidok::forms
