// SPDX-License-Identifier: GPL-3.0-or-later
// age keys, identity files, the streaming encryptor/decryptor and their failure modes, tested
// like an adversary would: truncation at every byte, every single bit flipped, appended bytes,
// the wrong key, limits, and a sink that fails.
#include <sodium.h>

#include <algorithm>

#include "crypto/age.h"
#include "crypto/bech32.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::crypto;

namespace {

constexpr std::string_view kSpecIdentity =
    "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
constexpr std::string_view kSpecRecipient =
    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
// Header of a file to one X25519 recipient: version (22) + stanza (54 + 44) + mac line (48).
constexpr std::size_t kOneRecipientHeader = 168;
constexpr std::size_t kPayloadStart = kOneRecipientHeader + kAgePayloadNonceBytes;
constexpr std::size_t kSealedChunk = kAgeChunkBytes + kAgeTagBytes;

Bytes random_bytes(std::size_t n) {
    Bytes b(n);
    if (n > 0) randombytes_buf(b.data(), n);
    return b;
}

// Encrypts with writes of at most `piece` bytes (0: one write).
Bytes encrypt(std::span<const X25519Recipient> to, ByteView plain,
              AgeOutput output = AgeOutput::binary, std::size_t piece = 0) {
    Bytes out;
    auto enc = AgeEncryptor::create(
        to,
        [&out](ByteView b) -> Result<> {
            out.insert(out.end(), b.begin(), b.end());
            return {};
        },
        output);
    REQUIRE_MESSAGE(enc.has_value(), enc.error().message);
    do {
        const std::size_t n = piece == 0 ? plain.size() : std::min(piece, plain.size());
        REQUIRE(enc->write(plain.first(n)).has_value());
        plain = plain.subspan(n);
    } while (!plain.empty());
    REQUIRE(enc->finish().has_value());
    return out;
}

struct Decrypted {
    Result<> result;
    AgeFailure failure = AgeFailure::none;
    Bytes plain;
    std::uint64_t released = 0;
    std::size_t largest_release = 0;

    [[nodiscard]] bool ok() const { return result.has_value(); }
    [[nodiscard]] Errc code() const { return result.error().code; }
    [[nodiscard]] const std::string& message() const { return result.error().message; }
};

Decrypted decrypt(AgeIdentities ids, ByteView file, AgeInput input = AgeInput::detect,
                  std::size_t piece = 0) {
    Decrypted d;
    AgeDecryptor dec(
        ids,
        [&d](ByteView b) -> Result<> {
            d.plain.insert(d.plain.end(), b.begin(), b.end());
            d.largest_release = std::max(d.largest_release, b.size());
            return {};
        },
        input);
    Result<> r;
    while (r && !file.empty()) {
        const std::size_t n = piece == 0 ? file.size() : std::min(piece, file.size());
        r = dec.feed(file.first(n));
        file = file.subspan(n);
    }
    if (r) r = dec.finish();
    d.result = r;
    d.failure = dec.failure();
    d.released = dec.released();
    CHECK(d.released == d.plain.size());
    return d;
}

Decrypted decrypt(const X25519Identity& id, ByteView file, AgeInput input = AgeInput::detect,
                  std::size_t piece = 0) {
    return decrypt(AgeIdentities{std::span(&id, 1)}, file, input, piece);
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

TEST_CASE("x25519 identity and recipient encode, parse and agree with the spec example") {
    auto spec = X25519Identity::parse(kSpecIdentity);
    REQUIRE(spec.has_value());
    CHECK(spec->recipient().to_string() == kSpecRecipient);
    CHECK(spec->to_string().view() == kSpecIdentity);
    CHECK(X25519Recipient::parse(kSpecRecipient).value() == spec->recipient());

    const auto id = X25519Identity::generate();
    const SecureBuffer text = id.to_string();
    CHECK(text.view().starts_with("AGE-SECRET-KEY-1"));
    CHECK(text.size() == 74);
    auto back = X25519Identity::parse(text.view());
    REQUIRE(back.has_value());
    CHECK(back->recipient() == id.recipient());
    const std::string r = id.recipient().to_string();
    CHECK(r.starts_with("age1"));
    CHECK(r.size() == 62);
    CHECK(X25519Recipient::parse(r).value() == id.recipient());
    CHECK(X25519Identity::from_secret(id.secret()).value().recipient() == id.recipient());
    CHECK(X25519Identity::generate().recipient() != id.recipient());
}

TEST_CASE("malformed recipients and identities are rejected without quoting secrets") {
    auto upper =
        X25519Recipient::parse("AGE1ZVKYG2LQZRAA2LNJVQEJ32NKUU0UES2S82HZRYE869XEEXVN73EQUNUJWJ");
    REQUIRE(!upper.has_value());
    CHECK(upper.error().code == Errc::corrupt);
    CHECK(contains(upper.error().message, "unexpected prefix"));
    CHECK(!X25519Recipient::parse(bech32_encode("age", Bytes(31, 1))).has_value());
    CHECK(!X25519Recipient::parse(bech32_encode("age", Bytes(33, 1))).has_value());
    CHECK(!X25519Recipient::parse(kSpecIdentity).has_value());
    CHECK(!X25519Recipient::parse(std::string(kSpecRecipient) + " ").has_value());
    CHECK(!X25519Recipient::parse("").has_value());
    auto short_key = X25519Recipient::parse(bech32_encode("age", Bytes(31, 1)));
    CHECK(short_key.error().message == "invalid age recipient: wrong key length");

    std::string lower(kSpecIdentity);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    auto low = X25519Identity::parse(lower);
    REQUIRE(!low.has_value());
    CHECK(low.error().code == Errc::corrupt);
    CHECK(!X25519Identity::parse(kSpecRecipient).has_value());
    std::string flipped(kSpecIdentity);
    flipped[20] = flipped[20] == 'Q' ? 'P' : 'Q';
    auto bad = X25519Identity::parse(flipped);
    REQUIRE(!bad.has_value());
    CHECK(bad.error().message == "invalid age identity: bech32: checksum mismatch");
    CHECK(!contains(bad.error().message, "GFPYY"));

    auto pq = X25519Identity::parse(
        "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR");
    REQUIRE(!pq.has_value());
    CHECK(pq.error().code == Errc::unsupported);
    CHECK(X25519Identity::parse("AGE-PLUGIN-YUBIKEY-1QQQQQQ").error().code == Errc::unsupported);
    CHECK(X25519Identity::from_secret(Bytes(31)).error().code == Errc::usage);
}

TEST_CASE("identity files: age-keygen layout, comments, CRLF, errors by line number") {
    const auto a = X25519Identity::generate();
    const auto b = X25519Identity::generate();
    std::string text =
        "# created: 2024-01-01T00:00:00Z\n# public key: " + a.recipient().to_string() + "\n" +
        std::string(a.to_string().view()) + "\r\n\n# second\r\n" +
        std::string(b.to_string().view());
    auto ids = parse_identity_file(text);
    REQUIRE(ids.has_value());
    REQUIRE(ids->size() == 2);
    CHECK((*ids)[0].recipient() == a.recipient());
    CHECK((*ids)[1].recipient() == b.recipient());

    const SecureBuffer file = identity_file_text(a);
    CHECK(file.view() == "# public key: " + a.recipient().to_string() + "\n" +
                             std::string(a.to_string().view()) + "\n");
    CHECK(parse_identity_file(file.view()).value().at(0).recipient() == a.recipient());

    auto none = parse_identity_file("# nothing here\n\n");
    REQUIRE(!none.has_value());
    CHECK(none.error().code == Errc::not_found);
    CHECK(parse_identity_file("").error().code == Errc::not_found);

    const std::string secret(a.to_string().view());
    auto spaced = parse_identity_file("# k\n\n " + secret + "\n");
    REQUIRE(!spaced.has_value());
    CHECK(spaced.error().code == Errc::corrupt);
    CHECK(spaced.error().message.starts_with("identity file line 3: "));
    CHECK(!contains(spaced.error().message, secret.substr(16, 20)));
    auto trailing = parse_identity_file(secret + " \n");
    CHECK(trailing.error().message.starts_with("identity file line 1: "));
    auto recipient_line = parse_identity_file(secret + "\n" + a.recipient().to_string() + "\n");
    CHECK(recipient_line.error().message.starts_with("identity file line 2: "));
}

TEST_CASE("round trip across chunk boundaries, binary and armored, any write and read split") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const std::size_t sizes[] = {0,
                                 1,
                                 100,
                                 kAgeChunkBytes - 1,
                                 kAgeChunkBytes,
                                 kAgeChunkBytes + 1,
                                 2 * kAgeChunkBytes,
                                 200 * 1024};
    for (std::size_t size : sizes) {
        CAPTURE(size);
        const Bytes plain = random_bytes(size);
        for (AgeOutput output : {AgeOutput::binary, AgeOutput::armored}) {
            CAPTURE(static_cast<int>(output));
            for (std::size_t write_piece :
                 {std::size_t{0}, std::size_t{1000}, std::size_t{70000}}) {
                const Bytes file = encrypt(to, plain, output, write_piece);
                if (output == AgeOutput::binary) {
                    const std::size_t chunks =
                        std::max<std::size_t>(1, (size + kAgeChunkBytes - 1) / kAgeChunkBytes);
                    CHECK(file.size() == kOneRecipientHeader + kAgePayloadNonceBytes + size +
                                             chunks * kAgeTagBytes);
                    CHECK(as_text(file).starts_with("age-encryption.org/v1\n-> X25519 "));
                } else {
                    CHECK(as_text(file).starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"));
                    CHECK(as_text(file).ends_with("\n-----END AGE ENCRYPTED FILE-----\n"));
                }
                for (std::size_t read_piece : {std::size_t{0}, std::size_t{4099}}) {
                    const auto d = decrypt(id, file, AgeInput::detect, read_piece);
                    REQUIRE_MESSAGE(d.ok(), d.message());
                    CHECK(d.plain == plain);
                    CHECK(d.largest_release <= kAgeChunkBytes);
                }
            }
        }
        auto one_shot =
            age_decrypt(AgeIdentities{std::span(&id, 1)}, age_encrypt(to, plain).value());
        REQUIRE(one_shot.has_value());
        CHECK(one_shot->equals(plain));
    }
}

TEST_CASE("armored output is strict PEM: 64-column lines, canonical last line") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    // 200 + n binary bytes: n = 40 makes exactly five full lines, so a full last line is hit.
    for (std::size_t n = 30; n < 90; ++n) {
        CAPTURE(n);
        const Bytes file = encrypt(to, random_bytes(n), AgeOutput::armored);
        std::string_view text = as_text(file);
        std::vector<std::string_view> lines;
        while (!text.empty()) {
            const auto nl = text.find('\n');
            REQUIRE(nl != std::string_view::npos);
            lines.push_back(text.substr(0, nl));
            text.remove_prefix(nl + 1);
        }
        REQUIRE(lines.size() >= 3);
        CHECK(lines.front() == "-----BEGIN AGE ENCRYPTED FILE-----");
        CHECK(lines.back() == "-----END AGE ENCRYPTED FILE-----");
        const std::size_t binary = kOneRecipientHeader + kAgePayloadNonceBytes + n + kAgeTagBytes;
        CHECK(lines.size() - 2 == (binary + 47) / 48);
        for (std::size_t i = 1; i + 2 < lines.size(); ++i) CHECK(lines[i].size() == 64);
        const auto last = lines[lines.size() - 2];
        CHECK(last.size() == (binary % 48 == 0 ? 64 : (binary % 48 + 2) / 3 * 4));
        CHECK(decrypt(id, file, AgeInput::armored).ok());
    }
}

TEST_CASE("several recipients: each opens the file, anyone else gets no match") {
    std::vector<X25519Identity> ids;
    std::vector<X25519Recipient> to;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(X25519Identity::generate());
        to.push_back(ids.back().recipient());
    }
    const Bytes plain = random_bytes(70000);
    const Bytes file = encrypt(to, plain);
    std::size_t stanzas = 0;
    for (std::size_t pos = 0;
         (pos = as_text(file).find("\n-> X25519 ", pos)) != std::string_view::npos; ++pos) {
        ++stanzas;
    }
    CHECK(stanzas == 3);
    for (const auto& id : ids) {
        const auto d = decrypt(id, file);
        REQUIRE(d.ok());
        CHECK(d.plain == plain);
    }
    // All identities at once, in any order.
    std::reverse(ids.begin(), ids.end());
    CHECK(decrypt(AgeIdentities{ids}, file).plain == plain);

    const auto stranger = X25519Identity::generate();
    const auto d = decrypt(stranger, file);
    REQUIRE(!d.ok());
    CHECK(d.failure == AgeFailure::no_match);
    CHECK(d.code() == Errc::auth_failed);
    CHECK(d.message() == "age: no identity matched any of the file's 3 recipient stanza(s)");
    CHECK(!d.result.error().hint.empty());
    CHECK(d.released == 0);

    // No identities at all, or only a passphrase: still no match, never a crash.
    CHECK(decrypt(AgeIdentities{}, file).failure == AgeFailure::no_match);
    const auto pass = SecureBuffer::copy_of(as_bytes("password"));
    CHECK(decrypt(AgeIdentities{{}, &pass}, file).failure == AgeFailure::no_match);
}

TEST_CASE("every file has a fresh file key and nonce") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const Bytes plain = random_bytes(1000);
    const Bytes a = encrypt(to, plain);
    const Bytes b = encrypt(to, plain);
    REQUIRE(a.size() == b.size());
    CHECK(a != b);
    // Not even the payload (after header and nonce) repeats.
    CHECK(!std::equal(a.begin() + static_cast<std::ptrdiff_t>(kPayloadStart), a.end(),
                      b.begin() + static_cast<std::ptrdiff_t>(kPayloadStart)));
}

TEST_CASE("the decryptor releases each chunk as soon as it authenticates, never more") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const Bytes plain = random_bytes(3 * kAgeChunkBytes + 10);
    const Bytes file = encrypt(to, plain);

    std::size_t released_by_sink = 0;
    AgeDecryptor dec(AgeIdentities{std::span(&id, 1)}, [&](ByteView b) -> Result<> {
        CHECK(b.size() <= kAgeChunkBytes);
        released_by_sink += b.size();
        return {};
    });
    const ByteView all(file);
    REQUIRE(dec.feed(all.first(kPayloadStart + kSealedChunk - 1)).has_value());
    CHECK(dec.released() == 0);  // one byte short of the first chunk
    REQUIRE(dec.feed(all.subspan(kPayloadStart + kSealedChunk - 1, 1)).has_value());
    CHECK(dec.released() == kAgeChunkBytes);
    REQUIRE(dec.feed(all.subspan(kPayloadStart + kSealedChunk, 2 * kSealedChunk)).has_value());
    CHECK(dec.released() == 3 * kAgeChunkBytes);
    REQUIRE(dec.feed(all.subspan(kPayloadStart + 3 * kSealedChunk)).has_value());
    CHECK(dec.released() == 3 * kAgeChunkBytes);  // the final chunk waits for the end
    REQUIRE(dec.finish().has_value());
    CHECK(dec.released() == plain.size());
    CHECK(released_by_sink == plain.size());
    CHECK(dec.failure() == AgeFailure::none);
}

TEST_CASE("truncation at every byte of a small file fails, and releases nothing") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const Bytes file = encrypt(to, random_bytes(100));
    for (std::size_t k = 0; k < file.size(); ++k) {
        CAPTURE(k);
        const auto d = decrypt(id, ByteView(file).first(k));
        REQUIRE(!d.ok());
        CHECK(d.released == 0);
        CHECK(d.failure == (k < kPayloadStart ? AgeFailure::header : AgeFailure::payload));
        if (k == 0) CHECK(d.message() == "age header: empty file");
        if (k > 0 && k < kOneRecipientHeader) CHECK(contains(d.message(), "truncated"));
        if (k >= kOneRecipientHeader && k < kPayloadStart) {
            CHECK(d.message() == "age header: truncated payload nonce");
        }
        if (k == kPayloadStart) CHECK(d.message() == "age payload: no chunks after the header");
        CHECK((k < kPayloadStart ? d.code() == Errc::corrupt : d.code() == Errc::integrity));
    }
    const Bytes armored = encrypt(to, random_bytes(100), AgeOutput::armored);
    for (std::size_t k = 0; k < armored.size(); ++k) {
        CAPTURE(k);
        const auto d = decrypt(id, ByteView(armored).first(k), AgeInput::armored);
        // The end line without its final newline is still a complete armor.
        if (k == armored.size() - 1) {
            CHECK(d.ok());
            continue;
        }
        REQUIRE(!d.ok());
        CHECK(d.released == 0);
    }
}

TEST_CASE("truncation at a chunk boundary is detected after the whole chunks were released") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const Bytes plain = random_bytes(2 * kAgeChunkBytes + 5);
    const Bytes file = encrypt(to, plain);
    for (std::size_t chunks : {1, 2}) {
        const auto d = decrypt(id, ByteView(file).first(kPayloadStart + chunks * kSealedChunk));
        REQUIRE(!d.ok());
        CHECK(d.failure == AgeFailure::payload);
        CHECK(d.message() == "age payload: truncated: the final chunk is missing");
        CHECK(d.released == chunks * kAgeChunkBytes);
        CHECK(std::equal(d.plain.begin(), d.plain.end(), plain.begin()));
    }
    // Dropping a whole middle chunk breaks the counter sequence.
    Bytes spliced(file.begin(),
                  file.begin() + static_cast<std::ptrdiff_t>(kPayloadStart + kSealedChunk));
    spliced.insert(spliced.end(),
                   file.begin() + static_cast<std::ptrdiff_t>(kPayloadStart + 2 * kSealedChunk),
                   file.end());
    const auto d = decrypt(id, spliced);
    CHECK(d.failure == AgeFailure::payload);
    CHECK(d.message() == "age payload: chunk 1 failed to authenticate");
    CHECK(d.released == kAgeChunkBytes);
}

TEST_CASE("every single bit flip is detected before any plaintext is released") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const Bytes file = encrypt(to, random_bytes(60));
    for (std::size_t i = 0; i < file.size() * 8; ++i) {
        Bytes bad = file;
        bad[i / 8] ^= static_cast<unsigned char>(1U << (i % 8));
        CAPTURE(i);
        const auto d = decrypt(id, bad);
        REQUIRE(!d.ok());
        CHECK(d.released == 0);
        if (i / 8 < kOneRecipientHeader) {
            CHECK((d.failure == AgeFailure::header || d.failure == AgeFailure::no_match ||
                   d.failure == AgeFailure::header_mac));
        } else {
            // A changed nonce changes the payload key: the chunk no longer authenticates.
            CHECK(d.failure == AgeFailure::payload);
            CHECK(d.code() == Errc::integrity);
        }
    }
    // The MAC line and the stanza body specifically.
    Bytes mac = file;
    mac[kOneRecipientHeader - 10] = mac[kOneRecipientHeader - 10] == 'A' ? 'B' : 'A';
    CHECK(decrypt(id, mac).failure == AgeFailure::header_mac);

    const Bytes armored = encrypt(to, random_bytes(60), AgeOutput::armored);
    for (std::size_t i = 0; i < armored.size() * 8; ++i) {
        Bytes bad = armored;
        bad[i / 8] ^= static_cast<unsigned char>(1U << (i % 8));
        CAPTURE(i);
        const auto d = decrypt(id, bad, AgeInput::armored);
        REQUIRE(!d.ok());
        CHECK(d.released == 0);
    }
}

TEST_CASE("appended bytes are rejected; only whitespace may follow the armor") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const Bytes plain = random_bytes(100);
    const Bytes file = encrypt(to, plain);
    for (std::size_t extra : {std::size_t{1}, kAgeTagBytes, kAgeChunkBytes + kAgeTagBytes + 1}) {
        CAPTURE(extra);
        Bytes longer = file;
        const Bytes tail = random_bytes(extra);
        longer.insert(longer.end(), tail.begin(), tail.end());
        const auto d = decrypt(id, longer);
        REQUIRE(!d.ok());
        CHECK(d.failure == AgeFailure::payload);
        CHECK(d.released == 0);
    }
    // After a full final chunk the extra byte shows up as data after the final chunk.
    Bytes full = encrypt(to, random_bytes(kAgeChunkBytes));
    full.push_back(0);
    const auto d = decrypt(id, full);
    CHECK(d.failure == AgeFailure::payload);
    CHECK(d.message() == "age payload: data after the final chunk");

    const Bytes armored = encrypt(to, plain, AgeOutput::armored);
    auto with = [&](std::string_view before, std::string_view after) {
        Bytes b(before.begin(), before.end());
        b.insert(b.end(), armored.begin(), armored.end());
        b.insert(b.end(), after.begin(), after.end());
        return decrypt(id, b, AgeInput::armored);
    };
    CHECK(with("\n \t\r\n", "\r\n  \t\n").ok());
    CHECK(with("", std::string(1024, ' ')).ok());
    const auto too_much = with("", std::string(1025, '\n'));
    CHECK(too_much.failure == AgeFailure::armor);
    CHECK(contains(too_much.message(), "whitespace"));
    const auto garbage = with("", "x");
    CHECK(garbage.failure == AgeFailure::armor);
    CHECK(garbage.message() == "age armor: data after the end line");
    CHECK(garbage.released == 0);  // the final chunk waits for the armor to close cleanly
    CHECK(with("x\n", "").failure == AgeFailure::armor);
    CHECK(with("  ", "").message() == "age armor: text before the begin line");
}

TEST_CASE("armor strictness beyond the testkit") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const std::string armored(as_text(encrypt(to, random_bytes(200), AgeOutput::armored)));
    auto open = [&](const std::string& text) {
        return decrypt(id, as_bytes(text), AgeInput::armored);
    };
    auto replace_all = [](std::string s, std::string_view from, std::string_view to_) {
        for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to_.size()) {
            s.replace(p, from.size(), to_);
        }
        return s;
    };
    CHECK(open(replace_all(armored, "\n", "\r\n")).ok());
    // CRLF on some lines only: one encoding per file.
    std::string mixed = armored;
    mixed.insert(mixed.find('\n', mixed.find('\n') + 1), "\r");
    CHECK(open(mixed).message() == "age armor: mixed line endings");
    std::string crlf_begin_only = armored;
    crlf_begin_only.insert(crlf_begin_only.find('\n'), "\r");
    CHECK(open(crlf_begin_only).message() == "age armor: mixed line endings");
    CHECK(open("").message() == "age armor: no begin line");
    CHECK(open(" \n").message() == "age armor: no begin line");
    CHECK(open("-----BEGIN AGE ENCRYPTED FILE-----").message() ==
          "age armor: truncated begin line");
    CHECK(open(std::string(100, '-')).message() == "age armor: line too long");

    // Detection: armor after whitespace is found; anything else is taken as binary.
    CHECK(decrypt(id, as_bytes("\n" + armored)).ok());
    const auto junk = decrypt(id, as_bytes("junk"));
    CHECK(junk.failure == AgeFailure::header);
    CHECK(junk.message() == "age header: not an age file (no age-encryption.org version line)");
    // Binary input forced through the armor reader, and the reverse.
    const Bytes binary = encrypt(to, random_bytes(10));
    CHECK(decrypt(id, binary, AgeInput::armored).failure == AgeFailure::armor);
    CHECK(decrypt(id, as_bytes(armored), AgeInput::binary).failure == AgeFailure::header);
}

TEST_CASE("regression: armor byte >= 0x80 in place of '/' (libsodium decodes it as '/')") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const Bytes plain = random_bytes(300);
    // Find a file with '/' on a full (64-column) data line; nearly every file has one.
    for (int attempt = 0; attempt < 100; ++attempt) {
        std::string text(as_text(encrypt(to, plain, AgeOutput::armored)));
        const std::size_t last_full = text.rfind('\n', text.rfind("\n-----END") - 1);
        const std::size_t slash = text.find('/', 35);
        if (slash == std::string::npos || slash > last_full) continue;
        for (char high : {'\x80', '\xaf', '\xff'}) {
            text[slash] = high;
            const auto d = decrypt(id, as_bytes(text), AgeInput::armored);
            CHECK(d.failure == AgeFailure::armor);
            CHECK(d.message() == "age armor: invalid base64");
        }
        return;
    }
    FAIL("no armored file with '/' on a full line");
}

TEST_CASE("header limits and early rejection") {
    const auto id = X25519Identity::generate();
    std::string many = "age-encryption.org/v1\n";
    for (std::size_t i = 0; i <= kAgeMaxStanzas; ++i) many += "-> grease\n\n";
    auto d = decrypt(id, as_bytes(many));
    CHECK(d.failure == AgeFailure::header);
    CHECK(d.code() == Errc::invalid);
    CHECK(d.message() == "age header: more than 1024 recipient stanzas");

    std::string huge = "age-encryption.org/v1\n-> grease ";
    huge += std::string(kAgeMaxHeaderBytes, 'a');
    d = decrypt(id, as_bytes(huge));
    CHECK(d.failure == AgeFailure::header);
    CHECK(d.code() == Errc::invalid);
    CHECK(d.message() == "age header: longer than the 1 MiB limit");

    // A non-age file fails on its first bytes, not at the end of input.
    AgeDecryptor dec(
        AgeIdentities{std::span(&id, 1)}, [](ByteView) -> Result<> { return {}; },
        AgeInput::binary);
    auto r = dec.feed(as_bytes("PK\x03\x04"));
    REQUIRE(!r.has_value());
    CHECK(dec.failure() == AgeFailure::header);

    d = decrypt(id, as_bytes("age-encryption.org/v2\n-> X25519 abc\n\n--- x\n"));
    CHECK(d.code() == Errc::unsupported);
    CHECK(d.message() == "age header: unsupported format version");
    d = decrypt(id, as_bytes("age-encryption.org/\n"));
    CHECK(d.message() == "age header: malformed version line");
    d = decrypt(
        id, as_bytes("age-encryption.org/v1\n--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"));
    CHECK(d.message() == "age header: no recipient stanzas");
}

TEST_CASE("encryptor misuse and sink failures") {
    const auto id = X25519Identity::generate();
    const auto none = AgeEncryptor::create({}, [](ByteView) -> Result<> { return {}; });
    REQUIRE(!none.has_value());
    CHECK(none.error().code == Errc::usage);

    const std::array low_order{X25519Recipient{}, id.recipient()};
    const auto bad =
        AgeEncryptor::create(std::span(low_order).last(2), [](ByteView) -> Result<> { return {}; });
    REQUIRE(!bad.has_value());
    CHECK(bad.error().code == Errc::invalid);
    CHECK(bad.error().message.starts_with("wrapping the file key for recipient #1: "));

    const std::array to{id.recipient()};
    const auto header_fails =
        AgeEncryptor::create(to, [](ByteView) -> Result<> { return fail(Errc::io, "disk full"); });
    REQUIRE(!header_fails.has_value());
    CHECK(header_fails.error().code == Errc::io);

    int calls = 0;
    auto enc = AgeEncryptor::create(to, [&calls](ByteView) -> Result<> {
        if (++calls > 2) return fail(Errc::io, "disk full");  // header and nonce succeed
        return {};
    });
    REQUIRE(enc.has_value());
    const Bytes big = random_bytes(kAgeChunkBytes + 1);
    auto w = enc->write(big);
    REQUIRE(!w.has_value());
    CHECK(w.error().code == Errc::io);
    CHECK(enc->write(big).error().code == Errc::usage);
    CHECK(enc->finish().error().code == Errc::usage);

    auto done = AgeEncryptor::create(to, [](ByteView) -> Result<> { return {}; });
    REQUIRE(done.has_value());
    REQUIRE(done->finish().has_value());
    CHECK(done->write(big).error().code == Errc::usage);
    CHECK(done->finish().error().code == Errc::usage);
}

TEST_CASE("decryptor errors are sticky; a failing sink is reported as such") {
    const auto id = X25519Identity::generate();
    const std::array to{id.recipient()};
    const Bytes file = encrypt(to, random_bytes(10));
    AgeDecryptor dec(AgeIdentities{std::span(&id, 1)},
                     [](ByteView) -> Result<> { return fail(Errc::io, "disk full"); });
    REQUIRE(dec.feed(file).has_value());
    auto r = dec.finish();
    REQUIRE(!r.has_value());
    CHECK(r.error().code == Errc::io);
    CHECK(dec.failure() == AgeFailure::sink);
    CHECK(dec.released() == 0);
    CHECK(dec.finish().error().message == "disk full");
    CHECK(dec.feed(file).error().message == "disk full");

    AgeDecryptor twice(AgeIdentities{std::span(&id, 1)}, [](ByteView) -> Result<> { return {}; });
    REQUIRE(twice.feed(file).has_value());
    REQUIRE(twice.finish().has_value());
    CHECK(twice.finish().error().code == Errc::usage);
    CHECK(twice.feed(file).error().code == Errc::usage);
}
