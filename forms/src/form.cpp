// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/form.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <utility>

#include "definition_reader.h"
#include "forms/validate.h"
#include "values.h"

namespace svidok::forms {

using detail::quoted;

namespace {

constexpr std::array<std::string_view, 13> kKindNames = {
    "short_text",   "long_text", "integer", "boolean",     "date",  "datetime", "single_choice",
    "multi_choice", "location",  "consent", "attachments", "group", "repeat"};

constexpr std::array<std::string_view, 4> kPrecisionNames = {"day", "month", "year", "range"};

// Members every field may have, and the options of each kind (docs/FORMS.md 2.3).
constexpr std::array<std::string_view, 6> kCommonMembers = {"id",   "kind",      "label",
                                                            "hint", "sensitive", "visible_when"};

std::vector<std::string_view> kind_options(FieldKind kind) {
    switch (kind) {
        case FieldKind::short_text:
        case FieldKind::long_text:
            return {"required", "max_length"};
        case FieldKind::integer:
            return {"required", "min", "max"};
        case FieldKind::date:
            return {"required", "precisions"};
        case FieldKind::single_choice:
            return {"required", "vocabulary", "allow_other"};
        case FieldKind::multi_choice:
            return {"required", "vocabulary", "allow_other", "min_items", "max_items"};
        case FieldKind::location:
            return {"required", "oblast_vocabulary", "raion_vocabulary", "settlement_vocabulary"};
        case FieldKind::attachments:
            return {"required", "min_items", "max_items"};
        case FieldKind::group:
            return {"fields"};
        case FieldKind::repeat:
            return {"fields", "min_items", "max_items"};
        default:
            return {"required"};
    }
}

bool is_option_of_any_kind(std::string_view member) {
    for (std::size_t k = 0; k < kKindNames.size(); ++k) {
        const auto opts = kind_options(static_cast<FieldKind>(k));
        if (std::ranges::find(opts, member) != opts.end()) return true;
    }
    return false;
}

}  // namespace

std::string_view field_kind_name(FieldKind kind) noexcept {
    return kKindNames.at(static_cast<std::size_t>(kind));
}

std::string_view date_precision_name(DatePrecision precision) noexcept {
    return kPrecisionNames.at(static_cast<std::size_t>(precision));
}

const VocabularyEntry* Vocabulary::find(std::string_view entry_id) const noexcept {
    const auto it = std::ranges::find(entries, entry_id, &VocabularyEntry::id);
    return it == entries.end() ? nullptr : &*it;
}

std::string FormDefinition::sha256_hex() const {
    return crypto::to_hex(sha256_);
}

std::size_t FormDefinition::index_of(std::string_view field_id) const noexcept {
    const auto it = std::ranges::find(fields_, field_id, &Field::id);
    return it == fields_.end() ? kNoField : static_cast<std::size_t>(it - fields_.begin());
}

const Field* FormDefinition::find_field(std::string_view field_id) const noexcept {
    const std::size_t i = index_of(field_id);
    return i == kNoField ? nullptr : &fields_[i];
}

const Vocabulary* FormDefinition::find_vocabulary(std::string_view vocabulary_id) const noexcept {
    const auto it = std::ranges::find(vocabularies_, vocabulary_id, &Vocabulary::id);
    return it == vocabularies_.end() ? nullptr : &*it;
}

bool DefinitionReader::require_object(const json::Value& v, const std::string& path) {
    return v.is_object() ||
           fail(path, "must be an object, not " + std::string(detail::type_name(v)));
}

bool DefinitionReader::check_members(const json::Value& obj, const std::string& path,
                                     std::span<const std::string_view> allowed,
                                     std::initializer_list<std::string_view> required) {
    for (const auto& [key, value] : obj.as_object()) {
        if (std::ranges::find(allowed, key) == allowed.end()) {
            return fail(path, "unknown member " + quoted(key));
        }
    }
    return require_members(obj, path, required);
}

bool DefinitionReader::require_members(const json::Value& obj, const std::string& path,
                                       std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys) {
        if (obj.find(key) == nullptr) return fail(path, "missing member " + quoted(key));
    }
    return true;
}

bool DefinitionReader::read_ordered(const json::Value& obj, const std::string& path,
                                    std::string_view lo_key, std::string_view hi_key,
                                    std::pair<std::int64_t, std::int64_t> lo_range,
                                    std::pair<std::int64_t, std::int64_t> hi_range,
                                    std::int64_t& lo, std::int64_t& hi) {
    if (!read_int(obj, path, lo_key, lo_range.first, lo_range.second, lo) ||
        !read_int(obj, path, hi_key, hi_range.first, hi_range.second, hi)) {
        return false;
    }
    if (lo > hi) {
        return fail(detail::member_path(path, lo_key),
                    std::string(lo_key) + " " + std::to_string(lo) + " is greater than " +
                        std::string(hi_key) + " " + std::to_string(hi));
    }
    return true;
}

bool DefinitionReader::read_bool(const json::Value& obj, const std::string& path,
                                 std::string_view key, bool& out) {
    const json::Value* v = obj.find(key);
    if (v == nullptr) return true;
    if (!v->is_bool()) return fail(detail::member_path(path, key), "must be true or false");
    out = v->as_bool();
    return true;
}

bool DefinitionReader::read_int(const json::Value& obj, const std::string& path,
                                std::string_view key, std::int64_t lo, std::int64_t hi,
                                std::int64_t& out) {
    const json::Value* v = obj.find(key);
    if (v == nullptr) return true;
    if (!v->is_int() || v->as_int() < lo || v->as_int() > hi) {
        return fail(detail::member_path(path, key),
                    "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    out = v->as_int();
    return true;
}

bool DefinitionReader::read_size(const json::Value& obj, const std::string& path,
                                 std::string_view key, std::size_t lo, std::size_t hi,
                                 std::size_t& out) {
    std::int64_t v = static_cast<std::int64_t>(out);
    if (!read_int(obj, path, key, static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi),
                  v)) {
        return false;
    }
    out = static_cast<std::size_t>(v);
    return true;
}

bool DefinitionReader::read_text(const json::Value& v, const std::string& path,
                                 std::size_t max_length, LocalizedText& out) {
    if (!require_object(v, path)) return false;
    for (const auto& [key, value] : v.as_object()) {
        if (!language_from_code(key)) return fail(path, "unknown language " + quoted(key));
    }
    for (Language lang : kLanguages) {
        const std::string_view code = language_code(lang);
        const json::Value* t = v.find(code);
        if (t == nullptr) return fail(path, "missing language " + quoted(code));
        const std::string p = detail::member_path(path, code);
        if (!t->is_string()) return fail(p, "must be a string");
        const std::string& s = t->as_string();
        if (detail::is_blank(s)) return fail(p, "must not be empty");
        if (detail::has_control(s, false)) return fail(p, "contains a control character");
        if (detail::code_points(s) > max_length) {
            return fail(p, "is longer than " + std::to_string(max_length) + " characters");
        }
        out.text[static_cast<std::size_t>(lang)] = s;
    }
    return true;
}

bool DefinitionReader::read_optional_text(const json::Value& obj, const std::string& path,
                                          std::string_view key, std::size_t max_length,
                                          std::optional<LocalizedText>& out) {
    const json::Value* v = obj.find(key);
    if (v == nullptr) return true;
    out.emplace();
    return read_text(*v, detail::member_path(path, key), max_length, *out);
}

bool DefinitionReader::read_vocabulary_ref(const json::Value& obj, const std::string& path,
                                           std::string_view key, bool required, std::string& out) {
    const json::Value* v = obj.find(key);
    const std::string p = detail::member_path(path, key);
    if (v == nullptr) return !required || fail(path, "missing member " + quoted(key));
    if (!v->is_string()) return fail(p, "must be a vocabulary id");
    if (def_.find_vocabulary(v->as_string()) == nullptr) {
        return fail(p, "unknown vocabulary " + quoted(v->as_string()));
    }
    out = v->as_string();
    return true;
}

bool DefinitionReader::read_vocabularies(const json::Value& v, const std::string& path) {
    static constexpr std::array<std::string_view, 3> kEntryMembers = {"id", "label", "hint"};
    if (!require_object(v, path)) return false;
    for (const auto& [vid, entries] : v.as_object()) {
        const std::string vpath = detail::member_path(path, vid);
        if (!detail::is_identifier(vid)) {
            return fail(path, "vocabulary id " + quoted(vid) +
                                  " must match [a-z][a-z0-9_]* (at most 64 characters)");
        }
        if (!entries.is_array() || entries.as_array().empty() ||
            entries.as_array().size() > kMaxVocabularyEntries) {
            return fail(vpath, "must be an array of 1 to " + std::to_string(kMaxVocabularyEntries) +
                                   " entries");
        }
        Vocabulary vocab{vid, {}};
        for (std::size_t i = 0; i < entries.as_array().size(); ++i) {
            const json::Value& e = entries.as_array()[i];
            const std::string epath = detail::index_path(vpath, i);
            if (!require_object(e, epath) ||
                !check_members(e, epath, kEntryMembers, {"id", "label"})) {
                return false;
            }
            VocabularyEntry entry;
            const json::Value& id = *e.find("id");
            const std::string idpath = detail::member_path(epath, "id");
            if (!id.is_string() || !detail::is_identifier(id.as_string())) {
                return fail(idpath, "must match [a-z][a-z0-9_]* (at most 64 characters)");
            }
            if (id.as_string() == "other") {
                return fail(idpath, "\"other\" is reserved for free text");
            }
            if (vocab.find(id.as_string()) != nullptr) {
                return fail(idpath, "duplicate entry " + quoted(id.as_string()));
            }
            entry.id = id.as_string();
            if (!read_text(*e.find("label"), detail::member_path(epath, "label"), kMaxLabelLength,
                           entry.label) ||
                !read_optional_text(e, epath, "hint", kMaxHintLength, entry.hint)) {
                return false;
            }
            vocab.entries.push_back(std::move(entry));
        }
        def_.vocabularies_.push_back(std::move(vocab));
    }
    return true;
}

bool DefinitionReader::read_fields(const json::Value& v, const std::string& path,
                                   std::size_t parent, std::size_t depth) {
    if (!v.is_array() || v.as_array().empty()) {
        return fail(path, "must be a non-empty array of fields");
    }
    for (std::size_t i = 0; i < v.as_array().size(); ++i) {
        if (!read_field(v.as_array()[i], detail::index_path(path, i), parent, depth)) return false;
    }
    return true;
}

bool DefinitionReader::read_field(const json::Value& v, const std::string& path, std::size_t parent,
                                  std::size_t depth) {
    if (!require_object(v, path)) return false;
    if (def_.fields_.size() >= kMaxFields) {
        return fail(path, "a form has at most " + std::to_string(kMaxFields) + " fields");
    }
    if (depth > kMaxNestingDepth) {
        return fail(path,
                    "fields nest deeper than " + std::to_string(kMaxNestingDepth) + " levels");
    }
    Field f;
    const json::Value* id = v.find("id");
    if (id == nullptr) return fail(path, "missing member \"id\"");
    if (!id->is_string() || !detail::is_identifier(id->as_string())) {
        return fail(detail::member_path(path, "id"),
                    "must match [a-z][a-z0-9_]* (at most 64 characters)");
    }
    if (def_.index_of(id->as_string()) != kNoField) {
        return fail(detail::member_path(path, "id"),
                    "duplicate field id " + quoted(id->as_string()));
    }
    f.id = id->as_string();

    const json::Value* kind = v.find("kind");
    if (kind == nullptr) return fail(path, "missing member \"kind\"");
    const auto k =
        kind->is_string() ? std::ranges::find(kKindNames, kind->as_string()) : kKindNames.end();
    if (k == kKindNames.end()) {
        return fail(detail::member_path(path, "kind"),
                    kind->is_string() ? "unknown kind " + quoted(kind->as_string())
                                      : std::string("must be a string"));
    }
    f.kind = static_cast<FieldKind>(k - kKindNames.begin());

    std::vector<std::string_view> allowed(kCommonMembers.begin(), kCommonMembers.end());
    const auto options = kind_options(f.kind);
    allowed.insert(allowed.end(), options.begin(), options.end());
    for (const auto& [key, value] : v.as_object()) {
        if (std::ranges::find(allowed, key) != allowed.end()) continue;
        return fail(path, is_option_of_any_kind(key) ? quoted(key) + " is not an option of kind " +
                                                           quoted(field_kind_name(f.kind))
                                                     : "unknown member " + quoted(key));
    }
    const json::Value* label = v.find("label");
    if (label == nullptr) return fail(path, "missing member \"label\"");
    if (!read_text(*label, detail::member_path(path, "label"), kMaxLabelLength, f.label) ||
        !read_optional_text(v, path, "hint", kMaxHintLength, f.hint) ||
        !read_bool(v, path, "required", f.required) ||
        !read_bool(v, path, "sensitive", f.sensitive)) {
        return false;
    }
    f.parent = parent;
    f.depth = depth;
    if (parent != kNoField) {
        const Field& p = def_.fields_[parent];
        f.sensitive = f.sensitive || p.sensitive;
        f.repeat = p.kind == FieldKind::repeat ? parent : p.repeat;
        if (f.kind == FieldKind::repeat && f.repeat != kNoField) {
            return fail(path, "a repeat cannot be inside another repeat");
        }
    }
    if (!read_kind_options(v, path, f)) return false;

    const std::size_t index = def_.fields_.size();
    if (const json::Value* cond = v.find("visible_when")) {
        pending_.push_back({index, cond, detail::member_path(path, "visible_when")});
    }
    def_.fields_.push_back(std::move(f));
    if (parent == kNoField) {
        def_.top_level_.push_back(index);
    } else {
        def_.fields_[parent].children.push_back(index);
    }
    if (is_container(def_.fields_[index].kind)) {
        return read_fields(*v.find("fields"), detail::member_path(path, "fields"), index,
                           depth + 1);
    }
    return true;
}

bool DefinitionReader::read_item_counts(const json::Value& v, const std::string& path, Field& f,
                                        bool max_required) {
    static constexpr auto kMax = static_cast<std::int64_t>(kMaxItems);
    if (max_required && !require_members(v, path, {"max_items"})) return false;
    std::int64_t lo = 0, hi = kMax;
    if (!read_ordered(v, path, "min_items", "max_items", {0, kMax}, {1, kMax}, lo, hi)) {
        return false;
    }
    f.min_items = static_cast<std::size_t>(lo);
    f.max_items = static_cast<std::size_t>(hi);
    return true;
}

bool DefinitionReader::read_kind_options(const json::Value& v, const std::string& path, Field& f) {
    switch (f.kind) {
        case FieldKind::short_text:
            f.max_length = kDefaultShortTextLength;
            return read_size(v, path, "max_length", 1, kMaxShortTextLength, f.max_length);
        case FieldKind::long_text:
            f.max_length = kDefaultLongTextLength;
            return read_size(v, path, "max_length", 1, kMaxLongTextLength, f.max_length);
        case FieldKind::integer: {
            const std::pair safe{-json::kMaxSafeInteger, json::kMaxSafeInteger};
            return require_members(v, path, {"min", "max"}) &&
                   read_ordered(v, path, "min", "max", safe, safe, f.min, f.max);
        }
        case FieldKind::date: {
            const json::Value* p = v.find("precisions");
            if (p == nullptr) {
                f.precisions = {DatePrecision::day, DatePrecision::month, DatePrecision::year,
                                DatePrecision::range};
                return true;
            }
            const std::string ppath = detail::member_path(path, "precisions");
            if (!p->is_array() || p->as_array().empty()) {
                return fail(ppath,
                            "must be a non-empty array of \"day\", \"month\", \"year\", \"range\"");
            }
            for (std::size_t i = 0; i < p->as_array().size(); ++i) {
                const json::Value& e = p->as_array()[i];
                const auto it = e.is_string() ? std::ranges::find(kPrecisionNames, e.as_string())
                                              : kPrecisionNames.end();
                if (it == kPrecisionNames.end()) {
                    return fail(detail::index_path(ppath, i),
                                "must be \"day\", \"month\", \"year\" or \"range\"");
                }
                const auto prec = static_cast<DatePrecision>(it - kPrecisionNames.begin());
                if (std::ranges::find(f.precisions, prec) != f.precisions.end()) {
                    return fail(detail::index_path(ppath, i), "duplicate precision");
                }
                f.precisions.push_back(prec);
            }
            return true;
        }
        case FieldKind::single_choice:
            return read_vocabulary_ref(v, path, "vocabulary", true, f.vocabulary) &&
                   read_bool(v, path, "allow_other", f.allow_other);
        case FieldKind::multi_choice:
            return read_vocabulary_ref(v, path, "vocabulary", true, f.vocabulary) &&
                   read_bool(v, path, "allow_other", f.allow_other) &&
                   read_item_counts(v, path, f, false);
        case FieldKind::location:
            return read_vocabulary_ref(v, path, "oblast_vocabulary", true, f.oblast_vocabulary) &&
                   read_vocabulary_ref(v, path, "raion_vocabulary", false, f.raion_vocabulary) &&
                   read_vocabulary_ref(v, path, "settlement_vocabulary", false,
                                       f.settlement_vocabulary);
        case FieldKind::attachments:
            return read_item_counts(v, path, f, false);
        case FieldKind::repeat:
            if (!read_item_counts(v, path, f, true)) return false;
            [[fallthrough]];
        case FieldKind::group:
            return v.find("fields") != nullptr || fail(path, "missing member \"fields\"");
        default:
            return true;
    }
}

bool DefinitionReader::check_example(const json::Value& v, const std::string& path) {
    const auto issues = validate(def_, v);
    if (issues.empty()) return true;
    const FieldIssue& first = issues.front();
    return fail(first.path.empty() ? path : path + "." + first.path,
                first.message + " (example does not validate: " + std::to_string(issues.size()) +
                    " issue" + (issues.size() == 1 ? "" : "s") + ")");
}

Result<FormDefinition> DefinitionReader::read(std::string_view bytes) {
    static constexpr std::array<std::string_view, 9> kMembers = {
        "schema",       "id",     "version",    "title",  "description",
        "vocabularies", "fields", "legal_tags", "example"};
    static constexpr std::string_view kSchemaPrefix = "svidok-form/";

    if (bytes.size() > kMaxDefinitionBytes) {
        return svidok::fail(Errc::invalid, def_.file_name_ + ": definition is larger than " +
                                               std::to_string(kMaxDefinitionBytes) + " bytes");
    }
    json::ParseLimits limits;
    limits.max_bytes = kMaxDefinitionBytes;
    auto doc = json::parse(bytes, limits);
    if (!doc) return std::unexpected(std::move(doc.error()).wrap(def_.file_name_));
    const json::Value& root = *doc;

    const bool ok = [&] {
        if (!require_object(root, "$")) return false;
        const json::Value* schema = root.find("schema");
        if (schema == nullptr) return fail("$", "missing member \"schema\"");
        if (!schema->is_string() || !schema->as_string().starts_with(kSchemaPrefix)) {
            return fail("$.schema", "must be " + quoted(kSchema));
        }
        if (schema->as_string() != kSchema) {
            return fail("$.schema",
                        "unsupported schema " + quoted(schema->as_string()) +
                            "; this build reads " + quoted(kSchema),
                        Errc::unsupported);
        }
        if (!check_members(root, "$", kMembers,
                           {"id", "version", "title", "vocabularies", "fields", "example"})) {
            return false;
        }
        const json::Value& id = *root.find("id");
        if (!id.is_string() || !detail::is_form_id(id.as_string())) {
            return fail("$.id", "must match [a-z][a-z0-9-]* (at most 64 characters)");
        }
        def_.id_ = id.as_string();
        if (!read_int(root, "$", "version", 1, kMaxFormVersion, def_.version_) ||
            !read_text(*root.find("title"), "$.title", kMaxLabelLength, def_.title_) ||
            !read_optional_text(root, "$", "description", kMaxHintLength, def_.description_) ||
            !read_vocabularies(*root.find("vocabularies"), "$.vocabularies") ||
            !read_fields(*root.find("fields"), "$.fields", kNoField, 1)) {
            return false;
        }
        for (const PendingCondition& p : pending_) {
            Condition c;
            if (!read_condition(*p.json, p.path, 1, ConditionContext{p.field, nullptr}, c)) {
                return false;
            }
            def_.fields_[p.field].visible_when = std::move(c);
        }
        if (const json::Value* legal = root.find("legal_tags")) {
            if (!read_legal_tags(*legal, "$.legal_tags")) return false;
        }
        return check_example(*root.find("example"), "$.example");
    }();
    if (!ok) return std::unexpected(std::move(*error_));
    def_.example_ = *root.find("example");
    def_.sha256_ = crypto::sha256(crypto::as_bytes(bytes));
    def_.bytes_ = bytes;
    return std::move(def_);
}

Result<FormDefinition> parse_definition(std::string_view file_name, std::string_view bytes) {
    return DefinitionReader(file_name).read(bytes);
}

}  // namespace svidok::forms
