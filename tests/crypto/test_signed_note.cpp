// SPDX-License-Identifier: GPL-3.0-or-later
// C2SP signed notes, cosignatures and checkpoints: published vectors (quoted below as literals,
// each with its source), adversarial parsing, and the device-log / receipt flow.
#include "crypto/checkpoint.h"
#include "crypto/merkle.h"
#include "crypto/signed_note.h"
#include "test_support.h"

#include <map>
#include <unordered_map>

using namespace svidok;
using namespace svidok::crypto;

namespace {

const std::string kEmDash = "\xE2\x80\x94";

// golang.org/x/mod, sumdb/note/note_test.go (TestSign, TestOpen, TestNewVerifier) and the
// package documentation of sumdb/note/note.go.
const std::string kPeterSignerKey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const std::string kPeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const std::string kEnochVkey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const std::string kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kPeterSig =
    kEmDash +
    " PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfq"
    "dngotpRZb6KE6RyyBwJnAM=\n";
const std::string kEnochSig =
    kEmDash +
    " EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGw"
    "nWLox33WWd1RvMc+QQ=\n";

// c2sp.org/signed-note, section "Example" (verifier key and signed note).
const std::string kSpecVkey =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const std::string kSpecNote =
    "This is an example message.\n\n" + kEmDash +
    " example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwH"
    "jG1Yu72IneyaQM=\n";

// c2sp.org/tlog-checkpoint and c2sp.org/tlog-cosignature: the behind-the-sofa example.
const std::string kSofaBody =
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
const std::string kSofaNote =
    kSofaBody + "\n" + kEmDash +
    " example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q"
    "1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n" +
    kEmDash +
    " witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2o"
    "yin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

SecureBuffer key_from_seed(ByteView seed) {
    REQUIRE(seed.size() == crypto_sign_SEEDBYTES);
    SecureBuffer sk(kNoteSecretKeyBytes);
    NotePublicKey pk;
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
    return sk;
}

SecureBuffer fresh_key() {
    SecureBuffer sk(kNoteSecretKeyBytes);
    NotePublicKey pk;
    crypto_sign_keypair(pk.data(), sk.data());
    return sk;
}

NoteVerifier verifier(std::string_view name, unsigned char type, const SecureBuffer& sk) {
    auto v = note_verifier_for(name, type, sk);
    REQUIRE(v.has_value());
    return *v;
}

NoteVerifier vkey(const std::string& text) {
    auto v = parse_verifier_key(text);
    REQUIRE_MESSAGE(v.has_value(), text << ": " << v.error().message);
    return *v;
}

// The Go signer key is "PRIVATE+KEY+<name>+<id>+base64(0x01 || 32-byte seed)".
SecureBuffer go_signer_key(const std::string& skey) {
    std::size_t at = 0;
    for (int i = 0; i < 4; ++i) at = skey.find('+', at) + 1;  // the key may contain '+'
    auto raw = from_base64(skey.substr(at));
    REQUIRE(raw.has_value());
    REQUIRE(raw->size() == 33);
    REQUIRE((*raw)[0] == kNoteTypeEd25519);
    return key_from_seed(ByteView(*raw).subspan(1));
}

Errc vkey_error(const std::string& text) {
    auto r = parse_verifier_key(text);
    REQUIRE_MESSAGE(!r.has_value(), text << " parsed but should not have");
    return r.error().code;
}

Errc open_error(std::string_view note, std::span<const NoteVerifier> known) {
    auto r = open_note(note, known);
    REQUIRE_MESSAGE(!r.has_value(), "note opened but should not have");
    return r.error().code;
}

}  // namespace

TEST_CASE("Go sumdb/note vectors: signing is byte-exact and the key hash matches") {
    SecureBuffer sk = go_signer_key(kPeterSignerKey);
    auto v = note_verifier_for("PeterNeumann", kNoteTypeEd25519, sk);
    REQUIRE(v.has_value());
    CHECK(format_verifier_key(*v).value() == kPeterVkey);
    CHECK(note_key_id("PeterNeumann", kNoteTypeEd25519, v->public_key) == 0xc74f20a3);
    CHECK(sign_note(kGoText, "PeterNeumann", sk).value() == kGoText + "\n" + kPeterSig);
    CHECK(vkey(kEnochVkey).name == "EnochRoot");
}

TEST_CASE("Go sumdb/note vectors: opening with known and unknown keys") {
    const NoteVerifier peter = vkey(kPeterVkey), enoch = vkey(kEnochVkey);
    const std::string both = kGoText + "\n" + kPeterSig + kEnochSig;

    auto one = open_note(both, std::vector{peter});
    REQUIRE(one.has_value());
    CHECK(one->text == kGoText);
    REQUIRE(one->verified.size() == 1);
    CHECK(one->verified[0].name == "PeterNeumann");
    CHECK(one->verified[0].key_id == 0xc74f20a3);
    CHECK(!one->verified[0].timestamp.has_value());
    REQUIRE(one->unknown.size() == 1);
    CHECK(one->unknown[0].name == "EnochRoot");
    CHECK(one->unknown[0].key_id == 0xaf0cfe78);

    auto two = open_note(both, std::vector{peter, enoch});
    REQUIRE(two.has_value());
    CHECK(two->verified.size() == 2);
    CHECK(two->unknown.empty());

    auto none = open_note(both, {});
    REQUIRE(!none);
    CHECK(none.error().code == Errc::auth_failed);
    CHECK(none.error().message ==
          "note is not signed by any known key (signed by PeterNeumann+c74f20a3, "
          "EnochRoot+af0cfe78)");

    // A known key's signature that does not verify (4 Base64 characters inserted).
    auto bad = open_note(kGoText + "\n" + kPeterSig.substr(0, 60) + "ABCD" + kPeterSig.substr(60),
                         std::vector{peter});
    REQUIRE(!bad);
    CHECK(bad.error().code == Errc::integrity);
    CHECK(bad.error().message == "signature by PeterNeumann+c74f20a3 does not verify");

    // Repeated lines: the known key counts once, identical unknown lines are listed once.
    const std::string enoch_abcd = kEnochSig.substr(0, 60) + "ABCD" + kEnochSig.substr(60);
    const std::string repeated =
        kGoText + "\n" + kPeterSig + kPeterSig + kEnochSig + kEnochSig + enoch_abcd;
    auto dup = open_note(repeated, std::vector{peter});
    REQUIRE(dup.has_value());
    CHECK(dup->verified.size() == 1);
    CHECK(dup->unknown.size() == 2);

    // Malformed notes from the Go tests.
    const std::vector<std::string> malformed = {
        kGoText,
        kGoText + "\n",
        kGoText + "\n" + kPeterSig.substr(0, kPeterSig.size() - 1),
        "\x01" + kGoText + "\n" + kPeterSig,
        "\xff" + kGoText + "\n" + kPeterSig,
        kGoText + "\n" + kEmDash +
            " Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotp"
            "RZb6KE6RyyBwJnAM=",
        kGoText + "\n" + kPeterSig + "Unexpected line.\n",
    };
    for (const std::string& m : malformed)
        CHECK(open_error(m, std::vector{peter}) == Errc::corrupt);

    std::string many = kGoText + "\n";
    for (int i = 0; i < 101; ++i) many += kPeterSig;
    auto too_many = open_note(many, std::vector{peter});
    REQUIRE(!too_many);
    CHECK(too_many.error().message == "signed note has more than 100 signatures");
}

TEST_CASE("Go sumdb/note vectors: every mangling of a verifier key is refused") {
    const NoteVerifier peter = vkey(kPeterVkey);
    CHECK(peter.type == kNoteTypeEd25519);
    std::size_t refused = 0;
    for (std::size_t i = 0; i <= kPeterVkey.size(); ++i) {
        for (std::size_t j = i + 1; j <= kPeterVkey.size(); ++j) {
            if (i == 0 && j == kPeterVkey.size()) continue;
            CHECK_MESSAGE(!parse_verifier_key(kPeterVkey.substr(i, j - i)), i << ".." << j);
            ++refused;
        }
    }
    for (std::size_t i = 0; i < kPeterVkey.size(); ++i) {
        std::string b = kPeterVkey;
        ++b[i];
        CHECK_MESSAGE(!parse_verifier_key(b), b);
        ++refused;
    }
    const std::string long_key = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==";
    CHECK(vkey_error("PeterNeumann+cc469956+" + long_key) ==
          Errc::corrupt);  // wrong key length, key hash adjusted
    CHECK(vkey_error("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") ==
          Errc::unsupported);  // unknown type, key hash adjusted
    MESSAGE(refused << " mangled verifier keys refused");
}

TEST_CASE("published verifier keys of types 0x01 and 0x04 parse and round-trip") {
    // c2sp.org/signed-note example; the Go checksum database key (go/src/cmd/go, sum.golang.org,
    // whose Base64 contains '+'); transparency-dev/formats note/note_cosigv1_test.go (types
    // 0x01 with '+' in the Base64, and 0x04 native).
    const std::vector<std::string> keys = {
        kSpecVkey,
        "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
        "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6",
        "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2",
    };
    for (const std::string& k : keys) CHECK(format_verifier_key(vkey(k)).value() == k);
    CHECK(vkey(keys[3]).type == kNoteTypeCosignatureV1);
    CHECK(vkey(keys[1]).name == "sum.golang.org");
    // From the same transparency-dev test: a type-0x03 key and a key id that does not match.
    CHECK(vkey_error("rekor.sigstore.dev+12345678+AwEB") == Errc::unsupported);
    const std::string remora_key = "BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
    CHECK(vkey_error("remora.n621.de+00000000+" + remora_key) == Errc::integrity);
    CHECK(parse_verifier_key("remora.n621.de+00000000+" + remora_key).error().message ==
          "verifier key id 00000000 does not match its name and key");
    // Strict forms: uppercase hex, short hex, missing parts, no material, a bad name.
    CHECK(vkey_error("remora.n621.de+DA77ADE7+" + remora_key) == Errc::corrupt);
    CHECK(vkey_error("bananas.sigstore.dev+12344556") == Errc::corrupt);
    CHECK(vkey_error("a+0000000+AQ==") == Errc::corrupt);
    CHECK(vkey_error("a+00000000+") == Errc::corrupt);
    CHECK(vkey_error("a b+00000000+AQ==") == Errc::invalid);
}

TEST_CASE("the c2sp.org/signed-note example verifies; its poem keeps its inner blank line") {
    auto opened = open_note(kSpecNote, std::vector{vkey(kSpecVkey)});
    REQUIRE(opened.has_value());
    CHECK(opened->text == "This is an example message.\n");
    std::string altered = kSpecNote;
    altered.replace(altered.find("example message"), 15, "example massage");
    CHECK(open_error(altered, std::vector{vkey(kSpecVkey)}) == Errc::integrity);

    // c2sp.org/signed-note, the opening example: the text contains an empty line and non-ASCII.
    const std::string poem =
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n"
        "\ned \xC3\xA8 subito sera.\n";
    const std::string poem_note =
        poem + "\n" + kEmDash +
        " quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouF"
        "SQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
    auto parsed = parse_note(poem_note);
    REQUIRE(parsed.has_value());
    CHECK(parsed->text == poem);
    REQUIRE(parsed->signatures.size() == 1);
    CHECK(parsed->signatures[0].name == "quasimodo.example/salvatore");
    CHECK(parsed->signatures[0].signature.size() == 64);
    CHECK(format_note(*parsed).value() == poem_note);
}

TEST_CASE("cosignature framing of the published examples") {
    // c2sp.org/tlog-cosignature example: key id, then timestamp 1679315147 (the "time" line of
    // the spec's signed-message example), then 64 signature bytes.
    auto sofa = parse_note(kSofaNote);
    REQUIRE(sofa.has_value());
    CHECK(sofa->text == kSofaBody);
    REQUIRE(sofa->signatures.size() == 2);
    const NoteSignature& w = sofa->signatures[1];
    CHECK(w.name == "witness.example.com/w1");
    CHECK(w.key_id == 0x8d66cf3f);
    REQUIRE(w.signature.size() == kCosignatureBytes);
    std::uint64_t ts = 0;
    for (int i = 0; i < 8; ++i) ts = (ts << 8) | w.signature[static_cast<std::size_t>(i)];
    CHECK(ts == 1679315147);
    CHECK(cosignature_message(ts, kSofaBody) ==
          "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
          "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
    // transparency-dev/formats note/note_cosigv1_test.go (TestCoSigV1Timestamp "works").
    auto tdev = parse_note("x\n\n" + kEmDash +
                           " w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9"
                           "uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==\n");
    REQUIRE(tdev.has_value());
    const Bytes& s = tdev->signatures[0].signature;
    REQUIRE(s.size() == kCosignatureBytes);
    ts = 0;
    for (int i = 0; i < 8; ++i) ts = (ts << 8) | s[static_cast<std::size_t>(i)];
    CHECK(ts == 1727964367);
}

TEST_CASE("sign, cosign and open: round trips and what each key proves") {
    SecureBuffer log_sk = fresh_key(), team_sk = fresh_key(), other_sk = fresh_key();
    const std::string log_name = "svidok.device/00112233445566ff";
    const NoteVerifier log_v = verifier(log_name, kNoteTypeEd25519, log_sk);
    const NoteVerifier team_v = verifier("legal.example/team", kNoteTypeCosignatureV1, team_sk);
    // The same Ed25519 key as a plain signer has another key id: it cannot stand in.
    const NoteVerifier team_as_ed = verifier("legal.example/team", kNoteTypeEd25519, team_sk);
    CHECK(note_key_id(team_v.name, team_v.type, team_v.public_key) !=
          note_key_id(team_as_ed.name, team_as_ed.type, team_as_ed.public_key));

    const std::string text = "line one\n\nline three after a blank line\n";
    std::string note = sign_note(text, log_name, log_sk).value();
    auto opened = open_note(note, std::vector{log_v});
    REQUIRE(opened.has_value());
    CHECK(opened->text == text);

    std::string cosigned = cosign_note(note, "legal.example/team", team_sk, 1700000000).value();
    CHECK(cosigned.starts_with(note));
    auto both = open_note(cosigned, std::vector{log_v, team_v});
    REQUIRE(both.has_value());
    REQUIRE(both->verified.size() == 2);
    CHECK(both->verified[1].type == kNoteTypeCosignatureV1);
    CHECK(both->verified[1].timestamp == std::optional<std::uint64_t>(1700000000));
    CHECK(open_error(cosigned, std::vector{team_as_ed}) == Errc::auth_failed);
    auto only_log = open_note(cosigned, std::vector{log_v});
    REQUIRE(only_log.has_value());
    CHECK(only_log->unknown.size() == 1);

    // Cosigning again replaces the earlier line by the same key.
    std::string recosigned =
        cosign_note(cosigned, "legal.example/team", team_sk, 1700000500).value();
    auto re = parse_note(recosigned).value();
    CHECK(re.signatures.size() == 2);
    CHECK(open_note(recosigned, std::vector{team_v}).value().verified[0].timestamp ==
          std::optional<std::uint64_t>(1700000500));

    // verify_cosignature on its own.
    const NoteSignature& line = re.signatures[1];
    CHECK(verify_cosignature(text, line, team_v).value() == 1700000500);
    CHECK(verify_cosignature(text + "x\n", line, team_v).error().code == Errc::integrity);
    CHECK(verify_cosignature(text, line, team_as_ed).error().code == Errc::usage);
    NoteVerifier renamed = team_v;
    renamed.name = "legal.example/other";
    CHECK(verify_cosignature(text, line, renamed).error().code == Errc::usage);
    NoteSignature short_line = line;
    short_line.signature.pop_back();
    auto short_r = verify_cosignature(text, short_line, team_v);
    REQUIRE(!short_r);
    CHECK(short_r.error().code == Errc::integrity);
    CHECK(short_r.error().message.find("has 71 bytes, expected 72") != std::string::npos);
    NoteSignature future = line;
    future.signature[0] = 0x80;  // timestamp >= 2^63
    auto future_r = verify_cosignature(text, future, team_v);
    REQUIRE(!future_r);
    CHECK(future_r.error().message.find("beyond 2^63-1") != std::string::npos);
    CHECK(cosign_note(note, "legal.example/team", team_sk, kMaxCosignatureTimestamp + 1)
              .error()
              .code == Errc::usage);

    // A key with the right name but another public key is simply unknown.
    const NoteVerifier impostor = verifier(log_name, kNoteTypeEd25519, other_sk);
    CHECK(open_error(note, std::vector{impostor}) == Errc::auth_failed);
    CHECK(open_note(note, std::vector{log_v, log_v}).has_value());  // exact duplicates are fine
}

TEST_CASE("two known keys with the same name and key id are refused as ambiguous") {
    // Key ids are 32 bits: a birthday search over random keys finds two under one name.
    const std::string name = "collide.example/k";
    std::unordered_map<std::uint32_t, NotePublicKey> seen;
    NoteVerifier a{name, kNoteTypeEd25519, {}}, b = a;
    for (bool found = false; !found;) {
        randombytes_buf(b.public_key.data(), b.public_key.size());
        auto [it, fresh] = seen.emplace(note_key_id(name, b.type, b.public_key), b.public_key);
        if (!fresh && it->second != b.public_key) {
            a.public_key = it->second;
            found = true;
        }
    }
    const std::uint32_t id = note_key_id(name, a.type, a.public_key);
    REQUIRE(id == note_key_id(name, b.type, b.public_key));
    Note note{"text\n", {NoteSignature{name, id, Bytes(64, 7)}}};
    auto r = open_note(format_note(note).value(), std::vector{a, b});
    REQUIRE(!r);
    CHECK(r.error().code == Errc::usage);
    CHECK(r.error().message.find("two known keys are both") != std::string::npos);
    // Either key alone is an ordinary known key whose (made-up) signature fails.
    CHECK(open_error(format_note(note).value(), std::vector{a}) == Errc::integrity);
}

TEST_CASE("signing refuses what the format forbids") {
    SecureBuffer sk = fresh_key();
    CHECK(sign_note("no final newline", "a", sk).error().code == Errc::invalid);
    CHECK(sign_note("", "a", sk).error().code == Errc::invalid);
    CHECK(sign_note("crlf\r\n", "a", sk).error().message ==
          "note text: control character 0x0d at byte 4");
    CHECK(sign_note("tab\there\n", "a", sk).error().code == Errc::invalid);
    CHECK(sign_note("bad \xC3\n", "a", sk).error().message == "note text: invalid UTF-8 at byte 4");
    for (const char* name : {"", "a b", "a+b", "a\tb",
                             "a\xC2\xA0"
                             "b",
                             "a\xE3\x80\x80"
                             "b",
                             "a\xE2\x80\xA8"
                             "b",
                             "a\xE2\x80\x83"
                             "b",
                             "a\x01"
                             "b",
                             "\xC0\xAF"}) {
        auto r = sign_note("text\n", name, sk);
        CHECK_MESSAGE(!r.has_value(), name);
        if (!r) CHECK(r.error().code == Errc::invalid);
    }
    CHECK(sign_note("text\n", "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBA\xD0\xBB\xD0\xB0\xD0\xB4/1", sk)
              .has_value());  // Cyrillic is fine
    SecureBuffer short_key(32);
    CHECK(sign_note("text\n", "a", short_key).error().code == Errc::usage);
    // A secret key whose public half belongs to another key.
    SecureBuffer other = fresh_key();
    SecureBuffer mixed = SecureBuffer::copy_of(sk.span());
    std::copy(other.data() + 32, other.data() + 64, mixed.data() + 32);
    auto mixed_r = sign_note("text\n", "a", mixed);
    REQUIRE(!mixed_r);
    CHECK(mixed_r.error().code == Errc::internal);
    CHECK(sign_note(std::string(kMaxNoteBytes, 'x') + "\n", "a", sk).error().code == Errc::invalid);
}

TEST_CASE("malformed notes are refused with specific errors") {
    SecureBuffer sk = fresh_key();
    const NoteVerifier v = verifier("dev.example/log", kNoteTypeEd25519, sk);
    const std::string good = sign_note("hello\n", "dev.example/log", sk).value();
    const std::size_t sig_at = good.find(kEmDash);
    struct Case {
        std::string note;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"hello\n", "signed note has no blank line before its signatures"},
        {"hello\n\n", "signed note has no signature lines"},
        {good.substr(0, good.size() - 1), "signed note does not end with a newline"},
        {"hello\r\n\n" + good.substr(sig_at), "signed note: control character 0x0d at byte 5"},
        {"\x80hello\n\n" + good.substr(sig_at), "signed note: invalid UTF-8 at byte 0"},
        {"\xC0\xAFhello\n\n" + good.substr(sig_at), "signed note: invalid UTF-8 at byte 0"},
        {"\xED\xA0\x80\n\n" + good.substr(sig_at), "signed note: invalid UTF-8 at byte 0"},
        {"\xF4\x90\x80\x80\n\n" + good.substr(sig_at), "signed note: invalid UTF-8 at byte 0"},
        {"hello\n\n- dev.example/log AAAA\n",
         "signature line 1 does not start with an em dash and a space"},
        {"hello\n\n" + kEmDash + "dev.example/log AAAAAAAA\n",
         "signature line 1 does not start with an em dash and a space"},
        {"hello\n\n" + kEmDash + " dev.example/log\n",
         "signature line 1 has no signature after the key name"},
        {"hello\n\n" + kEmDash + " a+b AAAAAAAA\n",
         "signature line 1: key name has a space, '+' or control character at byte 1"},
        {"hello\n\n" + kEmDash + " a AAAA\n",
         "signature line 1 (a) is too short for a key id and a signature"},
        {"hello\n\n" + kEmDash + " a AAAAAAB=\n", "signature line 1 (a): invalid base64"},
        {"hello\n\n" + kEmDash + " a  AAAAAAAA\n", "signature line 1 (a): invalid base64"},
        {good + "\n", "signed note has no signature lines"},
        {good + "trailing\n", "signature line 2 does not start with an em dash and a space"},
    };
    for (const Case& c : cases) {
        auto r = open_note(c.note, std::vector{v});
        REQUIRE_MESSAGE(!r.has_value(), c.note);
        CHECK(r.error().code == Errc::corrupt);
        CHECK(r.error().message == c.message);
    }
    std::string huge = std::string(kMaxNoteBytes, 'x') + "\n" + good.substr(good.find("\n"));
    CHECK(open_note(huge, std::vector{v}).error().message ==
          "signed note is larger than 1048576 bytes");

    // The spec minimum of 16 signatures, and the limit itself, are accepted.
    std::string many = good;
    for (std::size_t i = 1; i < kMaxNoteSignatures; ++i) many += good.substr(sig_at);
    CHECK(open_note(many, std::vector{v}).has_value());
}

TEST_CASE("every truncation and every bit flip of a signed, cosigned note is refused") {
    SecureBuffer log_sk = fresh_key(), team_sk = fresh_key();
    const std::vector<NoteVerifier> known = {
        verifier("svidok.device/0011223344556677", kNoteTypeEd25519, log_sk),
        verifier("legal.example/team", kNoteTypeCosignatureV1, team_sk)};
    Checkpoint cp{"svidok.device/0011223344556677", 3, merkle_leaf_hash(as_bytes("r")), {}};
    std::string note = sign_checkpoint(cp, log_sk).value();
    note = cosign_checkpoint(note, "legal.example/team", team_sk, 1750000000).value();
    REQUIRE(open_checkpoint(note, known).has_value());

    std::map<Errc, std::size_t> codes;
    std::size_t dropped_cosignature = 0;
    for (std::size_t len = 0; len < note.size(); ++len) {
        auto r = open_checkpoint(note.substr(0, len), known);
        // Cutting off whole trailing signature lines leaves a valid note with fewer of them.
        if (r.has_value()) {
            CHECK(r->cosignatures.empty());
            CHECK(note[len - 1] == '\n');
            ++dropped_cosignature;
            continue;
        }
        ++codes[r.error().code];
    }
    for (std::size_t bit = 0; bit < note.size() * 8; ++bit) {
        std::string bad = note;
        bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
        auto r = open_checkpoint(bad, known);
        // Dropping the cosigner's signature (an unknown name now) is the only harmless change:
        // the log's signature still stands, the receipt loses its cosignature.
        if (r.has_value()) {
            CHECK(r->cosignatures.empty());
            CHECK(bit / 8 >= note.find("legal.example/team"));
            ++dropped_cosignature;
            continue;
        }
        ++codes[r.error().code];
    }
    CHECK(codes[Errc::corrupt] > 0);
    CHECK(codes[Errc::integrity] > 0);
    MESSAGE("truncations and bit flips: corrupt "
            << codes[Errc::corrupt] << ", integrity " << codes[Errc::integrity] << ", auth_failed "
            << codes[Errc::auth_failed] << ", cosignature merely dropped " << dropped_cosignature);
}

TEST_CASE("checkpoint bodies: format and strict parsing") {
    const MerkleHash root = merkle_leaf_hash(as_bytes("root"));
    const std::string b64 = merkle_hash_to_base64(root);
    Checkpoint cp{"svidok.device/0123456789abcdef", 42, root, {}};
    CHECK(format_checkpoint(cp).value() == "svidok.device/0123456789abcdef\n42\n" + b64 + "\n");
    Checkpoint ext = cp;
    ext.extensions = {"first extension", "second"};
    auto ext_text = format_checkpoint(ext).value();
    CHECK(parse_checkpoint(ext_text).value() == ext);
    CHECK(parse_checkpoint(format_checkpoint(cp).value()).value() == cp);

    // The C2SP example body.
    auto sofa = parse_checkpoint(kSofaBody);
    REQUIRE(sofa.has_value());
    CHECK(sofa->origin == "example.com/behind-the-sofa");
    CHECK(sofa->size == 20852163);
    CHECK(merkle_hash_to_base64(sofa->root) == "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");

    CHECK(parse_checkpoint("o\n0\n" + b64 + "\n").value().size == 0);
    CHECK(parse_checkpoint("o\n18446744073709551615\n" + b64 + "\n").value().size ==
          ~std::uint64_t{0});
    struct Case {
        std::string text;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"o\n07\n" + b64 + "\n",
         "checkpoint tree size (line 2) is not a decimal number without leading zeros below 2^64"},
        {"o\n00\n" + b64 + "\n", ""},
        {"o\n+7\n" + b64 + "\n", ""},
        {"o\n-1\n" + b64 + "\n", ""},
        {"o\n 7\n" + b64 + "\n", ""},
        {"o\n7 \n" + b64 + "\n", ""},
        {"o\n\n" + b64 + "\n", ""},
        {"o\n0x10\n" + b64 + "\n", ""},
        {"o\n18446744073709551616\n" + b64 + "\n", ""},
        {"o\n3438945738945739845734895735\n" + b64 + "\n", ""},
        {"o\n7\n", "checkpoint has 2 lines; it needs origin, tree size and root hash"},
        {"o\n7\n" + b64, "checkpoint: note text must end with a newline"},
        {"\n7\n" + b64 + "\n", "checkpoint origin (line 1) is empty"},
        // transparency-dev/formats log/checkpoint_test.go: a 7-byte "root hash" and non-Base64.
        {"Log\n123\nYmFuYW5hcw==\n",
         "checkpoint root (line 3): merkle hash has 7 bytes, expected 32"},
        {"Log\n123\nThisIsn'tBase64\n", "checkpoint root (line 3): merkle hash: invalid base64"},
        {"o\n7\n" + b64 + "\n\next\n", "checkpoint extension line 4 is empty"},
        {"o\r\n7\n" + b64 + "\n", "checkpoint: note text: control character 0x0d at byte 1"},
    };
    for (const Case& c : cases) {
        auto r = parse_checkpoint(c.text);
        REQUIRE_MESSAGE(!r.has_value(), c.text);
        CHECK(r.error().code == Errc::corrupt);
        if (!c.message.empty()) CHECK(r.error().message == c.message);
    }
    Checkpoint bad_origin = cp;
    bad_origin.origin = "has space";
    CHECK(format_checkpoint(bad_origin).error().code == Errc::invalid);
    Checkpoint bad_ext = cp;
    bad_ext.extensions = {""};
    CHECK(format_checkpoint(bad_ext).error().code == Errc::invalid);
    bad_ext.extensions = {"two\nlines"};
    CHECK(format_checkpoint(bad_ext).error().code == Errc::invalid);
    bad_ext.extensions = {"tab\there"};
    CHECK(format_checkpoint(bad_ext).error().code == Errc::invalid);
}

TEST_CASE("svidok device origins are pseudonymous ids") {
    const DeviceId id = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    CHECK(svidok_device_origin(id) == "svidok.device/0123456789abcdef");
    CHECK(parse_svidok_device_origin("svidok.device/0123456789abcdef").value() == id);
    for (const char* bad : {"svidok.device/0123456789ABCDEF", "svidok.device/0123456789abcde",
                            "svidok.device/0123456789abcdef0", "svidok.device/", "svidok.device",
                            "example.com/0123456789abcdef", "svidok.device/0123456789abcdeg"}) {
        auto r = parse_svidok_device_origin(bad);
        CHECK_MESSAGE(!r.has_value(), bad);
        if (!r) CHECK(r.error().code == Errc::invalid);
    }
}

TEST_CASE("device log to legal team and back: checkpoints, proofs and a receipt") {
    SecureBuffer device_sk = fresh_key(), team_sk = fresh_key(), other_device_sk = fresh_key();
    const DeviceId id = {9, 8, 7, 6, 5, 4, 3, 2};
    const std::string origin = svidok_device_origin(id);
    const NoteVerifier device = verifier(origin, kNoteTypeEd25519, device_sk);
    const NoteVerifier team = verifier("legal.example/intake", kNoteTypeCosignatureV1, team_sk);
    // The team pins the device key from its text form, as it would after a fingerprint check.
    const NoteVerifier pinned = vkey(format_verifier_key(device).value());
    CHECK(pinned == device);

    std::vector<MerkleHash> leaves;
    for (int i = 0; i < 9; ++i) {
        std::string entry = "record " + std::to_string(i);
        leaves.push_back(merkle_leaf_hash(as_bytes(entry)));
    }
    auto checkpoint_at = [&](std::size_t n) {
        Checkpoint cp{origin, n, merkle_root(std::span(leaves).first(n)), {}};
        return sign_checkpoint(cp, device_sk).value();
    };
    const std::string first = checkpoint_at(5), second = checkpoint_at(9);

    auto old_cp = open_checkpoint(first, std::vector{pinned});
    auto new_cp = open_checkpoint(second, std::vector{pinned});
    REQUIRE(old_cp.has_value());
    REQUIRE(new_cp.has_value());
    CHECK(new_cp->checkpoint.size == 9);
    auto proof = consistency_proof(leaves, 5).value();
    // Over the wire the proof is an array of Base64 hashes.
    auto decoded = merkle_proof_from_base64(merkle_proof_to_base64(proof)).value();
    CHECK(verify_consistency(old_cp->checkpoint.size, new_cp->checkpoint.size, decoded,
                             old_cp->checkpoint.root, new_cp->checkpoint.root)
              .has_value());
    for (std::size_t i = 0; i < 9; ++i) {
        CHECK(verify_inclusion(i, 9, leaves[i], inclusion_proof(leaves, i).value(),
                               new_cp->checkpoint.root)
                  .has_value());
    }

    // The team returns the checkpoint with its cosignature: the receipt.
    const std::string receipt = cosign_checkpoint(second, team.name, team_sk, 1760000000).value();
    auto back = open_checkpoint(receipt, std::vector{device, team});
    REQUIRE(back.has_value());
    CHECK(back->checkpoint == new_cp->checkpoint);
    REQUIRE(back->cosignatures.size() == 1);
    CHECK(back->cosignatures[0].name == "legal.example/intake");
    CHECK(back->cosignatures[0].timestamp == std::optional<std::uint64_t>(1760000000));

    // A cosignature alone does not open a checkpoint: the log's own key must have signed it.
    auto team_only = open_checkpoint(receipt, std::vector{team});
    REQUIRE(!team_only);
    CHECK(team_only.error().code == Errc::auth_failed);
    CHECK(team_only.error().message ==
          "checkpoint of svidok.device/0908070605040302 is not signed by a known key of that log");
    // Another pinned device cannot vouch for this device's log.
    const std::string other_origin = svidok_device_origin({1, 1, 1, 1, 1, 1, 1, 1});
    const NoteVerifier other = verifier(other_origin, kNoteTypeEd25519, other_device_sk);
    const std::string forged =
        sign_note(format_checkpoint(new_cp->checkpoint).value(), other_origin, other_device_sk)
            .value();
    CHECK(open_checkpoint(forged, std::vector{device, other}).error().code == Errc::auth_failed);

    // A rolled-back or rewritten log is caught.
    CHECK(verify_consistency(9, 5, {}, new_cp->checkpoint.root, old_cp->checkpoint.root)
              .error()
              .code == Errc::integrity);
    std::vector<MerkleHash> altered = leaves;
    altered[2] = merkle_leaf_hash(as_bytes("record 2, edited"));
    auto altered_proof = consistency_proof(altered, 5).value();
    CHECK(verify_consistency(5, 9, altered_proof, old_cp->checkpoint.root, merkle_root(altered))
              .error()
              .code == Errc::integrity);
    // Editing the size in a signed checkpoint breaks the device's signature.
    std::string edited = second;
    edited.replace(edited.find("\n9\n"), 3, "\n8\n");
    CHECK(open_checkpoint(edited, std::vector{device}).error().code == Errc::integrity);
    // A signed note that is not a checkpoint is refused for cosigning and opening.
    const std::string not_cp = sign_note("just text\n", origin, device_sk).value();
    CHECK(cosign_checkpoint(not_cp, team.name, team_sk, 1).error().code == Errc::corrupt);
    CHECK(open_checkpoint(not_cp, std::vector{device}).error().code == Errc::corrupt);
}

TEST_CASE("the worked example of FORMAT.md section 7 is reproduced byte for byte") {
    const std::string doc =
        test::read_file(std::filesystem::path(SVIDOK_SOURCE_DIR) / "docs" / "FORMAT.md");
    auto example = [&](const std::string& name) {
        const std::string marker = "<!-- svidok-example: " + name + " -->\n```\n";
        const std::size_t at = doc.find(marker);
        REQUIRE_MESSAGE(at != std::string::npos, "FORMAT.md lacks example " << name);
        const std::size_t begin = at + marker.size();
        return doc.substr(begin, doc.find("```", begin) - begin);
    };
    auto seed = [](unsigned char first) {
        Bytes s(crypto_sign_SEEDBYTES);
        for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<unsigned char>(first + i);
        return s;
    };
    SecureBuffer device_sk = key_from_seed(seed(0x00)), team_sk = key_from_seed(seed(0x20));
    const DeviceId device_id = {0x5f, 0x1c, 0x9a, 0x27, 0xe0, 0xb3, 0xd8, 0x46};
    const std::string origin = svidok_device_origin(device_id);
    const NoteVerifier device = verifier(origin, kNoteTypeEd25519, device_sk);
    const NoteVerifier team = verifier("legal.example/intake", kNoteTypeCosignatureV1, team_sk);
    CHECK(example("keys") ==
          format_verifier_key(device).value() + "\n" + format_verifier_key(team).value() + "\n");

    std::vector<MerkleHash> leaves;
    std::string leaf_hex;
    for (const char* data : {"entry 0", "entry 1", "entry 2"}) {
        leaves.push_back(merkle_leaf_hash(as_bytes(data)));
        leaf_hex += to_hex(leaves.back()) + "\n";
    }
    CHECK(example("leaf-hashes") == leaf_hex);

    const Checkpoint cp2{origin, 2, merkle_root(std::span(leaves).first(2)), {}};
    const Checkpoint cp3{origin, 3, merkle_root(leaves), {}};
    CHECK(example("checkpoint-2") == sign_checkpoint(cp2, device_sk).value());
    const std::string receipt =
        cosign_checkpoint(sign_checkpoint(cp3, device_sk).value(), team.name, team_sk, 1767225600)
            .value();
    CHECK(example("receipt-3") == receipt);
    auto opened = open_checkpoint(example("receipt-3"), std::vector{device, team});
    REQUIRE(opened.has_value());
    CHECK(opened->checkpoint == cp3);
    CHECK(opened->cosignatures.at(0).timestamp == std::optional<std::uint64_t>(1767225600));

    auto json_array = [](const MerkleProof& proof) {
        std::string out = "[";
        for (const std::string& h : merkle_proof_to_base64(proof))
            out += (out.size() > 1 ? ", \"" : "\"") + h + "\"";
        return out + "]\n";
    };
    CHECK(example("inclusion-1-of-3") == json_array(inclusion_proof(leaves, 1).value()));
    CHECK(example("consistency-2-to-3") == json_array(consistency_proof(leaves, 2).value()));
}
