// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/) from the real
// library: age files from AgeEncryptor, tar streams from tar::Writer holding the entries a
// bundle and a receipt carry (each made by its real encoder and signed with the fixed keys of
// fuzz_support.h), record and withdrawal documents, signed and
// cosigned checkpoints, receipts and vault.keys files. Run by `scripts/fuzz seeds`; the output
// is committed. Bundles are padded to 1 MiB when exported; the seeds carry a small padding entry
// instead, to keep the corpus small.
//
// usage: fuzz_seeds OUTDIR
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "../fuzz_support.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "crypto/merkle.h"
#include "forms/bundle_documents.h"
#include "forms/json.h"
#include "forms/log_leaf.h"
#include "forms/record.h"
#include "forms/registry.h"
#include "store/keyslots.h"
#include "store/tar.h"

namespace fs = std::filesystem;
using namespace svidok;

namespace {

fs::path out_dir;

template <class T>
T must(Result<T> r, const char* what) {
    if (!r) {
        std::cerr << "fuzz_seeds: " << what << ": " << r.error().message << "\n";
        std::exit(1);
    }
    return std::move(*r);
}
void must(Result<> r, const char* what) {
    if (!r) {
        std::cerr << "fuzz_seeds: " << what << ": " << r.error().message << "\n";
        std::exit(1);
    }
}

void put(const std::string& target, const std::string& name, std::string_view bytes) {
    const fs::path dir = out_dir / target;
    fs::create_directories(dir);
    std::ofstream f(dir / name, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) {
        std::cerr << "fuzz_seeds: cannot write " << (dir / name) << "\n";
        std::exit(1);
    }
}
void put(const std::string& target, const std::string& name, crypto::ByteView bytes) {
    put(target, name, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}
crypto::ByteView view(std::string_view s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

std::string tar_of(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string out;
    auto w = must(store::tar::Writer::create([&](crypto::ByteView b) -> Result<> {
                      out.append(reinterpret_cast<const char*>(b.data()), b.size());
                      return {};
                  }),
                  "tar writer");
    for (const auto& [path, bytes] : entries) {
        must(w.begin_file(path, bytes.size()), "tar entry");
        must(w.write(view(bytes)), "tar data");
    }
    must(w.finish(), "tar finish");
    return out;
}

struct Log {
    std::vector<crypto::MerkleHash> leaves;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: fuzz_seeds OUTDIR\n";
        return 2;
    }
    out_dir = argv[1];
    fuzz::init();
    const auto& id = fuzz::age_identity();
    const auto& ms = fuzz::minisign_key();
    const std::string origin = fuzz::device_origin();
    const std::string when = "2026-11-22T07:00:00Z";

    // --- age ---
    const std::array to{id.recipient()};
    const auto other = crypto::X25519Identity::generate();
    const std::array to_two{other.recipient(), id.recipient()};
    const std::string hello = "svidok fuzz seed\n";
    const std::string kib(1000, 'x');
    put("age", "empty.age", must(crypto::age_encrypt(to, {}), "age"));
    put("age", "hello.age", must(crypto::age_encrypt(to, view(hello)), "age"));
    put("age", "hello-armored.age",
        must(crypto::age_encrypt(to, view(hello), crypto::AgeOutput::armored), "age"));
    put("age", "two-recipients.age", must(crypto::age_encrypt(to_two, view(kib)), "age"));
    put("age", "not-ours.age",
        must(crypto::age_encrypt(std::array{other.recipient()}, view(hello)), "age"));

    // --- a record, its log and checkpoint ---
    auto registry = must(forms::load_builtin(), "built-in forms");
    const forms::FormDefinition* form = registry.all().front();
    forms::RecordDocument doc;
    for (std::size_t i = 0; i < doc.record.size(); ++i)
        doc.record[i] = static_cast<unsigned char>(i);
    doc.form_id = form->id();
    doc.form_version = form->version();
    doc.form_sha256 = form->sha256();
    doc.stamp = {origin, ms.key_id(), 1, when, "+02:00"};
    doc.answers = form->example();
    doc.attachments.push_back({"povistka.jpg", "image/jpeg", 1234, crypto::sha256(view(hello))});
    const std::string doc_json = must(forms::encode_record(doc), "record");
    const std::string doc_sig =
        must(forms::sign_document(ms, doc_json, forms::record_trusted_comment(doc.record, 1)),
             "record signature");
    forms::WithdrawalDocument wd;
    wd.record = doc.record;
    wd.version = 1;
    wd.version_sha256 = crypto::sha256(view(doc_json));
    wd.stamp = {origin, ms.key_id(), 2, when, "+02:00"};
    const std::string wd_json = must(forms::encode_withdrawal(wd), "withdrawal");

    const auto leaf = must(forms::leaf_for_document(forms::LeafKind::record_version, doc.stamp,
                                                    doc.record, doc_json, doc_sig),
                           "leaf");
    const auto leaf_bytes = leaf.encode();
    std::vector<crypto::MerkleHash> leaves{crypto::merkle_leaf_hash(leaf_bytes),
                                           crypto::merkle_leaf_hash(view(wd_json))};
    forms::InclusionProof inc{0, 2, leaf, must(crypto::inclusion_proof(leaves, 0), "proof")};
    const std::string inc_json = must(inc.to_json(), "inclusion");
    const crypto::Checkpoint cp{origin, 2, crypto::merkle_root(leaves), {}};
    const crypto::Checkpoint cp1{origin, 1, crypto::merkle_root(std::span(leaves).first(1)), {}};
    const std::string signed_cp = must(crypto::sign_checkpoint(cp, fuzz::log_secret()), "cp");
    const std::string cosigned_cp =
        must(crypto::cosign_checkpoint(signed_cp, fuzz::kCosignerName, fuzz::cosigner_secret(),
                                       1'790'000'000),
             "cosign");
    forms::ConsistencyProof cons{1, 2, must(crypto::consistency_proof(leaves, 1), "cons")};
    const std::string cons_json = must(cons.to_json(), "consistency");

    // --- json ---
    put("json", "record-v1.json", doc_json);
    put("json", "withdrawal.json", wd_json);
    put("json", "answers.json", must(forms::json::canonicalize(form->example()), "answers"));
    put("json", "answers-pretty.json", forms::json::pretty(form->example()));
    put("json", "values.json", R"({"a":[1,-2,true,false,null,"\u00e9\n\"x\""],"b":{}})");

    // --- form: the seeds are forms/definitions/*.json themselves (scripts/fuzz reads them) ---

    // --- note ---
    put("note", "checkpoint-signed.txt", signed_cp);
    put("note", "checkpoint-cosigned.txt", cosigned_cp);
    put("note", "checkpoint-body.txt", must(crypto::format_checkpoint(cp1), "cp body"));
    for (std::size_t i = 0; i < fuzz::note_verifiers().size(); ++i) {
        put("note", "verifier-" + std::to_string(i) + ".txt",
            must(crypto::format_verifier_key(fuzz::note_verifiers()[i]), "verifier"));
    }

    // --- a manifest, a receipt ---
    forms::Manifest manifest;
    for (std::size_t i = 0; i < manifest.bundle.size(); ++i) {
        manifest.bundle[i] = static_cast<unsigned char>(0xB0 + i);
    }
    manifest.created_at = when;
    manifest.sender = {origin, ms.public_key(), fuzz::note_verifiers()[0], id.recipient()};
    manifest.recipients = {other.recipient()};
    manifest.checkpoint_size = cp.size;
    manifest.checkpoint_root = cp.root;
    const std::string doc_path =
        forms::document_path(doc.record, forms::LeafKind::record_version, 1);
    const std::string inc_path =
        forms::inclusion_path(doc.record, forms::LeafKind::record_version, 1);
    const std::string cons_path = forms::consistency_path(1);
    const std::string wd_path = forms::document_path(doc.record, forms::LeafKind::withdrawal, 1);
    manifest.files = {
        {doc_path, doc_json.size(), crypto::sha256(view(doc_json))},
        {doc_path + ".minisig", doc_sig.size(), crypto::sha256(view(doc_sig))},
        {inc_path, inc_json.size(), crypto::sha256(view(inc_json))},
        {wd_path, wd_json.size(), crypto::sha256(view(wd_json))},
        {std::string(forms::kCheckpointPath), signed_cp.size(), crypto::sha256(view(signed_cp))},
        {cons_path, cons_json.size(), crypto::sha256(view(cons_json))}};
    const std::string manifest_json = must(manifest.to_json(), "manifest");
    const std::string manifest_sig =
        must(crypto::minisign::sign(ms, view(manifest_json),
                                    forms::manifest_trusted_comment(manifest.bundle), "fuzz seed"),
             "manifest signature");
    put("json", "manifest.json", manifest_json);

    forms::Receipt receipt;
    receipt.bundle = manifest.bundle;
    receipt.bundle_sha256 = crypto::sha256(view(manifest_json));
    receipt.sender = origin;
    receipt.receiver = {ms.public_key(), fuzz::note_verifiers()[1], other.recipient()};
    receipt.received_at = when;
    receipt.documents = {
        {doc.record, forms::LeafKind::record_version, 1, 1, crypto::sha256(view(doc_json))},
        {doc.record, forms::LeafKind::withdrawal, 1, 2, crypto::sha256(view(wd_json))}};
    receipt.checkpoint = cosigned_cp;
    const std::string receipt_json = must(receipt.to_json(), "receipt");
    const std::string receipt_sig =
        must(crypto::minisign::sign(ms, view(receipt_json),
                                    forms::receipt_trusted_comment(receipt.bundle), "fuzz seed"),
             "receipt signature");
    put("receipt", "receipt.json", receipt_json);
    put("receipt", "receipt.json.minisig", receipt_sig);
    put("json", "receipt.json", receipt_json);

    // --- tar: a bundle's and a receipt's entries, in the order export writes them ---
    const std::string padding(1024, '\0');
    put("tar", "bundle.tar",
        tar_of({{std::string(forms::kManifestPath), manifest_json},
                {std::string(forms::kManifestSigPath), manifest_sig},
                {doc_path, doc_json},
                {doc_path + ".minisig", doc_sig},
                {inc_path, inc_json},
                {wd_path, wd_json},
                {std::string(forms::kCheckpointPath), signed_cp},
                {cons_path, cons_json},
                {std::string(forms::kPaddingPath), padding}}));
    put("tar", "receipt.tar",
        tar_of({{std::string(forms::kReceiptPath), receipt_json},
                {std::string(forms::kReceiptSigPath), receipt_sig},
                {std::string(forms::kPaddingPath), padding}}));
    put("tar", "empty.tar", tar_of({}));

    // --- vault.keys: a recovery slot for the fixed secret, a passphrase and a duress slot ---
    const crypto::KdfParams small{1, crypto::kKdfMinMem};
    store::VaultId vault_id{};
    for (std::size_t i = 0; i < vault_id.size(); ++i)
        vault_id[i] = static_cast<unsigned char>(0xC0 + i);
    auto keys = store::KeysFile::create(small, vault_id);
    crypto::SecureBuffer data_key(store::kDataKeyBytes);
    for (std::size_t i = 0; i < data_key.size(); ++i)
        data_key.data()[i] = static_cast<unsigned char>(i);
    const std::string pass = "correct horse battery";
    const auto pass_kek = must(keys.passphrase_kek(view(pass)), "kek");
    keys.seal(store::kPassphraseSlot, store::SlotKind::passphrase, pass_kek, data_key);
    keys.seal(store::kRecoverySlot, store::SlotKind::recovery,
              keys.recovery_kek(fuzz::recovery_secret()), data_key);
    put("keyslots", "recovery.keys", keys.bytes());
    keys.seal(store::kDuressSlot, store::SlotKind::duress,
              keys.recovery_kek(fuzz::recovery_secret()), data_key, store::kFlagDestroyOthers);
    keys.clear(store::kRecoverySlot);
    put("keyslots", "duress.keys", keys.bytes());
    put("keyslots", "fresh.keys", store::KeysFile::create(crypto::kKdfFloor, vault_id).bytes());
    std::cout << "fuzz_seeds: wrote " << out_dir.string() << "\n";
    return 0;
}
