// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"

#include <array>
#include <cstdlib>
#include <ostream>

#include "commands.h"
#include "secrets.h"
#include "store/vault_paths.h"

namespace svidok::cli {
namespace {

constexpr std::string_view kVersion = "svidok-cli 0.1.0";

constexpr std::array kGlobalOptions{
    OptionSpec{"--vault", true},
    OptionSpec{"--passphrase-file", true},
    OptionSpec{"--help", false},
    OptionSpec{"--version", false},
};

constexpr std::array kHelpOnly{OptionSpec{"--help", false}};

void print_overview(std::ostream& out) {
    out << "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] COMMAND [ARGS]\n\n"
           "Svidok records testimonies in an encrypted vault, signs them, and hands them to a\n"
           "legal team in encrypted bundles.\n\ncommands:\n";
    for (const auto& c : commands()) {
        out << "  " << c.name;
        for (std::size_t i = c.name.size(); i < 12; ++i) out << ' ';
        out << c.synopsis << '\n';
    }
    out << "\nThe vault is DIR, else $SVIDOK_VAULT, else $XDG_DATA_HOME/svidok.\n"
           "The passphrase comes from --passphrase-file, $SVIDOK_PASSPHRASE_FILE, or a prompt;\n"
           "never from an argument. `svidok-cli COMMAND --help` describes a command.\n"
           "Exit codes: 0 ok, 1 verification failed, 2 usage or I/O error, 3 wrong secret.\n";
}

void print_error(std::ostream& err, const Error& e) {
    err << "svidok: error: " << e.message << '\n';
    if (!e.hint.empty()) err << "svidok: hint: " << e.hint << '\n';
}

}  // namespace

int exit_code_for(const Error& e) noexcept {
    switch (e.code) {
        case Errc::auth_failed: return kAuthFailed;
        case Errc::integrity:
        case Errc::corrupt: return kVerifyFailed;
        default: return kUsageOrIo;
    }
}

Result<crypto::SecureBuffer> Context::secret(SecretKind kind, std::string_view file_option) const {
    if (!file_option.empty()) {
        if (auto f = args.value(file_option)) return read_secret_file(*f);
    }
    if (kind == SecretKind::passphrase && passphrase_file) return read_secret_file(*passphrase_file);
    if (!io.prompt) return fail(Errc::usage, "no way to ask for the secret");
    return io.prompt(kind);
}

Result<store::Vault> Context::open_vault() const {
    // Fail on a missing or damaged vault before asking for the passphrase.
    if (auto keys = store::Vault::read_keys(vault_dir); !keys) return std::unexpected(keys.error());
    auto pass = secret(SecretKind::passphrase);
    if (!pass) return std::unexpected(pass.error());
    return store::Vault::open(vault_dir, pass->span(), io.policy);
}

int run(std::span<const std::string_view> args, Io& io) {
    // Global options stop at the first non-option word: the command name.
    std::size_t cmd_at = 0;
    while (cmd_at < args.size() && args[cmd_at].starts_with("--")) {
        bool takes_value = false;
        for (const auto& o : kGlobalOptions) {
            takes_value = takes_value || (o.takes_value && args[cmd_at] == o.name);
        }
        cmd_at += takes_value ? 2 : 1;
    }
    cmd_at = std::min(cmd_at, args.size());
    auto global = parse_args(args.first(cmd_at), kGlobalOptions, 0);
    if (!global) {
        print_error(io.err, global.error());
        return kUsageOrIo;
    }
    if (global->has("--version")) {
        io.out << kVersion << '\n';
        return kOk;
    }
    if (cmd_at == args.size()) {
        print_overview(global->has("--help") ? io.out : io.err);
        return global->has("--help") ? kOk : kUsageOrIo;
    }
    const Command* cmd = nullptr;
    for (const auto& c : commands()) {
        if (c.name == args[cmd_at]) cmd = &c;
    }
    if (cmd == nullptr) {
        print_error(io.err, Error{Errc::usage, "unknown command " + std::string(args[cmd_at]),
                                  "`svidok-cli --help` lists the commands"});
        return kUsageOrIo;
    }
    auto rest = args.subspan(cmd_at + 1);
    for (auto a : rest) {
        if (a == "--help") {
            io.out << cmd->help;
            return kOk;
        }
    }
    auto parsed = parse_args(rest, cmd->options.empty() ? std::span<const OptionSpec>(kHelpOnly)
                                                        : cmd->options,
                             cmd->max_positional);
    if (!parsed) {
        print_error(io.err, std::move(parsed.error()).wrap(cmd->name));
        io.err << "usage: see `svidok-cli " << cmd->name << " --help`\n";
        return kUsageOrIo;
    }
    std::optional<std::filesystem::path> vault_opt;
    if (auto v = global->value("--vault")) vault_opt = *v;
    auto dir = store::resolve_vault_dir(vault_opt);
    if (!dir) {
        print_error(io.err, dir.error());
        return kUsageOrIo;
    }
    std::optional<std::filesystem::path> pass_file;
    if (auto f = global->value("--passphrase-file")) {
        pass_file = *f;
    } else if (const char* env = std::getenv("SVIDOK_PASSPHRASE_FILE"); env && *env) {
        pass_file = env;
    }
    Context ctx{std::move(*parsed), std::move(*dir), pass_file, io};
    auto r = cmd->run(ctx);
    if (!r) {
        print_error(io.err, r.error());
        return exit_code_for(r.error());
    }
    return kOk;
}

}  // namespace svidok::cli
