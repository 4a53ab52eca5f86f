// SPDX-License-Identifier: GPL-3.0-or-later
#include "forms/json.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "crypto/encoding.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::forms::json;

namespace {

// Parses and expects failure with `code`; returns the message for further checks.
std::string rejected(std::string_view text, Errc code, const ParseLimits& limits = {}) {
    auto r = parse(text, limits);
    REQUIRE_MESSAGE(!r.has_value(), "accepted: " << text.substr(0, 80));
    CHECK_MESSAGE(r.error().code == code, "code " << std::string(errc_name(r.error().code))
                                                  << " for " << text.substr(0, 80) << ": "
                                                  << r.error().message);
    return r.error().message;
}

// The message of a parse error must say where and why: "at byte N ($...): reason".
bool well_formed_message(std::string_view m) {
    constexpr std::string_view kAt = "at byte ";
    if (!m.starts_with(kAt)) return false;
    m.remove_prefix(kAt.size());
    const auto digits = m.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string_view::npos) return false;
    m.remove_prefix(digits);
    if (!m.starts_with(" ($")) return false;
    const auto close = m.find("): ");
    if (close == std::string_view::npos) return false;
    const std::string_view reason = m.substr(close + 3);
    return reason.size() > 8 && ((reason[0] >= 'a' && reason[0] <= 'z') || reason[0] == '(');
}

std::size_t byte_of(const std::string& m) {
    return std::stoul(m.substr(std::string_view("at byte ").size()));
}

std::string canon(const Value& v) {
    auto c = canonicalize(v);
    REQUIRE_MESSAGE(c.has_value(), c.error().message);
    return *c;
}

std::string canon_text(std::string_view text) {
    auto v = parse(text);
    REQUIRE_MESSAGE(v.has_value(), v.error().message);
    return canon(*v);
}

std::string strip_spaces(std::string s) {
    std::erase_if(s, [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
    return s;
}

// A document touching every construct of the profile.
const std::string kSample =
    R"({"victims":[{"name":"\u041e\u043b\u0435\u043d\u0430 \"O\"","age":34,"ok":true},)"
    R"({"name":"Петро\n","age":-7,"x":null,"tags":[]}],"n":9007199254740991,"e":{},)"
    "\"u\":\"\xF0\x9F\x98\x82\\ud83d\\ude02\\/\"}";

}  // namespace

TEST_CASE(
    "RFC 8785 vectors: inputs inside the profile give the expected bytes, others are "
    "rejected") {
    const auto dir = test::vectors_dir("jcs");
    if (dir.empty()) return;

    // Read from the files: arrays and unicode use integers and ASCII keys only; structures
    // ("56.0") and values (333333333.33333329, 1E30, ...) hold non-integer numbers; french
    // ("péché") and weird ("\u20ac", ...) hold non-ASCII keys.
    struct Expect {
        bool accepted;
        std::string reason;   // substring of the error
        std::string culprit;  // text in the input where the error must point
    };
    const std::map<std::string, Expect> table = {
        {"arrays.json", {true, "", ""}},
        {"unicode.json", {true, "", ""}},
        {"structures.json", {false, "fraction or exponent", "56.0"}},
        {"values.json", {false, "fraction or exponent", "333333333.33333329"}},
        {"french.json",
         {false, "key is not ASCII",
          "\"p\xC3\xA9"
          "ch\xC3\xA9\""}},
        {"weird.json", {false, "key is not ASCII", "\"\\u20ac\""}},
    };

    std::set<std::string> seen;
    for (const auto& entry : test::fs::directory_iterator(dir / "input")) {
        const std::string name = entry.path().filename().string();
        seen.insert(name);
        REQUIRE_MESSAGE(table.contains(name), "unclassified vector " << name);
        const Expect& x = table.at(name);
        const std::string input = test::read_file(entry.path());
        const std::string output = test::read_file(dir / "output" / name);
        const auto outhex = crypto::from_hex(strip_spaces(
            test::read_file(dir / "outhex" / (entry.path().stem().string() + ".txt"))));
        REQUIRE(outhex.has_value());
        REQUIRE(crypto::as_text(*outhex) == output);  // the two expectations agree

        auto v = parse(input);
        if (x.accepted) {
            INFO(name);
            REQUIRE_MESSAGE(v.has_value(), v.error().message);
            const std::string got = canon(*v);
            CHECK(got == output);
            CHECK(crypto::to_hex(crypto::as_bytes(got)) == crypto::to_hex(*outhex));
            CHECK(is_canonical(output));
            CHECK(!is_canonical(input));
        } else {
            INFO(name);
            REQUIRE(!v.has_value());
            CHECK(v.error().code == Errc::invalid);
            CHECK(well_formed_message(v.error().message));
            CHECK(v.error().message.find(x.reason) != std::string::npos);
            const auto at = input.find(x.culprit);
            REQUIRE(at != std::string::npos);
            CHECK_MESSAGE(byte_of(v.error().message) == at, v.error().message);
        }
    }
    CHECK(seen.size() == table.size());
}

TEST_CASE("RFC 8785 vectors: profile-restricted variants and expected outputs") {
    const auto dir = test::vectors_dir("jcs");
    if (dir.empty()) return;
    const auto read = [&](const char* sub, const char* name) {
        return test::read_file(dir / sub / name);
    };

    // 56.0 serializes as 56 in JCS, so the integer spelling must give the very same bytes.
    std::string structures = read("input", "structures.json");
    const auto at = structures.find("56.0");
    REQUIRE(at != std::string::npos);
    structures.replace(at, 4, "56");
    CHECK(canon_text(structures) == read("output", "structures.json"));
    CHECK(is_canonical(read("output", "structures.json")));

    // values.json without its numbers: literals and the string escapes remain.
    std::string values = read("input", "values.json");
    const auto numbers_begin = values.find("\"numbers\"");
    const auto numbers_end = values.find('\n', numbers_begin);
    REQUIRE(numbers_end != std::string::npos);
    values.erase(numbers_begin, numbers_end - numbers_begin + 1);
    std::string expected = read("output", "values.json");
    const auto out_begin = expected.find(",\"numbers\"");
    const auto out_end = expected.find(']', out_begin);
    REQUIRE(out_end != std::string::npos);
    expected.erase(out_begin, out_end - out_begin + 1);
    CHECK(canon_text(values) == expected);

    // Outputs outside the profile are not canonical for us either.
    for (const char* name : {"values.json", "french.json", "weird.json"})
        CHECK_MESSAGE(!is_canonical(read("output", name)), name);
}

TEST_CASE("error messages give byte, path and reason") {
    const std::string doc = R"({"victims":[{"name":"x","age":1.5}]})";
    const std::string m = rejected(doc, Errc::invalid);
    CHECK(m == "at byte " + std::to_string(doc.find("1.5")) +
                   " ($.victims[0].age): numbers with a fraction or exponent are not allowed "
                   "(integers only)");

    const std::string odd = R"({"a b":[0,{"x.y":[true,-0]}]})";
    CHECK(rejected(odd, Errc::invalid) == "at byte " + std::to_string(odd.find("-0")) +
                                              R"( ($["a b"][1]["x.y"][1]): negative zero is )"
                                              "not allowed");
    const std::string long_key = std::string(100, 'k');
    const std::string m2 = rejected("{\"" + long_key + "\":1e1}", Errc::invalid);
    CHECK(m2.find("($[\"" + std::string(64, 'k') + "\"...])") != std::string::npos);

    // Errors between values name the container, not a member.
    CHECK(rejected("[1 2]", Errc::corrupt) == "at byte 3 ($): unexpected '2', expected ',' or ']'");
    CHECK(rejected(R"({"a":{"b":1 "c"}})", Errc::corrupt) ==
          "at byte 12 ($.a): unexpected '\"', expected ',' or '}'");
    // No raw bytes of the input in messages.
    CHECK(rejected("[\x01]", Errc::corrupt).find("byte 0x01, expected a value") !=
          std::string::npos);
}

TEST_CASE("integers: the 2^53 boundary, -0, huge numbers, fractions and exponents") {
    CHECK(parse("9007199254740991")->as_int() == kMaxSafeInteger);
    CHECK(parse("-9007199254740991")->as_int() == -kMaxSafeInteger);
    CHECK(parse("0")->as_int() == 0);
    CHECK(parse("-1")->as_int() == -1);
    CHECK(canon_text(" -9007199254740991 ") == "-9007199254740991");

    for (const char* t :
         {"9007199254740992", "-9007199254740992", "9999999999999999", "18446744073709551616",
          "-9223372036854775808", "123456789012345678901234567890123456789012345678901234567890"})
        CHECK(rejected(t, Errc::invalid).find("integer out of range") != std::string::npos);
    CHECK(rejected("-" + std::string(5000, '9'), Errc::invalid).find("out of range") !=
          std::string::npos);

    CHECK(rejected("-0", Errc::invalid).find("negative zero") != std::string::npos);
    CHECK(rejected("[-0]", Errc::invalid) == "at byte 1 ($[0]): negative zero is not allowed");
    for (const char* t : {"1.0", "1e2", "1E+2", "1e-2", "-0.0", "0.5", "56.0", "1E400",
                          "9007199254740993.0", "0e0"})
        CHECK(rejected(t, Errc::invalid).find("fraction or exponent") != std::string::npos);

    CHECK(rejected("01", Errc::corrupt).find("leading zero") != std::string::npos);
    CHECK(rejected("-01", Errc::corrupt).find("leading zero") != std::string::npos);
    CHECK(rejected("-", Errc::corrupt).find("digit after '-'") != std::string::npos);
    CHECK(rejected("-a", Errc::corrupt).find("digit after '-'") != std::string::npos);
    CHECK(rejected("1.", Errc::corrupt).find("digit after '.'") != std::string::npos);
    CHECK(rejected("1.e3", Errc::corrupt).find("digit after '.'") != std::string::npos);
    CHECK(rejected("1e", Errc::corrupt).find("exponent") != std::string::npos);
    CHECK(rejected("1e+", Errc::corrupt).find("exponent") != std::string::npos);
    for (const char* t : {"+1", ".5", "0x10", "NaN", "Infinity", "-Infinity", "1_000", "١"})
        CHECK(well_formed_message(rejected(t, Errc::corrupt)));

    // Values built in code are checked when written.
    for (std::int64_t bad : {kMaxSafeInteger + 1, -kMaxSafeInteger - 1, INT64_MIN, INT64_MAX}) {
        auto c = canonicalize(Value(Array{Value(0), Value(bad)}));
        REQUIRE(!c.has_value());
        CHECK(c.error().code == Errc::invalid);
        CHECK(c.error().message.find("at $[1]: integer out of range") != std::string::npos);
    }
}

TEST_CASE("strings: escapes decoded, kept exactly as entered") {
    CHECK(parse(R"("\"\\\/\b\f\n\r\t")")->as_string() == "\"\\/\b\f\n\r\t");
    CHECK(parse(R"("\u0041\u00e9\u00E9\u20ac")")->as_string() == "A\xC3\xA9\xC3\xA9\xE2\x82\xAC");
    CHECK(parse(R"("\ud83d\ude02")")->as_string() == "\xF0\x9F\x98\x82");
    CHECK(parse(R"("\uDBFF\uDFFF")")->as_string() == "\xF4\x8F\xBF\xBF");
    CHECK(parse(R"("\u0000")")->as_string() == std::string(1, '\0'));
    // No normalization: NFD and NFC spellings differ.
    CHECK(parse(R"("A\u030a")")->as_string() == "A\xCC\x8A");
    CHECK(parse("\"\xC3\x85\"")->as_string() == "\xC3\x85");
    CHECK(parse("\"\x7f\"")->as_string() == "\x7f");
    CHECK(parse("\"\xE2\x80\xA8\"")->as_string() == "\xE2\x80\xA8");
    CHECK(parse(R"("")")->as_string().empty());

    for (const char* t : {R"("\x41")", R"("\U0041")", R"("\'")", R"("\a")", R"("\u12")",
                          R"("\u12G4")", R"("\u")", R"("\ud83d\u12")", "\"\\", "\"\\u00"}) {
        const std::string m = rejected(t, Errc::corrupt);
        CHECK(well_formed_message(m));
        CHECK_MESSAGE(
            (m.find("escape") != std::string::npos || m.find("unterminated") != std::string::npos),
            m);
    }
    for (const char* t : {R"("\ud800")", R"("\udc00")", R"("\ud83dx")", R"("\ud83d\u0041")",
                          R"("\ude02\ud83d")", R"("\ud83d\ud83d")", R"("\udbff")"})
        CHECK(rejected(t, Errc::invalid).find("lone UTF-16") != std::string::npos);

    for (int c = 0; c < 0x20; ++c) {
        const std::string doc = std::string("[\"a") + static_cast<char>(c) + "\"]";
        CHECK(rejected(doc, Errc::corrupt).find("must be escaped") != std::string::npos);
    }
    CHECK(rejected("\"abc", Errc::corrupt) == "at byte 0 ($): unterminated string");
    CHECK(rejected(R"("\ud83d)", Errc::corrupt).find("unterminated string") != std::string::npos);
    CHECK(rejected(R"("\ud83d\)", Errc::corrupt).find("unterminated string") != std::string::npos);
}

TEST_CASE("UTF-8 validation") {
    struct Case {
        const char* bytes;
        const char* reason;
    };
    const Case bad[] = {
        {"\xC0\x80", "overlong"},
        {"\xC1\xBF", "overlong"},
        {"\xE0\x80\x80", "overlong"},
        {"\xE0\x9F\xBF", "overlong"},
        {"\xF0\x80\x80\x80", "overlong"},
        {"\xF0\x8F\xBF\xBF", "overlong"},
        {"\xED\xA0\x80", "surrogate"},
        {"\xED\xBF\xBF", "surrogate"},
        {"\xED\xA0\xBD\xED\xB8\x82", "surrogate"},
        {"\xF4\x90\x80\x80", "above U+10FFFF"},
        {"\xF5\x80\x80\x80", "never appears"},
        {"\xFF", "never appears"},
        {"\xFE", "never appears"},
        {"\x80", "continuation"},
        {"\xBF", "continuation"},
        {"\xE2\x82", "truncated"},
        {"\xE2\x82"
         "A",
         "truncated"},
        {"\xC3", "truncated"},
        {"\xF0\x9F\x98", "truncated"},
        {"\xC3\xC3\xA9", "truncated"},
    };
    for (const Case& c : bad) {
        const std::string doc = std::string("{\"k\":\"ok") + c.bytes + "\"}";
        const std::string m = rejected(doc, Errc::corrupt);
        CHECK_MESSAGE(m.find(c.reason) != std::string::npos, m);
        CHECK(m.find("invalid UTF-8") != std::string::npos);
        CHECK(byte_of(m) == 8);
        CHECK(m.find("($.k)") != std::string::npos);
    }
    // Outside strings, non-ASCII is just an unexpected byte.
    CHECK(well_formed_message(rejected("[\xC3\xA9]", Errc::corrupt)));
    // The edges of each range are accepted.
    for (const char* ok : {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                           "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
        const std::string doc = std::string("\"") + ok + "\"";
        auto v = parse(doc);
        REQUIRE_MESSAGE(v.has_value(), v.error().message);
        CHECK(canon(*v) == doc);
    }
    // canonicalize refuses strings the reader would refuse.
    auto c = canonicalize(Value(Object{{"a", Value(std::string("\xED\xA0\x80"))}}));
    REQUIRE(!c.has_value());
    CHECK(c.error().code == Errc::invalid);
    CHECK(c.error().message.find("at $.a: string is not valid UTF-8") != std::string::npos);
}

TEST_CASE("canonical string escaping follows JSON.stringify") {
    std::string all;
    for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
    std::string expected = "\"";
    const char* short_escapes[] = {"\\b", "\\t", "\\n", nullptr, "\\f", "\\r"};
    for (int c = 0; c < 0x80; ++c) {
        if (c >= 8 && c <= 13 && short_escapes[c - 8]) {
            expected += short_escapes[c - 8];
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            expected += buf;
        } else if (c == '"' || c == '\\') {
            expected += '\\';
            expected += static_cast<char>(c);
        } else {
            expected += static_cast<char>(c);
        }
    }
    expected += '"';
    CHECK(canon(Value(all)) == expected);
    CHECK(expected.find("\\u000b") != std::string::npos);  // lowercase hex
    CHECK(expected.find("\\u001f") != std::string::npos);
    CHECK(parse(expected)->as_string() == all);

    // Non-ASCII, U+2028/U+2029 and '/' are raw; escaped input comes out raw.
    CHECK(canon_text(R"(["\u2028\u2029","\/","\u00e9","\u041f"])") ==
          "[\"\xE2\x80\xA8\xE2\x80\xA9\",\"/\",\"\xC3\xA9\",\"\xD0\x9F\"]");
    CHECK(canon_text(R"("\u001F\u007f")") == "\"\\u001f\x7f\"");
}

TEST_CASE("objects: ASCII keys, sorted output, duplicates rejected with the key path") {
    CHECK(canon_text(R"({"b":1,"a":2,"B":3,"_":4,"":5,"aa":6,"10":7,"1":8,"\n":9})") ==
          R"({"":5,"\n":9,"1":8,"10":7,"B":3,"_":4,"a":2,"aa":6,"b":1})");
    CHECK(canon_text(R"({"z":{"y":[{"b":0,"a":0}],"x":1}})") ==
          R"({"z":{"x":1,"y":[{"a":0,"b":0}]}})");

    const std::string m = rejected(R"({"caf\u00e9":1})", Errc::invalid);
    CHECK(m == "at byte 1 ($): object key is not ASCII (only ASCII keys are allowed)");
    CHECK(rejected("{\"ok\":{\"\xD0\x9F\":1}}", Errc::invalid) ==
          "at byte 7 ($.ok): object key is not ASCII (only ASCII keys are allowed)");

    CHECK(rejected(R"({"a":1,"a":2})", Errc::invalid) == "at byte 7 ($.a): duplicate key");
    CHECK(rejected(R"({"x":[{"k":1,"j":2,"k":3}]})", Errc::invalid) ==
          "at byte 19 ($.x[0].k): duplicate key");
    CHECK(rejected(R"({"a":1,"\u0061":2})", Errc::invalid).find("($.a): duplicate key") !=
          std::string::npos);
    CHECK(rejected(R"({"a b":1,"a b":2})", Errc::invalid).find(R"(($["a b"]): duplicate key)") !=
          std::string::npos);
    // Same key in different objects is fine.
    CHECK(parse(R"({"a":{"a":1},"b":{"a":2}})").has_value());

    // Large objects (hashed duplicate check): first and last key repeated.
    std::string big = "{";
    for (int i = 0; i < 1000; ++i)
        big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    CHECK(parse(big.substr(0, big.size() - 1) + "}").has_value());
    CHECK(rejected(big + "\"k0\":0}", Errc::invalid).find("($.k0): duplicate key") !=
          std::string::npos);
    CHECK(rejected(big + "\"k999\":0}", Errc::invalid).find("($.k999): duplicate key") !=
          std::string::npos);

    // Values built in code: duplicate and non-ASCII keys are refused by the writer.
    auto dup =
        canonicalize(Value(Object{{"a", Value(1)}, {"b", Value(Object{{"k", 1}, {"k", 2}})}}));
    REQUIRE(!dup.has_value());
    CHECK(dup.error().message == "cannot canonicalize: at $.b.k: duplicate key");
    auto nonascii = canonicalize(Value(Array{Value(Object{{"\xC3\xA9", 1}})}));
    REQUIRE(!nonascii.has_value());
    CHECK(nonascii.error().code == Errc::invalid);
    CHECK(nonascii.error().message ==
          "cannot canonicalize: at $[0]: object key is not ASCII (only ASCII keys are allowed)");
}

TEST_CASE("document structure: one value, whitespace, no garbage") {
    CHECK(parse(" \t\r\n[ 1 , { \"a\" : [ ] } ]\n\n").has_value());
    CHECK(parse("null")->is_null());
    CHECK(parse("true")->as_bool());
    CHECK(!parse("false")->as_bool());

    CHECK(rejected("", Errc::corrupt) == "at byte 0 ($): empty document");
    CHECK(rejected(" \n ", Errc::corrupt) == "at byte 3 ($): empty document");
    CHECK(rejected("\xEF\xBB\xBF{}", Errc::corrupt).find("byte order mark") != std::string::npos);
    CHECK(rejected("{} x", Errc::corrupt) ==
          "at byte 3 ($): unexpected 'x' after the end of the "
          "JSON value");
    CHECK(rejected("1 2", Errc::corrupt).find("after the end") != std::string::npos);
    CHECK(rejected("{}{}", Errc::corrupt).find("after the end") != std::string::npos);
    CHECK(rejected("\"a\"\"b\"", Errc::corrupt).find("after the end") != std::string::npos);
    CHECK(rejected(std::string("[]\0", 3), Errc::corrupt).find("byte 0x00 after the end") !=
          std::string::npos);
    for (const char* t : {"[1,]",   "{\"a\":1,}", "[,1]",   "{,}",        "{\"a\" 1}", "{\"a\":}",
                          "{1:2}",  "{'a':1}",    "['a']",  "[1]]",       "[[1]",      "{\"a\":1",
                          "[",      "{",          "]",      "}",          "// c\n1",   "/* c */1",
                          "tru",    "nul",        "True",   "NULL",       "fals",      "[1 2]",
                          "\x0c[]", "\xC2\xA0[]", "[1,,2]", "{\"a\"::1}", "{\"a\",1}"}) {
        const std::string m = rejected(t, Errc::corrupt);
        CHECK_MESSAGE(well_formed_message(m), m);
    }
}

TEST_CASE("limits are enforced with clear errors") {
    ParseLimits lim;
    lim.max_bytes = 10;
    CHECK(parse("[1,2,3,45]", lim).has_value());
    CHECK(rejected("[1,2,3,456]", Errc::invalid, lim) ==
          "at byte 0 ($): document is 11 bytes, over the limit of 10");

    lim = {};
    lim.max_depth = 3;
    CHECK(parse("[[[1]]]", lim).has_value());
    CHECK(rejected("[[[[1]]]]", Errc::invalid, lim) ==
          "at byte 3 ($[0][0][0]): nesting deeper "
          "than 3 levels");
    CHECK(rejected(R"({"a":{"b":{"c":{}}}})", Errc::invalid, lim).find("($.a.b.c)") !=
          std::string::npos);

    // Default depth 64: exactly at the limit passes, one more fails.
    CHECK(parse(std::string(64, '[') + std::string(64, ']')).has_value());
    CHECK(rejected(std::string(65, '[') + std::string(65, ']'), Errc::invalid)
              .find("nesting deeper than 64 levels") != std::string::npos);
    // Far beyond: no recursion, no stack overflow, error at the first excess bracket.
    CHECK(byte_of(rejected(std::string(100000, '['), Errc::invalid)) == 64);
    std::string objects;
    for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
    CHECK(rejected(objects, Errc::invalid).find("nesting deeper") != std::string::npos);
    // A huge depth limit must not turn deep input into recursion either.
    lim = {};
    lim.max_depth = 1'000'000;
    CHECK(rejected(std::string(200000, '['), Errc::corrupt, lim).find("unexpected end of input") !=
          std::string::npos);

    lim = {};
    lim.max_string_bytes = 4;
    CHECK(parse(R"(["abcd","\u00e9\u00e9"])", lim).has_value());
    CHECK(rejected(R"(["abcde"])", Errc::invalid, lim) ==
          "at byte 1 ($[0]): string longer than "
          "4 bytes");
    CHECK(rejected(R"(["abc\u00e9"])", Errc::invalid, lim).find("string longer") !=
          std::string::npos);
    CHECK(rejected(R"({"abcde":1})", Errc::invalid, lim).find("string longer") !=
          std::string::npos);

    lim = {};
    lim.max_members = 5;
    CHECK(parse(R"([1,{"a":2},3])", lim).has_value());  // array, 1, object, 2, 3 = 5 values
    lim.max_members = 4;
    CHECK(rejected(R"([1,{"a":2},3])", Errc::invalid, lim).find("more than 4 values") !=
          std::string::npos);
    CHECK(parse("[1,2,3]", lim).has_value());
    CHECK(rejected("[1,2,3,4]", Errc::invalid, lim) ==
          "at byte 7 ($[3]): more than 4 values in the document");
}

TEST_CASE("truncation at every byte gives a clear error") {
    REQUIRE(parse(kSample).has_value());
    for (std::size_t n = 0; n < kSample.size(); ++n) {
        const std::string prefix = kSample.substr(0, n);
        auto r = parse(prefix);
        REQUIRE_MESSAGE(!r.has_value(), "prefix of " << n << " bytes accepted");
        CHECK(r.error().code == Errc::corrupt);
        CHECK_MESSAGE(well_formed_message(r.error().message), r.error().message);
        CHECK(byte_of(r.error().message) <= n);
    }
}

TEST_CASE("every single-byte mutation parses or fails cleanly") {
    const std::string doc = R"({"a":[1,-2,"x\u00e9\n"],"b":{"c":null,"d":true},"e":"Ж"})";
    REQUIRE(parse(doc).has_value());
    std::size_t accepted = 0;
    std::size_t refused = 0;
    auto check_one = [&](const std::string& m) {
        auto r = parse(m);
        if (r) {
            ++accepted;
            // Whatever parses has a canonical form that is a fixed point.
            auto c = canonicalize(*r);
            REQUIRE_MESSAGE(c.has_value(), c.error().message);
            CHECK(is_canonical(*c));
            CHECK(canon_text(*c) == *c);
        } else {
            ++refused;
            CHECK((r.error().code == Errc::corrupt || r.error().code == Errc::invalid));
            CHECK_MESSAGE(well_formed_message(r.error().message), r.error().message);
            CHECK(byte_of(r.error().message) <= m.size());
        }
    };
    for (std::size_t i = 0; i < doc.size(); ++i) {
        for (int b = 0; b < 256; ++b) {
            std::string m = doc;
            if (static_cast<unsigned char>(m[i]) == b) continue;
            m[i] = static_cast<char>(b);
            check_one(m);
        }
        check_one(doc.substr(0, i) + doc.substr(i + 1));                 // deletion
        check_one(doc.substr(0, i) + doc.substr(i, 1) + doc.substr(i));  // duplication
    }
    CHECK(accepted > 0);
    CHECK(refused > accepted);
}

namespace {

std::string random_string(std::mt19937& rng, bool ascii_only) {
    std::uniform_int_distribution<int> len(0, 12);
    std::uniform_int_distribution<int> pick(0, 9);
    std::string s;
    for (int n = len(rng); n > 0; --n) {
        const int p = pick(rng);
        std::uint32_t cp = 0;
        if (ascii_only || p < 5)
            cp = std::uniform_int_distribution<std::uint32_t>(0, 0x7F)(rng);
        else if (p < 7)
            cp = std::uniform_int_distribution<std::uint32_t>(0x400, 0x4FF)(rng);
        else if (p < 8)
            cp = std::uniform_int_distribution<std::uint32_t>(0x2000, 0x206F)(rng);
        else if (p < 9)
            cp = std::uniform_int_distribution<std::uint32_t>(0xE000, 0xFFFF)(rng);
        else
            cp = std::uniform_int_distribution<std::uint32_t>(0x10000, 0x10FFFF)(rng);
        // Encode by hand so the test does not share the library's encoder.
        if (cp < 0x80) {
            s += static_cast<char>(cp);
        } else if (cp < 0x800) {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            s += static_cast<char>(0xF0 | (cp >> 18));
            s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    return s;
}

Value random_value(std::mt19937& rng, int depth) {
    std::uniform_int_distribution<int> kind(0, depth > 4 ? 3 : 5);
    switch (kind(rng)) {
        case 0:
            return Value(nullptr);
        case 1:
            return Value(std::uniform_int_distribution<int>(0, 1)(rng) == 1);
        case 2:
            return Value(std::uniform_int_distribution<std::int64_t>(-kMaxSafeInteger,
                                                                     kMaxSafeInteger)(rng));
        case 3:
            return Value(random_string(rng, false));
        case 4: {
            Array a;
            for (int n = std::uniform_int_distribution<int>(0, 4)(rng); n > 0; --n)
                a.push_back(random_value(rng, depth + 1));
            return Value(std::move(a));
        }
        default: {
            Value o = Value(Object{});
            for (int n = std::uniform_int_distribution<int>(0, 5)(rng); n > 0; --n)
                o.set(random_string(rng, true), random_value(rng, depth + 1));
            return o;
        }
    }
}

}  // namespace

TEST_CASE("round trip: canonical form is a fixed point, pretty output reads back") {
    std::mt19937 rng(20240611);
    for (int i = 0; i < 500; ++i) {
        const Value v = random_value(rng, 0);
        const std::string c = canon(v);
        auto back = parse(c);
        REQUIRE_MESSAGE(back.has_value(), back.error().message);
        CHECK(canon(*back) == c);
        CHECK(is_canonical(c));
        // pretty keeps stored order, so reading it back gives the identical value.
        auto p = parse(pretty(v));
        REQUIRE_MESSAGE(p.has_value(), p.error().message);
        CHECK(*p == v);
        CHECK(*parse(pretty(v, 0)) == v);
        if (v.is_array() || v.is_object()) {
            const bool nonempty = v.is_array() ? !v.as_array().empty() : !v.as_object().empty();
            CHECK(is_canonical(pretty(v)) == !nonempty);
        }
    }
}

TEST_CASE("is_canonical is true exactly for canonical bytes") {
    const std::string c = canon_text(kSample);
    CHECK(is_canonical(c));
    CHECK(!is_canonical(kSample));
    // Each variant means the same value but is spelled differently.
    const std::string variants[] = {
        " " + c,         c + "\n",        R"({"b":1,"a":2})", R"(["\/"])",
        R"(["\u0041"])", R"(["\u001F"])", R"(["\u00e9"])",    R"(["\u2028"])",
        "[1, 2]",        "{\"a\": 1}",    R"(["\f\u007f"])",
    };
    for (const std::string& v : variants) {
        REQUIRE_MESSAGE(parse(v).has_value(), v);
        CHECK_MESSAGE(!is_canonical(v), v);
        CHECK(is_canonical(canon_text(v)));
    }
    for (const char* ok : {R"({"a":2,"b":1})", R"(["/"])", R"(["A"])", R"(["\u001f"])", "[1,2]",
                           "\"\xE2\x80\xA8\"", "{}", "[]", "0", "-5", "null"})
        CHECK_MESSAGE(is_canonical(ok), ok);
    for (const char* bad : {"", "1.0", "-0", R"({"a":1,"a":1})", "\"\xED\xA0\x80\""})
        CHECK(!is_canonical(bad));
}

TEST_CASE("Value find and set") {
    Value o = Value(Object{});
    CHECK(o.find("a") == nullptr);
    o.set("b", 1);
    o.set("a", "x");
    o.set("b", Value(Array{true}));
    REQUIRE(o.as_object().size() == 2);
    CHECK(o.as_object()[0].first == "b");  // replaced in place, order kept
    REQUIRE(o.find("b") != nullptr);
    CHECK(o.find("b")->as_array().front().as_bool());
    CHECK(o.find("a")->as_string() == "x");
    CHECK(o.find("c") == nullptr);
    CHECK(Value(Array{}).find("a") == nullptr);
    CHECK(Value("a").find("a") == nullptr);
    CHECK(canon(o) == R"({"a":"x","b":[true]})");
}

TEST_CASE("pretty output") {
    auto v = parse(R"({"b":[1,"x\n",{}],"a":{"k":null},"e":[]})");
    REQUIRE(v.has_value());
    CHECK(pretty(*v) ==
          "{\n  \"b\": [\n    1,\n    \"x\\n\",\n    {}\n  ],\n  \"a\": {\n"
          "    \"k\": null\n  },\n  \"e\": []\n}");
    CHECK(pretty(*v, 0) == R"({"b":[1,"x\n",{}],"a":{"k":null},"e":[]})");
    CHECK(pretty(Value(std::string("a\xFF"))) == "\"a\xEF\xBF\xBD\"");  // display never fails
}

TEST_CASE("large documents parse in linear time") {
    // A 10 MB narrative (Cyrillic and ASCII with escapes) under the default limits.
    const std::string line = "Свідок розповів: \\\"вони прийшли вночі\\\".\\n ";
    std::string doc = "{\"narrative\":\"";
    while (doc.size() < (10u << 20)) doc += line;
    doc += "\"}";
    const auto t0 = std::chrono::steady_clock::now();
    auto v = parse(doc);
    const auto t1 = std::chrono::steady_clock::now();
    REQUIRE_MESSAGE(v.has_value(), v.error().message);
    CHECK(v->find("narrative")->as_string().size() > (9u << 20));
    CHECK(canon(*v) == doc);
    CHECK(is_canonical(doc));
    // Generous even for sanitizer builds on a loaded machine; quadratic behaviour takes hours.
    CHECK(std::chrono::duration_cast<std::chrono::seconds>(t1 - t0).count() < 20);

    // Many members and elements.
    std::string arr = "[";
    for (int i = 0; i < 200000; ++i) arr += std::to_string(i) + ",";
    arr.back() = ']';
    auto a = parse(arr);
    REQUIRE(a.has_value());
    CHECK(a->as_array().size() == 200000);
    CHECK(canon(*a) == arr);
}
