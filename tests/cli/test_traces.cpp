// SPDX-License-Identifier: GPL-3.0-or-later
// No traces (docs/SECURITY.md): the real svidok-cli, in a sandbox of its own home, config,
// cache, state, data and temporary directories, takes testimonies and files holding unique
// canary strings through every feature: drafts, updates, files, sealing, amendment, listing,
// the log, recipients, an encrypted bundle, import by the legal team, a receipt, withdrawal of
// consent. Afterwards no file anywhere it could write (and nothing new in the system's temporary
// directories) holds a canary or the passphrase, in UTF-8 or UTF-16.

#include <sys/stat.h>

#include <random>

#include "crypto/encoding.h"
#include "forms/json.h"
#include "process.h"
#include "traces.h"

using namespace svidok;
using namespace svidok::test;
namespace json = svidok::forms::json;

namespace {

std::string random_tag() {
    std::random_device rd;
    std::array<unsigned char, 8> b{};
    for (auto& c : b) c = static_cast<unsigned char>(rd());
    return crypto::to_hex(b);
}

/// Sets answers[group][field].
void set_path(json::Value& answers, std::string_view group, std::string_view field,
              json::Value value) {
    for (auto& [k, m] : answers.as_object()) {
        if (k == group) return m.set(field, std::move(value));
    }
    FAIL("no group " << group);
}

/// The sandbox: every directory svidok-cli could write to, all under `root`.
struct Sandbox {
    fs::path root, home, tmpdir, outside, output;
    std::vector<std::string> env;
    explicit Sandbox(const TempDir& tmp)
        : root(tmp / "sandbox"),
          home(root / "home"),
          tmpdir(root / "tmp"),
          outside(tmp / "outside"),  // the person's own files: the input JSON and photos
          output(tmp / "output") {   // what the commands print (record show prints answers)
        for (const auto& d : {home, tmpdir, outside, output}) fs::create_directories(d);
        env = {"HOME=" + home.string(),
               "XDG_CONFIG_HOME=" + (home / ".config").string(),
               "XDG_CACHE_HOME=" + (home / ".cache").string(),
               "XDG_STATE_HOME=" + (home / ".local/state").string(),
               "XDG_DATA_HOME=" + (home / ".local/share").string(),
               "XDG_RUNTIME_DIR=" + (root / "run").string(),
               "TMPDIR=" + tmpdir.string(),
               "SVIDOK_PASSPHRASE_FILE=",
               "SVIDOK_VAULT="};
    }
};

}  // namespace

TEST_CASE(
    "no canary of testimony, file or passphrase outside the encrypted vault after every CLI "
    "feature") {
    const auto started = fs::file_time_type::clock::now();
    TempDir tmp;
    Sandbox box(tmp);
    const std::string tag = random_tag();
    const std::string narrative =
        "Канарка-свідчення " + tag + " narrative: у школі записували дітей";
    const std::string amended = "Доповнення-канарка " + tag + " amended";
    const std::string file_text = "file-canary " + tag + " повістка";
    const std::string witness = "Ім'я-канарка " + tag + " Witness";
    const std::string passphrase = "пароль-канарка " + tag + " passphrase";
    write_file(box.outside / "pass", passphrase + "\n");

    const auto cli = [&](const fs::path& vault, std::vector<std::string> args) {
        std::vector<std::string> argv{SVIDOK_CLI_PATH, "--vault", vault.string(),
                                      "--passphrase-file", (box.outside / "pass").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run_process(argv, box.env, box.output);
        REQUIRE_MESSAGE(r.exit_code == 0, "svidok-cli " << args[0] << ": " << r.err);
        return r;
    };
    const auto field = box.root / "field";
    const auto legal = box.root / "legal";
    cli(field, {"init"});
    cli(legal, {"init"});
    auto identity = [&](const fs::path& v) {
        auto parsed = json::parse(cli(v, {"identity", "--json"}).out);
        REQUIRE(parsed);
        return *parsed;
    };
    const json::Value legal_id = identity(legal);
    const json::Value field_id = identity(field);

    // A testimony with the narrative canary, and a file holding the file canary in UTF-8 and
    // UTF-16LE (as a Windows text file or a document would).
    auto example = json::parse(cli(field, {"form", "example", "child-recruitment"}).out);
    REQUIRE(example);
    set_path(*example, "evidence", "attachments", json::Array{});
    set_path(*example, "incident", "narrative", narrative);
    set_path(*example, "witness", "real_name", witness);
    write_file(box.outside / "answers.json", json::pretty(*example));
    {
        const auto utf16 = encodings(file_text)[1];
        write_file(box.outside / "statement.txt", file_text + "\n" + utf16);
    }
    const std::string id = cli(field, {"record", "new", "--form", "child-recruitment", "--json",
                                       (box.outside / "answers.json").string()})
                               .out.substr(0, 32);
    cli(field, {"record", "update", id, "--json", (box.outside / "answers.json").string()});
    cli(field, {"attach", id, (box.outside / "statement.txt").string()});
    cli(field, {"record", "check", id});
    // The witness's name is sealed to the legal team at sealing (docs/FORMAT.md 9.6).
    cli(field, {"recipient", "add", "legal", "--age", legal_id.find("age_recipient")->as_string(),
                "--minisign", legal_id.find("minisign_public_key")->as_string()});
    cli(field, {"recipient", "seal", "legal"});
    cli(field, {"recipient", "list"});
    cli(field, {"record", "seal", id});
    cli(field, {"record", "amend", id});
    {
        auto shown = json::parse(cli(field, {"record", "show", id, "--json"}).out);
        REQUIRE(shown);
        json::Value answers = *shown->find("answers");
        set_path(answers, "incident", "narrative", narrative + "\n" + amended);
        write_file(box.outside / "amended.json", json::pretty(answers));
    }
    cli(field, {"record", "update", id, "--json", (box.outside / "amended.json").string()});
    cli(field, {"record", "seal", id});
    cli(field, {"record", "list"});
    cli(field, {"attachment", "list", id});
    cli(field, {"attachment", "verify", id});
    cli(field, {"log", "checkpoint"});
    cli(field, {"log", "verify"});
    const auto outbox = box.root / "usb-stick";
    const auto receipts = box.root / "receipts";
    fs::create_directories(outbox);
    fs::create_directories(receipts);
    cli(field, {"export", "--to", "legal", "--out", outbox.string()});
    fs::path bundle;
    for (const auto& e : fs::directory_iterator(outbox)) {
        if (e.path().extension() == ".age") bundle = e.path();
    }
    REQUIRE(bundle.extension() == ".age");
    cli(legal, {"import", bundle.string(), "--trust-fingerprint",
                field_id.find("fingerprint")->as_string(), "--receipt-out", receipts.string()});
    cli(legal, {"record", "list"});
    cli(legal, {"sender", "list"});
    // The legal team reads the testimony and the witness's name: the canaries reached it, or the
    // search below would prove nothing.
    {
        const auto shown = cli(legal, {"record", "show", id}).out;
        CHECK(shown.find(amended) != std::string::npos);
        CHECK(shown.find(witness) != std::string::npos);
    }
    fs::path receipt;
    for (const auto& e : fs::directory_iterator(receipts)) {
        if (e.path().extension() != ".minisig") receipt = e.path();
    }
    REQUIRE(!receipt.empty());
    cli(field, {"receipt", "import", receipt.string()});
    cli(field, {"record", "withdraw-consent", id});
    cli(field, {"purge", "--delivered"});  // lists only; the content stays for the search below

    const auto what = needles({{"witness name canary", witness},
                               {"narrative canary", narrative},
                               {"amendment canary", amended},
                               {"file canary", file_text},
                               {"passphrase", passphrase}});
    // The sandbox: both vaults, home, config, cache, state, data, runtime and temporary
    // directories, the bundle and the receipt.
    const auto found = find_in_files(box.root, what);
    CHECK_MESSAGE(
        found.empty(), "found:\n"
                           << [&] {
                                  std::string s;
                                  for (const auto& f : found) s += f + "\n";
                                  return s;
                              }());
    // The system's temporary directories, in case something ignored TMPDIR: what changed since
    // the test started, except this test's own files (its inputs hold the canaries).
    for (const fs::path dir : {"/tmp", "/var/tmp", "/dev/shm"}) {
        std::error_code ec;
        for (fs::recursive_directory_iterator
                 it(dir, fs::directory_options::skip_permission_denied, ec),
             end;
             !ec && it != end; it.increment(ec)) {
            if (it->path() == tmp.path()) {
                it.disable_recursion_pending();
                continue;
            }
            if (!it->is_regular_file(ec) || it->last_write_time(ec) < started) continue;
            for (const auto& f : find_in_files(it->path(), what)) CHECK_MESSAGE(false, f);
        }
    }
    // The sandbox was used: the vault, the bundle and the receipt are there.
    CHECK(fs::exists(field / "vault.db"));
    CHECK(fs::exists(legal / "vault.db"));
    CHECK(fs::file_size(bundle) > 0);
}
