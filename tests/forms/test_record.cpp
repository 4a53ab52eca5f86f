// SPDX-License-Identifier: GPL-3.0-or-later
// Record and withdrawal documents (docs/FORMAT.md section 9), log leaves and proof documents
// (section 10): canonical bytes, strict reading, signatures that fail after any one-byte change,
// chain links, and proofs that fail when tampered with.
#include <sodium.h>

#include <string>

#include "crypto/encoding.h"
#include "crypto/merkle.h"
#include "forms/answers.h"
#include "forms/log_leaf.h"
#include "forms/record.h"
#include "forms/registry.h"
#include "minisign_legacy.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::forms;
namespace ms = svidok::crypto::minisign;

namespace {

const FormDefinition& adults() {
    static const FormRegistry registry = [] {
        auto r = load_builtin();
        REQUIRE(r.has_value());
        return std::move(*r);
    }();
    return *registry.find("forced-mobilization");
}

crypto::Sha256Digest digest_of(std::string_view s) {
    return crypto::sha256(crypto::as_bytes(s));
}

SealStamp stamp(const ms::SigningKey& key, std::uint64_t sequence) {
    return SealStamp{"svidok.device/5f1c9a27e0b3d846", key.key_id(), sequence,
                     "2026-11-21T10:32:05Z", "+02:00"};
}

RecordDocument version1(const ms::SigningKey& key) {
    RecordDocument d;
    d.record = random_record_id();
    d.form_id = adults().id();
    d.form_version = adults().version();
    d.form_sha256 = adults().sha256();
    d.stamp = stamp(key, 0);
    d.answers = adults().example();
    d.attachments = {AttachmentRef{"povistka.jpg", "image/jpeg", 183211, digest_of("a")},
                     AttachmentRef{"chat.png", "image/png", 5120, digest_of("b")}};
    if (d.attachments[1].sha256 < d.attachments[0].sha256)
        std::swap(d.attachments[0], d.attachments[1]);
    return d;
}

std::string encode(const RecordDocument& d) {
    auto bytes = encode_record(d);
    REQUIRE_MESSAGE(bytes.has_value(), (bytes ? "" : bytes.error().message));
    return *bytes;
}

std::string sign(const ms::SigningKey& key, const std::string& bytes, const RecordDocument& d) {
    auto sig = sign_document(key, bytes, record_trusted_comment(d.record, d.version));
    REQUIRE(sig.has_value());
    return *sig;
}

/// Re-encodes a parsed copy of `bytes` after `edit`, keeping it canonical.
std::string edited(const std::string& bytes, void (*edit)(json::Value&)) {
    auto v = json::parse(bytes);
    REQUIRE(v.has_value());
    edit(*v);
    auto out = json::canonicalize(*v);
    REQUIRE(out.has_value());
    return *out;
}

}  // namespace

TEST_CASE("record ids are 32 hex digits and random") {
    auto a = random_record_id(), b = random_record_id();
    CHECK(a != b);
    CHECK(format_record_id(a).size() == 32);
    CHECK(parse_record_id(format_record_id(a)).value() == a);
    CHECK_FALSE(parse_record_id("abc").has_value());
    CHECK_FALSE(parse_record_id(std::string(32, 'g')).has_value());
}

TEST_CASE("the device clock gives UTC seconds and a zone offset") {
    auto [at, offset] = device_clock_now();
    CHECK(at.size() == 20);
    CHECK(at.back() == 'Z');
    CHECK(offset.size() == 6);
    CHECK((offset[0] == '+' || offset[0] == '-'));
}

TEST_CASE("a record document is canonical, complete and reads back equal") {
    auto key = ms::SigningKey::generate();
    auto doc = version1(key);
    auto bytes = encode(doc);
    CHECK(json::is_canonical(bytes));
    for (auto member :
         {"\"schema\":\"svidok-record/1\"", "\"previous\":null", "\"version\":1", "\"sequence\":0",
          "\"utc_offset\":\"+02:00\"", "\"media_type\":\"image/jpeg\""}) {
        CHECK_MESSAGE(bytes.find(member) != std::string::npos, member);
    }
    CHECK(bytes.find("\"signer\":\"" + crypto::to_hex(key.key_id()) + "\"") != std::string::npos);
    auto back = parse_record(bytes);
    REQUIRE_MESSAGE(back.has_value(), (back ? "" : back.error().message));
    CHECK(encode(*back) == bytes);  // answers come back with members in canonical order
    CHECK(back->stamp == doc.stamp);
    CHECK(back->attachments == doc.attachments);

    // Strings are kept exactly as entered: no Unicode normalization.
    doc.answers.set("interview", json::Object{});
    auto nfc = doc, nfd = doc;
    nfc.answers.set("note", "\xC3\x85");   // U+00C5
    nfd.answers.set("note", "A\xCC\x8A");  // A + U+030A
    CHECK(encode(nfc) != encode(nfd));
    CHECK(json::canonicalize(parse_record(encode(nfd))->answers).value() ==
          json::canonicalize(nfd.answers).value());
}

TEST_CASE("writing refuses values outside the format") {
    auto key = ms::SigningKey::generate();
    auto check_refused = [&](RecordDocument d, std::string_view member) {
        auto r = encode_record(d);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::invalid);
        CHECK_MESSAGE(r.error().message.find(member) != std::string::npos, r.error().message);
    };
    auto d = version1(key);
    d.previous = digest_of("x");
    check_refused(d, "previous");
    d = version1(key);
    d.version = 2;
    check_refused(d, "previous");
    d = version1(key);
    d.stamp.sealed_at = "2026-11-21T10:32:05+02:00";
    check_refused(d, "sealed_at");
    d = version1(key);
    d.stamp.utc_offset = "+2:00";
    check_refused(d, "utc_offset");
    d = version1(key);
    d.stamp.device = "Kyiv office laptop";
    check_refused(d, "device");
    d = version1(key);
    std::swap(d.attachments[0], d.attachments[1]);
    check_refused(d, "attachments[1]");
    d = version1(key);
    d.attachments[1].sha256 = d.attachments[0].sha256;
    check_refused(d, "attachments[1]");
    d = version1(key);
    d.attachments[0].media_type = "Image/JPEG";
    check_refused(d, "media_type");
    d = version1(key);
    d.attachments[0].name = "../x";
    check_refused(d, "name");
    d = version1(key);
    d.answers = json::Array{};
    check_refused(d, "answers");
}

TEST_CASE("reading is strict: not canonical, unknown or missing members, wrong values") {
    auto key = ms::SigningKey::generate();
    auto bytes = encode(version1(key));
    auto refused = [](const std::string& text, std::string_view why) {
        auto r = parse_record(text);
        REQUIRE_FALSE(r.has_value());
        CHECK_MESSAGE(r.error().message.find(why) != std::string::npos, r.error().message);
    };
    refused(" " + bytes, "canonical");
    refused(json::pretty(*json::parse(bytes)), "canonical");
    refused(edited(bytes, [](json::Value& v) { v.set("extra", 1); }), "extra: unknown member");
    refused(edited(bytes,
                   [](json::Value& v) {
                       std::erase_if(v.as_object(),
                                     [](const auto& m) { return m.first == "sequence"; });
                   }),
            "sequence: missing");
    refused(edited(bytes, [](json::Value& v) { v.set("schema", "svidok-record/2"); }),
            "not a svidok-record/1 document");
    refused(edited(bytes, [](json::Value& v) { v.set("version", 0); }), "version");
    refused(edited(bytes, [](json::Value& v) { v.set("previous", std::string(64, 'a')); }),
            "previous");
    refused(edited(bytes, [](json::Value& v) { v.set("record", std::string(32, 'A')); }), "record");
    refused(edited(bytes, [](json::Value& v) { v.set("signer", "F71B07B7CDA028F6"); }), "signer");
    refused(edited(bytes, [](json::Value& v) { v.set("sequence", -1); }), "sequence");
    refused(edited(bytes, [](json::Value& v) { v.set("answers", "text"); }), "answers");
    refused(edited(bytes, [](json::Value& v) { v.set("attachments", json::Array{1}); }), "$");
    refused("{\"schema\":\"svidok-record/1\"", "at byte");
    CHECK(parse_record("{\"schema\":\"svidok-record/1\"").error().code == Errc::corrupt);
}

TEST_CASE("a signed record verifies and fails after any one-byte change") {
    auto key = ms::SigningKey::generate();
    auto doc = version1(key);
    auto bytes = encode(doc);
    auto sig = sign(key, bytes, doc);
    auto ok = verify_record(bytes, sig, key.public_key());
    REQUIRE_MESSAGE(ok.has_value(), (ok ? "" : ok.error().message));
    CHECK(encode(*ok) == bytes);
    CHECK(sig.find("trusted comment: svidok record " + format_record_id(doc.record) + " v1\n") !=
          std::string::npos);

    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto changed = bytes;
        changed[i] = static_cast<char>(changed[i] ^ 0x01);
        REQUIRE_MESSAGE(!verify_record(changed, sig, key.public_key()).has_value(), "byte " << i);
    }
    CHECK_FALSE(verify_record(bytes + "\n", sig, key.public_key()).has_value());
    CHECK_FALSE(
        verify_record(bytes.substr(0, bytes.size() - 1), sig, key.public_key()).has_value());
}

TEST_CASE("a signature does not move to another key, record or version") {
    auto key = ms::SigningKey::generate();
    auto doc = version1(key);
    auto bytes = encode(doc);

    auto other = ms::SigningKey::generate();
    auto r = verify_record(bytes, sign(key, bytes, doc), other.public_key());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::integrity);

    auto wrong_comment = sign_document(key, bytes, record_trusted_comment(doc.record, 2));
    r = verify_record(bytes, *wrong_comment, key.public_key());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::integrity);
    CHECK(r.error().message.find("trusted comment") != std::string::npos);

    // A legacy ("Ed", whole-message) signature with the right comment: minisign accepts it,
    // Svidok refuses it (docs/FORMAT.md 9.5).
    const std::string legacy =
        test::legacy_minisig(key, bytes, record_trusted_comment(doc.record, 1));
    REQUIRE(ms::verify(key.public_key(), crypto::as_bytes(bytes), legacy).has_value());
    r = verify_record(bytes, legacy, key.public_key());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("legacy") != std::string::npos);
    CHECK(r.error().kind == "minisign.legacy");
}

TEST_CASE("an amendment chain links by hash; a broken link is named") {
    auto key = ms::SigningKey::generate();
    auto v1 = version1(key);
    auto b1 = encode(v1);
    auto v2 = v1;
    v2.version = 2;
    v2.previous = digest_of(b1);
    v2.stamp.sequence = 1;
    auto b2 = encode(v2);
    REQUIRE(parse_record(b2).has_value());
    CHECK(check_chain_link(v1, digest_of(b1), v2).has_value());

    auto bad = v2;
    bad.previous = digest_of("something else");
    CHECK(check_chain_link(v1, digest_of(b1), bad).error().code == Errc::integrity);
    bad = v2;
    bad.version = 3;
    CHECK_FALSE(check_chain_link(v1, digest_of(b1), bad).has_value());
    bad = v2;
    bad.record = random_record_id();
    CHECK_FALSE(check_chain_link(v1, digest_of(b1), bad).has_value());
    bad = v2;
    bad.form_id = "child-recruitment";
    CHECK_FALSE(check_chain_link(v1, digest_of(b1), bad).has_value());
}

TEST_CASE("a withdrawal document signs, verifies and names its version") {
    auto key = ms::SigningKey::generate();
    WithdrawalDocument w{random_record_id(), 2, digest_of("v2"), stamp(key, 7)};
    auto bytes = encode_withdrawal(w);
    REQUIRE(bytes.has_value());
    CHECK(json::is_canonical(*bytes));
    CHECK(bytes->find("\"schema\":\"svidok-withdrawal/1\"") != std::string::npos);
    auto sig = sign_document(key, *bytes, withdrawal_trusted_comment(w.record, w.version));
    auto back = verify_withdrawal(*bytes, *sig, key.public_key());
    REQUIRE(back.has_value());
    CHECK(*back == w);
    // A record-version signature over a withdrawal's bytes is refused by its comment.
    auto as_record = sign_document(key, *bytes, record_trusted_comment(w.record, w.version));
    CHECK(verify_withdrawal(*bytes, *as_record, key.public_key()).error().code == Errc::integrity);
    CHECK_FALSE(parse_record(*bytes).has_value());
    CHECK_FALSE(parse_withdrawal(encode(version1(key))).has_value());
}

TEST_CASE("log leaves are 122 fixed bytes and decode strictly") {
    auto key = ms::SigningKey::generate();
    auto doc = version1(key);
    doc.stamp.sequence = 0x0010203040506070;
    auto bytes = encode(doc);
    auto sig = sign(key, bytes, doc);
    auto leaf = leaf_for_document(LeafKind::record_version, doc.stamp, doc.record, bytes, sig);
    REQUIRE(leaf.has_value());
    CHECK(leaf->document_sha256 == digest_of(bytes));
    CHECK(leaf->signature == ms::parse_signature(sig)->signature);
    auto raw = leaf->encode();
    CHECK(raw.size() == kLogLeafBytes);
    CHECK(raw[0] == 1);
    CHECK(raw[1] == 1);
    CHECK(crypto::to_hex(std::span(raw).subspan(2, 8)) == "0010203040506070");
    CHECK(std::ranges::equal(std::span(raw).subspan(10, 16), doc.record));
    CHECK(LogLeaf::decode(raw).value() == *leaf);

    auto bad = raw;
    bad[0] = 2;
    CHECK(LogLeaf::decode(bad).error().code == Errc::corrupt);
    bad = raw;
    bad[1] = 9;
    CHECK(LogLeaf::decode(bad).error().code == Errc::corrupt);
    CHECK_FALSE(LogLeaf::decode(std::span(raw).first(121)).has_value());
    std::vector<unsigned char> longer(raw.begin(), raw.end());
    longer.push_back(0);
    CHECK_FALSE(LogLeaf::decode(longer).has_value());
}

TEST_CASE("proof documents round-trip, verify, and fail when tampered with") {
    std::vector<LogLeaf> leaves;
    std::vector<crypto::MerkleHash> hashes;
    for (std::uint64_t i = 0; i < 7; ++i) {
        LogLeaf l{i % 3 == 2 ? LeafKind::withdrawal : LeafKind::record_version,
                  i,
                  random_record_id(),
                  digest_of(std::to_string(i)),
                  {}};
        leaves.push_back(l);
        hashes.push_back(crypto::merkle_leaf_hash(l.encode()));
    }
    const auto root = crypto::merkle_root(hashes);
    for (std::uint64_t i = 0; i < leaves.size(); ++i) {
        InclusionProof p{i, leaves.size(), leaves[i], *crypto::inclusion_proof(hashes, i)};
        auto text = p.to_json();
        REQUIRE(text.has_value());
        CHECK(json::is_canonical(*text));
        auto back = InclusionProof::parse(*text);
        REQUIRE_MESSAGE(back.has_value(), (back ? "" : back.error().message));
        CHECK(back->verify(leaves.size(), root).has_value());
        CHECK_FALSE(back->verify(leaves.size() + 1, root).has_value());

        auto other = *back;
        other.leaf.document_sha256[0] ^= 1;  // a changed leaf
        CHECK(other.verify(leaves.size(), root).error().code == Errc::integrity);
        if (!back->proof.empty()) {
            other = *back;
            other.proof.pop_back();
            CHECK_FALSE(other.verify(leaves.size(), root).has_value());
        }
    }
    // Swapping two leaves (a reordered log) changes the root.
    auto swapped = hashes;
    std::swap(swapped[2], swapped[3]);
    CHECK(crypto::merkle_root(swapped) != root);

    for (std::uint64_t m = 1; m <= leaves.size(); ++m) {
        ConsistencyProof c{m, leaves.size(), *crypto::consistency_proof(hashes, m)};
        auto back = ConsistencyProof::parse(*c.to_json());
        REQUIRE(back.has_value());
        auto old_root = crypto::merkle_root(std::span(hashes).first(m));
        CHECK(back->verify(old_root, root).has_value());
        // A log with a leaf removed before m is not an extension of the old checkpoint.
        auto removed = hashes;
        removed.erase(removed.begin());
        if (m < leaves.size()) {
            auto proof = crypto::consistency_proof(removed, m);
            REQUIRE(proof.has_value());
            ConsistencyProof forged{m, removed.size(), *proof};
            CHECK_FALSE(forged.verify(old_root, crypto::merkle_root(removed)).has_value());
        }
    }

    CHECK_FALSE(InclusionProof::parse("{\"schema\":\"svidok-inclusion/1\"}").has_value());
    CHECK_FALSE(
        ConsistencyProof::parse(
            "{\"from_size\":1,\"proof\":[\"x\"],\"schema\":\"svidok-consistency/1\",\"to_size\":2}")
            .has_value());
}

TEST_CASE("attachment references are collected with their paths") {
    auto refs = attachment_references(adults(), adults().example());
    REQUIRE(refs.size() == 2);
    CHECK(refs[0].path == "evidence.attachments[0]");
    CHECK(refs[0].name == "povistka.jpg");
    CHECK(refs[1].path == "evidence.attachments[1]");
    CHECK(attachment_references(adults(), json::Value("not an object")).empty());
}
