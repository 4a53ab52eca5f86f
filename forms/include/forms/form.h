// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A testimony form as data: the model of one form definition file (docs/FORMS.md section 2)
// and its strict parser. The forms layer does no file I/O: callers pass a file's name and bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/error.h"
#include "crypto/hash.h"
#include "forms/condition.h"
#include "forms/json.h"
#include "forms/language.h"

namespace svidok::forms {

// Limits on a definition (docs/FORMS.md 2.1).
inline constexpr std::size_t kMaxDefinitionBytes = 1u << 20;
inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kMaxFields = 500;
inline constexpr std::size_t kMaxNestingDepth = 4;
inline constexpr std::size_t kMaxVocabularyEntries = 1000;
inline constexpr std::size_t kMaxConditionDepth = 8;
inline constexpr std::size_t kMaxConditionOperands = 32;
inline constexpr std::size_t kMaxInValues = 1000;
inline constexpr std::size_t kMaxLegalRules = 200;
inline constexpr std::size_t kMaxLabelLength = 300;  // code points; also titles
inline constexpr std::size_t kMaxHintLength = 2000;  // code points; also descriptions
inline constexpr std::int64_t kMaxFormVersion = 2147483647;
// Field options.
inline constexpr std::size_t kDefaultShortTextLength = 200;
inline constexpr std::size_t kMaxShortTextLength = 2000;
inline constexpr std::size_t kDefaultLongTextLength = 20000;
inline constexpr std::size_t kMaxLongTextLength = 200000;
inline constexpr std::size_t kMaxItems = 1000;  // repeat items, choices, attachments

/// The schema string this build reads.
inline constexpr std::string_view kSchema = "svidok-form/1";

enum class FieldKind {
    short_text,
    long_text,
    integer,
    boolean,
    date,
    datetime,
    single_choice,
    multi_choice,
    location,
    consent,
    attachments,
    group,
    repeat,
};

/// The kind's name as written in definitions ("short_text", ...).
[[nodiscard]] std::string_view field_kind_name(FieldKind kind) noexcept;

enum class DatePrecision { day, month, year, range };

/// The precision's name as written in definitions and answers ("day", ...).
[[nodiscard]] std::string_view date_precision_name(DatePrecision precision) noexcept;

/// One field. Indices (parent, repeat, children) refer to FormDefinition::fields().
struct Field {
    std::string id;
    FieldKind kind = FieldKind::short_text;
    LocalizedText label;
    std::optional<LocalizedText> hint;
    bool required = false;
    /// Effective: true if the definition marks this field or any enclosing group/repeat.
    bool sensitive = false;
    std::optional<Condition> visible_when;

    std::size_t parent = kNoField;      // enclosing group or repeat
    std::size_t repeat = kNoField;      // enclosing repeat, at any distance
    std::size_t depth = 1;              // 1 for top-level fields
    std::vector<std::size_t> children;  // group, repeat: in document order

    // Options; each is meaningful only for the kinds named (docs/FORMS.md 2.3).
    std::size_t max_length = 0;  // short_text, long_text: in code points
    std::int64_t min = 0;        // integer: inclusive bounds
    std::int64_t max = 0;
    std::string vocabulary;                 // single_choice, multi_choice
    bool allow_other = false;               // single_choice, multi_choice
    std::vector<DatePrecision> precisions;  // date
    std::string oblast_vocabulary;          // location
    std::string raion_vocabulary;           // location; empty: free text only
    std::string settlement_vocabulary;      // location; empty: free text only
    std::size_t min_items = 0;              // multi_choice, attachments, repeat
    std::size_t max_items = 0;              // multi_choice, attachments, repeat
};

struct VocabularyEntry {
    std::string id;
    LocalizedText label;
    std::optional<LocalizedText> hint;
};

struct Vocabulary {
    std::string id;
    std::vector<VocabularyEntry> entries;  // in display order, ids unique

    /// nullptr when `entry_id` is not an entry (the reserved "other" never is).
    [[nodiscard]] const VocabularyEntry* find(std::string_view entry_id) const noexcept;
};

/// A legal-tag rule: when `when` holds, the `tags` (entries of the legal vocabulary) are
/// suggested. `repeat` is the repeat whose fields `when` names, or kNoField.
struct LegalRule {
    std::string id;
    Condition when;
    std::vector<std::string> tags;
    std::size_t repeat = kNoField;
};

/// A parsed, checked form definition. Only parse_definition() makes one, so every instance
/// satisfies docs/FORMS.md section 2, including that its example validates.
class FormDefinition {
public:
    [[nodiscard]] const std::string& file_name() const noexcept { return file_name_; }
    [[nodiscard]] const std::string& id() const noexcept { return id_; }
    [[nodiscard]] std::int64_t version() const noexcept { return version_; }
    [[nodiscard]] const LocalizedText& title() const noexcept { return title_; }
    /// May be absent.
    [[nodiscard]] const std::optional<LocalizedText>& description() const noexcept {
        return description_;
    }
    /// SHA-256 of the exact definition bytes; records cite it with id and version.
    [[nodiscard]] const crypto::Sha256Digest& sha256() const noexcept { return sha256_; }
    /// The same as 64 lowercase hex digits.
    [[nodiscard]] std::string sha256_hex() const;
    /// The exact definition bytes (a vault keeps them beside the records filled with it).
    [[nodiscard]] const std::string& bytes() const noexcept { return bytes_; }

    /// Every field in document order (pre-order: a group before its children).
    [[nodiscard]] std::span<const Field> fields() const noexcept { return fields_; }
    [[nodiscard]] const Field& field(std::size_t index) const { return fields_.at(index); }
    /// Indices of the top-level fields, in order.
    [[nodiscard]] std::span<const std::size_t> top_level() const noexcept { return top_level_; }
    /// Index of the field with this id (ids are unique across the form), or kNoField.
    [[nodiscard]] std::size_t index_of(std::string_view field_id) const noexcept;
    /// The field with this id, or nullptr.
    [[nodiscard]] const Field* find_field(std::string_view field_id) const noexcept;

    /// In the order declared.
    [[nodiscard]] std::span<const Vocabulary> vocabularies() const noexcept {
        return vocabularies_;
    }
    [[nodiscard]] const Vocabulary* find_vocabulary(std::string_view vocabulary_id) const noexcept;

    /// The vocabulary of legal references, empty when the form has no legal tags.
    [[nodiscard]] const std::string& legal_tag_vocabulary() const noexcept {
        return legal_tag_vocabulary_;
    }
    [[nodiscard]] std::span<const LegalRule> legal_rules() const noexcept { return legal_rules_; }

    /// The definition's example answers (they validate without issues).
    [[nodiscard]] const json::Value& example() const noexcept { return example_; }

private:
    friend class DefinitionReader;

    std::string file_name_;
    std::string id_;
    std::int64_t version_ = 0;
    LocalizedText title_;
    std::optional<LocalizedText> description_;
    crypto::Sha256Digest sha256_{};
    std::string bytes_;
    std::vector<Field> fields_;
    std::vector<std::size_t> top_level_;
    std::vector<Vocabulary> vocabularies_;
    std::string legal_tag_vocabulary_;
    std::vector<LegalRule> legal_rules_;
    json::Value example_;
};

/// Parses and checks one definition file. `file_name` is only used in messages. Errors name the
/// file, the JSON path and the reason, e.g.
/// `child-recruitment.json: $.fields[4].vocabulary: unknown vocabulary "oblasts2"`:
/// Errc::corrupt for malformed JSON, Errc::unsupported for another schema version,
/// Errc::invalid for everything else (including an example that does not validate).
[[nodiscard]] Result<FormDefinition> parse_definition(std::string_view file_name,
                                                      std::string_view bytes);

}  // namespace svidok::forms
