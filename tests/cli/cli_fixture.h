// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs svidok-cli in-process with scripted secrets and fast key derivation.

#include <deque>
#include <sstream>

#include "cli.h"
#include "crypto/encoding.h"
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
    cli::SecretSource source() {
        return [this](cli::SecretKind kind) -> Result<crypto::SecureBuffer> {
            asked.push_back(kind);
            if (answers.empty()) return fail(Errc::usage, "no terminal to ask for the secret on");
            auto s = std::move(answers.front());
            answers.pop_front();
            return crypto::SecureBuffer::copy_of(crypto::as_bytes(s));
        };
    }
};

inline CliRun cli_run(std::vector<std::string> args, ScriptedSecrets* secrets = nullptr) {
    std::ostringstream out, err;
    ScriptedSecrets none;
    cli::Io io{out, err, (secrets != nullptr ? secrets : &none)->source(),
               store::VaultPolicy{.enforce_kdf_floor = false}, crypto::KdfParams{1, 64u << 10}};
    std::vector<std::string_view> views(args.begin(), args.end());
    int code = cli::run(views, io);
    return {code, out.str(), err.str()};
}

}  // namespace svidok::test
