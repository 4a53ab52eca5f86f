// SPDX-License-Identifier: GPL-3.0-or-later
// The model's safety commands: seal recipients, the panic wipe, the failed-attempt limit and
// the duress passphrase. The library does the work (store/vault.h, store/wipe.h); this file
// only sequences it with the session and the worker.
#include "model.h"

#include "store/vault_paths.h"

namespace svidok::app {
namespace fs = std::filesystem;

namespace {
constexpr std::chrono::milliseconds kDuressEstimate{1100};  // one Argon2id derivation
}  // namespace

bool vault_present(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / store::kVaultKeysName, ec) || fs::exists(dir / store::kVaultDbName, ec);
}

void Model::refresh_attempts() {
    // A damaged counter blocks nothing (FORMAT.md 15.2): show nothing then.
    attempts_ = store::Vault::failed_attempts(vault_dir_).value_or(store::GuardState{});
}

void Model::reload_safety() {
    if (!ready()) return;
    Safety s;
    s.wipe_after = session_->vault.wipe_after();
    s.decoy_session = session_->vault.is_decoy_session();
    if (auto d = session_->vault.duress_status()) s.duress = *d;
    safety_ = s;
}

void Model::set_seal_recipients(std::vector<std::string> names) {
    if (!ready()) return;
    if (auto r = session_->bundles->set_seal_recipients(names); !r) return fail_with(r.error());
    reload_people();
    succeed("seal_recipients_set");
}

void Model::set_wipe_after(unsigned limit) {
    if (!ready()) return;
    if (auto r = session_->vault.set_wipe_after(limit); !r) return fail_with(r.error());
    reload_safety();
    succeed("wipe_after_set");
}

void Model::set_duress(crypto::SecureBuffer passphrase, crypto::SecureBuffer repeat,
                       bool destroy_real) {
    if (!ready()) return;
    if (!passphrase.equals(repeat.span())) {
        return fail_with(
            Error{Errc::invalid, "the two passphrases differ", "type the same passphrase twice"});
    }
    // The worker has the session to itself while it runs (every command checks busy()).
    start(
        [this, pass = std::move(passphrase), destroy_real]() -> Result<Apply> {
            if (auto r = session_->vault.set_duress(pass.span(), destroy_real); !r) {
                return std::unexpected(r.error());
            }
            return [](Model* m) {
                m->reload_safety();
                m->succeed("duress_set");
            };
        },
        kDuressEstimate, false);
}

void Model::clear_duress() {
    if (!ready()) return;
    if (auto r = session_->vault.clear_duress(); !r) return fail_with(r.error());
    reload_safety();
    succeed("duress_cleared");
}

void Model::wipe() {
    // The key file first, on this thread and before anything else: from here on the vault
    // cannot be opened, whatever happens to the rest.
    auto keys = store::destroy_key_file(vault_dir_);
    if (busy()) {
        cancel_ = true;
        job_.abandon();
        cancel_ = false;
    }
    record_.reset();  // not saved: the draft goes with the vault
    drop_session();
    auto report = store::wipe_vault(vault_dir_);
    if (!keys && keys.error().code != Errc::not_found) return fail_with(keys.error());
    if (!report && report.error().code != Errc::not_found) return fail_with(report.error());
    wiped_ = report ? std::optional(*report) : std::nullopt;
    refresh_attempts();
    screen_ = vault_present(vault_dir_) ? Screen::unlock : Screen::create;
    succeed("wiped");
}

}  // namespace svidok::app
