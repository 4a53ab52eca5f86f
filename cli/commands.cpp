// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include <array>

namespace svidok::cli {
namespace {

constexpr std::array kInitOptions{OptionSpec{"--help", false}};
constexpr std::array kPasswdOptions{OptionSpec{"--new-passphrase-file", true},
                                    OptionSpec{"--help", false}};
constexpr std::array kRecoverOptions{OptionSpec{"--recovery-code-file", true},
                                     OptionSpec{"--new-passphrase-file", true},
                                     OptionSpec{"--help", false}};
constexpr std::array kIdentityOptions{OptionSpec{"--json", false}, OptionSpec{"--help", false}};

constexpr std::array kCommands{
    Command{"init", "create a new vault",
            "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] init\n\n"
            "Creates a vault: an encrypted database and its key slots. The passphrase (at least\n"
            "12 characters) comes from --passphrase-file or is asked twice on the terminal.\n"
            "Key derivation is calibrated to about one second on this machine (never below\n"
            "Argon2id t=3, 256 MiB). A recovery code is printed once: write it on paper.\n",
            kInitOptions, 0, cmd_init},
    Command{"passwd", "change the vault passphrase",
            "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] passwd\n"
            "                  [--new-passphrase-file FILE]\n\n"
            "Unlocks with the current passphrase and rewraps the vault key under a new one.\n"
            "The database is not re-encrypted; the recovery code keeps working.\n",
            kPasswdOptions, 0, cmd_passwd},
    Command{"recover", "unlock with the recovery code and set a new passphrase",
            "usage: svidok-cli [--vault DIR] recover [--recovery-code-file FILE]\n"
            "                  [--new-passphrase-file FILE]\n\n"
            "For a forgotten passphrase: unlocks with the recovery code written down at init,\n"
            "then sets a new passphrase. Case, spaces and dashes in the code do not matter.\n",
            kRecoverOptions, 0, cmd_recover},
    Command{"identity", "print this vault's public keys and fingerprint",
            "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] identity [--json]\n\n"
            "Prints the public parts of the device identity: the minisign public key that\n"
            "verifies records, the age recipient a legal team encrypts to, the log verifier\n"
            "key for checkpoints, and a fingerprint of five groups of digits to compare aloud.\n",
            kIdentityOptions, 0, cmd_identity},
};

}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace svidok::cli
