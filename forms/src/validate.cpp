// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/validate.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>

#include "forms/answers.h"
#include "forms/condition.h"
#include "forms/sealed.h"
#include "values.h"

namespace svidok::forms {

using detail::index_path;
using detail::member_path;
using detail::quoted;

namespace {

constexpr std::array<std::string_view, 24> kIssueNames = {"wrong_type",
                                                          "unknown_field",
                                                          "unknown_member",
                                                          "missing_member",
                                                          "hidden_answered",
                                                          "required",
                                                          "out_of_range",
                                                          "too_long",
                                                          "bad_text",
                                                          "unknown_entry",
                                                          "other_not_allowed",
                                                          "other_missing",
                                                          "other_unexpected",
                                                          "duplicate_entry",
                                                          "bad_date",
                                                          "precision_not_allowed",
                                                          "date_range_reversed",
                                                          "bad_datetime",
                                                          "bad_coordinates",
                                                          "too_few_items",
                                                          "too_many_items",
                                                          "consent_time_missing",
                                                          "bad_attachment",
                                                          "bad_sealed"};

constexpr std::string_view kDatetimeShape = "a date and time like 2024-05-14T10:30:00+03:00";

bool present(const json::Value* v) {
    return v != nullptr && !v->is_null();
}

// The path of the first marker inside `v` (v itself excluded), in document order.
std::optional<std::string> marker_inside(const json::Value& v, const std::string& path) {
    if (v.is_object()) {
        for (const auto& [key, m] : v.as_object()) {
            const std::string here = member_path(path, key);
            if (is_sealed_marker(m)) return here;
            if (auto found = marker_inside(m, here)) return found;
        }
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.as_array().size(); ++i) {
            const std::string here = index_path(path, i);
            if (is_sealed_marker(v.as_array()[i])) return here;
            if (auto found = marker_inside(v.as_array()[i], here)) return found;
        }
    }
    return std::nullopt;
}

// Whether an element before `i` has the same `key` member as element `i` (which has it).
// Earlier elements may be malformed; they were reported already.
bool earlier_has(const json::Array& items, std::size_t i, std::string_view key) {
    const json::Value& mine = *items[i].find(key);
    return std::any_of(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(i),
                       [&](const json::Value& e) {
                           const json::Value* other = e.is_object() ? e.find(key) : nullptr;
                           return other != nullptr && *other == mine;
                       });
}

class Validator {
public:
    Validator(const FormDefinition& form, const json::Value& answers)
        : form_(form), answers_(answers) {}

    std::vector<FieldIssue> run() {
        if (is_sealed_marker(answers_)) {
            add("", IssueCode::bad_sealed, "the answers object itself cannot be sealed");
        } else if (!answers_.is_object()) {
            add("", IssueCode::wrong_type, "the answers must be a JSON object");
        } else {
            members(&answers_, form_.top_level(), "", AnswerScope(form_, answers_));
        }
        return std::move(issues_);
    }

private:
    bool add(std::string path, IssueCode code, std::string message) {
        issues_.push_back({std::move(path), code, std::move(message)});
        return false;
    }

    // The children of a group, the top level or a repeat item. `obj` may be nullptr (absent).
    void members(const json::Value* obj, std::span<const std::size_t> children,
                 const std::string& path, const AnswerScope& scope) {
        if (obj != nullptr) {
            // Named, not a structured binding: clang 14 (the fuzz build) cannot capture one.
            for (const auto& member : obj->as_object()) {
                const std::string& key = member.first;
                const bool known = std::ranges::any_of(
                    children, [&](std::size_t c) { return form_.field(c).id == key; });
                if (!known)
                    add(member_path(path, key), IssueCode::unknown_field, "is not a field here");
            }
        }
        for (std::size_t c : children) {
            const json::Value* v = obj != nullptr ? obj->find(form_.field(c).id) : nullptr;
            field(c, v, member_path(path, form_.field(c).id), scope);
        }
    }

    void field(std::size_t index, const json::Value* v, const std::string& path,
               const AnswerScope& scope) {
        const Field& f = form_.field(index);
        if (!scope.visible(index)) {
            if (!is_empty_answer(v)) {
                add(path, IssueCode::hidden_answered, "must be empty while this field is hidden");
            }
            return;
        }
        if (present(v) && is_sealed_marker(*v)) {
            sealed(index, *v, path);
            return;
        }
        if (f.kind == FieldKind::group) {
            if (present(v) && !v->is_object()) {
                add(path, IssueCode::wrong_type, "must be an object");
                return;
            }
            members(present(v) ? v : nullptr, f.children, path, scope);
            return;
        }
        if (f.kind == FieldKind::repeat) {
            repeat(index, v, path);
            return;
        }
        if (!present(v)) {
            if (f.required) add(path, IssueCode::required, "is required");
            return;
        }
        if (auto inner = marker_inside(*v, path)) {
            add(*inner, IssueCode::bad_sealed, "a sealed answer cannot stand inside a value");
            return;
        }
        if (value(f, *v, path) && f.required && is_empty_answer(v)) {
            add(path, IssueCode::required, "is required");
        }
    }

    // A marker at a visible field (docs/FORMS.md 3.8): a non-empty answer of any kind at an
    // outermost sensitive field when well formed; an issue anywhere else.
    void sealed(std::size_t index, const json::Value& v, const std::string& path) {
        if (!is_outermost_sensitive(form_, index)) {
            add(path, IssueCode::bad_sealed,
                form_.field(index).sensitive
                    ? "is inside a sensitive group or repeat, which is sealed as a whole"
                    : "only the answer of a sensitive field can be sealed");
            return;
        }
        if (auto marker = parse_sealed_marker(v); !marker) {
            add(path, IssueCode::bad_sealed, "malformed sealed answer: " + marker.error().message);
        }
    }

    void repeat(std::size_t index, const json::Value* v, const std::string& path) {
        const Field& f = form_.field(index);
        if (present(v) && !v->is_array()) {
            add(path, IssueCode::wrong_type, "must be an array of items");
            return;
        }
        const std::size_t n = present(v) ? v->as_array().size() : 0;
        if (!counts(f, n, path)) return;
        for (std::size_t i = 0; i < n; ++i) {
            const json::Value& item = v->as_array()[i];
            const std::string ipath = index_path(path, i);
            if (is_sealed_marker(item)) {
                add(ipath, IssueCode::bad_sealed,
                    "an item cannot be sealed; only the answer of a sensitive field can");
                continue;
            }
            if (!item.is_object()) {
                add(ipath, IssueCode::wrong_type, "must be an object");
                continue;
            }
            members(&item, f.children, ipath, AnswerScope(form_, answers_, index, i));
        }
    }

    bool counts(const Field& f, std::size_t n, const std::string& path) {
        if (n < f.min_items) {
            return add(path, IssueCode::too_few_items,
                       "needs at least " + std::to_string(f.min_items) + " items");
        }
        if (n > f.max_items) {
            return add(path, IssueCode::too_many_items,
                       "allows at most " + std::to_string(f.max_items) + " items");
        }
        return true;
    }

    // Checks a present, non-null answer of a value kind; true when its shape is right.
    bool value(const Field& f, const json::Value& v, const std::string& path) {
        switch (f.kind) {
            case FieldKind::short_text:
                return text(v, path, f.max_length, false);
            case FieldKind::long_text:
                return text(v, path, f.max_length, true);
            case FieldKind::integer:
                if (!v.is_int()) return add(path, IssueCode::wrong_type, "must be an integer");
                if (v.as_int() < f.min || v.as_int() > f.max) {
                    return add(path, IssueCode::out_of_range,
                               "must be an integer between " + std::to_string(f.min) + " and " +
                                   std::to_string(f.max));
                }
                return true;
            case FieldKind::boolean:
                return v.is_bool() || add(path, IssueCode::wrong_type, "must be true or false");
            case FieldKind::datetime:
                return datetime(v, path);
            case FieldKind::date:
                return date(f, v, path);
            case FieldKind::single_choice:
                return choice(v, path, form_.find_vocabulary(f.vocabulary), f.allow_other);
            case FieldKind::multi_choice:
                return multi_choice(f, v, path);
            case FieldKind::location:
                return location(f, v, path);
            case FieldKind::consent:
                return consent(v, path);
            case FieldKind::attachments:
                return attachments(f, v, path);
            case FieldKind::group:
            case FieldKind::repeat:
                break;
        }
        return true;
    }

    bool text(const json::Value& v, const std::string& path, std::size_t max_length,
              bool multiline) {
        if (!v.is_string()) return add(path, IssueCode::wrong_type, "must be a string");
        if (detail::has_control(v.as_string(), multiline)) {
            return add(path, IssueCode::bad_text,
                       multiline ? "contains a control character other than line feed or tab"
                                 : "contains a control character or line break");
        }
        if (detail::code_points(v.as_string()) > max_length) {
            return add(path, IssueCode::too_long,
                       "is longer than " + std::to_string(max_length) + " characters");
        }
        return true;
    }

    bool datetime(const json::Value& v, const std::string& path) {
        if (!v.is_string()) {
            return add(path, IssueCode::wrong_type,
                       "must be a string: " + std::string(kDatetimeShape));
        }
        return detail::is_datetime(v.as_string()) ||
               add(path, IssueCode::bad_datetime, "must be " + std::string(kDatetimeShape));
    }

    // Reports members outside `allowed`; true when there are none.
    bool closed(const json::Value& obj, const std::string& path,
                std::span<const std::string_view> allowed) {
        bool ok = true;
        for (const auto& [key, value] : obj.as_object()) {
            if (std::ranges::find(allowed, key) == allowed.end()) {
                ok = add(member_path(path, key), IssueCode::unknown_member, "is not allowed here");
            }
        }
        return ok;
    }

    // The member `key` of `obj` if it is present, non-null and passes `is_type`.
    const json::Value* member(const json::Value& obj, const std::string& path, std::string_view key,
                              bool (json::Value::*is_type)() const noexcept,
                              std::string_view type_desc) {
        const json::Value* m = obj.find(key);
        if (!present(m)) {
            add(member_path(path, key), IssueCode::missing_member, "is missing");
            return nullptr;
        }
        if (!(m->*is_type)()) {
            add(member_path(path, key), IssueCode::wrong_type, "must be " + std::string(type_desc));
            return nullptr;
        }
        return m;
    }

    bool date(const Field& f, const json::Value& v, const std::string& path) {
        static constexpr std::array<std::string_view, 3> kPoint = {"precision", "value",
                                                                   "approximate"};
        static constexpr std::array<std::string_view, 4> kRange = {"precision", "from", "to",
                                                                   "approximate"};
        if (!v.is_object()) {
            return add(path, IssueCode::wrong_type,
                       "must be an object with \"precision\", a date and \"approximate\"");
        }
        const json::Value* p = member(v, path, "precision", &json::Value::is_string, "a string");
        if (p == nullptr) return false;
        const std::string ppath = member_path(path, "precision");
        std::optional<DatePrecision> precision;
        for (DatePrecision d : {DatePrecision::day, DatePrecision::month, DatePrecision::year,
                                DatePrecision::range}) {
            if (date_precision_name(d) == p->as_string()) precision = d;
        }
        if (!precision) {
            return add(ppath, IssueCode::bad_date,
                       "must be \"day\", \"month\", \"year\" or \"range\"");
        }
        if (std::ranges::find(f.precisions, *precision) == f.precisions.end()) {
            return add(ppath, IssueCode::precision_not_allowed,
                       "precision \"" + p->as_string() + "\" is not allowed for this field");
        }
        const bool is_range = *precision == DatePrecision::range;
        bool ok = is_range ? closed(v, path, kRange) : closed(v, path, kPoint);
        ok =
            member(v, path, "approximate", &json::Value::is_bool, "true or false") != nullptr && ok;
        if (!is_range) {
            static constexpr std::array<detail::CalendarSpan::Form, 3> kForms = {
                detail::CalendarSpan::Form::day, detail::CalendarSpan::Form::month,
                detail::CalendarSpan::Form::year};
            static constexpr std::array<std::string_view, 3> kShapes = {"YYYY-MM-DD", "YYYY-MM",
                                                                        "YYYY"};
            const auto k = static_cast<std::size_t>(*precision);
            const auto span = calendar(v, path, "value");
            if (span && span->form != kForms.at(k)) {
                return add(member_path(path, "value"), IssueCode::bad_date,
                           "must be written " + std::string(kShapes.at(k)) + " for this precision");
            }
            return span.has_value() && ok;
        }
        const auto from = calendar(v, path, "from");
        const auto to = calendar(v, path, "to");
        if (!from || !to) return false;
        if (from->first > to->last) {
            return add(path, IssueCode::date_range_reversed, "the range starts after it ends");
        }
        return ok;
    }

    std::optional<detail::CalendarSpan> calendar(const json::Value& v, const std::string& path,
                                                 std::string_view key) {
        const json::Value* m = member(v, path, key, &json::Value::is_string, "a string");
        if (m == nullptr) return std::nullopt;
        auto span = detail::parse_calendar(m->as_string());
        if (!span) {
            add(member_path(path, key), IssueCode::bad_date,
                "must be a real date written YYYY, YYYY-MM or YYYY-MM-DD, years " +
                    std::to_string(kMinYear) + " to " + std::to_string(kMaxYear));
        }
        return span;
    }

    // A choice {"value", "other"}; `vocab` nullptr means free text only (location parts).
    bool choice(const json::Value& v, const std::string& path, const Vocabulary* vocab,
                bool allow_other) {
        static constexpr std::array<std::string_view, 2> kMembers = {"value", "other"};
        if (!v.is_object()) {
            return add(path, IssueCode::wrong_type,
                       "must be an object with \"value\" and \"other\"");
        }
        bool ok = closed(v, path, kMembers);
        const json::Value* value = member(v, path, "value", &json::Value::is_string, "a string");
        const json::Value* other = v.find("other");
        const std::string opath = member_path(path, "other");
        if (present(other) && !other->is_string()) {
            return add(opath, IssueCode::wrong_type, "must be a string or null");
        }
        if (value == nullptr) return false;
        const std::string vpath = member_path(path, "value");
        if (value->as_string() == "other") {
            if (!allow_other) {
                return add(vpath, IssueCode::other_not_allowed, "free text is not allowed here");
            }
            if (!present(other) || detail::is_blank(other->as_string())) {
                return add(opath, IssueCode::other_missing,
                           "the free text is required when \"other\" is chosen");
            }
            return text(*other, opath, kMaxOtherTextLength, false) && ok;
        }
        if (vocab == nullptr || vocab->find(value->as_string()) == nullptr) {
            return add(vpath, IssueCode::unknown_entry,
                       vocab == nullptr
                           ? std::string("takes free text only: use \"other\" with the text")
                           : "is not an entry of vocabulary " + quoted(vocab->id) +
                                 (allow_other ? "; use \"other\" with free text" : ""));
        }
        if (present(other)) {
            return add(opath, IssueCode::other_unexpected,
                       "must be null unless \"other\" is chosen");
        }
        return ok;
    }

    bool multi_choice(const Field& f, const json::Value& v, const std::string& path) {
        if (!v.is_array()) return add(path, IssueCode::wrong_type, "must be an array of choices");
        const json::Array& items = v.as_array();
        if (!items.empty() && !counts(f, items.size(), path)) return false;
        const Vocabulary* vocab = form_.find_vocabulary(f.vocabulary);
        bool ok = true;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string ipath = index_path(path, i);
            if (!choice(items[i], ipath, vocab, f.allow_other)) {
                ok = false;
                continue;
            }
            if (earlier_has(items, i, "value")) {
                ok = add(member_path(ipath, "value"), IssueCode::duplicate_entry,
                         "is chosen more than once");
            }
        }
        return ok;
    }

    bool location(const Field& f, const json::Value& v, const std::string& path) {
        static constexpr std::array<std::string_view, 5> kMembers = {
            "oblast", "raion", "settlement", "details", "coordinates"};
        if (!v.is_object()) return add(path, IssueCode::wrong_type, "must be an object");
        bool ok = closed(v, path, kMembers);
        const std::array<std::pair<std::string_view, const std::string*>, 3> parts = {{
            {"oblast", &f.oblast_vocabulary},
            {"raion", &f.raion_vocabulary},
            {"settlement", &f.settlement_vocabulary},
        }};
        for (const auto& [key, vocab_id] : parts) {
            const json::Value* part = v.find(key);
            if (!present(part)) continue;
            const Vocabulary* vocab =
                vocab_id->empty() ? nullptr : form_.find_vocabulary(*vocab_id);
            ok = choice(*part, member_path(path, key), vocab, true) && ok;
        }
        if (const json::Value* details = v.find("details"); present(details)) {
            ok = text(*details, member_path(path, "details"), kMaxLocationDetailsLength, false) &&
                 ok;
        }
        if (const json::Value* c = v.find("coordinates"); present(c)) {
            ok = coordinates(*c, member_path(path, "coordinates")) && ok;
        }
        return ok;
    }

    bool coordinates(const json::Value& v, const std::string& path) {
        static constexpr std::array<std::string_view, 2> kMembers = {"lat", "lon"};
        static constexpr int kMaxLatitude = 90, kMaxLongitude = 180;
        if (!v.is_object()) {
            return add(path, IssueCode::wrong_type, "must be an object with \"lat\" and \"lon\"");
        }
        bool ok = closed(v, path, kMembers);
        for (const auto& [key, limit] :
             {std::pair{kMembers[0], kMaxLatitude}, std::pair{kMembers[1], kMaxLongitude}}) {
            const json::Value* m = member(v, path, key, &json::Value::is_string,
                                          "a decimal string such as \"48.5133\"");
            if (m == nullptr) {
                ok = false;
            } else if (!detail::is_coordinate(m->as_string(), limit)) {
                ok = add(member_path(path, key), IssueCode::bad_coordinates,
                         "must be a decimal string between -" + std::to_string(limit) + " and " +
                             std::to_string(limit) + " with at most " +
                             std::to_string(kMaxCoordinateDecimals) + " decimals");
            }
        }
        return ok;
    }

    bool consent(const json::Value& v, const std::string& path) {
        static constexpr std::array<std::string_view, 2> kMembers = {"given", "time"};
        if (!v.is_object()) {
            return add(path, IssueCode::wrong_type,
                       "must be an object with \"given\" and \"time\"");
        }
        bool ok = closed(v, path, kMembers);
        ok = member(v, path, "given", &json::Value::is_bool, "true or false") != nullptr && ok;
        const json::Value* time = v.find("time");
        if (!present(time)) {
            return add(member_path(path, "time"), IssueCode::consent_time_missing,
                       "the time the answer was given is required");
        }
        return datetime(*time, member_path(path, "time")) && ok;
    }

    bool attachments(const Field& f, const json::Value& v, const std::string& path) {
        static constexpr std::array<std::string_view, 2> kMembers = {"name", "sha256"};
        if (!v.is_array()) return add(path, IssueCode::wrong_type, "must be an array of files");
        const json::Array& items = v.as_array();
        if (!items.empty() && !counts(f, items.size(), path)) return false;
        bool ok = true;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const json::Value& a = items[i];
            const std::string ipath = index_path(path, i);
            if (!a.is_object()) {
                ok = add(ipath, IssueCode::wrong_type,
                         "must be an object with \"name\" and \"sha256\"");
                continue;
            }
            ok = closed(a, ipath, kMembers) && ok;
            const json::Value* name = member(a, ipath, "name", &json::Value::is_string, "a string");
            const json::Value* hash =
                member(a, ipath, "sha256", &json::Value::is_string, "a string");
            if (name != nullptr && !valid_attachment_name(name->as_string())) {
                ok = add(member_path(ipath, "name"), IssueCode::bad_attachment,
                         "must be 1 to " + std::to_string(kMaxAttachmentNameBytes) +
                             " bytes without control characters, \"/\" or \"\\\", and not \".\" or "
                             "\"..\"");
            }
            if (hash == nullptr) {
                ok = false;
                continue;
            }
            if (!detail::is_sha256_hex(hash->as_string())) {
                ok = add(member_path(ipath, "sha256"), IssueCode::bad_attachment,
                         "must be 64 lowercase hex digits");
                continue;
            }
            if (earlier_has(items, i, "sha256")) {
                ok = add(member_path(ipath, "sha256"), IssueCode::duplicate_entry,
                         "the same file is attached more than once");
            }
        }
        return ok;
    }

    const FormDefinition& form_;
    const json::Value& answers_;
    std::vector<FieldIssue> issues_;
};

}  // namespace

std::string_view issue_code_name(IssueCode code) noexcept {
    return kIssueNames.at(static_cast<std::size_t>(code));
}

std::vector<FieldIssue> validate(const FormDefinition& form, const json::Value& answers) {
    return Validator(form, answers).run();
}

}  // namespace svidok::forms
