// SPDX-License-Identifier: GPL-3.0-or-later
// The strict reader of Svidok's JSON profile (docs/FORMAT.md section 6) and the Value methods.
#include "forms/json.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "json_text.h"

namespace svidok::forms::json {

using namespace text;

const Value* Value::find(std::string_view key) const noexcept {
    if (!is_object()) return nullptr;
    for (const auto& [k, v] : std::get<Object>(v_))
        if (k == key) return &v;
    return nullptr;
}

void Value::set(std::string_view key, Value value) {
    Object& members = as_object();
    for (auto& [k, v] : members) {
        if (k == key) {
            v = std::move(value);
            return;
        }
    }
    members.emplace_back(std::string(key), std::move(value));
}

namespace {

// Objects up to this many members are checked for duplicate keys by a linear scan; larger ones
// get a hash set so that a hostile object with a million keys stays linear.
constexpr std::size_t kLinearDuplicateScan = 16;
// Integers longer than this many digits exceed 2^53-1 without further arithmetic.
constexpr std::size_t kMaxSafeIntegerDigits = 16;

bool is_ws(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// One open array or object. The path of an error is read off the stack of frames.
struct Frame {
    Value container;
    std::string key;  // object: the key of the member being read
    bool object = false;
    bool inside = false;  // reading a member or element (so it belongs in the error path)
    std::unique_ptr<std::unordered_set<std::string>> seen;  // keys of a large object
};

class Parser {
public:
    Parser(std::string_view text, const ParseLimits& limits) : s_(text), limits_(limits) {}

    Result<Value> run();

private:
    [[nodiscard]] std::unexpected<Error> error(Errc code, std::size_t at,
                                               std::string_view reason) const;
    [[nodiscard]] std::string describe_at(std::size_t at) const;
    void skip_ws() noexcept {
        while (pos_ < s_.size() && is_ws(s_[pos_])) ++pos_;
    }
    Result<void> read_string(std::string& out);
    Result<void> read_escape(std::string& out);
    Result<void> read_key();
    Result<Value> read_number();
    Result<Value> read_literal();

    std::string_view s_;
    const ParseLimits& limits_;
    std::size_t pos_ = 0;
    std::size_t values_ = 0;
    std::vector<Frame> stack_;
};

std::unexpected<Error> Parser::error(Errc code, std::size_t at, std::string_view reason) const {
    std::string path = "$";
    for (const Frame& f : stack_) {
        if (!f.inside) break;
        if (f.object)
            append_key_segment(path, f.key);
        else
            append_index_segment(path, f.container.as_array().size());
    }
    return fail(code, "at byte " + std::to_string(at) + " (" + path + "): " + std::string(reason));
}

std::string Parser::describe_at(std::size_t at) const {
    if (at >= s_.size()) return "end of input";
    return describe_byte(s_[at]);
}

Result<Value> Parser::run() {
    if (s_.size() > limits_.max_bytes)
        return error(Errc::invalid, 0,
                     "document is " + std::to_string(s_.size()) + " bytes, over the limit of " +
                         std::to_string(limits_.max_bytes));
    if (s_.starts_with("\xEF\xBB\xBF"))
        return error(Errc::corrupt, 0, "a byte order mark (BOM) is not allowed");

    Value root;
    for (bool done = false; !done;) {
        // A value starts here: the document, an array element or an object member's value.
        skip_ws();
        if (pos_ >= s_.size())
            return error(
                Errc::corrupt, pos_,
                stack_.empty() ? "empty document" : "unexpected end of input, expected a value");
        if (++values_ > limits_.max_members)
            return error(
                Errc::invalid, pos_,
                "more than " + std::to_string(limits_.max_members) + " values in the document");
        const char c = s_[pos_];
        Value v;
        if (c == '[' || c == '{') {
            // Checked before the frame exists: depth is bounded without recursion.
            if (stack_.size() >= limits_.max_depth)
                return error(
                    Errc::invalid, pos_,
                    "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
            Frame& f = stack_.emplace_back();
            f.object = c == '{';
            f.container = f.object ? Value(Object{}) : Value(Array{});
            ++pos_;
            skip_ws();
            if (pos_ < s_.size() && s_[pos_] == (f.object ? '}' : ']')) {
                ++pos_;
                v = std::move(f.container);
                stack_.pop_back();
            } else if (f.object) {
                if (auto r = read_key(); !r) return std::unexpected(std::move(r.error()));
                continue;
            } else {
                f.inside = true;
                continue;
            }
        } else if (c == '"') {
            std::string text;
            if (auto r = read_string(text); !r) return std::unexpected(std::move(r.error()));
            v = Value(std::move(text));
        } else if (c == '-' || is_digit(c)) {
            auto r = read_number();
            if (!r) return r;
            v = std::move(*r);
        } else if (c == 't' || c == 'f' || c == 'n') {
            auto r = read_literal();
            if (!r) return r;
            v = std::move(*r);
        } else {
            return error(Errc::corrupt, pos_,
                         "unexpected " + describe_at(pos_) + ", expected a value");
        }

        // Attach the finished value; closing brackets may finish several containers at once.
        for (;;) {
            if (stack_.empty()) {
                root = std::move(v);
                done = true;
                break;
            }
            Frame& f = stack_.back();
            if (f.object)
                f.container.as_object().emplace_back(std::move(f.key), std::move(v));
            else
                f.container.as_array().push_back(std::move(v));
            f.inside = false;
            skip_ws();
            const char close = f.object ? '}' : ']';
            if (pos_ < s_.size() && s_[pos_] == ',') {
                ++pos_;
                skip_ws();
                if (f.object) {
                    if (auto r = read_key(); !r) return std::unexpected(std::move(r.error()));
                } else {
                    f.inside = true;
                }
                break;
            }
            if (pos_ < s_.size() && s_[pos_] == close) {
                ++pos_;
                v = std::move(f.container);
                stack_.pop_back();
                continue;
            }
            return error(Errc::corrupt, pos_,
                         "unexpected " + describe_at(pos_) + ", expected ',' or '" + close + "'");
        }
    }
    skip_ws();
    if (pos_ != s_.size())
        return error(Errc::corrupt, pos_,
                     "unexpected " + describe_at(pos_) + " after the end of the JSON value");
    return root;
}

Result<void> Parser::read_key() {
    Frame& f = stack_.back();
    const std::size_t at = pos_;
    if (pos_ >= s_.size() || s_[pos_] != '"')
        return error(Errc::corrupt, pos_,
                     "unexpected " + describe_at(pos_) + ", expected a string as object key");
    if (auto r = read_string(f.key); !r) return r;
    if (!is_ascii(f.key))
        return error(Errc::invalid, at, "object key is not ASCII (only ASCII keys are allowed)");

    const Object& members = f.container.as_object();
    bool duplicate = false;
    if (members.size() < kLinearDuplicateScan) {
        duplicate = std::ranges::any_of(members, [&](const auto& m) { return m.first == f.key; });
    } else {
        if (!f.seen) {
            f.seen = std::make_unique<std::unordered_set<std::string>>();
            for (const auto& m : members) f.seen->insert(m.first);
        }
        duplicate = !f.seen->insert(f.key).second;
    }
    if (duplicate) {
        f.inside = true;  // the path names the repeated key
        return error(Errc::invalid, at, "duplicate key");
    }

    skip_ws();
    if (pos_ >= s_.size() || s_[pos_] != ':')
        return error(Errc::corrupt, pos_,
                     "unexpected " + describe_at(pos_) + ", expected ':' after an object key");
    ++pos_;
    f.inside = true;
    return {};
}

Result<void> Parser::read_string(std::string& out) {
    const std::size_t start = pos_;
    ++pos_;  // the opening quote
    out.clear();
    for (;;) {
        // Copy runs of ordinary characters in one append, so a long narrative costs no
        // per-character work beyond UTF-8 validation.
        const std::size_t run = pos_;
        while (pos_ < s_.size()) {
            const auto b = static_cast<unsigned char>(s_[pos_]);
            if (b >= 0x80) {
                Utf8Status st = utf8_sequence(s_, pos_);
                if (st.length == 0) return error(Errc::corrupt, pos_, st.reason);
                pos_ += st.length;
            } else if (b >= 0x20 && b != '"' && b != '\\') {
                ++pos_;
            } else {
                break;
            }
        }
        if (out.size() + (pos_ - run) > limits_.max_string_bytes)
            return error(
                Errc::invalid, start,
                "string longer than " + std::to_string(limits_.max_string_bytes) + " bytes");
        out.append(s_, run, pos_ - run);
        if (pos_ >= s_.size()) return error(Errc::corrupt, start, "unterminated string");
        const auto b = static_cast<unsigned char>(s_[pos_]);
        if (b == '"') {
            ++pos_;
            return {};
        }
        if (b < 0x20)
            return error(
                Errc::corrupt, pos_,
                "control character " + describe_byte(s_[pos_]) + " in a string must be escaped");
        if (auto r = read_escape(out); !r) return r;
        if (out.size() > limits_.max_string_bytes)
            return error(
                Errc::invalid, start,
                "string longer than " + std::to_string(limits_.max_string_bytes) + " bytes");
    }
}

Result<void> Parser::read_escape(std::string& out) {
    const std::size_t at = pos_;  // the backslash
    auto hex4 = [&](std::size_t p) -> int {
        if (p + 4 > s_.size()) return -1;
        int v = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const int h = hex_value(s_[p + i]);
            if (h < 0) return -1;
            v = v * 16 + h;
        }
        return v;
    };
    if (pos_ + 1 >= s_.size()) return error(Errc::corrupt, at, "unterminated string");
    const char e = s_[pos_ + 1];
    pos_ += 2;
    switch (e) {
        case '"':
            out += '"';
            return {};
        case '\\':
            out += '\\';
            return {};
        case '/':
            out += '/';
            return {};
        case 'b':
            out += '\b';
            return {};
        case 'f':
            out += '\f';
            return {};
        case 'n':
            out += '\n';
            return {};
        case 'r':
            out += '\r';
            return {};
        case 't':
            out += '\t';
            return {};
        case 'u':
            break;
        default:
            return error(Errc::corrupt, at,
                         "invalid escape sequence: backslash followed by " + describe_byte(e));
    }
    const int unit = hex4(pos_);
    if (unit < 0) return error(Errc::corrupt, at, "invalid \\u escape: expected 4 hex digits");
    pos_ += 4;
    auto cp = static_cast<std::uint32_t>(unit);
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return error(Errc::invalid, at, "lone UTF-16 low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        // Input that stops here is truncated, not a lone surrogate.
        if (pos_ >= s_.size() || (s_[pos_] == '\\' && pos_ + 1 >= s_.size()))
            return error(Errc::corrupt, at, "unterminated string");
        if (s_[pos_] != '\\' || s_[pos_ + 1] != 'u')
            return error(Errc::invalid, at,
                         "lone UTF-16 high surrogate in \\u escape (no low surrogate follows)");
        const int low = hex4(pos_ + 2);
        if (low < 0) return error(Errc::corrupt, pos_, "invalid \\u escape: expected 4 hex digits");
        if (low < 0xDC00 || low > 0xDFFF)
            return error(Errc::invalid, at,
                         "lone UTF-16 high surrogate in \\u escape (no low surrogate follows)");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
        pos_ += 6;
    }
    append_utf8(out, cp);
    return {};
}

Result<Value> Parser::read_number() {
    // RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?  The whole grammar is
    // read so that a malformed number (corrupt) is told apart from a valid one outside the
    // profile (invalid).
    const std::size_t start = pos_;
    auto digit_here = [&] { return pos_ < s_.size() && is_digit(s_[pos_]); };
    const bool negative = s_[pos_] == '-';
    if (negative) ++pos_;
    if (!digit_here())
        return error(Errc::corrupt, start, "invalid number: expected a digit after '-'");
    const std::size_t int_start = pos_;
    if (s_[pos_] == '0') {
        ++pos_;
        if (digit_here()) return error(Errc::corrupt, start, "invalid number: leading zero");
    } else {
        while (digit_here()) ++pos_;
    }
    const std::size_t int_end = pos_;
    bool fraction_or_exponent = false;
    if (pos_ < s_.size() && s_[pos_] == '.') {
        ++pos_;
        if (!digit_here())
            return error(Errc::corrupt, start, "invalid number: expected a digit after '.'");
        while (digit_here()) ++pos_;
        fraction_or_exponent = true;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
        if (!digit_here())
            return error(Errc::corrupt, start, "invalid number: expected a digit in the exponent");
        while (digit_here()) ++pos_;
        fraction_or_exponent = true;
    }
    if (fraction_or_exponent)
        return error(Errc::invalid, start,
                     "numbers with a fraction or exponent are not allowed (integers only)");

    const std::string_view digits = s_.substr(int_start, int_end - int_start);
    std::uint64_t magnitude = 0;
    if (digits.size() > kMaxSafeIntegerDigits ||
        std::from_chars(digits.data(), digits.data() + digits.size(), magnitude).ec !=
            std::errc{} ||
        magnitude > static_cast<std::uint64_t>(kMaxSafeInteger))
        return error(Errc::invalid, start,
                     "integer out of range (the limit is +/-9007199254740991, 2^53-1)");
    if (negative && magnitude == 0)
        return error(Errc::invalid, start, "negative zero is not allowed");
    const auto value = static_cast<std::int64_t>(magnitude);
    return Result<Value>(std::in_place, negative ? -value : value);
}

// Scalars are built in place in the Result: moving a temporary Value into it makes g++ 12 warn
// (falsely) that the variant's string member may be uninitialized.
Result<Value> Parser::read_literal() {
    const std::string_view rest = s_.substr(pos_);
    if (rest.starts_with("true")) {
        pos_ += 4;
        return Result<Value>(std::in_place, true);
    }
    if (rest.starts_with("false")) {
        pos_ += 5;
        return Result<Value>(std::in_place, false);
    }
    if (rest.starts_with("null")) {
        pos_ += 4;
        return Result<Value>(std::in_place, nullptr);
    }
    return error(Errc::corrupt, pos_, "invalid literal (expected true, false or null)");
}

}  // namespace

Result<Value> parse(std::string_view text, const ParseLimits& limits) {
    return Parser(text, limits).run();
}

}  // namespace svidok::forms::json
