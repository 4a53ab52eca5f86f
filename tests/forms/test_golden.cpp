// SPDX-License-Identifier: GPL-3.0-or-later
// Golden vectors of Svidok's own documents (docs/FORMAT.md 19, tests/fixtures/golden/README.md):
// from fixed keys, ids, times and random numbers, the library must build exactly the stored
// bytes of a sealed answer, two record versions, a withdrawal, their signatures, log leaves
// and inclusion proofs, a checkpoint, a bundle manifest, a receipt and a blob file; and the
// stored bytes must parse and verify on their own, and fail after any one-byte change.

#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "crypto/age.h"
#include "crypto/blob_stream.h"
#include "crypto/checkpoint.h"
#include "forms/bundle_documents.h"
#include "forms/log_leaf.h"
#include "forms/record.h"
#include "forms/registry.h"
#include "forms/sealed.h"
#include "golden.h"
#include "process.h"

using namespace svidok;
using namespace svidok::forms;
using svidok::test::check_golden;
using svidok::test::counting_bytes;
using svidok::test::golden;
namespace ms = crypto::minisign;

namespace {

/// One party's fixed keys (README: "Keys").
struct Keys {
    ms::SigningKey signing;
    crypto::SecureBuffer log_sk;
    crypto::X25519Identity age;
    std::string origin;

    Keys(unsigned char sign_seed, const ms::KeyId& key_id, unsigned char log_seed,
         unsigned char age_seed, const crypto::DeviceId& device)
        : signing(make_signing(sign_seed, key_id)),
          log_sk(test::ed25519_from_seed(counting_bytes<32>(log_seed))),
          age(*crypto::X25519Identity::from_secret(counting_bytes<32>(age_seed))),
          origin(crypto::svidok_device_origin(device)) {}

    static ms::SigningKey make_signing(unsigned char seed, const ms::KeyId& key_id) {
        const auto sk = test::ed25519_from_seed(counting_bytes<32>(seed));
        crypto::SecureBuffer raw(ms::kSigningKeyRawBytes);
        std::copy(key_id.begin(), key_id.end(), raw.data());
        std::copy(sk.span().begin(), sk.span().end(), raw.data() + key_id.size());
        return *ms::SigningKey::from_raw(raw.span());
    }
    [[nodiscard]] crypto::NoteVerifier log_verifier(unsigned char type) const {
        return *crypto::note_verifier_for(origin, type, log_sk);
    }
};

Keys device() {
    return {0x00,
            {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef},
            0x20,
            0x40,
            {0x5d, 0x1e, 0x7a, 0x00, 0xc0, 0xff, 0xee, 0x01}};
}
Keys legal_team() {
    return {0x60,
            {0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10},
            0x80,
            0xa0,
            {0x1e, 0x6a, 0x10, 0x00, 0x00, 0x00, 0x00, 0x02}};
}

const RecordId kRecord = counting_bytes<16>(0x10);
const BundleId kBundle = counting_bytes<16>(0xb0);
const crypto::blob::BlobId kBlobId = counting_bytes<16>(0xe0);
crypto::SecureBuffer blob_key() {
    return crypto::SecureBuffer::copy_of(counting_bytes<crypto::blob::kKeyBytes>(0xc0));
}
const std::string kBlobPlaintext = "Svidok golden attachment: not an image.\n";
constexpr std::string_view kRealName = "Ганна Приклад";

/// Everything the vectors are built of, in the order README lists them.
struct Built {
    std::string marker;  // canonical JSON of the sealed answer's marker
    std::string blob;
    std::string v1, v1_sig, v2, v2_sig, withdrawal, withdrawal_sig;
    std::vector<LogLeaf> leaves;
    std::vector<std::string> inclusion;  // one proof per document
    std::string checkpoint;
    std::string manifest, manifest_sig;
    std::string receipt, receipt_sig;
};

SealStamp stamp(const Keys& k, std::uint64_t sequence, std::string sealed_at) {
    return {k.origin, k.signing.key_id(), sequence, std::move(sealed_at), "+03:00"};
}

std::string text_of(const Result<std::string>& r) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    return *r;
}

Built build() {
    const Keys dev = device(), legal = legal_team();
    Built b;
    // The sealed answer: random numbers from the stream "sealed-marker".
    auto registry = load_builtin();
    REQUIRE(registry.has_value());
    const FormDefinition& form = *registry->find("forced-mobilization");
    auto plain = json::parse(
        R"({"consent":{"consent_interview":{"given":true,"time":"2024-05-14T10:32:00+03:00"}},)"
        R"("witness":{"pseudonym":"Ластівка","real_name":"Ганна Приклад"}})");
    REQUIRE(plain.has_value());
    json::Value answers;
    {
        test::DeterministicRandom rng("sealed-marker");
        const std::vector<crypto::X25519Recipient> to{legal.age.recipient()};
        auto sealed = seal_answers(form, kRecord, *plain, to);
        REQUIRE_MESSAGE(sealed.has_value(), (sealed ? "" : sealed.error().message));
        answers = std::move(*sealed);
    }
    b.marker = text_of(json::canonicalize(*answers.find("witness")->find("real_name")));
    REQUIRE(is_sealed_marker(*answers.find("witness")->find("real_name")));

    // The attachment's blob file: random numbers from the stream "blob".
    {
        test::DeterministicRandom rng("blob");
        const auto key = blob_key();
        crypto::blob::Writer w(key, kBlobId);
        std::array<unsigned char, crypto::blob::kSealedChunkBytes> chunk{};
        const std::size_t n = w.push(crypto::as_bytes(kBlobPlaintext), true, chunk);
        b.blob.assign(reinterpret_cast<const char*>(w.header().data()), w.header().size());
        b.blob.append(reinterpret_cast<const char*>(chunk.data()), n);
    }

    // Version 1, version 2 (an amendment), the withdrawal: deterministic without randomness.
    RecordDocument v1;
    v1.record = kRecord;
    v1.form_id = "forced-mobilization";
    v1.form_version = 1;
    v1.form_sha256 = crypto::sha256(crypto::as_bytes("golden form definition"));
    v1.stamp = stamp(dev, 0, "2024-05-14T07:32:00Z");
    v1.answers = answers;
    v1.attachments.push_back({"note.txt", "text/plain", kBlobPlaintext.size(),
                              crypto::sha256(crypto::as_bytes(kBlobPlaintext))});
    b.v1 = text_of(encode_record(v1));
    b.v1_sig = text_of(sign_document(dev.signing, b.v1, record_trusted_comment(kRecord, 1)));
    RecordDocument v2 = v1;
    v2.version = 2;
    v2.previous = crypto::sha256(crypto::as_bytes(b.v1));
    v2.stamp = stamp(dev, 1, "2024-05-15T09:00:00Z");
    json::Value witness = *v2.answers.find("witness");
    witness.set("pseudonym", json::Value("Ластівка-2"));
    v2.answers.set("witness", std::move(witness));
    b.v2 = text_of(encode_record(v2));
    b.v2_sig = text_of(sign_document(dev.signing, b.v2, record_trusted_comment(kRecord, 2)));
    WithdrawalDocument w;
    w.record = kRecord;
    w.version = 2;
    w.version_sha256 = crypto::sha256(crypto::as_bytes(b.v2));
    w.stamp = stamp(dev, 2, "2024-06-01T12:00:00Z");
    b.withdrawal = text_of(encode_withdrawal(w));
    b.withdrawal_sig =
        text_of(sign_document(dev.signing, b.withdrawal, withdrawal_trusted_comment(kRecord, 2)));

    // The log of those three documents, its checkpoint and the inclusion proofs.
    struct Doc {
        LeafKind kind;
        std::int64_t version;
        const SealStamp& stamp;
        const std::string& bytes;
        const std::string& sig;
    };
    const Doc docs[] = {{LeafKind::record_version, 1, v1.stamp, b.v1, b.v1_sig},
                        {LeafKind::record_version, 2, v2.stamp, b.v2, b.v2_sig},
                        {LeafKind::withdrawal, 2, w.stamp, b.withdrawal, b.withdrawal_sig}};
    std::vector<crypto::MerkleHash> hashes;
    for (const Doc& d : docs) {
        auto leaf = leaf_for_document(d.kind, d.stamp, kRecord, d.bytes, d.sig);
        REQUIRE(leaf.has_value());
        b.leaves.push_back(*leaf);
        hashes.push_back(crypto::merkle_leaf_hash(leaf->encode()));
    }
    const crypto::Checkpoint cp{dev.origin, 3, crypto::merkle_root(hashes), {}};
    b.checkpoint = text_of(crypto::sign_checkpoint(cp, dev.log_sk));
    for (std::uint64_t i = 0; i < 3; ++i) {
        auto proof = crypto::inclusion_proof(hashes, i);
        REQUIRE(proof.has_value());
        b.inclusion.push_back(text_of(InclusionProof{i, 3, b.leaves[i], *proof}.to_json()));
    }

    // The manifest of a bundle holding them, and the legal team's receipt of it.
    Manifest m;
    m.bundle = kBundle;
    m.created_at = "2024-06-02T08:00:00Z";
    m.sender = {dev.origin, dev.signing.public_key(), dev.log_verifier(crypto::kNoteTypeEd25519),
                dev.age.recipient()};
    m.recipients = {legal.age.recipient()};
    m.checkpoint_size = cp.size;
    m.checkpoint_root = cp.root;
    auto add = [&](std::string path, std::string_view bytes) {
        m.files.push_back({std::move(path), bytes.size(), crypto::sha256(crypto::as_bytes(bytes))});
    };
    add(std::string(kCheckpointPath), b.checkpoint);
    for (std::size_t i = 0; i < 3; ++i) {
        const Doc& d = docs[i];
        const std::string path = document_path(kRecord, d.kind, d.version);
        add(path, d.bytes);
        add(path + std::string(kSignatureSuffix), d.sig);
        add(inclusion_path(kRecord, d.kind, d.version), b.inclusion[i]);
    }
    add(attachment_path(crypto::sha256(crypto::as_bytes(kBlobPlaintext))), kBlobPlaintext);
    b.manifest = text_of(m.to_json());
    b.manifest_sig =
        text_of(sign_document(dev.signing, b.manifest, manifest_trusted_comment(kBundle)));

    Receipt r;
    r.bundle = kBundle;
    r.bundle_sha256 = crypto::sha256(crypto::as_bytes("golden bundle file"));
    r.sender = dev.origin;
    r.receiver = {legal.signing.public_key(), legal.log_verifier(crypto::kNoteTypeCosignatureV1),
                  legal.age.recipient()};
    r.received_at = "2024-06-03T10:00:00Z";
    for (const Doc& d : docs) {
        r.documents.push_back({kRecord, d.kind, d.version, d.stamp.sequence,
                               crypto::sha256(crypto::as_bytes(d.bytes))});
    }
    r.checkpoint = text_of(crypto::cosign_checkpoint(b.checkpoint, legal.origin, legal.log_sk,
                                                     1717408800 /* 2024-06-03T10:00:00Z */));
    b.receipt = text_of(r.to_json());
    b.receipt_sig =
        text_of(sign_document(legal.signing, b.receipt, receipt_trusted_comment(kBundle)));
    return b;
}

std::string leaf_bytes(const LogLeaf& leaf) {
    const auto bytes = leaf.encode();
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

/// Every golden file of this suite with the bytes the library built for it.
std::vector<std::pair<std::string, std::string>> files_of(const Built& b) {
    std::vector<std::pair<std::string, std::string>> out{
        {"sealed-marker.json", b.marker},
        {"blob", b.blob},
        {"record-v1.json", b.v1},
        {"record-v1.json.minisig", b.v1_sig},
        {"record-v2.json", b.v2},
        {"record-v2.json.minisig", b.v2_sig},
        {"withdrawal.json", b.withdrawal},
        {"withdrawal.json.minisig", b.withdrawal_sig},
        {"checkpoint", b.checkpoint},
        {"manifest.json", b.manifest},
        {"manifest.json.minisig", b.manifest_sig},
        {"receipt.json", b.receipt},
        {"receipt.json.minisig", b.receipt_sig},
        {"device.pub", device().signing.public_key().to_file()},
        {"legal.pub", legal_team().signing.public_key().to_file()},
        {"device.vkey",
         text_of(crypto::format_verifier_key(device().log_verifier(crypto::kNoteTypeEd25519))) +
             "\n"},
    };
    for (std::size_t i = 0; i < b.leaves.size(); ++i) {
        out.emplace_back("leaf-" + std::to_string(i) + ".bin", leaf_bytes(b.leaves[i]));
        out.emplace_back("inclusion-" + std::to_string(i) + ".json", b.inclusion[i]);
    }
    return out;
}

}  // namespace

TEST_CASE("the library builds every golden document byte for byte from its inputs") {
    const Built b = build();
    // Built twice, the same: nothing but the listed inputs goes in.
    const Built again = build();
    CHECK(files_of(again) == files_of(b));
    for (const auto& [name, bytes] : files_of(b)) check_golden(name, bytes);
}

TEST_CASE("SHA256SUMS lists every golden file with its hash, for sha256sum -c") {
    std::set<std::string> listed;
    std::istringstream sums(golden("SHA256SUMS"));
    for (std::string line; std::getline(sums, line);) {
        CAPTURE(line);
        REQUIRE(line.size() > 66);
        const std::string name = line.substr(66);
        CHECK(line.substr(64, 2) == "  ");
        CHECK(line.substr(0, 64) == crypto::to_hex(crypto::sha256(crypto::as_bytes(golden(name)))));
        listed.insert(name);
    }
    for (const auto& e : test::fs::directory_iterator(test::golden_dir())) {
        const std::string name = e.path().filename().string();
        if (name != "README.md" && name != "SHA256SUMS") CHECK_MESSAGE(listed.contains(name), name);
    }
}

TEST_CASE("the stored documents parse and verify on their own") {
    const Keys dev = device(), legal = legal_team();
    const auto dev_pk = *ms::PublicKey::parse(golden("device.pub"));
    CHECK(dev_pk == dev.signing.public_key());
    auto v1 = verify_record(golden("record-v1.json"), golden("record-v1.json.minisig"), dev_pk);
    REQUIRE_MESSAGE(v1.has_value(), (v1 ? "" : v1.error().message));
    CHECK(v1->record == kRecord);
    CHECK(v1->stamp.sealed_at == "2024-05-14T07:32:00Z");
    auto v2 = verify_record(golden("record-v2.json"), golden("record-v2.json.minisig"), dev_pk);
    REQUIRE(v2.has_value());
    CHECK(check_chain_link(*v1, crypto::sha256(crypto::as_bytes(golden("record-v1.json"))), *v2)
              .has_value());
    auto w =
        verify_withdrawal(golden("withdrawal.json"), golden("withdrawal.json.minisig"), dev_pk);
    REQUIRE(w.has_value());
    CHECK(w->version_sha256 == crypto::sha256(crypto::as_bytes(golden("record-v2.json"))));

    // The sealed answer in version 1 is the stored marker, and opens with the legal team's key.
    auto marker = json::parse(golden("sealed-marker.json"));
    REQUIRE(marker.has_value());
    CHECK(*v1->answers.find("witness")->find("real_name") == *marker);
    auto opened = open_sealed_answers(kRecord, v1->answers, legal.age);
    REQUIRE(opened.units.size() == 1);
    CHECK(opened.units[0].status == SealedStatus::opened);
    CHECK(opened.answers.find("witness")->find("real_name")->as_string() == kRealName);
    CHECK(open_sealed_answers(kRecord, v1->answers, dev.age).units[0].status ==
          SealedStatus::not_a_recipient);

    // The log: leaves, checkpoint, inclusion proofs.
    const auto verifier = *crypto::parse_verifier_key(
        std::string_view(golden("device.vkey")).substr(0, golden("device.vkey").size() - 1));
    const std::vector<crypto::NoteVerifier> known{verifier};
    auto cp = crypto::open_checkpoint(golden("checkpoint"), known);
    REQUIRE_MESSAGE(cp.has_value(), (cp ? "" : cp.error().message));
    CHECK(cp->checkpoint.size == 3);
    const std::string docs[] = {golden("record-v1.json"), golden("record-v2.json"),
                                golden("withdrawal.json")};
    for (std::uint64_t i = 0; i < 3; ++i) {
        auto leaf = LogLeaf::decode(crypto::as_bytes(golden("leaf-" + std::to_string(i) + ".bin")));
        REQUIRE(leaf.has_value());
        CHECK(leaf->sequence == i);
        CHECK(leaf->document_sha256 == crypto::sha256(crypto::as_bytes(docs[i])));
        auto proof = InclusionProof::parse(golden("inclusion-" + std::to_string(i) + ".json"));
        REQUIRE(proof.has_value());
        CHECK(proof->leaf == *leaf);
        CHECK(proof->verify(cp->checkpoint.size, cp->checkpoint.root).has_value());
    }

    // The manifest names every file with its hash; the receipt carries the cosigned checkpoint.
    CHECK(ms::verify(dev_pk, crypto::as_bytes(golden("manifest.json")),
                     golden("manifest.json.minisig"))
              .has_value());
    auto m = Manifest::parse(golden("manifest.json"));
    REQUIRE_MESSAGE(m.has_value(), (m ? "" : m.error().message));
    CHECK(m->checkpoint_root == cp->checkpoint.root);
    std::map<std::string, std::string> stored{{std::string(kCheckpointPath), "checkpoint"}};
    for (const auto& [kind, version, name, leaf] :
         {std::tuple{LeafKind::record_version, 1, "record-v1", "0"},
          {LeafKind::record_version, 2, "record-v2", "1"},
          {LeafKind::withdrawal, 2, "withdrawal", "2"}}) {
        const std::string path = document_path(kRecord, kind, version);
        stored[path] = std::string(name) + ".json";
        stored[path + std::string(kSignatureSuffix)] = std::string(name) + ".json.minisig";
        stored[inclusion_path(kRecord, kind, version)] = "inclusion-" + std::string(leaf) + ".json";
    }
    CHECK(m->files.size() == stored.size() + 1);  // and the attachment
    for (const auto& f : m->files) {
        CAPTURE(f.path);
        const std::string bytes =
            f.path.starts_with("attachments/") ? kBlobPlaintext : golden(stored.at(f.path));
        CHECK(f.size == bytes.size());
        CHECK(f.sha256 == crypto::sha256(crypto::as_bytes(bytes)));
    }
    const auto legal_pk = *ms::PublicKey::parse(golden("legal.pub"));
    CHECK(ms::verify(legal_pk, crypto::as_bytes(golden("receipt.json")),
                     golden("receipt.json.minisig"))
              .has_value());
    auto r = Receipt::parse(golden("receipt.json"));
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    const std::vector<crypto::NoteVerifier> both{verifier, r->receiver.cosigner};
    auto cosigned = crypto::open_checkpoint(r->checkpoint, both);
    REQUIRE(cosigned.has_value());
    REQUIRE(cosigned->cosignatures.size() == 1);
    CHECK(cosigned->cosignatures[0].timestamp == 1717408800u);

    // The blob file decrypts with its key to the attachment the record names.
    const std::string blob = golden("blob");
    const auto key = blob_key();
    auto reader = crypto::blob::Reader::open(
        key, kBlobId,
        crypto::as_bytes(std::string_view(blob).substr(0, crypto::blob::kHeaderBytes)));
    REQUIRE(reader.has_value());
    std::array<unsigned char, crypto::blob::kChunkBytes> plain{};
    auto n = reader->pull(
        crypto::as_bytes(std::string_view(blob).substr(crypto::blob::kHeaderBytes)), plain);
    REQUIRE(n.has_value());
    CHECK(reader->finished());
    CHECK(std::string(reinterpret_cast<const char*>(plain.data()), *n) == kBlobPlaintext);
    CHECK(v1->attachments.at(0).sha256 == crypto::sha256(crypto::as_bytes(kBlobPlaintext)));
}

TEST_CASE("any one-byte change to a signed golden file fails its check") {
    const auto dev_pk = *ms::PublicKey::parse(golden("device.pub"));
    const auto legal_pk = *ms::PublicKey::parse(golden("legal.pub"));
    const std::string v1 = golden("record-v1.json"), v1_sig = golden("record-v1.json.minisig");
    const std::string wd = golden("withdrawal.json"), wd_sig = golden("withdrawal.json.minisig");
    const std::string man = golden("manifest.json"), man_sig = golden("manifest.json.minisig");
    const std::string rec = golden("receipt.json"), rec_sig = golden("receipt.json.minisig");
    const std::string cp = golden("checkpoint");
    const std::vector<crypto::NoteVerifier> known{*crypto::parse_verifier_key(
        std::string_view(golden("device.vkey")).substr(0, golden("device.vkey").size() - 1))};
    auto flipped = [](std::string s, std::size_t i) {
        s[i] = static_cast<char>(s[i] ^ 0x01);
        return s;
    };
    for (std::size_t i = 0; i < v1.size(); ++i) {
        CHECK_FALSE(verify_record(flipped(v1, i), v1_sig, dev_pk).has_value());
    }
    for (std::size_t i = 0; i < wd.size(); ++i) {
        CHECK_FALSE(verify_withdrawal(flipped(wd, i), wd_sig, dev_pk).has_value());
    }
    for (std::size_t i = 0; i < man.size(); ++i) {
        CHECK_FALSE(ms::verify(dev_pk, crypto::as_bytes(flipped(man, i)), man_sig).has_value());
    }
    for (std::size_t i = 0; i < rec.size(); ++i) {
        CHECK_FALSE(ms::verify(legal_pk, crypto::as_bytes(flipped(rec, i)), rec_sig).has_value());
    }
    for (std::size_t i = 0; i < cp.size(); ++i) {
        CHECK_FALSE(crypto::open_checkpoint(flipped(cp, i), known).has_value());
    }
    // The signature lines themselves (not the untrusted comment, which nothing signs).
    const auto first_line = v1_sig.find('\n') + 1;
    for (std::size_t i = first_line; i < v1_sig.size(); ++i) {
        if (v1_sig[i] == '\n') continue;
        CHECK_FALSE(verify_record(v1, flipped(v1_sig, i), dev_pk).has_value());
    }
}

TEST_CASE("the stock minisign verifies the golden records, manifest and receipt") {
    if (!test::tool_available("/usr/bin/minisign")) return;
    test::TempDir tmp;
    const test::fs::path dir = test::golden_dir();
    for (const auto& [file, key] : {std::pair{"record-v1.json", "device.pub"},
                                    {"record-v2.json", "device.pub"},
                                    {"withdrawal.json", "device.pub"},
                                    {"manifest.json", "device.pub"},
                                    {"receipt.json", "legal.pub"}}) {
        CAPTURE(file);
        auto r = test::run_process(
            {"/usr/bin/minisign", "-QHVm", (dir / file).string(), "-p", (dir / key).string()}, {},
            tmp.path());
        CHECK(r.exit_code == 0);
    }
}
