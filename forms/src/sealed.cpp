// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/sealed.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "crypto/secure_buffer.h"
#include "forms/condition.h"
#include "values.h"

namespace svidok::forms {
namespace {

using detail::index_path;
using detail::member_path;

constexpr std::string_view kAgeMember = "age";
constexpr std::string_view kCommitmentMember = "commitment";

json::Value* member_of(json::Value& obj, std::string_view key) {
    for (auto& [k, v] : obj.as_object()) {
        if (k == key) return &v;
    }
    return nullptr;
}

/// The text of `value` in secure memory after use: canonical answers and plaintexts hold the
/// witness's name, so they are wiped rather than left in freed heap memory.
void wipe_string(std::string& s) noexcept {
    crypto::wipe({reinterpret_cast<unsigned char*>(s.data()), s.size()});
}

// --- finding the answers to seal ---

struct Unit {
    json::Value* value;
    std::string key;
};

// The answers to seal under `obj` (a copy of the answers being walked): visible outermost
// sensitive fields holding a value that is not a marker. Visibility is read from `root`, the
// answers as entered, through `scope`. Markers replace values only after the walk, so the
// pointers stay valid and what is visible never depends on what was sealed already.
void collect(const FormDefinition& form, std::span<const std::size_t> children, json::Value* obj,
             const json::Value& root, const AnswerScope& scope, std::vector<Unit>& out) {
    if (obj == nullptr || !obj->is_object()) return;
    for (std::size_t c : children) {
        const Field& f = form.field(c);
        json::Value* v = member_of(*obj, f.id);
        if (v == nullptr || v->is_null() || !scope.visible(c)) continue;
        // Walking down from the top through fields that are not sensitive, the first
        // sensitive field met is an outermost one.
        if (f.sensitive) {
            if (!is_sealed_marker(*v)) out.push_back({v, field_key(form, c)});
        } else if (f.kind == FieldKind::group) {
            collect(form, f.children, v, root, scope, out);
        } else if (f.kind == FieldKind::repeat && v->is_array()) {
            for (std::size_t i = 0; i < v->as_array().size(); ++i) {
                collect(form, f.children, &v->as_array()[i], root, AnswerScope(form, root, c, i),
                        out);
            }
        }
    }
}

std::vector<Unit> units_in(const FormDefinition& form, const json::Value& root, json::Value& copy) {
    std::vector<Unit> out;
    collect(form, form.top_level(), &copy, root, AnswerScope(form, root), out);
    return out;
}

/// The canonical plaintext of docs/FORMAT.md 9.6, padded, in secure memory. Members in
/// canonical order (field, pad, record, salt, schema, value) written directly, so that the
/// salt and the value never sit in a json::Value.
crypto::SecureBuffer sealed_plaintext(std::string_view key_json, std::string_view record_hex,
                                      std::string_view salt_b64, std::string_view value_json) {
    const std::array<std::string_view, 4> before_pad = {"{\"field\":", key_json, ",\"pad\":\"", ""};
    const std::array<std::string_view, 8> after_pad = {
        "\",\"record\":\"", record_hex,    "\",\"salt\":\"", salt_b64,
        "\",\"schema\":\"", kSealedSchema, "\",\"value\":",  value_json};
    std::size_t length = 1;  // the closing brace
    for (auto part : before_pad) length += part.size();
    for (auto part : after_pad) length += part.size();
    const std::size_t pad = (kSealedPadBlock - length % kSealedPadBlock) % kSealedPadBlock;
    crypto::SecureBuffer out(length + pad);
    std::size_t at = 0;
    const auto put = [&](std::string_view part) {
        std::ranges::copy(part, out.data() + at);
        at += part.size();
    };
    for (auto part : before_pad) put(part);
    std::fill_n(out.data() + at, pad, static_cast<unsigned char>(' '));
    at += pad;
    for (auto part : after_pad) put(part);
    put("}");
    return out;
}

Result<json::Value> seal_one(const RecordId& record, const std::string& key,
                             const json::Value& value,
                             std::span<const crypto::X25519Recipient> recipients) {
    auto key_json = json::canonicalize(json::Value(key));
    if (!key_json) return std::unexpected(key_json.error());
    auto value_json = json::canonicalize(value);
    if (!value_json) return std::unexpected(std::move(value_json.error()).wrap(key));
    crypto::SecureBuffer salt(kSealedSaltBytes);
    randombytes_buf(salt.data(), salt.size());
    std::string salt_b64 = crypto::to_base64(salt.span());
    const crypto::SecureBuffer plain =
        sealed_plaintext(*key_json, format_record_id(record), salt_b64, *value_json);
    wipe_string(salt_b64);
    auto file = crypto::age_encrypt(recipients, plain.span());
    SealedMarker marker;
    marker.commitment = sealed_commitment(record, key, salt.span(), *value_json);
    wipe_string(*value_json);
    if (!file) return std::unexpected(std::move(file.error()).wrap("sealing " + key));
    marker.age = std::move(*file);
    return sealed_marker_value(marker);
}

// --- opening ---

bool is_field_key(std::string_view key) {
    while (true) {
        const auto dot = key.find('.');
        if (!detail::is_identifier(key.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        key.remove_prefix(dot + 1);
    }
}

struct Opened {
    SealedStatus status = SealedStatus::damaged;
    std::string problem;
    json::Value value;
};

Opened damaged(std::string problem) {
    return {SealedStatus::damaged, std::move(problem), {}};
}

// The checks of docs/FORMAT.md 9.6 "Opening", in order; the first failure decides.
Opened open_one(const RecordId& record, const std::string& key, const json::Value& value,
                const crypto::X25519Identity& identity) {
    auto marker = parse_sealed_marker(value);
    if (!marker) return damaged("malformed marker: " + marker.error().message);
    auto plain = crypto::age_decrypt(crypto::AgeIdentities{std::span(&identity, 1)}, marker->age,
                                     crypto::AgeInput::binary);
    if (!plain) {
        if (plain.error().code == Errc::auth_failed) {
            return {SealedStatus::not_a_recipient, "not sealed to this vault's key", {}};
        }
        return damaged("the ciphertext does not open: " + plain.error().message);
    }
    const std::string_view text = plain->view();
    if (text.size() % kSealedPadBlock != 0 || !json::is_canonical(text)) {
        return damaged("malformed plaintext: not padded canonical JSON");
    }
    auto doc = json::parse(text);
    if (!doc || !doc->is_object() || doc->as_object().size() != 6) {
        return damaged("malformed plaintext: not the six members of svidok-sealed/1");
    }
    const json::Value* schema = doc->find("schema");
    const json::Value* rec = doc->find("record");
    const json::Value* field = doc->find("field");
    const json::Value* salt = doc->find("salt");
    const json::Value* pad = doc->find("pad");
    const json::Value* v = doc->find("value");
    if (schema == nullptr || rec == nullptr || field == nullptr || salt == nullptr ||
        pad == nullptr || v == nullptr || !schema->is_string() || !rec->is_string() ||
        !field->is_string() || !salt->is_string() || !pad->is_string()) {
        return damaged("malformed plaintext: not the six members of svidok-sealed/1");
    }
    if (schema->as_string() != kSealedSchema) {
        return damaged("malformed plaintext: the schema is not svidok-sealed/1");
    }
    auto rec_id = parse_record_id(rec->as_string());
    auto salt_bytes = crypto::from_base64(salt->as_string());
    if (!rec_id || format_record_id(*rec_id) != rec->as_string()) {
        return damaged("malformed plaintext: the record is not 32 lowercase hex digits");
    }
    if (!salt_bytes || salt_bytes->size() != kSealedSaltBytes) {
        return damaged("malformed plaintext: the salt is not the Base64 of 32 bytes");
    }
    if (pad->as_string().find_first_not_of(' ') != std::string::npos) {
        return damaged("malformed plaintext: the padding is not spaces");
    }
    if (*rec_id != record) return damaged("sealed for another record");
    if (field->as_string() != key) {
        // The key the plaintext names is shown only when it has the shape of one: the
        // plaintext is not trusted to hold no testimony there.
        return damaged(is_field_key(field->as_string())
                           ? "sealed for another field (" + field->as_string() + ")"
                           : std::string("sealed for another field"));
    }
    auto value_json = json::canonicalize(*v);
    if (!value_json) return damaged("malformed plaintext: the value is outside the profile");
    const crypto::Sha256Digest expected = sealed_commitment(record, key, *salt_bytes, *value_json);
    wipe_string(*value_json);
    if (sodium_memcmp(expected.data(), marker->commitment.data(), expected.size()) != 0) {
        return damaged("the commitment does not match the value");
    }
    return {SealedStatus::opened, {}, *v};
}

void open_walk(const RecordId& record, json::Value& v, const std::string& path,
               std::vector<std::string>& key, const crypto::X25519Identity& identity,
               std::vector<SealedReport>& out) {
    if (v.is_object()) {
        if (is_sealed_marker(v)) {
            std::string joined;
            for (const auto& part : key) joined += (joined.empty() ? "" : ".") + part;
            Opened o = open_one(record, joined, v, identity);
            out.push_back({path, joined, o.status, std::move(o.problem)});
            if (o.status == SealedStatus::opened) v = std::move(o.value);
            return;
        }
        for (auto& [k, m] : v.as_object()) {
            key.push_back(k);
            open_walk(record, m, member_path(path, k), key, identity, out);
            key.pop_back();
        }
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.as_array().size(); ++i) {
            open_walk(record, v.as_array()[i], index_path(path, i), key, identity, out);
        }
    }
}

void placeholder_walk(json::Value& v) {
    if (is_sealed_marker(v)) {
        v = json::Value(kSealedPlaceholder);
    } else if (v.is_object()) {
        for (auto& [k, m] : v.as_object()) placeholder_walk(m);
    } else if (v.is_array()) {
        for (auto& item : v.as_array()) placeholder_walk(item);
    }
}

}  // namespace

bool is_sealed_marker(const json::Value& value) noexcept {
    return value.is_object() && value.find(kSealedMember) != nullptr;
}

Result<SealedMarker> parse_sealed_marker(const json::Value& value) {
    const json::Value* inner = value.is_object() ? value.find(kSealedMember) : nullptr;
    if (inner == nullptr) return fail(Errc::invalid, "not a sealed answer");
    if (value.as_object().size() != 1) {
        return fail(Errc::invalid, "a sealed answer has no member besides \"$sealed\"");
    }
    if (!inner->is_object()) {
        return fail(Errc::invalid, "\"$sealed\" must be an object with \"age\" and \"commitment\"");
    }
    for (const auto& [k, m] : inner->as_object()) {
        if (k != kAgeMember && k != kCommitmentMember) {
            return fail(Errc::invalid,
                        "\"$sealed\" has a member other than \"age\" and \"commitment\"");
        }
    }
    const json::Value* age = inner->find(kAgeMember);
    const json::Value* commitment = inner->find(kCommitmentMember);
    if (age == nullptr || commitment == nullptr) {
        return fail(Errc::invalid,
                    std::string("\"$sealed\" is missing \"") +
                        std::string(age == nullptr ? kAgeMember : kCommitmentMember) + "\"");
    }
    const std::string shape = "\"age\" must be the padded Base64 of an age file";
    if (!age->is_string()) return fail(Errc::invalid, shape);
    auto bytes = crypto::from_base64(age->as_string());
    if (!bytes || bytes->empty()) return fail(Errc::invalid, shape);
    SealedMarker out;
    out.age = std::move(*bytes);
    if (!commitment->is_string() || !detail::is_sha256_hex(commitment->as_string())) {
        return fail(Errc::invalid, "\"commitment\" must be 64 lowercase hex digits");
    }
    auto raw = crypto::from_hex(commitment->as_string());
    std::ranges::copy(*raw, out.commitment.begin());
    return out;
}

json::Value sealed_marker_value(const SealedMarker& marker) {
    return json::Object{
        {std::string(kSealedMember),
         json::Object{{std::string(kAgeMember), crypto::to_base64(marker.age)},
                      {std::string(kCommitmentMember), crypto::to_hex(marker.commitment)}}}};
}

bool is_outermost_sensitive(const FormDefinition& form, std::size_t field) noexcept {
    const Field& f = form.fields()[field];
    return f.sensitive && (f.parent == kNoField || !form.fields()[f.parent].sensitive);
}

std::string field_key(const FormDefinition& form, std::size_t field) {
    std::string key = form.field(field).id;
    for (std::size_t p = form.field(field).parent; p != kNoField; p = form.field(p).parent) {
        key = form.field(p).id + "." + key;
    }
    return key;
}

crypto::Sha256Digest sealed_commitment(const RecordId& record, std::string_view field_key,
                                       crypto::ByteView salt, std::string_view canonical_value) {
    crypto::Sha256 h;
    h.update(crypto::as_bytes(kSealedCommitmentContext));
    h.update(record);
    std::array<unsigned char, 4> length{};
    crypto::store_le32(length.data(), static_cast<std::uint32_t>(field_key.size()));
    h.update(length);
    h.update(crypto::as_bytes(field_key));
    h.update(salt);
    h.update(crypto::as_bytes(canonical_value));
    return h.finish();
}

std::size_t answers_to_seal(const FormDefinition& form, const json::Value& answers) {
    json::Value copy = answers;
    return units_in(form, answers, copy).size();
}

Result<json::Value> seal_answers(const FormDefinition& form, const RecordId& record,
                                 const json::Value& answers,
                                 std::span<const crypto::X25519Recipient> recipients) {
    json::Value out = answers;
    const std::vector<Unit> units = units_in(form, answers, out);
    if (!units.empty() && recipients.empty()) {
        return fail(Errc::usage, "sensitive answers need at least one recipient to be sealed to");
    }
    for (const Unit& u : units) {
        auto marker = seal_one(record, u.key, *u.value, recipients);
        if (!marker) return std::unexpected(marker.error());
        *u.value = std::move(*marker);
    }
    return out;
}

std::string_view sealed_status_name(SealedStatus status) noexcept {
    switch (status) {
        case SealedStatus::opened:
            return "opened";
        case SealedStatus::not_a_recipient:
            return "not_a_recipient";
        case SealedStatus::damaged:
            return "damaged";
    }
    return "damaged";
}

OpenedAnswers open_sealed_answers(const RecordId& record, const json::Value& answers,
                                  const crypto::X25519Identity& identity) {
    OpenedAnswers out{answers, {}};
    std::vector<std::string> key;
    open_walk(record, out.answers, "", key, identity, out.units);
    return out;
}

json::Value with_sealed_placeholders(const json::Value& answers) {
    json::Value out = answers;
    placeholder_walk(out);
    return out;
}

std::size_t count_sealed_markers(const json::Value& answers) noexcept {
    if (is_sealed_marker(answers)) return 1;
    std::size_t n = 0;
    if (answers.is_object()) {
        for (const auto& [key, m] : answers.as_object()) n += count_sealed_markers(m);
    } else if (answers.is_array()) {
        for (const auto& item : answers.as_array()) n += count_sealed_markers(item);
    }
    return n;
}

}  // namespace svidok::forms
