// SPDX-License-Identifier: GPL-3.0-or-later
#include "document_reader.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "values.h"

namespace svidok::forms::detail {

std::unexpected<Error> bad(std::string_view schema, std::string_view member, std::string_view why) {
    return fail(Errc::invalid,
                std::string(schema) + ": " + std::string(member) + ": " + std::string(why));
}

Result<json::Value> read_canonical(std::string_view schema, std::string_view bytes) {
    auto v = json::parse(bytes);
    if (!v) return std::unexpected(std::move(v.error()).wrap(schema));
    if (!json::is_canonical(bytes)) {
        return fail(Errc::invalid, std::string(schema) + ": the bytes are not in canonical form",
                    "signed documents are compared byte for byte; do not reformat them");
    }
    const json::Value* s = v->find("schema");
    if (s == nullptr || !s->is_string() || s->as_string() != schema) {
        return fail(Errc::invalid, "not a " + std::string(schema) + " document");
    }
    return v;
}

Result<void> DocumentReader::expect_members(std::initializer_list<std::string_view> names) const {
    if (!v_.is_object()) return bad(schema_, "$", "must be an object");
    for (const auto& [key, value] : v_.as_object()) {
        if (std::ranges::find(names, key) == names.end())
            return bad(schema_, key, "unknown member");
    }
    for (auto n : names) {
        if (v_.find(n) == nullptr) return bad(schema_, n, "missing");
    }
    return {};
}

Result<std::string> DocumentReader::string(std::string_view name) const {
    const json::Value& v = member(name);
    if (!v.is_string()) return bad(schema_, name, "must be a string");
    return v.as_string();
}

Result<std::int64_t> DocumentReader::integer(std::string_view name, std::int64_t min) const {
    const json::Value& v = member(name);
    if (!v.is_int() || v.as_int() < min) {
        return bad(schema_, name, "must be an integer of at least " + std::to_string(min));
    }
    return v.as_int();
}

Result<crypto::Sha256Digest> DocumentReader::digest(std::string_view name) const {
    auto s = string(name);
    if (!s) return std::unexpected(s.error());
    if (!is_sha256_hex(*s)) return bad(schema_, name, "must be 64 lowercase hex digits");
    crypto::Sha256Digest d{};
    std::ranges::copy(*crypto::from_hex(*s), d.begin());
    return d;
}

}  // namespace svidok::forms::detail
