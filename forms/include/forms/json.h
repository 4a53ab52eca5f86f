// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A strict JSON reader and the canonical writer for Svidok's profile of RFC 8785 (JCS):
// ASCII object keys, no floating-point numbers, integers within +/-(2^53-1), no duplicate keys,
// strings kept exactly as entered (no Unicode normalization). Everything Svidok signs is the
// output of canonicalize(); verification compares bytes, it never re-serializes.
//
// The reader is built for hostile input: bounded size, depth and counts, UTF-8 validated,
// every error names the byte offset and the JSON path ("$.victims[2].age").

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/error.h"

namespace svidok::forms::json {

class Value;
using Array = std::vector<Value>;
/// Members in the order read or inserted; keys are unique (the reader rejects duplicates,
/// set() replaces).
using Object = std::vector<std::pair<std::string, Value>>;

enum class Type { null, boolean, integer, string, array, object };

inline constexpr std::int64_t kMaxSafeInteger = 9007199254740991;  // 2^53 - 1

class Value {
public:
    Value() noexcept = default;  // null
    Value(std::nullptr_t) noexcept {}
    Value(bool b) noexcept : v_(b) {}
    Value(int i) noexcept : v_(static_cast<std::int64_t>(i)) {}
    /// Integers outside +/-(2^53-1) are a bug of the caller: canonicalize() reports them.
    Value(std::int64_t i) noexcept : v_(i) {}
    Value(std::string s) noexcept : v_(std::move(s)) {}
    Value(std::string_view s) : v_(std::string(s)) {}
    Value(const char* s) : v_(std::string(s)) {}
    Value(Array a) noexcept : v_(std::move(a)) {}
    Value(Object o) noexcept : v_(std::move(o)) {}

    [[nodiscard]] Type type() const noexcept { return static_cast<Type>(v_.index()); }
    [[nodiscard]] bool is_null() const noexcept { return type() == Type::null; }
    [[nodiscard]] bool is_bool() const noexcept { return type() == Type::boolean; }
    [[nodiscard]] bool is_int() const noexcept { return type() == Type::integer; }
    [[nodiscard]] bool is_string() const noexcept { return type() == Type::string; }
    [[nodiscard]] bool is_array() const noexcept { return type() == Type::array; }
    [[nodiscard]] bool is_object() const noexcept { return type() == Type::object; }

    // Accessors abort on a type mismatch (a bug); check the type first on untrusted input.
    [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
    [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
    [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
    [[nodiscard]] const Array& as_array() const { return std::get<Array>(v_); }
    [[nodiscard]] Array& as_array() { return std::get<Array>(v_); }
    [[nodiscard]] const Object& as_object() const { return std::get<Object>(v_); }
    [[nodiscard]] Object& as_object() { return std::get<Object>(v_); }

    /// Object member lookup; nullptr when absent or when this is not an object.
    [[nodiscard]] const Value* find(std::string_view key) const noexcept;
    /// Sets or replaces an object member (this must be an object).
    void set(std::string_view key, Value value);

    friend bool operator==(const Value&, const Value&) = default;

private:
    std::variant<std::nullptr_t, bool, std::int64_t, std::string, Array, Object> v_;
};

struct ParseLimits {
    std::size_t max_bytes = 64u << 20;  // whole document
    std::size_t max_depth = 64;         // nesting of arrays and objects
    std::size_t max_string_bytes = 16u << 20;
    std::size_t max_members = 1u << 20;  // total values in the document
};

/// Parses one JSON document (RFC 8259, UTF-8, no BOM, whitespace allowed around it) within
/// Svidok's profile. Errors (Errc::corrupt for malformed JSON, Errc::invalid for valid JSON
/// outside the profile or over a limit) say the byte offset, the JSON path and the reason, e.g.
/// "at byte 57 ($.victims[0].age): numbers with a fraction or exponent are not allowed".
[[nodiscard]] Result<Value> parse(std::string_view text, const ParseLimits& limits = {});

/// The canonical bytes (RFC 8785 within the profile): members sorted by key, no whitespace,
/// JCS string escaping. Errc::invalid if a key is not ASCII, an integer is out of range, an
/// object holds a key twice or a string is not valid UTF-8 (output the reader would reject).
[[nodiscard]] Result<std::string> canonicalize(const Value& value);

/// A lower bound of the size of canonicalize(value): the bytes of every string and key plus
/// their quotes, counted without building the output and stopping once over `limit`. Lets a
/// writer refuse an oversized value before spending memory on its canonical form.
[[nodiscard]] std::size_t canonical_size_at_least(const Value& value, std::size_t limit) noexcept;

/// True when `bytes` parse within the profile and are already exactly canonical.
[[nodiscard]] bool is_canonical(std::string_view bytes);

/// Human-readable, indented output for display and `--json` CLI output (not canonical).
[[nodiscard]] std::string pretty(const Value& value, int indent = 2);

}  // namespace svidok::forms::json
