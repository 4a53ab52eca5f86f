// SPDX-License-Identifier: GPL-3.0-or-later
// The C2SP/CCTV age testkit, run as data: every vector decrypted through the streaming API,
// fed whole and in small pieces, checked for the expected outcome and for the SHA-256 of all
// plaintext released (also before a payload failure). Post-quantum vectors are skipped by name.
#include <zlib.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>

#include "crypto/age.h"
#include "crypto/hash.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::crypto;

namespace {

struct Vector {
    std::string name;
    std::multimap<std::string, std::string> keys;
    std::string file;  // the age file, inflated if need be

    [[nodiscard]] std::string get(const std::string& key) const {
        auto it = keys.find(key);
        return it == keys.end() ? std::string() : it->second;
    }
    [[nodiscard]] std::vector<std::string> all(const std::string& key) const {
        std::vector<std::string> out;
        for (auto [it, end] = keys.equal_range(key); it != end; ++it) out.push_back(it->second);
        return out;
    }
};

std::string inflate_zlib(std::string_view in) {
    z_stream z{};
    REQUIRE(inflateInit(&z) == Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    std::string out;
    char buf[1 << 16];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        REQUIRE_MESSAGE((rc == Z_OK || rc == Z_STREAM_END), "zlib error " << rc);
        out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    return out;
}

Vector load(const svidok::test::fs::path& path) {
    Vector v;
    v.name = path.filename().string();
    const std::string text = svidok::test::read_file(path);
    const auto split = text.find("\n\n");
    REQUIRE_MESSAGE(split != std::string::npos, v.name << ": no blank line after the header");
    std::string_view head(text.data(), split + 1);
    while (!head.empty()) {
        const auto nl = head.find('\n');
        const auto line = head.substr(0, nl);
        head.remove_prefix(nl + 1);
        const auto colon = line.find(": ");
        REQUIRE_MESSAGE(colon != std::string_view::npos, v.name << ": bad header line");
        v.keys.emplace(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
    }
    v.file = text.substr(split + 2);
    if (v.get("compressed") == "zlib") v.file = inflate_zlib(v.file);
    return v;
}

AgeFailure expected_failure(const std::string& expect) {
    if (expect == "success") return AgeFailure::none;
    if (expect == "armor failure") return AgeFailure::armor;
    if (expect == "header failure") return AgeFailure::header;
    if (expect == "no match") return AgeFailure::no_match;
    if (expect == "HMAC failure") return AgeFailure::header_mac;
    if (expect == "payload failure") return AgeFailure::payload;
    FAIL("unknown expect value: " << expect);
    return AgeFailure::none;
}

bool errc_fits(AgeFailure f, Errc c) {
    switch (f) {
        case AgeFailure::armor:
            return c == Errc::corrupt;
        case AgeFailure::header:
            return c == Errc::corrupt || c == Errc::unsupported || c == Errc::invalid;
        case AgeFailure::no_match:
            return c == Errc::auth_failed;
        case AgeFailure::header_mac:
        case AgeFailure::payload:
            return c == Errc::integrity;
        default:
            return false;
    }
}

struct Outcome {
    AgeFailure failure = AgeFailure::none;
    std::optional<Error> error;
    std::string released_sha256;
    std::uint64_t released = 0;
};

// Feeds the file in pieces of `piece` bytes (0: all at once).
Outcome decrypt(const Vector& v, const AgeIdentities& ids, std::size_t piece) {
    Sha256 hash;
    std::uint64_t seen = 0;
    const AgeInput input = v.get("armored") == "yes" ? AgeInput::armored : AgeInput::detect;
    AgeDecryptor dec(
        ids,
        [&](ByteView b) -> Result<> {
            hash.update(b);
            seen += b.size();
            return {};
        },
        input);
    ByteView rest = as_bytes(v.file);
    Result<> r;
    while (r && !rest.empty()) {
        const std::size_t n = piece == 0 ? rest.size() : std::min(piece, rest.size());
        r = dec.feed(rest.first(n));
        rest = rest.subspan(n);
    }
    if (r) r = dec.finish();
    Outcome o;
    o.failure = dec.failure();
    if (!r) o.error = r.error();
    o.released = dec.released();
    o.released_sha256 = to_hex(hash.finish());
    CHECK(o.released == seen);
    return o;
}

}  // namespace

TEST_CASE("age testkit vectors") {
    const auto dir = svidok::test::vectors_dir("age");
    if (dir.empty()) return;
    std::vector<svidok::test::fs::path> files;
    for (const auto& e : svidok::test::fs::directory_iterator(dir)) {
        if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    REQUIRE(!files.empty());

    int passed = 0;
    int failed = 0;
    std::vector<std::string> skipped;
    for (const auto& path : files) {
        const Vector v = load(path);
        CAPTURE(v.name);
        std::vector<X25519Identity> ids;
        bool supported = true;
        for (const auto& s : v.all("identity")) {
            auto id = X25519Identity::parse(s);
            if (!id && id.error().code == Errc::unsupported) {
                supported = false;
                break;
            }
            REQUIRE_MESSAGE(id.has_value(), id.error().message);
            ids.push_back(std::move(*id));
        }
        if (!supported) {
            skipped.push_back(v.name);
            continue;
        }
        const auto passphrases = v.all("passphrase");
        std::optional<SecureBuffer> passphrase;
        if (!passphrases.empty()) passphrase = SecureBuffer::copy_of(as_bytes(passphrases.front()));
        const AgeIdentities idset{ids, passphrase ? &*passphrase : nullptr};

        const std::string expect = v.get("expect");
        const AgeFailure want = expected_failure(expect);
        bool ok = true;
        // Whole, in odd pieces, and byte by byte for small files: the outcome must not depend
        // on how the input is split.
        std::vector<std::size_t> pieces{0, 4099};
        if (v.file.size() < 4096) pieces.push_back(1);
        for (std::size_t piece : pieces) {
            CAPTURE(piece);
            const Outcome o = decrypt(v, idset, piece);
            ok = ok && o.failure == want;
            CHECK_MESSAGE(o.failure == want, "got " << age_failure_name(o.failure) << " ("
                                                    << (o.error ? o.error->message : "") << ")");
            if (want == AgeFailure::none || want == AgeFailure::payload) {
                ok = ok && o.released_sha256 == v.get("payload");
                CHECK(o.released_sha256 == v.get("payload"));
            }
            if (want != AgeFailure::none && o.error) {
                ok = ok && errc_fits(want, o.error->code);
                CHECK_MESSAGE(errc_fits(want, o.error->code), errc_name(o.error->code));
                CHECK(!o.error->message.empty());
            }
        }
        if (want == AgeFailure::none) {
            auto plain =
                age_decrypt(idset, as_bytes(v.file),
                            v.get("armored") == "yes" ? AgeInput::armored : AgeInput::detect);
            REQUIRE(plain.has_value());
            CHECK(to_hex(sha256(plain->span())) == v.get("payload"));
        }
        (ok ? passed : failed)++;
    }
    std::cout << "age testkit: " << passed << " passed, " << failed << " failed, " << skipped.size()
              << " skipped (post-quantum:";
    for (const auto& s : skipped) std::cout << ' ' << s;
    std::cout << ")\n";
    CHECK(failed == 0);
    CHECK(passed + failed == 124);
}

TEST_CASE("passphrase files: no passphrase, a wrong one and the right one") {
    const auto dir = svidok::test::vectors_dir("age");
    if (dir.empty()) return;
    const Vector v = load(dir / "scrypt");
    const auto right = SecureBuffer::copy_of(as_bytes(v.get("passphrase")));
    const auto wrong = SecureBuffer::copy_of(as_bytes("not the passphrase"));
    const auto id = X25519Identity::generate();

    const Outcome none = decrypt(v, AgeIdentities{std::span(&id, 1)}, 0);
    CHECK(none.failure == AgeFailure::no_match);
    REQUIRE(none.error.has_value());
    CHECK(none.error->code == Errc::auth_failed);
    CHECK(none.error->message ==
          "age: the file is passphrase-encrypted and no passphrase was given");

    const Outcome bad = decrypt(v, AgeIdentities{{}, &wrong}, 0);
    CHECK(bad.failure == AgeFailure::no_match);
    REQUIRE(bad.error.has_value());
    CHECK(bad.error->message == "age: the passphrase does not open this file");

    const Outcome good = decrypt(v, AgeIdentities{{}, &right}, 0);
    CHECK(good.failure == AgeFailure::none);
    CHECK(good.released_sha256 == v.get("payload"));
}
