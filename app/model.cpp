// SPDX-License-Identifier: GPL-3.0-or-later
#include "model.h"

#include "store/vault_paths.h"

namespace svidok::app {
namespace fs = std::filesystem;

namespace {

// Argon2id is calibrated to about a second; creation also calibrates first.
constexpr std::chrono::milliseconds kUnlockEstimate{1100};
constexpr std::chrono::milliseconds kCreateEstimate{2300};

bool vault_present(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / store::kVaultKeysName, ec) || fs::exists(dir / store::kVaultDbName, ec);
}

Result<Unlocked> finish_unlock(store::Vault vault,
                               std::optional<crypto::SecureBuffer> recovery_code) {
    auto id = vault.identity();
    if (!id) return std::unexpected(id.error());
    return Unlocked{std::move(vault), id->fingerprint(), std::move(recovery_code)};
}

}  // namespace

Model::Model(fs::path vault_dir, store::VaultPolicy policy,
             std::optional<crypto::KdfParams> create_kdf)
    : vault_dir_(std::move(vault_dir)),
      policy_(policy),
      create_kdf_(create_kdf),
      screen_(vault_present(vault_dir_) ? Screen::unlock : Screen::create) {}

void Model::create_vault(crypto::SecureBuffer passphrase, crypto::SecureBuffer repeat) {
    if (busy()) return;
    error_.reset();
    if (!passphrase.equals(repeat.span())) {
        error_ = Error{Errc::invalid, "the two passphrases differ", "type the same passphrase twice"};
        return;
    }
    job_.start(
        [this, pass = std::move(passphrase)]() -> Result<Unlocked> {
            auto created = store::Vault::create(vault_dir_, pass.span(),
                                                store::CreateOptions{create_kdf_, policy_});
            if (!created) return std::unexpected(created.error());
            return finish_unlock(std::move(created->vault), std::move(created->recovery_code));
        },
        kCreateEstimate);
}

void Model::unlock(crypto::SecureBuffer passphrase) {
    if (busy()) return;
    error_.reset();
    job_.start(
        [this, pass = std::move(passphrase)]() -> Result<Unlocked> {
            auto vault = store::Vault::open(vault_dir_, pass.span(), policy_);
            if (!vault) return std::unexpected(vault.error());
            return finish_unlock(std::move(*vault), std::nullopt);
        },
        kUnlockEstimate);
}

void Model::poll() {
    auto r = job_.take();
    if (!r) return;
    if (!*r) {
        error_ = r->error();
        return;
    }
    session_.emplace(std::move(**r));
    screen_ = session_->recovery_code ? Screen::show_recovery_code : Screen::records;
}

void Model::confirm_recovery_code_written() {
    if (session_) session_->recovery_code.reset();
    if (screen_ == Screen::show_recovery_code) screen_ = Screen::records;
}

void Model::lock() {
    if (busy()) return;
    session_.reset();  // closes the database; secure buffers are zeroed on free
    error_.reset();
    screen_ = vault_present(vault_dir_) ? Screen::unlock : Screen::create;
}

}  // namespace svidok::app
