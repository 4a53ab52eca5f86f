// SPDX-License-Identifier: GPL-3.0-or-later
// Bundle manifests and receipts (docs/FORMAT.md 12.5, 13): canonical round trips, strict
// reading of every member, entry names, the padding rule and receipt file names.
#include <sodium.h>

#include <string>

#include "crypto/checkpoint.h"
#include "crypto/encoding.h"
#include "forms/bundle_documents.h"
#include "test_support.h"

using namespace svidok;
using namespace svidok::forms;
namespace ms = svidok::crypto::minisign;

namespace {

Manifest sample_manifest() {
    Manifest m;
    m.bundle = new_bundle_id();
    m.created_at = "2026-11-21T10:00:00Z";
    crypto::DeviceId device{};
    randombytes_buf(device.data(), device.size());
    m.sender.origin = crypto::svidok_device_origin(device);
    m.sender.minisign = ms::SigningKey::generate().public_key();
    crypto::SecureBuffer log_sk(crypto_sign_SECRETKEYBYTES);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_keypair(pk, log_sk.data());
    m.sender.log_key =
        *crypto::note_verifier_for(m.sender.origin, crypto::kNoteTypeEd25519, log_sk);
    m.sender.age = crypto::X25519Identity::generate().recipient();
    m.recipients = {crypto::X25519Identity::generate().recipient(),
                    crypto::X25519Identity::generate().recipient()};
    m.checkpoint_size = 3;
    m.checkpoint_root = crypto::merkle_empty_root();
    RecordId rec{};
    randombytes_buf(rec.data(), rec.size());
    crypto::Sha256Digest sha{};
    m.files = {{std::string(kCheckpointPath), 200, sha},
               {consistency_path(2), 100, sha},
               {document_path(rec, LeafKind::record_version, 1), 5000, sha},
               {document_path(rec, LeafKind::record_version, 1) + ".minisig", 300, sha},
               {inclusion_path(rec, LeafKind::record_version, 1), 300, sha},
               {document_path(rec, LeafKind::withdrawal, 1), 400, sha},
               {attachment_path(sha), 1u << 20, sha}};
    return m;
}

}  // namespace

TEST_CASE("a manifest reads back exactly as written, and only in canonical form") {
    const Manifest m = sample_manifest();
    auto text = m.to_json();
    REQUIRE(text.has_value());
    auto back = Manifest::parse(*text);
    REQUIRE(back.has_value());
    CHECK(*back == m);
    CHECK_FALSE(Manifest::parse(*text + " ").has_value());
    CHECK_FALSE(Manifest::parse(" " + *text).has_value());
}

TEST_CASE("a manifest with a broken member is refused, naming it") {
    const Manifest good = sample_manifest();
    const std::string text = *good.to_json();
    const auto refused = [&](const std::string& from, const std::string& to,
                             const std::string& member) {
        std::string bad = text;
        const auto at = bad.find(from);
        REQUIRE(at != std::string::npos);
        bad.replace(at, from.size(), to);
        auto r = Manifest::parse(bad);
        REQUIRE_FALSE(r.has_value());
        INFO(r.error().message);
        CHECK(r.error().message.find(member) != std::string::npos);
    };
    refused("\"schema\":\"svidok-bundle/1\"", "\"schema\":\"svidok-bundle/2\"",
            "not a svidok-bundle/1");
    refused("records/", "../ecords/", "path");
    refused("log/checkpoint", "log/checkpoinT", "path");
    refused("svidok.device/", "svidok.devicE/", "sender");
    refused("\"size\":3", "\"size\":0", "size");
    refused("\"created_at\":\"2026-11-21T10:00:00Z\"", "\"created_at\":\"2026-11-21 10:00\"",
            "created_at");

    Manifest twice = good;
    twice.files.push_back(twice.files.front());
    CHECK_FALSE(twice.to_json().has_value());
    Manifest duplicate_recipient = good;
    duplicate_recipient.recipients.push_back(duplicate_recipient.recipients.front());
    CHECK_FALSE(duplicate_recipient.to_json().has_value());
    Manifest nobody = good;
    nobody.recipients.clear();
    CHECK_FALSE(nobody.to_json().has_value());
    Manifest wrong_log_name = good;
    wrong_log_name.sender.log_key.name = "svidok.device/0000000000000000";
    CHECK_FALSE(wrong_log_name.to_json().has_value());
}

TEST_CASE("a receipt reads back exactly as written; documents must be in log order") {
    Receipt r;
    r.bundle = new_bundle_id();
    r.bundle_sha256 = crypto::sha256(crypto::as_bytes(std::string("bundle")));
    r.sender = "svidok.device/0123456789abcdef";
    r.receiver.minisign = ms::SigningKey::generate().public_key();
    crypto::SecureBuffer sk(crypto_sign_SECRETKEYBYTES);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_keypair(pk, sk.data());
    r.receiver.cosigner = *crypto::note_verifier_for("svidok.device/fedcba9876543210",
                                                     crypto::kNoteTypeCosignatureV1, sk);
    r.receiver.age = crypto::X25519Identity::generate().recipient();
    r.received_at = "2026-11-21T11:00:00Z";
    RecordId rec{};
    r.documents = {{rec, LeafKind::record_version, 1, 0, {}},
                   {rec, LeafKind::withdrawal, 1, 4, {}}};
    r.checkpoint = "svidok.device/0123456789abcdef\n5\nAAAA\n";
    auto text = r.to_json();
    REQUIRE(text.has_value());
    auto back = Receipt::parse(*text);
    REQUIRE(back.has_value());
    CHECK(*back == r);

    Receipt unordered = r;
    std::swap(unordered.documents[0], unordered.documents[1]);
    CHECK_FALSE(unordered.to_json().has_value());
    Receipt log_key_as_cosigner = r;
    log_key_as_cosigner.receiver.cosigner.type = crypto::kNoteTypeEd25519;
    CHECK_FALSE(log_key_as_cosigner.to_json().has_value());
}

TEST_CASE("padding buckets: Padmé above 1 MiB, at most 12% overhead, multiples of 2^15") {
    CHECK(padme(0) == 1u << 20);
    CHECK(padme(1) == 1u << 20);
    CHECK(padme(1u << 20) == 1u << 20);
    CHECK(padme((1u << 20) + 1) == (1u << 20) + (1u << 15));
    // E = 30, S = 5, z = 25: buckets of 32 MiB above 1 GiB.
    CHECK(padme((std::uint64_t{1} << 30) + 1) == (std::uint64_t{1} << 30) + (1u << 25));
    for (std::uint64_t l = 1u << 20; l < (std::uint64_t{1} << 40); l = l * 3 / 2 + 12345) {
        const std::uint64_t b = padme(l);
        CHECK(b >= l);
        CHECK(b % (1u << 15) == 0);
        CHECK(static_cast<double>(b - l) <= 0.12 * static_cast<double>(l));
        CHECK(padme(b) == b);
    }
}

TEST_CASE("entry names and ids follow FORMAT.md 12.4 and 13") {
    RecordId rec{};
    rec[0] = 0xab;
    const std::string hex = format_record_id(rec);
    CHECK(document_path(rec, LeafKind::record_version, 12) == "records/" + hex + "-v12.json");
    CHECK(inclusion_path(rec, LeafKind::withdrawal, 3) ==
          "records/" + hex + "-withdrawal.inclusion.json");
    CHECK(consistency_path(17) == "log/consistency-17.json");
    auto id = parse_bundle_id(std::string(32, 'a'));
    REQUIRE(id.has_value());
    CHECK(format_bundle_id(*id) == std::string(32, 'a'));
    CHECK_FALSE(parse_bundle_id(std::string(32, 'A')).has_value());
    CHECK_FALSE(parse_bundle_id(std::string(31, 'a')).has_value());
    CHECK(bundle_trusted_comment(*id) == "svidok bundle " + std::string(32, 'a'));

    // Receipt names: deterministic per bundle and recipient, different across recipients.
    const auto a = crypto::X25519Identity::generate().recipient();
    const auto b = crypto::X25519Identity::generate().recipient();
    CHECK(receipt_file_name(*id, a) == receipt_file_name(*id, a));
    CHECK(receipt_file_name(*id, a) != receipt_file_name(*id, b));
    CHECK(receipt_file_name(*id, a).size() == 32 + kReceiptSuffix.size());
}
