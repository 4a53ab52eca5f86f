// SPDX-License-Identifier: GPL-3.0-or-later
// The building blocks of age: HKDF-SHA-256 (RFC 5869 appendix A) and Bech32 (BIP-173 vectors,
// minus the 90-character limit that age does not have).
#include "crypto/bech32.h"
#include "crypto/hkdf.h"
#include "crypto/secure_buffer.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::crypto;

namespace {

Bytes range(unsigned from, unsigned to) {
    Bytes b;
    for (unsigned i = from; i < to; ++i) b.push_back(static_cast<unsigned char>(i));
    return b;
}

std::string hkdf_hex(ByteView ikm, ByteView salt, ByteView info, std::size_t n) {
    Bytes out(n);
    hkdf_sha256(out, ikm, salt, info);
    return to_hex(out);
}

}  // namespace

TEST_CASE("hkdf-sha256 matches RFC 5869 appendix A") {
    const Bytes ikm(22, 0x0b);
    // A.1: basic case.
    CHECK(hkdf_hex(ikm, range(0x00, 0x0d), range(0xf0, 0xfa), 42) ==
          "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    // A.2: longer inputs and outputs (three blocks).
    CHECK(hkdf_hex(range(0x00, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82) ==
          "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41"
          "c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
    // A.3: empty salt and info, as age's header MAC key uses.
    CHECK(hkdf_hex(ikm, {}, {}, 42) ==
          "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    // A shorter output is a prefix of a longer one.
    CHECK(hkdf_hex(ikm, {}, {}, 32) == hkdf_hex(ikm, {}, {}, 42).substr(0, 64));
}

TEST_CASE("bech32 accepts the BIP-173 valid strings and re-encodes them") {
    const char* valid[] = {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tg"
        "s",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247"
        "j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
        // Over BIP-173's 90 characters: valid for age, which has no length limit.
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pv"
        "x",
    };
    for (const std::string s : valid) {
        CAPTURE(s);
        auto d = bech32_decode(s);
        REQUIRE_MESSAGE(d.has_value(), d.error().message);
        CHECK(bech32_encode(d->hrp, d->data) == s);
    }
    auto d = bech32_decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
    REQUIRE(d.has_value());
    CHECK(d->hrp == "abcdef");
    CHECK(to_hex(d->data) == "00443214c74254b635cf84653a56d7c675be77df");
}

TEST_CASE("bech32 rejects the BIP-173 invalid strings with specific errors") {
    struct Case {
        std::string text;
        std::string error;
    };
    const Case invalid[] = {
        {std::string("\x20") + "1nwldj5", "printable"},
        {std::string("\x7f") + "1axkwrx", "printable"},
        {std::string("\x80") + "1eym55h", "printable"},
        {"pzry9x0s0muk", "missing separator"},
        {"1pzry9x0s0muk", "empty human-readable part"},
        {"x1b4n0q5v", "alphabet"},
        {"li1dgmt3", "checksum too short"},
        {std::string("de1lg7wt") + "\xff", "printable"},
        {"A1G7SGD8", "checksum mismatch"},
        {"10a06t8", "empty human-readable part"},
        {"1qzzfhee", "empty human-readable part"},
        {"a12UEL5L", "mixed case"},
        {"A12uEL5L", "mixed case"},
    };
    for (const auto& c : invalid) {
        CAPTURE(c.text);
        auto d = bech32_decode(c.text);
        REQUIRE(!d.has_value());
        CHECK(d.error().code == Errc::corrupt);
        CHECK_MESSAGE(d.error().message.find(c.error) != std::string::npos, d.error().message);
    }
}

TEST_CASE("bech32 rejects bad padding and every single-character change") {
    // Strings with valid checksums (computed independently) but bad padding: one byte is
    // two 5-bit groups with 2 zero bits over.
    CHECK(bech32_encode("test", Bytes{0xff}) == "test1lu0zy72x");
    CHECK(bech32_decode("test1lu0zy72x").value().data == Bytes{0xff});
    auto nonzero = bech32_decode("test1llp33gye");  // groups 31 31: padding bits set
    REQUIRE(!nonzero.has_value());
    CHECK(nonzero.error().message == "bech32: non-zero padding");
    auto extra = bech32_decode("test1lllxt840c");  // groups 31 31 31: 7 bits over
    REQUIRE(!extra.has_value());
    CHECK(extra.error().message == "bech32: invalid padding");
    // Every substitution of one character breaks the checksum.
    const std::string s = bech32_encode("age", Bytes(32, 0x42));
    for (std::size_t i = 4; i < s.size(); ++i) {
        for (char c : std::string_view("qpzry9x8gf2tvdw0s3jn54khce6mua7l")) {
            if (c == s[i]) continue;
            std::string t = s;
            t[i] = c;
            CHECK(!bech32_decode(t).has_value());
        }
    }
}

TEST_CASE("bech32 uppercase output follows the hrp; decode_into checks hrp and size") {
    const Bytes data(32, 0x42);
    const std::string upper = bech32_encode("AGE-SECRET-KEY-", data);
    CHECK(upper == "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX");
    SecureBuffer out(32);
    auto n = bech32_decode_into(upper, "AGE-SECRET-KEY-", out.span());
    REQUIRE(n.has_value());
    CHECK(*n == 32);
    CHECK(out.equals(data));

    // The hrp must match exactly, case included.
    auto wrong = bech32_decode_into(upper, "age-secret-key-", out.span());
    REQUIRE(!wrong.has_value());
    CHECK(wrong.error().message.find("unexpected prefix") != std::string::npos);
    // Too much data for the output: refused without writing.
    SecureBuffer small(31);
    auto big = bech32_decode_into(upper, "AGE-SECRET-KEY-", small.span());
    REQUIRE(!big.has_value());
    for (auto c : small.span()) CHECK(c == 0);
    // Error messages never quote the (possibly secret) input.
    std::string broken = upper;
    broken.back() = broken.back() == 'X' ? 'Y' : 'X';
    auto e = bech32_decode(broken);
    REQUIRE(!e.has_value());
    CHECK(e.error().message.find("GFPYY") == std::string::npos);
}
