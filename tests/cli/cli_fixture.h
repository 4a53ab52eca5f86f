// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs svidok-cli in-process with scripted secrets and fast key derivation.

#include <deque>
#include <sstream>

#include "cli.h"
#include "crypto/age.h"
#include "crypto/encoding.h"
#include "forms/json.h"
#include "process.h"
#include "test_support.h"

namespace svidok::test {

struct CliRun {
    int code;
    std::string out, err;
};

/// Holds scripted answers for prompts, consumed in order.
struct ScriptedSecrets {
    ScriptedSecrets() = default;
    ScriptedSecrets(std::initializer_list<std::string> a) : answers(a) {}
    std::deque<std::string> answers;
    std::vector<cli::SecretKind> asked;
    /// Typed confirmations (not secrets), consumed in order, and the questions asked.
    std::deque<std::string> lines;
    std::vector<std::string> questions;
    cli::SecretSource source() {
        return [this](cli::SecretKind kind) -> Result<crypto::SecureBuffer> {
            asked.push_back(kind);
            if (answers.empty()) return fail(Errc::usage, "no terminal to ask for the secret on");
            auto s = std::move(answers.front());
            answers.pop_front();
            return crypto::SecureBuffer::copy_of(crypto::as_bytes(s));
        };
    }
    cli::LineSource line_source() {
        return [this](std::string_view question) -> Result<std::string> {
            questions.emplace_back(question);
            if (lines.empty()) return fail(Errc::usage, "no terminal to ask on");
            auto s = std::move(lines.front());
            lines.pop_front();
            return s;
        };
    }
};

inline CliRun cli_run(std::vector<std::string> args, ScriptedSecrets* secrets = nullptr) {
    std::ostringstream out, err;
    ScriptedSecrets none;
    ScriptedSecrets& s = secrets != nullptr ? *secrets : none;
    cli::Io io{out,
               err,
               s.source(),
               store::VaultPolicy{.enforce_kdf_floor = false},
               crypto::KdfParams{1, 64u << 10},
               s.line_source()};
    std::vector<std::string_view> views(args.begin(), args.end());
    int code = cli::run(views, io);
    return {code, out.str(), err.str()};
}

/// A vault whose passphrase sits in a file, so no prompt is needed.
struct CliVault {
    TempDir tmp;
    std::string dir = (tmp / "v").string();
    std::string pass = (tmp / "pass").string();
    /// Whether sensitive answers have someone to be sealed to (docs/FORMAT.md 9.6); sealed()
    /// adds a legal team when not.
    bool seal_recipient_set = false;

    CliVault() {
        write_file(pass, "correct horse battery");
        auto r = run({"init"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
    }
    CliRun run(std::vector<std::string> args, ScriptedSecrets* secrets = nullptr) {
        args.insert(args.begin(), {"--vault", dir, "--passphrase-file", pass});
        return cli_run(std::move(args), secrets);
    }
    /// The form's example without file references, written to a file.
    std::string answers_file(std::string_view form, std::string_view name = "answers.json") {
        auto example = cli_run({"form", "example", std::string(form)});
        REQUIRE(example.code == 0);
        auto v = forms::json::parse(example.out);
        REQUIRE(v.has_value());
        forms::json::Value evidence = *v->find("evidence");
        evidence.set("attachments", forms::json::Array{});
        v->set("evidence", evidence);
        auto path = (tmp / std::string(name)).string();
        write_file(path, forms::json::pretty(*v));
        return path;
    }
    /// A new draft of the form's example (without file references); returns its id.
    std::string draft(std::string_view form = "forced-mobilization") {
        auto created =
            run({"record", "new", "--form", std::string(form), "--json", answers_file(form)});
        REQUIRE_MESSAGE(created.code == 0, created.err);
        return created.out.substr(0, 32);
    }
    /// Adds a legal team (a fresh age key, recipient "legal-team") and seals to it.
    void seal_to_legal_team() {
        const std::string age = crypto::X25519Identity::generate().recipient().to_string();
        auto add = run({"recipient", "add", "legal-team", "--age", age});
        REQUIRE_MESSAGE(add.code == 0, add.err);
        auto seal = run({"recipient", "seal", "legal-team"});
        REQUIRE_MESSAGE(seal.code == 0, seal.err);
        seal_recipient_set = true;
    }
    std::string sealed(std::string_view form = "forced-mobilization") {
        if (!seal_recipient_set) seal_to_legal_team();
        std::string id = draft(form);
        auto seal = run({"record", "seal", id});
        REQUIRE_MESSAGE(seal.code == 0, seal.err);
        return id;
    }
};

/// Vaults driven through the real svidok-cli binary, all with one passphrase file. Every
/// command derives the calibrated Argon2id key (about a second), so independent steps are
/// started side by side with start() and waited for together.
struct RealVaults {
    TempDir tmp;
    std::string pass = (tmp / "pass").string();

    RealVaults() { write_file(pass, "correct horse battery\n"); }
    /// Starts `svidok-cli --vault tmp/VAULT --passphrase-file ... ARGS...`.
    std::unique_ptr<Process> start(const std::string& vault, std::vector<std::string> args) {
        args.insert(args.begin(), {SVIDOK_CLI_PATH, "--vault", (tmp / vault).string(),
                                   "--passphrase-file", pass});
        return std::make_unique<Process>(
            args, std::vector<std::string>{"SVIDOK_PASSPHRASE_FILE=", "SVIDOK_VAULT="}, tmp.path());
    }
    ProcessResult run(const std::string& vault, std::vector<std::string> args) {
        return start(vault, std::move(args))->wait();
    }
    /// The form's example without file references, written to tmp/answers.json.
    std::string answers_file(std::string_view form) {
        auto example =
            run_process({SVIDOK_CLI_PATH, "form", "example", std::string(form)}, {}, tmp.path());
        REQUIRE(example.exit_code == 0);
        std::string answers = example.out;
        const auto at = answers.find("\"attachments\": [");
        REQUIRE(at != std::string::npos);
        answers.replace(at, answers.find(']', at) - at + 1, "\"attachments\": []");
        const auto path = (tmp / "answers.json").string();
        write_file(path, answers);
        return path;
    }
};

}  // namespace svidok::test
