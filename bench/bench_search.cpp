// SPDX-License-Identifier: GPL-3.0-or-later
// The record list at scale: N records (default 100,000) created through store::Records (drafts,
// sealed, amended and withdrawn records, narratives in Ukrainian, Russian and English), then
// RecordIndex::query latency, median and p95 over 50 runs each: the full list, its first page,
// prefix searches in each language, and filters alone and together. The reference is plain
// (unencrypted) SQLite FTS4 holding the same narratives, asked the same MATCH expressions. Also
// measured at that size: saving a draft and sealing it (the list is updated in their
// transaction), the FTS optimize a purge runs, and building the whole list from scratch as
// opening a vault of schema 4 does.
//
//   cmake --build build/release --target bench_search && build/release/bench_search [records] [dir]
//
// With DIR, the vault and the reference database are kept there, and a later run with the same
// DIR reuses them instead of creating the records again (the list itself is always rebuilt).
//
// Records are created through the library, with one relaxation only a benchmark makes: while
// it fills the vault, the database runs with synchronous = OFF and an in-memory journal (through
// the store's private header), so that N durable commits do not take the hour they would. Every
// measurement after that runs with the vault's own settings (synchronous = FULL).

#include <sys/resource.h>
#include <time.h>

#define SQLITE_HAS_CODEC 1  // the project links SQLCipher; without a key it is plain SQLite
#include <sqlite3.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench_support.h"
#include "crypto/encoding.h"
#include "crypto/runtime.h"
#include "forms/json.h"
#include "forms/registry.h"
#include "store/record_index.h"
#include "store/records.h"
#include "store/vault.h"
#include "vault_layer.h"

namespace {

namespace fs = std::filesystem;
namespace json = svidok::forms::json;
namespace store = svidok::store;
using bench_support::check;
using bench_support::die;
using fs::path;

constexpr int kRuns = 50;
constexpr std::string_view kPassphrase = "benchmark passphrase 1";

double ms_of(double seconds) {
    return seconds * 1000.0;
}

// Nearest-rank percentile.
double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::max<std::size_t>(i, 1) - 1];
}

/// `text` padded with spaces to `width` characters (printf counts bytes, not Cyrillic letters).
std::string padded(std::string text, std::size_t width) {
    std::size_t chars = 0;
    for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    if (chars < width) text.append(width - chars, ' ');
    return text;
}

/// Wall-clock and CPU milliseconds of repeated runs. The machine is shared: CPU time shows the
/// cost without the waits for another process.
struct Times {
    std::vector<double> wall, cpu;
};

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

template <class F>
void measure(Times& t, F&& f) {
    const double cpu0 = thread_cpu_ms();
    t.wall.push_back(ms_of(bench_support::time_s(f)));
    t.cpu.push_back(thread_cpu_ms() - cpu0);
}

template <class F>
Times repeat(F&& f) {
    Times t;
    for (int i = 0; i < kRuns; ++i) measure(t, f);
    return t;
}

void header(const char* what) {
    std::printf("| %s | %8s | %8s | %8s | %7s |\n", padded(what, 58).c_str(), "median", "p95",
                "CPU med.", "rows");
    std::printf("| %s | -------: | -------: | -------: | ------: |\n",
                std::string(58, '-').c_str());
}

void row(const std::string& what, const Times& t, std::size_t results) {
    std::printf("| %s | %8.2f | %8.2f | %8.2f | %7zu |\n", padded(what, 58).c_str(),
                percentile(t.wall, 0.5), percentile(t.wall, 0.95), percentile(t.cpu, 0.5), results);
}

/// User + system CPU seconds of this process so far.
double cpu_s() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto s = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

// --- narratives ---------------------------------------------------------------------------

enum class Lang { uk, ru, en };

/// Made-up words from syllables, so that the index holds a realistic number of distinct terms
/// (tens of thousands) besides the words the queries look for.
std::vector<std::string> made_up_words(const std::vector<std::string>& syllables, std::size_t n,
                                       std::mt19937& rng) {
    std::vector<std::string> out;
    std::uniform_int_distribution<std::size_t> pick(0, syllables.size() - 1);
    std::uniform_int_distribution<int> length(2, 4);
    for (std::size_t i = 0; i < n; ++i) {
        std::string w;
        for (int k = length(rng); k > 0; --k) w += syllables[pick(rng)];
        out.push_back(std::move(w));
    }
    return out;
}

struct Corpus {
    std::array<std::vector<std::string>, 3> vocabulary;  // by Lang
    // Words searched for, with the share of the language's narratives that hold one of them.
    struct Topic {
        Lang lang;
        std::vector<std::string> forms;
        double share;
    };
    std::vector<Topic> topics;
    std::string rare = "квазіунікальне";  // in one narrative of a thousand

    explicit Corpus(std::mt19937& rng) {
        vocabulary[0] = made_up_words(
            {"ба", "ва", "го", "ді", "же", "за", "ко", "ли", "ни", "пі", "ро", "са", "ті",
             "ку", "чи", "ше", "ю",  "ря", "ль", "ст", "пр", "ці", "хо", "ґа", "єв", "їж"},
            20000, rng);
        vocabulary[1] = made_up_words(
            {"ба", "ва", "го", "ды", "же", "за", "ко", "ли", "ны", "пе", "ро", "са", "ты",
             "ку", "чи", "ше", "ю",  "ря", "ль", "ст", "пр", "цэ", "хо", "ёж", "щи", "ъе"},
            20000, rng);
        vocabulary[2] = made_up_words(
            {"ba", "ter", "ing", "con", "ver", "sa", "lo", "mi", "pre", "tion", "ar", "en", "st",
             "ou", "ph",  "ly",  "gu",  "ck",  "wa", "de", "ri", "ol",  "un",   "ex", "th", "qu"},
            20000, rng);
        topics = {
            {Lang::uk, {"мобілізація", "мобілізували", "мобілізованих"}, 0.30},
            {Lang::uk, {"повістку", "повістки", "повісткою"}, 0.40},
            {Lang::uk, {"військкомат", "військкомату"}, 0.25},
            {Lang::ru, {"мобилизация", "мобилизовали", "мобилизованных"}, 0.30},
            {Lang::ru, {"повестку", "повестки"}, 0.40},
            {Lang::ru, {"военкомат", "военкомата", "ёлка"}, 0.25},
            {Lang::en, {"mobilization", "mobilized"}, 0.30},
            {Lang::en, {"conscription", "conscripted"}, 0.25},
            {Lang::en, {"summons", "summoned"}, 0.40},
        };
    }

    /// A narrative of 60-100 words: made-up words (skewed, so some are common) and the topic
    /// words of its language, each with its share; the first letter upper case.
    std::string narrative(Lang lang, std::mt19937& rng) const {
        std::uniform_real_distribution<double> u(0.0, 1.0);
        std::uniform_int_distribution<int> words(60, 100);
        const auto& vocab = vocabulary[static_cast<std::size_t>(lang)];
        std::vector<std::string> out;
        for (int k = words(rng); k > 0; --k) {
            const auto i =
                static_cast<std::size_t>(std::pow(u(rng), 2.5) * static_cast<double>(vocab.size()));
            out.push_back(vocab[std::min(i, vocab.size() - 1)]);
        }
        for (const auto& t : topics) {
            if (t.lang != lang || u(rng) >= t.share) continue;
            std::uniform_int_distribution<std::size_t> form(0, t.forms.size() - 1);
            std::uniform_int_distribution<std::size_t> at(0, out.size());
            out.insert(out.begin() + static_cast<std::ptrdiff_t>(at(rng)), t.forms[form(rng)]);
        }
        if (lang == Lang::uk && u(rng) < 0.001) out.push_back(rare);
        std::string text;
        for (std::size_t i = 0; i < out.size(); ++i) {
            text += i == 0 ? "" : (i % 12 == 0 ? ". " : " ");
            text += out[i];
        }
        text += '.';
        return text;
    }
};

// --- the vault ----------------------------------------------------------------------------

constexpr std::array<const char*, 8> kOblasts = {
    "donetska", "luhanska", "kharkivska", "khersonska", "zaporizka", "crimea", "kyivska", "sumska"};
constexpr std::array<const char*, 6> kPseudonyms = {"Ластівка", "Чайка", "Сова",
                                                    "Лелека",   "Сокіл", "Орел"};

json::Value incident_date(std::mt19937& rng) {
    std::uniform_int_distribution<int> year(2022, 2025), month(1, 12), day(1, 28), kind(0, 3);
    char d[11], m[8], y[5];
    std::snprintf(y, sizeof y, "%04d", year(rng));
    std::snprintf(m, sizeof m, "%s-%02d", y, month(rng));
    std::snprintf(d, sizeof d, "%s-%02d", m, day(rng));
    switch (kind(rng)) {
        case 0:
            return json::Object{{"precision", "day"}, {"value", d}, {"approximate", false}};
        case 1:
            return json::Object{{"precision", "month"}, {"value", m}, {"approximate", true}};
        case 2:
            return json::Object{{"precision", "year"}, {"value", y}, {"approximate", true}};
        default:
            return json::Object{
                {"precision", "range"}, {"from", m}, {"to", y}, {"approximate", true}};
    }
}

void set_member(json::Value& answers, std::string_view group, std::string_view field,
                json::Value value) {
    json::Value g = *answers.find(group);
    g.set(field, std::move(value));
    answers.set(group, std::move(g));
}

/// The form's example with no files, no narrative besides the generated ones, and the list's
/// values chosen at random.
json::Value answers_for(const json::Value& base, const std::string& narrative,
                        const std::string& notes, std::mt19937& rng) {
    json::Value a = base;
    std::uniform_int_distribution<std::size_t> oblast(0, kOblasts.size() - 1);
    std::uniform_int_distribution<std::size_t> pseudonym(0, kPseudonyms.size() - 1);
    set_member(a, "incident", "narrative", narrative);
    set_member(a, "incident", "incident_date", incident_date(rng));
    set_member(a, "incident", "incident_place",
               json::Object{
                   {"oblast", json::Object{{"value", kOblasts[oblast(rng)]}, {"other", nullptr}}}});
    set_member(a, "witness", "pseudonym", kPseudonyms[pseudonym(rng)]);
    set_member(a, "reliability", "credibility_notes", notes);
    return a;
}

/// The example answers with every long_text but the two the benchmark fills emptied, and no
/// file references.
json::Value base_answers(const svidok::forms::FormDefinition& form) {
    json::Value a = form.example();
    set_member(a, "evidence", "attachments", json::Array{});
    for (auto [group, field] : {std::pair{"consent", "consent_conditions"},
                                {"witness", "protection_notes"},
                                {"incident", "perpetrator_details"},
                                {"incident", "consequence_details"},
                                {"evidence", "evidence_description"},
                                {"reliability", "unverified"},
                                {"legal", "legal_notes"}}) {
        set_member(a, group, field, nullptr);
    }
    json::Value victims = *a.find("victims");
    for (auto& v : victims.as_array()) v.set("victim_notes", nullptr);
    a.set("victims", std::move(victims));
    return a;
}

// --- the reference: plain SQLite FTS4 -----------------------------------------------------

struct Plain {
    sqlite3* db = nullptr;
    explicit Plain(const path& file) {
        if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) die("sqlite3_open", sqlite3_errmsg(db));
        exec(
            "PRAGMA page_size = 4096; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;"
            "CREATE VIRTUAL TABLE IF NOT EXISTS t USING fts4 (body, tokenize=unicode61);");
    }
    ~Plain() { sqlite3_close(db); }
    Plain(const Plain&) = delete;
    Plain& operator=(const Plain&) = delete;
    void exec(const char* sql) const {
        char* msg = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) die(sql, msg);
    }
    void fill(const std::vector<std::string>& texts) const {
        exec("BEGIN");
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO t (docid, body) VALUES (?, ?)", -1, &st, nullptr);
        for (std::size_t i = 0; i < texts.size(); ++i) {
            sqlite3_bind_int64(st, 1, static_cast<sqlite3_int64>(i + 1));
            sqlite3_bind_text(st, 2, texts[i].data(), static_cast<int>(texts[i].size()),
                              SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) die("plain insert", sqlite3_errmsg(db));
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        exec("COMMIT");
    }
    /// The docids matching, newest first, as the list orders its rows.
    std::vector<std::int64_t> match(const std::string& expr) const {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "SELECT docid FROM t WHERE t MATCH ? ORDER BY docid DESC", -1, &st,
                           nullptr);
        sqlite3_bind_text(st, 1, expr.data(), static_cast<int>(expr.size()), SQLITE_STATIC);
        std::vector<std::int64_t> out;
        while (sqlite3_step(st) == SQLITE_ROW) out.push_back(sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
        return out;
    }
};

// --- the run ------------------------------------------------------------------------------

struct Query {
    const char* what;
    store::RecordFilter filter;
    const char* reference;  // the MATCH expression for plain FTS4, or nullptr
};

/// What filling the vault took.
struct Filled {
    double wall_s = 0, cpu_s = 0, plain_s = 0;
};

/// Creates the vault in `dir` with `n` records through Records, and the plain FTS4 reference
/// `plain_file` with the same texts: 50 % drafts, 40 % sealed, 7 % amended, 3 % withdrawn; 50 %
/// of narratives in Ukrainian, 30 % Russian, 20 % English.
Filled fill(const path& dir, const path& plain_file, std::size_t n) {
    auto created = check(
        store::Vault::create(dir, svidok::crypto::as_bytes(kPassphrase),
                             store::CreateOptions{svidok::crypto::KdfParams{1, 64u << 10},
                                                  store::VaultPolicy{.enforce_kdf_floor = false}}),
        "vault create");
    store::Vault& vault = created.vault;
    auto registry = check(svidok::forms::load_builtin(), "load_builtin");
    auto records = check(store::Records::open(vault, registry), "open");
    bench_support::seal_to_legal_team(records);
    const auto* form = registry.find("forced-mobilization");
    if (form == nullptr) die("forms", "forced-mobilization is not built in");
    const json::Value base = base_answers(*form);

    std::mt19937 rng(20261122);
    const Corpus corpus(rng);
    std::vector<std::string> texts;
    texts.reserve(n);
    check(store::detail::database(vault).exec(
              "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY;"
              "PRAGMA cache_size = -262144;"),
          "pragma");
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Filled out;
    const double cpu0 = cpu_s();
    out.wall_s = bench_support::time_s([&] {
        for (std::size_t i = 0; i < n; ++i) {
            if (i > 0 && i % 10000 == 0) std::fprintf(stderr, "  %zu records\n", i);
            const double l = u(rng);
            const Lang lang = l < 0.5 ? Lang::uk : l < 0.8 ? Lang::ru : Lang::en;
            std::string narrative = corpus.narrative(lang, rng);
            std::string notes = corpus.narrative(lang, rng);
            notes.resize(std::min(notes.size(), notes.find(' ', 100)));  // a dozen words
            texts.push_back(narrative + "\n" + notes);
            auto id = check(records.create_draft(*form, answers_for(base, narrative, notes, rng)),
                            "create_draft");
            const double s = u(rng);
            if (s < 0.5) continue;
            check(records.seal(id), "seal");
            if (s >= 0.9) {
                check(records.amend(id, answers_for(base, narrative, notes, rng)), "amend");
            }
            if (s >= 0.97) check(records.withdraw_consent(id), "withdraw");
        }
    });
    out.cpu_s = cpu_s() - cpu0;
    check(store::detail::database(vault).exec(
              "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"),
          "pragma");
    const Plain plain(plain_file);
    out.plain_s = bench_support::time_s([&] { plain.fill(texts); });
    return out;
}

store::Vault open_vault(const path& dir) {
    return check(store::Vault::open(dir, svidok::crypto::as_bytes(kPassphrase),
                                    store::VaultPolicy{.enforce_kdf_floor = false}),
                 "open");
}

int run(const path& dir, std::size_t n) {
    const path vault_dir = dir / "vault";
    const path plain_file = dir / "plain.db";
    if (!fs::exists(vault_dir / "vault.keys") || !fs::exists(plain_file)) {
        fs::remove_all(vault_dir);
        fs::remove(plain_file);
        const Filled f = fill(vault_dir, plain_file, n);
        std::printf(
            "%zu records created through Records in %.1f s, %.1f s CPU (%.2f ms CPU each);"
            " plain FTS4 reference filled in %.1f s\n",
            n, f.wall_s, f.cpu_s, ms_of(f.cpu_s) / static_cast<double>(n), f.plain_s);
    }

    // 1. The list built from scratch, as opening a vault of schema 4 does (the vault as schema 4
    // had it: the same tables without the list).
    std::optional<store::Vault> vault(open_vault(vault_dir));
    check(store::detail::database(*vault).exec(
              "DROP TABLE IF EXISTS seal_recipients;"
              "DROP TABLE IF EXISTS record_text; DROP TABLE IF EXISTS record_list;"
              "PRAGMA user_version = 4;"),
          "downgrade");
    vault.reset();
    const double migrate_cpu0 = cpu_s();
    const double migrate_s = bench_support::time_s([&] { vault.emplace(open_vault(vault_dir)); });
    const double migrate_cpu = cpu_s() - migrate_cpu0;

    auto registry = check(svidok::forms::load_builtin(), "load_builtin");
    auto records = check(store::Records::open(*vault, registry), "open");
    // The version 4 vault had no seal recipients; its legal-team recipient is still there.
    check(store::Bundles(records).set_seal_recipients(std::vector<std::string>{"legal-team"}),
          "set_seal_recipients");
    auto index = check(store::RecordIndex::open(*vault), "RecordIndex::open");
    const std::size_t listed = check(index.count(), "count");
    const auto drafts =
        check(index.query({.status = store::ListStatus::draft, .limit = 20}), "drafts");
    std::printf(
        "%zu records listed (%zu drafts); vault.db %.0f MiB, plain FTS4 reference %.0f"
        " MiB\n\n",
        listed, check(index.count({.status = store::ListStatus::draft}), "count"),
        static_cast<double>(fs::file_size(vault_dir / "vault.db")) / (1 << 20),
        static_cast<double>(fs::file_size(plain_file)) / (1 << 20));
    const Plain plain(plain_file);

    // 2. Queries.
    const std::vector<Query> queries = {
        {"full list (every row)", {}, nullptr},
        {"first page (limit 200)", {.limit = 200}, nullptr},
        {"uk prefix \"мобіл\"", {.text = "мобіл"}, "\"мобіл*\""},
        {"uk prefix, upper case \"МОБІЛІЗ\"", {.text = "МОБІЛІЗ"}, "\"мобіліз*\""},
        {"ru prefix \"мобилиз\"", {.text = "мобилиз"}, "\"мобилиз*\""},
        {"ru \"елка\" (finds ёлка)", {.text = "елка"}, "\"ёлка*\""},
        {"en prefix \"conscr\"", {.text = "conscr"}, "\"conscr*\""},
        {"two words \"мобіл повістк\"", {.text = "мобіл повістк"}, "\"мобіл*\" \"повістк*\""},
        {"one letter \"м\"", {.text = "м"}, "\"м*\""},
        {"rare word \"квазіунікальн\"", {.text = "квазіунікальн"}, "\"квазіунікальн*\""},
        {"oblast + date range (no text)",
         {.date_from = "2024-01-01", .date_to = "2024-06-30", .oblast = "donetska"},
         nullptr},
        {"sealed + oblast + dates + \"повістк\"",
         {.status = store::ListStatus::sealed,
          .date_from = "2023-01-01",
          .date_to = "2024-12-31",
          .oblast = "luhanska",
          .text = "повістк"},
         nullptr},
        {"form + status draft, first page",
         {.form_id = "forced-mobilization", .status = store::ListStatus::draft, .limit = 200},
         nullptr},
    };
    header("query (ms, 50 runs)");
    for (const auto& q : queries) {
        std::size_t rows = 0;
        auto times = repeat([&] { rows = check(index.query(q.filter), "query").size(); });
        row(std::string("RecordIndex::query: ") + q.what, times, rows);
        if (q.reference != nullptr) {
            std::size_t hits = 0;
            auto ref = repeat([&] { hits = plain.match(q.reference).size(); });
            row("  ref: plain SQLite FTS4, same MATCH, docids", ref, hits);
        }
    }
    {
        std::size_t c = 0;
        auto times = repeat([&] { c = check(index.count(), "count"); });
        row("RecordIndex::count()", times, c);
        times = repeat([&] { c = check(index.count({.text = "мобіл"}), "count"); });
        row("RecordIndex::count(\"мобіл\")", times, c);
    }

    // 3. Writes at this size, with synchronous = FULL.
    std::mt19937 rng(7);
    const Corpus corpus(rng);
    const auto* form = registry.find("forced-mobilization");
    const json::Value base = base_answers(*form);
    Times save, seal;
    for (const auto& d : drafts) {
        auto a = answers_for(base, corpus.narrative(Lang::uk, rng), "змінено", rng);
        measure(save, [&] { check(records.update_draft(d.id, a), "save"); });
        measure(seal, [&] { check(records.seal(d.id), "seal"); });
    }
    std::printf("\n");
    header("writes (ms, 20 runs), then once");
    row("Records::update_draft (autosave), list and text updated", save, 0);
    row("Records::seal, list updated", seal, 0);
    Times optimize;
    measure(optimize, [&] {
        auto txn = check(store::Transaction::begin(store::detail::database(*vault)), "begin");
        check(store::detail::database(*vault).exec(
                  "INSERT INTO record_text (record_text) VALUES ('optimize')"),
              "optimize");
        check(txn.commit(), "commit");
    });
    row("FTS optimize, as a purge runs it (once)", optimize, 0);
    std::printf("| %s | %8.0f | %8s | %8.0f | %7zu |\n",
                padded("Vault::open of a schema 4 vault: list built (once)", 58).c_str(),
                ms_of(migrate_s), "", ms_of(migrate_cpu), listed);
    if (listed != n) die("count", std::to_string(listed) + " listed, not " + std::to_string(n));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    check(svidok::crypto::init_and_self_test(), "self-test");
    const long n = argc > 1 ? std::atol(argv[1]) : 100000;
    if (n < 1000) die("arguments", "the number of records must be at least 1000");
    if (argc > 2) return run(argv[2], static_cast<std::size_t>(n));  // kept, and reused
    const path dir = bench_support::make_temp_dir("search");
    const int rc = run(dir, static_cast<std::size_t>(n));
    fs::remove_all(dir);
    return rc;
}
