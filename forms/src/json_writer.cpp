// SPDX-License-Identifier: GPL-3.0-or-later
// The canonical writer (RFC 8785 within Svidok's profile, docs/FORMAT.md section 6) and the
// display writer of Svidok's JSON.
#include <algorithm>

#include "forms/json.h"
#include "json_text.h"

namespace svidok::forms::json {

using namespace text;

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
            case Type::null:
                out_ += "null";
                return {};
            case Type::boolean:
                out_ += v.as_bool() ? "true" : "false";
                return {};
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
            case Type::object:
                return write_object(v.as_object());
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
        case Type::null:
            out += "null";
            return;
        case Type::boolean:
            out += v.as_bool() ? "true" : "false";
            return;
        case Type::integer:
            append_integer(out, v.as_int());
            return;
        case Type::string:
            append_display_string(out, v.as_string());
            return;
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

Result<std::string> canonicalize(const Value& value) {
    return Canonicalizer().run(value);
}

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

namespace {

void add_size_at_least(const Value& v, std::size_t limit, std::size_t& total) noexcept {
    if (total > limit) return;
    switch (v.type()) {
        case Type::string:
            total += v.as_string().size() + 2;
            break;
        case Type::array:
            total += 2;
            for (const auto& item : v.as_array()) add_size_at_least(item, limit, total);
            break;
        case Type::object:
            total += 2;
            for (const auto& [key, item] : v.as_object()) {
                total += key.size() + 3;
                add_size_at_least(item, limit, total);
            }
            break;
        default:
            total += 1;
    }
}

}  // namespace

std::size_t canonical_size_at_least(const Value& value, std::size_t limit) noexcept {
    std::size_t total = 0;
    add_size_at_least(value, limit, total);
    return total;
}

}  // namespace svidok::forms::json
