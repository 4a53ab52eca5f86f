// SPDX-License-Identifier: GPL-3.0-or-later
// The strict reader and the canonical writer of Svidok's JSON profile (docs/FORMAT.md section 6).
#include "forms/json.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

namespace svidok::forms::json {

namespace {

// ---- helpers shared by the reader and the writer

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

struct Utf8Status {
    std::size_t length;  // of the well-formed sequence, 0 when malformed
    const char* reason;  // why it is malformed
};

// Measures the UTF-8 sequence starting at s[i], strictly per Unicode Table 3-7: no overlong
// forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
Utf8Status utf8_sequence(std::string_view s, std::size_t i) noexcept {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return {1, ""};
    if (b0 < 0xC0) return {0, "invalid UTF-8: unexpected continuation byte"};
    if (b0 < 0xC2) return {0, "invalid UTF-8: overlong encoding"};
    if (b0 > 0xF4) return {0, "invalid UTF-8: byte that never appears in UTF-8"};
    std::size_t n = 2;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    const char* out_of_range = "";
    if (b0 >= 0xF0) {
        n = 4;
        if (b0 == 0xF0) {
            lo = 0x90;
            out_of_range = "invalid UTF-8: overlong encoding";
        } else if (b0 == 0xF4) {
            hi = 0x8F;
            out_of_range = "invalid UTF-8: code point above U+10FFFF";
        }
    } else if (b0 >= 0xE0) {
        n = 3;
        if (b0 == 0xE0) {
            lo = 0xA0;
            out_of_range = "invalid UTF-8: overlong encoding";
        } else if (b0 == 0xED) {
            hi = 0x9F;
            out_of_range = "invalid UTF-8: UTF-16 surrogate (U+D800..U+DFFF) encoded in UTF-8";
        }
    }
    for (std::size_t k = 1; k < n; ++k) {
        if (i + k >= s.size()) return {0, "invalid UTF-8: truncated multi-byte sequence"};
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < 0x80 || b > 0xBF) return {0, "invalid UTF-8: truncated multi-byte sequence"};
        if (k == 1 && (b < lo || b > hi)) return {0, out_of_range};
    }
    return {n, ""};
}

// The reason `s` is not valid UTF-8, or nullptr when it is.
const char* utf8_problem(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const Utf8Status st = utf8_sequence(s, i);
        if (st.length == 0) return st.reason;
        i += st.length;
    }
    return nullptr;
}

bool is_ascii(std::string_view s) noexcept {
    return std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// "'x'" for a printable ASCII byte, "byte 0x1f" otherwise: never raw bytes in a message.
std::string describe_byte(char c) {
    const auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7F) return std::string("'") + c + "'";
    constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[b >> 4] + kHex[b & 0xF];
}

// JCS / ECMAScript JSON.stringify string escaping; `s` must be valid UTF-8.
void append_quoted(std::string& out, std::string_view s) {
    constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x20 && b != '"' && b != '\\') continue;
        out.append(s, run, i - run);
        run = i + 1;
        switch (b) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\f': out += "\\f"; break;
            case '\r': out += "\\r"; break;
            default:
                out += "\\u00";
                out += kHex[b >> 4];
                out += kHex[b & 0xF];
        }
    }
    out.append(s, run, s.size() - run);
    out += '"';
}

// Shortest decimal form, as ECMAScript prints a safe integer.
void append_integer(std::string& out, std::int64_t i) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, r.ptr);
}

// Keys longer than this are shortened in error paths.
constexpr std::size_t kMaxPathKeyBytes = 64;

// ".name" for identifier-like keys, otherwise ["escaped key"]. Only ASCII keys reach a path.
void append_key_segment(std::string& path, std::string_view key) {
    auto ident_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    };
    const bool identifier = !key.empty() && key.size() <= kMaxPathKeyBytes && !is_digit(key[0]) &&
                            std::ranges::all_of(key, ident_char);
    if (identifier) {
        path += '.';
        path += key;
        return;
    }
    path += '[';
    if (key.size() > kMaxPathKeyBytes) {
        append_quoted(path, key.substr(0, kMaxPathKeyBytes));
        path += "...";
    } else {
        append_quoted(path, key);
    }
    path += ']';
}

void append_index_segment(std::string& path, std::size_t index) {
    path += '[';
    path += std::to_string(index);
    path += ']';
}

}  // namespace

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

bool is_ws(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

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
        case '"': out += '"'; return {};
        case '\\': out += '\\'; return {};
        case '/': out += '/'; return {};
        case 'b': out += '\b'; return {};
        case 'f': out += '\f'; return {};
        case 'n': out += '\n'; return {};
        case 'r': out += '\r'; return {};
        case 't': out += '\t'; return {};
        case 'u': break;
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
    return Value(negative ? -value : value);
}

Result<Value> Parser::read_literal() {
    const std::string_view rest = s_.substr(pos_);
    if (rest.starts_with("true")) {
        pos_ += 4;
        return Value(true);
    }
    if (rest.starts_with("false")) {
        pos_ += 5;
        return Value(false);
    }
    if (rest.starts_with("null")) {
        pos_ += 4;
        return Value(nullptr);
    }
    return error(Errc::corrupt, pos_, "invalid literal (expected true, false or null)");
}

}  // namespace

Result<Value> parse(std::string_view text, const ParseLimits& limits) {
    return Parser(text, limits).run();
}

// ---- writer

namespace {

// A step of the path to the value being written, for error messages.
struct Step {
    const std::string* key;  // nullptr for an array element
    std::size_t index;
};

class Canonicalizer {
public:
    Result<std::string> run(const Value& root) {
        if (auto r = write(root); !r) return std::unexpected(std::move(r.error()));
        return std::move(out_);
    }

private:
    [[nodiscard]] std::unexpected<Error> error(std::string_view reason) const {
        std::string path = "$";
        for (const Step& s : path_) {
            if (s.key)
                append_key_segment(path, *s.key);
            else
                append_index_segment(path, s.index);
        }
        return fail(Errc::invalid, "cannot canonicalize: at " + path + ": " + std::string(reason));
    }

    Result<void> write(const Value& v) {
        switch (v.type()) {
            case Type::null: out_ += "null"; return {};
            case Type::boolean: out_ += v.as_bool() ? "true" : "false"; return {};
            case Type::integer: {
                const std::int64_t i = v.as_int();
                if (i < -kMaxSafeInteger || i > kMaxSafeInteger)
                    return error("integer out of range (the limit is +/-9007199254740991, 2^53-1)");
                append_integer(out_, i);
                return {};
            }
            case Type::string:
                if (const char* why = utf8_problem(v.as_string()))
                    return error(std::string("string is not valid UTF-8 (") + why + ")");
                append_quoted(out_, v.as_string());
                return {};
            case Type::array: {
                out_ += '[';
                const Array& a = v.as_array();
                for (std::size_t i = 0; i < a.size(); ++i) {
                    if (i > 0) out_ += ',';
                    path_.push_back({nullptr, i});
                    if (auto r = write(a[i]); !r) return r;
                    path_.pop_back();
                }
                out_ += ']';
                return {};
            }
            case Type::object: return write_object(v.as_object());
        }
        return {};
    }

    Result<void> write_object(const Object& members) {
        // RFC 8785 sorts by UTF-16 code units; for ASCII keys that is byte order.
        std::vector<const Object::value_type*> sorted;
        sorted.reserve(members.size());
        for (const auto& m : members) {
            if (!is_ascii(m.first))
                return error("object key is not ASCII (only ASCII keys are allowed)");
            sorted.push_back(&m);
        }
        std::ranges::sort(sorted, {}, [](const auto* m) -> const std::string& { return m->first; });
        for (std::size_t i = 1; i < sorted.size(); ++i) {
            if (sorted[i]->first == sorted[i - 1]->first) {
                path_.push_back({&sorted[i]->first, 0});
                return error("duplicate key");
            }
        }
        out_ += '{';
        for (std::size_t i = 0; i < sorted.size(); ++i) {
            if (i > 0) out_ += ',';
            append_quoted(out_, sorted[i]->first);
            out_ += ':';
            path_.push_back({&sorted[i]->first, 0});
            if (auto r = write(sorted[i]->second); !r) return r;
            path_.pop_back();
        }
        out_ += '}';
        return {};
    }

    std::string out_;
    std::vector<Step> path_;
};

// Display only: invalid UTF-8 becomes U+FFFD instead of failing.
void append_display_string(std::string& out, std::string_view s) {
    if (!utf8_problem(s)) {
        append_quoted(out, s);
        return;
    }
    std::string clean;
    clean.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const Utf8Status st = utf8_sequence(s, i);
        if (st.length == 0) {
            clean += "\xEF\xBF\xBD";
            ++i;
        } else {
            clean.append(s, i, st.length);
            i += st.length;
        }
    }
    append_quoted(out, clean);
}

// Mirrors ECMAScript JSON.stringify(value, null, indent): indent clamped to 0..10, 0 = compact.
void write_pretty(std::string& out, const Value& v, std::size_t indent, std::size_t level) {
    auto newline = [&](std::size_t depth) {
        if (indent == 0) return;
        out += '\n';
        out.append(depth * indent, ' ');
    };
    switch (v.type()) {
        case Type::null: out += "null"; return;
        case Type::boolean: out += v.as_bool() ? "true" : "false"; return;
        case Type::integer: append_integer(out, v.as_int()); return;
        case Type::string: append_display_string(out, v.as_string()); return;
        case Type::array: {
            const Array& a = v.as_array();
            if (a.empty()) {
                out += "[]";
                return;
            }
            out += '[';
            for (std::size_t i = 0; i < a.size(); ++i) {
                if (i > 0) out += ',';
                newline(level + 1);
                write_pretty(out, a[i], indent, level + 1);
            }
            newline(level);
            out += ']';
            return;
        }
        case Type::object: {
            const Object& o = v.as_object();
            if (o.empty()) {
                out += "{}";
                return;
            }
            out += '{';
            for (std::size_t i = 0; i < o.size(); ++i) {
                if (i > 0) out += ',';
                newline(level + 1);
                append_display_string(out, o[i].first);
                out += indent == 0 ? ":" : ": ";
                write_pretty(out, o[i].second, indent, level + 1);
            }
            newline(level);
            out += '}';
            return;
        }
    }
}

}  // namespace

Result<std::string> canonicalize(const Value& value) { return Canonicalizer().run(value); }

bool is_canonical(std::string_view bytes) {
    auto value = parse(bytes);
    if (!value) return false;
    auto canonical = canonicalize(*value);
    return canonical && *canonical == bytes;
}

std::string pretty(const Value& value, int indent) {
    constexpr int kMaxIndent = 10;
    std::string out;
    write_pretty(out, value, static_cast<std::size_t>(std::clamp(indent, 0, kMaxIndent)), 0);
    return out;
}

}  // namespace svidok::forms::json
