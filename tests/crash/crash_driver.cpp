// SPDX-License-Identifier: GPL-3.0-or-later
// Test-only: performs ONE store operation on a scratch vault through the library API (fast
// Argon2id parameters are allowed here, unlike in the shipped CLI), so the crash harness
// (test_sigkill.cpp) can SIGKILL it at any moment. Prints `started` once the vault is open and
// `done` once the operation returned success, each flushed, so the harness can tell whether a
// kill landed before, during or after the operation; with SVIDOK_CRASH_MARKERS=DIR it also
// creates DIR/started and DIR/done at those moments.
//
//   crash_driver seal    VAULT RECORD
//   crash_driver amend   VAULT RECORD NOTES
//   crash_driver attach  VAULT RECORD FILE
//   crash_driver export  VAULT OUT_DIR RECIPIENT
//   crash_driver import  VAULT BUNDLE FINGERPRINT RECEIPT_DIR
//   crash_driver receipt VAULT RECEIPT
//   crash_driver purge   VAULT
//   crash_driver passwd  VAULT
//   crash_driver rekey   VAULT
//   crash_driver wipe    VAULT

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "crash_common.h"
#include "crypto/encoding.h"
#include "crypto/runtime.h"
#include "forms/registry.h"
#include "store/attachments.h"
#include "store/bundles.h"
#include "store/records.h"
#include "store/vault.h"
#include "store/wipe.h"

using namespace svidok;
namespace fs = std::filesystem;
namespace crash = svidok::test::crash;

namespace {

void marker(std::string_view m) {
    std::fwrite(m.data(), 1, m.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    // The harness waits for these files to aim its kills at the operation itself.
    if (const char* dir = std::getenv("SVIDOK_CRASH_MARKERS"); dir != nullptr) {
        const fs::path path = fs::path(dir) / m;
        if (std::FILE* f = std::fopen(path.c_str(), "w"); f != nullptr) std::fclose(f);
    }
}

int failed(const Error& e) {
    std::fprintf(stderr, "crash_driver: %s\n", e.message.c_str());
    return 2;
}

int usage() {
    std::fprintf(stderr, "usage: crash_driver OP VAULT [ARGS...] (see crash_driver.cpp)\n");
    return 2;
}

constexpr store::VaultPolicy kPolicy{.enforce_kdf_floor = false};

int run(const std::vector<std::string>& a) {
    if (a.size() < 2) return usage();
    const std::string& op = a[0];
    const fs::path dir = a[1];
    const auto arg = [&](std::size_t i) -> const std::string& {
        static const std::string none;
        return i < a.size() ? a[i] : none;
    };
    if (op == "wipe") {
        marker(crash::kStarted);
        auto w = store::wipe_vault(dir);
        if (!w) return failed(w.error());
        marker(crash::kDone);
        return 0;
    }
    auto vault = store::Vault::open(dir, crypto::as_bytes(crash::kPassphrase), kPolicy);
    if (!vault) return failed(vault.error());
    if (op == "passwd") {
        marker(crash::kStarted);
        if (auto r = vault->change_passphrase(crypto::as_bytes(crash::kNewPassphrase)); !r)
            return failed(r.error());
        marker(crash::kDone);
        return 0;
    }
    if (op == "rekey") {
        marker(crash::kStarted);
        if (auto r = vault->rekey(crypto::as_bytes(crash::kNewPassphrase)); !r)
            return failed(r.error());
        marker(crash::kDone);
        return 0;
    }
    forms::FormRegistry registry = *forms::load_builtin();
    auto records = store::Records::open(*vault, registry);
    if (!records) return failed(records.error());
    store::Bundles bundles(*records);
    store::Attachments attachments(*records);
    const auto record = [&]() { return records->resolve(arg(2)); };
    Result<> outcome;
    if (op == "seal" || op == "amend" || op == "attach") {
        auto id = record();
        if (!id) return failed(id.error());
        if (op == "seal") {
            marker(crash::kStarted);
            auto s = records->seal(*id);
            if (!s) outcome = std::unexpected(s.error());
        } else if (op == "amend") {
            auto answers = records->answers(*id);
            if (!answers) return failed(answers.error());
            forms::json::Value g = *answers->find("reliability");
            g.set("credibility_notes", forms::json::Value(arg(3)));
            answers->set("reliability", std::move(g));
            marker(crash::kStarted);
            auto v = records->amend(*id, *answers);
            if (!v) outcome = std::unexpected(v.error());
        } else {
            marker(crash::kStarted);
            auto r = attachments.attach(*id, arg(3));
            if (!r) outcome = std::unexpected(r.error());
        }
    } else if (op == "export") {
        store::Bundles::ExportOptions o;
        o.to = {arg(3)};
        o.out_dir = arg(2);
        o.selection = store::Bundles::Selection::all;
        marker(crash::kStarted);
        auto r = bundles.export_bundle(o);
        if (!r) outcome = std::unexpected(r.error());
    } else if (op == "import") {
        store::Bundles::ImportOptions o;
        o.trust_fingerprint = arg(3);
        o.receipt_dir = arg(4);
        marker(crash::kStarted);
        auto r = bundles.import_bundle(arg(2), o);
        if (!r) outcome = std::unexpected(r.error());
    } else if (op == "receipt") {
        marker(crash::kStarted);
        auto r = bundles.import_receipt(arg(2));
        if (!r) outcome = std::unexpected(r.error());
    } else if (op == "purge") {
        marker(crash::kStarted);
        auto r = bundles.purge_delivered();
        if (!r) outcome = std::unexpected(r.error());
    } else {
        return usage();
    }
    if (!outcome) return failed(outcome.error());
    marker(crash::kDone);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (auto r = crypto::init_and_self_test(); !r) return failed(r.error());
    std::vector<std::string> args(argv + 1, argv + argc);
    return run(args);
}
