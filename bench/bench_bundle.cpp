// SPDX-License-Identifier: GPL-3.0-or-later
// Bundle throughput (docs/FORMAT.md 12). A field vault holds N sealed records (default 1000,
// `forced-mobilization` example answers) with M MiB of random attachments (default 1024) in
// files of 64 MiB, one per record, on the first records. Three interleaved rounds, wall
// clock and CPU time (getrusage), medians. Each round makes a fresh legal vault, adds it as a
// recipient, and times:
//
//   - Bundles::export_bundle of every record (read and decrypt the vault's files, tar, age
//     encrypt, hash the output twice, fsync, rename, sign, remember the export);
//   - Bundles::import_bundle of that bundle into the legal vault with the confirmed fingerprint
//     (decrypt, untar, SHA-256 every file, re-encrypt it into the vault, fsync, verify every
//     signature, proof and chain, one transaction, write the receipt);
//   - the reference `age` CLI on the same bytes: the bundle's tar stream without its padding
//     (content_bytes of the export, obtained by decrypting the bundle with `age -d`, which also
//     shows the bundle is a plain age file), encrypted to the legal vault's X25519 recipient
//     and decrypted with its identity (written as an age-keygen file);
//   - a records-only bundle (the records without files) exported and imported into another
//     fresh vault, so the per-record cost of import's verification shows apart from the bytes.
//
// Then records verified per second: forms::verify_record over every sealed document against
// raw libsodium on the same documents (BLAKE2b-512 prehash + crypto_sign_verify_detached; and
// the same plus the minisign global signature over signature || trusted comment). A global
// sync() runs, untimed, before every timed step. KDF parameters are tiny (not measured).
//
//   cmake --build build/release --target bench_bundle && build/release/bench_bundle [MiB] [records]

#include <fcntl.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "crypto/age.h"
#include "crypto/encoding.h"
#include "crypto/minisign.h"
#include "crypto/runtime.h"
#include "forms/json.h"
#include "forms/record.h"
#include "forms/registry.h"
#include "store/attachments.h"
#include "store/bundles.h"
#include "store/records.h"
#include "store/vault.h"

#include "bench_support.h"

namespace json = svidok::forms::json;
namespace store = svidok::store;
namespace ms = svidok::crypto::minisign;
using namespace bench_support;

namespace {

constexpr int kRounds = 3;
constexpr int kVerifyReps = 7;
constexpr std::size_t kFileMiB = 64;  // size of each attached file (the last may be smaller)

// CPU seconds (user + system) used so far by this process (every thread) or by its waited-for
// children (the `age` processes).
double cpu_s(int who) {
    struct rusage ru {};
    ::getrusage(who, &ru);
    const auto s = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
    };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

std::string read_prefix(const fs::path& p, std::size_t n) {
    std::ifstream in(p, std::ios::binary);
    std::string s(n, '\0');
    in.read(s.data(), static_cast<std::streamsize>(n));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
}

/// A vault with its records open; neither moves once made (Records points to the vault).
struct Side {
    store::Vault vault;
    store::Records records;
    store::Bundles bundles{records};

    static std::unique_ptr<Side> create(const fs::path& dir, svidok::forms::FormRegistry& reg) {
        auto created =
            check(store::Vault::create(
                      dir, svidok::crypto::as_bytes("benchmark passphrase 1"),
                      store::CreateOptions{svidok::crypto::KdfParams{1, 64u << 10},
                                           store::VaultPolicy{.enforce_kdf_floor = false}}),
                  "vault create");
        return std::unique_ptr<Side>(new Side(std::move(created.vault), reg));
    }

private:
    Side(store::Vault v, svidok::forms::FormRegistry& reg)
        : vault(std::move(v)), records(check(store::Records::open(vault, reg), "Records::open")) {}
};

/// Adds `legal` to `field` as recipient `name`; returns its age recipient and writes its
/// identity as an age-keygen file to `key_file` (mode 0600) for the `age` CLI.
std::string add_recipient(Side& field, Side& legal, const std::string& name,
                          const fs::path& key_file) {
    auto id = check(legal.vault.identity(), "identity");
    auto x = check(svidok::crypto::X25519Identity::from_secret(id.x25519_sk.span()), "from_secret");
    const std::string recipient = x.recipient().to_string();
    const std::string minisign = id.signing_public_key().to_base64();
    check(field.bundles.add_recipient(name, recipient, std::string_view(minisign)),
          "add_recipient");
    auto text = svidok::crypto::identity_file_text(x);
    int fd = ::open(key_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) die("create", key_file.string() + ": " + std::strerror(errno));
    write_all(fd, text.data(), text.size(), key_file);
    ::close(fd);
    return recipient;
}

/// One timed operation over the rounds: wall clock and CPU time (user + system, all threads;
/// for `age`, of the child process), each a sample per round.
struct Row {
    const char* what;
    bool child = false;  // runs `age`: count the children's CPU time
    std::vector<double> t, cpu;

    explicit Row(const char* what_, bool child_ = false) : what(what_), child(child_) {}

    template <class F>
    void measure(F&& f) {
        const int who = child ? RUSAGE_CHILDREN : RUSAGE_SELF;
        ::sync();
        const double c0 = cpu_s(who);
        t.push_back(time_s(f));
        cpu.push_back(cpu_s(who) - c0);
    }
};

void print_row(const Row& r, double mib) {
    std::printf("| %-50s | %8.3f | %8.1f | %7.3f |", r.what, median(r.t), mib / median(r.t),
                median(r.cpu));
    for (double s : r.t) std::printf(" %7.3f", s);
    std::printf(" |\n");
}

int bench(const fs::path& dir, std::size_t mib, std::size_t n_records) {
    auto registry = check(svidok::forms::load_builtin(), "load_builtin");
    const auto* form = registry.find("forced-mobilization");
    if (form == nullptr) die("forms", "forced-mobilization is not built in");
    json::Value answers = form->example();
    for (auto& [key, section] : answers.as_object()) {
        if (section.is_object() && section.find("attachments") != nullptr) {
            section.set("attachments", json::Array{});
        }
    }

    // --- the field vault: n_records sealed, the first ones with one file each ---
    const std::size_t n_files = (mib + kFileMiB - 1) / kFileMiB;
    if (n_files > n_records) die("arguments", "more 64 MiB files than records");
    auto field = Side::create(dir / "field", registry);
    store::Attachments attachments(field->records);
    std::vector<store::RecordId> ids, plain_ids;
    const auto setup_start = clk::now();
    bench_support::seal_to_legal_team(field->records);
    for (std::size_t i = 0; i < n_records; ++i) {
        auto id = check(field->records.create_draft(*form, answers), "create_draft");
        if (i < n_files) {
            const std::size_t size = std::min(kFileMiB, mib - i * kFileMiB);
            char name[32];
            std::snprintf(name, sizeof name, "file-%03zu.bin", i);
            const fs::path src = dir / name;
            make_random_file(src, size);
            auto r = check(attachments.attach(id, src), "attach");
            if (r.already_attached || r.info.size != size << 20) die("attach", "unexpected result");
            fs::remove(src);
        } else {
            plain_ids.push_back(id);
        }
        check(field->records.seal(id), "seal");
        ids.push_back(id);
    }
    std::fprintf(stderr, "field vault: %zu records sealed, %zu files (%zu MiB) in %.1f s\n",
                 n_records, n_files, mib,
                 std::chrono::duration<double>(clk::now() - setup_start).count());

    Row exp{"Svidok export_bundle"}, imp{"Svidok import_bundle (verify + store + receipt)"},
        age_bundle{"ref: age -d of the bundle file itself (padded)", true},
        age_enc{"ref: age -r (encrypt, no fsync)", true},
        age_enc_sync{"ref: age -r + fsync(output)", true},
        age_dec{"ref: age -d (decrypt, no fsync)", true},
        age_dec_sync{"ref: age -d + fsync(output)", true}, small_exp{"records only: export_bundle"},
        small_imp{"records only: import_bundle"};
    store::Bundles::ExportResult full{}, small{};
    std::uint64_t imported_records = 0, imported_documents = 0, imported_files = 0;
    std::uint64_t small_records = 0;

    for (int round = 0; round < kRounds; ++round) {
        const std::string tag = std::to_string(round + 1);
        const fs::path out = dir / ("out-" + tag), key = dir / ("legal-" + tag + ".key");
        fs::create_directory(out);
        {
            auto legal = Side::create(dir / ("legal-" + tag), registry);
            auto records_only = Side::create(dir / ("records-" + tag), registry);
            const std::string recipient = add_recipient(*field, *legal, "legal-" + tag, key);
            add_recipient(*field, *records_only, "records-" + tag, dir / "records.key");
            const std::string fingerprint =
                check(field->vault.identity(), "identity").fingerprint();

            store::Bundles::ExportOptions eo;
            eo.to = {"legal-" + tag};
            eo.out_dir = out;
            eo.selection = store::Bundles::Selection::all;
            exp.measure([&] { full = check(field->bundles.export_bundle(eo), "export"); });
            if (full.records != n_records || full.attachments != n_files)
                die("export", "unexpected counts");

            store::Bundles::ImportOptions io;
            io.trust_fingerprint = fingerprint;
            store::Bundles::ImportResult ir;
            imp.measure([&] { ir = check(legal->bundles.import_bundle(full.file, io), "import"); });
            if (ir.already_imported || ir.records != n_records ||
                ir.new_documents != full.documents || ir.attachments != n_files ||
                ir.receipt.empty())
                die("import", "unexpected result");
            imported_records = ir.records;
            imported_documents = ir.documents;
            imported_files = ir.attachments;

            // The same bytes for age: the bundle's tar stream, cut before its padding.
            const fs::path plain = dir / "plain.tar", sealed = dir / "ref.age",
                           sealed_sync = dir / "ref-sync.age", dec = dir / "ref.dec",
                           dec_sync = dir / "ref-sync.dec";
            age_bundle.measure([&] {
                run({"age", "-d", "-i", key.string(), "-o", plain.string(), full.file.string()});
            });
            if (read_prefix(plain, 13) != "manifest.json") die("age -d", "not a bundle tar stream");
            fs::resize_file(plain, full.content_bytes);
            age_enc.measure([&] {
                run({"age", "-r", recipient, "-o", sealed.string(), plain.string()});
            });
            age_enc_sync.measure([&] {
                run({"age", "-r", recipient, "-o", sealed_sync.string(), plain.string()});
                fsync_path(sealed_sync);
            });
            fs::remove(sealed_sync);
            age_dec.measure([&] {
                run({"age", "-d", "-i", key.string(), "-o", dec.string(), sealed.string()});
            });
            fs::remove(dec);
            age_dec_sync.measure([&] {
                run({"age", "-d", "-i", key.string(), "-o", dec_sync.string(), sealed.string()});
                fsync_path(dec_sync);
            });
            if (fs::file_size(dec_sync) != full.content_bytes) die("age -d", "wrong size");
            for (const auto& p : {plain, sealed, dec_sync}) fs::remove(p);

            // Records only: every record without a file, verified and stored without bulk bytes.
            eo.to = {"records-" + tag};
            eo.selection = store::Bundles::Selection::records;
            eo.records = plain_ids;
            if (!plain_ids.empty()) {
                small_exp.measure(
                    [&] { small = check(field->bundles.export_bundle(eo), "export (records)"); });
                small_imp.measure([&] {
                    auto r = check(records_only->bundles.import_bundle(small.file, io),
                                   "import (records)");
                    small_records = r.records;
                });
            }
        }  // both vaults close here
        fs::remove_all(dir / ("legal-" + tag));
        fs::remove_all(dir / ("records-" + tag));
        fs::remove_all(out);
        fs::remove(key);
        std::fprintf(stderr, "round %d/%d done\n", round + 1, kRounds);
    }

    // --- records verified per second ---
    struct Doc {
        std::string bytes, minisig;
        ms::SignatureFile sig;
    };
    std::vector<Doc> docs;
    for (const auto& id : ids) {
        for (auto& d : check(field->records.documents(id), "documents")) {
            auto sig = check(ms::parse_signature(d.minisig), "parse_signature");
            docs.push_back({std::move(d.bytes), std::move(d.minisig), std::move(sig)});
        }
    }
    const ms::PublicKey key = check(field->vault.identity(), "identity").signing_public_key();
    std::vector<double> t_verify, t_raw1, t_raw2;
    std::size_t ok = 0;
    const auto prehash = [](const Doc& d, unsigned char(&h)[crypto_generichash_BYTES_MAX]) {
        crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(d.bytes.data()),
                           d.bytes.size(), nullptr, 0);
    };
    for (int rep = 0; rep < kVerifyReps; ++rep) {  // interleaved passes
        t_verify.push_back(time_s([&] {
            for (const auto& d : docs) {
                ok += check(svidok::forms::verify_record(d.bytes, d.minisig, key), "verify_record")
                          .version > 0;
            }
        }));
        t_raw1.push_back(time_s([&] {
            for (const auto& d : docs) {
                unsigned char h[crypto_generichash_BYTES_MAX];
                prehash(d, h);
                ok += crypto_sign_verify_detached(d.sig.signature.data(), h, sizeof h,
                                                  key.pk.data()) == 0;
            }
        }));
        t_raw2.push_back(time_s([&] {
            std::vector<unsigned char> global;
            for (const auto& d : docs) {
                unsigned char h[crypto_generichash_BYTES_MAX];
                prehash(d, h);
                global.assign(d.sig.signature.begin(), d.sig.signature.end());
                global.insert(global.end(), d.sig.trusted_comment.begin(),
                              d.sig.trusted_comment.end());
                ok += crypto_sign_verify_detached(d.sig.signature.data(), h, sizeof h,
                                                  key.pk.data()) == 0 &&
                      crypto_sign_verify_detached(d.sig.global_signature.data(), global.data(),
                                                  global.size(), key.pk.data()) == 0;
            }
        }));
    }
    if (ok != 3 * kVerifyReps * docs.size()) die("verify", "a document did not verify");

    // --- report ---
    const double content_mib = static_cast<double>(full.content_bytes) / (1u << 20);
    std::size_t doc_bytes = 0;
    for (const auto& d : docs) doc_bytes += d.bytes.size();
    std::printf(
        "%zu records (%zu signed documents, %zu bytes on average), %zu MiB of attachments "
        "in %zu files\n",
        n_records, docs.size(), doc_bytes / docs.size(), mib, n_files);
    std::printf(
        "bundle: content (tar before padding) %llu bytes = %.1f MiB; .age file %llu bytes\n",
        static_cast<unsigned long long>(full.content_bytes), content_mib,
        static_cast<unsigned long long>(full.file_bytes));
    std::printf("import: %llu records, %llu documents, %llu files, all verified\n",
                static_cast<unsigned long long>(imported_records),
                static_cast<unsigned long long>(imported_documents),
                static_cast<unsigned long long>(imported_files));
    std::printf(
        "%d interleaved rounds; medians of wall clock and of CPU time (user + system, all\n"
        "threads, or of the age process); MiB/s of the content (%.1f MiB)\n",
        kRounds, content_mib);
    std::printf("\n| %-50s | %8s | %8s | %7s | %-23s |\n", "operation", "median s", "MiB/s",
                "CPU s", "raw wall s");
    std::printf("| %s | -------: | -------: | ------: | ----------------------- |\n",
                std::string(50, '-').c_str());
    for (const Row* r : {&exp, &imp, &age_bundle, &age_enc, &age_enc_sync, &age_dec, &age_dec_sync})
        print_row(*r, content_mib);
    const double e = median(exp.t), i = median(imp.t);
    std::printf(
        "\nthroughput ratios, Svidok / age (above 1: Svidok is faster); wall clock, and "
        "CPU time in ():\n");
    std::printf("  export / age encrypt          %.2f  (%.2f)\n", median(age_enc.t) / e,
                median(age_enc.cpu) / median(exp.cpu));
    std::printf("  export / age encrypt + fsync  %.2f\n", median(age_enc_sync.t) / e);
    std::printf("  import / age decrypt          %.2f  (%.2f)\n", median(age_dec.t) / i,
                median(age_dec.cpu) / median(imp.cpu));
    std::printf("  import / age decrypt + fsync  %.2f\n", median(age_dec_sync.t) / i);
    std::printf(
        "\nimport of the whole bundle, every document and file verified: %.0f records/s, "
        "%.1f MiB/s\n",
        static_cast<double>(imported_records) / i, content_mib / i);
    if (!small_imp.t.empty()) {
        const double se = median(small_exp.t), si = median(small_imp.t);
        std::printf(
            "records-only bundle (%llu records without files, .age %llu bytes):\n"
            "  export %.3f s (CPU %.3f s) = %.0f records/s; raw s:",
            static_cast<unsigned long long>(small_records),
            static_cast<unsigned long long>(small.file_bytes), se, median(small_exp.cpu),
            static_cast<double>(small_records) / se);
        for (double x : small_exp.t) std::printf(" %.3f", x);
        std::printf("\n  import %.3f s (CPU %.3f s) = %.0f records/s; raw s:", si,
                    median(small_imp.cpu), static_cast<double>(small_records) / si);
        for (double x : small_imp.t) std::printf(" %.3f", x);
        std::printf("\n");
    }
    const double n = static_cast<double>(docs.size());
    const double v = median(t_verify), r1 = median(t_raw1), r2 = median(t_raw2);
    const double vb = *std::ranges::min_element(t_verify), r1b = *std::ranges::min_element(t_raw1),
                 r2b = *std::ranges::min_element(t_raw2);
    std::printf("\nverification of the %zu sealed documents, %d interleaved passes, one thread:\n",
                docs.size(), kVerifyReps);
    std::printf("| %-66s | %13s | %11s | %11s |\n", "what", "docs/s median", "docs/s best",
                "us/doc best");
    std::printf("| %s | ------------: | ----------: | ----------: |\n",
                std::string(66, '-').c_str());
    const auto vrow = [&](const char* what, double med, double best) {
        std::printf("| %-66s | %13.0f | %11.0f | %11.1f |\n", what, n / med, n / best,
                    best / n * 1e6);
    };
    vrow("forms::verify_record (parse, canonical check, minisign)", v, vb);
    vrow("raw: crypto_generichash (BLAKE2b-512) + crypto_sign_verify_detached", r1, r1b);
    vrow("raw: the same + the global signature (2 Ed25519 verifications)", r2, r2b);
    std::printf("\n  verify_record / raw prehash + 1 verify    %.2f median, %.2f best\n", r1 / v,
                r1b / vb);
    std::printf("  verify_record / raw prehash + 2 verifies  %.2f median, %.2f best\n", r2 / v,
                r2b / vb);

    struct rusage ru {};
    ::getrusage(RUSAGE_SELF, &ru);
    std::printf("\npeak resident memory of the benchmark process: %.1f MiB\n",
                static_cast<double>(ru.ru_maxrss) / 1024.0);
    std::printf(
        "\nnote: Svidok fsyncs what it writes (the bundle, the imported files, the receipt) and\n"
        "hashes every byte more than once (export: SHA-256 check of each file read from the\n"
        "vault, BLAKE2b-512 of the .age output; import: BLAKE2b-512 and SHA-256 of the .age\n"
        "input, SHA-256 of each file); it also encrypts the padding. age does none of this.\n"
        "age times include process start-up. sync() ran untimed before each step.\n");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    check(svidok::crypto::init_and_self_test(), "self-test");
    const long mib = argc > 1 ? std::atol(argv[1]) : 1024;
    const long records = argc > 2 ? std::atol(argv[2]) : 1000;
    if (mib < 1 || records < 1) die("arguments", "usage: bench_bundle [MiB >= 1] [records >= 1]");
    const fs::path dir = make_temp_dir("bundle");
    int rc = bench(dir, static_cast<std::size_t>(mib), static_cast<std::size_t>(records));
    fs::remove_all(dir);
    return rc;
}
