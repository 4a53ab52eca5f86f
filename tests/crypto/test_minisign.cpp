// SPDX-License-Identifier: GPL-3.0-or-later
// minisign signatures, checked against the real /usr/bin/minisign (0.11) in both directions.
#include "crypto/minisign.h"

#include <sodium.h>

#include <algorithm>
#include <string>
#include <vector>

#include "process.h"

using namespace svidok;
using namespace svidok::crypto;
using namespace svidok::crypto::minisign;
using svidok::test::TempDir;
namespace fs = std::filesystem;

namespace {

constexpr const char* kMinisign = "/usr/bin/minisign";
constexpr std::size_t kMiB = 1024 * 1024;

using Run = test::ProcessResult;

// Runs minisign with stdin from /dev/null (so it can never wait for a password) and captures
// its exit status and output.
Run minisign_tool(const TempDir& dir, std::vector<std::string> args) {
    REQUIRE_MESSAGE(fs::exists(kMinisign), "the reference minisign tool is missing: " << kMinisign);
    args.insert(args.begin(), kMinisign);
    auto r = test::run_process(args, {}, dir.path());
    REQUIRE(r.signal == 0);
    return r;
}

Bytes random_bytes(std::size_t n) {
    Bytes b(n);
    if (n > 0) randombytes_buf(b.data(), n);
    return b;
}

// Runs `minisign -V` on message and signature written to `dir`; returns the exit status.
Run tool_verify(const TempDir& dir, ByteView message, const std::string& minisig,
                const PublicKey& key) {
    test::write_file(dir / "msg", as_text(message));
    test::write_file(dir / "msg.minisig", minisig);
    test::write_file(dir / "key.pub", key.to_file());
    return minisign_tool(dir,
                         {"-V", "-m", (dir / "msg").string(), "-p", (dir / "key.pub").string()});
}

// A key pair made by the real tool, without a password.
struct ToolKey {
    fs::path pub;
    fs::path sec;
};
ToolKey tool_keygen(const TempDir& dir, const std::string& name) {
    ToolKey k{dir / (name + ".pub"), dir / (name + ".key")};
    auto r = minisign_tool(dir, {"-G", "-W", "-p", k.pub.string(), "-s", k.sec.string()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return k;
}

std::string line_of(const std::string& text, int index) {
    std::size_t start = 0;
    for (int i = 0; i < index; ++i) start = text.find('\n', start) + 1;
    return text.substr(start, text.find('\n', start) - start);
}

// Rebuilds a signature file from parts, with the signature block re-encoded.
std::string assemble(const std::string& l1, const Bytes& blob, const std::string& l3,
                     const Bytes& global) {
    return l1 + "\n" + to_base64(blob) + "\n" + l3 + "\n" + to_base64(global) + "\n";
}

void check_error(const Result<Verified>& r, Errc code, std::string_view needle) {
    REQUIRE_FALSE(r.has_value());
    CHECK_MESSAGE(r.error().code == code, errc_name(r.error().code) << ": " << r.error().message);
    CHECK_MESSAGE(r.error().message.find(needle) != std::string::npos, r.error().message);
}

}  // namespace

TEST_CASE("key ids print as minisign 0.11 prints them") {
    CHECK(format_key_id(KeyId{0x01, 0, 0, 0, 0, 0, 0, 0}) == "1");
    CHECK(format_key_id(KeyId{}) == "0");
    CHECK(format_key_id(KeyId{0xb3, 0xae, 0x8e, 0x94, 0x83, 0xd0, 0xa2, 0x09}) ==
          "9A2D083948EAEB3");
    CHECK(format_key_id(KeyId{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) ==
          "FFFFFFFFFFFFFFFF");
    CHECK(format_key_id(KeyId{0, 0, 0, 0, 0, 0, 0, 0x10}) == "1000000000000000");
}

TEST_CASE("public key files made by minisign -G parse and print back byte for byte") {
    TempDir dir;
    for (int i = 0; i < 6; ++i) {
        const auto k = tool_keygen(dir, "k" + std::to_string(i));
        const std::string file = test::read_file(k.pub);
        auto key = PublicKey::parse(file);
        REQUIRE_MESSAGE(key.has_value(), key.error().message);
        CHECK(key->to_file() == file);
        CHECK(key->to_base64() == line_of(file, 1));
        auto bare = PublicKey::parse(line_of(file, 1));
        REQUIRE(bare.has_value());
        CHECK(*bare == *key);
        CHECK(to_base64(key->blob()) == line_of(file, 1));
    }
}

TEST_CASE("key ids with leading zeros print as minisign -R writes them") {
    // minisign -G picks the id at random; to hit short ids deterministically, set the id inside
    // a tool-made unencrypted secret key file (offset 54 of its 158 bytes) and let minisign -R
    // write the public key file for it.
    TempDir dir;
    const auto k = tool_keygen(dir, "base");
    const std::string sec_file = test::read_file(k.sec);
    auto sec = from_base64(line_of(sec_file, 1));
    REQUIRE(sec.has_value());
    REQUIRE(sec->size() == 158);
    auto base = PublicKey::parse(test::read_file(k.pub));
    REQUIRE(base.has_value());
    const std::vector<KeyId> ids = {KeyId{}, KeyId{0xab}, KeyId{0x34, 0x12, 0, 0, 0, 0, 0, 0x0f},
                                    KeyId{1, 2, 3, 4, 5, 6, 7, 0x80}};
    int n = 0;
    for (const auto& id : ids) {
        std::copy(id.begin(), id.end(), sec->begin() + 54);
        const fs::path sk = dir / ("sk" + std::to_string(n));
        const fs::path pk = dir / ("pk" + std::to_string(n++));
        test::write_file(sk, line_of(sec_file, 0) + "\n" + to_base64(*sec) + "\n");
        auto r = minisign_tool(dir, {"-R", "-s", sk.string(), "-p", pk.string()});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        PublicKey expected = *base;
        expected.key_id = id;
        CHECK(expected.to_file() == test::read_file(pk));
        auto parsed = PublicKey::parse(test::read_file(pk));
        REQUIRE(parsed.has_value());
        CHECK(*parsed == expected);
    }
    sodium_memzero(sec->data(), sec->size());
}

TEST_CASE("our signatures verify with minisign -V, with -p and with -P") {
    TempDir dir;
    const auto key = SigningKey::generate();
    const std::string tc = "svidok record 0f3a9c2e v1";
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, kMiB + 7}) {
        CAPTURE(size);
        const Bytes msg = random_bytes(size);
        auto sig = sign(key, msg, tc, "signature from svidok");
        REQUIRE(sig.has_value());
        auto r = tool_verify(dir, msg, *sig, key.public_key());
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        CHECK(r.out == "Signature and comment signature verified\nTrusted comment: " + tc + "\n");

        auto q = minisign_tool(
            dir, {"-V", "-Q", "-m", (dir / "msg").string(), "-x", (dir / "msg.minisig").string(),
                  "-P", key.public_key().to_base64()});
        CHECK_MESSAGE(q.exit_code == 0, q.err);
        CHECK(q.out == tc + "\n");
        // -H refuses legacy signatures; ours are prehashed.
        auto h = minisign_tool(
            dir, {"-V", "-H", "-m", (dir / "msg").string(), "-p", (dir / "key.pub").string()});
        CHECK(h.exit_code == 0);

        auto ours = verify(key.public_key(), msg, *sig);
        REQUIRE(ours.has_value());
        CHECK(ours->trusted_comment == tc);
        CHECK(ours->algorithm == Algorithm::prehashed);
    }
}

TEST_CASE("the signature file has exactly the minisign layout") {
    const auto key = SigningKey::generate();
    const Bytes msg = random_bytes(100);
    auto sig = sign(key, msg, "tc", "uc");
    REQUIRE(sig.has_value());
    CHECK(std::count(sig->begin(), sig->end(), '\n') == 4);
    CHECK(line_of(*sig, 0) == "untrusted comment: uc");
    CHECK(line_of(*sig, 2) == "trusted comment: tc");
    auto blob = from_base64(line_of(*sig, 1));
    REQUIRE(blob.has_value());
    REQUIRE(blob->size() == 74);
    CHECK((*blob)[0] == 'E');
    CHECK((*blob)[1] == 'D');
    const KeyId id = key.key_id();
    CHECK(std::equal(id.begin(), id.end(), blob->begin() + 2));
    // signature = Ed25519(BLAKE2b-512(message)); global = Ed25519(signature || trusted comment)
    const auto pk = key.public_key().pk;
    const auto prehash = blake2b512(msg);
    CHECK(crypto_sign_verify_detached(blob->data() + 10, prehash.data(), prehash.size(),
                                      pk.data()) == 0);
    auto global = from_base64(line_of(*sig, 3));
    REQUIRE(global.has_value());
    REQUIRE(global->size() == 64);
    Bytes signed_tc(blob->begin() + 10, blob->end());
    signed_tc.push_back('t');
    signed_tc.push_back('c');
    CHECK(crypto_sign_verify_detached(global->data(), signed_tc.data(), signed_tc.size(),
                                      pk.data()) == 0);
}

TEST_CASE("minisign -V fails after any single-byte change of the message or trusted comment") {
    TempDir dir;
    const auto key = SigningKey::generate();
    const std::string tc = "svidok manifest 7 v1";
    for (std::size_t size : {std::size_t{1}, kMiB}) {
        CAPTURE(size);
        const Bytes msg = random_bytes(size);
        auto sig = sign(key, msg, tc, "");
        REQUIRE(sig.has_value());
        std::vector<std::size_t> positions = {0, size / 2, size - 1};
        for (int i = 0; i < 5; ++i)
            positions.push_back(randombytes_uniform(static_cast<std::uint32_t>(size)));
        for (std::size_t pos : positions) {
            for (int x : {0x01, 0x80}) {
                CAPTURE(pos);
                Bytes changed = msg;
                changed[pos] = static_cast<unsigned char>(changed[pos] ^ x);
                auto r = tool_verify(dir, changed, *sig, key.public_key());
                CHECK(r.exit_code == 1);
                CHECK(r.err == "Signature verification failed\n");
                check_error(verify(key.public_key(), changed, *sig), Errc::integrity,
                            "signature does not match");
            }
        }
        for (const std::string& other :
             {std::string("svidok manifest 8 v1"), tc + " ", std::string("")}) {
            std::string altered = *sig;
            altered.replace(altered.find(tc), tc.size(), other);
            auto r = tool_verify(dir, msg, altered, key.public_key());
            CHECK(r.exit_code == 1);
            CHECK(r.err == "Comment signature verification failed\n");
            check_error(verify(key.public_key(), msg, altered), Errc::integrity,
                        "trusted comment was altered");
        }
    }
    // The empty message has no byte to change: one appended byte must fail.
    auto sig = sign(key, {}, tc, "");
    REQUIRE(sig.has_value());
    const Bytes one{0};
    CHECK(tool_verify(dir, one, *sig, key.public_key()).exit_code == 1);
    check_error(verify(key.public_key(), one, *sig), Errc::integrity, "signature does not match");
}

TEST_CASE(
    "signatures made by minisign -S verify with ours, legacy ones only in full and never as "
    "Svidok's own") {
    TempDir dir;
    const auto k = tool_keygen(dir, "tool");
    auto pub = PublicKey::parse(test::read_file(k.pub));
    REQUIRE(pub.has_value());
    const Bytes msg = random_bytes(kMiB + 3);
    test::write_file(dir / "m", as_text(msg));

    auto r = minisign_tool(dir, {"-S", "-s", k.sec.string(), "-m", (dir / "m").string(), "-t",
                                 "trusted\tby tool", "-c", "from the tool"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const std::string sig = test::read_file(dir / "m.minisig");
    auto ok = verify(*pub, msg, sig);
    REQUIRE_MESSAGE(ok.has_value(), ok.error().message);
    CHECK(ok->trusted_comment == "trusted\tby tool");
    CHECK(ok->algorithm == Algorithm::prehashed);
    auto sf = parse_signature(sig);
    REQUIRE(sf.has_value());
    CHECK(sf->untrusted_comment == "from the tool");
    CHECK(sf->key_id == pub->key_id);

    Blake2b512 h;
    for (std::size_t at = 0; at < msg.size(); at += 4093) {
        h.update(ByteView(msg).subspan(at, std::min<std::size_t>(4093, msg.size() - at)));
    }
    auto streamed = verify_prehashed(*pub, h.finish(), sig);
    REQUIRE(streamed.has_value());
    CHECK(streamed->trusted_comment == "trusted\tby tool");

    Bytes changed = msg;
    changed[12345] ^= 0x04;
    check_error(verify(*pub, changed, sig), Errc::integrity, "signature does not match");

    // The tool's default trusted comment ("timestamp:...\tfile:...\thashed").
    r = minisign_tool(dir, {"-S", "-s", k.sec.string(), "-m", (dir / "m").string()});
    REQUIRE(r.exit_code == 0);
    auto dflt = verify(*pub, msg, test::read_file(dir / "m.minisig"));
    REQUIRE(dflt.has_value());
    CHECK(dflt->trusted_comment.starts_with("timestamp:"));
    CHECK(dflt->trusted_comment.ends_with("\tfile:m\thashed"));

    r = minisign_tool(
        dir, {"-S", "-l", "-s", k.sec.string(), "-m", (dir / "m").string(), "-t", "legacy"});
    REQUIRE(r.exit_code == 0);
    const std::string legacy = test::read_file(dir / "m.minisig");
    auto lok = verify(*pub, msg, legacy);
    REQUIRE_MESSAGE(lok.has_value(), lok.error().message);
    CHECK(lok->algorithm == Algorithm::legacy);
    CHECK(lok->trusted_comment == "legacy");
    check_error(verify(*pub, changed, legacy), Errc::integrity, "signature does not match");
    auto lstream = verify_prehashed(*pub, blake2b512(msg), legacy);
    REQUIRE_FALSE(lstream.has_value());
    CHECK(lstream.error().code == Errc::unsupported);
    CHECK(lstream.error().message.find("legacy") != std::string::npos);

    // What Svidok checks of its own files: prehashed only, as `minisign -H` (issue 19).
    auto strict = verify_svidok(*pub, msg, legacy);
    REQUIRE_FALSE(strict.has_value());
    CHECK(strict.error().code == Errc::integrity);
    CHECK(strict.error().kind == "minisign.legacy");
    auto strict_ok = verify_svidok(*pub, msg, sig);
    REQUIRE_MESSAGE(strict_ok.has_value(), strict_ok.error().message);
    CHECK(strict_ok->trusted_comment == "trusted\tby tool");
    check_error(verify_svidok(*pub, changed, sig), Errc::integrity, "signature does not match");
}

TEST_CASE("streaming signing equals one-shot signing for any chunking") {
    TempDir dir;
    const auto key = SigningKey::generate();
    const Bytes msg = random_bytes(3 * 65536 + 11);
    auto whole = sign(key, msg, "tc", "uc");
    REQUIRE(whole.has_value());
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{65536}, msg.size()}) {
        CAPTURE(chunk);
        Blake2b512 h;
        for (std::size_t at = 0; at < msg.size(); at += chunk) {
            h.update(ByteView(msg).subspan(at, std::min(chunk, msg.size() - at)));
        }
        auto streamed = sign_prehashed(key, h.finish(), "tc", "uc");
        REQUIRE(streamed.has_value());
        CHECK(*streamed == *whole);  // Ed25519 is deterministic
    }
    CHECK(tool_verify(dir, msg, *whole, key.public_key()).exit_code == 0);
    auto v = verify_prehashed(key.public_key(), blake2b512(msg), *whole);
    REQUIRE(v.has_value());
    CHECK(v->trusted_comment == "tc");
}

TEST_CASE("verify rejects a bit flip anywhere except inside the untrusted comment") {
    const auto key = SigningKey::generate();
    const Bytes msg = random_bytes(64);
    const std::string sig = sign(key, msg, "svidok record 42 v1", "uc").value();
    const std::size_t uc_begin = std::string_view("untrusted comment: ").size();
    const std::size_t uc_end = sig.find('\n');
    int rejected = 0;
    for (std::size_t i = 0; i < sig.size(); ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            std::string flipped = sig;
            flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
            auto r = verify(key.public_key(), msg, flipped);
            if (i >= uc_begin && i < uc_end) {
                // Not covered by any signature, as in minisign; it may only break the layout.
                if (r) CHECK(r->trusted_comment == "svidok record 42 v1");
                continue;
            }
            CAPTURE(i);
            CAPTURE(bit);
            CHECK_FALSE(r.has_value());
            rejected += r ? 0 : 1;
        }
    }
    CHECK(rejected == static_cast<int>(8 * (sig.size() - (uc_end - uc_begin))));
}

TEST_CASE("each part of the signature block fails with its own error") {
    const auto key = SigningKey::generate();
    const Bytes msg = random_bytes(32);
    const std::string sig = sign(key, msg, "tc", "uc").value();
    const std::string l1 = line_of(sig, 0);
    const std::string l3 = line_of(sig, 2);
    const Bytes blob = from_base64(line_of(sig, 1)).value();
    const Bytes global = from_base64(line_of(sig, 3)).value();
    REQUIRE(assemble(l1, blob, l3, global) == sig);

    for (std::size_t i = 0; i < blob.size(); ++i) {
        for (int bit = 0; bit < 8; ++bit) {
            CAPTURE(i);
            Bytes b = blob;
            b[i] = static_cast<unsigned char>(b[i] ^ (1 << bit));
            auto r = verify(key.public_key(), msg, assemble(l1, b, l3, global));
            if (i < 2 && !(b[0] == 'E' && b[1] == 'd')) {
                check_error(r, Errc::unsupported, "unsupported signature algorithm");
            } else if (i < 2) {  // "ED" -> "Ed": read as legacy, whose signature is different
                check_error(r, Errc::integrity, "signature does not match");
            } else if (i < 10) {
                check_error(r, Errc::integrity, "signed by key ");
            } else {
                check_error(r, Errc::integrity, "signature does not match");
            }
        }
    }
    for (std::size_t i = 0; i < global.size(); ++i) {
        Bytes g = global;
        g[i] ^= 0x20;
        check_error(verify(key.public_key(), msg, assemble(l1, blob, l3, g)), Errc::integrity,
                    "trusted comment was altered");
    }
    // The untrusted comment may change freely, as with minisign.
    auto u =
        verify(key.public_key(), msg, assemble("untrusted comment: anything", blob, l3, global));
    CHECK(u.has_value());
}

TEST_CASE("a wrong public key is reported by key id, or by signature when ids collide") {
    const auto signer = SigningKey::generate();
    const auto other = SigningKey::generate();
    const Bytes msg = random_bytes(10);
    const std::string sig = sign(signer, msg, "tc", "").value();
    auto r = verify(other.public_key(), msg, sig);
    check_error(r, Errc::integrity,
                "signed by key " + format_key_id(signer.key_id()) + ", expected " +
                    format_key_id(other.key_id()));
    CHECK_FALSE(r.error().hint.empty());

    PublicKey same_id = other.public_key();
    same_id.key_id = signer.key_id();
    check_error(verify(same_id, msg, sig), Errc::integrity, "signature does not match");
}

TEST_CASE("parse_signature rejects truncated, extended and malformed files") {
    const auto key = SigningKey::generate();
    const Bytes msg = random_bytes(5);
    const std::string sig = sign(key, msg, "tc", "uc").value();
    REQUIRE(parse_signature(sig).has_value());

    for (std::size_t n = 0; n < sig.size(); ++n) {
        CAPTURE(n);
        auto r = parse_signature(sig.substr(0, n));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::corrupt);
    }
    auto err = [](std::string_view text) {
        auto r = parse_signature(text);
        REQUIRE_FALSE(r.has_value());
        return r.error();
    };
    CHECK(err(sig.substr(0, sig.size() - 1)).message.find("line 4 has no line end") !=
          std::string::npos);
    CHECK(err("").message.find("line 1 is missing") != std::string::npos);
    CHECK(err(sig + "\n").message.find("unexpected data after line 4") != std::string::npos);
    CHECK(err(sig + "extra\n").code == Errc::corrupt);
    CHECK(err("\n" + sig).message.find("unexpected data after line 4") != std::string::npos);

    const std::string l1 = line_of(sig, 0), l2 = line_of(sig, 1), l3 = line_of(sig, 2),
                      l4 = line_of(sig, 3);
    auto file = [](const std::string& a, const std::string& b, const std::string& c,
                   const std::string& d) { return a + "\n" + b + "\n" + c + "\n" + d + "\n"; };
    CHECK(err(file("", l2, l3, l4)).message.find("line 1 does not start") != std::string::npos);
    CHECK(err(file("Untrusted comment: uc", l2, l3, l4)).message.find("line 1 does not start") !=
          std::string::npos);
    CHECK(err(file(l1, l2, "trusted comment:tc", l4)).message.find("line 3 does not start") !=
          std::string::npos);
    CHECK(err(file(l1, l4, l3, l2)).message.find("line 2 is 64 bytes, expected 74") !=
          std::string::npos);
    CHECK(err(file(l1, l2, l3, l2)).message.find("line 4 is 74 bytes, expected 64") !=
          std::string::npos);

    // Bad base64: a foreign character, missing padding, whitespace, non-zero trailing bits.
    std::string bad = l2;
    bad[5] = '*';
    CHECK(err(file(l1, bad, l3, l4)).message.find("line 2 is not valid base64") !=
          std::string::npos);
    CHECK(err(file(l1, l2, l3, l4.substr(0, l4.size() - 2))).message.find("line 4 is not valid") !=
          std::string::npos);
    CHECK(err(file(l1, l2 + " ", l3, l4)).code == Errc::corrupt);
    std::string noncanon = l4;  // 64 bytes end in "x==": only the top 4 bits of x are data
    noncanon[noncanon.size() - 3] = noncanon[noncanon.size() - 3] == 'A'
                                        ? 'B'
                                        : static_cast<char>(noncanon[noncanon.size() - 3] ^ 1);
    CHECK(err(file(l1, l2, l3, noncanon)).message.find("line 4 is not valid base64") !=
          std::string::npos);

    // Wrong lengths and algorithms inside a well-formed block.
    Bytes blob = from_base64(l2).value();
    Bytes shorter(blob.begin(), blob.end() - 1);
    CHECK(err(file(l1, to_base64(shorter), l3, l4)).message.find("73 bytes, expected 74") !=
          std::string::npos);
    for (const char* alg : {"XX", "ed", "EE", "Sc"}) {
        Bytes b = blob;
        b[0] = static_cast<unsigned char>(alg[0]);
        b[1] = static_cast<unsigned char>(alg[1]);
        auto e = err(file(l1, to_base64(b), l3, l4));
        CHECK(e.code == Errc::unsupported);
        CHECK(e.message.find("unsupported signature algorithm") != std::string::npos);
    }

    // NUL and stray carriage returns.
    CHECK(err(file(l1, l2, std::string("trusted comment: t\0c", 20), l4)).message.find("NUL") !=
          std::string::npos);
    CHECK(
        err(file(l1, l2, "trusted comment: t\rc", l4)).message.find("line 3 contains a carriage") !=
        std::string::npos);
    CHECK(err(file(l1 + "\r\r", l2, l3, l4)).code == Errc::corrupt);
}

TEST_CASE("CRLF line ends, as minisign writes on Windows, are accepted by both tools") {
    TempDir dir;
    const auto key = SigningKey::generate();
    const Bytes msg = random_bytes(99);
    std::string sig = sign(key, msg, "svidok bundle 3 v1", "uc").value();
    std::string crlf;
    for (char c : sig) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    auto ours = verify(key.public_key(), msg, crlf);
    REQUIRE(ours.has_value());
    CHECK(ours->trusted_comment == "svidok bundle 3 v1");
    CHECK(tool_verify(dir, msg, crlf, key.public_key()).exit_code == 0);
}

TEST_CASE("comment length limits match what minisign 0.11 reads back") {
    TempDir dir;
    const Bytes msg = random_bytes(20);
    const auto key = SigningKey::generate();
    const std::string tc_max(kMaxTrustedCommentBytes, 't');
    const std::string uc_max(kMaxUntrustedCommentBytes, 'u');

    // The longest comments we write are read back by the tool.
    auto ours = sign(key, msg, tc_max, uc_max);
    REQUIRE(ours.has_value());
    CHECK(tool_verify(dir, msg, *ours, key.public_key()).exit_code == 0);
    auto v = verify(key.public_key(), msg, *ours);
    REQUIRE(v.has_value());
    CHECK(v->trusted_comment == tc_max);
    auto too_long_tc = sign(key, msg, tc_max + "t", "");
    REQUIRE_FALSE(too_long_tc.has_value());
    CHECK(too_long_tc.error().code == Errc::invalid);
    auto too_long_uc = sign(key, msg, "", uc_max + "u");
    REQUIRE_FALSE(too_long_uc.has_value());
    CHECK(too_long_uc.error().code == Errc::invalid);

    // One byte more cannot be read by the tool, so ours rejects it as well. sign() refuses to
    // write such a file; build it with libsodium directly, with valid signatures.
    const SecureBuffer raw = key.to_raw();
    const unsigned char* sk = raw.data() + kKeyIdBytes;
    auto craft = [&](const std::string& tc, const std::string& uc) {
        const auto prehash = blake2b512(msg);
        Bytes blob{'E', 'D'};
        blob.insert(blob.end(), raw.data(), raw.data() + kKeyIdBytes);
        Signature sig{};
        crypto_sign_detached(sig.data(), nullptr, prehash.data(), prehash.size(), sk);
        blob.insert(blob.end(), sig.begin(), sig.end());
        Bytes global_msg(sig.begin(), sig.end());
        global_msg.insert(global_msg.end(), tc.begin(), tc.end());
        Bytes global(kSignatureBytes);
        crypto_sign_detached(global.data(), nullptr, global_msg.data(), global_msg.size(), sk);
        return assemble("untrusted comment: " + uc, blob, "trusted comment: " + tc, global);
    };
    REQUIRE(craft(tc_max, uc_max) == *ours);
    const std::string long_tc = craft(tc_max + "t", "u");
    auto r = tool_verify(dir, msg, long_tc, key.public_key());
    CHECK(r.exit_code != 0);
    CHECK(r.err == "Trusted comment too long\n");
    check_error(verify(key.public_key(), msg, long_tc), Errc::corrupt,
                "line 3 is longer than minisign accepts");
    const std::string long_uc = craft("t", uc_max + "u");
    r = tool_verify(dir, msg, long_uc, key.public_key());
    CHECK(r.exit_code != 0);
    CHECK(r.err == "Untrusted signature comment too long\n");
    check_error(verify(key.public_key(), msg, long_uc), Errc::corrupt,
                "line 1 is longer than minisign accepts");
}

TEST_CASE("sign refuses comments that would break the one-line format") {
    const auto key = SigningKey::generate();
    const Bytes msg{1, 2, 3};
    for (std::string_view bad : {std::string_view("a\nb"), std::string_view("a\rb"),
                                 std::string_view("a\0b", 3), std::string_view("\n")}) {
        auto t = sign(key, msg, bad, "");
        REQUIRE_FALSE(t.has_value());
        CHECK(t.error().code == Errc::invalid);
        CHECK(t.error().message.starts_with("trusted comment must be one line"));
        auto u = sign(key, msg, "", bad);
        REQUIRE_FALSE(u.has_value());
        CHECK(u.error().code == Errc::invalid);
        CHECK(u.error().message.starts_with("untrusted comment must be one line"));
    }
    auto empty = sign(key, msg, "", "");
    REQUIRE(empty.has_value());
    auto v = verify(key.public_key(), msg, *empty);
    REQUIRE(v.has_value());
    CHECK(v->trusted_comment.empty());
}

TEST_CASE("PublicKey::parse is strict") {
    const auto key = SigningKey::generate().public_key();
    const std::string file = key.to_file();
    const std::string line = key.to_base64();
    CHECK(line.size() == 56);
    CHECK(line.starts_with("RW"));
    REQUIRE(PublicKey::parse(file).has_value());
    CHECK(PublicKey::parse(file).value() == key);
    CHECK(PublicKey::parse(line).value() == key);
    CHECK(PublicKey::parse("untrusted comment: renamed by hand\n" + line + "\n").value() == key);
    CHECK(PublicKey::parse("untrusted comment: x\r\n" + line + "\r\n").value() == key);

    auto err = [](std::string_view text) {
        auto r = PublicKey::parse(text);
        REQUIRE_FALSE(r.has_value());
        return r.error();
    };
    for (std::size_t n = 0; n < file.size(); ++n) {
        CAPTURE(n);
        CHECK(err(file.substr(0, n)).code == Errc::corrupt);
    }
    for (std::size_t n = 0; n < line.size(); ++n)
        CHECK(err(line.substr(0, n)).code == Errc::corrupt);
    CHECK(err(line + "\n").message.find("single base64 line") != std::string::npos);
    CHECK(err(" " + line).message.find("not valid base64") != std::string::npos);
    CHECK(err(file + "\n").message.find("unexpected data after line 2") != std::string::npos);
    CHECK(err(file + line + "\n").code == Errc::corrupt);
    CHECK(err("untrusted comment: " + std::string(1004, 'c') + "\n" + line + "\n")
              .message.find("longer than minisign accepts") != std::string::npos);

    std::string bad = line;
    bad[20] = '%';
    CHECK(err(bad).message.find("not valid base64") != std::string::npos);
    const PublicKeyBlob blob = key.blob();
    CHECK(err(to_base64(ByteView(blob).first(41))).message.find("41 bytes, expected 42") !=
          std::string::npos);
    Bytes longer(blob.begin(), blob.end());
    longer.push_back(0);
    CHECK(err(to_base64(longer)).message.find("43 bytes, expected 42") != std::string::npos);
    for (const char* alg : {"ED", "ed", "XX"}) {
        PublicKeyBlob b = blob;
        b[0] = static_cast<unsigned char>(alg[0]);
        b[1] = static_cast<unsigned char>(alg[1]);
        auto e = err(to_base64(b));
        CHECK(e.code == Errc::unsupported);
        CHECK(e.message.find("unsupported algorithm") != std::string::npos);
    }
}

TEST_CASE("signing keys: random ids, raw form round trip, inconsistent keys rejected") {
    const auto a = SigningKey::generate();
    const auto b = SigningKey::generate();
    CHECK(a.key_id() != b.key_id());
    CHECK(a.public_key().pk != b.public_key().pk);

    const SecureBuffer raw = a.to_raw();
    REQUIRE(raw.size() == kSigningKeyRawBytes);
    const KeyId id = a.key_id();
    CHECK(std::equal(id.begin(), id.end(), raw.data()));
    auto back = SigningKey::from_raw(raw.span());
    REQUIRE(back.has_value());
    CHECK(back->public_key() == a.public_key());
    const Bytes msg = random_bytes(300);
    CHECK(sign(*back, msg, "t", "u").value() == sign(a, msg, "t", "u").value());

    auto wrong_size = SigningKey::from_raw(raw.span().first(71));
    REQUIRE_FALSE(wrong_size.has_value());
    CHECK(wrong_size.error().code == Errc::corrupt);
    CHECK(wrong_size.error().message == "signing key is 71 bytes, expected 72");
    for (std::size_t at : {std::size_t{8}, std::size_t{39}, std::size_t{40}, std::size_t{71}}) {
        CAPTURE(at);
        SecureBuffer broken = SecureBuffer::copy_of(raw.span());
        broken.data()[at] ^= 0x01;
        auto r = SigningKey::from_raw(broken.span());
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::corrupt);
        CHECK(r.error().message.find("inconsistent") != std::string::npos);
    }
}
