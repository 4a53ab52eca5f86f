// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile files given to the real svidok-cli binary (issue 9): a 100 MB record JSON to
// `record new` and `record update`, a 60 MB one whose narrative is a single string, a 100 MB
// bundle signature, a checkpoint with a 2 MB line. Each is refused with exit code 1 (damaged input)
// or 2 (over a limit) and a message naming the limit, the process's peak resident set (GNU time's
// %M, from wait4) stays within 256 MiB of an ordinary run that opens the vault, and the vault does
// not change.

#include <chrono>

#include "process.h"
#include "store/vault_paths.h"
#include "test_support.h"

using namespace svidok::test;

namespace {

struct Cli {
    TempDir tmp;
    std::string vault = (tmp / "v").string();
    std::string pass = (tmp / "pass").string();

    /// Runs the binary under GNU time; `peak_kib` gets its peak resident set.
    ProcessResult run(std::vector<std::string> args, long* peak_kib = nullptr) {
        args.insert(args.begin(), {"/usr/bin/time", "-f", "peak-kib %M", SVIDOK_CLI_PATH, "--vault",
                                   vault, "--passphrase-file", pass});
        auto r = run_process(args, {"SVIDOK_PASSPHRASE_FILE=", "SVIDOK_VAULT="}, tmp.path());
        const auto at = r.err.rfind("peak-kib ");
        REQUIRE(at != std::string::npos);
        if (peak_kib != nullptr) *peak_kib = std::stol(r.err.substr(at + 9));
        r.err.erase(at);
        return r;
    }
};

/// `n` bytes of `fill` written in 1 MiB pieces between `head` and `tail`.
void write_big(const fs::path& file, std::string_view head, std::size_t n, char fill,
               std::string_view tail) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << head;
    const std::string piece(1u << 20, fill);
    for (std::size_t left = n; left > 0;) {
        const std::size_t k = std::min(left, piece.size());
        out.write(piece.data(), static_cast<std::streamsize>(k));
        left -= k;
    }
    out << tail;
    REQUIRE(out.good());
}

std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_file(e.path());
    }
    return out;
}

}  // namespace

TEST_CASE("hostile files given to the real binary are refused within bounded memory") {
    Cli c;
    write_file(c.pass, "correct horse battery staple");
    REQUIRE(c.run({"init"}).exit_code == 0);
    auto example = c.run({"form", "example", "forced-mobilization"});
    REQUIRE(example.exit_code == 0);
    write_file(c.tmp / "t.json", example.out);
    auto made = c.run(
        {"record", "new", "--form", "forced-mobilization", "--json", (c.tmp / "t.json").string()});
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    long ordinary = 0;
    REQUIRE(c.run({"identity"}, &ordinary).exit_code == 0);
    const std::string id = made.out.substr(0, made.out.find_first_of(" \n"));
    const auto before = tree(c.vault);

    int cases = 0;
    auto refused = [&](const std::string& what, std::vector<std::string> args, int code,
                       std::string_view text) {
        CAPTURE(what);
        const auto start = std::chrono::steady_clock::now();
        long peak = 0;
        auto r = c.run(std::move(args), &peak);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        INFO("stderr: " << r.err);
        CHECK(r.signal == 0);
        CHECK(r.exit_code == code);
        CHECK(r.err.find(text) != std::string::npos);
        CHECK(peak - ordinary < 256L * 1024);
        CHECK(seconds < 10);
        CHECK(tree(c.vault) == before);
        MESSAGE(what << ": exit " << r.exit_code << " in " << seconds << " s, peak " << peak / 1024
                     << " MiB (an ordinary run " << ordinary / 1024 << " MiB)");
        ++cases;
    };

    const fs::path big = c.tmp / "big.json";
    write_big(big, "{\"incident\":{\"narrative\":\"", 100u << 20, 'x', "\"}}");
    refused("record new, 100 MB JSON",
            {"record", "new", "--form", "forced-mobilization", "--json", big.string()}, 1,
            "more than the 67108864 allowed");
    refused("record update, 100 MB JSON", {"record", "update", id, "--json", big.string()}, 1,
            "more than the 67108864 allowed");

    const fs::path string60 = c.tmp / "s60.json";
    write_big(string60, "{\"incident\":{\"narrative\":\"", 60u << 20, 'x', "\"}}");
    refused("record new, a 60 MB narrative",
            {"record", "new", "--form", "forced-mobilization", "--json", string60.string()}, 2,
            "string longer than 16777216 bytes");

    const fs::path deep = c.tmp / "deep.json";
    write_big(deep, "", 1'000'000, '[', std::string(1'000'000, ']'));
    refused("record new, JSON nested 10^6 deep",
            {"record", "new", "--form", "forced-mobilization", "--json", deep.string()}, 2,
            "nesting deeper than 64 levels");

    const fs::path bundle = c.tmp / "0123456789abcdef0123456789abcdef.age";
    write_file(bundle, "x");
    write_big(fs::path(bundle.string() + ".minisig"), "untrusted comment: x\n", 100u << 20, 'A',
              "\n");
    refused("import, a 100 MB .minisig", {"import", bundle.string()}, 1,
            "more than the 16384 allowed");

    const fs::path note = c.tmp / "checkpoint.txt";
    write_big(note, "svidok.device/0123456789abcdef\n1\n", 2u << 20, 'A', "\n\n");
    refused("log verify, a checkpoint with a 2 MB line",
            {"log", "verify", "--checkpoint", note.string()}, 1, "more than the 1048576 allowed");
    MESSAGE(cases << " hostile files refused by the binary");
}
