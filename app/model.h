// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The application's state and the narrow command API windows use. No ImGui here: the model is
// driven by the windows, by the headless UI tests and (through the same library functions)
// by the CLI.

#include <filesystem>
#include <optional>
#include <string>

#include "job.h"
#include "store/vault.h"

namespace svidok::app {

enum class Screen { create, unlock, show_recovery_code, records };

struct Unlocked {
    store::Vault vault;
    std::string fingerprint;
    std::optional<crypto::SecureBuffer> recovery_code;  // only right after creation
};

class Model {
public:
    /// `policy` and `create_kdf` are the defaults in the shipped app; tests relax them.
    Model(std::filesystem::path vault_dir, store::VaultPolicy policy = {},
          std::optional<crypto::KdfParams> create_kdf = std::nullopt);

    [[nodiscard]] Screen screen() const noexcept { return screen_; }
    [[nodiscard]] const std::filesystem::path& vault_dir() const noexcept { return vault_dir_; }
    [[nodiscard]] bool busy() const noexcept { return job_.running(); }
    [[nodiscard]] float progress() const noexcept { return job_.progress(); }
    /// The last failure, shown in the window; empty when none.
    [[nodiscard]] const std::optional<Error>& error() const noexcept { return error_; }
    [[nodiscard]] const Unlocked* session() const noexcept {
        return session_ ? &*session_ : nullptr;
    }

    /// Starts creating the vault on the worker (passphrases are moved in and wiped after).
    void create_vault(crypto::SecureBuffer passphrase, crypto::SecureBuffer repeat);
    /// Starts unlocking on the worker.
    void unlock(crypto::SecureBuffer passphrase);
    /// The person confirmed writing the recovery code down: it is wiped from memory.
    void confirm_recovery_code_written();
    /// Drops every decrypted value and returns to the unlock screen.
    void lock();
    /// Collects the worker's result; call once per frame.
    void poll();

private:
    std::filesystem::path vault_dir_;
    store::VaultPolicy policy_;
    std::optional<crypto::KdfParams> create_kdf_;
    Screen screen_;
    std::optional<Error> error_;
    std::optional<Unlocked> session_;
    Job<Unlocked> job_;
};

}  // namespace svidok::app
