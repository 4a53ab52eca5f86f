// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"

#include <array>
#include <cstdlib>
#include <ostream>

#include "commands.h"
#include "crypto/build_info.h"
#include "crypto/encoding.h"
#include "secrets.h"
#include "store/atomic_file.h"
#include "store/form_files.h"
#include "store/vault_paths.h"

namespace svidok::cli {
namespace {

constexpr std::array kGlobalOptions{
    OptionSpec{"--vault", true}, OptionSpec{"--passphrase-file", true},
    OptionSpec{"--forms", true}, OptionSpec{"--decoy", false},
    OptionSpec{"--help", false}, OptionSpec{"--version", false},
};

constexpr std::array kHelpOnly{OptionSpec{"--help", false}};

void print_overview(std::ostream& out) {
    out << "usage: svidok-cli [--vault DIR] [--passphrase-file FILE] [--decoy] COMMAND [ARGS]\n\n"
           "Svidok records testimonies in an encrypted vault, signs them, and hands them to a\n"
           "legal team in encrypted bundles.\n\ncommands:\n";
    for (const auto& c : commands()) {
        out << "  " << c.name;
        for (std::size_t i = c.name.size(); i < 25; ++i) out << ' ';
        out << c.synopsis << '\n';
    }
    out << "\nThe vault is DIR, else $SVIDOK_VAULT, else $XDG_DATA_HOME/svidok.\n"
           "--forms DIR adds the form definitions (*.json) in DIR to the built-in ones.\n"
           "--decoy works in the decoy vault the duress passphrase opens, to prepare it.\n"
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
        case Errc::auth_failed:
            return kAuthFailed;
        case Errc::integrity:
        case Errc::corrupt:
            return kVerifyFailed;
        default:
            return kUsageOrIo;
    }
}

Result<crypto::SecureBuffer> Context::secret(SecretKind kind, std::string_view file_option) const {
    if (!file_option.empty()) {
        if (auto f = args.value(file_option)) return read_secret_file(*f);
    }
    if (kind == SecretKind::passphrase && passphrase_file)
        return read_secret_file(*passphrase_file);
    if (!io.prompt) return fail(Errc::usage, "no way to ask for the secret");
    return io.prompt(kind);
}

Result<store::Vault> Context::open_vault() const {
    // Fail on a missing or damaged vault before asking for the passphrase.
    if (auto keys = store::Vault::read_keys(vault_dir); !keys) return std::unexpected(keys.error());
    auto pass = secret(SecretKind::passphrase);
    if (!pass) return std::unexpected(pass.error());
    auto vault = decoy ? store::Vault::open_decoy(vault_dir, pass->span(), io.policy)
                       : store::Vault::open(vault_dir, pass->span(), io.policy);
    if (!vault) return vault;
    for (const auto& notice : vault->notices()) io.err << "svidok: warning: " << notice << '\n';
    if (vault->is_decoy_session()) {
        io.err << "svidok: note: working in the decoy vault (what the duress passphrase opens)\n";
    }
    return vault;
}

Result<> Context::refuse_decoy(std::string_view why) const {
    if (!decoy) return {};
    return fail(Errc::usage, "--decoy does not apply here: " + std::string(why));
}

Result<forms::FormRegistry> Context::form_registry() const {
    auto registry = forms::load_builtin();
    if (!registry) return std::unexpected(registry.error());
    if (forms_dir) {
        if (auto r = store::load_form_directory(*registry, *forms_dir); !r) {
            return std::unexpected(r.error());
        }
    }
    return registry;
}

Result<std::unique_ptr<Session>> Context::open_records() const {
    auto registry = form_registry();
    if (!registry) return std::unexpected(registry.error());
    auto vault = open_vault();
    if (!vault) return std::unexpected(vault.error());
    auto session = std::make_unique<Session>(Session{std::move(*vault), std::move(*registry), {}});
    auto records = store::Records::open(session->vault, session->registry);
    if (!records) return std::unexpected(records.error());
    session->records.emplace(std::move(*records));
    return session;
}

Result<std::unique_ptr<Session>> Context::open_record() const {
    if (args.positional.empty()) return fail(Errc::usage, "which record? give its id");
    auto session = open_records();
    if (!session) return std::unexpected(session.error());
    auto id = (*session)->records->resolve(args.positional.front());
    if (!id) return std::unexpected(id.error());
    (*session)->record = *id;
    return session;
}

Result<forms::json::Value> read_json_file(const std::filesystem::path& path) {
    auto bytes = store::read_small_file(path, forms::json::ParseLimits{}.max_bytes);
    if (!bytes) return std::unexpected(bytes.error());
    auto value = forms::json::parse(crypto::as_text(*bytes));
    if (!value) return std::unexpected(std::move(value.error()).wrap(path.string()));
    return value;
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
        io.out << crypto::version_text("svidok-cli");
        return kOk;
    }
    if (cmd_at == args.size()) {
        print_overview(global->has("--help") ? io.out : io.err);
        return global->has("--help") ? kOk : kUsageOrIo;
    }
    // A command is one word ("init") or two ("record seal"); the longest match wins.
    const Command* cmd = nullptr;
    std::size_t words = 0;
    bool group = false;
    for (const auto& c : commands()) {
        const auto space = c.name.find(' ');
        const auto first = c.name.substr(0, space);
        if (first != args[cmd_at]) continue;
        if (space == std::string_view::npos) {
            if (words == 0) cmd = &c, words = 1;
            continue;
        }
        group = true;
        if (cmd_at + 1 < args.size() && c.name.substr(space + 1) == args[cmd_at + 1]) {
            cmd = &c, words = 2;
        }
    }
    if (cmd == nullptr) {
        std::string name(args[cmd_at]);
        if (group && cmd_at + 1 < args.size()) name.append(" ").append(args[cmd_at + 1]);
        print_error(io.err, Error{Errc::usage,
                                  (group && cmd_at + 1 == args.size() ? "missing subcommand after "
                                                                      : "unknown command ") +
                                      name,
                                  "`svidok-cli --help` lists the commands"});
        return kUsageOrIo;
    }
    auto rest = args.subspan(cmd_at + words);
    for (auto a : rest) {
        if (a == "--help") {
            io.out << cmd->help;
            return kOk;
        }
    }
    auto parsed = parse_args(
        rest, cmd->options.empty() ? std::span<const OptionSpec>(kHelpOnly) : cmd->options,
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
    std::optional<std::filesystem::path> forms_dir;
    if (auto f = global->value("--forms")) forms_dir = *f;
    Context ctx{std::move(*parsed),    std::move(*dir), pass_file, forms_dir, io,
                global->has("--decoy")};
    auto r = cmd->run(ctx);
    if (!r) {
        print_error(io.err, r.error());
        return exit_code_for(r.error());
    }
    return kOk;
}

}  // namespace svidok::cli
