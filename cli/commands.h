// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The command table. Each command is a function over parsed arguments and the Io struct.

#include <string_view>

#include "args.h"
#include "cli.h"

namespace svidok::cli {

/// What every command receives: its parsed arguments, the vault directory, and the Io.
struct Context {
    ParsedArgs args;
    std::filesystem::path vault_dir;
    std::optional<std::filesystem::path> passphrase_file;
    Io& io;

    /// The secret of `kind`: from `file_option` when given, else --passphrase-file /
    /// SVIDOK_PASSPHRASE_FILE for the current passphrase, else the prompt.
    [[nodiscard]] Result<crypto::SecureBuffer> secret(SecretKind kind,
                                                      std::string_view file_option = {}) const;
    /// Unlocks the vault with the current passphrase.
    [[nodiscard]] Result<store::Vault> open_vault() const;
};

struct Command {
    std::string_view name;
    std::string_view synopsis;  // one line for the overview
    std::string_view help;      // full --help text
    std::span<const OptionSpec> options;
    std::size_t max_positional;
    Result<> (*run)(Context& ctx);
};

/// Every command, in the order the overview lists them.
[[nodiscard]] std::span<const Command> commands();

// Vault commands (commands_vault.cpp).
[[nodiscard]] Result<> cmd_init(Context& ctx);
[[nodiscard]] Result<> cmd_passwd(Context& ctx);
[[nodiscard]] Result<> cmd_recover(Context& ctx);
[[nodiscard]] Result<> cmd_identity(Context& ctx);

}  // namespace svidok::cli
