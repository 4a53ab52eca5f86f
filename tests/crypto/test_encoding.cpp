// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/secure_buffer.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::crypto;

TEST_CASE("hex round trip and strictness") {
    Bytes b{0x00, 0xff, 0x10, 0xab};
    CHECK(to_hex(b) == "00ff10ab");
    CHECK(from_hex("00FF10ab").value() == b);
    CHECK(from_hex("").value().empty());
    CHECK(!from_hex("0").has_value());
    CHECK(!from_hex("zz").has_value());
    CHECK(!from_hex("00 ff").has_value());
}

TEST_CASE("base64 padded and unpadded are strict") {
    Bytes b{'h', 'i', '!', '?'};
    CHECK(to_base64(b) == "aGkhPw==");
    CHECK(to_base64_unpadded(b) == "aGkhPw");
    CHECK(from_base64("aGkhPw==").value() == b);
    CHECK(from_base64_unpadded("aGkhPw").value() == b);
    CHECK(!from_base64("aGkhPw").has_value());
    CHECK(!from_base64_unpadded("aGkhPw==").has_value());
    CHECK(!from_base64_unpadded("aGkhPx").has_value());  // non-zero trailing bits
    CHECK(!from_base64("aGkh Pw==").has_value());
}

TEST_CASE("sha256 known answer, one-shot equals streaming") {
    auto d = sha256(as_bytes("abc"));
    CHECK(to_hex(d) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Sha256 s;
    s.update(as_bytes("a"));
    s.update(as_bytes("bc"));
    CHECK(s.finish() == d);
}

TEST_CASE("secure buffer is move-only, zeroed and compares in constant time") {
    SecureBuffer a(16);
    for (auto c : a.span()) CHECK(c == 0);
    a.data()[0] = 7;
    SecureBuffer b = std::move(a);
    CHECK(a.empty());
    CHECK(b.size() == 16);
    CHECK(b.data()[0] == 7);
    auto c = SecureBuffer::copy_of(b.span());
    CHECK(c.equals(b.span()));
    c.truncate(4);
    CHECK(c.size() == 4);
    CHECK(!c.equals(b.span()));
    static_assert(!std::is_copy_constructible_v<SecureBuffer>);
}
