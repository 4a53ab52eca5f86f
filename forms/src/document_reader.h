// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Private to the forms library: strict reading of the fixed-shape canonical JSON documents of
// docs/FORMAT.md sections 9 and 10 (records, withdrawals, proofs).

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "crypto/error.h"
#include "crypto/hash.h"
#include "forms/json.h"

namespace svidok::forms::detail {

/// Errc::invalid "<schema>: <member>: <why>".
[[nodiscard]] std::unexpected<Error> bad(std::string_view schema, std::string_view member,
                                         std::string_view why);

/// Parses `bytes`, requires them to be exactly canonical and an object whose `schema` member
/// is `schema`.
[[nodiscard]] Result<json::Value> read_canonical(std::string_view schema, std::string_view bytes);

/// Typed access to an object whose member set is fixed; messages name the schema and member.
class DocumentReader {
public:
    DocumentReader(std::string_view schema, const json::Value& v) : schema_(schema), v_(v) {}

    /// The object has exactly these members.
    [[nodiscard]] Result<void> expect_members(std::initializer_list<std::string_view> names) const;
    [[nodiscard]] Result<std::string> string(std::string_view name) const;
    [[nodiscard]] Result<std::int64_t> integer(std::string_view name, std::int64_t min) const;
    /// 64 lowercase hex digits.
    [[nodiscard]] Result<crypto::Sha256Digest> digest(std::string_view name) const;
    [[nodiscard]] const json::Value& member(std::string_view name) const { return *v_.find(name); }
    [[nodiscard]] std::string_view schema() const noexcept { return schema_; }

private:
    std::string_view schema_;
    const json::Value& v_;
};

}  // namespace svidok::forms::detail
