// SPDX-License-Identifier: GPL-3.0-or-later
// Crash safety (issue 9): every store operation that writes is SIGKILLed at random moments, on a
// fresh copy of a prepared vault each time, and the vault is then checked through the library:
// it opens (for passwd and rekey with exactly one of the old and new passphrases; for wipe, either
// intact or with nothing left that opens and a second wipe finishing), every record sealed before
// is intact with the same documents, its files verify, the device log verifies, and the state is
// exactly the one before the operation or the one after it: a seal, an import, a receipt, a
// purge happened entirely or not at all. An interrupted export left no `.age` under its final
// name unless it is a complete bundle that imports. Then a few kills of the real svidok-cli.
//
// The operations run in crash_driver (one process per kill, fast Argon2id through the library).
// Seeded: the seed is printed; SVIDOK_CRASH_SEED replays it. SVIDOK_CRASH_KILLS sets the number
// of driver kills (default 230, 23 per operation), SVIDOK_CRASH_OPS=export,import limits them to
// some operations; scripts/crash-soak N runs N.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "crash_common.h"
#include "crypto/encoding.h"
#include "crypto/kdf.h"
#include "forms/registry.h"
#include "process.h"
#include "store/attachments.h"
#include "store/bundles.h"
#include "store/device_log.h"
#include "store/records.h"
#include "store/vault.h"
#include "store/wipe.h"

using namespace svidok;
using namespace svidok::test;
namespace json = forms::json;
namespace crash = svidok::test::crash;
using Clock = std::chrono::steady_clock;

namespace {

constexpr crypto::KdfParams kFastKdf{1, 64u << 10};
constexpr store::VaultPolicy kFastPolicy{.enforce_kdf_floor = false};

crypto::ByteView pw(std::string_view s) {
    return crypto::as_bytes(s);
}

template <class T>
T ok(Result<T> r, std::string_view what) {
    REQUIRE_MESSAGE(r.has_value(), what << ": " << (r ? "" : r.error().message));
    return std::move(*r);
}
void ok(Result<> r, std::string_view what) {
    REQUIRE_MESSAGE(r.has_value(), what << ": " << (r ? "" : r.error().message));
}

/// An open vault with its records, as the CLI holds one. Never moved.
struct Open {
    forms::FormRegistry registry = *forms::load_builtin();
    store::Vault vault;
    store::Records records;
    store::Bundles bundles{records};
    store::Attachments attachments{records};
    explicit Open(store::Vault v)
        : vault(std::move(v)), records(ok(store::Records::open(vault, registry), "records")) {}
    Open(const Open&) = delete;
    Open& operator=(const Open&) = delete;

    json::Value example() {
        json::Value a = registry.find("forced-mobilization")->example();
        for (auto& [key, value] : a.as_object()) {
            if (value.is_object() && value.find("attachments") != nullptr) {
                value.set("attachments", json::Array{});
            }
        }
        return a;
    }
    store::RecordId draft() {
        return ok(records.create_draft(*registry.find("forced-mobilization"), example()), "draft");
    }
    store::RecordId sealed(const fs::path& file = {}) {
        auto id = draft();
        if (!file.empty()) ok(attachments.attach(id, file), "attach");
        ok(records.seal(id), "seal");
        return id;
    }
};

Open open_fast(const fs::path& dir, std::string_view pass = crash::kPassphrase) {
    return Open(ok(store::Vault::open(dir, pw(pass), kFastPolicy), "open " + dir.string()));
}

// --- what a vault holds, for "before or after, nothing in between" ---

struct RecordFacts {
    std::string status;
    std::int64_t versions = 0;
    bool has_draft = false;
    std::size_t documents = 0;
    std::size_t attachments = 0;
    std::size_t attachments_verified = 0;
    bool purged = false;  // its content cannot be read
    friend bool operator==(const RecordFacts&, const RecordFacts&) = default;
};

struct Facts {
    std::map<std::string, RecordFacts> records;
    std::uint64_t log_size = 0;
    std::uint64_t received_documents = 0;
    std::size_t purgeable = 0;
    std::size_t blob_files = 0;
    friend bool operator==(const Facts& a, const Facts& b) {
        return a.records == b.records && a.log_size == b.log_size &&
               a.received_documents == b.received_documents && a.purgeable == b.purgeable &&
               a.blob_files == b.blob_files;
    }
    /// Not compared (timestamps make new documents differ run to run): every record's document
    /// hashes, so the documents sealed before can be checked to be a prefix of those after.
    std::map<std::string, std::vector<std::string>> document_hashes;
};

std::string describe(const Facts& f) {
    std::string s = "log " + std::to_string(f.log_size) + ", received " +
                    std::to_string(f.received_documents) + ", purgeable " +
                    std::to_string(f.purgeable) + ", blob files " + std::to_string(f.blob_files);
    for (const auto& [id, r] : f.records) {
        s += "\n  " + id.substr(0, 8) + " " + r.status + " v" + std::to_string(r.versions) +
             (r.has_draft ? " +draft" : "") + (r.purged ? " purged" : "") + " docs " +
             std::to_string(r.documents) + " files " + std::to_string(r.attachments_verified) +
             "/" + std::to_string(r.attachments);
    }
    return s;
}

/// Reads everything through the library and checks what must always hold: the log verifies.
Facts facts_of(Open& o) {
    Facts f;
    auto report = ok(store::DeviceLog(o.vault).verify(), "log verify");
    CHECK_MESSAGE(report.ok(), "device log: " << (report.ok() ? "" : report.problems.front()));
    f.log_size = report.size;
    for (const auto& info : ok(o.records.list(), "list")) {
        RecordFacts r;
        r.status = std::string(store::record_status_name(info.status));
        r.versions = info.versions;
        r.has_draft = info.has_draft;
        auto docs = ok(o.records.documents(info.id), "documents");
        r.documents = docs.size();
        auto& hashes = f.document_hashes[forms::format_record_id(info.id)];
        for (const auto& d : docs) hashes.push_back(crypto::to_hex(d.sha256));
        // A purged record's content is gone by design (its answers too): marked, not verified.
        auto checks = o.attachments.verify(info.id);
        r.purged = !checks.has_value();
        if (checks) {
            r.attachments = checks->size();
            for (const auto& c : *checks) r.attachments_verified += c.problem ? 0 : 1;
        }
        f.records[forms::format_record_id(info.id)] = r;
    }
    for (const auto& s : ok(o.bundles.senders(), "senders")) f.received_documents += s.documents;
    f.purgeable = ok(o.bundles.purgeable(), "purgeable").size();
    for (const auto& e : fs::directory_iterator(o.vault.dir() / "attachments")) {
        (void)e;
        ++f.blob_files;
    }
    return f;
}

Facts facts_of(const fs::path& dir, std::string_view pass = crash::kPassphrase) {
    Open o = open_fast(dir, pass);
    return facts_of(o);
}

/// The documents of every record in `before` are still there, first, unchanged.
void check_prefix(const Facts& before, const Facts& now) {
    for (const auto& [id, hashes] : before.document_hashes) {
        auto it = now.document_hashes.find(id);
        REQUIRE_MESSAGE(it != now.document_hashes.end(), "record " << id << " is gone");
        REQUIRE(it->second.size() >= hashes.size());
        CHECK_MESSAGE(std::equal(hashes.begin(), hashes.end(), it->second.begin()),
                      "record " << id << " has a changed document");
    }
}

// --- the prepared vaults ---

struct World {
    TempDir tmp;
    fs::path base = tmp / "base";
    fs::path field = base / "field";          // F: records, a draft, B2 exported, R1 imported
    fs::path delivered = base / "delivered";  // F with R2 imported too: purge has work
    fs::path legal = base / "legal";          // L: B1 imported, B2 not yet
    fs::path bundle;                          // B2
    fs::path receipt;                         // R2, for F
    fs::path big = base / "big.bin";          // attached by `attach`
    std::string draft, amend_target;
    std::string fingerprint;  // F's, as the legal team confirmed it

    World() {
        fs::create_directories(base / "src");
        write_file(big, random_bytes(4u << 20, 9));
        write_file(base / "src" / "small.bin", random_bytes(256u << 10, 1));
        write_file(base / "src" / "large.bin", random_bytes(1u << 20, 2));
        ok(store::Vault::create(field, pw(crash::kPassphrase), {kFastKdf, kFastPolicy}),
           "create F");
        ok(store::Vault::create(legal, pw(crash::kPassphrase), {kFastKdf, kFastPolicy}),
           "create L");
        {
            Open f = open_fast(field);
            Open l = open_fast(legal);
            auto lid = ok(l.vault.identity(), "identity");
            fingerprint = ok(f.vault.identity(), "identity").fingerprint();  // the sender's
            ok(f.bundles.add_recipient("legal",
                                       crypto::X25519Recipient{lid.x25519_pk()}.to_string(),
                                       lid.signing_public_key().to_base64()),
               "recipient");
            const std::vector<std::string> seal{"legal"};
            ok(f.bundles.set_seal_recipients(seal), "seal recipients");
            const auto r1 = f.sealed();
            const auto r2 = f.sealed(base / "src" / "small.bin");
            amend_target = forms::format_record_id(r2);
            auto b1 = export_all(f, base / "out1", store::Bundles::Selection::undelivered);
            auto im1 = import(l, b1, base / "rc1");
            ok(f.bundles.import_receipt(im1), "receipt R1");
            f.sealed(base / "src" / "large.bin");
            json::Value a = ok(f.records.answers(r1), "answers");
            json::Value g = *a.find("reliability");
            g.set("credibility_notes", json::Value("a second version before the crash tests"));
            a.set("reliability", std::move(g));
            ok(f.records.amend(r1, a), "amend");
            draft = forms::format_record_id(f.draft());
            bundle = export_all(f, base / "out2", store::Bundles::Selection::undelivered);
        }
        fs::copy(legal, base / "legal-after", fs::copy_options::recursive);
        {
            Open l2 = open_fast(base / "legal-after");
            receipt = import(l2, bundle, base / "rc2");
        }
        fs::remove_all(base / "legal-after");
        fs::copy(field, delivered, fs::copy_options::recursive);
        {
            Open d = open_fast(delivered);
            ok(d.bundles.import_receipt(receipt), "receipt R2");
        }
    }

    static fs::path export_all(Open& o, const fs::path& out, store::Bundles::Selection s) {
        fs::create_directories(out);
        store::Bundles::ExportOptions opt;
        opt.to = {"legal"};
        opt.out_dir = out;
        opt.selection = s;
        return ok(o.bundles.export_bundle(opt), "export").file;
    }
    fs::path import(Open& o, const fs::path& file, const fs::path& receipt_dir) {
        fs::create_directories(receipt_dir);
        store::Bundles::ImportOptions opt;
        opt.trust_fingerprint = fingerprint;
        opt.receipt_dir = receipt_dir;
        auto r = ok(o.bundles.import_bundle(file, opt), "import");
        REQUIRE(!r.receipt.empty());
        return r.receipt;
    }
};

// --- one operation, killed many times ---

enum class Landed { before, during, after };

Landed landed(const std::string& out) {
    if (out.find(crash::kDone) != std::string::npos) return Landed::after;
    if (out.find(crash::kStarted) != std::string::npos) return Landed::during;
    return Landed::before;
}

struct Tally {
    int kills = 0;
    int landed[3] = {0, 0, 0};
    int unchanged = 0, completed = 0;
    double seconds = 0;
    std::chrono::microseconds duration{};
};

/// A kind of operation: which prepared vault, the driver's arguments, and what to check.
struct Op {
    std::string name;
    fs::path source;  // the prepared vault copied for each run
    /// The driver's arguments after the vault, for a run in `run_dir` (which holds `vault`).
    std::function<std::vector<std::string>(const fs::path& run_dir)> args;
};

std::vector<std::string> driver_argv(const Op& op, const fs::path& run_dir) {
    std::vector<std::string> argv{SVIDOK_CRASH_DRIVER_PATH, op.name, (run_dir / "vault").string()};
    for (auto& a : op.args(run_dir)) argv.push_back(std::move(a));
    return argv;
}

void prepare_run(const Op& op, const fs::path& run_dir) {
    std::error_code ec;
    fs::remove_all(run_dir, ec);
    fs::create_directories(run_dir / "out");
    fs::create_directories(run_dir / "receipts");
    fs::copy(op.source, run_dir / "vault", fs::copy_options::recursive);
}

bool is_bundle_name(const std::string& name) {
    // docs/FORMAT.md 12.1: ^[0-9a-f]{32}\.age$
    if (name.size() != 36 || !name.ends_with(".age")) return false;
    return std::all_of(name.begin(), name.begin() + 32,
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

struct Checker {
    World& w;
    Facts before;
    Facts after;  // from a run left to finish

    /// Checks one killed (or finished) run; returns true when the operation took effect.
    bool check(const Op& op, const fs::path& run_dir) {
        const fs::path vault = run_dir / "vault";
        if (op.name == "passwd" || op.name == "rekey") {
            const bool old_opens =
                store::Vault::open(vault, pw(crash::kPassphrase), kFastPolicy).has_value();
            const bool new_opens =
                store::Vault::open(vault, pw(crash::kNewPassphrase), kFastPolicy).has_value();
            REQUIRE_MESSAGE(old_opens != new_opens,
                            "old opens: " << old_opens << ", new opens: " << new_opens);
            const Facts now =
                facts_of(vault, new_opens ? crash::kNewPassphrase : crash::kPassphrase);
            CHECK_MESSAGE(now == before, describe(now));
            check_prefix(before, now);
            // An interrupted re-key was finished or undone by the unlock (FORMAT.md 2.2).
            CHECK_FALSE(fs::exists(vault / "vault.db.next"));
            CHECK_FALSE(fs::exists(vault / "vault.alt.db.next"));
            CHECK_FALSE(fs::exists(vault / "vault.keys.tmp"));
            return new_opens;
        }
        if (op.name == "wipe") {
            auto opened = store::Vault::open(vault, pw(crash::kPassphrase), kFastPolicy);
            if (opened) {
                Open o(std::move(*opened));
                const Facts now = facts_of(o);
                CHECK_MESSAGE(now == before, describe(now));
                check_prefix(before, now);
                return false;
            }
            // The keys are gone: nothing opens, and wiping again finishes the job.
            CHECK_FALSE(
                store::Vault::open(vault, pw(crash::kNewPassphrase), kFastPolicy).has_value());
            auto again = store::wipe_vault(vault);
            const bool finished = again.has_value() || again.error().code == Errc::not_found;
            CHECK_MESSAGE(finished, (again ? "" : again.error().message));
            CHECK_FALSE(store::holds_vault(vault));
            CHECK_FALSE(fs::exists(vault / "vault.keys"));
            CHECK_FALSE(fs::exists(vault / "vault.db"));
            return true;
        }
        const Facts now = facts_of(vault);
        check_prefix(before, now);
        bool took_effect = false;
        if (now == before) {
            took_effect = false;
        } else {
            CHECK_MESSAGE(now == after, "neither the state before nor after "
                                            << op.name << ":\n"
                                            << describe(now) << "\nbefore:\n"
                                            << describe(before) << "\nafter:\n"
                                            << describe(after));
            took_effect = true;
        }
        if (op.name == "export") took_effect = check_export_dir(run_dir / "out");
        if (op.name == "import" && !took_effect) {
            for (const auto& e : fs::directory_iterator(run_dir / "receipts")) {
                CHECK_MESSAGE(e.path().extension() == ".tmp",
                              "a receipt of an import that did not happen: " << e.path());
            }
        }
        return took_effect;
    }

    /// Nothing under a bundle's final name unless it is complete: its .minisig beside it, and it
    /// imports into a copy of the legal vault. Temporary names may stay.
    bool check_export_dir(const fs::path& out) {
        bool complete = false;
        for (const auto& e : fs::directory_iterator(out)) {
            const std::string name = e.path().filename().string();
            if (!is_bundle_name(name)) continue;
            fs::path sig = e.path();
            sig += ".minisig";
            REQUIRE_MESSAGE(fs::exists(sig), "an exported bundle without its signature: " << name);
            const fs::path legal_copy = out.parent_path() / "legal-check";
            fs::copy(w.legal, legal_copy, fs::copy_options::recursive);
            {
                Open l = open_fast(legal_copy);
                (void)w.import(l, e.path(), out.parent_path() / "receipts");
            }
            complete = true;
        }
        return complete;
    }
};

void kill_runs(World& w, const Op& op, int kills, std::mt19937_64& rng, Tally& t) {
    const auto started = Clock::now();
    const fs::path run_dir = w.tmp / ("run-" + op.name);
    Checker checker{w, facts_of(op.source, crash::kPassphrase), {}};

    // A run left to finish: how long the operation takes once the vault is open, and the state
    // after it.
    const fs::path markers = run_dir.parent_path() / (op.name + ".markers");
    // The driver's exit (sanitizer leak check included) is not part of the operation.
    const std::vector<std::string> env{"SVIDOK_CRASH_MARKERS=" + markers.string(),
                                       "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1"};
    const auto wait_for = [&](Process& p, std::string_view marker) {
        // Until the driver wrote the marker, or has ended (then waitpid reaps it).
        for (int i = 0; i < 50000 && !fs::exists(markers / marker); ++i) {
            if (::kill(p.pid(), 0) != 0) break;
            std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
    };
    const auto reset_markers = [&] {
        std::error_code ec;
        fs::remove_all(markers, ec);
        fs::create_directories(markers);
    };
    prepare_run(op, run_dir);
    reset_markers();
    {
        // With leak checking, as any test run.
        Process p(driver_argv(op, run_dir), {"SVIDOK_CRASH_MARKERS=" + markers.string()}, run_dir);
        wait_for(p, crash::kStarted);
        const auto t0 = Clock::now();
        wait_for(p, crash::kDone);
        t.duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
        auto full = p.wait();
        REQUIRE_MESSAGE(full.exit_code == 0,
                        op.name << ": signal " << full.signal << ", " << full.out << full.err);
        REQUIRE(landed(full.out) == Landed::after);
    }
    if (op.name != "passwd" && op.name != "rekey" && op.name != "wipe") {
        checker.after = facts_of(run_dir / "vault");
        const bool changed = !(checker.after == checker.before) || op.name == "export";
        REQUIRE_MESSAGE(changed, op.name << " changed nothing when left to finish");
    }
    CHECK(checker.check(op, run_dir));

    // Most kills at a random moment of the operation itself (from its start to a little after
    // its end); one in eight at a random moment from the start of the process, through opening
    // the vault.
    std::uniform_int_distribution<std::int64_t> delay(0, t.duration.count() * 21 / 20);
    std::uniform_int_distribution<int> from_spawn(0, 7);
    for (int i = 0; i < kills; ++i) {
        prepare_run(op, run_dir);
        reset_markers();
        const bool early = from_spawn(rng) == 0;
        const auto us = delay(rng);
        Process p(driver_argv(op, run_dir), env, run_dir);
        if (!early) wait_for(p, crash::kStarted);
        std::this_thread::sleep_for(std::chrono::microseconds(us));
        p.kill(SIGKILL);
        auto r = p.wait();
        const Landed where = r.signal == SIGKILL ? landed(r.out) : Landed::after;
        const bool killed_or_ok = r.signal == SIGKILL || r.exit_code == 0;
        REQUIRE_MESSAGE(killed_or_ok, op.name << ": " << r.err);
        const std::string from = early ? "the process start" : "the operation start";
        INFO(op.name << " kill " << i << ", " << us << " us after " << from);
        const bool took_effect = checker.check(op, run_dir);
        if (where == Landed::before) CHECK_FALSE(took_effect);
        if (where == Landed::after) CHECK(took_effect);
        ++t.kills;
        ++t.landed[static_cast<int>(where)];
        ++(took_effect ? t.completed : t.unchanged);
    }
    std::error_code ec;
    fs::remove_all(run_dir, ec);
    t.seconds = std::chrono::duration<double>(Clock::now() - started).count();
}

std::uint64_t seed_from_env() {
    if (const char* s = std::getenv("SVIDOK_CRASH_SEED"); s != nullptr && *s != '\0') {
        return std::strtoull(s, nullptr, 10);
    }
    return std::random_device{}() * 4294967296ull + std::random_device{}();
}

int kills_from_env(int fallback) {
    if (const char* s = std::getenv("SVIDOK_CRASH_KILLS"); s != nullptr && *s != '\0') {
        return std::max(1, std::atoi(s));
    }
    return fallback;
}

void report(const std::string& name, const Tally& t) {
    MESSAGE(name << ": " << t.kills << " kills (" << t.landed[0] << " before the operation, "
                 << t.landed[1] << " during, " << t.landed[2] << " after); " << t.unchanged
                 << " left it undone, " << t.completed << " done; one run takes "
                 << t.duration.count() / 1000 << " ms; " << t.seconds << " s in all");
}

}  // namespace

TEST_CASE("every writing operation survives SIGKILL at random moments") {
    const std::uint64_t seed = seed_from_env();
    MESSAGE("SVIDOK_CRASH_SEED=" << seed);
    std::mt19937_64 rng(seed);
    World w;
    const auto vault_arg = [](std::vector<std::string> a) {
        return [a](const fs::path&) { return a; };
    };
    const std::vector<Op> ops{
        {"seal", w.field, vault_arg({w.draft})},
        {"amend", w.field, vault_arg({w.amend_target, "notes changed by the crash driver"})},
        {"attach", w.field, vault_arg({w.draft, w.big.string()})},
        {"export", w.field,
         [](const fs::path& d) {
             return std::vector<std::string>{(d / "out").string(), "legal"};
         }},
        {"import", w.legal,
         [&w](const fs::path& d) {
             return std::vector<std::string>{w.bundle.string(), w.fingerprint,
                                             (d / "receipts").string()};
         }},
        {"receipt", w.field, vault_arg({w.receipt.string()})},
        {"purge", w.delivered, vault_arg({})},
        {"passwd", w.field, vault_arg({})},
        {"rekey", w.field, vault_arg({})},
        {"wipe", w.field, vault_arg({})},
    };
    const int total = kills_from_env(230);
    const int per_op = (total + static_cast<int>(ops.size()) - 1) / static_cast<int>(ops.size());
    Tally all;
    const char* only = std::getenv("SVIDOK_CRASH_OPS");  // e.g. "export,import"; unset: all
    for (const auto& op : ops) {
        if (only != nullptr && *only != '\0' &&
            ("," + std::string(only) + ",").find("," + op.name + ",") == std::string::npos) {
            continue;
        }
        {
            Tally t;
            INFO("operation " << op.name << ", SVIDOK_CRASH_SEED=" << seed);
            kill_runs(w, op, per_op, rng, t);
            report(op.name, t);
            all.kills += t.kills;
            for (int i = 0; i < 3; ++i) all.landed[i] += t.landed[i];
            all.unchanged += t.unchanged;
            all.completed += t.completed;
            all.seconds += t.seconds;
        }
    }
    report("all operations", all);
    CHECK(all.kills >= (only != nullptr && *only != '\0' ? per_op : total));
}

TEST_CASE("the real svidok-cli killed during attach and seal leaves a vault that opens") {
    // The shipped binary refuses fast parameters, so this vault has the floor's and every run
    // and check costs a real key derivation: a few kills only, to show the CLI path is covered.
    const std::uint64_t seed = seed_from_env() ^ 0xc11u;
    std::mt19937_64 rng(seed);
    TempDir tmp;
    const fs::path base = tmp / "base";
    ok(store::Vault::create(base, pw(crash::kPassphrase), {crypto::kKdfFloor, {}}), "create");
    write_file(tmp / "pass", crash::kPassphrase);
    write_file(tmp / "big.bin", random_bytes(4u << 20, 5));
    write_file(tmp / "small.bin", random_bytes(64u << 10, 6));
    std::string draft;
    {
        Open o(ok(store::Vault::open(base, pw(crash::kPassphrase)), "open"));
        ok(o.bundles.add_recipient(
               "legal", crypto::X25519Identity::generate().recipient().to_string(), std::nullopt),
           "recipient");
        const std::vector<std::string> seal{"legal"};
        ok(o.bundles.set_seal_recipients(seal), "seal recipients");
        o.sealed(tmp / "small.bin");
        draft = forms::format_record_id(o.draft());
    }
    const Facts before = facts_of(base);
    const fs::path run = tmp / "run";
    const auto argv = [&](std::vector<std::string> command) {
        std::vector<std::string> a{SVIDOK_CLI_PATH, "--vault", run.string(), "--passphrase-file",
                                   (tmp / "pass").string()};
        a.insert(a.end(), command.begin(), command.end());
        return a;
    };
    const std::vector<std::string> env{"SVIDOK_PASSPHRASE_FILE=", "SVIDOK_VAULT="};
    struct Command {
        std::string name;
        std::vector<std::string> args;
        int kills;
    };
    const std::vector<Command> commands{
        {"attach", {"attach", draft, (tmp / "big.bin").string()}, 3},
        {"seal", {"record", "seal", draft}, 2},
    };
    int kills = 0, changed = 0;
    for (const auto& [name, command, count] : commands) {
        INFO("svidok-cli " << name << ", SVIDOK_CRASH_SEED=" << seed);
        std::error_code ec;
        fs::remove_all(run, ec);
        fs::copy(base, run, fs::copy_options::recursive);
        const auto t0 = Clock::now();
        auto full = run_process(argv(command), env, tmp.path());
        const auto duration =
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
        REQUIRE_MESSAGE(full.exit_code == 0, full.err);
        const Facts after = facts_of(run);
        REQUIRE_FALSE(after == before);
        std::uniform_int_distribution<std::int64_t> delay(duration.count() / 4,
                                                          duration.count() * 11 / 10);
        for (int i = 0; i < count; ++i) {
            fs::remove_all(run, ec);
            fs::copy(base, run, fs::copy_options::recursive);
            const auto us = delay(rng);
            Process p(argv(command), env, tmp.path());
            std::this_thread::sleep_for(std::chrono::microseconds(us));
            p.kill(SIGKILL);
            (void)p.wait();
            INFO("kill " << i << ", " << us << " us after the start; a full run takes "
                         << duration.count() << " us");
            const Facts now = facts_of(run);
            check_prefix(before, now);
            const bool same = now == before || now == after;
            CHECK_MESSAGE(same, describe(now));
            ++kills;
            changed += now == after ? 1 : 0;
        }
        MESSAGE("svidok-cli " << name << ": " << count << " kills over " << duration.count() / 1000
                              << " ms runs; " << changed << " done so far");
    }
    CHECK(kills == 5);
}
